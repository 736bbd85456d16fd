import { Document } from 'bson';
import { CommandHandler, collectionName, commandOptions, optionalCount } from '../command-context';
import { MongoCommandError } from '../errors';
import { findDocuments } from '../query-engine';
import { StoredCollection } from '../stored-collection';
import { isDocument } from '../values';

const create: CommandHandler = (body, context) => {
  context.catalog.create(context.database, collectionName(body, 'create'), commandOptions(body, 'create'));
  return {};
};

const drop: CommandHandler = (body, context) => {
  const name = collectionName(body, 'drop');
  const collection = context.catalog.find(context.database, name);
  context.catalog.drop(context.database, name);
  // Since MongoDB 7.0 dropping a missing collection succeeds.
  return { ns: `${context.database}.${name}`, nIndexesWas: collection?.indexSpecs().length ?? 0 };
};

const dropDatabase: CommandHandler = (_body, context) => {
  context.catalog.dropDatabase(context.database);
  return { dropped: context.database };
};

function describe(collection: StoredCollection, nameOnly: boolean): Document {
  if (nameOnly) return { name: collection.name, type: 'collection' };
  return {
    name: collection.name,
    type: 'collection',
    options: collection.options,
    info: { readOnly: false, uuid: collection.uuid },
    idIndex: collection.indexSpecs()[0],
  };
}

/** `listCollections` in cursor form, with `filter` (evaluated on the entries) and `nameOnly`. */
const listCollections: CommandHandler = (body, context) => {
  const nameOnly = body.nameOnly === true;
  const entries = context.catalog
    .collections(context.database)
    .map((collection) => describe(collection, nameOnly));
  const filter = isDocument(body.filter) ? body.filter : {};
  const batchSize = isDocument(body.cursor) ? optionalCount(body.cursor, 'batchSize') : undefined;
  return {
    cursor: context.cursors.open(
      `${context.database}.$cmd.listCollections`,
      findDocuments(entries, { filter }),
      batchSize,
    ),
  };
};

const listDatabases: CommandHandler = (body, context) => {
  const names = context.catalog.databaseNames();
  const databases = names.map((name) =>
    body.nameOnly === true
      ? { name }
      : { name, sizeOnDisk: 0, empty: context.catalog.collections(name).length === 0 },
  );
  const filter = isDocument(body.filter) ? body.filter : {};
  return { databases: findDocuments(databases, { filter }), totalSize: 0, totalSizeMb: 0 };
};

function splitNamespace(namespace: unknown): [string, string] {
  const text = typeof namespace === 'string' ? namespace : '';
  const dot = text.indexOf('.');
  if (dot <= 0) throw new MongoCommandError('InvalidNamespace', `Invalid namespace specified '${text}'`);
  return [text.slice(0, dot), text.slice(dot + 1)];
}

/** `renameCollection` (sent to `admin` with full namespaces), e.g. to swap in a rebuilt read model. */
const renameCollection: CommandHandler = (body, context) => {
  const [fromDatabase, fromName] = splitNamespace(body.renameCollection);
  const [toDatabase, toName] = splitNamespace(body.to);
  const source = context.catalog.find(fromDatabase, fromName);
  if (!source) {
    throw new MongoCommandError(
      'NamespaceNotFound',
      `Source collection ${fromDatabase}.${fromName} does not exist`,
    );
  }
  context.catalog.rename(source, toDatabase, toName, body.dropTarget === true);
  return {};
};

/** Collection and database lifecycle: create, drop, rename and list collections and databases. */
export const collectionCommands: Record<string, CommandHandler> = {
  create,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
  renameCollection,
};
