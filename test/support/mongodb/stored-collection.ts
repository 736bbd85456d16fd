import { randomUUID } from 'node:crypto';
import { Binary, Document, ObjectId } from 'bson';
import { MongoCommandError } from './errors';
import { StoredIndex } from './stored-index';
import { canonicalKey, isDocument, renderValue, sameValue } from './values';

const ID_INDEX_SPEC: Document = { v: 2, key: { _id: 1 }, name: '_id_' };

/** Puts `_id` first, generating an ObjectId when the document has none, as mongod does on insert. */
export function withId(document: Document): Document {
  if (document._id !== undefined && Object.keys(document)[0] === '_id') return document;
  const { _id: id, ...rest } = document;
  return { _id: id === undefined ? new ObjectId() : id, ...rest };
}

/**
 * One collection held in memory. Documents are stored copy-on-write: a write puts a new object in place of
 * the old one and never mutates a stored document, so a cursor holding the previous objects keeps seeing
 * the data as it was when it was opened.
 */
export class StoredCollection {
  /** Canonical `_id` → document, in insertion (natural) order. */
  private readonly documents = new Map<string, Document>();
  private readonly indexes: StoredIndex[];
  readonly uuid = new Binary(Buffer.from(randomUUID().replace(/-/g, ''), 'hex'), Binary.SUBTYPE_UUID);

  constructor(
    readonly database: string,
    readonly name: string,
    readonly options: Document = {},
  ) {
    this.indexes = [new StoredIndex(ID_INDEX_SPEC, this.namespace)];
  }

  get namespace(): string {
    return `${this.database}.${this.name}`;
  }

  get count(): number {
    return this.documents.size;
  }

  /** The current documents; later writes replace entries, so this array stays as it is. */
  snapshot(): Document[] {
    return [...this.documents.values()];
  }

  /**
   * The documents a filter can match, in natural order: just one when the filter names a literal `_id`
   * (the `_id` index lookup), otherwise all of them. Callers still apply the whole filter.
   */
  candidates(filter: Document | undefined): Document[] {
    const id = filter?._id;
    const literal =
      id !== undefined && !(isDocument(id) && Object.keys(id).some((key) => key.startsWith('$')));
    if (!literal || id instanceof RegExp || Array.isArray(id)) return this.snapshot();
    const document = this.documents.get(canonicalKey(id));
    return document ? [document] : [];
  }

  insert(document: Document): Document {
    const stored = withId(document);
    const id = canonicalKey(stored._id);
    for (const index of this.indexes) index.check(stored, undefined);
    for (const index of this.indexes) index.add(stored, id);
    this.documents.set(id, stored);
    return stored;
  }

  /** Swaps a stored document for its updated version, enforcing `_id` immutability and unique indexes. */
  replace(previous: Document, next: Document): void {
    if (!sameValue(previous._id, next._id)) {
      throw new MongoCommandError(
        'ImmutableField',
        `Performing an update on the path '_id' would modify the immutable field '_id'`,
      );
    }
    const id = canonicalKey(previous._id);
    for (const index of this.indexes) index.remove(previous, id);
    try {
      for (const index of this.indexes) index.check(next, id);
    } catch (error) {
      for (const index of this.indexes) index.add(previous, id);
      throw error;
    }
    for (const index of this.indexes) index.add(next, id);
    this.documents.set(id, next);
  }

  remove(document: Document): void {
    const id = canonicalKey(document._id);
    for (const index of this.indexes) index.remove(document, id);
    this.documents.delete(id);
  }

  indexSpecs(): Document[] {
    return this.indexes.map((index) => index.spec);
  }

  /** Adds an index; returns false when an identical one already exists. */
  createIndex(spec: Document): boolean {
    const name = spec.name as string;
    const sameName = this.indexes.find((index) => index.name === name);
    const sameKey = this.indexes.find((index) => sameValue(index.keyPattern, spec.key));
    if (sameName) {
      const identical =
        sameValue(sameName.keyPattern, spec.key) &&
        sameValue(indexOptions(sameName.spec), indexOptions(spec));
      if (identical) return false;
      throw new MongoCommandError(
        'IndexKeySpecsConflict',
        `An existing index has the same name as the requested index. Requested index: ${renderValue(spec)}, existing index: ${renderValue(sameName.spec)}`,
      );
    }
    if (sameKey) {
      throw new MongoCommandError(
        'IndexOptionsConflict',
        `An equivalent index already exists with a different name and options. Requested index: ${renderValue(spec)}, existing index: ${renderValue(sameKey.spec)}`,
      );
    }
    const { key, name: _name, v: _version, ...options } = spec;
    const index = new StoredIndex({ v: 2, key, name, ...options }, this.namespace);
    index.build(this.documents.entries());
    this.indexes.push(index);
    return true;
  }

  /** Drops the named index; the `_id_` index cannot be dropped. */
  dropIndex(name: string): void {
    if (name === '_id_') throw new MongoCommandError('InvalidOptions', 'cannot drop _id index');
    const position = this.indexes.findIndex((index) => index.name === name);
    if (position < 0) throw new MongoCommandError('IndexNotFound', `index not found with name [${name}]`);
    this.indexes.splice(position, 1);
  }

  findIndexNameByKey(key: Document): string {
    const index = this.indexes.find((candidate) => sameValue(candidate.keyPattern, key));
    if (!index)
      throw new MongoCommandError('IndexNotFound', `can't find index with key: ${renderValue(key)}`);
    return index.name;
  }

  dropAllIndexesButId(): void {
    this.indexes.splice(1);
  }

  /** Removes every document but keeps the indexes (used by `$out`). */
  clear(): void {
    for (const document of this.snapshot()) this.remove(document);
  }
}

/** An index's options as MongoDB compares them for "the same index": all but its key, name and version. */
function indexOptions(spec: Document): Document {
  const { key: _key, name: _name, v: _version, ns: _namespace, ...options } = spec;
  if (options.unique === false) delete options.unique;
  return options;
}
