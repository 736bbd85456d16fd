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
import { OutOfOrderEvent, ticketIdOf, type ProjectionStore, type Projector } from './projector';

export const couponRequestsProjector: Projector = {
  name: 'coupon-requests',
  handles: ['CouponStatusChangeRequested'],
  collections: { [COUPON_REQUESTS]: READ_MODEL_INDEXES[COUPON_REQUESTS] },

  async apply(event: RecordedEvent, store: ProjectionStore): Promise<void> {
    const data = event.data as CouponStatusChangeRequestedData;
    const ticketId = ticketIdOf(event);
    const ticket = (await store.get(TICKETS, ticketId)) as TicketDocument | null;
    if (ticket === null || ticket.revision < event.revision) {
      throw new OutOfOrderEvent(event, ticket?.revision ?? null);
    }
    const request = ticket.couponRequests.find((r) => r.registrationNumber === data.registrationNumber);
    if (!request) throw new Error(`Ticket ${ticketId} does not record request ${data.registrationNumber}`);
    const doc: CouponRequestDocument = {
      ...request,
      _id: `${ticketId}:${event.revision}`,
      revision: event.revision,
      requesterId: ticket.requester.id,
      registrationSeq: data.registrationSeq,
    };
    await store.replace(COUPON_REQUESTS, doc, { expectedRevision: -1 });
  },
};
