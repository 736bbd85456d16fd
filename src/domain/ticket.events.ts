/**
 * The ticket's events: plain data, a discriminated union on `type` (domain.md §2).
 * Times are ISO-8601 UTC strings so that a stored event folds to the same state on every replay.
 */
import type {
  Actor,
  AgencyDetails,
  AgentDetails,
  Assignee,
  BoardingPass,
  Channel,
  CouponChangeScenario,
  CouponStatus,
  EventActor,
  FareClasses,
  Priority,
  Requester,
  Resolution,
} from './ticket.types';

/** Fields every ticket event carries in its data. */
export interface EventBase {
  occurredAt: string;
  actor: EventActor;
}

export interface TicketCreatedData extends EventBase {
  ticketId: string;
  number: number;
  requester: Requester;
  channel: Channel;
  module: string;
  category: string | null;
  type: string | null;
  subject: string;
  description: string;
  priority: Priority;
  pnr: string | null;
  nearestDepartureAt: string | null;
  eTicketNumber: string | null;
  firstResponseDueAt: string;
  resolutionDueAt: string;
}

export interface TicketAssignedData extends EventBase {
  assignee: Assignee;
  /** The line before this assignment, or null when the ticket had no assignee. */
  previousLine: Assignee['line'] | null;
  escalation: boolean;
  reason: string | null;
}

export interface CommentAddedData extends EventBase {
  commentId: string;
  body: string;
  internal: boolean;
  requestsReply: boolean;
}

export interface SolutionProposedData extends EventBase {
  solution: string;
}

export interface TicketReopenedData extends EventBase {
  reason: string;
}

export interface TicketClosedData extends EventBase {
  resolution: Resolution;
  reason: string | null;
}

export interface CouponStatusChangeRequestedData extends EventBase {
  /** `N<k>`, e.g. N17. */
  registrationNumber: string;
  /** `k` of the registration number. */
  registrationSeq: number;
  pnr: string;
  eTicketNumber: string;
  couponNumbers: number[];
  passengerName: string;
  scenario: CouponChangeScenario;
  fromStatus: CouponStatus;
  toStatus: CouponStatus;
  description: string;
  agent: AgentDetails;
  agency: AgencyDetails;
  mcoNumber: string | null;
  fareClasses: FareClasses | null;
  boardingPass: BoardingPass | null;
  remark: string;
  salesControlViolation: boolean;
  deferredUntilFlown: boolean;
  /** Registration instant (= occurredAt) + 1 calendar year. */
  retainUntil: string;
}

export type TicketEvent =
  | { type: 'TicketCreated'; data: TicketCreatedData }
  | { type: 'TicketAssigned'; data: TicketAssignedData }
  | { type: 'CommentAdded'; data: CommentAddedData }
  | { type: 'SolutionProposed'; data: SolutionProposedData }
  | { type: 'TicketReopened'; data: TicketReopenedData }
  | { type: 'TicketClosed'; data: TicketClosedData }
  | { type: 'CouponStatusChangeRequested'; data: CouponStatusChangeRequestedData };

export type TicketEventType = TicketEvent['type'];

export const TICKET_EVENT_TYPES: readonly TicketEventType[] = [
  'TicketCreated',
  'TicketAssigned',
  'CommentAdded',
  'SolutionProposed',
  'TicketReopened',
  'TicketClosed',
  'CouponStatusChangeRequested',
];

/** Metadata stored beside each event: who or what did this, without looking anything up elsewhere (§7). */
export interface TicketEventMetadata {
  actor: Actor;
  commandId: string | null;
  /**
   * With a commandId: a digest of the command and its actor, so that the same commandId sent with a
   * different command is refused instead of answered with the first command's result.
   */
  commandFingerprint?: string | null;
  /** For system actions: the policy that fired, e.g. `auto-close-after-7-days`. */
  policy: string | null;
}

export const ticketStreamName = (ticketId: string): string => `ticket-${ticketId}`;
export const TICKET_STREAM_PREFIX = 'ticket-';
