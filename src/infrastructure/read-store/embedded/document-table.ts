import type { ReadDocument } from '../../../application/ports/read-store.port';

/** What indexes and plans read of a collection's documents. */
export interface DocumentsById {
  readonly size: number;
  get(id: string): ReadDocument | undefined;
  /** In insertion order: the i-th document has sequence i. */
  values(): IterableIterator<ReadDocument>;
}

/**
 * A collection's documents: an array in insertion order (a document's sequence is its place there;
 * documents are never removed) and one map from id to sequence. Replacing a stored document is one
 * lookup and an array store. Separate maps for documents and sequences took three lookups, and at
 * 100k documents each lookup is a few cache misses: a rebuild replaces a document for every event.
 */
export class DocumentTable implements DocumentsById {
  private readonly seqs = new Map<string, number>();
  private readonly rows: ReadDocument[] = [];
  /** The last id looked up and its sequence: a write usually follows a read of the same document. */
  private lastId: string | undefined;
  private lastSeq = -1;

  get size(): number {
    return this.rows.length;
  }

  /** The document's sequence, or -1 when absent. */
  seqOf(id: string): number {
    if (id === this.lastId) return this.lastSeq;
    this.lastId = id;
    return (this.lastSeq = this.seqs.get(id) ?? -1);
  }

  at(seq: number): ReadDocument {
    return this.rows[seq];
  }

  get(id: string): ReadDocument | undefined {
    const seq = this.seqOf(id);
    return seq < 0 ? undefined : this.rows[seq];
  }

  values(): IterableIterator<ReadDocument> {
    return this.rows.values();
  }

  /** Every document, as a new array in insertion order. */
  toArray(): ReadDocument[] {
    return this.rows.slice();
  }

  /** Stores `doc` at `seq` (from `seqOf`; -1 appends it with the next sequence). */
  put(seq: number, doc: ReadDocument): void {
    if (seq < 0) {
      const next = this.rows.length;
      this.seqs.set(doc._id, next);
      this.rows.push(doc);
      if (doc._id === this.lastId) this.lastSeq = next;
    } else {
      this.rows[seq] = doc;
    }
  }
}
