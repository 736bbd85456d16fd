import {
  effectiveResolutionDueAt,
  isFirstResponseOverdue,
  isOverdue,
  isResolutionOverdue,
  slaDueTimes,
} from '../../src/domain/sla';
import { fold, type TicketState } from '../../src/domain/ticket';
import { DEFAULT_POLICY } from '../../src/domain/ticket.commands';
import type { TicketEvent } from '../../src/domain/ticket.events';
import type { Priority } from '../../src/domain/ticket.types';
import {
  AGENT,
  REQUESTER,
  commentAdded,
  hoursAfter,
  isoAfter,
  solutionProposed,
  ticketAssigned,
  ticketClosed,
  ticketCreated,
  ticketReopened,
} from './fixtures';

const MS = 1 / 3_600_000;
const ticket = (...events: TicketEvent[]): TicketState => fold(events) as TicketState;
const withPriority = (priority: Priority) =>
  ticketCreated({ priority, ...slaDueTimes(hoursAfter(0), priority, DEFAULT_POLICY) });

describe('§4 deadlines', () => {
  it.each([
    ['CRITICAL', 4],
    ['HIGH', 24],
    ['NORMAL', 72],
    ['LOW', 120],
  ] as const)('§4 %s: resolution due %i h after creation, first response 24 h', (priority, hours) => {
    expect(slaDueTimes(hoursAfter(0), priority, DEFAULT_POLICY)).toEqual({
      firstResponseDueAt: isoAfter(24),
      resolutionDueAt: isoAfter(hours),
    });
  });

  it('§4 first response: overdue only once now is past 24 h without a public agent answer', () => {
    const state = ticket(ticketCreated());
    expect(isFirstResponseOverdue(state, hoursAfter(24))).toBe(false);
    expect(isFirstResponseOverdue(state, hoursAfter(24 + MS))).toBe(true);
    expect(isOverdue(state, hoursAfter(24 + MS))).toBe(true);
  });

  it('§4 first response given in time: no longer overdue for it', () => {
    const state = ticket(ticketCreated(), commentAdded(10, AGENT));
    expect(isFirstResponseOverdue(state, hoursAfter(30))).toBe(false);
    expect(isOverdue(state, hoursAfter(30))).toBe(false);
  });

  it('§4 first response given late still counts as met from then on', () => {
    const state = ticket(ticketCreated(), commentAdded(30, AGENT));
    expect(isOverdue(state, hoursAfter(31))).toBe(false);
  });

  it('§4 an internal note or a requester comment is no first response', () => {
    const state = ticket(
      ticketCreated(),
      commentAdded(1, AGENT, { internal: true }),
      commentAdded(2, REQUESTER),
    );
    expect(isFirstResponseOverdue(state, hoursAfter(25))).toBe(true);
  });

  it.each([
    ['CRITICAL', 4],
    ['HIGH', 24],
    ['NORMAL', 72],
    ['LOW', 120],
  ] as const)(
    '§4 %s: resolution overdue once now is past %i h and no solution proposed',
    (priority, hours) => {
      const state = ticket(withPriority(priority), ticketAssigned(0.5), commentAdded(1, AGENT));
      expect(isResolutionOverdue(state, hoursAfter(hours))).toBe(false);
      expect(isResolutionOverdue(state, hoursAfter(hours + MS))).toBe(true);
      expect(isOverdue(state, hoursAfter(hours + MS))).toBe(true);
    },
  );

  it('§4 a ticket in SOLUTION_PROPOSED or CLOSED is not overdue for resolution', () => {
    const proposed = ticket(withPriority('CRITICAL'), ticketAssigned(0.5), solutionProposed(10));
    expect(isOverdue(proposed, hoursAfter(100))).toBe(false);
    const closed = ticket(withPriority('CRITICAL'), ticketClosed(1, 'WITHDRAWN'));
    expect(isOverdue(closed, hoursAfter(100))).toBe(false);
  });

  it('§4 a reopened ticket is measured against its original resolution deadline again', () => {
    const reopened = ticket(ticketCreated(), ticketAssigned(0.5), solutionProposed(10), ticketReopened(100));
    expect(isResolutionOverdue(reopened, hoursAfter(101))).toBe(true);
  });

  describe('§4 time awaiting the requester does not count', () => {
    const asked = commentAdded(10, AGENT, { requestsReply: true });

    it('§4 while AWAITING_REQUESTER the resolution clock is paused', () => {
      const state = ticket(ticketCreated(), ticketAssigned(0.5), asked);
      expect(state.awaitingRequesterSince).toBe(isoAfter(10));
      expect(isOverdue(state, hoursAfter(500))).toBe(false);
      expect(effectiveResolutionDueAt(state, hoursAfter(40))).toBe(isoAfter(72 + 30));
    });

    it("§4 on the requester's reply the deadline moves later by the wait", () => {
      const state = ticket(ticketCreated(), ticketAssigned(0.5), asked, commentAdded(40, REQUESTER));
      expect(state.status).toBe('IN_PROGRESS');
      expect(state.resolutionDueAt).toBe(isoAfter(72 + 30));
      expect(isResolutionOverdue(state, hoursAfter(102))).toBe(false);
      expect(isResolutionOverdue(state, hoursAfter(102 + MS))).toBe(true);
    });

    it('§4 every wait adds up', () => {
      const state = ticket(
        ticketCreated(),
        ticketAssigned(0.5),
        asked,
        commentAdded(15, REQUESTER),
        commentAdded(20, AGENT, { requestsReply: true }),
        commentAdded(30, REQUESTER),
      );
      expect(state.resolutionDueAt).toBe(isoAfter(72 + 5 + 10));
    });

    it('§4 asking again while already awaiting does not restart the wait', () => {
      const state = ticket(
        ticketCreated(),
        asked,
        commentAdded(12, AGENT, { requestsReply: true }),
        commentAdded(20, REQUESTER),
      );
      expect(state.resolutionDueAt).toBe(isoAfter(72 + 10));
    });

    it('§4 leaving the wait by any event (proposal, assignment, closing) moves the deadline too', () => {
      expect(ticket(ticketCreated(), ticketAssigned(0.5), asked, solutionProposed(14)).resolutionDueAt).toBe(
        isoAfter(76),
      );
      expect(ticket(ticketCreated(), asked, ticketAssigned(13)).resolutionDueAt).toBe(isoAfter(75));
      expect(ticket(ticketCreated(), asked, ticketClosed(11, 'WITHDRAWN')).resolutionDueAt).toBe(
        isoAfter(73),
      );
    });

    it('§4 a deadline already missed before the wait stays missed while waiting', () => {
      const state = ticket(withPriority('CRITICAL'), ticketAssigned(0.5), commentAdded(1, AGENT), asked);
      expect(isOverdue(state, hoursAfter(11))).toBe(true);
    });

    it('§4 the first-response deadline is not paused (the reply request is itself the response)', () => {
      const state = ticket(ticketCreated(), asked);
      expect(state.firstRespondedAt).toBe(isoAfter(10));
      expect(isFirstResponseOverdue(state, hoursAfter(50))).toBe(false);
    });
  });

  it('§4 durations are configurable', () => {
    const policy = {
      ...DEFAULT_POLICY,
      firstResponseHours: 2,
      resolutionHours: { CRITICAL: 1, HIGH: 2, NORMAL: 3, LOW: 4 },
    };
    expect(slaDueTimes(hoursAfter(0), 'LOW', policy)).toEqual({
      firstResponseDueAt: isoAfter(2),
      resolutionDueAt: isoAfter(4),
    });
  });
});
