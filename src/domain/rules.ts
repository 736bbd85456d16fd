/**
 * Every rule a command can break, by its stable id (the GraphQL error's `extensions.rule`), with what
 * it means. Ids never change once published; the API docs list them from here.
 */
import { RuleViolated } from './domain.errors';

export const RULES = {
  'ticket.already-exists': 'A ticket is created once: its stream already holds TicketCreated.',
  'ticket.not-found': 'The command needs an existing ticket.',
  'ticket.closed': 'A CLOSED ticket takes no changes but reopening.',
  'ticket.not-owner': 'A requester acts only on their own tickets.',
  'create.role': 'Only requesters (their own) and agents or supervisors (on behalf) create tickets.',
  'create.requester-not-self': 'A requester creates tickets only for themselves.',
  'assign.role': 'Only agents and supervisors assign tickets.',
  'assign.not-allowed-in-status':
    'Assignment is possible while NEW, ASSIGNED, IN_PROGRESS or AWAITING_REQUESTER.',
  'assign.escalation-needs-reason': 'Moving a ticket to a higher support line (escalation) needs a reason.',
  'comment.role': 'Only the requester, agents and supervisors comment.',
  'comment.internal-staff-only': 'Only agents and supervisors write internal comments.',
  'comment.requests-reply-staff-only': 'Only agents and supervisors ask the requester for a reply.',
  'comment.internal-cannot-request-reply':
    'A reply cannot be requested in a comment the requester cannot see.',
  'solution.role': 'Only agents and supervisors propose solutions.',
  'solution.not-allowed-in-status':
    'A solution is proposed while ASSIGNED, IN_PROGRESS or AWAITING_REQUESTER.',
  'reopen.role': 'Only the requester, agents and supervisors reopen tickets.',
  'reopen.not-allowed-in-status': 'Only a ticket in SOLUTION_PROPOSED or CLOSED can be reopened.',
  'reopen.staff-only-from-closed': 'Agents and supervisors reopen only CLOSED tickets.',
  'reopen.window-expired': 'A CLOSED ticket can be reopened only within the reopen window after closing.',
  'close.confirm-requester-only': 'Only the requester confirms a solution.',
  'close.confirm-requires-solution-proposed': 'A solution can be confirmed only while SOLUTION_PROPOSED.',
  'close.withdraw-requester-only': 'Only the requester withdraws a ticket.',
  'close.auto-system-only': 'Only the system closes tickets automatically.',
  'close.auto-requires-solution-proposed': 'Auto-closing applies only to tickets in SOLUTION_PROPOSED.',
  'close.auto-too-early': 'Auto-closing waits until the proposed solution has gone unanswered long enough.',
  'close.cancel-supervisor-only': 'Only supervisors cancel tickets.',
  'close.cancel-needs-reason': 'Cancelling a ticket needs a reason.',
  'coupon.role': 'Only the requester (own ticket), agents and supervisors request coupon status changes.',
  'coupon.checked-in-or-boarded': 'A checked-in or boarded coupon is not changed for a refund or exchange.',
  'coupon.flown-not-used-claim': 'A claim that a flown coupon was not used goes to the legal department.',
  'coupon.scenario-not-allowed': 'The scenario does not allow this change of coupon status.',
  'coupon.too-many-on-ticket':
    'A ticket holds at most 100 coupon status change requests, and at most 8 MB of them.',
  'comment.too-many-on-ticket': 'A requester writes at most 1,000 comments on one ticket.',
} as const;

export type RuleId = keyof typeof RULES;

/** All rule ids, for documentation and error mapping. */
export const RULE_IDS = Object.keys(RULES) as RuleId[];

/** The error for a broken rule; only listed rule ids can be used. */
export const violated = (rule: RuleId, message: string, guidance: string | null = null): RuleViolated =>
  new RuleViolated(rule, message, guidance);
