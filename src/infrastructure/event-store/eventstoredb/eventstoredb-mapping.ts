import {
  jsonEvent,
  type AppendExpectedRevision,
  type CurrentRevision,
  type EventType,
  type JSONEventData,
  type JSONType,
  type MetadataType,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type {
  AllFilter,
  EventData,
  ExpectedRevision,
  RecordedEvent,
} from '../../../application/ports/event-store.port';
import type { ProtocolFilter } from './eventstoredb-client';

/** The port's expected revision as the client wants it (revisions are BigInt there). */
export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  return typeof expected === 'number' ? BigInt(expected) : expected;
}

/** The client's current revision as the port reports it. */
export function fromClientCurrentRevision(actual: CurrentRevision): number | 'no_stream' {
  return actual === 'no_stream' ? 'no_stream' : Number(actual);
}

/**
 * A port event as a JSON event for the client. The client types JSON bodies narrowly (objects,
 * arrays, strings) but serialises any JSON value; a missing body is sent as `null`.
 */
export function toClientEvent(event: EventData): JSONEventData {
  return jsonEvent({
    id: event.id,
    type: event.type,
    data: (event.data ?? null) as JSONType,
    metadata: event.metadata as MetadataType | undefined,
  });
}

/** A system event EventStoreDB keeps in `$all` (`$`-prefixed stream or type): never the app's. */
export function isSystemEvent(event: { streamId: string; type: string }): boolean {
  return event.streamId.startsWith('$') || event.type.startsWith('$');
}

/** Converts a resolved event from the client; undefined when it carries no event. */
export function toRecordedEvent(resolved: ResolvedEvent<EventType>): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event) return undefined;
  const position = event.position?.commit ?? resolved.commitPosition;
  if (position === undefined) return undefined;
  return {
    streamId: event.streamId,
    id: event.id,
    type: event.type,
    revision: Number(event.revision),
    position,
    data: event.data,
    metadata: event.metadata,
    created: event.created,
  };
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Matches no name at all (an empty filter list keeps nothing, as in the port). */
const NOTHING = '(?!)';

/**
 * The server-side filter for a port filter: exact event types become an anchored regex
 * (EventStoreDB's type prefixes would also match longer names); stream prefixes stay prefixes;
 * no filter excludes system events, as EventStoreDB's own `excludeSystemEvents` does.
 */
export function toProtocolFilter(filter: AllFilter | undefined): ProtocolFilter {
  if (filter?.eventTypes !== undefined && filter.streamPrefixes !== undefined) {
    throw new RangeError('A $all filter is by event type or by stream prefix, not both');
  }
  if (filter?.eventTypes !== undefined) {
    const names = filter.eventTypes.map(escapeRegex);
    return { on: 'eventType', regex: names.length === 0 ? NOTHING : `^(?:${names.join('|')})$` };
  }
  if (filter?.streamPrefixes !== undefined) {
    return filter.streamPrefixes.length === 0
      ? { on: 'streamName', regex: NOTHING }
      : { on: 'streamName', prefixes: filter.streamPrefixes };
  }
  return { on: 'eventType', regex: '^[^$].*' };
}
