/**
 * Deadlines (domain.md §4): the first response and the resolution, in calendar hours from the
 * ticket's creation, with the time spent waiting on the requester not counted.
 */
import type { TicketPolicy } from './ticket.commands';
import type { TicketState } from './ticket';
import type { Priority } from './ticket.types';

const HOUR_MS = 3_600_000;

/** The due times a new ticket gets (recorded in TicketCreated, so a policy change never rewrites history). */
export function slaDueTimes(
  createdAt: Date,
  priority: Priority,
  policy: TicketPolicy,
): { firstResponseDueAt: string; resolutionDueAt: string } {
  const created = createdAt.getTime();
  return {
    firstResponseDueAt: new Date(created + policy.firstResponseHours * HOUR_MS).toISOString(),
    resolutionDueAt: new Date(created + policy.resolutionHours[priority] * HOUR_MS).toISOString(),
  };
}

type SlaView = Pick<TicketState, 'status' | 'resolutionDueAt' | 'awaitingRequesterSince'>;

/**
 * The resolution deadline as it stands at `at`: while the ticket waits on the requester the clock is
 * paused, so the deadline keeps moving later by the wait so far. A deadline missed before the wait
 * began stays missed (the pause stops the clock, it does not turn it back).
 */
export function effectiveResolutionDueAt(state: SlaView, at: Date): string {
  // Outside a wait the recorded deadline stands as it is (the API's DateTime serializes it in UTC).
  if (state.status !== 'AWAITING_REQUESTER' || state.awaitingRequesterSince === null) {
    return state.resolutionDueAt;
  }
  const due = Date.parse(state.resolutionDueAt);
  const waitedMs = Math.max(0, at.getTime() - Date.parse(state.awaitingRequesterSince));
  return new Date(due + waitedMs).toISOString();
}

/** Whether the first response is overdue at `now`: not given, and its due time has passed. */
export function isFirstResponseOverdue(
  state: Pick<TicketState, 'status' | 'firstRespondedAt' | 'firstResponseDueAt'>,
  now: Date,
): boolean {
  if (state.status === 'CLOSED' || state.firstRespondedAt !== null) return false;
  return now.getTime() > Date.parse(state.firstResponseDueAt);
}

/** Whether the resolution is overdue at `now`: no solution proposed or closed, and the deadline passed. */
export function isResolutionOverdue(state: SlaView, now: Date): boolean {
  if (state.status === 'SOLUTION_PROPOSED' || state.status === 'CLOSED') return false;
  return now.getTime() > Date.parse(effectiveResolutionDueAt(state, now));
}

/**
 * Overdue (domain.md §4): now is past a deadline not met. A CLOSED ticket is never overdue — nothing
 * is left to answer, even when it was withdrawn before anyone responded.
 */
export function isOverdue(
  state: SlaView & Pick<TicketState, 'firstRespondedAt' | 'firstResponseDueAt'>,
  now: Date,
): boolean {
  return isFirstResponseOverdue(state, now) || isResolutionOverdue(state, now);
}
