import {
  AGENT,
  AUDITOR,
  OTHER_AGENT,
  REPORTER,
  REQUESTER,
  SUPERVISOR,
  SYSTEM,
  assign,
  commentAdded,
  hoursAfter,
  isoAfter,
  solutionProposed,
  ticketAssigned,
  ticketClosed,
  ticketCreated,
  ticketReopened,
} from './fixtures';
import { given } from './given-when-then';
import { fold } from '../../src/domain/ticket';

const now = hoursAfter(1);
const bySupervisor = { now, actor: SUPERVISOR };

describe('§2 TicketAssigned', () => {
  it('§2 TicketAssigned: a supervisor assigns a NEW ticket to an agent on the FIRST line by default → ASSIGNED', () => {
    given(ticketCreated())
      .when(assign(AGENT), bySupervisor)
      .then([
        {
          type: 'TicketAssigned',
          data: {
            occurredAt: isoAfter(1),
            actor: { id: SUPERVISOR.id, role: 'SUPERVISOR' },
            assignee: { id: AGENT.id, name: AGENT.name, line: 'FIRST' },
            previousLine: null,
            escalation: false,
            reason: null,
          },
        },
      ]);
    expect(given(ticketCreated()).when(assign(AGENT), bySupervisor).thenState()).toMatchObject({
      status: 'ASSIGNED',
      assignee: { id: AGENT.id, name: AGENT.name, line: 'FIRST' },
      version: 1,
    });
  });

  it('§2 TicketAssigned: an agent may assign (e.g. take the ticket themselves, named as they act)', () => {
    const [event] = given(ticketCreated())
      .when({ kind: 'AssignTicket', assigneeId: AGENT.id }, { now, actor: AGENT })
      .thenEvents();
    expect(event.type === 'TicketAssigned' && event.data.assignee).toEqual({
      id: AGENT.id,
      name: AGENT.name,
      line: 'FIRST',
    });
  });

  it.each([REQUESTER, AUDITOR, REPORTER, SYSTEM].map((actor) => ({ role: actor.role, actor })))(
    '§2 TicketAssigned: a $role cannot assign (assign.role)',
    ({ actor }) => {
      given(ticketCreated()).when(assign(AGENT), { now, actor }).thenRuleViolated('assign.role');
    },
  );

  it.each([
    { status: 'NEW', history: [] },
    { status: 'ASSIGNED', history: [ticketAssigned(0.5, OTHER_AGENT)] },
    { status: 'IN_PROGRESS', history: [ticketAssigned(0.2, OTHER_AGENT), commentAdded(0.5, OTHER_AGENT)] },
    { status: 'AWAITING_REQUESTER', history: [commentAdded(0.5, OTHER_AGENT, { requestsReply: true })] },
  ])('§2 TicketAssigned is allowed while $status', ({ status, history }) => {
    const events = [ticketCreated(), ...history];
    expect(fold(events)?.status).toBe(status);
    expect(
      given(...events)
        .when(assign(AGENT), bySupervisor)
        .thenState().status,
    ).toBe('ASSIGNED');
    expect(
      given(...events)
        .when(assign(AGENT), bySupervisor)
        .thenState().assignee?.id,
    ).toBe(AGENT.id);
  });

  it('§2 TicketAssigned is refused while SOLUTION_PROPOSED (assign.not-allowed-in-status)', () => {
    given(ticketCreated(), ticketAssigned(0.2), solutionProposed(0.5))
      .when(assign(OTHER_AGENT), bySupervisor)
      .thenRuleViolated('assign.not-allowed-in-status');
  });

  it('§2 TicketAssigned is refused while CLOSED (ticket.closed)', () => {
    given(ticketCreated(), ticketClosed(0.5, 'WITHDRAWN'))
      .when(assign(AGENT), { now, actor: SUPERVISOR })
      .thenRuleViolated('ticket.closed');
  });

  it('§2 TicketAssigned: assigning the same person on the same line again appends nothing', () => {
    given(ticketCreated(), ticketAssigned(0.5, AGENT, 'SECOND', null))
      .when(assign(AGENT, 'SECOND'), bySupervisor)
      .then([]);
    given(ticketCreated(), ticketAssigned(0.5, AGENT, 'FIRST'), commentAdded(0.7, AGENT))
      .when(assign(AGENT), bySupervisor)
      .then([]);
  });

  it('§2 TicketAssigned: the same person on another line, or another person on the same line, is a change', () => {
    given(ticketCreated(), ticketAssigned(0.5, AGENT, 'SECOND'))
      .when(assign(AGENT, 'FIRST'), bySupervisor)
      .thenEvents();
    given(ticketCreated(), ticketAssigned(0.5, AGENT)).when(assign(OTHER_AGENT), bySupervisor).thenEvents();
  });

  it("an assignee id is on one line, a name's line breaks become a space; the reason may have several", () => {
    given(ticketCreated())
      .when({ kind: 'AssignTicket', assigneeId: 'agent\t2', assigneeName: 'Bob Smith' }, bySupervisor)
      .thenInvalidInput(['assigneeId']);
    const [event] = given(ticketCreated())
      .when({ kind: 'AssignTicket', assigneeId: 'agent_2', assigneeName: 'Bob\nSmith' }, bySupervisor)
      .thenEvents();
    expect(event.type === 'TicketAssigned' && event.data.assignee.name).toBe('Bob Smith');
    given(ticketCreated(), ticketAssigned(0.5, AGENT, 'FIRST'))
      .when(assign(OTHER_AGENT, 'SECOND', 'Needs the\nETKT database'), bySupervisor)
      .thenEvents();
  });

  it('§2 TicketAssigned: moving FIRST→SECOND without a reason is refused (assign.escalation-needs-reason)', () => {
    given(ticketCreated(), ticketAssigned(0.5, AGENT, 'FIRST'))
      .when(assign(OTHER_AGENT, 'SECOND'), bySupervisor)
      .thenRuleViolated('assign.escalation-needs-reason');
    given(ticketCreated(), ticketAssigned(0.5, AGENT, 'FIRST'))
      .when(assign(OTHER_AGENT, 'SECOND', '   '), bySupervisor)
      .thenRuleViolated('assign.escalation-needs-reason');
  });

  it('§2 TicketAssigned: moving SECOND→FIELD without a reason is refused (assign.escalation-needs-reason)', () => {
    given(ticketCreated(), ticketAssigned(0.5, AGENT, 'SECOND'))
      .when(assign(AGENT, 'FIELD'), bySupervisor)
      .thenRuleViolated('assign.escalation-needs-reason');
  });

  it('§2 TicketAssigned: moving FIRST→FIELD (skipping SECOND) without a reason is refused (assign.escalation-needs-reason)', () => {
    given(ticketCreated(), ticketAssigned(0.5, AGENT, 'FIRST'))
      .when(assign(OTHER_AGENT, 'FIELD'), bySupervisor)
      .thenRuleViolated('assign.escalation-needs-reason');
  });

  it('§2 TicketAssigned: an escalation with a reason is recorded with escalation=true and the previous line', () => {
    const [event] = given(ticketCreated(), ticketAssigned(0.5, AGENT, 'FIRST'))
      .when(assign(OTHER_AGENT, 'FIELD', ' Нужен выезд на место '), bySupervisor)
      .thenEvents();
    expect(event.type === 'TicketAssigned' && event.data).toMatchObject({
      assignee: { id: OTHER_AGENT.id, line: 'FIELD' },
      previousLine: 'FIRST',
      escalation: true,
      reason: 'Нужен выезд на место',
    });
  });

  it('§2 TicketAssigned: moving down a line (SECOND→FIRST) is not an escalation and needs no reason', () => {
    const [event] = given(ticketCreated(), ticketAssigned(0.5, AGENT, 'SECOND'))
      .when(assign(AGENT, 'FIRST'), bySupervisor)
      .thenEvents();
    expect(event.type === 'TicketAssigned' && event.data).toMatchObject({
      previousLine: 'SECOND',
      escalation: false,
    });
  });

  it('§2 TicketAssigned: a first assignment straight to the SECOND line moves from no line, so it is no escalation', () => {
    const [event] = given(ticketCreated()).when(assign(AGENT, 'SECOND'), bySupervisor).thenEvents();
    expect(event.type === 'TicketAssigned' && event.data).toMatchObject({
      previousLine: null,
      escalation: false,
    });
  });

  it('§2 TicketAssigned: the assignee and a known line are required', () => {
    given(ticketCreated())
      .when({ kind: 'AssignTicket', assigneeId: ' ', line: 'THIRD' as never }, bySupervisor)
      .thenInvalidInput(['assigneeId', 'line']);
  });

  it('§2 TicketAssigned while AWAITING_REQUESTER → ASSIGNED, and the wait stops counting', () => {
    const state = given(ticketCreated(), ticketAssigned(0.5), commentAdded(1, AGENT, { requestsReply: true }))
      .when(assign(OTHER_AGENT), { now: hoursAfter(11), actor: SUPERVISOR })
      .thenState();
    expect(state.status).toBe('ASSIGNED');
    expect(state.awaitingRequesterSince).toBeNull();
    expect(state.resolutionDueAt).toBe(isoAfter(72 + 10));
  });

  it('§2 TicketAssigned after a reopen keeps counting from the ticket as it stands', () => {
    const state = given(ticketCreated(), ticketAssigned(0.5), solutionProposed(1), ticketReopened(2))
      .when(assign(OTHER_AGENT), bySupervisor)
      .thenState();
    expect(state).toMatchObject({ status: 'ASSIGNED', assignee: { id: OTHER_AGENT.id }, reopenCount: 1 });
  });
});
