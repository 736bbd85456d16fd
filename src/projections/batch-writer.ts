/**
 * Buffers a batch of projector writes and hands them to the read store in one bulk replace per
 * collection. Reads see the batch's own writes, so events still apply one at a time and in order; only
 * the round trips to the store are shared. `target` maps a read model's collection to where this run
 * writes it (itself when live; a fresh collection during a rebuild).
 *
 * For the plain-code path (`Projector.applyNow`) the writer also answers reads synchronously: from the
 * batch, from documents loaded ahead (`load`), and — when it is the only writer of its targets, as a
 * rebuild is of its fresh collections — from everything it has written (`complete`).
 *
 * Over a store in this process's memory (`ReadStore.inMemory`, the embedded store) there are no round
 * trips to share, so the writer buffers nothing: it reads and writes the store directly. That is one
 * lookup per document and event, where a batch entry, the writer's own copy of every document and the
 * store's lookups at the flush took four. A rebuild went from 48% to 54% of a raw read; the start-up
 * restore gained less (58–72k events/s before, 61–80k after, at 100k tickets), as reading the log is
 * most of its time. Readers may then see an event's writes before the batch's checkpoint is stored,
 * which is harmless: read-your-writes waits for the checkpoint, and every write is revision-guarded.
 */
import type {
  InMemoryDocuments,
  ReadDocument,
  ReadStore,
  ReplaceGuard,
  ReplaceOne,
} from '../application/ports/read-store.port';
import type { DocumentRef, LoadedProjectionStore, ProjectionStore } from './projector';

export interface BatchWriterOptions {
  /** Where a collection is written (default: itself). */
  rename?: (collection: string) => string;
  /** The targets start empty and only this writer writes them: it can answer every read itself. */
  complete?: boolean;
}

/** One collection's writes in this batch and the documents known, under the name it is written to. */
interface Slot {
  name: string;
  pending: Map<string, ReplaceOne>;
  /** Complete writers: every document written. Others: documents loaded ahead, until the next flush. */
  known: Map<string, ReadDocument | null>;
}

export class BatchWriter implements ProjectionStore {
  /** By read model collection; looked up once per read or write (a rebuild makes several per event). */
  private slots = new Map<string, Slot>();
  private readonly rename: (collection: string) => string;
  private readonly complete: boolean;
  /** Set over an in-memory store: every read and write goes straight to it. */
  private readonly direct: InMemoryDocuments | undefined;

  /** The synchronous view for `Projector.applyNow`. */
  readonly loaded: LoadedProjectionStore = {
    get: (collection, id) => this.getNow(collection, id),
    replace: (collection, doc, guard) => this.replaceNow(collection, doc, guard),
  };

  constructor(
    private readonly store: ReadStore,
    options: BatchWriterOptions = {},
  ) {
    this.rename = options.rename ?? ((collection) => collection);
    this.complete = options.complete ?? false;
    this.direct = store.inMemory;
  }

  private slot(collection: string): Slot {
    let slot = this.slots.get(collection);
    if (slot === undefined) {
      slot = { name: this.rename(collection), pending: new Map(), known: new Map() };
      this.slots.set(collection, slot);
    }
    return slot;
  }

  async get(collection: string, id: string): Promise<ReadDocument | null> {
    const slot = this.slot(collection);
    if (this.direct) return this.direct.get(slot.name, id);
    const held = this.held(slot, id);
    return held !== undefined ? held : this.store.get(slot.name, id);
  }

  /** The document as this batch holds it (null: known absent); undefined when only the store knows. */
  private held(slot: Slot, id: string): ReadDocument | null | undefined {
    const buffered = slot.pending.get(id);
    if (buffered) return buffered.doc;
    const known = slot.known.get(id);
    return known !== undefined || !this.complete ? known : null;
  }

  /** Buffers the write; a second write of the same document in the batch is guarded against the first. */
  async replace(collection: string, doc: ReadDocument, guard: ReplaceGuard): Promise<boolean> {
    return this.replaceNow(collection, doc, guard);
  }

  /** True when every document in `refs` can be read synchronously. */
  holds(refs: readonly DocumentRef[]): boolean {
    if (this.complete || this.direct) return true;
    for (const { collection, id } of refs) {
      const slot = this.slot(collection);
      if (!slot.pending.has(id) && !slot.known.has(id)) return false;
    }
    return true;
  }

  /** Reads the documents in `refs` from the store, so `loaded` answers them until the next flush. */
  async load(refs: readonly DocumentRef[]): Promise<void> {
    for (const { collection, id } of refs) {
      const slot = this.slot(collection);
      if (slot.pending.has(id) || slot.known.has(id)) continue;
      slot.known.set(id, await this.store.get(slot.name, id));
    }
  }

  private getNow(collection: string, id: string): ReadDocument | null {
    if (this.direct) return this.direct.get(this.slot(collection).name, id);
    const held = this.held(this.slot(collection), id);
    if (held === undefined) throw new Error(`${collection} ${id} was read without being loaded first`);
    return held;
  }

  private replaceNow(collection: string, doc: ReadDocument, guard: ReplaceGuard): boolean {
    const slot = this.slot(collection);
    if (this.direct) return this.direct.replace(slot.name, doc, guard);
    const earlier = slot.pending.get(doc._id);
    if (earlier) {
      if (earlier.doc.revision !== guard.expectedRevision) return false;
      earlier.doc = doc;
      return true;
    }
    if (this.complete) {
      // This writer knows the stored document, so it applies the guard itself, as the store would.
      const current = slot.known.get(doc._id);
      const stored = current === undefined || current === null ? -1 : current.revision;
      if (guard.expectedRevision === -1 ? current != null : stored !== guard.expectedRevision) return false;
    }
    slot.pending.set(doc._id, { doc, expectedRevision: guard.expectedRevision });
    return true;
  }

  /** Forgets the batch and every document known, unwritten (they are stale: see ProjectionRunner.rebuild). */
  discard(): void {
    this.slots = new Map();
  }

  /** True when nothing is waiting to be written. */
  get empty(): boolean {
    for (const slot of this.slots.values()) if (slot.pending.size > 0) return false;
    return true;
  }

  /**
   * Writes the batch to the store. The batch is kept until every collection's writes are done, so a
   * flush that failed (the store away) can be run again: writes already made are guarded no-ops then.
   */
  async flush(): Promise<void> {
    const slots = [...this.slots.values()];
    for (const slot of slots) {
      if (slot.pending.size > 0) await this.store.replaceMany(slot.name, [...slot.pending.values()]);
    }
    for (const slot of slots) {
      const writes = slot.pending;
      if (writes.size === 0 && this.complete) continue;
      slot.pending = new Map();
      if (this.complete) {
        for (const [id, write] of writes) slot.known.set(id, write.doc);
      } else {
        slot.known = new Map();
      }
    }
  }
}
