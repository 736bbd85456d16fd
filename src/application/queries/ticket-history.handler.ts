import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CommentAddedData, TicketCreatedData, TicketEventMetadata } from '../../domain/ticket.events';
import { ticketStreamName } from '../../domain/ticket.events';
import type { EventActor } from '../../domain/ticket.types';
import { canReadHistory, canSeeInternalComments } from '../access';
import { Forbidden } from '../errors';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../ports/event-store.port';
import type { HistoryEventView } from '../views';
import { TicketHistoryQuery } from './ticket-queries';

/**
 * A ticket's history, read from the event store (the record, not the read model), oldest first.
 * Requesters read their own tickets' history without internal comments; reporters none (Forbidden).
 */
@QueryHandler(TicketHistoryQuery)
export class TicketHistoryHandler implements IQueryHandler<TicketHistoryQuery, HistoryEventView[]> {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async execute({ principal, ticketId, upToRevision }: TicketHistoryQuery): Promise<HistoryEventView[]> {
    const stream = await this.events.readStream(
      ticketStreamName(ticketId),
      upToRevision === undefined ? {} : { maxCount: upToRevision + 1 },
    );
    const created = stream.find((event) => event.type === 'TicketCreated');
    const requester = created ? (created.data as TicketCreatedData).requester : { id: '' };
    if (!canReadHistory(principal, { requester })) {
      throw new Forbidden('This caller may not read the history of this ticket');
    }
    const seesInternal = canSeeInternalComments(principal);
    return stream
      .filter((event) => seesInternal || !isInternalComment(event))
      .map((event) => historyEvent(event));
  }
}

const isInternalComment = (event: RecordedEvent): boolean =>
  event.type === 'CommentAdded' && (event.data as CommentAddedData).internal === true;

/** One stored event as history shows it: who (with the name recorded beside it), when, where in `$all`. */
export function historyEvent(event: RecordedEvent): HistoryEventView {
  const data = (event.data ?? {}) as Record<string, unknown> & { occurredAt?: string; actor?: EventActor };
  const metadata = (event.metadata ?? {}) as Partial<TicketEventMetadata>;
  const actor = data.actor ?? metadata.actor ?? { id: 'unknown', role: 'SYSTEM' };
  return {
    revision: event.revision,
    eventType: event.type,
    occurredAt: data.occurredAt ?? event.created.toISOString(),
    actor: { id: actor.id, role: actor.role, name: metadata.actor?.name ?? null },
    position: event.position.toString(),
    dataJson: JSON.stringify(event.data),
    data,
  };
}
