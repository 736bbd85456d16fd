/**
 * The read store port: where projections keep the read models and queries read them.
 *
 * Reads speak MongoDB's query language — filter documents, sort documents and aggregation pipelines —
 * limited to what both mingo (the embedded adapter) and MongoDB support, so a MongoDB adapter hands the
 * very same documents to the official driver. Writes have the one shape both stores do fast: a projector
 * computes the next document from the previous one and the event, and the store replaces it, guarded by
 * the revision the projector saw (architecture.md "Projections").
 *
 * One contract suite (test/read-store/read-store.contract.ts) runs against every adapter.
 */

/** Injection token for the ReadStore port. */
export const READ_STORE = Symbol('ReadStore');

/** A read-model document: `_id` is its key, `revision` the stream revision (or event position) it reflects. */
export interface ReadDocument {
  _id: string;
  revision: number;
  [field: string]: unknown;
}

/** A MongoDB filter document (`{ status: { $in: [...] }, 'requester.id': 'x' }`), built from typed values only. */
export type Filter = Record<string, unknown>;

/** A MongoDB sort document: field → 1 (ascending) or -1 (descending), applied in key order. */
export type SortSpec = Record<string, 1 | -1>;

/** An aggregation pipeline stage (`{ $match: … }`, `{ $group: … }`, …). */
export type PipelineStage = Record<string, unknown>;

export interface FindOptions {
  sort?: SortSpec;
  /** At most this many documents. */
  limit?: number;
  /** An inclusion projection (`{ field: 1 }`); `_id` and `revision` always come back. */
  projection?: Record<string, 1>;
}

/**
 * The revision the stored document must have for a replace to apply:
 * a number = the current document's revision; `-1` = insert only when no document has this `_id`.
 */
export interface ReplaceGuard {
  expectedRevision: number;
}

/** One guarded replace of a bulk write. */
export interface ReplaceOne extends ReplaceGuard {
  doc: ReadDocument;
}

/** An index to declare: keys in order, 1 ascending / -1 descending (an array field makes it multikey). */
export interface IndexSpec {
  key: Record<string, 1 | -1>;
  name?: string;
  unique?: boolean;
}

/** Collection a rebuild writes into before it replaces `name` (fresh, so the live one stays readable). */
export const rebuildCollectionName = (name: string, generation: number): string =>
  `${name}__rebuild${generation}`;

/** Synchronous reads and guarded replaces, offered by a store whose documents live in this process. */
export interface InMemoryDocuments {
  get(collection: string, id: string): ReadDocument | null;
  replace(collection: string, doc: ReadDocument, guard: ReplaceGuard): boolean;
}

/** What a projection finds of the checkpoint its store read or made (ReadStore.saveCheckpoint). */
export type CheckpointState = 'kept' | 'missing' | 'replaced';

export interface ReadStore {
  /**
   * Present when the documents are in this process's memory (the embedded store). The projections then
   * read and write through it directly, without batches (see BatchWriter).
   */
  readonly inMemory?: InMemoryDocuments;
  /**
   * Replaces the document with `doc._id` when its revision is `expectedRevision` (or inserts it when
   * `expectedRevision` is -1 and none exists). Anything else — a stale or duplicated event — is a no-op.
   * Resolves true when the document was written.
   */
  replace(collection: string, doc: ReadDocument, guard: ReplaceGuard): Promise<boolean>;
  /** The bulk form of `replace` for catch-up and rebuilds: applied in order; resolves how many were written. */
  replaceMany(collection: string, writes: readonly ReplaceOne[]): Promise<number>;
  /** The document with this `_id`, or null. */
  get(collection: string, id: string): Promise<ReadDocument | null>;
  /** Documents matching the filter, sorted and limited (MongoDB `find`). */
  find(collection: string, filter: Filter, options?: FindOptions): Promise<ReadDocument[]>;
  /** How many documents match the filter (MongoDB `countDocuments`). */
  count(collection: string, filter: Filter): Promise<number>;
  /** Runs an aggregation pipeline over the collection (MongoDB `aggregate`). */
  aggregate(collection: string, pipeline: readonly PipelineStage[]): Promise<Record<string, unknown>[]>;
  /** Declares indexes (idempotent). MongoDB creates them; the embedded store keeps in-memory ones. */
  ensureIndexes(collection: string, specs: readonly IndexSpec[]): Promise<void>;
  /** Drops a collection with its documents and indexes (no-op when absent). */
  dropCollection(collection: string): Promise<void>;
  /** Switch-over after a rebuild: `from` becomes `to` (replacing it, indexes included) in one step. */
  renameCollection(from: string, to: string): Promise<void>;
  /**
   * The `$all` position a projection has applied up to, or null when it has applied nothing (or the read
   * models are being projected afresh: resetCheckpoint). The store remembers which checkpoint it read
   * (its identity), for saveCheckpoint and checkCheckpoint.
   */
  getCheckpoint(name: string): Promise<bigint | null>;
  /**
   * Whether the store answers (for /health): one try, no retries, given up when `signal` aborts.
   * Rejects when the store does not answer.
   */
  ping(signal: AbortSignal): Promise<void>;
  /**
   * Moves a projection's checkpoint forward to `position` (never back: the instances sharing a store all
   * save it), after the events up to it are applied. `kept`: saved, or at or past it already. `missing`:
   * not there, and `create` is false — the read store lost the read models (a projection that had one
   * never brings it back by itself, which would hide the loss). `replaced`: another projection reset it
   * since this store read or made it (it found the read models lost and projects them afresh): nothing is
   * saved, as this projection's position says nothing about what the read models now hold. With `create`
   * (a projection starting from nothing) a missing checkpoint is made, and one another projection made
   * meanwhile is taken as its own.
   */
  saveCheckpoint(name: string, position: bigint, create?: boolean): Promise<CheckpointState>;
  /** Whether the checkpoint this store read or made is still there (`kept`), gone, or reset by another projection. */
  checkCheckpoint(name: string): Promise<CheckpointState>;
  /**
   * Marks the read models as projected afresh from the first event (after they were lost): a new
   * checkpoint, at no position, that this store takes as its own and any other sees as `replaced`.
   */
  resetCheckpoint(name: string): Promise<void>;
  /** Releases connections and memory. */
  close(): Promise<void>;
  /**
   * True when the store keeps each READ_MODEL_VERSION's collections and checkpoints apart (MongoDB, which
   * several instances share: a rolling upgrade builds the new version beside the old one). Otherwise a
   * projection starting without a checkpoint drops what the collections hold.
   */
  readonly keepsVersionsApart?: boolean;
}
