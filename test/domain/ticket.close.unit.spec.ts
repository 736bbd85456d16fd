import { autoClosePolicyName, isDueForAutoClose } from '../../src/domain/auto-close';
import { fold, type TicketState } from '../../src/domain/ticket';
import { DEFAULT_POLICY } from '../../src/domain/ticket.commands';
import {
  AGENT,
  AUDITOR,
  OTHER_REQUESTER,
  REPORTER,
  REQUESTER,
  SUPERVISOR,
  SYSTEM,
  close,
  commentAdded,
  hoursAfter,
  isoAfter,
  solutionProposed,
  ticketAssigned,
  ticketClosed,
  ticketCreated,
} from './fixtures';
import { given } from './given-when-then';

const created = ticketCreated();
const assigned = ticketAssigned(1);
const proposedAt = 3;
const proposed = solutionProposed(proposedAt);
const now = hoursAfter(4);
const DAY_MS = 86_400_000;
const afterProposal = (days: number, ms = 0) =>
  new Date(hoursAfter(proposedAt).getTime() + days * DAY_MS + ms);

const openStatuses = [
  { status: 'NEW', history: [] },
  { status: 'ASSIGNED', history: [assigned] },
  { status: 'IN_PROGRESS', history: [assigned, commentAdded(2, AGENT)] },
  { status: 'AWAITING_REQUESTER', history: [assigned, commentAdded(2, AGENT, { requestsReply: true })] },
  { status: 'SOLUTION_PROPOSED', history: [assigned, proposed] },
];

describe('§2 TicketClosed: CONFIRMED', () => {
  it('§2 TicketClosed CONFIRMED: the requester confirms a proposed solution → CLOSED with closedAt', () => {
    given(created, assigned, proposed)
      .when(close('CONFIRMED'), { now, actor: REQUESTER })
      .then([
        {
          type: 'TicketClosed',
          data: {
            occurredAt: isoAfter(4),
            actor: { id: REQUESTER.id, role: 'REQUESTER' },
            resolution: 'CONFIRMED',
            reason: null,
          },
        },
      ]);
    const state = given(created, assigned, proposed)
      .when(close('CONFIRMED'), { now, actor: REQUESTER })
      .thenState();
    expect(state).toMatchObject({
      status: 'CLOSED',
      resolution: 'CONFIRMED',
      closedAt: isoAfter(4),
      updatedAt: isoAfter(4),
    });
  });

  it.each(openStatuses.filter((s) => s.status !== 'SOLUTION_PROPOSED'))(
    '§2 TicketClosed CONFIRMED is refused while $status (close.confirm-requires-solution-proposed)',
    ({ history }) => {
      given(created, ...history)
        .when(close('CONFIRMED'), { now, actor: REQUESTER })
        .thenRuleViolated('close.confirm-requires-solution-proposed');
    },
  );

  it('§2 TicketClosed CONFIRMED: only the requester confirms (close.confirm-requester-only)', () => {
    for (const actor of [AGENT, SUPERVISOR, SYSTEM, AUDITOR]) {
      given(created, assigned, proposed)
        .when(close('CONFIRMED'), { now, actor })
        .thenRuleViolated('close.confirm-requester-only');
    }
  });

  it('§2 TicketClosed: staff who filed a ticket as their own are told they act as staff, and what ends it instead', () => {
    const filer = { ...AGENT, id: REQUESTER.id };
    const confirming = given(created, assigned, proposed)
      .when(close('CONFIRMED'), { now, actor: filer })
      .thenRuleViolated('close.confirm-requester-only');
    expect(confirming.message).toMatch(
      /is yours, but you act as AGENT \(a supervisor may cancel it; .* 7 days/,
    );
    const withdrawing = given(created)
      .when(close('WITHDRAWN'), { now, actor: filer })
      .thenRuleViolated('close.withdraw-requester-only');
    expect(withdrawing.message).toContain('Only the requester withdraws, signed in with the REQUESTER role');
    const other = given(created).when(close('WITHDRAWN'), { now, actor: AGENT });
    expect(other.thenRuleViolated('close.withdraw-requester-only').message).toBe(
      'Only the requester withdraws',
    );
  });

  it('§2/§6 TicketClosed CONFIRMED: a requester confirms only their own ticket (ticket.not-owner)', () => {
    given(created, assigned, proposed)
      .when(close('CONFIRMED'), { now, actor: OTHER_REQUESTER })
      .thenRuleViolated('ticket.not-owner');
  });

  it('§2 TicketClosed: a CLOSED ticket cannot be closed again (ticket.closed)', () => {
    given(created, assigned, proposed, ticketClosed(4))
      .when(close('WITHDRAWN'), { now: hoursAfter(5), actor: REQUESTER })
      .thenRuleViolated('ticket.closed');
    given(created, assigned, proposed, ticketClosed(4))
      .when(close('CANCELLED', 'Дубликат'), { now: hoursAfter(5), actor: SUPERVISOR })
      .thenRuleViolated('ticket.closed');
    given(created, assigned, proposed, ticketClosed(4))
      .when(close('CONFIRMED'), { now: hoursAfter(5), actor: REQUESTER })
      .thenRuleViolated('ticket.closed');
    given(created, assigned, proposed, ticketClosed(4))
      .when(close('AUTO_CLOSED'), { now: afterProposal(8), actor: SYSTEM })
      .thenRuleViolated('ticket.closed');
  });
});

describe('§2 TicketClosed: WITHDRAWN', () => {
  it.each(openStatuses)('§2 TicketClosed WITHDRAWN: the requester withdraws while $status', ({ history }) => {
    const state = given(created, ...history)
      .when(close('WITHDRAWN', 'Разобрался сам'), { now, actor: REQUESTER })
      .thenState();
    expect(state).toMatchObject({ status: 'CLOSED', resolution: 'WITHDRAWN' });
  });

  it('§2 TicketClosed WITHDRAWN: only the requester withdraws (close.withdraw-requester-only)', () => {
    for (const actor of [AGENT, SUPERVISOR, SYSTEM, REPORTER]) {
      given(created)
        .when(close('WITHDRAWN'), { now, actor })
        .thenRuleViolated('close.withdraw-requester-only');
    }
  });

  it("§2/§6 TicketClosed WITHDRAWN: not someone else's ticket (ticket.not-owner)", () => {
    given(created)
      .when(close('WITHDRAWN'), { now, actor: OTHER_REQUESTER })
      .thenRuleViolated('ticket.not-owner');
  });
});

describe('§2 TicketClosed: CANCELLED', () => {
  it.each(openStatuses)(
    '§2 TicketClosed CANCELLED: a supervisor cancels with a reason while $status',
    ({ history }) => {
      const [event] = given(created, ...history)
        .when(close('CANCELLED', ' Дубликат заявки 1000 '), { now, actor: SUPERVISOR })
        .thenEvents();
      expect(event.type === 'TicketClosed' && event.data).toMatchObject({
        resolution: 'CANCELLED',
        reason: 'Дубликат заявки 1000',
      });
    },
  );

  it('§2 TicketClosed CANCELLED: a reason is required (close.cancel-needs-reason)', () => {
    given(created)
      .when(close('CANCELLED'), { now, actor: SUPERVISOR })
      .thenRuleViolated('close.cancel-needs-reason');
    given(created)
      .when(close('CANCELLED', '  '), { now, actor: SUPERVISOR })
      .thenRuleViolated('close.cancel-needs-reason');
  });

  it('§2 TicketClosed CANCELLED: only a supervisor cancels (close.cancel-supervisor-only)', () => {
    for (const actor of [AGENT, REQUESTER, SYSTEM, AUDITOR]) {
      given(created)
        .when(close('CANCELLED', 'x'), { now, actor })
        .thenRuleViolated('close.cancel-supervisor-only');
    }
  });
});

describe('§2 TicketClosed: AUTO_CLOSED after 7 days unanswered', () => {
  const history = [created, assigned, proposed];

  it('§2 TicketClosed AUTO_CLOSED: exactly 7 days after the proposal the system closes it', () => {
    const state = given(...history)
      .when(close('AUTO_CLOSED'), { now: afterProposal(7), actor: SYSTEM })
      .thenState();
    expect(state).toMatchObject({
      status: 'CLOSED',
      resolution: 'AUTO_CLOSED',
      closedAt: afterProposal(7).toISOString(),
    });
  });

  it('§2 TicketClosed AUTO_CLOSED: one millisecond before 7 days is too early (close.auto-too-early)', () => {
    given(...history)
      .when(close('AUTO_CLOSED'), { now: afterProposal(7, -1), actor: SYSTEM })
      .thenRuleViolated('close.auto-too-early');
  });

  it('§2 TicketClosed AUTO_CLOSED: only the system auto-closes (close.auto-system-only)', () => {
    for (const actor of [SUPERVISOR, AGENT, REQUESTER]) {
      given(...history)
        .when(close('AUTO_CLOSED'), { now: afterProposal(8), actor })
        .thenRuleViolated('close.auto-system-only');
    }
  });

  it.each(openStatuses.filter((s) => s.status !== 'SOLUTION_PROPOSED'))(
    '§2 TicketClosed AUTO_CLOSED is refused while $status (close.auto-requires-solution-proposed)',
    ({ history: before }) => {
      given(created, ...before)
        .when(close('AUTO_CLOSED'), { now: afterProposal(30), actor: SYSTEM })
        .thenRuleViolated('close.auto-requires-solution-proposed');
    },
  );

  it("§2 auto-close: a requester's answer to the solution restarts the 7 days of silence", () => {
    const answered = [...history, commentAdded(proposedAt + 48, REQUESTER)];
    given(...answered)
      .when(close('AUTO_CLOSED'), { now: afterProposal(7), actor: SYSTEM })
      .thenRuleViolated('close.auto-too-early');
    given(...answered)
      .when(close('AUTO_CLOSED'), { now: afterProposal(9), actor: SYSTEM })
      .thenEvents();
  });

  it('§2 auto-close: the days come from the policy', () => {
    const policy = { ...DEFAULT_POLICY, autoCloseAfterDays: 2 };
    given(...history)
      .when(close('AUTO_CLOSED'), { now: afterProposal(2), actor: SYSTEM, policy })
      .thenEvents();
  });

  it('§2 isDueForAutoClose tells the policy runner which tickets to close, at the same 7-day edge', () => {
    const state = fold(history) as TicketState;
    expect(isDueForAutoClose(state, afterProposal(7, -1), DEFAULT_POLICY)).toBe(false);
    expect(isDueForAutoClose(state, afterProposal(7), DEFAULT_POLICY)).toBe(true);
    expect(
      isDueForAutoClose(fold([created, assigned]) as TicketState, afterProposal(30), DEFAULT_POLICY),
    ).toBe(false);
    expect(
      isDueForAutoClose(
        fold([...history, ticketClosed(4)]) as TicketState,
        afterProposal(30),
        DEFAULT_POLICY,
      ),
    ).toBe(false);
  });

  it('§7 the auto-close policy is named in the event metadata by the days it waited', () => {
    expect(autoClosePolicyName(DEFAULT_POLICY)).toBe('auto-close-after-7-days');
    expect(autoClosePolicyName({ autoCloseAfterDays: 3 })).toBe('auto-close-after-3-days');
    expect(autoClosePolicyName({ autoCloseAfterDays: 1 })).toBe('auto-close-after-1-day');
  });
});

describe('§2 TicketClosed input', () => {
  it('§2 TicketClosed: the resolution must be one of CONFIRMED, WITHDRAWN, AUTO_CLOSED, CANCELLED', () => {
    given(created)
      .when(close('SOLVED' as never), { now, actor: REQUESTER })
      .thenInvalidInput(['resolution']);
  });
});
