/**
 * Commands the ticket decides on. Everything a decision needs arrives here or in the
 * DecideContext: the domain reads no clock and makes no ids (architecture.md).
 */
import type { Catalog } from './catalog';
import type {
  Actor,
  Channel,
  CouponChangeScenario,
  CouponStatus,
  Priority,
  Resolution,
  SupportLine,
} from './ticket.types';

export interface CreateTicket {
  kind: 'CreateTicket';
  ticketId: string;
  /** Allocated by the application from the ticket-number sequence. */
  number: number;
  requester: { id: string; name?: string | null; validatorNumber?: string | null };
  channel?: Channel | null;
  module: string;
  category?: string | null;
  type?: string | null;
  subject: string;
  description: string;
  priority?: Priority | null;
  pnr?: string | null;
  /** ISO-8601 instant. */
  nearestDepartureAt?: string | null;
  eTicketNumber?: string | null;
}

export interface AssignTicket {
  kind: 'AssignTicket';
  assigneeId: string;
  assigneeName?: string | null;
  line?: SupportLine | null;
  reason?: string | null;
}

export interface AddComment {
  kind: 'AddComment';
  /** Made by the application (a UUID, or derived from the commandId). */
  commentId: string;
  body: string;
  internal?: boolean | null;
  requestsReply?: boolean | null;
}

export interface ProposeSolution {
  kind: 'ProposeSolution';
  solution: string;
}

export interface ReopenTicket {
  kind: 'ReopenTicket';
  reason: string;
}

/** Closing by a person (CONFIRMED, WITHDRAWN, CANCELLED) or by the system (AUTO_CLOSED). */
export interface CloseTicket {
  kind: 'CloseTicket';
  resolution: Resolution;
  reason?: string | null;
}

/** The request form as a client sends it: every field may be missing, and all are checked at once. */
export interface CouponRequestForm {
  pnr?: string | null;
  eTicketNumber?: string | null;
  couponNumbers?: number[] | null;
  passengerName?: string | null;
  scenario?: CouponChangeScenario | null;
  fromStatus?: CouponStatus | null;
  toStatus?: CouponStatus | null;
  description?: string | null;
  agent?: {
    lastName?: string | null;
    firstName?: string | null;
    middleName?: string | null;
    referenceNumber?: string | null;
  } | null;
  agency?: {
    name?: string | null;
    validatorNumber?: string | null;
    address?: string | null;
    contacts?: string | null;
  } | null;
  mcoNumber?: string | null;
  fareClasses?: { from?: string | null; to?: string | null } | null;
  boardingPass?: { checkInNumber?: string | null; seat?: string | null; other?: string | null } | null;
}

export interface RequestCouponStatusChange {
  kind: 'RequestCouponStatusChange';
  /** `k` of `N<k>`, allocated by the application from the registration sequence. */
  registrationSeq: number;
  form: CouponRequestForm;
}

export type TicketCommand =
  | CreateTicket
  | AssignTicket
  | AddComment
  | ProposeSolution
  | ReopenTicket
  | CloseTicket
  | RequestCouponStatusChange;

/** SLA and policy durations (domain.md §4): calendar hours and days, configurable. */
export interface TicketPolicy {
  firstResponseHours: number;
  resolutionHours: Record<Priority, number>;
  autoCloseAfterDays: number;
  reopenWindowDays: number;
}

export const DEFAULT_POLICY: TicketPolicy = {
  firstResponseHours: 24,
  resolutionHours: { CRITICAL: 4, HIGH: 24, NORMAL: 72, LOW: 120 },
  autoCloseAfterDays: 7,
  reopenWindowDays: 30,
};

export interface DecideContext {
  /** The instant of the decision; becomes the events' occurredAt. */
  now: Date;
  /** Who acts, with the one role they act in (SYSTEM for policies such as auto-close). */
  actor: Actor;
  policy: TicketPolicy;
  /** The catalog of modules, categories and types (domain.md §5); DEFAULT_CATALOG when absent. */
  catalog?: Catalog;
}
