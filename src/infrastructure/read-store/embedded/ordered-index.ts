/**
 * An in-memory index: the collection's documents ordered by the index keys (then by insertion sequence),
 * so a page of a sorted list walks a few entries instead of sorting everything, and an equality or range
 * condition on the leading key is a binary search. An array value makes it multikey: one entry per
 * distinct element. Entries point at the documents, so counting or testing candidates needs no lookups.
 *
 * Writes only append the document's id to the collection's change log; the index catches up when next
 * read. A few changes are merged one by one, many (a catch-up or a rebuild) by one stable sort of
 * everything — the way a database builds an index after a bulk load. Keys are kept as plain values for
 * one-field indexes and as arrays for compound ones, so a build allocates little.
 */
import type { IndexSpec, ReadDocument } from '../../../application/ports/read-store.port';
import { compareValues, valueAt } from './value-order';

/** One index entry: its key (the value, or the values for a compound index), sequence and document. */
export interface IndexEntry {
  key: unknown;
  seq: number;
  doc: ReadDocument;
}

type EntryKey = Pick<IndexEntry, 'key' | 'seq'>;

/** What an index reads from its collection: the documents and the log of ids written since. */
export interface IndexSource {
  /** The documents, iterated in insertion order: the i-th has sequence i (documents are never removed). */
  readonly docs: ReadonlyMap<string, ReadDocument>;
  /** The document's insertion sequence: equal keys stay in this order, so a bulk build needs a stable sort only. */
  seqOf(id: string): number;
  /** Ids written at log positions [from, end), or null when the log no longer reaches back to `from`. */
  changesSince(from: number): readonly string[] | null;
  readonly logEnd: number;
}

/** The keys of a document that has several (an array under the indexed field). */
class Several {
  constructor(readonly keys: unknown[]) {}
}

/** Changes merged one by one below this share of the index size; above it, one full sort. */
const MERGE_RATIO = 0.05;

export class OrderedIndex {
  readonly fields: string[];
  readonly directions: (1 | -1)[];
  private readonly compound: boolean;
  private entries: IndexEntry[] = [];
  /** Each document's key(s) as indexed, by sequence: what to remove when it changes. */
  private keysBySeq: unknown[] = [];
  /** Change-log position up to which this index is current; -1: never built. */
  seen = -1;
  private arrayValued = false;

  constructor(
    readonly spec: IndexSpec,
    private readonly source: IndexSource,
  ) {
    this.fields = Object.keys(spec.key);
    this.directions = Object.values(spec.key);
    this.compound = this.fields.length > 1;
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

  /** The leading key of an entry. */
  leading(entry: IndexEntry): unknown {
    return this.compound ? (entry.key as unknown[])[0] : entry.key;
  }

  /** The `component`-th key of an entry (0: the leading one). */
  private component(entry: IndexEntry, component: number): unknown {
    return this.compound ? (entry.key as unknown[])[component] : entry.key;
  }

  /** Orders two entries by key, in index directions. */
  private readonly compareKeys = (a: EntryKey, b: EntryKey): number => {
    if (!this.compound) return quickCompare(a.key, b.key) * this.directions[0];
    const x = a.key as unknown[];
    const y = b.key as unknown[];
    for (let i = 0; i < this.directions.length; i++) {
      const order = quickCompare(x[i], y[i]);
      if (order !== 0) return order * this.directions[i];
    }
    return 0;
  };

  /** Orders two entries: by key in index directions, then by insertion sequence. */
  readonly compareEntries = (a: EntryKey, b: EntryKey): number => this.compareKeys(a, b) || a.seq - b.seq;

  /**
   * The first position in [from, to) whose `component`-th key (default: the leading one) is not before
   * `value` (`inclusive`) or is after it (`!inclusive`), in index order. Within [from, to) the entries
   * must be in order on that key: the whole index for the leading key, a run of entries equal on the
   * keys before it otherwise.
   */
  boundary(value: unknown, inclusive: boolean, component = 0, from = 0, to?: number): number {
    const entries = this.ordered();
    const direction = this.directions[component];
    let lo = from;
    let hi = to ?? entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const order = quickCompare(this.component(entries[mid], component), value) * direction;
      if (order < 0 || (order === 0 && !inclusive)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The document's key: a value, an array of values (compound), or Several (multikey). */
  private keyOf(doc: ReadDocument): unknown {
    if (!this.compound) {
      const value = valueAt(doc, this.fields[0]);
      if (!Array.isArray(value)) return value;
      this.arrayValued = true;
      return value.length === 0 ? undefined : new Several([...new Set(value)]);
    }
    const values = this.fields.map((field) => valueAt(doc, field));
    const arrayAt = values.findIndex((value) => Array.isArray(value));
    if (arrayAt < 0) return values;
    this.arrayValued = true;
    const elements = [...new Set(values[arrayAt] as unknown[])];
    if (elements.length === 0) return values.map((v, i) => (i === arrayAt ? undefined : v));
    return new Several(elements.map((element) => values.map((v, i) => (i === arrayAt ? element : v))));
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
    const entries: IndexEntry[] = [];
    const keysBySeq: unknown[] = [];
    let seq = 0;
    for (const doc of this.source.docs.values()) {
      const key = this.keyOf(doc);
      keysBySeq.push(key);
      if (key instanceof Several) for (const one of key.keys) entries.push({ key: one, seq, doc });
      else entries.push({ key, seq, doc });
      seq++;
    }
    entries.sort(this.compareKeys);
    this.entries = entries;
    this.keysBySeq = keysBySeq;
  }

  private merge(id: string, doc: ReadDocument | null): void {
    const seq = this.source.seqOf(id);
    const before = this.keysBySeq[seq];
    const hadEntries = seq < this.keysBySeq.length;
    const after = doc ? this.keyOf(doc) : undefined;
    const listed = (key: unknown): unknown[] => (key instanceof Several ? key.keys : [key]);
    if (doc && hadEntries && sameKeys(listed(before), listed(after))) {
      for (const key of listed(before)) {
        const entry = this.entries[this.position({ key, seq })];
        if (entry && entry.seq === seq) entry.doc = doc;
      }
      return;
    }
    if (hadEntries) {
      for (const key of listed(before)) {
        const at = this.position({ key, seq });
        if (at < this.entries.length && this.compareEntries(this.entries[at], { key, seq }) === 0) {
          this.entries.splice(at, 1);
        }
      }
    }
    if (doc) {
      for (const key of listed(after)) this.entries.splice(this.position({ key, seq }), 0, { key, seq, doc });
      while (this.keysBySeq.length < seq) this.keysBySeq.push(undefined);
      this.keysBySeq[seq] = after;
    }
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

function sameKeys(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (compareValues(a[i], b[i]) !== 0) return false;
  return true;
}
