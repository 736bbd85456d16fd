/** Every mutation through a ticket's life, read-your-writes, conflicts, retries and rule violations. */
import { randomUUID } from 'node:crypto';
import { type Data, GraphqlClient } from './support/graphql-client';
import {
  CREATE_TICKET,
  GET_TICKET,
  TICKET_FIELDS,
  callers,
  milesTicket,
  refundTicket,
} from './support/fixtures';
import { bootApp, type RunningApp, tokenFor } from './support/test-app';
import type { BootEnv } from './graphql-api.suite';

const payload = `{ commandId ticket { ${TICKET_FIELDS} } }`;
const ASSIGN = `mutation($input: AssignTicketInput!) { assignTicket(input: $input) ${payload} }`;
const COMMENT = `mutation($input: AddCommentInput!) { addComment(input: $input) ${payload} }`;
const PROPOSE = `mutation($input: ProposeSolutionInput!) { proposeSolution(input: $input) ${payload} }`;
const REOPEN = `mutation($input: ReopenTicketInput!) { reopenTicket(input: $input) ${payload} }`;
const CLOSE = `mutation($input: CloseTicketInput!) { closeTicket(input: $input) ${payload} }`;

export function describeTicketLifecycle(bootEnv: BootEnv): void {
  describe('ticket lifecycle', () => {
    const who = callers();
    let app: RunningApp;
    let requester: GraphqlClient;
    let agent: GraphqlClient;
    let supervisor: GraphqlClient;

    beforeAll(async () => {
      app = await bootApp(await bootEnv());
      requester = new GraphqlClient(app.url, tokenFor(who.requester));
      agent = requester.as(tokenFor(who.agent));
      supervisor = requester.as(tokenFor(who.supervisor));
    });
    afterAll(() => app?.close());

    const create = async (client: GraphqlClient, input: Record<string, unknown>): Promise<Data> =>
      (await client.ok(CREATE_TICKET, { input })).createTicket;

    it('creates a ticket for the requester in the token, with defaults and deadlines', async () => {
      const before = Date.now();
      const created = await create(requester, { ...milesTicket(), commandId: `create-${randomUUID()}` });
      const ticket = created.ticket;
      expect(created.commandId).toMatch(/^create-/);
      expect(ticket).toMatchObject({
        version: 0,
        status: 'NEW',
        priority: 'NORMAL',
        channel: 'WEB',
        module: 'BONUS',
        category: 'MILES',
        type: 'MILES_ACCRUAL',
        subject: 'Miles not credited',
        requester: { id: who.requester.sub, name: 'Anna Petrova', validatorNumber: '995-4731-7' },
        assignee: null,
        overdue: false,
        reopenCount: 0,
        commentCount: 0,
        comments: [],
        couponRequests: [],
      });
      const createdAt = Date.parse(ticket.createdAt);
      expect(createdAt).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(ticket.firstResponseDueAt) - createdAt).toBe(24 * 3600_000);
      expect(Date.parse(ticket.resolutionDueAt) - createdAt).toBe(72 * 3600_000);

      // Read-your-writes: the very next query sees it, by id and by number.
      const byId = await agent.ok(GET_TICKET, { id: ticket.id });
      const byNumber = await agent.ok(GET_TICKET, { number: ticket.number });
      expect(byId.ticket).toEqual(ticket);
      expect(byNumber.ticket).toEqual(ticket);
    });

    it('gives each new ticket a higher number', async () => {
      const a = await create(requester, milesTicket('First'));
      const b = await create(requester, milesTicket('Second'));
      expect(b.ticket.number).toBeGreaterThan(a.ticket.number);
    });

    it('normalises the fields a type requires and lists every missing one at once', async () => {
      const ok = await create(agent, {
        ...refundTicket(),
        requester: { id: who.requester.sub },
        channel: 'PHONE',
      });
      expect(ok.ticket).toMatchObject({
        pnr: 'AB12CD',
        nearestDepartureAt: '2026-12-01T09:30:00.000Z',
        eTicketNumber: '4212345678901',
        priority: 'HIGH',
        channel: 'PHONE',
        requester: { id: who.requester.sub },
      });
      expect(Date.parse(ok.ticket.resolutionDueAt) - Date.parse(ok.ticket.createdAt)).toBe(24 * 3600_000);

      const { pnr: _pnr, nearestDepartureAt: _at, ...missing } = refundTicket();
      const error = await requester.error(CREATE_TICKET, { input: { ...missing, subject: '   ' } });
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      const paths = error.extensions?.fields?.map((f) => f.path) ?? [];
      expect(paths).toEqual(expect.arrayContaining(['pnr', 'nearestDepartureAt', 'subject']));
    });

    it('runs a ticket through assignment, comments, solution, reopening and closing', async () => {
      const { ticket } = await create(requester, milesTicket('Full life'));
      const id = ticket.id;

      const proposeTooEarly = await agent.error(PROPOSE, { input: { ticketId: id, solution: 'Credited' } });
      expect(proposeTooEarly.extensions).toMatchObject({
        code: 'RULE_VIOLATED',
        rule: 'solution.not-allowed-in-status',
      });

      const assigned = (
        await agent.ok(ASSIGN, {
          input: { ticketId: id, assigneeId: who.agent.sub, assigneeName: 'Olga Agent' },
        })
      ).assignTicket.ticket;
      expect(assigned).toMatchObject({
        status: 'ASSIGNED',
        version: 1,
        assignee: { id: who.agent.sub, name: 'Olga Agent', line: 'FIRST' },
      });

      const again = (
        await agent.ok(ASSIGN, {
          input: { ticketId: id, assigneeId: who.agent.sub, assigneeName: 'Olga Agent' },
        })
      ).assignTicket.ticket;
      expect(again.version).toBe(1);

      const escalation = await agent.error(ASSIGN, {
        input: { ticketId: id, assigneeId: who.secondLine.sub, line: 'SECOND' },
      });
      expect(escalation.extensions).toMatchObject({
        code: 'RULE_VIOLATED',
        rule: 'assign.escalation-needs-reason',
      });
      expect(escalation.message.length).toBeGreaterThan(0);

      const internal = (
        await agent.ok(COMMENT, { input: { ticketId: id, body: 'Checking the flight log', internal: true } })
      ).addComment.ticket;
      expect(internal.comments).toEqual([
        expect.objectContaining({
          body: 'Checking the flight log',
          internal: true,
          author: { id: who.agent.sub, name: 'Olga Agent', role: 'AGENT' },
        }),
      ]);

      const asked = (
        await agent.ok(COMMENT, { input: { ticketId: id, body: 'Which flight date?', requestsReply: true } })
      ).addComment.ticket;
      expect(asked.status).toBe('AWAITING_REQUESTER');
      expect(asked.firstRespondedAt).not.toBeNull();

      const answered = (await requester.ok(COMMENT, { input: { ticketId: id, body: '3 September' } }))
        .addComment.ticket;
      expect(answered.status).toBe('IN_PROGRESS');
      expect(answered.comments.map((c: { body: string }) => c.body)).toEqual([
        'Which flight date?',
        '3 September',
      ]);

      const proposed = (
        await agent.ok(PROPOSE, { input: { ticketId: id, solution: 'Miles credited manually' } })
      ).proposeSolution.ticket;
      expect(proposed).toMatchObject({ status: 'SOLUTION_PROPOSED', solution: 'Miles credited manually' });

      const reopened = (await requester.ok(REOPEN, { input: { ticketId: id, reason: 'Still not there' } }))
        .reopenTicket.ticket;
      expect(reopened).toMatchObject({ status: 'IN_PROGRESS', reopenCount: 1 });

      await agent.ok(PROPOSE, { input: { ticketId: id, solution: 'Credited again' } });
      const confirmed = (await requester.ok(CLOSE, { input: { ticketId: id, resolution: 'CONFIRMED' } }))
        .closeTicket.ticket;
      expect(confirmed).toMatchObject({
        status: 'CLOSED',
        resolution: 'CONFIRMED',
        solution: 'Credited again',
      });
      expect(confirmed.closedAt).not.toBeNull();

      const closedComment = await requester.error(COMMENT, { input: { ticketId: id, body: 'Thanks' } });
      expect(closedComment.extensions?.code).toBe('RULE_VIOLATED');

      const staffReopen = (
        await agent.ok(REOPEN, { input: { ticketId: id, reason: 'Customer called back' } })
      ).reopenTicket.ticket;
      expect(staffReopen).toMatchObject({
        status: 'IN_PROGRESS',
        reopenCount: 2,
        closedAt: null,
        resolution: null,
      });
    });

    it('lets only a supervisor cancel, and only with a reason', async () => {
      const { ticket } = await create(requester, milesTicket('To cancel'));
      const byAgent = await agent.error(CLOSE, {
        input: { ticketId: ticket.id, resolution: 'CANCELLED', reason: 'Duplicate' },
      });
      expect(byAgent.extensions).toMatchObject({
        code: 'RULE_VIOLATED',
        rule: 'close.cancel-supervisor-only',
      });
      const noReason = await supervisor.error(CLOSE, {
        input: { ticketId: ticket.id, resolution: 'CANCELLED' },
      });
      expect(noReason.extensions).toMatchObject({ code: 'RULE_VIOLATED', rule: 'close.cancel-needs-reason' });
      const cancelled = (
        await supervisor.ok(CLOSE, {
          input: { ticketId: ticket.id, resolution: 'CANCELLED', reason: 'Duplicate' },
        })
      ).closeTicket.ticket;
      expect(cancelled).toMatchObject({ status: 'CLOSED', resolution: 'CANCELLED' });
    });

    it('lets a requester withdraw their ticket', async () => {
      const { ticket } = await create(requester, milesTicket('Withdrawn'));
      const closed = (await requester.ok(CLOSE, { input: { ticketId: ticket.id, resolution: 'WITHDRAWN' } }))
        .closeTicket.ticket;
      expect(closed).toMatchObject({ status: 'CLOSED', resolution: 'WITHDRAWN' });
    });

    it('refuses a stale expectedVersion as CONFLICT and changes nothing', async () => {
      const { ticket } = await create(requester, milesTicket('Conflict'));
      await agent.ok(COMMENT, { input: { ticketId: ticket.id, body: 'First', expectedVersion: 0 } });
      const conflict = await agent.error(COMMENT, {
        input: { ticketId: ticket.id, body: 'Second', expectedVersion: 0 },
      });
      expect(conflict.extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: 0, actualVersion: 1 });
      // In the client's words, not the engine's stream name.
      expect(conflict.message).toBe(
        'The ticket has changed since version 0 (it is at version 1): read it again and decide anew',
      );
      // A version the ticket has not reached is not a change since it.
      const ahead = await agent.error(COMMENT, {
        input: { ticketId: ticket.id, body: 'Third', expectedVersion: 5 },
      });
      expect(ahead.extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: 5, actualVersion: 1 });
      expect(ahead.message).toBe('The ticket is at version 1, not 5: read it again and decide anew');
      const after = await agent.ok(GET_TICKET, { id: ticket.id });
      expect(after.ticket.version).toBe(1);
      expect(after.ticket.comments.map((c: { body: string }) => c.body)).toEqual(['First']);
    });

    it('returns the same result for a retried commandId and appends nothing new', async () => {
      const commandId = `retry-${randomUUID()}`;
      const first = await create(requester, { ...milesTicket('Retried'), commandId });
      const second = await create(requester, { ...milesTicket('Retried'), commandId });
      expect(second.ticket.id).toBe(first.ticket.id);
      expect(second.ticket.number).toBe(first.ticket.number);
      expect(second.commandId).toBe(commandId);

      const commentId = `comment-${randomUUID()}`;
      const input = { ticketId: first.ticket.id, body: 'Only once', commandId: commentId };
      const c1 = (await agent.ok(COMMENT, { input })).addComment;
      const c2 = (await agent.ok(COMMENT, { input })).addComment;
      expect(c2.commandId).toBe(commentId);
      expect(c2.ticket.version).toBe(c1.ticket.version);
      expect(c2.ticket.comments).toHaveLength(1);
    });

    it('answers a retry with the ticket as the first run left it, also after later changes', async () => {
      const ticket = (await create(requester, milesTicket('Retried close'))).ticket;
      const closeInput = { ticketId: ticket.id, resolution: 'WITHDRAWN', commandId: `close-${randomUUID()}` };
      const closed = (await requester.ok(CLOSE, { input: closeInput })).closeTicket;
      await requester.ok(REOPEN, { input: { ticketId: ticket.id, reason: 'Not solved after all' } });

      const retried = (await requester.ok(CLOSE, { input: closeInput })).closeTicket;
      expect(retried).toEqual(closed);
      expect(retried.ticket).toMatchObject({ status: 'CLOSED', resolution: 'WITHDRAWN' });
      const now = (await requester.ok(GET_TICKET, { id: ticket.id })).ticket;
      expect(now).toMatchObject({ status: 'NEW', version: closed.ticket.version + 1 });
    });

    it('a blank commandId is refused rather than taken as a key shared by every request', async () => {
      const error = await requester.error(CREATE_TICKET, { input: { ...milesTicket(), commandId: '  ' } });
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error.extensions?.fields).toEqual([
        { path: 'commandId', message: expect.stringMatching(/blank/) },
      ]);
      // A key is compared exactly: a control character in it is refused, not kept or rewritten.
      const control = await requester.error(CREATE_TICKET, {
        input: { ...milesTicket(), commandId: 'id\u0085' },
      });
      expect(control.extensions?.fields).toEqual([
        { path: 'commandId', message: 'must not contain control characters (U+0085 found)' },
      ]);
    });

    it('answers NOT_FOUND for a command on a ticket that does not exist', async () => {
      const error = await agent.error(COMMENT, { input: { ticketId: randomUUID(), body: 'Hello' } });
      expect(error.extensions?.code).toBe('NOT_FOUND');
    });

    it('answers null for a ticket that does not exist', async () => {
      const data = await agent.ok(GET_TICKET, { id: randomUUID() });
      expect(data.ticket).toBeNull();
    });
  });
}
