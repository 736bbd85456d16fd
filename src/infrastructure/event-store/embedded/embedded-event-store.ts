import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  AppendResult,
  EventData,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  WrongExpectedVersion,
} from '../../../application/ports/event-store.port';
import { StoreUnavailable } from '../../../application/ports/store-unavailable';
import { recordMatcher } from './all-filter';
import { AllReader } from './all-reader';
import { AllSubscription } from './all-subscription';
import { decideAppend, StreamState } from './append-decision';
import { isWellFormedText } from '../../../domain/field-checks';
import { DataDirLock, type LockLiveness } from './data-dir-lock';
import { DurableCheckpoint } from './durable-checkpoint';
import { makeDirectoryDurably } from './durable-directories';
import { GroupCommitLog } from './group-commit-log';
import { LogReader, RecordRef } from './log-reader';
import { encodeAppend } from './append-encoder';
import { decodeRecord, hashEventId, LOG_HEADER_BYTES, MAX_REVISION, readEventId } from './log-record';
import { openLogFile, recoverLog } from './log-recovery';
import { findRevisionIn, lastRevisionIn, StreamEntries, StreamIndex } from './stream-index';

const LOG_FILE = 'events.log';
const LOCK_FILE = 'events.lock';
const CHECKPOINT_FILE = 'events.chk';
/** With `any`, a repeated id is looked for among this many of the stream's latest events. */
const IDEMPOTENCY_WINDOW = 10_000;

/** Options of `EmbeddedEventStore.open`. */
export interface EmbeddedEventStoreOptions {
  /** Where recovery notes go (a cut torn tail); default: console.warn. */
  warn?: (message: string) => void;
  /** How often the acknowledged end is recorded in the side checkpoint file; default 1000 ms. */
  checkpointIntervalMs?: number;
  /** The lock's heartbeat and lease (data-dir-lock.ts); tests shorten them. */
  lockLiveness?: LockLiveness;
}

/** `readAll` options beyond the port, for an EventStoreDB-compatible server. */
export interface EmbeddedReadAllOptions extends ReadAllOptions {
  /** Also return events of `$`-prefixed (system) streams. */
  includeSystemStreams?: boolean;
}

/** `subscribeToAll` options beyond the port, for an EventStoreDB-compatible server. */
export interface EmbeddedSubscribeOptions extends SubscribeToAllOptions {
  /** Also deliver events of `$`-prefixed (system) streams. */
  includeSystemStreams?: boolean;
  /** With a filter: a checkpoint after this many records skipped in a row; default 32. */
  checkpointInterval?: number;
}

/**
 * The event store `npm start` uses when no EventStoreDB is configured: an append-only,
 * checksummed log file in a data directory, with EventStoreDB's semantics (see the port).
 * An append resolves once its bytes are fdatasync'ed; concurrent appends share one write and
 * one sync (group commit). On open the log is scanned, a torn tail is cut off and the index
 * (stream → positions) is rebuilt in memory; events stay on disk and are read by position.
 */
export class EmbeddedEventStore implements EventStore {
  /** One process at a time: the data directory's lock (data-dir-lock.ts) refuses a second. */
  readonly exclusive = true;
  private readonly subscriptions = new Set<AllSubscription>();
  private commitWaiters = new Set<() => void>();
  private readonly all: AllReader;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly fd: number,
    private readonly index: StreamIndex,
    private readonly log: GroupCommitLog,
    private readonly reader: LogReader,
    private readonly lock: DataDirLock,
    private readonly checkpoint: DurableCheckpoint,
  ) {
    this.all = new AllReader(log, reader, index);
  }

  /**
   * Opens the store in `dir` (created if missing), taking its lock (refused while another
   * live process holds it) and recovering the log after a crash.
   */
  static async open(dir: string, options: EmbeddedEventStoreOptions = {}): Promise<EmbeddedEventStore> {
    makeDirectoryDurably(dir);
    const lock = await DataDirLock.acquire(dir, LOCK_FILE, options.lockLiveness);
    let fd: number | undefined;
    let checkpoint: DurableCheckpoint | undefined;
    try {
      const file = path.join(dir, LOG_FILE);
      fd = openLogFile(file);
      const checkpointFile = path.join(dir, CHECKPOINT_FILE);
      checkpoint = DurableCheckpoint.open(checkpointFile);
      const recovered = recoverLog(fd, file, {
        end: checkpoint.value,
        state: checkpoint.state,
        file: checkpointFile,
      });
      if (recovered.cutBytes > 0) {
        (options.warn ?? console.warn)(
          `Event store: cut ${recovered.cutBytes} bytes of torn or corrupt tail off ${file} at byte ` +
            `${recovered.end} (past the acknowledged end; kept in ${recovered.cutSavedTo})`,
        );
      } else if (checkpoint.state !== 'valid' && recovered.end > LOG_HEADER_BYTES) {
        (options.warn ?? console.warn)(
          `Event store: ${checkpointFile} was missing; ${file} ends cleanly and was opened as it is`,
        );
      }
      checkpoint.writeSync(recovered.end);
      let store: EmbeddedEventStore | undefined = undefined;
      const log = new GroupCommitLog(fd, recovered.end, recovered.lastRecordPosition, () =>
        store!.committed(),
      );
      store = new EmbeddedEventStore(fd, recovered.index, log, new LogReader(fd), lock, checkpoint);
      lock.whenLost((reason) => {
        (options.warn ?? console.warn)(reason.message);
        log.stop(new StoreUnavailable('event store', reason.message, { cause: reason }));
      });
      checkpoint.start(options.checkpointIntervalMs ?? 1000);
      return store;
    } catch (error) {
      if (checkpoint !== undefined) await checkpoint.close(undefined);
      if (fd !== undefined) fs.closeSync(fd);
      lock.release();
      throw error;
    }
  }

  /**
   * For GET /health: a log that stopped taking writes (a write or sync failed, the file was deleted,
   * the data directory's lock was lost) makes the store unusable until a restart, though reads still
   * answer. Without this /health said ok while every mutation failed, and no supervisor restarted it.
   */
  health(): { connected: boolean; reason?: string } {
    const failed = this.log.failed;
    return failed
      ? { connected: false, reason: `writes are refused: ${failed.message}` }
      : { connected: true };
  }

  /** Appends atomically; resolves once durable. See `decideAppend` for the idempotency rule. */
  appendToStream(
    streamId: string,
    events: EventData[],
    expectedRevision: ExpectedRevision = 'any',
  ): Promise<AppendResult> {
    try {
      return this.append(streamId, events, expectedRevision);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** A stream's durable events; [] when the stream does not exist. */
  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const last = this.index.lastRevisionBefore(streamId, this.log.durableEnd);
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const events: RecordedEvent[] = [];
    if (last < 0 || maxCount <= 0) return events;
    if (options.direction === 'backwards') {
      const from = options.fromRevision;
      let revision =
        from === undefined || from === 'end' ? last : from === 'start' ? 0 : Math.min(from, last);
      for (; revision >= 0 && events.length < maxCount; revision--)
        events.push(this.readRevision(streamId, revision));
    } else {
      const from = options.fromRevision;
      let revision = from === undefined || from === 'start' ? 0 : from === 'end' ? last + 1 : from;
      for (; revision <= last && events.length < maxCount; revision++)
        events.push(this.readRevision(streamId, revision));
    }
    return events;
  }

  /** Events of `$all` in position order, from a snapshot of the durable log taken at the first read. */
  async *readAll(options: EmbeddedReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    this.assertOpen();
    const records = this.all.read({
      direction: options.direction ?? 'forwards',
      fromPosition: options.fromPosition,
      maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      matches: recordMatcher(options.filter, options.includeSystemStreams ?? false),
    });
    for await (const chunk of records) {
      for (let i = 0; i < chunk.length; i++) yield this.toRecordedEvent(chunk[i]);
    }
  }

  /** Catch-up then live subscription to `$all`, starting after `fromPosition`. */
  subscribeToAll(options: EmbeddedSubscribeOptions): AllSubscription {
    this.assertOpen();
    const matches = recordMatcher(options.filter, options.includeSystemStreams ?? false);
    const from = options.fromPosition;
    const start =
      from === 'start'
        ? Promise.resolve(LOG_HEADER_BYTES)
        : this.all.boundaryAtOrAfter(Number(from) + 1, this.log.durableEnd);
    const subscription = new AllSubscription(
      {
        durableEnd: () => this.log.durableEnd,
        lastRecordPosition: () => this.log.lastRecordPosition,
        readForward: (position, limit) => this.all.readForward(position, limit),
        onNextCommit: (wake) => {
          this.commitWaiters.add(wake);
          return () => this.commitWaiters.delete(wake);
        },
        toRecordedEvent: (record) => this.toRecordedEvent(record),
        ended: (ended) => this.subscriptions.delete(ended),
      },
      start,
      matches,
      options.filter === undefined ? undefined : Math.max(1, options.checkpointInterval ?? 32),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** The last durable revision of a stream, or -1 when it does not exist. */
  streamRevision(streamId: string): number {
    return this.index.lastRevisionBefore(streamId, this.log.durableEnd);
  }

  /** Position of the last durable event in the log (system streams included), or null when empty. */
  headPosition(): bigint | null {
    const last = this.log.lastRecordPosition;
    return last < 0 ? null : BigInt(last);
  }

  /** Finishes pending appends, ends subscriptions, releases the files and the lock. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private append(streamId: string, events: EventData[], expected: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    if (this.log.failed) throw this.log.failed;
    if (!isWellFormedText(streamId)) {
      // On disk a name is UTF-8, where a lone surrogate becomes U+FFFD: two such names would be one
      // stream after a reopen, and the second one's appends would read as out of order.
      throw new RangeError(`Stream name ${JSON.stringify(streamId)} is not well-formed Unicode`);
    }
    for (const event of events) {
      // The same for an event id (two ids would be one, the second append taken as a repeat) and type.
      if (!isWellFormedText(event.id) || !isWellFormedText(event.type)) {
        throw new RangeError(
          `Event id ${JSON.stringify(event.id)} or type ${JSON.stringify(event.type)} is not well-formed Unicode`,
        );
      }
    }
    if (typeof expected === 'number' && !(Number.isInteger(expected) && expected >= 0)) {
      throw new RangeError(`Expected revision must be a non-negative integer, got ${expected}`);
    }
    const entries = this.index.entriesOf(streamId);
    const last = lastRevisionIn(entries);
    const count = events.length;
    const firstHash = count > 0 ? hashEventId(events[0].id) : 0;
    if (!this.isPlainWrite(entries, last, count, expected, firstHash)) {
      const decision = decideAppend(
        expected,
        events.map((event) => event.id),
        this.streamState(streamId, entries),
      );
      if (decision.kind === 'wrongExpectedVersion') {
        throw new WrongExpectedVersion(streamId, expected, last < 0 ? 'no_stream' : last);
      }
      if (decision.kind === 'idempotent') return this.whenDurable(streamId, decision.lastRevision);
      if (count === 0) return this.whenDurable(streamId, last);
    }
    if (last + count > MAX_REVISION) throw new RangeError(`Stream ${streamId} is full`);
    const buffer = encodeAppend(streamId, events, last + 1, Date.now());
    const start = this.log.nextPosition;
    let stream = entries;
    let offset = 0;
    let lastRecordOffset = 0;
    for (let i = 0; i < count; i++) {
      lastRecordOffset = offset;
      this.index.addTo(streamId, stream, start + offset, i === 0 ? firstHash : hashEventId(events[i].id));
      stream ??= this.index.entriesOf(streamId);
      offset += buffer.readUInt32LE(offset);
    }
    return this.log.enqueue(buffer, lastRecordOffset, {
      nextExpectedRevision: last + count,
      position: BigInt(start + lastRecordOffset),
    });
  }

  /**
   * Whether the append is certainly written as it is, decided without allocating: a new
   * stream, the exact expected revision, or `any`/`stream_exists` on an existing stream whose
   * recent events carry no id with the first event's fingerprint (then `decideAppend` would
   * find no repeat either, as it looks for the first id only among those fingerprints).
   */
  private isPlainWrite(
    entries: StreamEntries | undefined,
    last: number,
    count: number,
    expected: ExpectedRevision,
    firstHash: number,
  ): boolean {
    if (count === 0) return false;
    if (expected === last) return true;
    if (last < 0) return expected === 'no_stream' || expected === 'any';
    if (expected !== 'any' && expected !== 'stream_exists') return false;
    const oldest = Math.max(0, last - IDEMPOTENCY_WINDOW + 1) * 2 + 1;
    for (let i = entries!.length - 1; i >= oldest; i -= 2) if (entries![i] === firstHash) return false;
    return true;
  }

  /** The result of an append that writes nothing, once what it refers to is durable. */
  private async whenDurable(streamId: string, revision: number): Promise<AppendResult> {
    if (revision < 0) return { nextExpectedRevision: revision, position: -1n };
    const position = this.index.positionOf(streamId, revision);
    await this.log.waitDurable(position + 1);
    return { nextExpectedRevision: revision, position: BigInt(position) };
  }

  private streamState(streamId: string, entries: StreamEntries | undefined): StreamState {
    const lastRevision = lastRevisionIn(entries);
    return {
      lastRevision,
      hasIdAt: (revision, id) =>
        entries![revision * 2 + 1] === hashEventId(id) && this.idAt(streamId, revision) === id,
      findRecentId: (id) =>
        findRevisionIn(
          entries,
          hashEventId(id),
          Math.max(0, lastRevision - IDEMPOTENCY_WINDOW + 1),
          (revision) => this.idAt(streamId, revision) === id,
        ),
    };
  }

  private idAt(streamId: string, revision: number): string {
    const position = this.index.positionOf(streamId, revision);
    const record = this.log.unwrittenRecord(position) ?? this.recordAt(position);
    return readEventId(record.buffer, record.offset);
  }

  /** A durable record, from memory when it is recent. */
  private recordAt(position: number): RecordRef {
    return this.log.recent.recordAt(position) ?? this.reader.readRecordSync(position);
  }

  private readRevision(streamId: string, revision: number): RecordedEvent {
    return this.toRecordedEvent(this.recordAt(this.index.positionOf(streamId, revision)));
  }

  private toRecordedEvent(record: RecordRef): RecordedEvent {
    return decodeRecord(record.buffer, record.offset, record.position);
  }

  private committed(): void {
    this.checkpoint.note(this.log.durableEnd);
    const waiters = this.commitWaiters;
    this.commitWaiters = new Set();
    for (const wake of waiters) wake();
  }

  private assertOpen(): void {
    if (this.closing !== undefined) throw new Error('The event store is closed');
  }

  private async shutDown(): Promise<void> {
    await this.log.drain();
    this.log.trimPreallocation();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.unsubscribe()));
    await this.reader.close();
    await this.checkpoint.close(this.log.failed ? undefined : this.log.durableEnd);
    fs.closeSync(this.fd);
    this.lock.release();
  }
}
