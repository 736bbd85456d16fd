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
  resolutionSortKey,
  statusRank,
  type TicketDocument,
} from '../application/queries/read-models';
import { searchWords } from '../application/queries/search-words';
import { autoCloseClockStart } from '../domain/auto-close';
import { overdueFrom } from '../application/queries/overdue';
import { evolve, type TicketState } from '../domain/ticket';
import { TICKET_EVENT_TYPES } from '../domain/ticket.events';
import {
  OutOfOrderEvent,
  asTicketEvent,
  metaOf,
  ticketIdOf,
  type LoadedProjectionStore,
  type ProjectionStore,
  type Projector,
} from './projector';

/**
 * The document for a state, field by field (spreading a state of this size into a new object is several
 * times slower, and a rebuild makes one per event). Search words are kept from `previous`: subject and
 * description never change.
 */
export function ticketDocument(state: TicketState, previous: TicketDocument | null): TicketDocument {
  return {
    _id: state.id,
    revision: state.version,
    id: state.id,
    number: state.number,
    version: state.version,
    status: state.status,
    priority: state.priority,
    channel: state.channel,
    module: state.module,
    category: state.category,
    type: state.type,
    subject: state.subject,
    description: state.description,
    pnr: state.pnr,
    nearestDepartureAt: state.nearestDepartureAt,
    eTicketNumber: state.eTicketNumber,
    requester: state.requester,
    assignee: state.assignee,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    firstResponseDueAt: state.firstResponseDueAt,
    firstRespondedAt: state.firstRespondedAt,
    resolutionDueAt: state.resolutionDueAt,
    awaitingRequesterSince: state.awaitingRequesterSince,
    closedAt: state.closedAt,
    resolution: state.resolution,
    reopenCount: state.reopenCount,
    commentCount: state.commentCount,
    solution: state.solution,
    solutionProposedAt: state.solutionProposedAt,
    lastRequesterCommentAt: state.lastRequesterCommentAt,
    couponRequests: state.couponRequests,
    searchWords: previous?.searchWords ?? searchWords(`${state.subject} ${state.description}`),
    lookupKeys:
      previous !== null && previous.couponRequests.length === state.couponRequests.length
        ? previous.lookupKeys
        : lookupKeys(state),
    priorityRank: priorityRank(state.priority),
    statusRank: statusRank(state.status),
    hasCouponRequests: state.couponRequests.length > 0,
    resolutionSortKey: resolutionSortKey(state),
    overdueFrom: overdueFrom(state),
    autoCloseClockStart: autoCloseClockStart(state),
  };
}

/** The ticket's PNR and e-ticket number and those of its coupon requests, each once (TicketDocument). */
function lookupKeys(state: TicketState): string[] {
  const keys = new Set<string>();
  for (const holder of [state, ...state.couponRequests]) {
    if (holder.pnr) keys.add(holder.pnr);
    if (holder.eTicketNumber) keys.add(holder.eTicketNumber);
  }
  return [...keys];
}

/** The state a document was made from (comments live in their own read model; evolve only appends). */
export function stateOf(doc: TicketDocument): TicketState {
  return {
    id: doc.id,
    number: doc.number,
    version: doc.version,
    status: doc.status,
    priority: doc.priority,
    channel: doc.channel,
    module: doc.module,
    category: doc.category,
    type: doc.type,
    subject: doc.subject,
    description: doc.description,
    pnr: doc.pnr,
    nearestDepartureAt: doc.nearestDepartureAt,
    eTicketNumber: doc.eTicketNumber,
    requester: doc.requester,
    assignee: doc.assignee,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    firstResponseDueAt: doc.firstResponseDueAt,
    firstRespondedAt: doc.firstRespondedAt,
    resolutionDueAt: doc.resolutionDueAt,
    awaitingRequesterSince: doc.awaitingRequesterSince,
    closedAt: doc.closedAt,
    resolution: doc.resolution,
    reopenCount: doc.reopenCount,
    commentCount: doc.commentCount,
    comments: [],
    solution: doc.solution,
    solutionProposedAt: doc.solutionProposedAt,
    lastRequesterCommentAt: doc.lastRequesterCommentAt,
    couponRequests: doc.couponRequests,
  };
}

/**
 * The next document for the event, or null when the document already reflects it (revision guard).
 * Throws OutOfOrderEvent when an earlier event of the stream is missing.
 */
export function nextTicketDocument(
  event: RecordedEvent,
  previous: TicketDocument | null,
): TicketDocument | null {
  const expectedRevision = previous?.revision ?? -1;
  if (event.revision <= expectedRevision) return null;
  if (event.revision !== expectedRevision + 1) throw new OutOfOrderEvent(event, previous?.revision ?? null);
  const state = evolve(previous ? stateOf(previous) : null, asTicketEvent(event), metaOf(event));
  return ticketDocument(state, previous);
}

export const ticketProjector: Projector = {
  name: 'tickets',
  handles: TICKET_EVENT_TYPES,
  collections: { [TICKETS]: READ_MODEL_INDEXES[TICKETS] },

  async apply(event: RecordedEvent, store: ProjectionStore): Promise<void> {
    const previous = (await store.get(TICKETS, ticketIdOf(event))) as TicketDocument | null;
    const next = nextTicketDocument(event, previous);
    if (next !== null) await store.replace(TICKETS, next, { expectedRevision: previous?.revision ?? -1 });
  },

  applyNow(event: RecordedEvent, store: LoadedProjectionStore): void {
    const previous = store.get(TICKETS, ticketIdOf(event)) as TicketDocument | null;
    const next = nextTicketDocument(event, previous);
    if (next !== null) store.replace(TICKETS, next, { expectedRevision: previous?.revision ?? -1 });
  },

  reads: (event) => [{ collection: TICKETS, id: ticketIdOf(event) }],
};
