/**
 * An in-memory index: the collection's documents ordered by the index keys (then by insertion sequence),
 * so a page of a sorted list walks a few entries instead of sorting everything, and an equality or range
 * condition on the leading key is a binary search. An array value makes it multikey: one entry per
 * distinct element.
 *
 * Memory: an entry is one 32-bit sequence number in a typed array (plus, once the index is multikey, a
 * 32-bit slot: which element of the document's array it stands for), and each indexed field keeps one
 * column of its values as indexed, by sequence;
 * the documents themselves are the collection's (by sequence). Entries as objects holding a key array
 * cost ~66 bytes each here (2.6 KB per ticket over the tickets' indexes); this way an index costs about
 * 4 bytes per entry plus a pointer per document and field.
 *
 * Writes only append the document's id to the collection's change log; the index catches up when next
 * read. Changes are merged in (moving the entries between them as whole runs), many (a catch-up or a
 * rebuild) by one sort of everything — the way a database builds an index after a bulk load.
 */
import type { IndexSpec, ReadDocument } from '../../../application/ports/read-store.port';
import type { DocumentsById } from './document-table';
import { compareValues, fieldReader } from './value-order';

/** What an index reads from its collection: the documents and the log of ids written since. */
export interface IndexSource {
  /** The documents, iterated in insertion order: the i-th has sequence i (documents are never removed). */
  readonly docs: DocumentsById;
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

/**
 * An entry's slot: which element of its document's array it stands for, as the element's first index
 * in that array. NO_SLOT: the document has no array under the indexed fields; EMPTY_SLOT: the array is
 * empty (one entry, keyed like a missing value).
 */
const NO_SLOT = -1;
const EMPTY_SLOT = -2;
/** In a column: no document of this sequence is indexed. */
const ABSENT = Symbol('not indexed');

export class OrderedIndex {
  readonly fields: string[];
  readonly directions: (1 | -1)[];
  private readonly readers: ((doc: unknown) => unknown)[];
  /** The entries in index order, as sequence numbers; `count` of them are in use. */
  private seqs = new Int32Array(0);
  private count = 0;
  /** Per entry (parallel to `seqs`), its slot; null until some document has an array. */
  private slots: Int32Array | null = null;
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
    return this.keyOf(this.seqs[position], this.slots === null ? NO_SLOT : this.slots[position], component);
  }

  /** The `component`-th key of a sequence's entry in `slot` (its element in the array field's place). */
  private keyOf(seq: number, slot: number, component: number): unknown {
    const value = this.columns[component][seq];
    if (slot === NO_SLOT || !Array.isArray(value)) return value;
    for (let c = 0; c < component; c++) if (Array.isArray(this.columns[c][seq])) return value;
    return slot === EMPTY_SLOT ? undefined : (value as unknown[])[slot];
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
   * when a field holds an array, one per distinct element, in that field's place), and each one's slot.
   */
  private keysOf(values: unknown[]): { keys: unknown[][]; slots: number[] } {
    const arrayAt = values.findIndex((value) => Array.isArray(value));
    if (arrayAt < 0) return { keys: [values], slots: [NO_SLOT] };
    this.arrayValued = true;
    const slots = distinctSlots(values[arrayAt] as unknown[]);
    const array = values[arrayAt] as unknown[];
    return {
      keys: slots.map((slot) =>
        values.map((v, i) => (i !== arrayAt ? v : slot === EMPTY_SLOT ? undefined : array[slot])),
      ),
      slots,
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
    this.merge([...new Set(changed)]);
  }

  /**
   * Takes in changed documents: their old entries leave, their new ones come in, and the entries in
   * between move at most twice, as whole runs (memory copies), never one entry at a time. Where each
   * entry goes is found by binary search while every column still holds what was indexed, so the
   * array is in order for every search; the columns take the new values last. A search after one new
   * ticket (9 words) at 100k tickets moved the 900k-entry word index once per word and once more for
   * the elements' pointer array (7.6 ms); now it is two copies of two typed arrays.
   */
  private merge(ids: readonly string[]): void {
    const removals: number[] = [];
    const added: { seq: number; slot: number; key: unknown[] }[] = [];
    const updates: { seq: number; values: unknown[] }[] = [];
    for (const id of ids) {
      const seq = this.source.seqOf(id);
      const doc = this.source.docs.get(id) ?? null;
      const indexed = seq < this.columns[0].length && this.columns[0][seq] !== ABSENT;
      const values = this.readers.map((read) => (doc ? read(doc) : ABSENT));
      // The columns take the new values even when the keys stay (an array is kept whole).
      updates.push({ seq, values });
      const old = indexed ? this.keysOf(this.columns.map((column) => column[seq])) : null;
      const next = doc ? this.keysOf(values) : null;
      // Kept only when the entries stay the same, slots included: an array entry reads its element by
      // position, so ['p', 'q'] becoming ['p', 'p', 'q'] (or 'x' becoming ['x']) must move its entries.
      if (
        old !== null &&
        next !== null &&
        sameTuples(old.keys, next.keys) &&
        sameSlots(old.slots, next.slots)
      )
        continue;
      for (const key of old?.keys ?? []) {
        const at = this.position(key, seq);
        if (at < this.count && this.seqs[at] === seq && this.compareTo(at, key, seq) === 0) removals.push(at);
      }
      next?.keys.forEach((key, i) => added.push({ seq, slot: next.slots[i], key }));
    }
    added.sort((a, b) => compareKeys(a.key, b.key, this.directions) || a.seq - b.seq);
    // Where each new entry goes among the present ones (non-decreasing, as they are sorted).
    const at = added.map(({ key, seq }) => this.position(key, seq));
    for (const { seq, values } of updates) this.setColumns(seq, values);
    if (this.arrayValued && this.slots === null) this.slots = new Int32Array(this.seqs.length).fill(NO_SLOT);
    removals.sort((a, b) => a - b);
    this.removeAll(removals);
    // A new entry goes before an old one at its position, so only removals before it shift it.
    let removed = 0;
    for (let i = 0; i < at.length; i++) {
      while (removed < removals.length && removals[removed] < at[i]) removed++;
      at[i] -= removed;
    }
    this.insertAll(at, added);
  }

  /** Drops the entries at these ascending positions, moving each run between them left once. */
  private removeAll(positions: readonly number[]): void {
    if (positions.length === 0) return;
    let write = positions[0];
    for (let r = 0; r < positions.length; r++) {
      const from = positions[r] + 1;
      const to = r + 1 < positions.length ? positions[r + 1] : this.count;
      this.seqs.copyWithin(write, from, to);
      this.slots?.copyWithin(write, from, to);
      write += to - from;
    }
    this.count -= positions.length;
  }

  /** Inserts entries at these non-decreasing positions, moving each run between them right once. */
  private insertAll(positions: readonly number[], entries: readonly { seq: number; slot: number }[]): void {
    if (entries.length === 0) return;
    const total = this.count + entries.length;
    if (total > this.seqs.length) {
      const capacity = Math.max(16, total * 2);
      const seqs = new Int32Array(capacity);
      seqs.set(this.seqs.subarray(0, this.count));
      this.seqs = seqs;
      if (this.slots) {
        const slots = new Int32Array(capacity).fill(NO_SLOT);
        slots.set(this.slots.subarray(0, this.count));
        this.slots = slots;
      }
    }
    let end = this.count;
    let write = total;
    for (let i = entries.length - 1; i >= 0; i--) {
      const from = positions[i];
      write -= end - from;
      this.seqs.copyWithin(write, from, end);
      this.slots?.copyWithin(write, from, end);
      end = from;
      write--;
      this.seqs[write] = entries[i].seq;
      if (this.slots) this.slots[write] = entries[i].slot;
    }
    this.count = total;
  }

  /** Takes in every document, then sorts the entries by (keys, sequence). */
  private rebuildAll(): void {
    const columns: unknown[][] = this.fields.map(() => []);
    const seqs: number[] = [];
    const slots: number[] = [];
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
        slots.push(NO_SLOT);
      } else {
        this.arrayValued = true;
        for (const slot of distinctSlots(array)) {
          seqs.push(seq);
          slots.push(slot);
        }
      }
      seq++;
    }
    this.columns = columns;
    this.count = seqs.length;
    if (!this.arrayValued) {
      // One entry per document, so entry e is sequence e: sort the sequences by the columns.
      this.slots = null;
      // A plain array's sort (TimSort) takes runs already in order in one pass, and most indexes here
      // follow creation order (or its reverse); a typed array's sort does not.
      this.seqs = withRoom(seqs.sort(columnOrder(columns, this.directions)));
      return;
    }
    // Several entries per document: sort entry numbers (each one's sequence and slot in reach), then
    // lay the sequences and slots out in that order.
    const order = Array.from(seqs, (_, e) => e).sort((a, b) => {
      for (let c = 0; c < width; c++) {
        const byKey = quickCompare(this.keyOf(seqs[a], slots[a], c), this.keyOf(seqs[b], slots[b], c));
        if (byKey !== 0) return byKey * this.directions[c];
      }
      return seqs[a] - seqs[b];
    });
    this.seqs = withRoom(order.map((e) => seqs[e]));
    this.slots = withRoom(order.map((e) => slots[e]));
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

/** A typed array of the values with a quarter more room, so the first changes do not reallocate it. */
function withRoom(values: readonly number[]): Int32Array<ArrayBuffer> {
  const array = new Int32Array(values.length + (values.length >> 2) + 16);
  array.set(values);
  return array;
}

/** The slots of an array's entries: the first index of each distinct element ([EMPTY_SLOT] when empty). */
function distinctSlots(array: readonly unknown[]): number[] {
  if (array.length === 0) return [EMPTY_SLOT];
  if (array.length === 1) return [0];
  const seen = new Set<unknown>();
  const slots: number[] = [];
  for (let i = 0; i < array.length; i++) {
    if (seen.has(array[i])) continue;
    seen.add(array[i]);
    slots.push(i);
  }
  return slots;
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

function sameSlots(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((slot, i) => slot === b[i]);
}
