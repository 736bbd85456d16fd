/** The query handlers over a ReadSide, as the QueryBus would call them. */
import { ListCouponRequestsHandler } from '../../src/application/queries/coupon-request.handlers';
import { GetTicketHandler } from '../../src/application/queries/get-ticket.handler';
import { ListTicketsHandler } from '../../src/application/queries/list-tickets.handler';
import {
  RetentionAuditHandler,
  RetentionRequestsHandler,
} from '../../src/application/queries/retention.handlers';
import { TicketAsOfHandler } from '../../src/application/queries/ticket-as-of.handler';
import { TicketHistoryHandler } from '../../src/application/queries/ticket-history.handler';
import { TicketStatsHandler } from '../../src/application/queries/ticket-stats.handler';
import {
  GetTicketQuery,
  ListCouponRequestsQuery,
  ListTicketsQuery,
  RetentionAuditQuery,
  RetentionRequestsQuery,
  TicketAsOfQuery,
  TicketHistoryQuery,
  TicketStatsQuery,
} from '../../src/application/queries/ticket-queries';
import type { Principal } from '../../src/application/principal';
import type {
  CouponRequestFilterInput,
  StatsDimension,
  TicketFilterInput,
  TicketSortInput,
} from '../../src/application/views';
import type { ReadSide } from './read-side.fixture';

export function queriesOf(side: ReadSide) {
  return {
    get: (p: Principal, by: { id?: string | null; number?: number | null }) =>
      new GetTicketHandler(side.readStore, side.clock).execute(new GetTicketQuery(p, by)),
    list: (
      p: Principal,
      filter: TicketFilterInput | null = null,
      sort: TicketSortInput | null = null,
      first = 20,
      after: string | null = null,
    ) =>
      new ListTicketsHandler(side.readStore, side.clock).execute(
        new ListTicketsQuery(p, filter, sort, first, after),
      ),
    history: (p: Principal, ticketId: string) =>
      new TicketHistoryHandler(side.events).execute(new TicketHistoryQuery(p, ticketId)),
    asOf: (p: Principal, id: string, at: Date) =>
      new TicketAsOfHandler(side.events, side.clock).execute(new TicketAsOfQuery(p, id, at)),
    stats: (p: Principal, filter: TicketFilterInput | null, groupBy: StatsDimension[]) =>
      new TicketStatsHandler(side.readStore, side.clock).execute(new TicketStatsQuery(p, filter, groupBy)),
    coupons: (
      p: Principal,
      filter: CouponRequestFilterInput | null = null,
      first = 20,
      after: string | null = null,
    ) =>
      new ListCouponRequestsHandler(side.readStore).execute(
        new ListCouponRequestsQuery(p, filter, first, after),
      ),
    audit: (p: Principal, asOf: Date | null = null, verify = false) =>
      new RetentionAuditHandler(side.readStore, side.events, side.clock).execute(
        new RetentionAuditQuery(p, asOf, verify),
      ),
    retained: (
      p: Principal,
      asOf: Date,
      state: 'RETAINED' | 'EXPIRED',
      first = 20,
      after: string | null = null,
    ) =>
      new RetentionRequestsHandler(side.readStore).execute(
        new RetentionRequestsQuery(p, asOf, state, first, after),
      ),
  };
}
