/**
 * Overdue as a stored instant, so lists filter and count it through an index: the moment after which
 * the ticket is overdue (domain sla.ts `isOverdue`) as long as nothing else happens to it, or null when
 * its state cannot become overdue. A query at `now` then asks `overdueFrom < now`.
 */
import type { TicketState } from '../../domain/ticket';
import type { Filter } from '../ports/read-store.port';

type OverdueView = Pick<
  TicketState,
  'status' | 'firstRespondedAt' | 'firstResponseDueAt' | 'resolutionDueAt' | 'awaitingRequesterSince'
>;

/**
 * - first response: pending while not given and not CLOSED, due at `firstResponseDueAt`;
 * - resolution: pending while NEW, ASSIGNED or IN_PROGRESS, due at `resolutionDueAt`. While
 *   AWAITING_REQUESTER the clock is paused, so it counts only when already missed as the wait began
 *   (the pause stops the clock, it does not turn it back).
 */
export function overdueFrom(state: OverdueView): string | null {
  const due: string[] = [];
  if (state.status !== 'CLOSED' && state.firstRespondedAt === null) due.push(state.firstResponseDueAt);
  const resolving = state.status === 'NEW' || state.status === 'ASSIGNED' || state.status === 'IN_PROGRESS';
  const since = state.awaitingRequesterSince;
  const missedBeforeWait =
    state.status === 'AWAITING_REQUESTER' && (since === null || since > state.resolutionDueAt);
  if (resolving || missedBeforeWait) due.push(state.resolutionDueAt);
  if (due.length === 0) return null;
  return due.reduce((earliest, at) => (at < earliest ? at : earliest));
}

/** Tickets overdue at `now` (a string range: never matches null). */
export const overdueAt = (now: Date): Filter => ({ overdueFrom: { $lt: now.toISOString() } });

/** The same rule as an aggregation expression (there null sorts below every string, so test it). */
export const overdueExpression = (now: Date): Record<string, unknown> => ({
  $and: [{ $ne: ['$overdueFrom', null] }, { $lt: ['$overdueFrom', now.toISOString()] }],
});
