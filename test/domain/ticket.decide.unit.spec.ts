import { fold, type TicketState } from '../../src/domain/ticket';
import { DEFAULT_POLICY, type TicketCommand } from '../../src/domain/ticket.commands';
import { decide } from '../../src/domain/ticket.decide';
import {
  AGENT,
  SUPERVISOR,
  assign,
  close,
  comment,
  couponForm,
  hoursAfter,
  requestCoupon,
  ticketAssigned,
  ticketCreated,
} from './fixtures';
import { given } from './given-when-then';

const changes: TicketCommand[] = [
  assign(AGENT),
  comment(),
  { kind: 'ProposeSolution', solution: 'x' },
  { kind: 'ReopenTicket', reason: 'x' },
  close('CANCELLED', 'x'),
  requestCoupon(couponForm()),
];

describe('§2 decide: the common ground of every command', () => {
  it.each(changes.map((command) => ({ kind: command.kind, command })))(
    '§2 $kind on a ticket that does not exist is refused (ticket.not-found)',
    ({ command }) => {
      given().when(command, { actor: SUPERVISOR }).thenRuleViolated('ticket.not-found');
    },
  );

  it('§2 each event carries occurredAt = the decision time and the actor {id, role} only (the name goes to metadata)', () => {
    const [event] = given(ticketCreated())
      .when(assign(AGENT), { now: hoursAfter(3.5), actor: SUPERVISOR })
      .thenEvents();
    expect(event.data.occurredAt).toBe(hoursAfter(3.5).toISOString());
    expect(event.data.actor).toEqual({ id: SUPERVISOR.id, role: 'SUPERVISOR' });
  });

  it('§2 a refused command leaves the state it was given untouched', () => {
    const state = fold([ticketCreated(), ticketAssigned(1)]) as TicketState;
    const snapshot = JSON.parse(JSON.stringify(state));
    expect(() =>
      decide({ kind: 'ProposeSolution', solution: '' }, state, {
        now: hoursAfter(2),
        actor: AGENT,
        policy: DEFAULT_POLICY,
      }),
    ).toThrow();
    decide(comment(), state, { now: hoursAfter(2), actor: AGENT, policy: DEFAULT_POLICY });
    expect(state).toEqual(snapshot);
  });
});
