import { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import type { RecordedEvent } from '../../../src/application/ports/event-store.port';

/** EventStoreDB's search window when the client asks for `count` instead of `max`. */
const DEFAULT_SEARCH_WINDOW = 32;

/** A server-side `$all` filter: which events pass, and after how many scanned events to checkpoint. */
export interface EventFilter {
  matches(event: RecordedEvent): boolean;
  checkpointEvery: number;
}

/** Builds the filter a read or subscription asked for, or null for `no_filter`. */
export function eventFilterOf(options: ReadReq.Options): EventFilter | null {
  if (!options.hasFilter()) return null;
  const filter = options.getFilter() as ReadReq.Options.FilterOptions;
  const onType = filter.hasEventType();
  const expression = (onType ? filter.getEventType() : filter.getStreamIdentifier()) as
    ReadReq.Options.FilterOptions.Expression | undefined;
  const prefixes = expression?.getPrefixList() ?? [];
  const source = expression?.getRegex() ?? '';
  const regex = source === '' ? null : new RegExp(source);
  const window = filter.hasMax() ? filter.getMax() : DEFAULT_SEARCH_WINDOW;
  return {
    matches(event) {
      const subject = onType ? event.type : event.streamId;
      if (regex && !regex.test(subject)) return false;
      return prefixes.length === 0 || prefixes.some((prefix) => subject.startsWith(prefix));
    },
    checkpointEvery: Math.max(1, window * Math.max(1, filter.getCheckpointintervalmultiplier())),
  };
}
