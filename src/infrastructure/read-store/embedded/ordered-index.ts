/**
 * An in-memory index: the collection's documents ordered by the index keys (then by insertion sequence),
 * so a page of a sorted list walks a few entries instead of sorting everything, and an equality or range
 * condition on the leading key is a binary search. An array value makes it multikey: one entry per
 * distinct element.
 *
 * Memory: an entry is one 32-bit sequence number in a typed array (plus, once the index is multikey, the
 * element it stands for), and each indexed field keeps one column of its values as indexed, by sequence;
 * the documents themselves are the collection's (by sequence). Entries as objects holding a key array
 * cost ~66 bytes each here (2.6 KB per ticket over the tickets' indexes); this way an index costs about
 * 4 bytes per entry plus a pointer per document and field.
 *
 * Writes only append the document's id to the collection's change log; the index catches up when next
 * read. A few changes are merged one by one, many (a catch-up or a rebuild) by one sort of everything —
 * the way a database builds an index after a bulk load.
 */
import type { IndexSpec, ReadDocument } from '../../../application/ports/read-store.port';
import { compareValues, fieldReader } from './value-order';

/** What an index reads from its collection: the documents and the log of ids written since. */
export interface IndexSource {
  /** The documents, iterated in insertion order: the i-th has sequence i (documents are never removed). */
  readonly docs: ReadonlyMap<string, ReadDocument>;
  /** The document's insertion sequence: equal keys are ordered by it. */
  seqOf(id: string): number;
  /** The document with this insertion sequence. */
  docAtSeq(seq: number): ReadDocument;
  /** Ids written at log positions [from, end), or null when the log no longer reaches back to `from`. */
  changesSince(from: number): readonly string[] | null;
  readonly logEnd: number;
}

/** Changes merged below this share of the index size; above it, one full sort. */
const MERGE_RATIO = 0.05;
/** Up to this many changed documents are moved one at a time; more are merged in one pass. */
const ONE_BY_ONE = 8;

/** No element: the entry's document has no array under the indexed fields. */
const NONE = Symbol('no element');
/** In a column: no document of this sequence is indexed. */
const ABSENT = Symbol('not indexed');

export class OrderedIndex {
  readonly fields: string[];
  readonly directions: (1 | -1)[];
  private readonly readers: ((doc: unknown) => unknown)[];
  /** The entries in index order, as sequence numbers; `count` of them are in use. */
  private seqs = new Int32Array(0);
  private count = 0;
  /** Per entry (parallel to `seqs`), the array element it stands for; null until some document has one. */
  private elements: unknown[] | null = null;
  /**
   * Per indexed field, each sequence's value as indexed (the whole array for a multikey field): what
   * its entries are ordered by, and so what to look for when they move. Stored documents are never
   * changed in place (a write replaces them), so the references stay what was indexed.
   */
  private columns: unknown[][];
  /** Change-log position up to which this index is current; -1: never built. */
  seen = -1;
  private arrayValued = false;

  constructor(
    readonly spec: IndexSpec,
    private readonly source: IndexSource,
  ) {
    this.fields = Object.keys(spec.key);
    this.directions = Object.values(spec.key);
    this.readers = this.fields.map(fieldReader);
    this.columns = this.fields.map(() => []);
  }

  /** True once some document had an array under an indexed field: then the index cannot serve sorts. */
  get multikey(): boolean {
    this.refresh();
    return this.arrayValued;
  }

  /** How many entries there are, after catching up with the change log. Positions are [0, size). */
  size(): number {
    this.refresh();
    return this.count;
  }

  /** The document of the entry at `position` (valid until the collection's next write). */
  docAt(position: number): ReadDocument {
    return this.source.docAtSeq(this.seqs[position]);
  }

  /** The insertion sequence of the entry's document. */
  seqAt(position: number): number {
    return this.seqs[position];
  }

  /** The `component`-th key of the entry at `position` (0: the leading one). */
  private keyAt(position: number, component: number): unknown {
    return this.keyOf(
      this.seqs[position],
      this.elements === null ? NONE : this.elements[position],
      component,
    );
  }

  /** The `component`-th key of a sequence's entry for `element` (the element in its array field's place). */
  private keyOf(seq: number, element: unknown, component: number): unknown {
    const value = this.columns[component][seq];
    if (element === NONE || !Array.isArray(value)) return value;
    for (let c = 0; c < component; c++) if (Array.isArray(this.columns[c][seq])) return value;
    return element;
  }

  /**
   * The first position in [from, to) whose `component`-th key (default: the leading one) is not before
   * `value` (`inclusive`) or is after it (`!inclusive`), in index order. Within [from, to) the entries
   * must be in order on that key: the whole index for the leading key, a run of entries equal on the
   * keys before it otherwise.
   */
  boundary(value: unknown, inclusive: boolean, component = 0, from = 0, to?: number): number {
    const direction = this.directions[component];
    let lo = from;
    let hi = to ?? this.size();
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const order = quickCompare(this.keyAt(mid, component), value) * direction;
      if (order < 0 || (order === 0 && !inclusive)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The keys for a document's values (one per indexed field): one tuple per entry it makes (several
   * when a field holds an array, one per distinct element, in that field's place), and each one's element.
   */
  private keysOf(values: unknown[]): { keys: unknown[][]; elements: unknown[] } {
    const arrayAt = values.findIndex((value) => Array.isArray(value));
    if (arrayAt < 0) return { keys: [values], elements: [NONE] };
    this.arrayValued = true;
    const distinct = [...new Set(values[arrayAt] as unknown[])];
    if (distinct.length === 0) {
      return { keys: [values.map((v, i) => (i === arrayAt ? undefined : v))], elements: [undefined] };
    }
    return {
      keys: distinct.map((element) => values.map((v, i) => (i === arrayAt ? element : v))),
      elements: distinct,
    };
  }

  /** Orders the entry at `position` against a key tuple and sequence, in index order. */
  private compareTo(position: number, key: unknown[], seq: number): number {
    for (let i = 0; i < this.directions.length; i++) {
      const order = quickCompare(this.keyAt(position, i), key[i]);
      if (order !== 0) return order * this.directions[i];
    }
    return this.seqs[position] - seq;
  }

  private refresh(): void {
    const end = this.source.logEnd;
    if (this.seen === end) return;
    const changed = this.seen < 0 ? null : this.source.changesSince(this.seen);
    this.seen = end;
    if (changed === null || changed.length > Math.max(64, this.count * MERGE_RATIO)) {
      this.rebuildAll();
      return;
    }
    const ids = [...new Set(changed)];
    if (ids.length <= ONE_BY_ONE) {
      for (const id of ids) this.merge(id, this.source.docs.get(id) ?? null);
    } else {
      this.mergeMany(ids);
    }
  }

  /**
   * Takes in many changed documents in one pass: their old entries are dropped, their new ones sorted
   * and laid in between the others. Inserting them one at a time moves the whole entry array each time
   * (a search after 1,000 new tickets took 5 s at 100k tickets, ~9 words each); this costs one pass
   * plus a binary search per new entry.
   */
  private mergeMany(ids: readonly string[]): void {
    const changed = new Uint8Array(this.source.docs.size);
    const added: { seq: number; element: unknown; key: unknown[] }[] = [];
    for (const id of ids) {
      const seq = this.source.seqOf(id);
      const doc = this.source.docs.get(id) ?? null;
      changed[seq] = 1;
      const values = this.readers.map((read) => (doc ? read(doc) : ABSENT));
      this.setColumns(seq, values);
      if (!doc) continue;
      const { keys, elements } = this.keysOf(values);
      keys.forEach((key, i) => added.push({ seq, element: elements[i], key }));
    }
    if (this.arrayValued && this.elements === null) this.elements = new Array(this.count).fill(NONE);
    // The entries of unchanged documents keep their order (and their keys: only changed columns moved).
    const before = this.elements;
    const kept = new Int32Array(this.count);
    const keptElements: unknown[] | null = before ? new Array<unknown>(this.count) : null;
    let size = 0;
    for (let p = 0; p < this.count; p++) {
      if (changed[this.seqs[p]] === 1) continue;
      if (keptElements) keptElements[size] = (before as unknown[])[p];
      kept[size++] = this.seqs[p];
    }
    this.seqs = kept;
    this.elements = keptElements;
    this.count = size;
    added.sort((a, b) => compareKeys(a.key, b.key, this.directions) || a.seq - b.seq);
    // Where each new entry goes among the kept ones (non-decreasing, as they are sorted).
    const at = added.map(({ key, seq }) => this.position(key, seq));
    const total = size + added.length;
    const seqs = new Int32Array(total);
    const elements: unknown[] | null = keptElements ? new Array<unknown>(total) : null;
    let from = 0;
    let to = 0;
    const copyKept = (until: number): void => {
      seqs.set(kept.subarray(from, until), to);
      if (elements)
        for (let p = from; p < until; p++) elements[to + p - from] = (keptElements as unknown[])[p];
      to += until - from;
      from = until;
    };
    added.forEach((entry, i) => {
      copyKept(at[i]);
      if (elements) elements[to] = entry.element;
      seqs[to++] = entry.seq;
    });
    copyKept(size);
    this.seqs = seqs;
    this.elements = elements;
    this.count = total;
  }

  /** Takes in every document, then sorts the entries by (keys, sequence). */
  private rebuildAll(): void {
    const columns: unknown[][] = this.fields.map(() => []);
    const seqs: number[] = [];
    const elements: unknown[] = [];
    const width = this.readers.length;
    this.arrayValued = false;
    let seq = 0;
    for (const doc of this.source.docs.values()) {
      let array: unknown[] | null = null;
      for (let c = 0; c < width; c++) {
        const value = this.readers[c](doc);
        columns[c].push(value);
        if (array === null && Array.isArray(value)) array = value;
      }
      if (array === null) {
        seqs.push(seq);
        elements.push(NONE);
      } else {
        this.arrayValued = true;
        for (const element of array.length === 0 ? [undefined] : new Set(array)) {
          seqs.push(seq);
          elements.push(element);
        }
      }
      seq++;
    }
    this.columns = columns;
    this.count = seqs.length;
    if (!this.arrayValued) {
      // One entry per document, so entry e is sequence e: sort the sequences by the columns.
      this.elements = null;
      // A plain array's sort (TimSort) takes runs already in order in one pass, and most indexes here
      // follow creation order (or its reverse); a typed array's sort does not.
      this.seqs = Int32Array.from(seqs.sort(columnOrder(columns, this.directions)));
      return;
    }
    // Several entries per document: sort entry numbers (each one's sequence and element in reach), then
    // lay the sequences and elements out in that order.
    const order = Array.from(seqs, (_, e) => e).sort((a, b) => {
      for (let c = 0; c < width; c++) {
        const byKey = quickCompare(this.keyOf(seqs[a], elements[a], c), this.keyOf(seqs[b], elements[b], c));
        if (byKey !== 0) return byKey * this.directions[c];
      }
      return seqs[a] - seqs[b];
    });
    this.seqs = Int32Array.from(order, (e) => seqs[e]);
    this.elements = Array.from(order, (e) => elements[e]);
  }

  /** Moves one document's entries to where its new keys belong (or drops them, or adds them). */
  private merge(id: string, doc: ReadDocument | null): void {
    const seq = this.source.seqOf(id);
    const indexed = seq < this.columns[0].length && this.columns[0][seq] !== ABSENT;
    const old = indexed ? this.keysOf(this.columns.map((column) => column[seq])) : null;
    const next = doc ? this.keysOf(this.readers.map((read) => read(doc))) : null;
    const same = old !== null && next !== null && sameTuples(old.keys, next.keys);
    if (old && !same) {
      for (const key of old.keys) {
        const at = this.position(key, seq);
        if (at < this.count && this.seqs[at] === seq && this.compareTo(at, key, seq) === 0) this.remove(at);
      }
    }
    // The columns take the new values (an array is kept whole, so even equal keys take the new one).
    this.setColumns(
      seq,
      this.readers.map((read) => (doc ? read(doc) : ABSENT)),
    );
    if (next && !same) {
      if (this.arrayValued && this.elements === null) this.elements = new Array(this.count).fill(NONE);
      next.keys.forEach((key, i) => this.insert(this.position(key, seq), seq, next.elements[i]));
    }
  }

  /** Records a sequence's values as indexed (ABSENT: no document), one per field. */
  private setColumns(seq: number, values: readonly unknown[]): void {
    values.forEach((value, c) => {
      const column = this.columns[c];
      while (column.length < seq) column.push(ABSENT);
      column[seq] = value;
    });
  }

  /** The first position whose entry is not before (key, seq). */
  private position(key: unknown[], seq: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareTo(mid, key, seq) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private insert(at: number, seq: number, element: unknown): void {
    if (this.count === this.seqs.length) {
      const grown = new Int32Array(Math.max(16, this.count * 2));
      grown.set(this.seqs.subarray(0, this.count));
      this.seqs = grown;
    }
    this.seqs.copyWithin(at + 1, at, this.count);
    this.seqs[at] = seq;
    this.elements?.splice(at, 0, element);
    this.count++;
  }

  private remove(at: number): void {
    this.seqs.copyWithin(at, at + 1, this.count);
    this.elements?.splice(at, 1);
    this.count--;
  }
}

/** Orders sequence numbers by their values in the columns (index directions), then by sequence. */
function columnOrder(columns: unknown[][], directions: (1 | -1)[]): (a: number, b: number) => number {
  if (columns.length === 1) {
    const [values] = columns;
    const [direction] = directions;
    return (a, b) => quickCompare(values[a], values[b]) * direction || a - b;
  }
  return (a, b) => {
    for (let c = 0; c < columns.length; c++) {
      const order = quickCompare(columns[c][a], columns[c][b]);
      if (order !== 0) return order * directions[c];
    }
    return a - b;
  };
}

/** Orders two key tuples in index directions. */
function compareKeys(x: readonly unknown[], y: readonly unknown[], directions: readonly (1 | -1)[]): number {
  for (let c = 0; c < directions.length; c++) {
    const order = quickCompare(x[c], y[c]);
    if (order !== 0) return order * directions[c];
  }
  return 0;
}

/** compareValues with the common cases (two strings, two numbers) first. */
function quickCompare(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareValues(a, b);
}

function sameTuples(a: unknown[][], b: unknown[][]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < a[i].length; j++) if (compareValues(a[i][j], b[i][j]) !== 0) return false;
  }
  return true;
}
