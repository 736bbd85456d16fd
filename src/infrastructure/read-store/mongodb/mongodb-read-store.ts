/**
 * The read store in MongoDB, through the official driver (chosen when MONGODB_URL is set). The port
 * already speaks MongoDB's query language, so filters, sorts and pipelines go to the driver as they
 * are; what this adapter adds is the revision-guarded writes (guarded-writes.ts), the indexes
 * (mongodb-indexes.ts, built at start and whenever a collection is declared), checkpoints in the same
 * database, and riding out lost connections with `health()` telling /health meanwhile.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { Logger } from '@nestjs/common';
import {
  MongoClient,
  MongoServerError,
  type UpdateOptions,
  type Collection,
  type Db,
  type Filter as MongoFilter,
} from 'mongodb';
import type {
  CheckpointState,
  Filter,
  FindOptions,
  IndexSpec,
  PipelineStage,
  ReadDocument,
  ReadStore,
  ReplaceGuard,
  ReplaceOne,
} from '../../../application/ports/read-store.port';
import { ReadModelsNotReady } from '../../../application/ports/projection-status.port';
import { READ_MODEL_NAMESPACE } from '../../../application/queries/read-models';
import { parseDatabaseName, parseMongoUrl } from '../../config/config-parsers';
import {
  abandonable,
  ConnectionState,
  DEFAULT_RETRY_POLICY,
  withRetry,
  type ReadStoreConnectionHealth,
  type RetryPolicy,
} from './connection-retry';
import { replaceGuarded, replaceManyGuarded } from './guarded-writes';
import { buildIndexes } from './index-builds';
import { CHECKPOINTS, mongoIndexesFor, readModelIndexPlan } from './mongodb-indexes';

const NAMESPACE_NOT_FOUND = 26;
const isNamespaceNotFound = (error: unknown): boolean =>
  error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND;

export interface MongoReadStoreOptions {
  retry?: RetryPolicy;
  /**
   * Prefix of this version's collections (`v4.tickets`, `v4.checkpoints`): READ_MODEL_NAMESPACE. Several
   * instances share the database, and during a rolling upgrade two versions run side by side: each
   * builds and serves its own (the old version's are left for the operator to drop, see start()).
   */
  namespace?: string;
  /** No heartbeat for this long means the driver stopped checking the server: a new client (see watchHeartbeats). */
  stalledAfterMs?: number;
  /** How long one try waits for a server to answer (the driver's serverSelectionTimeoutMS); 5 s (a query gives up after two tries: about 10 s). */
  serverSelectionTimeoutMs?: number;
  /** How often the driver checks the server between operations (for health); 5 s. */
  heartbeatFrequencyMs?: number;
  /**
   * How long opening a connection, a check of the server, or waiting for a free connection of the pool
   * may take; 10 s.
   */
  connectTimeoutMs?: number;
  /**
   * How long one try of a read or a document write waits for its answer before it is abandoned and
   * tried again; 30 s (index builds, renames and drops are not bounded). The driver sets no bound of its
   * own on a command sent (no socket timeout), so a server that stopped answering held a request, or the
   * projections, for good.
   */
  attemptTimeoutMs?: number;
}

interface CheckpointDocument {
  _id: string;
  /**
   * The `$all` position in decimal (positions are unsigned 64-bit, wider than BSON's signed Long); null
   * when the read models are being projected afresh from the first event.
   */
  position: string | null;
  /** The same, zero-padded to 20 digits, so that text order is number order (a save never moves it back). */
  order: string;
  /** The checkpoint's identity, new at each reset (see saveCheckpoint); absent on ones saved before. */
  epoch?: string;
}

const DUPLICATE_KEY = 11000;
/** How long the driver tries to open a connection (a heartbeat included) before giving up. */
const CONNECT_TIMEOUT_MS = 10_000;
/** MongoReadStoreOptions.attemptTimeoutMs's default. */
const ATTEMPT_TIMEOUT_MS = 30_000;

/**
 * Driver options with an abort signal: mongodb 7.9 honours `signal` on every operation it executes,
 * though the option types of its writes do not list it.
 */
const withSignal = <T extends object>(options: T, signal: AbortSignal): T => ({ ...options, signal }) as T;

/**
 * An abort controller whose signal every attempt in flight listens to: a catch-up or an outage puts
 * hundreds on it, each removed when its attempt ends, which Node would otherwise warn of as a leak
 * (MaxListenersExceededWarning past 10).
 */
function listenedByMany(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

/**
 * A new client when the driver's own stops checking the server (see MongoReadStore.watchHeartbeats):
 * how to make one, and how long without a heartbeat means stopped.
 */
export interface ClientRenewal {
  newClient(): MongoClient;
  /** No heartbeat event (succeeded or failed) for this long: the driver's monitor is stuck. */
  stalledAfterMs: number;
}

export class MongoReadStore implements ReadStore {
  readonly keepsVersionsApart = true;
  private readonly state = new ConnectionState();
  private db: Db;
  private readonly logger = new Logger('ReadStore');
  /** The identity of the checkpoint this instance's projection read or made, by name. */
  private readonly epochs = new Map<string, string>();
  /** `state.downs` when the read models were last confirmed to be on the server (see confirmed()). */
  private confirmedDowns = 0;
  private confirming: Promise<void> | null = null;
  private closed = false;
  private lastHeartbeat = Date.now();
  private watchdog: NodeJS.Timeout | null = null;
  /** Aborted when the current client is replaced or the store closes: its attempts are abandoned. */
  private clientGone = listenedByMany();

  constructor(
    private client: MongoClient,
    private readonly dbName: string,
    private readonly retry: RetryPolicy = DEFAULT_RETRY_POLICY,
    private readonly namespace: string = READ_MODEL_NAMESPACE,
    private readonly renewal: ClientRenewal | null = null,
    private readonly attemptTimeoutMs: number = ATTEMPT_TIMEOUT_MS,
  ) {
    this.db = client.db(dbName);
    this.follow(client);
  }

  /** Keeps health in step with `client`, and notes its heartbeats for the watchdog. */
  private follow(client: MongoClient): void {
    // Health follows the whole topology, not each member's heartbeat: with a secondary down, its failed
    // heartbeats alternated with the others' successes and /health flipped between 503 and 200; with
    // the primary down, the secondaries' heartbeats reported a store that could not take a write.
    client.on('topologyDescriptionChanged', (event) => {
      if (client !== this.client) return;
      const servers = [...event.newDescription.servers.values()];
      if (servers.some((server) => server.isWritable)) return this.state.up();
      const failure = event.newDescription.error ?? servers.find((server) => server.error)?.error;
      this.state.down(`MongoDB unreachable: ${failure?.message ?? 'no server takes writes'}`);
    });
    const beat = (): void => {
      if (client === this.client) this.lastHeartbeat = Date.now();
    };
    client.on('serverHeartbeatSucceeded', beat);
    client.on('serverHeartbeatFailed', beat);
  }

  /**
   * The driver (mongodb 7.9) can stop checking a server for good: a check that starts on a socket just
   * destroyed waits for a `drain` that never comes, and with the server marked unknown every operation
   * then times out, though the server is back (seen once in seven double restarts of a three-instance
   * run: one instance answered 503 for minutes while the others worked). A monitor that works reports
   * a heartbeat, succeeded or failed, at least every heartbeat interval plus a connection timeout; when
   * none comes for longer, the client is replaced by a new one (operations in flight fail and are
   * retried on it).
   */
  private watchHeartbeats(): void {
    if (this.renewal === null || this.watchdog !== null) return;
    const { stalledAfterMs } = this.renewal;
    this.lastHeartbeat = Date.now();
    this.watchdog = setInterval(
      () => {
        if (this.closed || Date.now() - this.lastHeartbeat <= stalledAfterMs) return;
        this.renewClient();
      },
      Math.max(100, Math.floor(stalledAfterMs / 4)),
    );
    this.watchdog.unref();
  }

  private renewClient(): void {
    const stale = this.client;
    const fresh = this.renewal!.newClient();
    this.logger.warn(
      `The MongoDB driver stopped checking the server (no heartbeat for ${Date.now() - this.lastHeartbeat} ms): ` +
        'connecting with a new client',
    );
    this.client = fresh;
    this.db = fresh.db(this.dbName);
    this.lastHeartbeat = Date.now();
    this.follow(fresh);
    // What was in flight on the stale client is tried again on the fresh one: closing the stale client
    // does not end an operation waiting to write to a socket it destroyed (see abandonable).
    const gone = this.clientGone;
    this.clientGone = listenedByMany();
    gone.abort(new Error('the MongoDB client was replaced'));
    void stale.close(true).catch(() => undefined);
    // Operations connect it as they need it; this only starts its monitoring at once.
    void fresh.connect().catch(() => undefined);
  }

  /** Whether MongoDB answers (for /health); the reason is the last connection failure. */
  health(): ReadStoreConnectionHealth {
    return this.closed ? { connected: false, reason: 'read store closed' } : this.state.current();
  }

  /**
   * Connects and builds every read-model collection's indexes (idempotent: existing ones are kept), and
   * says once which read models of other versions the database still holds (once no instance of those
   * versions runs, they can be dropped).
   */
  async start(): Promise<void> {
    await this.run(() => this.client.connect(), null);
    // Finding the server at start is no lost connection: nothing read before it needs confirming.
    this.confirmedDowns = this.state.downs;
    this.watchHeartbeats();
    for (const [collection, specs] of Object.entries(readModelIndexPlan())) {
      await this.createIndexes(collection, specs);
    }
    const names = await this.run((signal) =>
      this.db.listCollections({}, withSignal({ nameOnly: true as const }, signal)).toArray(),
    );
    const logical = new Set([...Object.keys(readModelIndexPlan()), CHECKPOINTS]);
    const others = names
      .map(({ name }) => name)
      .filter(
        (name) => logical.has(name.slice(name.indexOf('.') + 1)) && !name.startsWith(`${this.namespace}.`),
      )
      .sort();
    if (others.length > 0) {
      this.logger.warn(
        `Read models of other versions are in this database (${others.join(', ')}); this version uses ` +
          `${this.namespace}.*. Drop them once no instance of those versions runs.`,
      );
    }
  }

  replace(collection: string, doc: ReadDocument, guard: ReplaceGuard): Promise<boolean> {
    return this.run((signal) =>
      replaceGuarded(this.collection(collection), doc, guard.expectedRevision, signal),
    );
  }

  replaceMany(collection: string, writes: readonly ReplaceOne[]): Promise<number> {
    if (writes.length === 0) return Promise.resolve(0);
    return this.run((signal) => replaceManyGuarded(this.collection(collection), writes, signal));
  }

  get(collection: string, id: string): Promise<ReadDocument | null> {
    return this.read((signal) => this.collection(collection).findOne({ _id: id }, { signal }));
  }

  find(collection: string, filter: Filter, options: FindOptions = {}): Promise<ReadDocument[]> {
    if (options.limit !== undefined && options.limit <= 0) return Promise.resolve([]);
    const projection = options.projection ? { ...options.projection, _id: 1, revision: 1 } : undefined;
    return this.read((signal) =>
      this.collection(collection)
        .find(filter as MongoFilter<ReadDocument>, {
          ...(options.sort ? { sort: options.sort } : {}),
          ...(options.limit !== undefined ? { limit: options.limit } : {}),
          ...(projection ? { projection } : {}),
          signal,
        })
        .toArray(),
    );
  }

  count(collection: string, filter: Filter): Promise<number> {
    return this.read((signal) =>
      this.collection(collection).countDocuments(filter as MongoFilter<ReadDocument>, { signal }),
    );
  }

  aggregate(collection: string, pipeline: readonly PipelineStage[]): Promise<Record<string, unknown>[]> {
    return this.read((signal) =>
      this.collection(collection)
        .aggregate([...pipeline], { signal })
        .toArray(),
    );
  }

  /** Builds the declared indexes together with MongoDB's additions for the collection (mongodb-indexes.ts). */
  ensureIndexes(collection: string, specs: readonly IndexSpec[]): Promise<void> {
    return this.createIndexes(collection, mongoIndexesFor(collection, specs));
  }

  dropCollection(collection: string): Promise<void> {
    return this.run(async () => {
      try {
        await this.collection(collection).drop();
      } catch (error) {
        if (!isNamespaceNotFound(error)) throw error;
      }
    }, null);
  }

  /**
   * `renameCollection` with `dropTarget`: one step on the server, indexes included. A missing `from`
   * (nothing was written) leaves `to` empty, as an empty rebuild would.
   *
   * A rename tried again after a lost connection may find `from` gone because the first try did rename
   * it and only the answer was lost: then `to` is the renamed collection, and dropping it as "nothing
   * was written" would empty the read model the rebuild just made. (A rebuild creates `from` with its
   * indexes before writing, so `from` missing on a first try is the only "nothing was written".)
   */
  async renameCollection(from: string, to: string): Promise<void> {
    let tries = 0;
    try {
      await this.run(async () => {
        tries++;
        try {
          await this.collection(from).rename(this.physical(to), { dropTarget: true });
        } catch (error) {
          if (tries > 1 && isNamespaceNotFound(error)) return;
          throw error;
        }
      }, null);
    } catch (error) {
      if (!isNamespaceNotFound(error)) throw error;
      await this.dropCollection(to);
      await this.createIndexes(to, mongoIndexesFor(to, []));
    }
  }

  async getCheckpoint(name: string): Promise<bigint | null> {
    let checkpoint = await this.run((signal) => this.checkpoints().findOne({ _id: name }, { signal }));
    if (checkpoint !== null && checkpoint.epoch === undefined) {
      // Saved before checkpoints had an identity: it gets one now, the same for every instance.
      await this.run((signal) =>
        this.checkpoints().updateOne(
          { _id: name, epoch: { $exists: false } },
          { $set: { epoch: randomUUID() } },
          withSignal({} as UpdateOptions, signal),
        ),
      );
      checkpoint = await this.run((signal) => this.checkpoints().findOne({ _id: name }, { signal }));
    }
    if (checkpoint === null) return null;
    this.epochs.set(name, checkpoint.epoch!);
    return checkpoint.position === null ? null : BigInt(checkpoint.position);
  }

  /**
   * One `ping` command, not retried: /health asks whether MongoDB answers now, and gives up at its own
   * bound (`signal`). (It read a checkpoint under the write retry policy: up to 5 tries of 30 s each,
   * going on long after /health had answered 503.)
   */
  ping(signal: AbortSignal): Promise<void> {
    if (this.closed) return Promise.reject(new Error('read store closed'));
    return abandonable(
      async (attempt) => {
        await this.db.command({ ping: 1 }, withSignal({}, attempt));
      },
      [this.clientGone.signal, signal],
      this.attemptTimeoutMs,
    );
  }

  /**
   * Moves the checkpoint forward, never back: the instances sharing the read models all save it, and
   * one behind the others (catching up after a restart) used to set it back by thousands of events. A
   * save is guarded by the checkpoint's identity (`epoch`): after another instance reset it (the read
   * models were lost and are being projected afresh), an instance yet to notice moved it past events
   * nobody had projected again, and a restart then skipped them for good.
   */
  async saveCheckpoint(name: string, position: bigint, create = true): Promise<CheckpointState> {
    const order = position.toString().padStart(20, '0');
    const update = { position: position.toString(), order };
    const own = this.epochs.get(name);
    if (own !== undefined) {
      const advanced = await this.run((signal) =>
        this.checkpoints().updateOne(
          { _id: name, epoch: own, order: { $lt: order } },
          { $set: update },
          withSignal({} as UpdateOptions, signal),
        ),
      );
      if (advanced.matchedCount > 0) return 'kept';
    }
    const checkpoint = await this.run((signal) => this.checkpoints().findOne({ _id: name }, { signal }));
    if (checkpoint === null) {
      if (!create) return 'missing';
      const epoch = randomUUID();
      try {
        await this.run((signal) =>
          this.checkpoints().insertOne({ _id: name, ...update, epoch }, withSignal({}, signal)),
        );
      } catch (error) {
        // Another instance made it meanwhile: taken as this one's too on the next try.
        if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
        return this.saveCheckpoint(name, position, create);
      }
      this.epochs.set(name, epoch);
      return 'kept';
    }
    if (own === undefined) {
      // Starting from nothing, beside an instance that made the checkpoint first: it is this one's too.
      if (!create || checkpoint.epoch === undefined) return 'missing';
      this.epochs.set(name, checkpoint.epoch);
      await this.run((signal) =>
        this.checkpoints().updateOne(
          { _id: name, epoch: checkpoint.epoch, order: { $lt: order } },
          { $set: update },
          withSignal({} as UpdateOptions, signal),
        ),
      );
      return 'kept';
    }
    // At or past this position already, or reset by another instance.
    return checkpoint.epoch === own ? 'kept' : 'replaced';
  }

  async checkCheckpoint(name: string): Promise<CheckpointState> {
    const checkpoint = await this.run((signal) => this.checkpoints().findOne({ _id: name }, { signal }));
    if (checkpoint === null) return 'missing';
    const own = this.epochs.get(name);
    return own !== undefined && checkpoint.epoch !== own ? 'replaced' : 'kept';
  }

  async resetCheckpoint(name: string): Promise<void> {
    const epoch = randomUUID();
    await this.run((signal) =>
      this.checkpoints().replaceOne(
        { _id: name },
        { position: null, order: '', epoch },
        withSignal({ upsert: true }, signal),
      ),
    );
    this.epochs.set(name, epoch);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.watchdog !== null) clearInterval(this.watchdog);
    this.clientGone.abort(new Error('read store closed'));
    await this.client.close();
  }

  /** The version's own collection for a read model's (logical) name. */
  private collection(name: string): Collection<ReadDocument> {
    return this.db.collection<ReadDocument>(this.physical(name));
  }

  private physical(name: string): string {
    return `${this.namespace}.${name}`;
  }

  private checkpoints(): Collection<CheckpointDocument> {
    return this.db.collection<CheckpointDocument>(this.physical(CHECKPOINTS));
  }

  /**
   * Runs a write (or any operation but a read) with retries; each try is abandoned when its client is
   * replaced, or after `boundMs` (null: no bound, for index builds, renames and drops).
   */
  private run<T>(
    operation: (signal: AbortSignal) => Promise<T>,
    boundMs: number | null = this.attemptTimeoutMs,
  ): Promise<T> {
    return withRetry(
      () => abandonable(operation, this.clientGone.signal, boundMs),
      this.retry,
      this.state,
      () => this.closed,
    );
  }

  /**
   * A read: it gives up after fewer tries (see RetryPolicy.readAttempts). After the connection failed,
   * its answer is given only once the server is known to still hold the read models (confirmed()).
   */
  private async read<T>(operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const result = await this.readOnce(operation);
    if (this.state.downs !== this.confirmedDowns) await this.confirmed();
    return result;
  }

  private readOnce<T>(operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return withRetry(
      () => abandonable(operation, this.clientGone.signal, this.attemptTimeoutMs),
      this.retry,
      this.state,
      () => this.closed,
      'read',
    );
  }

  /**
   * Whether the server that answers after a lost connection still holds the read models this instance
   * serves: each checkpoint it knows is there. A server that came back empty
   * (its data in memory, a swapped volume, a restore) answered the queries that had waited out the
   * outage with no ticket and counts of 0, as if that were the truth, for the ~0.3 s until the
   * projections noticed; such a read is now refused as ReadModelsNotReady (the projections, meeting
   * it too, find the checkpoint gone and project afresh). One check serves the reads waiting on it.
   */
  private confirmed(): Promise<void> {
    // Let go once settled (in a later microtask: a check with nothing to confirm settles at once).
    this.confirming ??= this.confirm().finally(() => {
      this.confirming = null;
    });
    return this.confirming;
  }

  private async confirm(): Promise<void> {
    const downs = this.state.downs;
    for (const name of this.epochs.keys()) {
      const checkpoint = await this.readOnce((signal) =>
        this.checkpoints().findOne({ _id: name }, { signal, projection: { _id: 1 } }),
      );
      // Gone: the server has lost them. Reset by another instance (another identity) is not refused: the
      // shared read models are being projected again there, and served meanwhile as before; refusing it
      // would refuse every read for good on an instance whose own projection has stopped.
      if (checkpoint === null) throw new ReadModelsNotReady('lost');
    }
    this.confirmedDowns = downs;
  }

  /** Builds `specs` on the collection (index-builds.ts), each step retried without a time bound. */
  private createIndexes(collection: string, specs: readonly IndexSpec[]): Promise<void> {
    return buildIndexes(this.collection(collection), specs, (operation) => this.run(operation, null));
  }
}

/**
 * Opens the MongoDB read store: checks the connection string and database name (the configuration's
 * own checks; a bad value throws naming MONGODB_URL or MONGODB_DB), connects (riding out a server that
 * is briefly away) and builds the indexes.
 */
export async function createMongoReadStore(
  url: string,
  dbName = 'tickets',
  options: MongoReadStoreOptions = {},
): Promise<MongoReadStore> {
  const checkedUrl = parseMongoUrl(url, 'MONGODB_URL');
  if ('error' in checkedUrl) throw new Error(checkedUrl.error);
  const checkedDb = parseDatabaseName(dbName, 'MONGODB_DB');
  if ('error' in checkedDb) throw new Error(checkedDb.error);
  const heartbeatMs = options.heartbeatFrequencyMs ?? 5000;
  const connectTimeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  const newClient = (): MongoClient =>
    new MongoClient(checkedUrl.value, {
      // Always the primary, whatever the URL asks: the projections read a document, then replace it
      // guarded by that revision, and a secondary's older copy would make the replace miss and the
      // event be taken as already applied; read-your-writes needs the primary too.
      readPreference: 'primary',
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 5_000,
      // Checked every 5 s (the driver's default is 10 s) so /health sees a return soon.
      heartbeatFrequencyMS: heartbeatMs,
      // A check of a server out of reach fails within this (the driver's default is 30 s).
      connectTimeoutMS: connectTimeoutMs,
      // An operation waits this long at most for a connection (the driver's default waits for ever: an
      // operation queued on a pool paused by a hung monitor never came back).
      waitQueueTimeoutMS: connectTimeoutMs,
    });
  let client: MongoClient;
  try {
    client = newClient();
  } catch (error) {
    throw new Error(`MONGODB_URL: ${error instanceof Error ? error.message : String(error)}`);
  }
  const store = new MongoReadStore(
    client,
    checkedDb.value,
    options.retry ?? DEFAULT_RETRY_POLICY,
    options.namespace ?? READ_MODEL_NAMESPACE,
    // A working monitor reports within a heartbeat interval plus a connection timeout; twice that is stuck.
    { newClient, stalledAfterMs: options.stalledAfterMs ?? 2 * (heartbeatMs + connectTimeoutMs) },
    options.attemptTimeoutMs ?? ATTEMPT_TIMEOUT_MS,
  );
  try {
    await store.start();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}
