/** Lists (filters, sorts, pages), history from the event store, as-of states and statistics. */
import { type Data, GraphqlClient } from './support/graphql-client';
import { CREATE_TICKET, callers, milesTicket, refundTicket } from './support/fixtures';
import { bootApp, type RunningApp, tokenFor } from './support/test-app';
import type { BootEnv } from './graphql-api.suite';

const LIST = `query($filter: TicketFilter, $sort: TicketSort, $first: Int, $after: String) {
  tickets(filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id number subject priority status } }
    nodes { id }
  }
}`;

const HISTORY = `query($id: ID) { ticket(id: $id) { id history {
  __typename revision eventType occurredAt position dataJson actor { id name role }
  ... on TicketCreatedEvent { number subject priority channel module category type }
  ... on TicketAssignedEvent { assignee { id name line } escalation reason }
  ... on CommentAddedEvent { comment { id body internal requestsReply author { id role } createdAt } }
  ... on SolutionProposedEvent { solution }
  ... on TicketReopenedEvent { reopenReason: reason }
  ... on TicketClosedEvent { resolution reason }
} } }`;

export function describeTicketQueries(bootEnv: BootEnv): void {
  describe('ticket queries', () => {
    const who = callers();
    let app: RunningApp;
    let requester: GraphqlClient;
    let agent: GraphqlClient;
    const tickets: Data[] = [];

    beforeAll(async () => {
      app = await bootApp(await bootEnv());
      requester = new GraphqlClient(app.url, tokenFor(who.requester));
      agent = requester.as(tokenFor(who.agent));
      const inputs = [
        { ...milesTicket('Alpha miles'), priority: 'LOW' },
        { ...milesTicket('Bravo miles'), priority: 'CRITICAL' },
        { ...refundTicket(), subject: 'Charlie refund' },
        { ...milesTicket('Delta miles'), priority: 'HIGH', channel: 'EMAIL' },
        { ...milesTicket('Echo Возврат миль'), priority: 'NORMAL' },
      ];
      for (const input of inputs)
        tickets.push((await requester.ok(CREATE_TICKET, { input })).createTicket.ticket);
    });
    afterAll(() => app?.close());

    const mine = { requesterId: who.requester.sub };

    it('lists with filters and total counts', async () => {
      const all = (await agent.ok(LIST, { filter: mine })).tickets;
      expect(all.totalCount).toBe(5);
      expect(all.nodes.map((n: Data) => n.id)).toEqual(all.edges.map((e: Data) => e.node.id));

      const urgent = (await agent.ok(LIST, { filter: { ...mine, priority: ['HIGH', 'CRITICAL'] } })).tickets;
      expect(urgent.edges.map((e: Data) => e.node.subject).sort()).toEqual([
        'Bravo miles',
        'Charlie refund',
        'Delta miles',
      ]);

      const email = (await agent.ok(LIST, { filter: { ...mine, channel: ['EMAIL'] } })).tickets;
      expect(email.edges.map((e: Data) => e.node.subject)).toEqual(['Delta miles']);

      const smart = (await agent.ok(LIST, { filter: { ...mine, module: ['SMART_TICKETING'] } })).tickets;
      expect(smart.totalCount).toBe(1);

      const created = Date.parse(tickets[0].createdAt);
      const window = (
        await agent.ok(LIST, {
          filter: {
            ...mine,
            createdFrom: new Date(created - 60_000).toISOString(),
            createdTo: new Date(Date.now() + 60_000).toISOString(),
          },
        })
      ).tickets;
      expect(window.totalCount).toBe(5);
      const future = (
        await agent.ok(LIST, {
          filter: { ...mine, createdFrom: new Date(Date.now() + 3600_000).toISOString() },
        })
      ).tickets;
      expect(future.totalCount).toBe(0);
    });

    it('searches words in any alphabet, and exact numbers and PNRs', async () => {
      const words = (await agent.ok(LIST, { filter: { ...mine, search: 'MILES bravo' } })).tickets;
      expect(words.edges.map((e: Data) => e.node.subject)).toEqual(['Bravo miles']);
      const cyrillic = (await agent.ok(LIST, { filter: { ...mine, search: 'возврат' } })).tickets;
      expect(cyrillic.edges.map((e: Data) => e.node.subject)).toEqual(['Echo Возврат миль']);
      const byNumber = (await agent.ok(LIST, { filter: { ...mine, search: String(tickets[3].number) } }))
        .tickets;
      expect(byNumber.edges.map((e: Data) => e.node.id)).toContain(tickets[3].id);
      const byPnr = (await agent.ok(LIST, { filter: { ...mine, search: 'AB12CD' } })).tickets;
      expect(byPnr.edges.map((e: Data) => e.node.subject)).toEqual(['Charlie refund']);
    });

    it('sorts and pages with cursors', async () => {
      const sort = { field: 'NUMBER', direction: 'ASC' };
      const page1 = (await agent.ok(LIST, { filter: mine, sort, first: 2 })).tickets;
      expect(page1.edges.map((e: Data) => e.node.number)).toEqual([tickets[0].number, tickets[1].number]);
      expect(page1.pageInfo.hasNextPage).toBe(true);
      expect(page1.totalCount).toBe(5);
      const page2 = (await agent.ok(LIST, { filter: mine, sort, first: 2, after: page1.pageInfo.endCursor }))
        .tickets;
      expect(page2.edges.map((e: Data) => e.node.number)).toEqual([tickets[2].number, tickets[3].number]);
      const page3 = (await agent.ok(LIST, { filter: mine, sort, first: 2, after: page2.pageInfo.endCursor }))
        .tickets;
      expect(page3.edges.map((e: Data) => e.node.number)).toEqual([tickets[4].number]);
      expect(page3.pageInfo.hasNextPage).toBe(false);

      const byPriority = (
        await agent.ok(LIST, { filter: mine, sort: { field: 'PRIORITY', direction: 'DESC' } })
      ).tickets;
      expect(byPriority.edges[0].node.priority).toBe('CRITICAL');
      expect(byPriority.edges[4].node.priority).toBe('LOW');

      const newestFirst = (await agent.ok(LIST, { filter: mine })).tickets;
      expect(newestFirst.edges[0].node.number).toBe(tickets[4].number);
    });

    it('refuses a page larger than 100, a cursor it did not make, or a ticket asked by neither id nor number as bad input', async () => {
      const tooMany = await agent.error(LIST, { filter: mine, first: 101 });
      expect(tooMany.extensions?.code).toBe('BAD_USER_INPUT');
      const badCursor = await agent.error(LIST, { filter: mine, after: 'not-a-cursor' });
      expect(badCursor.extensions?.code).toBe('BAD_USER_INPUT');
      // The edge's bounds hold for filters too (500 characters of text, 100 items a list), for lists,
      // statistics and coupon requests alike, every bad field at once, named relative to the filter as
      // GraphQL's own refusals and the handlers' checks name them (`status[0]`, `createdFrom`).
      const oversized = { search: 'слово '.repeat(100), module: Array.from({ length: 101 }, () => 'BONUS') };
      for (const query of [
        LIST,
        'query($filter: TicketFilter) { ticketStats(filter: $filter, groupBy: []) { count } }',
      ]) {
        const refused = await agent.error(query, { filter: oversized });
        expect(refused.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          fields: [
            { path: 'search', message: 'must be at most 500 characters (600 given)' },
            { path: 'module', message: 'must hold at most 100 items (101 given)' },
          ],
        });
      }
      const coupons = await agent.error(
        'query($f: CouponRequestFilter) { couponRequests(filter: $f) { totalCount } }',
        {
          f: { pnr: 'X'.repeat(501) },
        },
      );
      expect(coupons.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: 'pnr' }] });
      // An item of a list past its bound is named by its place, as GraphQL and the domain name items.
      const longItem = await agent.error(LIST, { filter: { ...mine, category: ['MILES', 'M'.repeat(501)] } });
      expect(longItem.extensions?.fields).toEqual([
        { path: 'category[1]', message: 'must be at most 500 characters (501 given)' },
      ]);
      const neither = await agent.error('{ ticket { id } }');
      expect(neither.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [
          { path: 'id', message: expect.stringMatching(/id or its number/) },
          { path: 'number', message: expect.stringMatching(/id or its number/) },
        ],
      });
    });

    it("serves a ticket's history from the event store, oldest first, each event typed", async () => {
      const id = tickets[0].id;
      await agent.ok('mutation($i: AssignTicketInput!) { assignTicket(input: $i) { ticket { id } } }', {
        i: { ticketId: id, assigneeId: who.agent.sub, assigneeName: 'Olga Agent' },
      });
      await agent.ok('mutation($i: AddCommentInput!) { addComment(input: $i) { ticket { id } } }', {
        i: { ticketId: id, body: 'On it' },
      });
      await agent.ok('mutation($i: ProposeSolutionInput!) { proposeSolution(input: $i) { ticket { id } } }', {
        i: { ticketId: id, solution: 'Done' },
      });
      await requester.ok('mutation($i: ReopenTicketInput!) { reopenTicket(input: $i) { ticket { id } } }', {
        i: { ticketId: id, reason: 'Not done' },
      });
      await requester.ok('mutation($i: CloseTicketInput!) { closeTicket(input: $i) { ticket { id } } }', {
        i: { ticketId: id, resolution: 'WITHDRAWN', reason: 'Sorted out myself' },
      });
      const history = (await agent.ok(HISTORY, { id })).ticket.history as Data[];
      expect(history.map((e) => e.__typename)).toEqual([
        'TicketCreatedEvent',
        'TicketAssignedEvent',
        'CommentAddedEvent',
        'SolutionProposedEvent',
        'TicketReopenedEvent',
        'TicketClosedEvent',
      ]);
      expect(history.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(history.map((e) => e.eventType)).toEqual([
        'TicketCreated',
        'TicketAssigned',
        'CommentAdded',
        'SolutionProposed',
        'TicketReopened',
        'TicketClosed',
      ]);
      const positions = history.map((e) => BigInt(e.position));
      expect([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(positions);
      expect(history[0]).toMatchObject({
        number: tickets[0].number,
        subject: 'Alpha miles',
        priority: 'LOW',
        actor: { id: who.requester.sub, name: 'Anna Petrova', role: 'REQUESTER' },
      });
      expect(JSON.parse(history[0].dataJson)).toMatchObject({ subject: 'Alpha miles' });
      expect(history[1]).toMatchObject({ assignee: { id: who.agent.sub, line: 'FIRST' }, escalation: false });
      expect(history[2].comment).toMatchObject({
        body: 'On it',
        internal: false,
        author: { id: who.agent.sub, role: 'AGENT' },
      });
      expect(history[3].solution).toBe('Done');
      expect(history[4].reopenReason).toBe('Not done');
      expect(history[5]).toMatchObject({ resolution: 'WITHDRAWN', reason: 'Sorted out myself' });
    });

    it('bounds the comments and history one request reads, however many aliases or tickets it names', async () => {
      // 60 comments; 100 aliases of the ticket with its comments would read 6,000 (past 5,000): a hundred
      // aliases of a ticket with 200 long comments answered 200 MB and took the server's memory to 1 GB.
      const id = (await agent.ok(CREATE_TICKET, { input: milesTicket('Many aliases') })).createTicket.ticket
        .id as string;
      for (let i = 1; i <= 60; i++) {
        await agent.ok('mutation($i: AddCommentInput!) { addComment(input: $i) { ticket { id } } }', {
          i: { ticketId: id, body: `Note ${i}` },
        });
      }
      const aliases = (field: string) =>
        `query($id: ID) { ${Array.from({ length: 100 }, (_, i) => `a${i}: ticket(id: $id) { ${field} }`).join(' ')} }`;
      for (const field of ['comments { body }', 'history { revision }']) {
        const response = await agent.send(aliases(field), { id });
        const served = Object.values(response.data ?? {}).filter((ticket) => ticket !== null);
        // history reads 61 events a ticket: the creation and 60 comments.
        expect(served).toHaveLength(field.startsWith('comments') ? 83 : 81);
        expect(response.errors).toHaveLength(100 - served.length);
        expect(response.errors?.[0].extensions).toEqual({
          code: 'BAD_USER_INPUT',
          fields: [
            {
              path: '',
              message: expect.stringMatching(
                /^the request asks for more than 5000 comments and history events in all \(at (comments|history)\); ask for fewer tickets' comments or history at once, or page them/,
              ),
            },
          ],
        });
        // Each refused alias is its own error, at its place in the answer.
        expect(response.errors?.map((error) => error.path?.[0]).sort()).toEqual(
          Object.entries(response.data ?? {})
            .filter(([, ticket]) => ticket === null)
            .map(([alias]) => alias)
            .sort(),
        );
      }
      // Each request has its own budget; the latest comments only, or a page of history, read less.
      expect((await agent.ok(aliases('comments(last: 1) { body }'), { id })).a99.comments).toEqual([
        { body: 'Note 60' },
      ]);
      expect((await agent.ok(aliases('history(limit: 2) { revision }'), { id })).a99.history).toHaveLength(2);
      // Mutations: at most ten a request (aliased on a long ticket, each read it back whole: 200 took
      // 11 s), their payloads' comments counted as a query's.
      const mutations = (count: number, field: string) =>
        `mutation($i: AddCommentInput!) { ${Array.from({ length: count }, (_, i) => `m${i}: addComment(input: $i) { ticket { version ${field} } }`).join(' ')} }`;
      const input = { i: { ticketId: id, body: 'Once', commandId: `once-${id}` } };
      const ten = await agent.ok(mutations(10, 'comments(last: 1) { body }'), input);
      expect(ten.m9.ticket.comments).toEqual([{ body: 'Once' }]);
      const eleven = await agent.send(mutations(11, ''), {
        i: { ticketId: id, body: 'Never', commandId: `never-${id}` },
      });
      expect(eleven.status).toBe(400);
      expect(eleven.errors?.[0].message).toBe(
        'A request may hold at most 10 mutations (this one holds 11): send the others in further requests',
      );
      expect((await agent.ok('query($id: ID) { ticket(id: $id) { version } }', { id })).ticket.version).toBe(
        ten.m9.ticket.version,
      );
    });

    it("reserves a mutation payload's comments before the change, so a refused one changes nothing", async () => {
      const id = (await agent.ok(CREATE_TICKET, { input: milesTicket('Long conversation') })).createTicket
        .ticket.id as string;
      const batch = (count: number, field: string) =>
        `mutation($i: AddCommentInput!) { ${Array.from({ length: count }, (_, i) => `m${i}: addComment(input: $i) { ticket { ${field} } }`).join(' ')} }`;
      for (let i = 0; i < 50; i++)
        await agent.ok(batch(10, 'version'), { i: { ticketId: id, body: `Note ${i}` } });
      // Ten more, each answering the whole conversation: 501 + … + 510 comments passes 5,000 at the tenth,
      // which is refused before it changes anything (it used to be made, then answered "invalid input").
      const response = await agent.send(batch(10, 'comments { body }'), {
        i: { ticketId: id, body: 'More' },
      });
      expect(response.errors?.[0].extensions?.fields?.[0].message).toMatch(/more than 5000 comments/);
      expect(response.errors?.[0].path).toEqual(['m9']);
      // The nine made before it are named (the refusal emptied the whole answer: payloads are non-null).
      expect(response.data).toBeNull();
      const done = response.errors?.[0].extensions?.done as {
        field: string;
        ticketId: string;
        version: number;
      }[];
      expect(done.map((d) => d.field)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8']);
      expect(done.every((d) => d.ticketId === id)).toBe(true);
      expect(done.map((d) => d.version)).toEqual([501, 502, 503, 504, 505, 506, 507, 508, 509]);
      const after = await agent.ok('query($id: ID) { ticket(id: $id) { commentCount } }', { id });
      expect(after.ticket.commentCount).toBe(509);
      // History in the payload too: 512 + 513 + … passes 5,000 at the tenth, refused before its change.
      const history = await agent.send(batch(10, 'history { revision }'), {
        i: { ticketId: id, body: 'Again' },
      });
      expect(history.errors?.[0].path).toEqual(['m9']);
      expect(history.errors?.[0].extensions?.done).toHaveLength(9);
      const again = await agent.ok('query($id: ID) { ticket(id: $id) { commentCount number } }', { id });
      expect(again.ticket.commentCount).toBe(518);
      expect((history.errors?.[0].extensions?.done as { number: number }[])[0].number).toBe(
        again.ticket.number,
      );
    });

    it('pages a long history by revision, and serves only the latest comments when asked', async () => {
      // A requester of its own, so the other tests' counts of the usual requester's tickets stay as they are.
      const owner = agent.as(tokenFor({ ...who.requester, sub: `${who.requester.sub}-long` }));
      const id = (await owner.ok(CREATE_TICKET, { input: milesTicket('Long correspondence') })).createTicket
        .ticket.id as string;
      for (let i = 1; i <= 6; i++) {
        await agent.ok('mutation($i: AddCommentInput!) { addComment(input: $i) { ticket { id } } }', {
          i: { ticketId: id, body: `Reply ${i}`, internal: i === 2 },
        });
      }
      const page = async (caller: typeof agent, fromRevision: number | null, limit: number | null) =>
        (
          (
            await caller.ok(
              'query($id: ID, $f: Int, $l: Int) { ticket(id: $id) { history(fromRevision: $f, limit: $l) { revision } } }',
              { id, f: fromRevision, l: limit },
            )
          ).ticket.history as { revision: number }[]
        ).map((e) => e.revision);
      expect(await page(agent, null, null)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(await page(agent, 0, 3)).toEqual([0, 1, 2]);
      expect(await page(agent, 3, 3)).toEqual([3, 4, 5]);
      expect(await page(agent, 6, 3)).toEqual([6]);
      expect(await page(agent, 7, 3)).toEqual([]);
      // A requester's page leaves out the internal comment it holds (revision 2).
      expect(await page(owner, 1, 3)).toEqual([1, 3]);
      const refused = await agent.error(
        'query($id: ID) { ticket(id: $id) { history(fromRevision: -1, limit: 5000) { revision } } }',
        { id },
      );
      expect(refused.extensions?.fields?.map((f: { path: string }) => f.path).sort()).toEqual([
        'fromRevision',
        'limit',
      ]);

      const latest = await agent.ok(
        'query($id: ID) { ticket(id: $id) { commentCount comments(last: 2) { body } } }',
        {
          id,
        },
      );
      expect(latest.ticket).toEqual({
        commentCount: 6,
        comments: [{ body: 'Reply 5' }, { body: 'Reply 6' }],
      });
      // The count alone (no comments selected) is each caller's count: all six for staff, the five the
      // requester may see for them, in a lookup, a list and through a fragment.
      const countOnly = (caller: typeof agent) =>
        caller.ok(
          `query($id: ID, $s: String) { ticket(id: $id) { ...count } tickets(filter: { search: $s }) { nodes { ...count } } }
           fragment count on Ticket { commentCount }`,
          { id, s: 'Long correspondence' },
        );
      expect(await countOnly(agent)).toEqual({
        ticket: { commentCount: 6 },
        tickets: { nodes: [{ commentCount: 6 }] },
      });
      expect(await countOnly(owner)).toEqual({
        ticket: { commentCount: 5 },
        tickets: { nodes: [{ commentCount: 5 }] },
      });
      const own = await owner.ok('query($id: ID) { ticket(id: $id) { comments(last: 5) { body } } }', {
        id,
      });
      expect((own.ticket.comments as { body: string }[]).map((c) => c.body)).toEqual([
        'Reply 1',
        'Reply 3',
        'Reply 4',
        'Reply 5',
        'Reply 6',
      ]);
    });

    it('folds a ticket as of an instant', async () => {
      const id = tickets[1].id;
      await agent.ok('mutation($i: AssignTicketInput!) { assignTicket(input: $i) { ticket { id } } }', {
        i: { ticketId: id, assigneeId: who.agent.sub },
      });
      const history = (await agent.ok(HISTORY, { id })).ticket.history as Data[];
      const AS_OF =
        'query($id: ID!, $at: DateTime!) { ticketAsOf(id: $id, at: $at) { id version status assignee { id } } }';
      const atCreation = (await agent.ok(AS_OF, { id, at: history[0].occurredAt })).ticketAsOf;
      expect(atCreation).toEqual({ id, version: 0, status: 'NEW', assignee: null });
      const now = (await agent.ok(AS_OF, { id, at: new Date(Date.now() + 1000).toISOString() })).ticketAsOf;
      expect(now).toMatchObject({ version: 1, status: 'ASSIGNED', assignee: { id: who.agent.sub } });
      const before = (await agent.ok(AS_OF, { id, at: '2000-01-01T00:00:00Z' })).ticketAsOf;
      expect(before).toBeNull();
      // A past state's history ends where the state does; the current ticket's goes on.
      const PAST_HISTORY =
        'query($id: ID!, $at: DateTime!) { ticketAsOf(id: $id, at: $at) { version history { revision } } }';
      const past = (await agent.ok(PAST_HISTORY, { id, at: history[0].occurredAt })).ticketAsOf;
      expect(past).toEqual({ version: 0, history: [{ revision: 0 }] });
      expect(history.map((event) => event.revision)).toEqual([0, 1]);
    });

    it('counts tickets per dimension', async () => {
      const STATS = `query($f: TicketFilter, $g: [StatsDimension!]!) { ticketStats(filter: $f, groupBy: $g) {
        key { dimension value } count open closed overdue reopened avgFirstResponseMinutes avgResolutionMinutes } }`;
      const byModule = (await agent.ok(STATS, { f: mine, g: ['MODULE'] })).ticketStats as Data[];
      const counts = Object.fromEntries(byModule.map((b) => [b.key[0].value, b.count]));
      expect(counts).toEqual({ BONUS: 4, SMART_TICKETING: 1 });
      expect(byModule[0].key[0].dimension).toBe('MODULE');
      const reporter = agent.as(tokenFor(who.reporter));
      const byStatusPriority = (await reporter.ok(STATS, { f: mine, g: ['STATUS', 'PRIORITY'] }))
        .ticketStats as Data[];
      expect(byStatusPriority.reduce((sum, b) => sum + b.count, 0)).toBe(5);
      expect(byStatusPriority.every((b) => b.key.length === 2)).toBe(true);
    });

    it('lists the queue nobody has taken apart from assigned tickets, and counts it', async () => {
      const id = tickets[3].id;
      await agent.ok('mutation($i: AssignTicketInput!) { assignTicket(input: $i) { ticket { id } } }', {
        i: { ticketId: id, assigneeId: 'agent_second', line: 'SECOND', reason: 'Needs the second line' },
      });
      const QUEUE = `query($filter: TicketFilter) {
        tickets(filter: $filter, first: 100) { totalCount nodes { id status assignee { id line } } }
      }`;
      const taken = (await agent.ok(QUEUE, { filter: { ...mine, assigned: true } })).tickets;
      const queue = (await agent.ok(QUEUE, { filter: { ...mine, assigned: false } })).tickets;
      expect(taken.nodes.map((n: Data) => n.id)).toContain(id);
      expect(taken.nodes.every((n: Data) => n.assignee !== null)).toBe(true);
      expect(queue.nodes.map((n: Data) => n.id)).not.toContain(id);
      expect(queue.nodes.every((n: Data) => n.assignee === null)).toBe(true);
      expect(taken.totalCount + queue.totalCount).toBe(5);
      expect(queue.totalCount).toBeGreaterThan(0);
      const onSecond = await agent.ok(QUEUE, { filter: { ...mine, assigned: false, line: ['SECOND'] } });
      expect(onSecond.tickets.totalCount).toBe(0);

      const STATS = `query($f: TicketFilter) { ticketStats(filter: $f, groupBy: [STATUS]) { key { value } count } }`;
      const queueStats = (await agent.ok(STATS, { f: { ...mine, assigned: false } })).ticketStats as Data[];
      expect(queueStats.reduce((sum, b) => sum + b.count, 0)).toBe(queue.totalCount);
    });
  });
}
