/**
 * An in-memory index: the collection's documents ordered by the index keys (then `_id`), so a page of a
 * sorted list walks a few entries instead of sorting everything, and an equality or range condition on
 * the leading key is a binary search. An array value makes it multikey: one entry per distinct element.
 * Entries point at the documents, so counting or testing candidates needs no lookups.
 *
 * Writes only append the document's id to the collection's change log; the index catches up when next
 * read. A few changes are merged one by one, many (a catch-up or a rebuild) by one sort of everything —
 * the way a database builds an index after a bulk load.
 */
import type { IndexSpec, ReadDocument } from '../../../application/ports/read-store.port';
import { compareValues, valueAt } from './value-order';

/** One index entry: the key values in index order, the document's insertion sequence and the document. */
export interface IndexEntry {
  key: unknown[];
  seq: number;
  doc: ReadDocument;
}

type EntryKey = Pick<IndexEntry, 'key' | 'seq'>;

/** What an index reads from its collection: the documents and the log of ids written since. */
export interface IndexSource {
  /** The documents, iterated in insertion order (= sequence order). */
  readonly docs: ReadonlyMap<string, ReadDocument>;
  /** The document's insertion sequence: equal keys stay in this order, so a bulk build needs a stable sort only. */
  seqOf(id: string): number;
  /** Ids written at log positions [from, end), or null when the log no longer reaches back to `from`. */
  changesSince(from: number): readonly string[] | null;
  readonly logEnd: number;
}

/** Changes merged one by one below this share of the index size; above it, one full sort. */
const MERGE_RATIO = 0.05;

export class OrderedIndex {
  readonly fields: string[];
  readonly directions: (1 | -1)[];
  private entries: IndexEntry[] = [];
  private keysById = new Map<string, unknown[][]>();
  /** Change-log position up to which this index is current. */
  seen = -1;
  private arrayValued = false;

  constructor(
    readonly spec: IndexSpec,
    private readonly source: IndexSource,
  ) {
    this.fields = Object.keys(spec.key);
    this.directions = Object.values(spec.key);
  }

  /** True once some document had an array under an indexed field: then the index cannot serve sorts. */
  get multikey(): boolean {
    this.refresh();
    return this.arrayValued;
  }

  /** The entries in index order (after catching up with the change log). */
  ordered(): readonly IndexEntry[] {
    this.refresh();
    return this.entries;
  }

  /** Orders two entries by key, in index directions. */
  private readonly compareKeys = (a: EntryKey, b: EntryKey): number => {
    for (let i = 0; i < this.directions.length; i++) {
      const order = quickCompare(a.key[i], b.key[i]);
      if (order !== 0) return order * this.directions[i];
    }
    return 0;
  };

  /** Orders two entries: by key in index directions, then by insertion sequence. */
  readonly compareEntries = (a: EntryKey, b: EntryKey): number => this.compareKeys(a, b) || a.seq - b.seq;

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
      const order = quickCompare(entries[mid].key[0], value) * direction;
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
    const end = this.source.logEnd;
    if (this.seen === end) return;
    const changed = this.seen < 0 ? null : this.source.changesSince(this.seen);
    this.seen = end;
    if (changed === null || changed.length > Math.max(64, this.entries.length * MERGE_RATIO)) {
      this.rebuildAll();
      return;
    }
    for (const id of new Set(changed)) this.merge(id, this.source.docs.get(id) ?? null);
  }

  /** Entries are made in sequence order and sorted stably by key: (key, sequence) order, cheaply. */
  private rebuildAll(): void {
    this.keysById = new Map();
    this.entries = [];
    for (const [id, doc] of this.source.docs) {
      const keys = this.keysOf(doc);
      const seq = this.source.seqOf(id);
      this.keysById.set(id, keys);
      for (const key of keys) this.entries.push({ key, seq, doc });
    }
    this.entries.sort(this.compareKeys);
  }

  private merge(id: string, doc: ReadDocument | null): void {
    const seq = this.source.seqOf(id);
    const before = this.keysById.get(id) ?? [];
    const after = doc ? this.keysOf(doc) : [];
    if (doc && sameKeys(before, after)) {
      for (const key of before) this.entries[this.position({ key, seq })].doc = doc;
      return;
    }
    for (const key of before) {
      const at = this.position({ key, seq });
      if (at < this.entries.length && this.compareEntries(this.entries[at], { key, seq }) === 0) {
        this.entries.splice(at, 1);
      }
    }
    if (doc) for (const key of after) this.entries.splice(this.position({ key, seq }), 0, { key, seq, doc });
    if (doc) this.keysById.set(id, after);
    else this.keysById.delete(id);
  }

  private position(entry: EntryKey): number {
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

/** compareValues with the common cases (two strings, two numbers) first. */
function quickCompare(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareValues(a, b);
}

function sameKeys(a: unknown[][], b: unknown[][]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < a[i].length; j++) if (compareValues(a[i][j], b[i][j]) !== 0) return false;
  }
  return true;
}
