import { fold } from '../../src/domain/ticket';
import { DEFAULT_POLICY, type ReopenTicket } from '../../src/domain/ticket.commands';
import {
  AGENT,
  AUDITOR,
  OTHER_REQUESTER,
  REPORTER,
  REQUESTER,
  SUPERVISOR,
  SYSTEM,
  commentAdded,
  daysAfter,
  hoursAfter,
  isoAfter,
  solutionProposed,
  ticketAssigned,
  ticketClosed,
  ticketCreated,
  ticketReopened,
} from './fixtures';
import { given } from './given-when-then';

const created = ticketCreated();
const assigned = ticketAssigned(1);
const proposed = solutionProposed(3);
const propose = (solution = 'Мили начислены вручную') => ({ kind: 'ProposeSolution', solution }) as const;
const reopen = (reason = 'Мили так и не пришли'): ReopenTicket => ({ kind: 'ReopenTicket', reason });
const now = hoursAfter(4);

describe('§2 SolutionProposed', () => {
  it.each([
    { status: 'ASSIGNED', history: [assigned] },
    { status: 'IN_PROGRESS', history: [assigned, commentAdded(2, AGENT)] },
    { status: 'AWAITING_REQUESTER', history: [assigned, commentAdded(2, AGENT, { requestsReply: true })] },
  ])('§2 SolutionProposed is allowed while $status → SOLUTION_PROPOSED', ({ status, history }) => {
    expect(fold([created, ...history])?.status).toBe(status);
    given(created, ...history)
      .when(propose(), { now, actor: AGENT })
      .then([
        {
          type: 'SolutionProposed',
          data: {
            occurredAt: isoAfter(4),
            actor: { id: AGENT.id, role: 'AGENT' },
            solution: 'Мили начислены вручную',
          },
        },
      ]);
    const state = given(created, ...history)
      .when(propose(), { now, actor: SUPERVISOR })
      .thenState();
    expect(state).toMatchObject({
      status: 'SOLUTION_PROPOSED',
      solution: 'Мили начислены вручную',
      solutionProposedAt: isoAfter(4),
    });
  });

  it('§2 SolutionProposed: cannot propose a solution while NEW (solution.not-allowed-in-status)', () => {
    given(created).when(propose(), { now, actor: AGENT }).thenRuleViolated('solution.not-allowed-in-status');
  });

  it('§2 SolutionProposed: cannot propose again while SOLUTION_PROPOSED (solution.not-allowed-in-status)', () => {
    given(created, assigned, proposed)
      .when(propose(), { now, actor: AGENT })
      .thenRuleViolated('solution.not-allowed-in-status');
  });

  it('§2 SolutionProposed: not on a CLOSED ticket (ticket.closed)', () => {
    given(created, ticketClosed(2, 'WITHDRAWN'))
      .when(propose(), { now, actor: AGENT })
      .thenRuleViolated('ticket.closed');
  });

  it.each([REQUESTER, AUDITOR, REPORTER, SYSTEM].map((actor) => ({ role: actor.role, actor })))(
    '§2 SolutionProposed: a $role cannot propose a solution (solution.role)',
    ({ actor }) => {
      given(created, assigned).when(propose(), { now, actor }).thenRuleViolated('solution.role');
    },
  );

  it('§2 SolutionProposed: the solution is 1–10,000 characters', () => {
    given(created, assigned).when(propose('  '), { now, actor: AGENT }).thenInvalidInput(['solution']);
    given(created, assigned)
      .when(propose('р'.repeat(10_001)), { now, actor: AGENT })
      .thenInvalidInput(['solution']);
    given(created, assigned)
      .when(propose('р'.repeat(10_000)), { now, actor: AGENT })
      .thenEvents();
  });

  it('§2 SolutionProposed is the first response when nobody answered before', () => {
    expect(given(created, assigned).when(propose(), { now, actor: AGENT }).thenState().firstRespondedAt).toBe(
      isoAfter(4),
    );
    const answered = commentAdded(2, AGENT);
    expect(
      given(created, assigned, answered).when(propose(), { now, actor: AGENT }).thenState().firstRespondedAt,
    ).toBe(isoAfter(2));
  });

  it('§2 solution is the latest proposed solution', () => {
    const state = fold([
      created,
      assigned,
      proposed,
      ticketReopened(4),
      solutionProposed(6, AGENT, 'Второе решение'),
    ]);
    expect(state?.solution).toBe('Второе решение');
  });
});

describe('§2 TicketReopened', () => {
  it('§2 TicketReopened: the requester reopens from SOLUTION_PROPOSED → IN_PROGRESS when assigned', () => {
    given(created, assigned, proposed)
      .when(reopen(), { now, actor: REQUESTER })
      .then([
        {
          type: 'TicketReopened',
          data: {
            occurredAt: isoAfter(4),
            actor: { id: REQUESTER.id, role: 'REQUESTER' },
            reason: 'Мили так и не пришли',
          },
        },
      ]);
    const state = given(created, assigned, proposed).when(reopen(), { now, actor: REQUESTER }).thenState();
    expect(state).toMatchObject({ status: 'IN_PROGRESS', reopenCount: 1 });
  });

  it('§2 TicketReopened: a reopened ticket without an assignee goes back to NEW', () => {
    const state = given(created, ticketClosed(2, 'WITHDRAWN'))
      .when(reopen(), { now, actor: REQUESTER })
      .thenState();
    expect(state.status).toBe('NEW');
  });

  it('§2 TicketReopened: reopening a CLOSED ticket clears closedAt and resolution and counts the reopen', () => {
    const closed = ticketClosed(4, 'CONFIRMED');
    expect(fold([created, assigned, proposed, closed])).toMatchObject({
      closedAt: isoAfter(4),
      resolution: 'CONFIRMED',
    });
    const state = given(created, assigned, proposed, closed)
      .when(reopen(), { now: hoursAfter(5), actor: REQUESTER })
      .thenState();
    expect(state).toMatchObject({ status: 'IN_PROGRESS', closedAt: null, resolution: null, reopenCount: 1 });
  });

  it('§2 TicketReopened: agents and supervisors reopen from CLOSED', () => {
    for (const actor of [AGENT, SUPERVISOR]) {
      given(created, assigned, proposed, ticketClosed(4))
        .when(reopen(), { now: hoursAfter(5), actor })
        .thenEvents();
    }
  });

  it('§2 TicketReopened: agents and supervisors may not reopen from SOLUTION_PROPOSED (reopen.staff-only-from-closed)', () => {
    for (const actor of [AGENT, SUPERVISOR]) {
      given(created, assigned, proposed)
        .when(reopen(), { now, actor })
        .thenRuleViolated('reopen.staff-only-from-closed');
    }
  });

  it.each([
    { status: 'NEW', history: [] },
    { status: 'ASSIGNED', history: [assigned] },
    { status: 'IN_PROGRESS', history: [assigned, commentAdded(2, AGENT)] },
    { status: 'AWAITING_REQUESTER', history: [assigned, commentAdded(2, AGENT, { requestsReply: true })] },
  ])('§2 TicketReopened is refused while $status (reopen.not-allowed-in-status)', ({ status, history }) => {
    expect(fold([created, ...history])?.status).toBe(status);
    given(created, ...history)
      .when(reopen(), { now, actor: REQUESTER })
      .thenRuleViolated('reopen.not-allowed-in-status');
  });

  it('§2 TicketReopened: a reason is required', () => {
    given(created, assigned, proposed)
      .when(reopen('  '), { now, actor: REQUESTER })
      .thenInvalidInput(['reason']);
  });

  it('§2/§6 TicketReopened: a requester reopens only their own ticket (ticket.not-owner)', () => {
    given(created, assigned, proposed)
      .when(reopen(), { now, actor: OTHER_REQUESTER })
      .thenRuleViolated('ticket.not-owner');
  });

  it.each([AUDITOR, REPORTER, SYSTEM].map((actor) => ({ role: actor.role, actor })))(
    '§6 TicketReopened: a $role cannot reopen (reopen.role)',
    ({ actor }) => {
      given(created, assigned, proposed, ticketClosed(4))
        .when(reopen(), { now, actor })
        .thenRuleViolated('reopen.role');
    },
  );

  describe('§2 the 30-day reopen window after closing', () => {
    const closedAt = 4;
    const closed = [created, assigned, proposed, ticketClosed(closedAt)];
    const afterClosing = (days: number, ms = 0) =>
      new Date(hoursAfter(closedAt).getTime() + days * 86_400_000 + ms);

    it('§2 TicketReopened: exactly 30 days after closing is still within the window', () => {
      given(...closed)
        .when(reopen(), { now: afterClosing(30), actor: REQUESTER })
        .thenEvents();
      given(...closed)
        .when(reopen(), { now: afterClosing(30), actor: AGENT })
        .thenEvents();
    });

    it('§2 TicketReopened: one millisecond past 30 days is refused (reopen.window-expired)', () => {
      given(...closed)
        .when(reopen(), { now: afterClosing(30, 1), actor: REQUESTER })
        .thenRuleViolated('reopen.window-expired');
      given(...closed)
        .when(reopen(), { now: afterClosing(31), actor: SUPERVISOR })
        .thenRuleViolated('reopen.window-expired');
    });

    it('§2 TicketReopened: the window length comes from the policy', () => {
      const policy = { ...DEFAULT_POLICY, reopenWindowDays: 3 };
      given(...closed)
        .when(reopen(), { now: afterClosing(4), actor: REQUESTER, policy })
        .thenRuleViolated('reopen.window-expired');
      given(...closed)
        .when(reopen(), { now: afterClosing(2), actor: REQUESTER, policy })
        .thenEvents();
    });

    it('§2 TicketReopened: the window counts from the latest closing', () => {
      const history = [...closed, ticketReopened(20 * 24), ticketClosed(25 * 24, 'WITHDRAWN')];
      given(...history)
        .when(reopen(), { now: daysAfter(50), actor: REQUESTER })
        .thenEvents();
      expect(fold(history)?.reopenCount).toBe(1);
      expect(
        given(...history)
          .when(reopen(), { now: daysAfter(50), actor: REQUESTER })
          .thenState().reopenCount,
      ).toBe(2);
    });
  });
});
