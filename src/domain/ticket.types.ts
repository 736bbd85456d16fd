/** Value types shared by the ticket's events, commands and state (domain.md §1–§3). */

export const ROLES = ['REQUESTER', 'AGENT', 'SUPERVISOR', 'AUDITOR', 'REPORTER', 'SYSTEM'] as const;
export type Role = (typeof ROLES)[number];

export const TICKET_STATUSES = [
  'NEW',
  'ASSIGNED',
  'IN_PROGRESS',
  'AWAITING_REQUESTER',
  'SOLUTION_PROPOSED',
  'CLOSED',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'CRITICAL'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CHANNELS = ['WEB', 'EMAIL', 'TELEGRAM', 'MOBILE_APP', 'PHONE'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Support lines in escalation order: a move to a later line is an escalation. */
export const SUPPORT_LINES = ['FIRST', 'SECOND', 'FIELD'] as const;
export type SupportLine = (typeof SUPPORT_LINES)[number];

export const RESOLUTIONS = ['CONFIRMED', 'WITHDRAWN', 'AUTO_CLOSED', 'CANCELLED'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const COUPON_STATUSES = [
  'OPEN_FOR_USE',
  'UNAVAILABLE_EXCHANGE_ONLY',
  'CHECKED_IN',
  'BOARDED',
  'FLOWN',
  'REFUNDED',
  'EXCHANGED',
  'VOIDED',
  'SUSPENDED',
  'CLOSED',
] as const;
export type CouponStatus = (typeof COUPON_STATUSES)[number];

export const COUPON_SCENARIOS = [
  'UNAVAILABLE_REFUND',
  'STATUS_NOT_UPDATED_AFTER_OPERATION',
  'DOWNGRADE_FARE_DIFFERENCE',
  'CHECKIN_STATUS_NOT_UPDATED',
  'PARTIALLY_USED_TKP_BLANK',
  'ERRONEOUS_REFUND',
  'INTERLINE_STOCK',
  'CHECKED_IN_OR_BOARDED',
  'FLOWN_NOT_USED_CLAIM',
] as const;
export type CouponChangeScenario = (typeof COUPON_SCENARIOS)[number];

/** Who acted, as recorded on an event (domain.md §2): id and role; the name is kept in metadata. */
export interface EventActor {
  id: string;
  role: Role;
}

/** The acting person as they were at that moment: what event metadata records. */
export interface Actor extends EventActor {
  name: string | null;
}

export interface Requester {
  id: string;
  name: string | null;
  validatorNumber: string | null;
}

export interface Assignee {
  id: string;
  name: string | null;
  line: SupportLine;
}

export interface AgentDetails {
  lastName: string;
  firstName: string;
  middleName: string | null;
  referenceNumber: string;
}

export interface AgencyDetails {
  name: string;
  validatorNumber: string;
  address: string;
  contacts: string;
}

export interface FareClasses {
  from: string;
  to: string;
}

export interface BoardingPass {
  checkInNumber: string | null;
  seat: string | null;
  other: string | null;
}
