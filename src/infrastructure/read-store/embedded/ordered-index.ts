/**
 * An in-memory index: the collection's documents ordered by the index keys (then `_id`), so a page of a
 * sorted list walks a few entries instead of sorting everything, and an equality or range condition on
 * the leading key is a binary search. An array value makes it multikey: one entry per distinct element.
 *
 * Writes only mark a document as changed; the index catches up when next read. A few changes are merged
 * one by one, many (a catch-up or a rebuild) by sorting once — the way a database builds an index after
 * a bulk load.
 */
import type { IndexSpec, ReadDocument } from '../../../application/ports/read-store.port';
import { compareValues, valueAt } from './value-order';

/** One index entry: the key values in index order and the document's id. */
export interface IndexEntry {
  key: unknown[];
  id: string;
}

/** Changes merged one by one below this share of the index size; above it, one full sort. */
const MERGE_RATIO = 0.05;

export class OrderedIndex {
  readonly fields: string[];
  readonly directions: (1 | -1)[];
  private entries: IndexEntry[] = [];
  private keysById = new Map<string, unknown[][]>();
  private changed = new Map<string, ReadDocument | null>();
  private arrayValued = false;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    this.directions = Object.values(spec.key);
  }

  /** True once some document had an array under an indexed field: then the index cannot serve sorts. */
  get multikey(): boolean {
    this.refresh();
    return this.arrayValued;
  }

  /** Records that a document was written (`doc`) or removed (null). */
  noteChange(id: string, doc: ReadDocument | null): void {
    this.changed.set(id, doc);
  }

  /** The entries in index order (after merging pending changes). */
  ordered(): readonly IndexEntry[] {
    this.refresh();
    return this.entries;
  }

  /** Orders two entries: by key in index directions, then by id. */
  readonly compareEntries = (a: IndexEntry, b: IndexEntry): number => {
    for (let i = 0; i < this.directions.length; i++) {
      const order = compareValues(a.key[i], b.key[i]);
      if (order !== 0) return order * this.directions[i];
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };

  /**
   * The first position whose leading key is not before `value` (`inclusive`) or is after it
   * (`!inclusive`), in index order.
   */
  boundary(value: unknown, inclusive: boolean): number {
    const entries = this.ordered();
    const direction = this.directions[0];
    let lo = 0;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const order = compareValues(entries[mid].key[0], value) * direction;
      if (order < 0 || (order === 0 && !inclusive)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private keysOf(doc: ReadDocument): unknown[][] {
    const values = this.fields.map((field) => valueAt(doc, field));
    const arrayAt = values.findIndex((value) => Array.isArray(value));
    if (arrayAt < 0) return [values];
    this.arrayValued = true;
    const elements = [...new Set(values[arrayAt] as unknown[])];
    if (elements.length === 0) return [values.map((v, i) => (i === arrayAt ? undefined : v))];
    return elements.map((element) => values.map((v, i) => (i === arrayAt ? element : v)));
  }

  private refresh(): void {
    if (this.changed.size === 0) return;
    const changes = this.changed;
    this.changed = new Map();
    if (changes.size > Math.max(64, this.entries.length * MERGE_RATIO)) {
      for (const [id, doc] of changes) {
        if (doc) this.keysById.set(id, this.keysOf(doc));
        else this.keysById.delete(id);
      }
      this.entries = [];
      for (const [id, keys] of this.keysById) for (const key of keys) this.entries.push({ key, id });
      this.entries.sort(this.compareEntries);
      return;
    }
    for (const [id, doc] of changes) this.merge(id, doc);
  }

  private merge(id: string, doc: ReadDocument | null): void {
    const before = this.keysById.get(id) ?? [];
    const after = doc ? this.keysOf(doc) : [];
    if (sameKeys(before, after)) return;
    for (const key of before) {
      const at = this.position({ key, id });
      if (at < this.entries.length && this.compareEntries(this.entries[at], { key, id }) === 0) {
        this.entries.splice(at, 1);
      }
    }
    for (const key of after) this.entries.splice(this.position({ key, id }), 0, { key, id });
    if (doc) this.keysById.set(id, after);
    else this.keysById.delete(id);
  }

  private position(entry: IndexEntry): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareEntries(this.entries[mid], entry) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function sameKeys(a: unknown[][], b: unknown[][]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < a[i].length; j++) if (compareValues(a[i][j], b[i][j]) !== 0) return false;
  }
  return true;
}
