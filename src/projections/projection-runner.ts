/**
 * Feeds the read models from the event store (architecture.md "Projections"): a catch-up subscription to
 * `$all` (ticket streams only) from the stored checkpoint, every projector applied to each event in
 * order, the checkpoint stored after applying. While catching up, writes go to the store in batches;
 * once live, after every event. An event that keeps failing stops the projection loudly (health turns
 * `failed` with the reason) — it is never skipped.
 */
import { READ_MODEL_VERSION } from '../application/queries/read-models';
import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  EVENT_STORE,
  type EventStore,
  type RecordedEvent,
  type Subscription,
} from '../application/ports/event-store.port';
import {
  ReadModelsNotReady,
  type ProjectionHealth,
  type ProjectionStatus,
} from '../application/ports/projection-status.port';
import { READ_STORE, type ReadStore } from '../application/ports/read-store.port';
import { StoreUnavailable } from '../application/ports/store-unavailable';
import { ProjectorRoutes } from './apply-now';
import { BatchWriter } from './batch-writer';
import { READ_MODEL_FILTER, type Projector } from './projector';
import { CheckpointLost, documentMissing, type Loss, LossWatch } from './read-model-loss';
import { rebuildReadModels } from './rebuild';
import { SerialLock } from './serial-lock';

/** Injection token for the projectors the runner applies (in order). */
export const PROJECTORS = Symbol('Projectors');
/** Injection token for ProjectionRunnerOptions (optional). */
export const PROJECTION_RUNNER_OPTIONS = Symbol('ProjectionRunnerOptions');

export interface ProjectionRunnerOptions {
  /** Checkpoint name in the read store. */
  checkpointName: string;
  /** Tries per event before the projection stops. */
  attempts: number;
  /** Delay before the first retry; doubles each time. */
  retryDelayMs: number;
  /** Events per bulk write while catching up. */
  batchSize: number;
  /**
   * How often a store that keeps its read models (MongoDB) is asked whether they are still there while
   * no event comes: lost meanwhile (an empty server behind the same address), they would otherwise be
   * served empty, with /health saying ok, until the next event met no document. 0: never.
   */
  lossCheckMs: number;
}

export { READ_MODEL_VERSION };

export const DEFAULT_RUNNER_OPTIONS: ProjectionRunnerOptions = {
  checkpointName: `read-models.v${READ_MODEL_VERSION}`,
  attempts: 4,
  retryDelayMs: 20,
  batchSize: 1000,
  lossCheckMs: 1_000,
};

/** While the read store is away, the projections try again after 0.5 s, doubling up to 5 s. */
const STORE_WAIT_FIRST_MS = 500;
const STORE_WAIT_MAX_MS = 5_000;
/** How long stop() waits for the batch in progress. */
const STOP_WAIT_MS = 5_000;

interface Waiter {
  position: bigint;
  resolve(reached: boolean): void;
  timer: NodeJS.Timeout;
}

@Injectable()
export class ProjectionRunner implements ProjectionStatus, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Projections');
  private readonly options: ProjectionRunnerOptions;
  /** Held while an event batch is applied, and by a rebuild while it switches over. */
  private readonly lock = new SerialLock();
  private subscription: Subscription | null = null;
  private loop: Promise<void> | null = null;
  private position: bigint | null = null;
  private caughtUp = false;
  private failure: string | null = null;
  private stopped = false;
  /** Set by stop() (the app shutting down), unlike a halt to project afresh. */
  private shuttingDown = false;
  /** Why the read store is not answering, while the loop waits for it. */
  private storeAway: string | null = null;
  /** Ends the loop's pause while it waits for the read store (stop()). */
  private wake: (() => void) | null = null;
  /** whenCaughtUp() callers waiting for the first catch-up. */
  private readonly startWaiters = new Set<(caughtUp: boolean) => void>();
  private waiters = new Set<Waiter>();
  private rebuilding: Promise<void> | null = null;
  /** This run began without a checkpoint: it projects every event from the start. */
  private fromStart = false;
  /** The read store holds a checkpoint this projection read, made or reset (so losing it is news). */
  private ownsCheckpoint = false;
  private generation = 0;
  private readonly routes: ProjectorRoutes;
  /** The live loop's writer: what it holds is dropped at a rebuild's switch-over (see rebuild()). */
  private writer: BatchWriter | null = null;
  private lossWatch: LossWatch | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(PROJECTORS) private readonly projectors: readonly Projector[],
    @Optional() @Inject(PROJECTION_RUNNER_OPTIONS) options?: Partial<ProjectionRunnerOptions> | null,
  ) {
    this.options = { ...DEFAULT_RUNNER_OPTIONS, ...(options ?? {}) };
    this.routes = new ProjectorRoutes(projectors);
  }

  onApplicationBootstrap(): Promise<void> {
    return this.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.stop();
  }

  /** Declares the indexes and starts following the event store from the stored checkpoint (returns at once). */
  async start(): Promise<void> {
    return this.startFrom(false);
  }

  /**
   * Starts following from the stored checkpoint, or with `afresh` from the first event whatever is
   * stored (the read models were lost: a checkpoint another instance moved on meanwhile would skip them).
   */
  private async startFrom(afresh: boolean): Promise<void> {
    if (this.loop) return;
    this.stopped = false;
    this.shuttingDown = false;
    this.position = afresh ? null : await this.store.getCheckpoint(this.options.checkpointName);
    this.fromStart = this.position === null;
    if (!afresh) this.ownsCheckpoint = this.position !== null;
    if (this.position === null && !afresh) {
      this.logger.log(`No checkpoint of read-model version ${READ_MODEL_VERSION}: projecting every event`);
    }
    for (const projector of this.projectors) {
      for (const [collection, indexes] of Object.entries(projector.collections)) {
        // Without a checkpoint of this version, what the collection holds is projected afresh. A store
        // that keeps each version apart (MongoDB, shared by several instances) holds only this version's
        // documents there, which other instances may be writing right now: every event is applied again
        // over them (a no-op where they have it already). Any other store may hold documents of another
        // shape, which are dropped.
        if (this.position === null && !this.store.keepsVersionsApart)
          await this.store.dropCollection(collection);
        await this.store.ensureIndexes(collection, indexes);
      }
    }
    // Stopped while it was getting ready (a shutdown during a re-projection): nothing to follow.
    if (this.shuttingDown || this.loop) return;
    const subscription = this.events.subscribeToAll({
      fromPosition: this.position ?? 'start',
      filter: READ_MODEL_FILTER,
    });
    this.subscription = subscription;
    this.loop = this.follow(subscription);
    this.watchForLoss();
  }

  /**
   * Stops following; waits for the batch in progress, but not past STOP_WAIT_MS (a read store that is
   * away could hold it for a minute; what was not written is applied again after a restart).
   */
  async stop(): Promise<void> {
    // Nobody waits out a timeout for a catch-up that will not come (a request during shutdown).
    this.shuttingDown = true;
    this.lossWatch?.stop();
    this.lossWatch = null;
    for (const settle of [...this.startWaiters]) settle(false);
    await this.halt();
  }

  /** Starts the idle check for lost read models (read-model-loss.ts), once. */
  private watchForLoss(): void {
    if (this.lossWatch !== null || !this.store.keepsVersionsApart || this.options.lossCheckMs <= 0) return;
    this.lossWatch = new LossWatch(this.store, this.options.checkpointName, this.options.lossCheckMs, {
      // Only while caught up, idle and working: a check answers for the position it was made at.
      checkable: () =>
        this.caughtUp && this.failure === null && this.lock.idle && !this.stopped ? this.position : null,
      lost: (state, at) => {
        this.caughtUp = false;
        void this.projectAfresh(state, at, `the checkpoint is ${state === 'missing' ? 'gone' : 'reset'}`);
      },
    });
  }

  /** Stops following (for good, or to start again: projectAfresh). */
  private async halt(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.subscription?.unsubscribe().catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.loop,
      new Promise((resolve) => {
        timer = setTimeout(resolve, STOP_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
    this.loop = null;
    this.subscription = null;
    for (const waiter of this.waiters) this.settle(waiter, false);
  }

  health(): ProjectionHealth {
    const checkpoint = this.position === null ? null : this.position.toString();
    if (this.failure !== null)
      return { status: 'failed', caughtUp: this.caughtUp, checkpoint, reason: this.failure };
    return { status: this.caughtUp ? 'ok' : 'starting', caughtUp: this.caughtUp, checkpoint };
  }

  whenCaughtUp(timeoutMs: number): Promise<boolean> {
    if (this.caughtUp) return Promise.resolve(true);
    if (this.failure !== null || this.shuttingDown) return Promise.resolve(false);
    return new Promise((resolve) => {
      const settle = (caughtUp: boolean): void => {
        clearTimeout(timer);
        this.startWaiters.delete(settle);
        resolve(caughtUp);
      };
      const timer = setTimeout(() => settle(false), timeoutMs);
      this.startWaiters.add(settle);
    });
  }

  waitForPosition(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.position !== null && this.position >= position) return Promise.resolve(true);
    if (this.failure !== null || this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        position,
        resolve,
        timer: setTimeout(() => this.settle(waiter, false), timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Builds fresh collections from the whole event store, then swaps them in while live events wait. */
  rebuild(): Promise<void> {
    this.rebuilding ??= rebuildReadModels({
      events: this.events,
      store: this.store,
      projectors: this.projectors,
      generation: ++this.generation,
      batchSize: this.options.batchSize,
      apply: (event, writer) => this.applyWithRetry(event, writer),
      // Everything the live writer buffered or loaded is older than what the fresh collections hold (the
      // rebuild applied every durable event), so it is dropped rather than written over them.
      switchOver: (swap) =>
        this.lock.run(async () => {
          await swap();
          this.writer?.discard();
        }),
    }).finally(() => {
      this.rebuilding = null;
    });
    return this.rebuilding;
  }

  private async follow(subscription: Subscription): Promise<void> {
    const writer = new BatchWriter(this.store);
    this.writer = writer;
    let applied = 0;
    let last: bigint | null = null;
    try {
      for await (const message of subscription) {
        if (this.stopped) break;
        if (message.kind === 'event') {
          const event = message.event;
          try {
            await this.apply(event, writer);
          } catch (error) {
            await this.waitOutOutage(error, () => this.apply(event, writer));
          }
          last = event.position;
          applied++;
          if (this.caughtUp || applied >= this.options.batchSize) {
            await this.commitOrWait(writer, last);
            applied = 0;
          }
        } else {
          const position = message.kind === 'checkpoint' ? message.position : (message.position ?? last);
          if (position !== null && (last === null || position >= last))
            await this.commitOrWait(writer, position);
          applied = 0;
          if (message.kind === 'caughtUp' && !this.caughtUp) {
            this.caughtUp = true;
            this.fromStart = false;
            for (const settle of [...this.startWaiters]) settle(true);
            this.logger.log(`Read models caught up at ${this.position ?? 'the start'}`);
          }
        }
      }
    } catch (error) {
      if (!this.stopped) await this.fail(error, writer, last);
    }
  }

  private async commit(writer: BatchWriter, position: bigint): Promise<void> {
    await this.lock.run(async () => {
      await writer.flush();
      // Only a projection starting from nothing creates the checkpoint. One that had it and finds it gone
      // lost its read models (a new empty database behind the same address): the writes just flushed
      // matched nothing, and bringing the checkpoint back would hide that (fail() projects afresh).
      const state = await this.store.saveCheckpoint(
        this.options.checkpointName,
        position,
        this.position === null,
      );
      if (state !== 'kept') throw new CheckpointLost(state, this.position);
      this.ownsCheckpoint = true;
    });
    if (this.position === null || position > this.position) this.position = position;
    for (const waiter of this.waiters) if (waiter.position <= position) this.settle(waiter, true);
  }

  /**
   * Applies one event: in plain code when its projectors allow and no switch-over is under way (one
   * await at most, to load what they read), else on the async road with retries.
   */
  private async apply(event: RecordedEvent, writer: BatchWriter): Promise<void> {
    const reads = this.routes.reads(event);
    if (reads !== null && !writer.holds(reads)) await writer.load(reads);
    if (reads !== null && this.lock.idle && this.routes.applyNow(event, writer)) return;
    await this.lock.run(() => this.applyWithRetry(event, writer));
  }

  private async commitOrWait(writer: BatchWriter, position: bigint): Promise<void> {
    try {
      await this.commit(writer, position);
    } catch (error) {
      await this.waitOutOutage(error, () => this.commit(writer, position));
    }
  }

  /**
   * After a step of the loop failed with `error`: when the read store is unreachable (StoreUnavailable:
   * an outage, not a fault of the event), waits for it and runs the step again until it answers or the
   * runner stops; any other error is rethrown. Every step is safe to repeat: the batch is kept until
   * written, and writes are revision-guarded. (The happy path pays nothing for this: no wrapper.)
   */
  private async waitOutOutage(error: unknown, step: () => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (!(error instanceof StoreUnavailable) || this.stopped) throw error;
      if (this.storeAway === null) this.logger.warn(`Projections wait for the read store: ${error.message}`);
      this.storeAway = error.message;
      await this.pause(Math.min(STORE_WAIT_MAX_MS, STORE_WAIT_FIRST_MS * 2 ** attempt));
      try {
        await step();
        this.logger.log('Read store answers again: projections carry on');
        this.storeAway = null;
        return;
      } catch (next) {
        error = next;
      }
    }
  }

  /** Sleeps `ms`, or until stop() wakes it. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  /** Applies one event with every projector that handles it, retrying with backoff before giving up. */
  private async applyWithRetry(event: RecordedEvent, writer: BatchWriter): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const projector = await this.applyAll(event, writer);
      if (projector === null) return;
      // The store being away is no fault of the event: the loop waits for it (waitOutOutage).
      if (projector.error instanceof StoreUnavailable) throw projector.error;
      // Nor is a store that found the read models gone (MongoReadStore after a lost connection): no
      // retry can help, the loss is told at once (lossShownBy).
      if (projector.error instanceof ReadModelsNotReady) throw projector.error;
      if (attempt >= this.options.attempts) {
        throw new ProjectionFailed(
          `Projection ${projector.projector.name} failed on ${event.type} ${event.streamId}@${event.revision} ` +
            `(position ${event.position}) after ${attempt} attempts: ${describe(projector.error)}`,
          projector.error,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs * 2 ** (attempt - 1)));
    }
  }

  /** Null when every projector applied the event; else the first that threw. */
  private async applyAll(
    event: RecordedEvent,
    writer: BatchWriter,
  ): Promise<{ projector: Projector; error: unknown } | null> {
    for (const projector of this.projectors) {
      if (!projector.handles.includes(event.type)) continue;
      try {
        await projector.apply(event, writer);
      } catch (error) {
        return { projector, error };
      }
    }
    return null;
  }

  private async fail(error: unknown, writer: BatchWriter, last: bigint | null): Promise<void> {
    let lost: { state: Loss; why: string } | null = null;
    try {
      lost = await this.lossShownBy(error);
    } catch (checkError) {
      // Nothing awaits the loop while it runs: an error thrown from here ended the process.
      this.logger.error(`Could not check whether the read models were lost: ${describe(checkError)}`);
    }
    if (lost !== null) {
      // The read store lost the read models (restored from an old backup, a new empty database behind
      // the same address). Everything is projected afresh, rather than stopping for someone to drop the
      // database by hand.
      writer.discard();
      this.caughtUp = false;
      const at = this.position;
      setImmediate(() => void this.projectAfresh(lost.state, at, lost.why));
      return;
    }
    this.failure = describe(error);
    this.logger.error(`Read models STOPPED: ${this.failure}`);
    try {
      // What applied before the failing event is kept, so a restart resumes right at it.
      if (last !== null && (this.position === null || last > this.position)) await this.commit(writer, last);
    } catch (flushError) {
      this.logger.error(`Could not store the applied events: ${describe(flushError)}`);
    }
    await this.subscription?.unsubscribe().catch(() => undefined);
    for (const waiter of this.waiters) this.settle(waiter, false);
    for (const settle of [...this.startWaiters]) settle(false);
  }

  /**
   * Whether `error` shows the read models lost: the checkpoint gone (`missing`), or reset by another
   * instance that found them lost (`replaced`), or still this projection's while an event meets no
   * document (`missing`: they were lost, and nobody has begun again). Null: a fault of the event. Once is
   * enough: an event meeting no document while every event is projected from the first is a fault.
   */
  private async lossShownBy(error: unknown): Promise<{ state: Loss; why: string } | null> {
    if (error instanceof CheckpointLost) return { state: error.state, why: error.message };
    // The store's own finding (MongoReadStore after a lost connection): the server answered without the
    // checkpoint, also before this projection's first save. A loss whatever a check says now (a server
    // that flapped back may hold it again, but was empty once): projecting afresh is always safe.
    if (error instanceof ReadModelsNotReady) {
      const state = await this.untilReachable(() => this.store.checkCheckpoint(this.options.checkpointName));
      if (state === null) return null; // stopped meanwhile
      return {
        state: state === 'kept' ? 'missing' : state,
        why: 'the read store answered without the checkpoint',
      };
    }
    // A fault on a first start is a fault (no checkpoint of this projection's can have been lost);
    // one while projecting afresh, before its first save, may be a second loss.
    if (!this.ownsCheckpoint) return null;
    const state = await this.untilReachable(() => this.store.checkCheckpoint(this.options.checkpointName));
    if (state === null) return null; // stopped meanwhile
    if (state !== 'kept')
      return { state, why: `the checkpoint is ${state === 'missing' ? 'gone' : 'reset'}` };
    return documentMissing(error) && !this.fromStart
      ? { state: 'missing', why: `an event met no document: ${describe(error)}` }
      : null;
  }

  /**
   * Runs a read-store step until the store answers (waiting as for an outage), or the runner stops
   * (null). A re-check that met the store still away used to answer "not lost" and stop the projections.
   */
  private async untilReachable<T>(step: () => Promise<T>): Promise<T | null> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        return await step();
      } catch (error) {
        if (!(error instanceof StoreUnavailable)) throw error;
        await this.pause(Math.min(STORE_WAIT_FIRST_MS * 2 ** attempt, STORE_WAIT_MAX_MS));
      }
    }
    return null;
  }

  /**
   * Stops following and starts again from the first event, projecting every event over what is left (a
   * store that does not keep versions apart drops it first). Lost read models (`missing`) get a new
   * checkpoint that every other instance sees as `replaced`; one `replaced` takes that checkpoint as its
   * own and projects again too (its own position says nothing of what the read models now hold).
   */
  private async projectAfresh(state: Loss, at: bigint | null, why: string): Promise<void> {
    this.logger.error(
      state === 'missing'
        ? `The read store no longer has the read models (${why}; this projection was at ${at}): projecting every event again`
        : `Another instance found the read models lost and projects them afresh: projecting every event again (this projection was at ${at})`,
    );
    // Not stop(): requests waiting for the read models keep waiting for this catch-up.
    await this.halt();
    if (this.shuttingDown) return; // stopped meanwhile: not started again
    this.stopped = false;
    try {
      const name = this.options.checkpointName;
      await this.untilReachable(async () => {
        if (state === 'missing') await this.store.resetCheckpoint(name);
        else await this.store.getCheckpoint(name);
      });
      this.ownsCheckpoint = true;
      if (this.shuttingDown) return;
      await this.startFrom(true);
    } catch (error) {
      this.failure = describe(error);
      this.logger.error(`Read models STOPPED: ${this.failure}`);
    }
  }

  private settle(waiter: Waiter, reached: boolean): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
    waiter.resolve(reached);
  }
}

/** An event could not be applied after every retry. */
export class ProjectionFailed extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'ProjectionFailed';
  }
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
