/**
 * The embedded read store: the read models in memory, queried with mingo (MongoDB's query language for
 * in-memory objects). Nothing is written to disk: at start the projections replay the event store into
 * it (the event store is the record; replay is fast and needs no snapshot format to keep compatible).
 */
import { Aggregator, ProcessingMode } from 'mingo';
import type {
  CheckpointState,
  Filter,
  FindOptions,
  IndexSpec,
  InMemoryDocuments,
  PipelineStage,
  ReadDocument,
  ReadStore,
  ReplaceGuard,
  ReplaceOne,
} from '../../../application/ports/read-store.port';
import { GROUP_CHUNK, groupInChunks, mergeableAccumulators } from './chunked-group';
import { NotCompiled } from './compiled-expression';
import { compileGroup } from './compiled-group';
import { EmbeddedCollection } from './embedded-collection';

/** Stages that build new objects and never change their input: they may run on the stored documents. */
const READ_ONLY_STAGES = new Set(['$match', '$group', '$sort', '$limit', '$skip', '$project', '$count']);

export class EmbeddedReadStore implements ReadStore {
  private readonly collections = new Map<string, EmbeddedCollection>();
  /** Each checkpoint with an identity, new at each reset (see the port's CheckpointState). */
  private readonly checkpoints = new Map<string, { id: number; position: bigint | null }>();
  /** The identity of the checkpoint this store's projection read or made, by name. */
  private readonly ownCheckpoints = new Map<string, number>();
  private checkpointIds = 0;
  private warming: Promise<void> = Promise.resolve();

  readonly inMemory: InMemoryDocuments = {
    get: (collection, id) => this.collections.get(collection)?.docs.get(id) ?? null,
    replace: (collection, doc, guard) => this.collection(collection).replace(doc, guard.expectedRevision),
  };

  async replace(collection: string, doc: ReadDocument, guard: ReplaceGuard): Promise<boolean> {
    return this.inMemory.replace(collection, doc, guard);
  }

  async replaceMany(collection: string, writes: readonly ReplaceOne[]): Promise<number> {
    const target = this.collection(collection);
    let written = 0;
    for (const write of writes) if (target.replace(write.doc, write.expectedRevision)) written++;
    return written;
  }

  async get(collection: string, id: string): Promise<ReadDocument | null> {
    return this.inMemory.get(collection, id);
  }

  /** Documents are returned as stored: treat them as read-only. */
  async find(collection: string, filter: Filter, options?: FindOptions): Promise<ReadDocument[]> {
    return this.collections.get(collection)?.find(filter, options) ?? [];
  }

  async count(collection: string, filter: Filter): Promise<number> {
    return this.collections.get(collection)?.count(filter) ?? 0;
  }

  /**
   * A leading `$match` is answered through the indexes; the rest of the pipeline runs in mingo, except a
   * lone `$group`: compiled (compiled-group.ts) or in chunks (chunked-group.ts).
   */
  async aggregate(
    collection: string,
    pipeline: readonly PipelineStage[],
  ): Promise<Record<string, unknown>[]> {
    const source = this.collections.get(collection);
    if (!source) return [];
    const [first, ...rest] = pipeline;
    const leadingMatch = first && Object.keys(first).length === 1 && '$match' in first;
    const docs = leadingMatch ? source.find(first.$match as Filter) : source.all();
    const stages = leadingMatch ? rest : [...pipeline];
    if (stages.length === 0) return docs;
    // A lone $group (the statistics) runs compiled when its expressions allow (compiled-group.ts), else
    // over many documents in mingo chunks; both let other requests in between.
    if (stages.length === 1 && '$group' in stages[0]) {
      const group = stages[0].$group as Record<string, unknown>;
      const compiled = compileGroup(group);
      if (compiled !== null) {
        try {
          return await compiled.run(docs);
        } catch (error) {
          if (!(error instanceof NotCompiled)) throw error;
        }
      }
      const accumulators = docs.length > GROUP_CHUNK ? mergeableAccumulators(group) : null;
      if (accumulators !== null) return groupInChunks(docs, group, accumulators);
    }
    const readOnly = stages.every((stage) => Object.keys(stage).every((op) => READ_ONLY_STAGES.has(op)));
    const processingMode = readOnly ? ProcessingMode.CLONE_OFF : ProcessingMode.CLONE_INPUT;
    return new Aggregator(stages, { scriptEnabled: false, processingMode }).run(docs);
  }

  async ensureIndexes(collection: string, specs: readonly IndexSpec[]): Promise<void> {
    const target = this.collection(collection);
    for (const spec of specs) target.ensureIndex(spec);
  }

  async dropCollection(collection: string): Promise<void> {
    this.collections.delete(collection);
  }

  /**
   * The switch itself is immediate; the incoming collection's in-memory indexes are then built in the
   * background (like an index build after a bulk load), and a query that comes first builds what it needs.
   */
  async renameCollection(from: string, to: string): Promise<void> {
    const source = this.collection(from);
    const warmed = source.warmIndexes();
    this.warming = Promise.all([this.warming, warmed]).then(() => undefined);
    this.collections.delete(from);
    this.collections.set(to, source);
  }

  /** Resolves once the indexes being built in the background after a switch-over are ready (benchmarks). */
  indexesReady(): Promise<void> {
    return this.warming;
  }

  async getCheckpoint(name: string): Promise<bigint | null> {
    const checkpoint = this.checkpoints.get(name);
    if (checkpoint !== undefined) this.ownCheckpoints.set(name, checkpoint.id);
    return checkpoint?.position ?? null;
  }

  /** In this process: it always answers. */
  async ping(): Promise<void> {}

  /** Moves the checkpoint forward, never back, as the MongoDB store does (see the port). */
  async saveCheckpoint(name: string, position: bigint, create = true): Promise<CheckpointState> {
    const checkpoint = this.checkpoints.get(name);
    const own = this.ownCheckpoints.get(name);
    if (checkpoint === undefined) {
      if (!create) return 'missing';
      this.checkpoints.set(name, { id: ++this.checkpointIds, position });
      this.ownCheckpoints.set(name, this.checkpointIds);
      return 'kept';
    }
    if (own !== undefined && own !== checkpoint.id) return 'replaced';
    this.ownCheckpoints.set(name, checkpoint.id);
    if (checkpoint.position === null || position > checkpoint.position) {
      this.checkpoints.set(name, { id: checkpoint.id, position });
    }
    return 'kept';
  }

  async checkCheckpoint(name: string): Promise<CheckpointState> {
    const checkpoint = this.checkpoints.get(name);
    if (checkpoint === undefined) return 'missing';
    const own = this.ownCheckpoints.get(name);
    return own !== undefined && own !== checkpoint.id ? 'replaced' : 'kept';
  }

  async resetCheckpoint(name: string): Promise<void> {
    this.checkpoints.set(name, { id: ++this.checkpointIds, position: null });
    this.ownCheckpoints.set(name, this.checkpointIds);
  }

  async close(): Promise<void> {
    this.collections.clear();
    this.checkpoints.clear();
  }

  private collection(name: string): EmbeddedCollection {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new EmbeddedCollection();
      this.collections.set(name, collection);
    }
    return collection;
  }
}
