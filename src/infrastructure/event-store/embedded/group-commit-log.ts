import { StoreUnavailable } from '../../../application/ports/store-unavailable';
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';

/** How often, at most, a synced batch checks that the log file is still in a directory. */
const LINK_CHECK_MS = 20;
import { LogPreallocation } from './log-preallocation';
import { RecentWrites } from './recent-writes';
import { SyncPacer } from './sync-pacer';

/** One append waiting to be made durable: its records, already encoded, in one buffer. */
interface PendingWrite {
  position: number;
  buffer: Buffer;
  lastRecordPosition: number;
  result: unknown;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * The write side of the log: appends are queued with their final positions, and one writer
 * loop writes what is queued with a single positioned write and a single fdatasync (group
 * commit), then acknowledges it. While a sync is on disk, new appends queue up for the next
 * one, so the number of syscalls per event falls as concurrency rises. Only one sync is ever
 * in flight (on the disks measured, a second one only waits for the first). How much of the
 * queue a sync takes is the SyncPacer's call; the file ahead of the end is kept zero-filled
 * (LogPreallocation).
 *
 * After a write or sync error the log refuses every further append: the OS may have dropped
 * the unsynced pages, so only a reopen (which rescans the file) can say what is on disk.
 */
export class GroupCommitLog {
  private queue: PendingWrite[] = [];
  private inFlight: PendingWrite[] = [];
  /** A write + sync is on disk; its completion starts the next one. */
  private syncing = false;
  /** A flush is scheduled for after the current macrotask. */
  private flushScheduled = false;
  private readonly pacer = new SyncPacer();
  private readonly preallocation: LogPreallocation;
  private idleWaiters: Array<() => void> = [];
  private durableWaiters: Array<{ end: number; resolve: () => void; reject: (error: Error) => void }> = [];
  private failure: Error | undefined;
  /** Whether the file had a link when opened: only then does losing its last one mean it was deleted. */
  private readonly watchesLinks: boolean;
  /** When unlinked() last looked (performance.now()). */
  private linksCheckedAt = -Infinity;
  /** Where the next appended record goes (queued records included). */
  private end: number;
  /** The latest committed appends, for live readers. */
  readonly recent = new RecentWrites(8 * 1024 * 1024);

  constructor(
    private readonly fd: number,
    /** Everything before this offset is on disk and acknowledged. */
    private durable: number,
    /** Position of the last durable record, or -1 when the log holds none. */
    private lastDurableRecord: number,
    private readonly onCommitted: () => void,
  ) {
    this.end = durable;
    this.preallocation = new LogPreallocation(fd, durable);
    // A file system that reports no links for a live file (some FUSE or network ones) is not watched.
    this.watchesLinks = fs.fstatSync(fd).nlink > 0;
  }

  get durableEnd(): number {
    return this.durable;
  }

  get lastRecordPosition(): number {
    return this.lastDurableRecord;
  }

  /** Where the next enqueued buffer will be written. */
  get nextPosition(): number {
    return this.end;
  }

  /** The error that stopped the log, if any. */
  get failed(): Error | undefined {
    return this.failure;
  }

  /**
   * Refuses every append from now on (e.g. the data directory's lock was lost): what is queued or being
   * written still finishes; nothing new is taken.
   */
  stop(reason: Error): void {
    this.failure ??= reason;
  }

  /**
   * Queues `buffer` (whose records were encoded for `nextPosition`) and returns a promise
   * resolved with `result` once it is durable. The caller must have checked `failed` first.
   */
  enqueue<T>(buffer: Buffer, lastRecordOffset: number, result: T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const position = this.end;
      this.end += buffer.length;
      this.queue.push({
        position,
        buffer,
        lastRecordPosition: position + lastRecordOffset,
        result,
        resolve: resolve as (result: unknown) => void,
        reject,
      });
      if (this.syncing) return;
      if (this.queue.length >= this.pacer.batchLimit) this.flush();
      else this.scheduleFlush();
    });
  }

  /** The bytes of a queued or in-flight record at `position`, if it is not yet on disk. */
  unwrittenRecord(position: number): { buffer: Buffer; offset: number; position: number } | undefined {
    for (const list of [this.inFlight, this.queue]) {
      for (const write of list) {
        if (position >= write.position && position < write.position + write.buffer.length) {
          return { buffer: write.buffer, offset: position - write.position, position };
        }
      }
    }
    return undefined;
  }

  /** Resolves once everything before `end` is durable (rejects if the log fails first). */
  waitDurable(end: number): Promise<void> {
    if (end <= this.durable) return Promise.resolve();
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.durableWaiters.push({ end, resolve, reject }));
  }

  /** Cuts the zero-filled tail off the file; call when nothing is queued or being written. */
  trimPreallocation(): void {
    if (this.failure === undefined) this.preallocation.trim(this.durable);
  }

  /** Resolves once nothing is queued or being written. */
  drain(): Promise<void> {
    if (!this.syncing && !this.flushScheduled && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Starts a flush after the current macrotask, so appends made in the same tick (and writers
   * just acknowledged, whose continuations run as microtasks) share it instead of a batch of one
   * going out first and the rest waiting a whole sync behind it.
   */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.syncing) this.flush();
    });
  }

  private flush(): void {
    if (this.queue.length === 0 || this.failure !== undefined) {
      if (this.flushScheduled) return;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
      return;
    }
    this.syncing = true;
    const limit = this.pacer.batchLimit;
    const batch = this.queue.length > limit ? this.queue.splice(0, limit) : this.queue;
    if (batch === this.queue) this.queue = [];
    this.inFlight = batch;
    const position = batch[0].position;
    const runs = contiguousRuns(batch);
    // One write of the batch. Appends encoded back to back in one slab are written straight
    // from it; only when the batch spans slabs are the runs copied into one buffer, which is
    // cheaper than a gathered write (a trip through the binding per buffer).
    const bytes = runs.length === 1 ? runs[0] : Buffer.concat(runs);
    this.preallocation.ensure(position + bytes.length);
    this.syncAndAcknowledge(batch, position, runs, this.writeFully(bytes, position));
  }

  /** After the batch's write: sync it, then acknowledge it and start the next flush. */
  private syncAndAcknowledge(
    batch: PendingWrite[],
    position: number,
    runs: Buffer[],
    writeError: Error | null,
  ): void {
    if (writeError) return this.fail(batch, writeError);
    const started = performance.now();
    fs.fdatasync(this.fd, (syncError) => {
      if (syncError) return this.fail(batch, syncError);
      const gone = this.unlinked();
      if (gone) return this.fail(batch, gone);
      this.syncing = false;
      this.inFlight = [];
      this.pacer.synced(performance.now() - started, batch.length, this.queue.length);
      let at = position;
      for (const run of runs) {
        this.recent.add(at, run);
        at += run.length;
      }
      this.durable = at;
      this.lastDurableRecord = batch[batch.length - 1].lastRecordPosition;
      this.onCommitted();
      for (const write of batch) write.resolve(write.result);
      if (this.durableWaiters.length > 0) this.wakeDurableWaiters();
      // Split: what queued during this sync goes out at once, while the writers just
      // acknowledged make their next appends. Otherwise those writers join it first (one batch
      // per turn). An empty queue tells drain() the log is idle.
      if (this.queue.length === 0 || this.pacer.split) this.flush();
      else this.scheduleFlush();
    });
  }

  private wakeDurableWaiters(): void {
    const waiting = this.durableWaiters;
    this.durableWaiters = [];
    for (const waiter of waiting) {
      if (waiter.end <= this.durable) waiter.resolve();
      else this.durableWaiters.push(waiter);
    }
  }

  /**
   * Writes the batch synchronously: copying it into the page cache takes microseconds, less
   * than a round trip through the thread pool; only the sync, which waits for the disk, goes
   * there.
   */
  private writeFully(bytes: Buffer, position: number): Error | null {
    try {
      for (let offset = 0; offset < bytes.length;) {
        offset += fs.writeSync(this.fd, bytes, offset, bytes.length - offset, position + offset);
      }
      return null;
    } catch (error) {
      return error as Error;
    }
  }

  /**
   * An error when the log file is no longer in any directory (DATA_DIR removed under the running
   * server): its appends would be durable in a file no one will open again, so none is acknowledged.
   */
  private unlinked(): Error | null {
    if (!this.watchesLinks) return null;
    // At most once every LINK_CHECK_MS: under load a batch syncs every few milliseconds, and an fstat
    // each cost a create ~5 µs; a data directory removed under a running server may then see the
    // batches of those few milliseconds acknowledged.
    const now = performance.now();
    if (now - this.linksCheckedAt < LINK_CHECK_MS) return null;
    this.linksCheckedAt = now;
    try {
      return fs.fstatSync(this.fd).nlink === 0
        ? new Error('the log file was deleted; was the data directory removed?')
        : null;
    } catch (error) {
      return error as Error;
    }
  }

  /**
   * Stops the log for good: what this process wrote past `durable` is in doubt, so only a fresh open
   * (a restart, which checks the tail) may append again. /health says so from then on (503), so a
   * supervisor restarts the server; every append is refused as the event store unavailable.
   */
  private fail(batch: PendingWrite[], error: Error): void {
    this.failure = new StoreUnavailable(
      'event store',
      `The event log could not be written (${error.message}); it takes no more writes until the server is restarted`,
      { cause: error },
    );
    const rejected = [...batch, ...this.queue];
    this.queue = [];
    this.inFlight = [];
    this.syncing = false;
    const rejectAll = (): void => {
      for (const write of rejected) write.reject(this.failure!);
      for (const waiter of this.durableWaiters) waiter.reject(this.failure!);
      this.durableWaiters = [];
      this.flush();
    };
    // Leave nothing of the refused appends behind, durably, before the writers hear of the failure:
    // whole records of theirs that survived would be found and kept by the next open, and a writer
    // told "failed" could then find its append stored. If even this fails, the disk is past saving
    // here; the next open checks the tail anyway.
    fs.ftruncate(this.fd, this.durable, (truncateError) => {
      if (truncateError) return rejectAll();
      fs.fdatasync(this.fd, () => rejectAll());
    });
  }
}

/**
 * The batch's bytes as few buffers as possible: consecutive appends that lie back to back in
 * the same memory (one encoding slab) become one view of it, with no copy.
 */
function contiguousRuns(batch: PendingWrite[]): Buffer[] {
  const runs: Buffer[] = [];
  let first = batch[0].buffer;
  let length = first.length;
  for (let i = 1; i < batch.length; i++) {
    const next = batch[i].buffer;
    if (next.buffer === first.buffer && next.byteOffset === first.byteOffset + length) {
      length += next.length;
    } else {
      runs.push(Buffer.from(first.buffer, first.byteOffset, length));
      first = next;
      length = next.length;
    }
  }
  runs.push(Buffer.from(first.buffer, first.byteOffset, length));
  return runs;
}
