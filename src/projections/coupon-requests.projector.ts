/**
 * The coupon status change requests read model (domain.md §3.2), with the retention fields the audit
 * reads. Each request is inserted once. It takes the request as the ticket recorded it, so the tickets
 * projector (which runs first on every event) must already have applied the event.
 */
import type { RecordedEvent } from '../application/ports/event-store.port';
import {
  COUPON_REQUESTS,
  READ_MODEL_INDEXES,
  TICKETS,
  type CouponRequestDocument,
  type TicketDocument,
} from '../application/queries/read-models';
import type { CouponStatusChangeRequestedData } from '../domain/ticket.events';
import {
  OutOfOrderEvent,
  ticketIdOf,
  type LoadedProjectionStore,
  type ProjectionStore,
  type Projector,
} from './projector';

export const couponRequestsProjector: Projector = {
  name: 'coupon-requests',
  handles: ['CouponStatusChangeRequested'],
  collections: { [COUPON_REQUESTS]: READ_MODEL_INDEXES[COUPON_REQUESTS] },

  async apply(event: RecordedEvent, store: ProjectionStore): Promise<void> {
    const ticket = (await store.get(TICKETS, ticketIdOf(event))) as TicketDocument | null;
    await store.replace(COUPON_REQUESTS, requestDocument(event, ticket), { expectedRevision: -1 });
  },

  applyNow(event: RecordedEvent, store: LoadedProjectionStore): void {
    const ticket = store.get(TICKETS, ticketIdOf(event)) as TicketDocument | null;
    store.replace(COUPON_REQUESTS, requestDocument(event, ticket), { expectedRevision: -1 });
  },

  reads: (event) => [{ collection: TICKETS, id: ticketIdOf(event) }],
};

function requestDocument(event: RecordedEvent, ticket: TicketDocument | null): CouponRequestDocument {
  const data = event.data as CouponStatusChangeRequestedData;
  const ticketId = ticketIdOf(event);
  if (ticket === null || ticket.revision < event.revision) {
    throw new OutOfOrderEvent(event, ticket?.revision ?? null);
  }
  const request = ticket.couponRequests.find((r) => r.registrationNumber === data.registrationNumber);
  if (!request) throw new Error(`Ticket ${ticketId} does not record request ${data.registrationNumber}`);
  return {
    ...request,
    _id: `${ticketId}:${event.revision}`,
    revision: event.revision,
    requesterId: ticket.requester.id,
    registrationSeq: data.registrationSeq,
  };
}
