/**
 * The auto-close policy (domain.md §2): a proposed solution the requester leaves unanswered for
 * `policy.autoCloseAfterDays` days closes the ticket as AUTO_CLOSED, by the system.
 */
import type { TicketPolicy } from './ticket.commands';
import type { TicketState } from './ticket';

/**
 * The policy's name, recorded in the event metadata when it fires (domain.md §7). It names the days
 * configured when it fired (`auto-close-after-7-days` by default), so history says which rule closed it.
 */
export function autoClosePolicyName(policy: Pick<TicketPolicy, 'autoCloseAfterDays'>): string {
  const days = policy.autoCloseAfterDays;
  return `auto-close-after-${days}-${days === 1 ? 'day' : 'days'}`;
}

const DAY_MS = 86_400_000;

/**
 * When the auto-close clock started: the proposal, or the requester's latest comment after it — a
 * requester who answers (without confirming or reopening) has not left the solution unanswered.
 */
export function autoCloseClockStart(
  state: Pick<TicketState, 'status' | 'solutionProposedAt' | 'lastRequesterCommentAt'>,
): string | null {
  if (state.status !== 'SOLUTION_PROPOSED' || state.solutionProposedAt === null) return null;
  const { solutionProposedAt: proposed, lastRequesterCommentAt: answered } = state;
  return answered !== null && Date.parse(answered) > Date.parse(proposed) ? answered : proposed;
}

/** Whether the ticket is due for auto-closing at `now`: SOLUTION_PROPOSED and unanswered for ≥ the policy's days. */
export function isDueForAutoClose(
  state: Pick<TicketState, 'status' | 'solutionProposedAt' | 'lastRequesterCommentAt'>,
  now: Date,
  policy: Pick<TicketPolicy, 'autoCloseAfterDays'>,
): boolean {
  const start = autoCloseClockStart(state);
  if (start === null) return false;
  return now.getTime() - Date.parse(start) >= policy.autoCloseAfterDays * DAY_MS;
}
