import { Document } from 'bson';
import { MongoCommandError } from './errors';
import { documentMatcher } from './query-engine';
import { canonicalKey, hasPath, renderDocument, valuesAtPath } from './values';

/** One combination of indexed values of a document: its comparable key and the `{ field: value }` shape. */
interface IndexKey {
  readonly key: string;
  readonly value: Document;
}

/**
 * An index definition as `createIndexes` received it. Only unique indexes do anything (they reject
 * duplicates); the others are kept so `listIndexes` reports them.
 */
export class StoredIndex {
  /** Comparable key → canonical `_id` of the document holding it (unique indexes only). */
  private readonly owners = new Map<string, string>();
  private readonly fields: string[];
  private readonly partial: ((document: Document) => boolean) | undefined;

  constructor(
    readonly spec: Document,
    private readonly namespace: string,
  ) {
    this.fields = Object.keys(spec.key as Document);
    const filter = spec.partialFilterExpression as Document | undefined;
    this.partial = filter ? documentMatcher(filter) : undefined;
  }

  get name(): string {
    return this.spec.name as string;
  }

  get keyPattern(): Document {
    return this.spec.key as Document;
  }

  /** The `_id_` index is unique without saying so in its definition. */
  get unique(): boolean {
    return this.name === '_id_' || this.spec.unique === true;
  }

  /**
   * Throws the E11000 error when `document` would repeat a key that another document already holds.
   * `ownerId` is the stored document being replaced, or undefined for a new document.
   */
  check(document: Document, ownerId: string | undefined): void {
    if (!this.unique) return;
    for (const { key, value } of this.keysOf(document)) {
      const owner = this.owners.get(key);
      if (owner !== undefined && owner !== ownerId) throw this.duplicateKeyError(value);
    }
  }

  add(document: Document, ownerId: string): void {
    if (!this.unique) return;
    for (const { key } of this.keysOf(document)) this.owners.set(key, ownerId);
  }

  remove(document: Document, ownerId: string): void {
    if (!this.unique) return;
    for (const { key } of this.keysOf(document)) {
      if (this.owners.get(key) === ownerId) this.owners.delete(key);
    }
  }

  /** Builds the index over existing documents, failing like MongoDB when they already hold duplicates. */
  build(documents: Iterable<[string, Document]>): void {
    for (const [ownerId, document] of documents) {
      this.check(document, ownerId);
      this.add(document, ownerId);
    }
  }

  private duplicateKeyError(value: Document): MongoCommandError {
    return new MongoCommandError(
      'DuplicateKey',
      `E11000 duplicate key error collection: ${this.namespace} index: ${this.name} dup key: ${renderDocument(value)}`,
      { keyPattern: this.keyPattern, keyValue: value },
    );
  }

  /**
   * The keys a document contributes: one per combination of values, where an array contributes each of its
   * elements (multikey) and a missing field counts as null, unless the index is sparse or partial.
   */
  private keysOf(document: Document): IndexKey[] {
    if (this.partial && !this.partial(document)) return [];
    if (this.spec.sparse === true && !this.fields.some((field) => hasPath(document, field))) return [];
    let combinations: IndexKey[] = [{ key: '', value: {} }];
    for (const field of this.fields) {
      const found = valuesAtPath(document, field);
      const values = found.length === 0 ? [null] : found;
      combinations = combinations.flatMap((partialKey) =>
        values.map((value) => ({
          key: `${partialKey.key}|${canonicalKey(value)}`,
          value: { ...partialKey.value, [field]: value },
        })),
      );
    }
    const unique = new Map(combinations.map((combination) => [combination.key, combination]));
    return [...unique.values()];
  }
}
