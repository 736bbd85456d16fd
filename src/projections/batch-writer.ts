/**
 * Buffers a batch of projector writes and hands them to the read store in one bulk replace per
 * collection. Reads see the batch's own writes, so events still apply one at a time and in order; only
 * the round trips to the store are shared. `target` maps a read model's collection to where this run
 * writes it (itself when live; a fresh collection during a rebuild).
 */
import type { ReadDocument, ReadStore, ReplaceGuard, ReplaceOne } from '../application/ports/read-store.port';
import type { ProjectionStore } from './projector';

export class BatchWriter implements ProjectionStore {
  private pending = new Map<string, Map<string, ReplaceOne>>();

  /** Target names by collection, so a rebuild does not build the same string twice per event. */
  private readonly targets = new Map<string, string>();

  constructor(
    private readonly store: ReadStore,
    private readonly rename: (collection: string) => string = (collection) => collection,
  ) {}

  private target(collection: string): string {
    let name = this.targets.get(collection);
    if (name === undefined) {
      name = this.rename(collection);
      this.targets.set(collection, name);
    }
    return name;
  }

  async get(collection: string, id: string): Promise<ReadDocument | null> {
    const name = this.target(collection);
    const buffered = this.pending.get(name)?.get(id);
    return buffered ? buffered.doc : this.store.get(name, id);
  }

  /** Buffers the write; a second write of the same document in the batch is guarded against the first. */
  async replace(collection: string, doc: ReadDocument, guard: ReplaceGuard): Promise<boolean> {
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
    writes.set(doc._id, { doc, expectedRevision: guard.expectedRevision });
    return true;
  }

  /** True when nothing is waiting to be written. */
  get empty(): boolean {
    return this.pending.size === 0;
  }

  /** Writes the batch to the store. */
  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    for (const [collection, writes] of batch) await this.store.replaceMany(collection, [...writes.values()]);
  }
}
