/**
 * The event store port, with EventStoreDB's semantics so that every adapter behaves the same
 * (architecture.md "Event store port"). One contract suite (test/event-store/event-store.contract.ts)
 * runs against every adapter.
 */

/** Injection token for the EventStore port. */
export const EVENT_STORE = Symbol('EventStore');

/** `any`: no check; `no_stream`: the stream must not exist; `stream_exists`: it must; a number: its last revision. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

/** An event to append. `id` is a UUID; appending an id the stream already holds stores nothing. */
export interface EventData {
  id: string;
  type: string;
  data: unknown;
  metadata?: unknown;
}

/** A stored event. */
export interface RecordedEvent {
  streamId: string;
  id: string;
  type: string;
  /** Stream revision, from 0. */
  revision: number;
  /** Global position in `$all`; only grows. */
  position: bigint;
  data: unknown;
  metadata: unknown;
  created: Date;
}

export interface AppendResult {
  /** The stream's last revision after the append. */
  nextExpectedRevision: number;
  /** Position of the last event appended (or of the existing one, for a deduplicated append). */
  position: bigint;
}

/** Thrown by appendToStream when the expected revision does not match; nothing is appended. */
export class WrongExpectedVersion extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's last revision, or 'no_stream'. */
    readonly actual: number | 'no_stream',
  ) {
    super(`Wrong expected version on ${streamId}: expected ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedVersion';
  }
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive. Default: 'start' forwards, 'end' backwards. */
  fromRevision?: number | 'start' | 'end';
  maxCount?: number;
}

/** Server-side filter for `$all`: by event type or by stream-name prefix (not both). */
export interface AllFilter {
  eventTypes?: string[];
  streamPrefixes?: string[];
}

export interface ReadAllOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive. Default: 'start' forwards, 'end' backwards. */
  fromPosition?: bigint | 'start' | 'end';
  maxCount?: number;
  filter?: AllFilter;
}

export interface SubscribeToAllOptions {
  /** Exclusive: the subscription starts after this position. 'start' delivers everything. */
  fromPosition: bigint | 'start';
  filter?: AllFilter;
}

export type SubscriptionMessage =
  | { kind: 'event'; event: RecordedEvent }
  /** Everything stored when the subscription began has been delivered; what follows is live. */
  | { kind: 'caughtUp'; position: bigint | null }
  /** With a filter, the scan has reached this position (store it as the checkpoint). */
  | { kind: 'checkpoint'; position: bigint };

/** A catch-up subscription: iterate it (backpressure is the iteration); unsubscribe to stop. */
export interface Subscription extends AsyncIterable<SubscriptionMessage> {
  unsubscribe(): Promise<void>;
}

export interface EventStore {
  /**
   * True when no other process can write to this store while this one has it open (the embedded
   * store's data-directory lock). Sequences reserve numbers ahead only then: with several processes
   * on one store, numbers reserved ahead by one would be handed out after larger numbers of another.
   */
  readonly exclusive?: boolean;
  /** Appends atomically; resolves only when the events are durable. Throws WrongExpectedVersion. */
  appendToStream(
    streamId: string,
    events: EventData[],
    expectedRevision?: ExpectedRevision,
  ): Promise<AppendResult>;
  /** A stream's events; [] when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events of `$all` in position order (user events only: no system streams). */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /** Catch-up then live subscription to `$all`. */
  subscribeToAll(options: SubscribeToAllOptions): Subscription;
  /** Releases files, connections and subscriptions. */
  close(): Promise<void>;
}
