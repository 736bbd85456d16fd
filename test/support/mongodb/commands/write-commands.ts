import { Document } from 'bson';
import { CommandContext, CommandHandler, collectionName, optionalCount } from '../command-context';
import { asCommandError, MongoCommandError } from '../errors';
import { documentMatcher } from '../query-engine';
import { StoredCollection } from '../stored-collection';
import { assertUpdateShape, updatedDocument, upsertedDocument } from '../update-engine';
import { canonicalKey, isDocument } from '../values';

/** Outcome of one statement of a write batch. */
interface StatementResult {
  readonly n: number;
  readonly nModified?: number;
  readonly upsertedId?: unknown;
}

/**
 * Runs the statements of an insert/update/delete batch. A failing statement becomes a `writeErrors` entry
 * (the command itself still answers ok: 1); an ordered batch stops at the first failure.
 */
function runBatch(
  statements: unknown,
  ordered: boolean,
  run: (statement: Document, index: number) => StatementResult,
): Document {
  if (!Array.isArray(statements))
    throw new MongoCommandError('FailedToParse', 'write batch must be an array');
  const writeErrors: Document[] = [];
  const upserted: Document[] = [];
  let n = 0;
  let nModified = 0;
  for (const [index, statement] of statements.entries()) {
    try {
      if (!isDocument(statement))
        throw new MongoCommandError('FailedToParse', 'write statement must be a document');
      const result = run(statement, index);
      n += result.n;
      nModified += result.nModified ?? 0;
      if (result.upsertedId !== undefined) upserted.push({ index, _id: result.upsertedId });
    } catch (error) {
      writeErrors.push(asCommandError(error).toWriteError(index));
      if (ordered) break;
    }
  }
  return { n, nModified, upserted, writeErrors };
}

function reply(outcome: Document, fields: string[]): Document {
  const result: Document = { n: outcome.n };
  for (const field of fields) result[field] = outcome[field];
  if (outcome.upserted.length > 0) result.upserted = outcome.upserted;
  if (outcome.writeErrors.length > 0) result.writeErrors = outcome.writeErrors;
  return result;
}

const insert: CommandHandler = (body, context) => {
  const collection = context.catalog.obtain(context.database, collectionName(body, 'insert'));
  const outcome = runBatch(body.documents, body.ordered !== false, (document) => {
    collection.insert(document);
    return { n: 1 };
  });
  return reply(outcome, []);
};

/** The documents a write statement acts on: all matches, or the first in natural order. */
function matching(collection: StoredCollection, filter: Document, all: boolean): Document[] {
  const matches = documentMatcher(filter);
  const candidates = collection.candidates(filter);
  if (all) return candidates.filter(matches);
  const first = candidates.find(matches);
  return first ? [first] : [];
}

/**
 * Applies one update statement (`{ q, u, upsert, multi, arrayFilters }`). The collection is looked up per
 * statement and only created by an upsert, as mongod does.
 */
function updateStatement(context: CommandContext, name: string, statement: Document): StatementResult {
  assertUpdateShape(statement.u);
  const filter = isDocument(statement.q) ? statement.q : {};
  const options = { arrayFilters: statement.arrayFilters as Document[] | undefined, filter };
  const collection = context.catalog.find(context.database, name);
  const chosen = collection ? matching(collection, filter, statement.multi === true) : [];
  if (chosen.length === 0 && statement.upsert === true) {
    const target = collection ?? context.catalog.obtain(context.database, name);
    const inserted = target.insert(upsertedDocument(filter, statement.u, options));
    return { n: 1, nModified: 0, upsertedId: inserted._id };
  }
  if (!collection) return { n: 0, nModified: 0 };
  let nModified = 0;
  for (const document of chosen) {
    const next = updatedDocument(document, statement.u, options);
    if (canonicalKey(next) === canonicalKey(document)) continue;
    collection.replace(document, next);
    nModified += 1;
  }
  return { n: chosen.length, nModified };
}

const update: CommandHandler = (body, context) => {
  const name = collectionName(body, 'update');
  const outcome = runBatch(body.updates, body.ordered !== false, (statement) =>
    updateStatement(context, name, statement),
  );
  return reply(outcome, ['nModified']);
};

const remove: CommandHandler = (body, context) => {
  const collection = context.catalog.find(context.database, collectionName(body, 'delete'));
  const outcome = runBatch(body.deletes, body.ordered !== false, (statement) => {
    if (!collection) return { n: 0 };
    const chosen = matching(
      collection,
      isDocument(statement.q) ? statement.q : {},
      optionalCount(statement, 'limit') !== 1,
    );
    for (const document of chosen) collection.remove(document);
    return { n: chosen.length };
  });
  return reply(outcome, []);
};

/** The write commands: `insert`, `update` and `delete`. */
export const writeCommands: Record<string, CommandHandler> = { insert, update, delete: remove };
