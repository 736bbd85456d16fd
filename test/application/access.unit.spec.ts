import {
  actingRole,
  actorOf,
  actorsOf,
  canAuditRetention,
  canReadAllTickets,
  canReadHistory,
  canSeeInternalComments,
  canSeeTicket,
  canUseAsOf,
  ensureMayActOn,
  ownTicketsOnly,
  requesterOfNewTicket,
  theRolesOf,
} from '../../src/application/access';
import { Forbidden, NotFound } from '../../src/application/errors';
import type { Principal } from '../../src/application/principal';
import type { Role } from '../../src/domain/ticket.types';

const who = (...roles: Role[]): Principal => ({ id: 'u1', name: 'U One', roles, validatorNumber: '995-1' });
const ownTicket = { id: 't1', requester: { id: 'u1' } };
const foreignTicket = { id: 't2', requester: { id: 'someone-else' } };

describe('access rules (domain.md §6)', () => {
  it.each<[Role[], Role]>([
    [['REQUESTER'], 'REQUESTER'],
    [['AGENT'], 'AGENT'],
    [['REQUESTER', 'AGENT'], 'AGENT'],
    [['AGENT', 'SUPERVISOR'], 'SUPERVISOR'],
    [['AUDITOR', 'REQUESTER'], 'REQUESTER'],
  ])('a caller with %j acts as %s', (roles, role) => {
    expect(actingRole(who(...roles))).toBe(role);
    expect(actorOf(who(...roles))).toEqual({ id: 'u1', name: 'U One', role });
  });

  it.each<Role[][]>([[['AUDITOR']], [['REPORTER']], [['AUDITOR', 'REPORTER']], [[]]])(
    'a caller with only %j changes nothing',
    (roles) => {
      expect(() => actingRole(who(...roles))).toThrow(Forbidden);
    },
  );

  describe('the requester of a new ticket', () => {
    const requester = who('REQUESTER');
    const agent = who('AGENT');

    it("is the requester themselves, from the token, on a requester's own ticket", () => {
      expect(requesterOfNewTicket(requester, actorOf(requester), null)).toEqual({
        id: 'u1',
        name: 'U One',
        validatorNumber: '995-1',
      });
      expect(
        requesterOfNewTicket(requester, actorOf(requester), { id: 'u1', name: 'Other name' }),
      ).toMatchObject({
        name: 'U One',
      });
    });

    it('is left to the domain to refuse when a requester names someone else', () => {
      expect(requesterOfNewTicket(requester, actorOf(requester), { id: 'x' }).id).toBe('x');
      expect(requesterOfNewTicket(requester, actorOf(requester), { id: requester.id })).toEqual(
        requesterOfNewTicket(requester, actorOf(requester), undefined),
      );
    });

    it('is whoever an agent names (a phone call), or the agent when they name no one', () => {
      expect(requesterOfNewTicket(agent, actorOf(agent), { id: 'kassir_1', validatorNumber: '1' })).toEqual({
        id: 'kassir_1',
        name: null,
        validatorNumber: '1',
      });
      expect(requesterOfNewTicket(agent, actorOf(agent), undefined).id).toBe('u1');
    });
  });

  it.each<[Role[], Role[]]>([
    [['REQUESTER'], ['REQUESTER']],
    [
      ['REQUESTER', 'AGENT'],
      ['AGENT', 'REQUESTER'],
    ],
    [
      ['REQUESTER', 'AGENT', 'SUPERVISOR'],
      ['SUPERVISOR', 'AGENT', 'REQUESTER'],
    ],
    [['REPORTER', 'REQUESTER'], ['REQUESTER']],
  ])('a caller with %j may act in %j, strongest first', (roles, acting) => {
    expect(actorsOf(who(...roles)).map((actor) => actor.role)).toEqual(acting);
    expect(actorsOf(who(...roles))[0]).toEqual(actorOf(who(...roles)));
  });

  it("hides someone else's ticket from a requester as NotFound; staff act on any ticket", () => {
    const requester = who('REQUESTER');
    expect(() => ensureMayActOn(actorOf(requester), foreignTicket, requester)).toThrow(NotFound);
    expect(() => ensureMayActOn(actorOf(requester), ownTicket, requester)).not.toThrow();
    expect(() => ensureMayActOn(actorOf(who('AGENT')), foreignTicket, who('AGENT'))).not.toThrow();
  });

  it('refuses a requester who may see the foreign ticket through another role as Forbidden, not NotFound', () => {
    const requesterAndReporter = who('REQUESTER', 'REPORTER');
    expect(() => ensureMayActOn(actorOf(requesterAndReporter), foreignTicket, requesterAndReporter)).toThrow(
      Forbidden,
    );
    const [, asRequester] = actorsOf(who('AGENT', 'REQUESTER'));
    expect(() => ensureMayActOn(asRequester, foreignTicket, who('AGENT', 'REQUESTER'))).toThrow(Forbidden);
  });

  it.each<[Role[], boolean]>([
    [['REQUESTER'], false],
    [['AGENT'], true],
    [['SUPERVISOR'], true],
    [['AUDITOR'], true],
    [['REPORTER'], true],
    [[], false],
  ])('%j reads all tickets: %s', (roles, all) => {
    expect(canReadAllTickets(who(...roles))).toBe(all);
    expect(ownTicketsOnly(who(...roles))).toBe(!all);
  });

  it('lets a requester see only their own tickets, and a caller without roles none', () => {
    expect(canSeeTicket(who('REQUESTER'), ownTicket)).toBe(true);
    expect(canSeeTicket(who('REQUESTER'), foreignTicket)).toBe(false);
    expect(canSeeTicket(who(), ownTicket)).toBe(false);
    expect(canSeeTicket(who('REPORTER'), foreignTicket)).toBe(true);
  });

  it('gives history to staff, auditors and a requester for their own ticket, never to reporters', () => {
    expect(canReadHistory(who('AUDITOR'), foreignTicket)).toBe(true);
    expect(canReadHistory(who('AGENT'), foreignTicket)).toBe(true);
    expect(canReadHistory(who('REQUESTER'), ownTicket)).toBe(true);
    expect(canReadHistory(who('REQUESTER'), foreignTicket)).toBe(false);
    expect(canReadHistory(who('REPORTER'), foreignTicket)).toBe(false);
    expect(canReadHistory(who('REPORTER', 'REQUESTER'), foreignTicket)).toBe(false);
  });

  it.each<[Role, boolean, boolean, boolean]>([
    // role, internal comments, as-of, retention audit
    ['REQUESTER', false, false, false],
    ['AGENT', true, true, false],
    ['SUPERVISOR', true, true, true],
    ['AUDITOR', true, true, true],
    ['REPORTER', false, false, false],
  ])('%s: internal comments %s, ticketAsOf %s, retention audit %s', (role, internal, asOf, audit) => {
    expect(canSeeInternalComments(who(role))).toBe(internal);
    expect(canUseAsOf(who(role))).toBe(asOf);
    expect(canAuditRetention(who(role))).toBe(audit);
  });
});

describe('theRolesOf (how a refusal names the caller)', () => {
  it.each([
    [[], 'A caller without a role'],
    [['AUDITOR'], 'The AUDITOR role'],
    [['AUDITOR', 'REPORTER'], 'The roles AUDITOR and REPORTER'],
    [['AUDITOR', 'REPORTER', 'SYSTEM'], 'The roles AUDITOR, REPORTER and SYSTEM'],
  ] as [Role[], string][])('%j → %s', (roles, phrase) => {
    expect(theRolesOf(who(...roles))).toBe(phrase);
    if (roles.length > 0) expect(() => actingRole(who(...roles))).toThrow(`${phrase} may not change tickets`);
  });
});
