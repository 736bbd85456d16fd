import { AllFilter } from '../../../application/ports/event-store.port';
import { isSystemRecord, readEventType, readStreamId } from './log-record';

/** Decides from a record's header bytes (no JSON parsing) whether `$all` readers want it. */
export type RecordMatcher = (buffer: Buffer, offset: number) => boolean;

/**
 * Builds the matcher for a `$all` read or subscription: system streams (`$`-prefixed) are left
 * out unless asked for; an event-type filter keeps exact type names, a stream filter keeps
 * names starting with one of the prefixes. An empty list keeps nothing.
 */
export function recordMatcher(filter: AllFilter | undefined, includeSystemStreams: boolean): RecordMatcher {
  const types = filter?.eventTypes;
  const prefixes = filter?.streamPrefixes;
  if (types !== undefined && prefixes !== undefined) {
    throw new RangeError('A $all filter is by event type or by stream prefix, not both');
  }
  const wanted = (buffer: Buffer, offset: number): boolean =>
    includeSystemStreams || !isSystemRecord(buffer, offset);
  if (types !== undefined) {
    const typeSet = new Set(types);
    return (buffer, offset) => wanted(buffer, offset) && typeSet.has(readEventType(buffer, offset));
  }
  if (prefixes !== undefined) {
    return (buffer, offset) => {
      if (!wanted(buffer, offset)) return false;
      const streamId = readStreamId(buffer, offset);
      return prefixes.some((prefix) => streamId.startsWith(prefix));
    };
  }
  return wanted;
}
