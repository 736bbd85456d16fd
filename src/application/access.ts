/**
 * Who may do what (domain.md §6), as small pure functions over the caller's principal. The command
 * handlers and query handlers call these; the domain's `decide` then checks the role-specific rules
 * of each command (a requester cannot assign, only a supervisor cancels, …).
 */
import type { Actor, Requester, Role } from '../domain/ticket.types';
import { Forbidden, NotFound } from './errors';
import type { Principal } from './principal';

/** The roles that may change tickets, strongest first: a caller acts in the first one they hold. */
const ACTING_ROLES: readonly Role[] = ['SUPERVISOR', 'AGENT', 'REQUESTER'];

const has = (principal: Principal, ...roles: Role[]): boolean =>
  principal.roles.some((role) => roles.includes(role));

/**
 * The one role the caller acts in when changing a ticket: SUPERVISOR over AGENT over REQUESTER.
 * Auditors and reporters change nothing (Forbidden); SYSTEM is never taken from a token.
 */
export function actingRole(principal: Principal): Role {
  const role = ACTING_ROLES.find((r) => principal.roles.includes(r));
  if (role === undefined) {
    throw new Forbidden(`${theRolesOf(principal)} may not change tickets`);
  }
  return role;
}

/** The caller's roles as a refusal names them: "The AUDITOR role", "The roles AUDITOR and REPORTER". */
export function theRolesOf(principal: Principal): string {
  const roles = principal.roles;
  if (roles.length === 0) return 'A caller without a role';
  if (roles.length === 1) return `The ${roles[0]} role`;
  return `The roles ${roles.slice(0, -1).join(', ')} and ${roles[roles.length - 1]}`;
}

/** The caller as recorded on events: id, name and the one role they act in. */
export function actorOf(principal: Principal): Actor {
  return { id: principal.id, name: principal.name, role: actingRole(principal) };
}

/**
 * The caller in each role they may change tickets in, strongest first. A command on an existing ticket
 * is done in the first of them whose rules allow it: a requester who is also an agent withdraws their
 * own ticket as its requester, but answers other tickets as an agent. Forbidden when there is none.
 */
export function actorsOf(principal: Principal): Actor[] {
  actingRole(principal);
  return ACTING_ROLES.filter((role) => principal.roles.includes(role)).map((role) => ({
    id: principal.id,
    name: principal.name,
    role,
  }));
}

/** The system, when a policy acts (auto-close). */
export const SYSTEM_ACTOR: Actor = { id: 'system', name: 'Auto-close policy', role: 'SYSTEM' };

/**
 * The requester of a new ticket. A requester's own ticket takes them from the token; only agents and
 * supervisors create on someone else's behalf (e.g. a phone call). Without `requested`, staff file
 * the ticket as themselves.
 */
export function requesterOfNewTicket(
  principal: Principal,
  actor: Actor,
  requested: { id: string; name?: string | null; validatorNumber?: string | null } | null | undefined,
): Requester {
  const self: Requester = {
    id: principal.id,
    name: principal.name,
    validatorNumber: principal.validatorNumber,
  };
  if (requested === null || requested === undefined) return self;
  // A requester naming someone else goes on to the domain, which refuses it with its rule id
  // (RULE_VIOLATED create.requester-not-self); naming themselves, they get the token's details.
  if (actor.role === 'REQUESTER' && requested.id === principal.id) return self;
  // A blank id is left to the domain, which reports it together with every other bad field.
  return {
    id: requested.id.trim(),
    name: requested.name ?? null,
    validatorNumber: requested.validatorNumber ?? null,
  };
}

/**
 * Refuses a requester acting on someone else's ticket: as NotFound when they may not see it (they must
 * not learn that it exists), as Forbidden when another of their roles shows it to them (a requester who
 * is also a reporter). Staff act on any ticket.
 */
export function ensureMayActOn(
  actor: Actor,
  ticket: { id: string; requester: { id: string } },
  principal: Principal,
): void {
  if (actor.role !== 'REQUESTER' || ticket.requester.id === actor.id) return;
  if (canSeeTicket(principal, ticket)) {
    throw new Forbidden(`Ticket ${ticket.id} is not yours: a requester changes only their own tickets`);
  }
  throw new NotFound(`Ticket ${ticket.id} not found`);
}

/** Agents, supervisors, auditors and reporters see every ticket (lists, statistics). */
export function canReadAllTickets(principal: Principal): boolean {
  return has(principal, 'AGENT', 'SUPERVISOR', 'AUDITOR', 'REPORTER');
}

/** Requester-only callers: every ticket query is narrowed to tickets whose requester they are. */
export function ownTicketsOnly(principal: Principal): boolean {
  return !canReadAllTickets(principal);
}

/** Whether the caller may see this ticket at all (requesters: their own; callers with no role: none). */
export function canSeeTicket(principal: Principal, ticket: { requester: { id: string } }): boolean {
  return (
    canReadAllTickets(principal) || (has(principal, 'REQUESTER') && ticket.requester.id === principal.id)
  );
}

/**
 * Whether the caller may read this ticket's history: agents, supervisors and auditors any ticket's,
 * requesters their own tickets' (without internal comments); reporters never.
 */
export function canReadHistory(principal: Principal, ticket: { requester: { id: string } }): boolean {
  if (has(principal, 'AGENT', 'SUPERVISOR', 'AUDITOR')) return true;
  return has(principal, 'REQUESTER') && ticket.requester.id === principal.id;
}

/** Internal comments are for staff and auditors; requesters (and reporters) never see them. */
export function canSeeInternalComments(principal: Principal): boolean {
  return has(principal, 'AGENT', 'SUPERVISOR', 'AUDITOR');
}

/** `ticketAsOf`: agents, supervisors and auditors. */
export function canUseAsOf(principal: Principal): boolean {
  return has(principal, 'AGENT', 'SUPERVISOR', 'AUDITOR');
}

/** The coupon-request retention audit: auditors and supervisors. */
export function canAuditRetention(principal: Principal): boolean {
  return has(principal, 'AUDITOR', 'SUPERVISOR');
}
