import { Document } from 'bson';
import { CommandHandler, collectionName, commandOptions } from '../command-context';
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
  const batchSize = isDocument(body.cursor) ? Number(body.cursor.batchSize ?? NaN) : NaN;
  return {
    cursor: context.cursors.open(
      `${context.database}.$cmd.listCollections`,
      findDocuments(entries, { filter }),
      Number.isFinite(batchSize) ? batchSize : undefined,
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

/** Collection and database lifecycle: `create`, `drop`, `dropDatabase`, `listCollections`, `listDatabases`. */
export const collectionCommands: Record<string, CommandHandler> = {
  create,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
};
