import { Document } from 'bson';
import { CommandHandler, collectionName, optionalCount } from '../command-context';
import { MongoCommandError } from '../errors';
import { isDocument } from '../values';

function namespaceNotFound(namespace: string): MongoCommandError {
  return new MongoCommandError('NamespaceNotFound', `ns does not exist: ${namespace}`);
}

/** `createIndexes`: unique indexes are built over existing data and fail like mongod on duplicates. */
const createIndexes: CommandHandler = (body, context) => {
  const name = collectionName(body, 'createIndexes');
  const existed = context.catalog.find(context.database, name) !== undefined;
  if (!Array.isArray(body.indexes) || body.indexes.length === 0) {
    throw new MongoCommandError('BadValue', 'Must specify at least one index to create');
  }
  const collection = context.catalog.obtain(context.database, name);
  const numIndexesBefore = collection.indexSpecs().length;
  for (const spec of body.indexes as unknown[]) {
    if (!isDocument(spec) || !isDocument(spec.key) || Object.keys(spec.key).length === 0) {
      throw new MongoCommandError('FailedToParse', 'index specification must have a non-empty key document');
    }
    if (typeof spec.name !== 'string')
      throw new MongoCommandError('FailedToParse', 'index specification must have a name');
    const { ns: _legacyNamespace, ...definition } = spec;
    collection.createIndex(definition);
  }
  const numIndexesAfter = collection.indexSpecs().length;
  const reply: Document = { createdCollectionAutomatically: !existed, numIndexesBefore, numIndexesAfter };
  if (numIndexesAfter === numIndexesBefore) reply.note = 'all indexes already exist';
  return reply;
};

const listIndexes: CommandHandler = (body, context) => {
  const name = collectionName(body, 'listIndexes');
  const namespace = `${context.database}.${name}`;
  const collection = context.catalog.find(context.database, name);
  if (!collection) throw namespaceNotFound(namespace);
  const batchSize = isDocument(body.cursor) ? optionalCount(body.cursor, 'batchSize') : undefined;
  return {
    cursor: context.cursors.open(namespace, collection.indexSpecs(), batchSize),
  };
};

/** `dropIndexes` by name, by key pattern, by a list of names, or `'*'` for all but `_id_`. */
const dropIndexes: CommandHandler = (body, context) => {
  const name = collectionName(body, Object.keys(body)[0]);
  const collection = context.catalog.find(context.database, name);
  if (!collection) throw namespaceNotFound(`${context.database}.${name}`);
  const nIndexesWas = collection.indexSpecs().length;
  const target = body.index;
  if (target === '*') collection.dropAllIndexesButId();
  else if (typeof target === 'string') collection.dropIndex(target);
  else if (Array.isArray(target)) for (const indexName of target) collection.dropIndex(String(indexName));
  else if (isDocument(target)) collection.dropIndex(collection.findIndexNameByKey(target));
  else
    throw new MongoCommandError('BadValue', "'index' must be a string, an array of names or a key pattern");
  return { nIndexesWas };
};

/** The index commands: `createIndexes`, `listIndexes` and `dropIndexes` (alias `deleteIndexes`). */
export const indexCommands: Record<string, CommandHandler> = {
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
};
