/**
 * A unique index's keys and the document holding each, so the embedded store refuses a write that
 * would give two documents the same key, as MongoDB does (E11000). Kept up to date on every write (the
 * ordered indexes catch up only when read, too late to refuse anything). As in MongoDB, a missing
 * field counts as null, so two documents without it collide, and each element of an array is a key.
 */
import type { IndexSpec, ReadDocument } from '../../../application/ports/read-store.port';
import { fieldReader } from './value-order';

export class DuplicateKeyError extends Error {}

type Key = string | number;

const NOTHING = (): void => undefined;

export class UniqueKeys {
  private readonly owners = new Map<Key, string>();
  private readonly fields: string[];
  private readonly readers: ((doc: unknown) => unknown)[];

  constructor(
    private readonly name: string,
    spec: IndexSpec,
    existing: Iterable<ReadDocument>,
  ) {
    this.fields = Object.keys(spec.key);
    this.readers = this.fields.map(fieldReader);
    for (const doc of existing) this.admit(doc, undefined)();
  }

  /**
   * Checks that `doc` (replacing `current`) shares no key with another document, throwing
   * DuplicateKeyError if it would, and returns how to record its keys: run once every unique index of
   * the collection has agreed, so a refused write changes none of them.
   */
  admit(doc: ReadDocument, current: ReadDocument | undefined): () => void {
    // The usual replace keeps the key (a ticket's number never changes): the document already holds it.
    if (current !== undefined && this.sameScalars(doc, current)) return NOTHING;
    const keys = this.keysOf(doc);
    for (const key of keys) {
      const owner = this.owners.get(key);
      if (owner !== undefined && owner !== doc._id) {
        throw new DuplicateKeyError(
          `E11000 duplicate key error: index ${this.name} dup key: { ${this.fields.join(', ')} } = ${key} ` +
            `(held by ${owner}, written for ${doc._id})`,
        );
      }
    }
    const old = current === undefined ? [] : this.keysOf(current);
    if (old.length === keys.length && old.every((key, i) => key === keys[i])) return NOTHING;
    return () => {
      for (const key of old) this.owners.delete(key);
      for (const key of keys) this.owners.set(key, doc._id);
    };
  }

  /** True when every field of the key holds the same scalar (not an array, not an object) in both. */
  private sameScalars(doc: ReadDocument, current: ReadDocument): boolean {
    for (const read of this.readers) {
      const value = read(doc);
      if (value !== read(current) || (typeof value === 'object' && value !== null)) return false;
    }
    return true;
  }

  /**
   * The document's keys. On a one-field index a number is its own key (a ticket's number: no string to
   * build and hash on every insert); other values, and keys of several fields, are typed text. A Map
   * keeps the number 5 and the text "n5" apart, so the two kinds never collide.
   */
  private keysOf(doc: ReadDocument): Key[] {
    if (this.readers.length === 1) {
      return keyParts(this.readers[0](doc)).map((part) => (typeof part === 'number' ? part : typed(part)));
    }
    let keys = [''];
    this.readers.forEach((read, i) => {
      const parts = keyParts(read(doc));
      const next: string[] = [];
      for (const prefix of keys)
        for (const part of parts) next.push(`${prefix}${i > 0 ? '\u0000' : ''}${typed(part)}`);
      keys = next;
    });
    return keys;
  }
}

/** The values a field contributes keys for: each element of an array (an empty one counts as missing). */
function keyParts(value: unknown): unknown[] {
  return Array.isArray(value) ? (value.length === 0 ? [undefined] : value) : [value];
}

/** A value as key text that keeps types apart (5 and "5"), with missing and null alike. */
function typed(value: unknown): string {
  if (value === null || value === undefined) return 'z';
  if (typeof value === 'number') return `n${value}`;
  if (typeof value === 'string') return `s${value}`;
  if (typeof value === 'boolean') return `b${value}`;
  if (value instanceof Date) return `d${value.getTime()}`;
  return `j${JSON.stringify(value)}`;
}
