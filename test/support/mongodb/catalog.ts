import { MongoCommandError } from './errors';
import { StoredCollection } from './stored-collection';

/** Every database and collection the server holds, all in memory, created on first write like mongod. */
export class Catalog {
  private readonly databases = new Map<string, Map<string, StoredCollection>>();

  /** The collection if it exists. */
  find(database: string, name: string): StoredCollection | undefined {
    return this.databases.get(database)?.get(name);
  }

  /** The collection, created empty when missing (implicit creation on insert, update, createIndexes). */
  obtain(database: string, name: string): StoredCollection {
    return this.create(database, name, {});
  }

  /** Creates a collection explicitly (the `create` command), keeping its options for `listCollections`. */
  create(database: string, name: string, options: Record<string, unknown>): StoredCollection {
    const existing = this.find(database, name);
    if (existing) return existing;
    assertValidName(database, name);
    return this.add(new StoredCollection(database, name, options));
  }

  private add(collection: StoredCollection): StoredCollection {
    let collections = this.databases.get(collection.database);
    if (!collections) {
      collections = new Map();
      this.databases.set(collection.database, collections);
    }
    collections.set(collection.name, collection);
    return collection;
  }

  /** Returns false when there was no such collection. */
  drop(database: string, name: string): boolean {
    const collections = this.databases.get(database);
    const dropped = collections?.delete(name) ?? false;
    if (collections && collections.size === 0) this.databases.delete(database);
    return dropped;
  }

  /**
   * Moves a collection to another namespace with its documents, indexes and options (what
   * `renameCollection` does); the target is replaced when `dropTarget` is set.
   */
  rename(from: StoredCollection, toDatabase: string, toName: string, dropTarget: boolean): void {
    if (this.find(toDatabase, toName)) {
      if (!dropTarget) throw new MongoCommandError('NamespaceExists', 'target namespace exists');
      this.drop(toDatabase, toName);
    }
    assertValidName(toDatabase, toName);
    const moved = new StoredCollection(toDatabase, toName, from.options);
    for (const spec of from.indexSpecs().slice(1)) moved.createIndex(spec);
    for (const document of from.snapshot()) moved.insert(document);
    this.drop(from.database, from.name);
    this.add(moved);
  }

  dropDatabase(database: string): void {
    this.databases.delete(database);
  }

  collections(database: string): StoredCollection[] {
    return [...(this.databases.get(database)?.values() ?? [])];
  }

  databaseNames(): string[] {
    return [...this.databases.keys()];
  }
}

function assertValidName(database: string, name: string): void {
  if (!name || name.includes('$') || name.startsWith('.') || name.endsWith('.')) {
    throw new MongoCommandError('InvalidNamespace', `Invalid namespace specified '${database}.${name}'`);
  }
}
