/**
 * Buffers a batch of projector writes and hands them to the read store in one bulk replace per
 * collection. Reads see the batch's own writes, so events still apply one at a time and in order; only
 * the round trips to the store are shared. `target` maps a read model's collection to where this run
 * writes it (itself when live; a fresh collection during a rebuild).
 *
 * For the plain-code path (`Projector.applyNow`) the writer also answers reads synchronously: from the
 * batch, from documents loaded ahead (`load`), and — when it is the only writer of its targets, as a
 * rebuild is of its fresh collections — from everything it has written (`complete`).
 */
import type { ReadDocument, ReadStore, ReplaceGuard, ReplaceOne } from '../application/ports/read-store.port';
import type { DocumentRef, LoadedProjectionStore, ProjectionStore } from './projector';

export interface BatchWriterOptions {
  /** Where a collection is written (default: itself). */
  rename?: (collection: string) => string;
  /** The targets start empty and only this writer writes them: it can answer every read itself. */
  complete?: boolean;
}

export class BatchWriter implements ProjectionStore {
  private pending = new Map<string, Map<string, ReplaceOne>>();
  /** Complete writers: every document written. Others: documents loaded ahead, until the next flush. */
  private known = new Map<string, Map<string, ReadDocument | null>>();
  private readonly rename: (collection: string) => string;
  private readonly complete: boolean;

  /** Target names by collection, so a rebuild does not build the same string twice per event. */
  private readonly targets = new Map<string, string>();

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
  }

  private target(collection: string): string {
    let name = this.targets.get(collection);
    if (name === undefined) {
      name = this.rename(collection);
      this.targets.set(collection, name);
    }
    return name;
  }

  private knownIn(name: string): Map<string, ReadDocument | null> {
    let docs = this.known.get(name);
    if (!docs) {
      docs = new Map();
      this.known.set(name, docs);
    }
    return docs;
  }

  async get(collection: string, id: string): Promise<ReadDocument | null> {
    const name = this.target(collection);
    const buffered = this.pending.get(name)?.get(id);
    if (buffered) return buffered.doc;
    const known = this.known.get(name)?.get(id);
    if (known !== undefined || this.complete) return known ?? null;
    return this.store.get(name, id);
  }

  /** Buffers the write; a second write of the same document in the batch is guarded against the first. */
  async replace(collection: string, doc: ReadDocument, guard: ReplaceGuard): Promise<boolean> {
    return this.replaceNow(collection, doc, guard);
  }

  /** True when every document in `refs` can be read synchronously. */
  holds(refs: readonly DocumentRef[]): boolean {
    if (this.complete) return true;
    for (const { collection, id } of refs) {
      const name = this.target(collection);
      if (!this.pending.get(name)?.has(id) && !this.known.get(name)?.has(id)) return false;
    }
    return true;
  }

  /** Reads the documents in `refs` from the store, so `loaded` answers them until the next flush. */
  async load(refs: readonly DocumentRef[]): Promise<void> {
    for (const { collection, id } of refs) {
      const name = this.target(collection);
      if (this.pending.get(name)?.has(id) || this.known.get(name)?.has(id)) continue;
      this.knownIn(name).set(id, await this.store.get(name, id));
    }
  }

  private getNow(collection: string, id: string): ReadDocument | null {
    const name = this.target(collection);
    const buffered = this.pending.get(name)?.get(id);
    if (buffered) return buffered.doc;
    const known = this.known.get(name)?.get(id);
    if (known === undefined && !this.complete) {
      throw new Error(`${collection} ${id} was read without being loaded first`);
    }
    return known ?? null;
  }

  private replaceNow(collection: string, doc: ReadDocument, guard: ReplaceGuard): boolean {
    const name = this.target(collection);
    let writes = this.pending.get(name);
    if (!writes) {
      writes = new Map();
      this.pending.set(name, writes);
    }
    const earlier = writes.get(doc._id);
    if (earlier) {
      if (earlier.doc.revision !== guard.expectedRevision) return false;
      earlier.doc = doc;
      return true;
    }
    if (this.complete) {
      // This writer knows the stored document, so it applies the guard itself, as the store would.
      const docs = this.knownIn(name);
      const current = docs.get(doc._id);
      const stored = current === undefined || current === null ? -1 : current.revision;
      if (guard.expectedRevision === -1 ? current != null : stored !== guard.expectedRevision) return false;
    }
    writes.set(doc._id, { doc, expectedRevision: guard.expectedRevision });
    return true;
  }

  /** Forgets the batch and every document known, unwritten (they are stale: see ProjectionRunner.rebuild). */
  discard(): void {
    this.pending = new Map();
    this.known = new Map();
  }

  /** True when nothing is waiting to be written. */
  get empty(): boolean {
    return this.pending.size === 0;
  }

  /** Writes the batch to the store. */
  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    if (this.complete) {
      for (const [collection, writes] of batch) {
        const docs = this.knownIn(collection);
        for (const [id, write] of writes) docs.set(id, write.doc);
      }
    } else {
      this.known = new Map();
    }
    for (const [collection, writes] of batch) await this.store.replaceMany(collection, [...writes.values()]);
  }
}
