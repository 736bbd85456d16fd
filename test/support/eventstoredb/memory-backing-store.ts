import {
  WrongExpectedVersion,
  type AppendResult,
  type EventData,
  type ExpectedRevision,
  type ReadStreamOptions,
  type RecordedEvent,
} from '../../../src/application/ports/event-store.port';
import type { BackingReadAllOptions, BackingStore } from './backing-store';

/** A stand-in store kept in memory, used until the embedded engine is available. */
export class MemoryBackingStore implements BackingStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();

  async appendToStream(
    streamId: string,
    events: EventData[],
    expected: ExpectedRevision = 'any',
  ): Promise<AppendResult> {
    const stream = this.streams.get(streamId) ?? [];
    const last = stream.length - 1;
    const known = events.map((e) => stream.find((r) => r.id === e.id));
    if (known.every((k) => k !== undefined) && known.length > 0) {
      const lastKnown = known[known.length - 1] as RecordedEvent;
      return { nextExpectedRevision: lastKnown.revision, position: lastKnown.position };
    }
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && last === -1) ||
      (expected === 'stream_exists' && last >= 0) ||
      expected === last;
    if (!ok) throw new WrongExpectedVersion(streamId, expected, last === -1 ? 'no_stream' : last);
    for (const event of events) {
      const recorded: RecordedEvent = {
        streamId,
        id: event.id,
        type: event.type,
        revision: stream.length,
        position: BigInt(16 + this.log.length * 10),
        data: JSON.parse(JSON.stringify(event.data ?? null)),
        metadata: JSON.parse(JSON.stringify(event.metadata ?? null)),
        created: new Date(),
      };
      stream.push(recorded);
      this.log.push(recorded);
    }
    this.streams.set(streamId, stream);
    const tail = stream[stream.length - 1];
    return { nextExpectedRevision: tail.revision, position: tail.position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const stream = this.streams.get(streamId) ?? [];
    const forwards = options.direction !== 'backwards';
    const from = options.fromRevision ?? (forwards ? 'start' : 'end');
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (forwards) {
      const start = from === 'start' ? 0 : from === 'end' ? stream.length : from;
      return stream.slice(start).slice(0, max);
    }
    const start =
      from === 'end' ? stream.length - 1 : from === 'start' ? 0 : Math.min(from, stream.length - 1);
    return stream
      .slice(0, start + 1)
      .reverse()
      .slice(0, max);
  }

  async *readAllIncludingSystem(options: BackingReadAllOptions): AsyncIterable<RecordedEvent> {
    const forwards = options.direction !== 'backwards';
    const from = options.fromPosition ?? (forwards ? 'start' : 'end');
    let events = forwards ? [...this.log] : [...this.log].reverse();
    if (typeof from === 'bigint')
      events = events.filter((e) => (forwards ? e.position >= from : e.position <= from));
    yield* events.slice(0, options.maxCount ?? Number.MAX_SAFE_INTEGER);
  }

  async close(): Promise<void> {}
}
