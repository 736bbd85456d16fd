import { CommandHandler, collectionName, optionalCount } from '../command-context';
import { MongoCommandError } from '../errors';
import { documentMatcher, findDocuments } from '../query-engine';
import { canonicalKey, isDocument, valuesAtPath } from '../values';

/** `find`: the whole result is computed now and served in batches, so later writes never leak into it. */
const find: CommandHandler = (body, context) => {
  const name = collectionName(body, 'find');
  const namespace = `${context.database}.${name}`;
  const collection = context.catalog.find(context.database, name);
  const filter = isDocument(body.filter) ? body.filter : {};
  const requestedLimit = optionalCount(body, 'limit') ?? 0;
  // A negative limit is the legacy way to ask for a single batch.
  const singleBatch = body.singleBatch === true || requestedLimit < 0;
  const limit = Math.abs(requestedLimit);
  const results = collection
    ? findDocuments(collection.candidates(filter), {
        filter,
        sort: body.sort,
        projection: body.projection,
        skip: optionalCount(body, 'skip'),
        limit,
        collation: body.collation,
      })
    : [];
  return { cursor: context.cursors.open(namespace, results, optionalCount(body, 'batchSize'), singleBatch) };
};

const getMore: CommandHandler = (body, context) => ({
  cursor: context.cursors.next(body.getMore, optionalCount(body, 'batchSize')),
});

const killCursors: CommandHandler = (body, context) => {
  const cursorsKilled: unknown[] = [];
  const cursorsNotFound: unknown[] = [];
  for (const id of Array.isArray(body.cursors) ? body.cursors : []) {
    (context.cursors.kill(id) ? cursorsKilled : cursorsNotFound).push(id);
  }
  return { cursorsKilled, cursorsNotFound, cursorsAlive: [], cursorsUnknown: [] };
};

/** `count` (what `estimatedDocumentCount` sends): the number of matches after skip and limit. */
const count: CommandHandler = (body, context) => {
  const collection = context.catalog.find(context.database, collectionName(body, 'count'));
  if (!collection) return { n: 0 };
  const filter = isDocument(body.query) ? body.query : {};
  const matches =
    Object.keys(filter).length === 0
      ? collection.count
      : collection.candidates(filter).filter(documentMatcher(filter)).length;
  const skip = Math.max(0, optionalCount(body, 'skip') ?? 0);
  const limit = Math.abs(optionalCount(body, 'limit') ?? 0);
  const afterSkip = Math.max(0, matches - skip);
  return { n: limit > 0 ? Math.min(limit, afterSkip) : afterSkip };
};

/** `distinct`: each different value at the key path, with arrays contributing their elements. */
const distinct: CommandHandler = (body, context) => {
  if (typeof body.key !== 'string')
    throw new MongoCommandError('FailedToParse', "'key' must be of type String");
  const collection = context.catalog.find(context.database, collectionName(body, 'distinct'));
  const filter = isDocument(body.query) ? body.query : {};
  const values = new Map<string, unknown>();
  for (const document of collection?.candidates(filter).filter(documentMatcher(filter)) ?? []) {
    for (const value of valuesAtPath(document, body.key)) {
      if (value !== undefined) values.set(canonicalKey(value), value);
    }
  }
  return { values: [...values.values()] };
};

/** The read commands: `find`, `getMore`, `killCursors`, `count` and `distinct`. */
export const readCommands: Record<string, CommandHandler> = { find, getMore, killCursors, count, distinct };
