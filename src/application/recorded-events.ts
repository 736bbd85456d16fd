/**
 * Stored ticket events as the domain folds them: the typed event, and the actor's name from the event's
 * metadata (domain.md §7). The command runner, the as-of query and the retention audit's verification
 * all fold through these, as the projections do through theirs.
 */
import type { TicketEventEntry } from '../domain/ticket';
import type { TicketEvent, TicketEventMetadata } from '../domain/ticket.events';
import type { RecordedEvent } from './ports/event-store.port';

export function metadataOf(event: RecordedEvent): Partial<TicketEventMetadata> | null {
  return typeof event.metadata === 'object' ? (event.metadata as Partial<TicketEventMetadata> | null) : null;
}

export function toTicketEvent(recorded: RecordedEvent): TicketEvent {
  return { type: recorded.type, data: recorded.data } as TicketEvent;
}

export function toTicketEntry(recorded: RecordedEvent): TicketEventEntry {
  return { event: toTicketEvent(recorded), meta: { actorName: metadataOf(recorded)?.actor?.name ?? null } };
}
