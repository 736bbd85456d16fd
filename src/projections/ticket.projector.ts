/**
 * The tickets read model: each ticket's folded state (the domain's `evolve`, so the read side never
 * re-implements a rule) plus the fields lists filter and sort on. One document per ticket, replaced
 * guarded by its revision: a replayed or duplicated event is a no-op.
 */
import type { RecordedEvent } from '../application/ports/event-store.port';
import {
  READ_MODEL_INDEXES,
  TICKETS,
  priorityRank,
  statusRank,
  type TicketDocument,
} from '../application/queries/read-models';
import { searchWords } from '../application/queries/search-words';
import { autoCloseClockStart } from '../domain/auto-close';
import { evolve, type TicketState } from '../domain/ticket';
import { TICKET_EVENT_TYPES } from '../domain/ticket.events';
import {
  OutOfOrderEvent,
  asTicketEvent,
  metaOf,
  ticketIdOf,
  type ProjectionStore,
  type Projector,
} from './projector';

/** The document for a state; search words are kept from `previous` (subject and description never change). */
export function ticketDocument(state: TicketState, previous: TicketDocument | null): TicketDocument {
  const { comments: _comments, ...rest } = state;
  const waiting = state.status === 'AWAITING_REQUESTER' && state.awaitingRequesterSince !== null;
  return {
    ...rest,
    _id: state.id,
    revision: state.version,
    searchWords: previous?.searchWords ?? searchWords(`${state.subject} ${state.description}`),
    priorityRank: priorityRank(state.priority),
    statusRank: statusRank(state.status),
    hasCouponRequests: state.couponRequests.length > 0,
    resolutionMissedBeforeWait: waiting && (state.awaitingRequesterSince as string) > state.resolutionDueAt,
    autoCloseClockStart: autoCloseClockStart(state),
  };
}

/** The state a document was made from (comments live in their own read model; evolve only appends). */
export function stateOf(doc: TicketDocument): TicketState {
  return { ...doc, comments: [] };
}

export const ticketProjector: Projector = {
  name: 'tickets',
  handles: TICKET_EVENT_TYPES,
  collections: { [TICKETS]: READ_MODEL_INDEXES[TICKETS] },

  async apply(event: RecordedEvent, store: ProjectionStore): Promise<void> {
    const previous = (await store.get(TICKETS, ticketIdOf(event))) as TicketDocument | null;
    const expectedRevision = previous?.revision ?? -1;
    if (event.revision <= expectedRevision) return;
    if (event.revision !== expectedRevision + 1) throw new OutOfOrderEvent(event, previous?.revision ?? null);
    const state = evolve(previous ? stateOf(previous) : null, asTicketEvent(event), metaOf(event));
    await store.replace(TICKETS, ticketDocument(state, previous), { expectedRevision });
  },
};
