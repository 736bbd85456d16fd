import {
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  eventTypeFilter,
  FORWARDS,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  streamNameFilter,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { StoreUnavailable } from '../../../application/ports/store-unavailable';
import {
  WrongExpectedVersion,
  type AppendResult,
  type EventData,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type Subscription,
  type SubscribeToAllOptions,
} from '../../../application/ports/event-store.port';
import { ConnectionHealth, type EventStoreConnectionHealth, withoutEmptyNote } from './connection-health';
import { EventStoreDbClient, type FilteredReadAllOptions, type ProtocolFilter } from './eventstoredb-client';
import {
  fromClientCurrentRevision,
  isSystemEvent,
  toClientEvent,
  toClientExpectedRevision,
  toProtocolFilter,
  toRecordedEvent,
} from './eventstoredb-mapping';
import { ResilientSubscription } from './resilient-subscription';

/** Health source for one-off calls (appends and reads). */
const CALLS = 'calls';

/**
 * The EventStore port over EventStoreDB (`@eventstore/db-client`): the production store when
 * EVENTSTORE_URL is set. Subscriptions resume by themselves after a drop; `health()` says
 * whether the server is reachable and every subscription is live.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly health_ = new ConnectionHealth();
  private readonly subscriptions = new Set<ResilientSubscription>();
  private nextSubscription = 1;
  private closing: Promise<void> | undefined;

  constructor(private readonly client: EventStoreDbClient) {}

  /** Whether EventStoreDB answered the last call and every subscription is connected. */
  health(): EventStoreConnectionHealth {
    return this.health_.current();
  }

  /** Asks the server for the head of `$all`; refreshes and returns `health()`. */
  async checkConnection(): Promise<EventStoreConnectionHealth> {
    try {
      for await (const _ of this.readAll({ direction: 'backwards', maxCount: 1 })) break;
    } catch {
      // Recorded in health by the read itself.
    }
    return this.health();
  }

  async appendToStream(
    streamId: string,
    events: EventData[],
    expectedRevision: ExpectedRevision = 'any',
  ): Promise<AppendResult> {
    const result = await this.call(async () => {
      try {
        return await this.client.appendToStream(streamId, events.map(toClientEvent), {
          expectedRevision: toClientExpectedRevision(expectedRevision),
        });
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        throw new WrongExpectedVersion(
          streamId,
          expectedRevision,
          fromClientCurrentRevision(error.actualVersion),
        );
      }
    });
    // An empty append only checks the expected revision; the client reports a missing stream as
    // revision 0 then, so the stream's head is read to answer as the port does (-1 when missing).
    if (events.length === 0) return this.headOf(streamId);
    const revision = Number(result.nextExpectedRevision);
    // EventStoreDB may leave the position out when the append was a deduplicated repeat.
    const position = result.position?.commit ?? (await this.positionOf(streamId, revision));
    return { nextExpectedRevision: revision, position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const direction = options.direction ?? 'forwards';
    const from = options.fromRevision ?? (direction === 'forwards' ? 'start' : 'end');
    return this.call(async () => {
      const events: RecordedEvent[] = [];
      try {
        const read = this.client.readStream(streamId, {
          direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
          fromRevision: from === 'start' ? START : from === 'end' ? END : BigInt(from),
          maxCount: options.maxCount,
        });
        for await (const resolved of read) {
          const event = toRecordedEvent(resolved);
          if (event) events.push(event);
        }
      } catch (error) {
        // A missing, soft-deleted or tombstoned stream holds no events.
        if (error instanceof StreamNotFoundError || error instanceof StreamDeletedError) return [];
        throw error;
      }
      return events;
    });
  }

  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    const direction = options.direction ?? 'forwards';
    const from = options.fromPosition ?? (direction === 'forwards' ? 'start' : 'end');
    const filter = toProtocolFilter(options.filter);
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (remaining <= 0) return;
    const backwardsFromPosition = direction === 'backwards' && typeof from === 'bigint';
    if (backwardsFromPosition) {
      // EventStoreDB reads backwards from the record before a position; the port includes it.
      for await (const event of this.readFiltered({
        direction: 'forwards',
        fromPosition: from,
        maxCount: 1,
        filter,
      })) {
        if (event.position !== from) break;
        yield event;
        remaining--;
      }
    }
    if (remaining <= 0) return;
    // The server counts what it sends; only events of the types the caller named cannot be dropped here
    // as system events. Without a filter (every type not starting with `$`) or with stream prefixes, a
    // system stream's event can pass the server (a projection's `Result` in `$projections-…-result`)
    // and be dropped here: then the server is given no count, and the read stops here after `remaining`.
    const serverCount =
      options.maxCount === undefined || options.filter?.eventTypes === undefined
        ? undefined
        : remaining + (backwardsFromPosition ? 1 : 0);
    for await (const event of this.readFiltered({
      direction,
      fromPosition: from,
      maxCount: serverCount,
      filter,
    })) {
      if (backwardsFromPosition && event.position >= (from as bigint)) continue;
      yield event;
      if (--remaining <= 0) return;
    }
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    const filter = toProtocolFilter(options.filter);
    const subscription: ResilientSubscription = new ResilientSubscription({
      fromPosition: options.fromPosition,
      forwardCheckpoints: options.filter !== undefined,
      health: this.health_,
      healthSource: `subscription ${this.nextSubscription++}`,
      onClosed: () => this.subscriptions.delete(subscription),
      open: (from, onCheckpoint) =>
        this.client.subscribeToAll({
          fromPosition: from === 'start' ? START : { commit: from, prepare: from },
          filter: clientFilter(filter, async (position) => onCheckpoint(position)),
        }),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Ends every subscription first, then the client's calls and channel. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((subscription) => subscription.unsubscribe()));
      await this.client.shutdown();
    })();
    return this.closing;
  }

  private async *readFiltered(options: FilteredReadAllOptions): AsyncGenerator<RecordedEvent> {
    const read = this.client.readAllFiltered(options);
    let complete = false;
    try {
      let answered = false;
      for await (const resolved of read) {
        // The server answered: reachable, even if the reader stops after this event (checkConnection).
        if (!answered) this.health_.up(CALLS);
        answered = true;
        const event = toRecordedEvent(resolved);
        if (event && !isSystemEvent(event)) yield event;
      }
      complete = true;
      this.health_.up(CALLS);
    } catch (error) {
      throw this.unavailableOr(error);
    } finally {
      // Stopped early (maxCount reached, consumer broke out, or an error): end the gRPC call.
      if (!complete) await read.cancel().catch(() => undefined);
    }
  }

  /** The stream's last revision and its position, or -1 and -1 when the stream does not exist. */
  private async headOf(streamId: string): Promise<AppendResult> {
    const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return last === undefined
      ? { nextExpectedRevision: -1, position: -1n }
      : { nextExpectedRevision: last.revision, position: last.position };
  }

  private async positionOf(streamId: string, revision: number): Promise<bigint> {
    const [event] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    if (!event)
      throw new Error(`EventStoreDB lost revision ${revision} of ${streamId} right after appending it`);
    return event.position;
  }

  /** Runs one call, keeping `health()` in step with what it says about the connection. */
  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      this.health_.up(CALLS);
      return result;
    } catch (error) {
      throw this.unavailableOr(error);
    }
  }

  /** StoreUnavailable when the failure says the server could not be reached, else the error itself. */
  private unavailableOr(error: unknown): unknown {
    if (!this.noteFailure(error)) return error;
    return new StoreUnavailable('event store', `EventStoreDB unreachable: ${describeError(error)}`, {
      cause: error,
    });
  }

  /** Records what the failure says about the connection; true when the server could not be reached. */
  private noteFailure(error: unknown): boolean {
    const lost =
      error instanceof UnavailableError ||
      error instanceof CancelledError ||
      error instanceof DeadlineExceededError;
    if (lost) this.health_.down(CALLS, `EventStoreDB unreachable: ${error.message}`);
    else this.health_.up(CALLS);
    return lost;
  }
}

const describeError = (error: unknown): string =>
  withoutEmptyNote(error instanceof Error ? error.message : String(error));

function clientFilter(filter: ProtocolFilter, checkpointReached: (position: bigint) => Promise<void>) {
  const reached = (_: unknown, position: { commit: bigint }) => checkpointReached(position.commit);
  const make = filter.on === 'eventType' ? eventTypeFilter : streamNameFilter;
  return filter.prefixes
    ? make({ prefixes: filter.prefixes, checkpointReached: reached })
    : make({ regex: filter.regex ?? '', checkpointReached: reached });
}

/**
 * Builds the EventStoreDB adapter for `url` (EVENTSTORE_URL). A malformed connection string is
 * refused here, with a message naming the variable, before anything connects.
 */
export function createEventStoreDbEventStore(url: string): EventStoreDbEventStore {
  let client: EventStoreDbClient;
  try {
    client = EventStoreDbClient.fromConnectionString(url);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `EVENTSTORE_URL is not a valid EventStoreDB connection string (${reason}); expected e.g. esdb://localhost:2113?tls=false`,
    );
  }
  return new EventStoreDbEventStore(client);
}
