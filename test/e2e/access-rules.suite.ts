/** Who may do what (domain.md §6), as the API shows it: nothing leaks, nothing is changed by the wrong role. */
import { randomUUID } from 'node:crypto';
import { type Data, GraphqlClient } from './support/graphql-client';
import {
  CREATE_TICKET,
  GET_TICKET,
  callers,
  couponForm,
  milesTicket,
  refundTicket,
} from './support/fixtures';
import { bootApp, type RunningApp, tokenFor } from './support/test-app';
import type { BootEnv } from './graphql-api.suite';

const HISTORY_COMMENTS = `query($id: ID) { ticket(id: $id) { history { eventType ... on CommentAddedEvent { comment { body internal } } } } }`;

export function describeAccessRules(bootEnv: BootEnv): void {
  describe('access rules', () => {
    const who = callers();
    let app: RunningApp;
    let requester: GraphqlClient;
    let other: GraphqlClient;
    let agent: GraphqlClient;
    let auditor: GraphqlClient;
    let reporter: GraphqlClient;
    let supervisor: GraphqlClient;
    let ticket: Data;
    let othersTicket: Data;

    beforeAll(async () => {
      app = await bootApp(await bootEnv());
      requester = new GraphqlClient(app.url, tokenFor(who.requester));
      other = requester.as(tokenFor(who.otherRequester));
      agent = requester.as(tokenFor(who.agent));
      auditor = requester.as(tokenFor(who.auditor));
      reporter = requester.as(tokenFor(who.reporter));
      supervisor = requester.as(tokenFor(who.supervisor));
      ticket = (await requester.ok(CREATE_TICKET, { input: refundTicket() })).createTicket.ticket;
      othersTicket = (await other.ok(CREATE_TICKET, { input: milesTicket('Not yours') })).createTicket.ticket;
      await agent.ok('mutation($i: AddCommentInput!) { addComment(input: $i) { ticket { id } } }', {
        i: { ticketId: ticket.id, body: 'Internal: check fare rules', internal: true },
      });
      await agent.ok('mutation($i: AddCommentInput!) { addComment(input: $i) { ticket { id } } }', {
        i: { ticketId: ticket.id, body: 'We are looking into it' },
      });
    });
    afterAll(() => app?.close());

    it('shows a requester only their own tickets', async () => {
      const list = (
        await requester.ok('{ tickets(first: 100) { totalCount nodes { id requester { id } } } }')
      ).tickets;
      expect(list.nodes.map((n: Data) => n.requester.id)).toEqual(list.nodes.map(() => who.requester.sub));
      expect(list.nodes.map((n: Data) => n.id)).toContain(ticket.id);
      expect((await requester.ok(GET_TICKET, { id: othersTicket.id })).ticket).toBeNull();
      expect((await requester.ok(GET_TICKET, { number: othersTicket.number })).ticket).toBeNull();
      const filtered = await requester.ok(
        'query($r: ID) { tickets(filter: { requesterId: $r }) { totalCount } }',
        {
          r: who.otherRequester.sub,
        },
      );
      expect(filtered.tickets.totalCount).toBe(0);
    });

    it("refuses a requester's change to someone else's ticket without revealing it", async () => {
      const error = await requester.error(
        'mutation($i: AddCommentInput!) { addComment(input: $i) { ticket { id } } }',
        {
          i: { ticketId: othersTicket.id, body: 'Hello' },
        },
      );
      expect(error.extensions?.code).toBe('NOT_FOUND');
    });

    it('lets a caller with several roles act in the strongest one that may (withdrawing their own ticket as its requester)', async () => {
      const tag = randomUUID().slice(0, 8);
      const both = requester.as(tokenFor({ sub: `kassir_both_${tag}`, roles: ['REQUESTER', 'AGENT'] }));
      const own = (await both.ok(CREATE_TICKET, { input: refundTicket() })).createTicket.ticket;
      const withdraw = `mutation($i: CloseTicketInput!) { closeTicket(input: $i) { ticket { status resolution } } }`;
      const closed = await both.ok(withdraw, { i: { ticketId: own.id, resolution: 'WITHDRAWN' } });
      expect(closed.closeTicket.ticket).toEqual({ status: 'CLOSED', resolution: 'WITHDRAWN' });
      const notTheirs = await both.error(withdraw, {
        i: { ticketId: othersTicket.id, resolution: 'WITHDRAWN' },
      });
      expect(notTheirs.extensions).toMatchObject({
        code: 'RULE_VIOLATED',
        rule: 'close.withdraw-requester-only',
      });

      // A requester who may read every ticket (also a reporter) is told FORBIDDEN: NOT_FOUND would be untrue.
      const readsAll = requester.as(tokenFor({ sub: `kassir_rep_${tag}`, roles: ['REQUESTER', 'REPORTER'] }));
      const forbidden = await readsAll.error(
        'mutation($i: AddCommentInput!) { addComment(input: $i) { ticket { id } } }',
        { i: { ticketId: othersTicket.id, body: 'Hello' } },
      );
      expect(forbidden.extensions?.code).toBe('FORBIDDEN');
    });

    it('never shows a requester internal comments, in the ticket or its history', async () => {
      const own = (await requester.ok(GET_TICKET, { id: ticket.id })).ticket;
      expect(own.comments.map((c: Data) => c.body)).toEqual(['We are looking into it']);
      const history = (await requester.ok(HISTORY_COMMENTS, { id: ticket.id })).ticket.history as Data[];
      const bodies = history.filter((e) => e.comment).map((e) => e.comment.body);
      expect(bodies).toEqual(['We are looking into it']);
      expect(JSON.stringify(history)).not.toContain('check fare rules');
    });

    it("never shows a requester the desk's reasons for an assignment, in the field or dataJson", async () => {
      const own = (await requester.ok(CREATE_TICKET, { input: milesTicket('Escalated with a note') }))
        .createTicket.ticket;
      const ASSIGN = 'mutation($i: AssignTicketInput!) { assignTicket(input: $i) { ticket { id } } }';
      await agent.ok(ASSIGN, { i: { ticketId: own.id, assigneeId: who.agent.sub, line: 'FIRST' } });
      await agent.ok(ASSIGN, {
        i: {
          ticketId: own.id,
          assigneeId: 'spec-2',
          line: 'SECOND',
          reason: 'Agency contract dispute, see CRM',
        },
      });
      const HISTORY = `query($id: ID) { ticket(id: $id) { history {
        eventType dataJson ... on TicketAssignedEvent { assignee { id line } escalation reason } } } }`;
      const seen = (await requester.ok(HISTORY, { id: own.id })).ticket.history as Data[];
      const assigned = seen.filter((e) => e.eventType === 'TicketAssigned');
      expect(assigned.map(({ assignee, escalation, reason }) => ({ assignee, escalation, reason }))).toEqual([
        { assignee: { id: who.agent.sub, line: 'FIRST' }, escalation: false, reason: null },
        { assignee: { id: 'spec-2', line: 'SECOND' }, escalation: true, reason: null },
      ]);
      expect(JSON.stringify(seen)).not.toContain('Agency contract dispute');
      expect(JSON.parse(assigned[1].dataJson as string)).toMatchObject({
        assignee: { line: 'SECOND' },
        escalation: true,
      });
      for (const client of [agent, auditor]) {
        const history = (await client.ok(HISTORY, { id: own.id })).ticket.history as Data[];
        const escalated = history.filter((e) => e.eventType === 'TicketAssigned')[1];
        expect(escalated.reason).toBe('Agency contract dispute, see CRM');
        expect(JSON.parse(escalated.dataJson as string).reason).toBe('Agency contract dispute, see CRM');
      }
    });

    it("never shows a requester internal comments in a mutation's answer either", async () => {
      // The answer to a mutation is folded from the ticket's events, not read from the read models.
      const own = (await requester.ok(CREATE_TICKET, { input: milesTicket('Answers hide internal notes') }))
        .createTicket.ticket;
      const COMMENT = `mutation($i: AddCommentInput!) {
        addComment(input: $i) { ticket { commentCount comments { body internal } } }
      }`;
      await agent.ok(COMMENT, {
        i: { ticketId: own.id, body: 'Internal: fare rules say no', internal: true },
      });
      await agent.ok(COMMENT, { i: { ticketId: own.id, body: 'Checking with the carrier' } });
      const answered = (await requester.ok(COMMENT, { i: { ticketId: own.id, body: 'Any news?' } }))
        .addComment.ticket;
      expect(answered).toEqual({
        commentCount: 2,
        comments: [
          { body: 'Checking with the carrier', internal: false },
          { body: 'Any news?', internal: false },
        ],
      });
      const withdrawn = await requester.ok(
        `mutation($i: CloseTicketInput!) { closeTicket(input: $i) { ticket { status commentCount comments { body } } } }`,
        { i: { ticketId: own.id, resolution: 'WITHDRAWN' } },
      );
      expect(withdrawn.closeTicket.ticket).toEqual({
        status: 'CLOSED',
        commentCount: 2,
        comments: [{ body: 'Checking with the carrier' }, { body: 'Any news?' }],
      });
    });

    it('shows staff and auditors internal comments and the whole history', async () => {
      for (const client of [agent, auditor, supervisor]) {
        const seen = (await client.ok(GET_TICKET, { id: ticket.id })).ticket;
        expect(seen.comments.map((c: Data) => c.internal)).toEqual([true, false]);
        const history = (await client.ok(HISTORY_COMMENTS, { id: ticket.id })).ticket.history as Data[];
        expect(history.filter((e) => e.comment).map((e) => e.comment.internal)).toEqual([true, false]);
      }
    });

    it('shows staff and auditors the commandId each change was sent with, and a requester none', async () => {
      const commandId = `desk-${randomUUID()}`;
      // A ticket of its own: the others here count the shared ticket's versions.
      const own = (await requester.ok(CREATE_TICKET, { input: milesTicket('History names commandIds') }))
        .createTicket.ticket;
      await agent.ok('mutation($i: AddCommentInput!) { addComment(input: $i) { ticket { id } } }', {
        i: { ticketId: own.id, body: 'Sent with a commandId', commandId },
      });
      const HISTORY = 'query($id: ID) { ticket(id: $id) { history { eventType commandId policy } } }';
      for (const client of [agent, auditor, supervisor]) {
        const history = (await client.ok(HISTORY, { id: own.id })).ticket.history as Data[];
        expect(history.at(-1)).toEqual({ eventType: 'CommentAdded', commandId, policy: null });
        // Changes sent without one say so.
        expect(history[0]).toEqual({ eventType: 'TicketCreated', commandId: null, policy: null });
      }
      const seen = (await requester.ok(HISTORY, { id: own.id })).ticket.history as Data[];
      expect(seen.at(-1)).toEqual({ eventType: 'CommentAdded', commandId: null, policy: null });
    });

    it("refuses a requester's ticket filed for someone else with its rule id, creating nothing", async () => {
      const subject = `For a colleague ${Date.now()}`;
      const refused = await requester.send(CREATE_TICKET, {
        input: { ...milesTicket(subject), requester: { id: 'kassir_someone_else' } },
      });
      expect(refused.errors?.[0].extensions).toMatchObject({
        code: 'RULE_VIOLATED',
        rule: 'create.requester-not-self',
      });
      const found = await agent.ok('query($s: String) { tickets(filter: { search: $s }) { totalCount } }', {
        s: subject,
      });
      expect(found.tickets.totalCount).toBe(0);
      const own = await requester.ok(CREATE_TICKET, {
        input: { ...milesTicket(`${subject} mine`), requester: { id: who.requester.sub } },
      });
      expect(own.createTicket.ticket.requester.id).toBe(who.requester.sub);
    });

    it('lets a reporter read lists and statistics but not history', async () => {
      const list = (await reporter.ok('{ tickets(first: 100) { totalCount } }')).tickets;
      expect(list.totalCount).toBeGreaterThanOrEqual(2);
      await reporter.ok('{ ticketStats(groupBy: [STATUS]) { count } }');
      const refused = await reporter.send(HISTORY_COMMENTS, { id: ticket.id });
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(JSON.stringify(refused.data ?? null)).not.toContain('check fare rules');
      // Only the public comments, and a count of those.
      const seen = (
        await reporter.ok('query($id: ID) { ticket(id: $id) { commentCount comments { body internal } } }', {
          id: ticket.id,
        })
      ).ticket;
      expect(seen).toEqual({
        commentCount: 1,
        comments: [{ body: 'We are looking into it', internal: false }],
      });
    });

    const mutations: [string, string, (t: Data) => Record<string, unknown>][] = [
      ['createTicket', 'CreateTicketInput', () => milesTicket()],
      ['assignTicket', 'AssignTicketInput', (t) => ({ ticketId: t.id, assigneeId: 'someone' })],
      ['addComment', 'AddCommentInput', (t) => ({ ticketId: t.id, body: 'Hi' })],
      ['proposeSolution', 'ProposeSolutionInput', (t) => ({ ticketId: t.id, solution: 'Done' })],
      ['reopenTicket', 'ReopenTicketInput', (t) => ({ ticketId: t.id, reason: 'Again' })],
      ['closeTicket', 'CloseTicketInput', (t) => ({ ticketId: t.id, resolution: 'CANCELLED', reason: 'No' })],
      ['requestCouponStatusChange', 'RequestCouponStatusChangeInput', (t) => couponForm(t.id)],
    ];

    it.each(mutations)(
      'refuses %s to auditors and reporters as FORBIDDEN, changing nothing',
      async (name, type, input) => {
        const count = async () => (await agent.ok('{ tickets { totalCount } }')).tickets.totalCount as number;
        const ticketsBefore = await count();
        for (const client of [auditor, reporter]) {
          const error = await client.error(
            `mutation($i: ${type}!) { ${name}(input: $i) { ticket { id } } }`,
            {
              i: input(ticket),
            },
          );
          expect(error.extensions?.code).toBe('FORBIDDEN');
          expect(error.message).toMatch(/^The (AUDITOR|REPORTER) role may not change tickets$/);
        }
        const after = (await agent.ok(GET_TICKET, { id: ticket.id })).ticket;
        expect(after.version).toBe(2);
        expect(await count()).toBe(ticketsBefore); // no ticket created either
      },
    );

    it('refuses a requester what only staff may do, naming the rule', async () => {
      const assign = await requester.error(
        'mutation($i: AssignTicketInput!) { assignTicket(input: $i) { ticket { id } } }',
        {
          i: { ticketId: ticket.id, assigneeId: who.requester.sub },
        },
      );
      expect(assign.extensions).toMatchObject({ code: 'RULE_VIOLATED', rule: 'assign.role' });
      const internal = await requester.error(
        'mutation($i: AddCommentInput!) { addComment(input: $i) { ticket { id } } }',
        {
          i: { ticketId: ticket.id, body: 'secret', internal: true },
        },
      );
      expect(internal.extensions).toMatchObject({
        code: 'RULE_VIOLATED',
        rule: 'comment.internal-staff-only',
      });
    });

    it('keeps as-of states to agents, supervisors and auditors', async () => {
      const AS_OF = 'query($id: ID!, $at: DateTime!) { ticketAsOf(id: $id, at: $at) { id status } }';
      const vars = { id: ticket.id, at: new Date(Date.now() + 1000).toISOString() };
      for (const client of [agent, supervisor, auditor]) {
        expect((await client.ok(AS_OF, vars)).ticketAsOf).toMatchObject({ id: ticket.id });
      }
      for (const client of [requester, reporter]) {
        const refused = await client.send(AS_OF, vars);
        expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
        expect(refused.data?.ticketAsOf ?? null).toBeNull();
      }
    });

    it('keeps the retention audit to auditors and supervisors', async () => {
      const AUDIT = '{ couponRequestRetentionAudit { retainedCount expiredCount verified } }';
      for (const client of [auditor, supervisor]) {
        expect((await client.ok(AUDIT)).couponRequestRetentionAudit.verified).toBe(false);
      }
      for (const client of [agent, requester, reporter]) {
        expect((await client.error(AUDIT)).extensions?.code).toBe('FORBIDDEN');
      }
    });

    it("shows a requester only their own tickets' coupon requests", async () => {
      const form = couponForm(ticket.id);
      await requester.ok(
        'mutation($i: RequestCouponStatusChangeInput!) { requestCouponStatusChange(input: $i) { request { registrationNumber } } }',
        {
          i: form,
        },
      );
      const theirs = await other.ok('{ couponRequests(first: 100) { totalCount } }');
      expect(theirs.couponRequests.totalCount).toBe(0);
      const own = await requester.ok('{ couponRequests(first: 100) { totalCount nodes { ticketId } } }');
      expect(own.couponRequests.nodes.map((n: Data) => n.ticketId)).toEqual([ticket.id]);
      const byStaff = await agent.ok(
        'query($t: ID) { couponRequests(filter: { ticketId: $t }) { totalCount } }',
        {
          t: ticket.id,
        },
      );
      expect(byStaff.couponRequests.totalCount).toBe(1);
    });

    it('refuses a token whose roles it does not know', async () => {
      const stranger = requester.as(tokenFor({ sub: `x-${randomUUID()}`, roles: ['SYSTEM'] }));
      expect((await stranger.send('{ me { id } }')).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });
  });
}
