import type {
  AppendResult,
  EventData,
  ExpectedRevision,
  ReadStreamOptions,
  RecordedEvent,
} from '../../../src/application/ports/event-store.port';

/** Reading `$all` the way the test server needs it: system streams included, positions exact. */
export interface BackingReadAllOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive. */
  fromPosition?: bigint | 'start' | 'end';
  maxCount?: number;
}

/**
 * What the protocol server needs from the store that keeps its events: the EventStore port's
 * writes and stream reads, plus `$all` with system streams (`$$` metadata, tombstones).
 */
export interface BackingStore {
  appendToStream(streamId: string, events: EventData[], expected?: ExpectedRevision): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAllIncludingSystem(options: BackingReadAllOptions): AsyncIterable<RecordedEvent>;
  close(): Promise<void>;
}
