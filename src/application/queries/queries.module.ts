import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AUTO_CLOSE_CANDIDATES } from '../ports/auto-close-candidates.port';
import { ReadModelAutoCloseCandidates } from './auto-close-candidates';
import { ListCouponRequestsHandler } from './coupon-request.handlers';
import { GetTicketHandler } from './get-ticket.handler';
import { ListTicketsHandler } from './list-tickets.handler';
import { RetentionAuditHandler, RetentionRequestsHandler } from './retention.handlers';
import { TicketAsOfHandler } from './ticket-as-of.handler';
import { TicketHistoryHandler } from './ticket-history.handler';
import { TicketStatsHandler } from './ticket-stats.handler';

/** Every query handler of the read side. */
export const TICKET_QUERY_HANDLERS = [
  GetTicketHandler,
  ListTicketsHandler,
  TicketHistoryHandler,
  TicketAsOfHandler,
  TicketStatsHandler,
  ListCouponRequestsHandler,
  RetentionAuditHandler,
  RetentionRequestsHandler,
];

/** Ports the read side implements for the command side. */
export const READ_SIDE_PORTS = [{ provide: AUTO_CLOSE_CANDIDATES, useClass: ReadModelAutoCloseCandidates }];

/**
 * The query handlers over the read store. Needs READ_STORE, EVENT_STORE and CLOCK from a global module
 * (StoresModule); exports AUTO_CLOSE_CANDIDATES for the command side's auto-close policy.
 */
@Module({
  imports: [CqrsModule],
  providers: [...TICKET_QUERY_HANDLERS, ...READ_SIDE_PORTS],
  exports: [AUTO_CLOSE_CANDIDATES],
})
export class QueriesModule {}
