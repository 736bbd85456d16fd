import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CommentAddedData, TicketCreatedData, TicketEventMetadata } from '../../domain/ticket.events';
import { ticketStreamName } from '../../domain/ticket.events';
import type { EventActor } from '../../domain/ticket.types';
import { type FieldError, InvalidInput } from '../../domain/domain.errors';
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

  async execute({
    principal,
    ticketId,
    upToRevision,
    page,
    budget,
  }: TicketHistoryQuery): Promise<HistoryEventView[]> {
    const { fromRevision, limit } = checkedPage(page);
    const end = upToRevision === undefined ? Infinity : upToRevision + 1;
    const count = Math.min(limit ?? Infinity, end - fromRevision);
    // At most what the stream held at the ticket's version (a little less than it reads, if it moved on).
    budget?.of.reserve(Math.max(0, Math.min(count, budget.version + 1 - fromRevision)), 'history');
    const streamId = ticketStreamName(ticketId);
    const stream =
      count <= 0
        ? []
        : await this.events.readStream(streamId, {
            fromRevision,
            ...(Number.isFinite(count) ? { maxCount: count } : {}),
          });
    // Who may read it is decided by the ticket's creation, also when the page starts after it.
    const created =
      fromRevision === 0 && stream.length > 0
        ? stream[0]
        : (await this.events.readStream(streamId, { maxCount: 1 }))[0];
    const requester =
      created?.type === 'TicketCreated' ? (created.data as TicketCreatedData).requester : { id: '' };
    if (!canReadHistory(principal, { requester })) {
      throw new Forbidden('This caller may not read the history of this ticket');
    }
    const seesInternal = canSeeInternalComments(principal);
    const shown = stream
      .filter((event) => seesInternal || !isInternalComment(event))
      .map((event) =>
        seesInternal ? historyEvent(event, true) : withoutStaffNotes(historyEvent(event, false)),
      );
    budget?.of.spendText(
      shown.reduce((sum, event) => sum + event.dataJson.length, 0),
      'history',
    );
    return shown;
  }
}

/** The longest page of history one request may ask for. */
export const MAX_HISTORY_PAGE = 1_000;

function checkedPage(page: TicketHistoryQuery['page']): { fromRevision: number; limit: number | null } {
  const fields: FieldError[] = [];
  const fromRevision = page.fromRevision ?? 0;
  const limit = page.limit ?? null;
  if (!Number.isInteger(fromRevision) || fromRevision < 0) {
    fields.push({ path: 'fromRevision', message: 'must be a revision: an integer from 0' });
  }
  if (limit !== null && (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_PAGE)) {
    fields.push({ path: 'limit', message: `must be an integer from 1 to ${MAX_HISTORY_PAGE}` });
  }
  if (fields.length > 0) throw new InvalidInput(fields);
  return { fromRevision, limit };
}

/**
 * An assignment's `reason` is the desk's note to itself ("needs an ETKT database fix", "second line:
 * the agency's contract"), written beside the assignment as an internal comment would be: a requester's
 * history shows the assignment (who, which line, whether an escalation) without it, in the field and
 * in `dataJson` alike.
 */
function withoutStaffNotes(event: HistoryEventView): HistoryEventView {
  if (event.eventType !== 'TicketAssigned' || !('reason' in event.data)) return event;
  const { reason: _reason, ...data } = event.data;
  return { ...event, data, dataJson: JSON.stringify(data) };
}

const isInternalComment = (event: RecordedEvent): boolean =>
  event.type === 'CommentAdded' && (event.data as CommentAddedData).internal === true;

/**
 * One stored event as history shows it: who (with the name recorded beside it), when, where in `$all`,
 * with which commandId (to staff: `showsCommandIds`) and, for a system action, by which policy — so an
 * auditor sees that an auto-close fired after 3 days when the setting said so then.
 */
export function historyEvent(event: RecordedEvent, showsCommandIds: boolean): HistoryEventView {
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
    commandId: showsCommandIds ? (metadata.commandId ?? null) : null,
    policy: metadata.policy ?? null,
  };
}
