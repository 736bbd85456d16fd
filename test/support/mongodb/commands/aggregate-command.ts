import { Document } from 'bson';
import { CommandContext, CommandHandler, optionalCount } from '../command-context';
import { MongoCommandError } from '../errors';
import { runPipeline } from '../query-engine';
import { cloneValue, isDocument } from '../values';

/** Splits off a final `$out` stage, which this server performs itself so the written data is kept. */
function splitOut(pipeline: Document[]): { stages: Document[]; out?: string } {
  const last = pipeline[pipeline.length - 1];
  if (!last || !('$out' in last)) return { stages: pipeline };
  const target = last.$out;
  const out = typeof target === 'string' ? target : isDocument(target) ? target.coll : undefined;
  if (typeof out !== 'string') throw new MongoCommandError('FailedToParse', '$out needs a collection name');
  return { stages: pipeline.slice(0, -1), out };
}

function writeOut(context: CommandContext, name: string, results: Document[]): void {
  const target = context.catalog.obtain(context.database, name);
  target.clear();
  for (const document of results) target.insert(document);
}

/**
 * `aggregate` in its cursor form. `{ aggregate: 1 }` (database-level) starts from no documents, which
 * serves pipelines that begin with `$documents`.
 */
const aggregate: CommandHandler = (body, context) => {
  if (!Array.isArray(body.pipeline))
    throw new MongoCommandError('FailedToParse', "'pipeline' option must be specified as an array");
  if (body.explain === true)
    throw new MongoCommandError('IllegalOperation', 'explain is not supported by the test server');
  const name = typeof body.aggregate === 'string' ? body.aggregate : undefined;
  const source = name ? (context.catalog.find(context.database, name)?.snapshot() ?? []) : [];
  const { stages, out } = splitOut(body.pipeline as Document[]);
  if (stages.some((stage) => isDocument(stage) && '$merge' in stage)) {
    // mingo would merge into a throw-away copy; refusing is better than silently losing the writes.
    throw new MongoCommandError('IllegalOperation', '$merge is not supported by the test server; use $out');
  }
  const resolve = (other: string): Document[] =>
    (context.catalog.find(context.database, other)?.snapshot() ?? []).map((document) => cloneValue(document));
  const results = runPipeline(source, stages, resolve, body.collation);
  const namespace = `${context.database}.${name ?? '$cmd.aggregate'}`;
  if (out) {
    writeOut(context, out, results);
    return { cursor: context.cursors.open(namespace, [], undefined) };
  }
  const cursorOptions = isDocument(body.cursor) ? body.cursor : {};
  return { cursor: context.cursors.open(namespace, results, optionalCount(cursorOptions, 'batchSize')) };
};

/** The `aggregate` command (cursor form). */
export const aggregateCommands: Record<string, CommandHandler> = { aggregate };
