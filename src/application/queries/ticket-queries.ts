/**
 * The read side's queries as the QueryBus carries them: the caller and the plain arguments of the
 * matching GraphQL field (shared/contract/schema.graphql). Handlers live beside this file.
 */
import { Query } from '@nestjs/cqrs';
import type { Principal } from '../principal';
import type { ReadBudget } from './read-budget';
import type {
  Connection,
  CouponRequestFilterInput,
  CouponRequestView,
  HistoryEventView,
  RetentionAuditView,
  StatsBucketView,
  StatsDimension,
  TicketFilterInput,
  TicketSortInput,
  TicketView,
} from '../views';

/** `ticket(id, number)`: null when it does not exist or the caller may not see it. */
/**
 * What of a ticket's correspondence the caller's selection needs: its comments, and its comment count
 * (which for a requester is counted from the comments they may see). Both by default.
 */
export interface CommentsNeeded {
  comments: boolean;
  commentCount: boolean;
  /** Only the latest this many comments of each ticket are shown (`comments(last:)`); all when absent. */
  last?: number | null;
  /** Whether their bodies are shown: the text counted against the budget is the text shown (default yes). */
  bodies?: boolean;
  /** Whether the ticket's history is shown too (a mutation reserves it before its change). */
  history?: boolean;
  /** The request's budget for correspondence (read-budget.ts); none: unbounded. */
  budget?: ReadBudget;
}

export const ALL_OF_THE_COMMENTS: CommentsNeeded = { comments: true, commentCount: true };

export class GetTicketQuery extends Query<TicketView | null> {
  constructor(
    readonly principal: Principal,
    readonly by: { id?: string | null; number?: number | null },
    readonly needs: CommentsNeeded = ALL_OF_THE_COMMENTS,
  ) {
    super();
  }
}

/** `tickets(filter, sort, first, after)`: one keyset page (at most 100) and the total count. */
export class ListTicketsQuery extends Query<Connection<TicketView>> {
  constructor(
    readonly principal: Principal,
    readonly filter: TicketFilterInput | null,
    readonly sort: TicketSortInput | null,
    readonly first: number,
    readonly after: string | null,
    readonly needs: CommentsNeeded = ALL_OF_THE_COMMENTS,
  ) {
    super();
  }
}

/** `Ticket.history`: the ticket's events from the event store, oldest first. */
export class TicketHistoryQuery extends Query<HistoryEventView[]> {
  constructor(
    readonly principal: Principal,
    readonly ticketId: string,
    /** The last revision to show (a past state's history ends where the state does); all when absent. */
    readonly upToRevision?: number,
    /** A page of it: from this revision on (default 0), at most `limit` events of the stream (default all). */
    readonly page: { fromRevision?: number | null; limit?: number | null } = {},
    /** The request's budget, with the ticket's version (what the stream holds) to reserve from. */
    readonly budget: { of: ReadBudget; version: number } | null = null,
  ) {
    super();
  }
}

/** `ticketAsOf(id, at)`: the fold of the ticket's events that occurred at or before `at`. */
export class TicketAsOfQuery extends Query<TicketView | null> {
  constructor(
    readonly principal: Principal,
    readonly id: string,
    readonly at: Date,
    /** What of its correspondence is shown, and the request's budget it is counted against. */
    readonly needs: CommentsNeeded = ALL_OF_THE_COMMENTS,
  ) {
    super();
  }
}

/** `ticketStats(filter, groupBy)`: one bucket per combination of the dimensions' values. */
export class TicketStatsQuery extends Query<StatsBucketView[]> {
  constructor(
    readonly principal: Principal,
    readonly filter: TicketFilterInput | null,
    readonly groupBy: StatsDimension[],
  ) {
    super();
  }
}

/** `couponRequests(filter, first, after)`: newest first. */
export class ListCouponRequestsQuery extends Query<Connection<CouponRequestView>> {
  constructor(
    readonly principal: Principal,
    readonly filter: CouponRequestFilterInput | null,
    readonly first: number,
    readonly after: string | null,
  ) {
    super();
  }
}

/** `couponRequestRetentionAudit(asOf, verify)`: counts, and with `verify` the check against the event store. */
export class RetentionAuditQuery extends Query<RetentionAuditView> {
  constructor(
    readonly principal: Principal,
    readonly asOf: Date | null,
    readonly verify: boolean,
  ) {
    super();
  }
}

/** `RetentionAudit.requests(state, first, after)`: the requests within retention at `asOf`, or past it. */
export class RetentionRequestsQuery extends Query<Connection<CouponRequestView>> {
  constructor(
    readonly principal: Principal,
    readonly asOf: Date,
    readonly state: 'RETAINED' | 'EXPIRED',
    readonly first: number,
    readonly after: string | null,
  ) {
    super();
  }
}
