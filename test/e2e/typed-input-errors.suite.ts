/**
 * A form holding a value GraphQL cannot read as its type (an unknown enum value, a DateTime that is no
 * date, a text where a number goes) is refused with that field AND every other bad field the edge and
 * the domain find, in one BAD_USER_INPUT error, as GraphQL refuses a request (HTTP 400, no data), and
 * nothing is written — for each of the seven mutations.
 */
import { type GraphqlError, GraphqlClient } from './support/graphql-client';
import { CREATE_TICKET, REQUEST_COUPON, callers, couponForm, milesTicket } from './support/fixtures';
import { bootApp, type RunningApp, tokenFor } from './support/test-app';
import type { BootEnv } from './graphql-api.suite';

const fieldPaths = (error: GraphqlError | undefined): string[] =>
  (error?.extensions?.fields ?? []).map((field) => field.path).sort();

const mutation = (name: string, input: string) =>
  `mutation($input: ${input}!) { ${name}(input: $input) { ticket { id version } } }`;

export function describeTypedInputErrors(bootEnv: BootEnv): void {
  describe('values of the wrong type, with the rest of the form', () => {
    const who = callers();
    let app: RunningApp;
    let agent: GraphqlClient;
    let requester: GraphqlClient;

    beforeAll(async () => {
      app = await bootApp(await bootEnv());
      agent = new GraphqlClient(app.url, tokenFor(who.agent));
      requester = new GraphqlClient(app.url, tokenFor(who.requester));
    });
    afterAll(() => app?.close());

    const versionOf = async (id: string): Promise<number> =>
      (await agent.ok('query($id: ID) { ticket(id: $id) { version } }', { id })).ticket.version as number;

    it('lists an unknown enum value beside the empty texts and the unknown module of the same form', async () => {
      const before = await agent.ok('{ tickets { totalCount } }');
      const refused = await agent.send(CREATE_TICKET, {
        input: { channel: 'FAX', module: 'NOPE', subject: '', description: '' },
      });
      expect(refused.status).toBe(400);
      expect(refused.data).toBeUndefined();
      expect(refused.errors).toHaveLength(1);
      const [error] = refused.errors ?? [];
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(fieldPaths(error)).toEqual(['channel', 'description', 'module', 'subject']);
      // GraphQL's own words for the value it could not read, without the variable it came in (a form
      // shows them beside the field).
      expect(error.extensions?.fields?.find((f) => f.path === 'channel')?.message).toBe(
        'Value "FAX" does not exist in "Channel" enum.',
      );
      expect((await agent.ok('{ tickets { totalCount } }')).tickets).toEqual(before.tickets);
    });

    it('refuses each of the seven mutations with every bad field at once, writing nothing', async () => {
      // One ticket in work (assign, comment, propose, coupon) and one with a solution proposed (reopen, close).
      const ticket = async () =>
        (await requester.ok(CREATE_TICKET, { input: milesTicket() })).createTicket.ticket.id as string;
      const [inWork, proposed] = [await ticket(), await ticket()];
      const ASSIGN = mutation('assignTicket', 'AssignTicketInput');
      const PROPOSE = mutation('proposeSolution', 'ProposeSolutionInput');
      for (const ticketId of [inWork, proposed]) {
        await agent.ok(ASSIGN, { input: { ticketId, assigneeId: who.agent.sub } });
      }
      await agent.ok(PROPOSE, { input: { ticketId: proposed, solution: 'Miles credited.' } });
      const cases: Array<[GraphqlClient, string, Record<string, unknown>, string[]]> = [
        [
          agent,
          CREATE_TICKET,
          { ...milesTicket(), priority: 'URGENT', subject: ' ' },
          ['priority', 'subject'],
        ],
        [agent, ASSIGN, { ticketId: inWork, assigneeId: ' ', line: 'THIRD' }, ['assigneeId', 'line']],
        [
          agent,
          mutation('addComment', 'AddCommentInput'),
          { ticketId: inWork, body: ' ', internal: 'yes' },
          ['body', 'internal'],
        ],
        [
          agent,
          PROPOSE,
          { ticketId: inWork, solution: '', expectedVersion: 'latest' },
          ['expectedVersion', 'solution'],
        ],
        [
          requester,
          mutation('reopenTicket', 'ReopenTicketInput'),
          { ticketId: proposed, reason: '', expectedVersion: 1.5 },
          ['expectedVersion', 'reason'],
        ],
        [
          requester,
          mutation('closeTicket', 'CloseTicketInput'),
          { ticketId: proposed, resolution: 'DONE', commandId: 'c'.repeat(300) },
          ['commandId', 'resolution'],
        ],
        [
          agent,
          REQUEST_COUPON,
          { ...couponForm(inWork), fromStatus: 'WRONG', couponNumbers: [1, 'two'], pnr: 'ab' },
          ['couponNumbers[1]', 'fromStatus', 'pnr'],
        ],
      ];
      for (const [client, query, input, paths] of cases) {
        const response = await client.send(query, { input });
        expect({ query, status: response.status, errors: response.errors?.length }).toEqual({
          query,
          status: 400,
          errors: 1,
        });
        expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
        expect({ query, paths: fieldPaths(response.errors?.[0]) }).toEqual({ query, paths });
      }
      expect([await versionOf(inWork), await versionOf(proposed)]).toEqual([1, 2]);
    });

    it('judges a refused value as absent, not by its stand-in: no findings follow from a scenario it could not read', async () => {
      const created = await requester.ok(CREATE_TICKET, { input: milesTicket() });
      const ticketId = created.createTicket.ticket.id as string;
      const response = await agent.send(REQUEST_COUPON, {
        input: { ...couponForm(ticketId), scenario: 'LOST' },
      });
      // Only the scenario: the rest of the form is complete, and no scenario's own fields are asked for.
      expect(fieldPaths(response.errors?.[0])).toEqual(['scenario']);
      expect(await versionOf(ticketId)).toBe(0);
    });

    it('answers a missing or another requester’s ticket alike: the form is refused for its own fields', async () => {
      const other = callers();
      const foreign = await new GraphqlClient(app.url, tokenFor(other.requester)).ok(CREATE_TICKET, {
        input: milesTicket(),
      });
      const COMMENT = mutation('addComment', 'AddCommentInput');
      const missing = await requester.error(COMMENT, {
        input: { ticketId: '00000000-0000-4000-8000-000000000000', body: 'x', internal: 'no' },
      });
      const notMine = await requester.error(COMMENT, {
        input: { ticketId: foreign.createTicket.ticket.id, body: 'x', internal: 'no' },
      });
      expect(fieldPaths(missing)).toEqual(['internal']);
      expect(fieldPaths(notMine)).toEqual(['internal']);
      expect(notMine.status).toBe(missing.status);
    });

    it('names a lone surrogate and a wrong-typed value of one form together', async () => {
      const response = await agent.send(CREATE_TICKET, {
        input: { ...milesTicket(), subject: 'a\ud800b', channel: 'FAX' },
      });
      expect(response.status).toBe(400);
      expect(fieldPaths(response.errors?.[0])).toEqual(['channel', 'subject']);
    });

    it('does not run a mutation sent by GET, whatever its variables', async () => {
      const url = new URL(`${app.url}/graphql`);
      url.searchParams.set('query', CREATE_TICKET);
      url.searchParams.set(
        'variables',
        JSON.stringify({ input: { ...milesTicket(), channel: 'FAX', subject: '' } }),
      );
      const response = await fetch(url, {
        headers: { authorization: `Bearer ${tokenFor(who.agent)}`, 'apollo-require-preflight': 'true' },
      });
      expect(response.status).toBe(405);
    });

    it('names each refused place by where it is, whatever the keys and values quote', async () => {
      const created = await requester.ok(CREATE_TICKET, { input: milesTicket() });
      const ticketId = created.createTicket.ticket.id as string;
      const COMMENT = mutation('addComment', 'AddCommentInput');
      // A key quoting another field's place used to make the refusal name that field instead.
      const spoofed = await agent.error(COMMENT, {
        input: { ticketId, body: 'hi', commandId: { 'at "input.body"': 1 } },
      });
      expect(fieldPaths(spoofed)).toEqual(['commandId']);
      const hidden = await agent.error(COMMENT, {
        input: { ticketId: { 'at "input.internal"': 1 }, body: 'hi' },
      });
      expect(fieldPaths(hidden)).toEqual(['ticketId']);
      const quoted = await agent.error(CREATE_TICKET, {
        input: { ...milesTicket(), nearestDepartureAt: 'Field "x" is not defined by type' },
      });
      expect(fieldPaths(quoted)).toEqual(['nearestDepartureAt']);
      expect(await versionOf(ticketId)).toBe(0);
    });

    it('lists at most 50 wrong values, in one BAD_USER_INPUT, also beside a lone surrogate', async () => {
      const created = await requester.ok(CREATE_TICKET, { input: milesTicket() });
      const ticketId = created.createTicket.ticket.id as string;
      const many = Array.from({ length: 2_000 }, () => 'x');
      for (const extra of [{}, { passengerName: '\ud800' }]) {
        const response = await agent.send(REQUEST_COUPON, {
          input: { ...couponForm(ticketId), couponNumbers: many, ...extra },
        });
        expect(response.status).toBe(400);
        expect(response.errors).toHaveLength(1);
        expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
        expect(response.errors?.[0].extensions?.fields?.length).toBeLessThanOrEqual(52);
      }
      expect(await versionOf(ticketId)).toBe(0);
    });

    it('keeps GraphQL’s refusal of a skipped mutation, and refuses a form variable set to null as input', async () => {
      const skipped = await agent.send(
        'mutation($i: CreateTicketInput!) { createTicket(input: $i) @skip(if: true) { ticket { id } } }',
        { i: { ...milesTicket(), channel: 'FAX' } },
      );
      expect(skipped.status).toBe(400);
      expect(fieldPaths(skipped.errors?.[0])).toEqual(['channel']);
      const nulled = await agent.send(
        'mutation($i: CreateTicketInput = { module: "BONUS", subject: "s", description: "d" }) { createTicket(input: $i) { ticket { id } } }',
        { i: null },
      );
      expect(nulled.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(fieldPaths(nulled.errors?.[0])).toEqual(['input']);
    });

    it('leaves a request with two mutations to GraphQL: refused before either runs', async () => {
      const created = await requester.ok(CREATE_TICKET, { input: milesTicket() });
      const ticketId = created.createTicket.ticket.id as string;
      const response = await agent.send(
        `mutation($input: AddCommentInput!) {
          a: addComment(input: $input) { ticket { version } }
          b: addComment(input: { ticketId: "${ticketId}", body: "Second" }) { ticket { version } }
        }`,
        { input: { ticketId, body: ' ', internal: 'yes' } },
      );
      expect(response.status).toBe(400);
      expect(fieldPaths(response.errors?.[0])).toEqual(['internal']);
      expect(await versionOf(ticketId)).toBe(0);
    });
  });
}
