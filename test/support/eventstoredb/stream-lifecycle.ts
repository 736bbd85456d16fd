import {
  WrongExpectedVersion,
  type AppendResult,
  type EventData,
  type ExpectedRevision,
  type ReadStreamOptions,
  type RecordedEvent,
} from '../../../src/application/ports/event-store.port';
import type { BackingStore } from './backing-store';
import { StreamTombstoned } from './grpc-errors';
import { jsonDataOf, serverJsonEvent } from './stored-event-codec';

/** EventStoreDB marks a soft-deleted stream with `$tb` = Int64.MaxValue; JSON numbers stop at 2^53. */
const SOFT_DELETED_TB = Number.MAX_SAFE_INTEGER;
/** The event type EventStoreDB writes into a hard-deleted (tombstoned) stream. */
export const TOMBSTONE_EVENT_TYPE = '$streamDeleted';

export const metastreamOf = (streamName: string): string => `$$${streamName}`;

/** Result of reading a stream: its visible events, or why there are none. */
export type StreamRead =
  { kind: 'events'; events: RecordedEvent[] } | { kind: 'not_found' } | { kind: 'deleted' };

/**
 * Soft delete and tombstone on top of the backing store, the way EventStoreDB does them:
 * a soft delete writes `$tb` (truncate before) into the stream's `$$` metadata, a tombstone
 * writes a `$streamDeleted` event into the stream. Writes are serialised so that the
 * check-then-write steps of these operations cannot interleave.
 */
export class StreamLifecycle {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: BackingStore) {}

  append(streamName: string, events: EventData[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.serialised(async () => {
      const last = await this.lastEvent(streamName);
      if (last?.type === TOMBSTONE_EVENT_TYPE) throw new StreamTombstoned(streamName);
      const metadata = await this.metadataOf(streamName);
      const softDeleted = metadata.$tb === SOFT_DELETED_TB;
      let effective = expected;
      if (softDeleted && last) {
        // A soft-deleted stream counts as absent: `no_stream` recreates it; `stream_exists` fails.
        if (expected === 'no_stream') effective = last.revision;
        if (expected === 'stream_exists') throw new WrongExpectedVersion(streamName, expected, 'no_stream');
      }
      const result = await this.store.appendToStream(streamName, events, effective);
      if (softDeleted && last && result.nextExpectedRevision > last.revision) {
        // Recreated: the old revisions stay hidden, numbering continues (EventStoreDB semantics).
        await this.store.appendToStream(metastreamOf(streamName), [
          serverJsonEvent('$metadata', { ...metadata, $tb: last.revision + 1 }),
        ]);
      }
      return result;
    });
  }

  async read(streamName: string, options: ReadStreamOptions): Promise<StreamRead> {
    const last = await this.lastEvent(streamName);
    if (!last) return { kind: 'not_found' };
    if (last.type === TOMBSTONE_EVENT_TYPE) return { kind: 'deleted' };
    const tb = streamName.startsWith('$$') ? 0 : Number((await this.metadataOf(streamName)).$tb ?? 0);
    if (tb === SOFT_DELETED_TB) return { kind: 'not_found' };
    let fromRevision = options.fromRevision;
    const forwards = options.direction !== 'backwards';
    if (
      tb > 0 &&
      forwards &&
      (typeof fromRevision !== 'number' ? fromRevision !== 'end' : fromRevision < tb)
    ) {
      fromRevision = tb; // so that maxCount counts visible events only
    }
    const events = await this.store.readStream(streamName, { ...options, fromRevision });
    return { kind: 'events', events: events.filter((event) => event.revision >= tb) };
  }

  /** Soft delete: returns the position of the metadata event written. */
  softDelete(streamName: string, expected: ExpectedRevision): Promise<bigint> {
    return this.serialised(async () => {
      const last = await this.lastEvent(streamName);
      if (last?.type === TOMBSTONE_EVENT_TYPE) throw new StreamTombstoned(streamName);
      checkExpected(streamName, expected, last?.revision ?? null);
      const metadata = await this.metadataOf(streamName);
      const written = await this.store.appendToStream(metastreamOf(streamName), [
        serverJsonEvent('$metadata', { ...metadata, $tb: SOFT_DELETED_TB }),
      ]);
      return written.position;
    });
  }

  /** Hard delete: the stream refuses reads and writes from now on. */
  tombstone(streamName: string, expected: ExpectedRevision): Promise<bigint> {
    return this.serialised(async () => {
      const last = await this.lastEvent(streamName);
      if (last?.type === TOMBSTONE_EVENT_TYPE) throw new StreamTombstoned(streamName);
      checkExpected(streamName, expected, last?.revision ?? null);
      const written = await this.store.appendToStream(streamName, [
        serverJsonEvent(TOMBSTONE_EVENT_TYPE, {}),
      ]);
      return written.position;
    });
  }

  private async lastEvent(streamName: string): Promise<RecordedEvent | undefined> {
    const [last] = await this.store.readStream(streamName, { direction: 'backwards', maxCount: 1 });
    return last;
  }

  private async metadataOf(streamName: string): Promise<Record<string, unknown>> {
    const last = await this.lastEvent(metastreamOf(streamName));
    const data = last ? jsonDataOf(last) : undefined;
    return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function checkExpected(streamName: string, expected: ExpectedRevision, actual: number | null): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && actual === null) ||
    (expected === 'stream_exists' && actual !== null) ||
    expected === actual;
  if (!ok) throw new WrongExpectedVersion(streamName, expected, actual ?? 'no_stream');
}
