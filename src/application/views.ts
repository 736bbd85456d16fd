/**
 * What queries return: plain data shaped like the GraphQL contract's types (times as ISO-8601 strings).
 * The read models store documents close to these; the GraphQL layer serves them as they are.
 */
import type { TicketComment, TicketCouponRequest, TicketState } from '../domain/ticket';
import type { Actor, Channel, Priority, Role, SupportLine, TicketStatus } from '../domain/ticket.types';

/** A comment as the caller may see it: the domain's recorded comment. */
export type CommentView = TicketComment;

/** A coupon status change request as recorded on its ticket (with retention fields). */
export type CouponRequestView = TicketCouponRequest;

/**
 * A ticket as a query returns it: the domain's state without its SLA/auto-close bookkeeping, with
 * `overdue` computed at query time and the comments (and count) filtered for the caller.
 */
export type TicketView = Omit<
  TicketState,
  'awaitingRequesterSince' | 'solutionProposedAt' | 'lastRequesterCommentAt'
> & {
  overdue: boolean;
  /**
   * Set on a past state (`ticketAsOf`): the last revision folded into it, so the ticket's `history`
   * stops there too instead of showing events that had not happened yet.
   */
  asOfRevision?: number;
};

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** One event of a ticket's history, read from the event store (domain.md §7). */
export interface HistoryEventView {
  revision: number;
  eventType: string;
  occurredAt: string;
  actor: Actor;
  /** `$all` position as a decimal string. */
  position: string;
  dataJson: string;
  /** The event's data, for the typed fields of each GraphQL event type. */
  data: Record<string, unknown>;
  /** The commandId the change was sent with (staff only; null for requesters and without one). */
  commandId: string | null;
  /** For a system action, the policy that fired (`auto-close-after-7-days`). */
  policy: string | null;
}

/** The dimensions `ticketStats` groups by, in the contract's order. */
export const STATS_DIMENSIONS = [
  'STATUS',
  'MODULE',
  'CATEGORY',
  'TYPE',
  'PRIORITY',
  'CHANNEL',
  'LINE',
  'ASSIGNEE',
  'CREATED_DAY',
  'CREATED_WEEK',
  'CREATED_MONTH',
] as const;

export type StatsDimension = (typeof STATS_DIMENSIONS)[number];

export interface StatsBucketView {
  key: { dimension: StatsDimension; value: string | null }[];
  count: number;
  open: number;
  closed: number;
  overdue: number;
  reopened: number;
  avgFirstResponseMinutes: number | null;
  avgResolutionMinutes: number | null;
}

export interface TicketFilterInput {
  search?: string | null;
  status?: TicketStatus[] | null;
  priority?: Priority[] | null;
  channel?: Channel[] | null;
  module?: string[] | null;
  category?: string[] | null;
  type?: string[] | null;
  requesterId?: string | null;
  validatorNumber?: string | null;
  assigneeId?: string | null;
  assigned?: boolean | null;
  line?: SupportLine[] | null;
  createdFrom?: Date | null;
  createdTo?: Date | null;
  updatedFrom?: Date | null;
  updatedTo?: Date | null;
  overdue?: boolean | null;
  hasCouponRequests?: boolean | null;
}

export type TicketSortField =
  'CREATED_AT' | 'UPDATED_AT' | 'NUMBER' | 'PRIORITY' | 'STATUS' | 'RESOLUTION_DUE_AT';

export interface TicketSortInput {
  field: TicketSortField;
  direction: 'ASC' | 'DESC';
}

export interface CouponRequestFilterInput {
  ticketId?: string | null;
  eTicketNumber?: string | null;
  pnr?: string | null;
  scenario?: string[] | null;
  registeredFrom?: Date | null;
  registeredTo?: Date | null;
  salesControlViolation?: boolean | null;
}

export type DiscrepancyKind = 'MISSING_IN_READ_MODEL' | 'MISSING_IN_EVENT_STORE' | 'MISMATCH';

export interface RetentionAuditView {
  asOf: string;
  windowStart: string;
  retainedCount: number;
  expiredCount: number;
  verified: boolean;
  eventCount: number | null;
  discrepancies: {
    kind: DiscrepancyKind;
    ticketId: string;
    registrationNumber: string | null;
    detail: string;
  }[];
}

/** What every command returns: enough to wait for the read models and to answer the client. */
export interface CommandResult {
  ticketId: string;
  /** The stream's last revision after the command. */
  version: number;
  /** `$all` position of the command's last event (or of the ticket's last event when nothing was appended). */
  position: bigint;
  commandId: string | null;
  /** Set by RequestCouponStatusChange: the registration number, e.g. N17. */
  registrationNumber?: string;
  /**
   * The ticket as it stands after the command, folded from its events: what a mutation answers with
   * when the read models do not show the change in time (the write is stored either way).
   */
  state: TicketState;
  /**
   * True when the commandId had run before: nothing was appended now, and `version`, `position` and
   * `state` are the ticket as that first run left it (domain.md §2: "returns the same result").
   */
  repeated?: boolean;
}

export type { Role };
