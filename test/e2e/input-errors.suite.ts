/**
 * Input errors over HTTP: what GraphQL refuses (DateTime, enums, missing and unknown fields, lone
 * surrogates), what the edge and the domain find, and how each bad field is named, every one at once.
 */
import { type GraphqlError, GraphqlClient } from './support/graphql-client';
import { CREATE_TICKET, REQUEST_COUPON, callers, milesTicket } from './support/fixtures';
import { bootApp, type RunningApp, tokenFor } from './support/test-app';
import type { BootEnv } from './graphql-api.suite';

/** The paths of an input error's fields, sorted (each bad field once, in no particular order). */
const fieldPaths = (error: GraphqlError | undefined): string[] =>
  (error?.extensions?.fields ?? []).map((field) => field.path).sort();

export function describeInputErrors(bootEnv: BootEnv): void {
  describe('input errors', () => {
    const who = callers();
    let app: RunningApp;
    let agent: GraphqlClient;

    beforeAll(async () => {
      app = await bootApp(await bootEnv());
      agent = new GraphqlClient(app.url, tokenFor(who.agent));
    });
    afterAll(() => app?.close());

    it('refuses text with a lone surrogate in any variable, naming every such field, writing nothing', async () => {
      // Stored as UTF-8 a lone surrogate becomes U+FFFD: two commandIds differing only there were one.
      const subject = `Lone surrogate ${who.agent.sub}`;
      const refused = await agent.error(CREATE_TICKET, {
        input: { ...milesTicket(subject), commandId: 'retry-\ud800', description: 'x\udc00y' },
      });
      expect(refused.status).toBe(400);
      expect(refused.extensions?.code).toBe('BAD_USER_INPUT');
      expect(fieldPaths(refused)).toEqual(['commandId', 'description']);
      const search = await agent.error(
        'query($s: String) { tickets(filter: { search: $s }) { totalCount } }',
        {
          s: '\udbff',
        },
      );
      expect(search.extensions?.fields).toEqual([
        { path: 's', message: expect.stringMatching(/lone surrogate/) },
      ]);
      const found = await agent.ok('query($s: String) { tickets(filter: { search: $s }) { totalCount } }', {
        s: subject,
      });
      expect(found.tickets.totalCount).toBe(0);
      // A pair (an emoji) is well-formed text.
      await agent.ok('query($s: String) { tickets(filter: { search: $s }) { totalCount } }', {
        s: '\ud83d\ude00',
      });
      // Items of a list variable are named after it.
      const list = await agent.error(
        'query($m: [String!]) { tickets(filter: { module: $m }) { totalCount } }',
        {
          m: ['BONUS', 'a\ud800'],
        },
      );
      expect(fieldPaths(list)).toEqual(['m[1]']);
    });

    it('refuses an invalid DateTime as BAD_USER_INPUT, in a variable and in the query text', async () => {
      const viaVariable = await agent.error(
        'query($at: DateTime!) { ticketAsOf(id: "00000000-0000-4000-8000-000000000000", at: $at) { id } }',
        { at: '3 September 2026' },
      );
      expect(viaVariable.status).toBe(400);
      expect(viaVariable.extensions?.code).toBe('BAD_USER_INPUT');
      expect(viaVariable.extensions?.fields?.[0].path).toBe('at');

      const nested = await agent.error(CREATE_TICKET, {
        input: { ...milesTicket(), nearestDepartureAt: '2026-13-45T99:00:00Z' },
      });
      expect(nested.extensions?.code).toBe('BAD_USER_INPUT');
      expect(nested.extensions?.fields?.[0].path).toBe('nearestDepartureAt');

      const literal = await agent.error('{ tickets(filter: { createdFrom: "yesterday" }) { totalCount } }');
      expect(literal.status).toBe(400);
      expect(literal.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('refuses a DateTime naming a day that does not exist, instead of moving it to another day', async () => {
      const auditor = agent.as(tokenFor(who.auditor));
      for (const at of ['2027-02-29T00:00:00Z', '2026-04-31T10:00:00Z', '2026-09-03T24:00:00Z']) {
        const refused = await auditor.error(
          'query($at: DateTime) { couponRequestRetentionAudit(asOf: $at) { asOf } }',
          { at },
        );
        expect(refused.extensions?.code).toBe('BAD_USER_INPUT');
        expect(refused.extensions?.fields?.[0].path).toBe('at');
      }
      const created = await agent.error(CREATE_TICKET, {
        input: { ...milesTicket(), nearestDepartureAt: '2026-02-30T10:00:00Z' },
      });
      expect(created.extensions?.fields?.[0].path).toBe('nearestDepartureAt');
      const leap = await agent
        .as(tokenFor(who.auditor))
        .ok('query($at: DateTime) { couponRequestRetentionAudit(asOf: $at) { asOf } }', {
          at: '2028-02-29T12:00:00+03:00',
        });
      expect(leap.couponRequestRetentionAudit.asOf).toBe('2028-02-29T09:00:00.000Z');
    });

    it('keeps a range bound given finer than a millisecond exact (rounded up, as stored times are whole ms)', async () => {
      const created = await agent.ok(CREATE_TICKET, {
        input: milesTicket(`Sub-millisecond ${who.agent.sub}`),
      });
      const { number, createdAt } = created.createTicket.ticket as { number: number; createdAt: string };
      // createdAt is …ss.mmmZ; the same instant plus 0.9 ms, written with four fraction digits.
      const justAfter = createdAt.replace(/Z$/, '9Z');
      const count = async (filter: string) =>
        (
          await agent.ok(
            `query($t: DateTime) { tickets(filter: { ${filter}: $t, search: "#${number}" }) { totalCount } }`,
            {
              t: justAfter,
            },
          )
        ).tickets.totalCount;
      expect(await count('createdFrom')).toBe(0); // created before the bound
      expect(await count('createdTo')).toBe(1); // created before the (exclusive) bound
      expect(await count('updatedFrom')).toBe(0);
      const exact = await agent.ok(
        `query($t: DateTime) { tickets(filter: { createdFrom: $t, search: "#${number}" }) { totalCount } }`,
        {
          t: createdAt.replace(/Z$/, '000Z'),
        },
      );
      expect(exact.tickets.totalCount).toBe(1); // trailing zeros name the same millisecond
      // Rounding up stops at the last millisecond of 9999 (the year 10000 would not compare as text).
      const last = await agent.ok(
        `{ tickets(filter: { createdFrom: "9999-12-31T23:59:59.9991Z", search: "#${number}" }) { totalCount } }`,
      );
      expect(last.tickets.totalCount).toBe(0);
    });

    it('refuses a retention audit as of a time whose window would start before the year 0000', async () => {
      const refused = await agent
        .as(tokenFor(who.auditor))
        .error('{ couponRequestRetentionAudit(asOf: "0000-06-01T00:00:00Z") { windowStart } }');
      expect(refused.extensions?.code).toBe('BAD_USER_INPUT');
      expect(refused.extensions?.fields).toEqual([
        { path: 'asOf', message: expect.stringMatching(/year 0001 or later/) },
      ]);
    });

    it('refuses a DateTime past the year 9999 in UTC (a filter on it listed every ticket)', async () => {
      const beyond = '9999-12-31T23:59:59-23:59';
      const refused = await agent.error(
        'query($from: DateTime) { tickets(filter: { createdFrom: $from }) { totalCount } }',
        {
          from: beyond,
        },
      );
      expect(refused.extensions?.code).toBe('BAD_USER_INPUT');
      expect(refused.message).toMatch(/years 0000-9999/);
      const literal = await agent.error(
        `{ couponRequests(filter: { registeredFrom: "${beyond}" }) { totalCount } }`,
      );
      expect(literal.extensions?.code).toBe('BAD_USER_INPUT');
      const last = await agent.ok(
        '{ tickets(filter: { createdFrom: "9999-12-31T23:59:59Z" }) { totalCount } }',
      );
      expect(last.tickets.totalCount).toBe(0);
    });

    it('refuses a ticket lookup that gives neither an id nor a number (not null, as for a missing ticket)', async () => {
      const refused = await agent.send('{ ticket { id } }');
      expect(refused.data).toEqual({ ticket: null });
      expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(fieldPaths(refused.errors?.[0])).toEqual(['id', 'number']);
      expect(refused.errors?.[0].extensions?.fields?.[0].message).toMatch(
        /give the ticket's id or its number/,
      );
    });

    it('refuses a time range that ends before it starts, naming each such range (not an empty list)', async () => {
      const refused = await agent.error(
        `{ tickets(filter: { createdFrom: "2026-11-20T00:00:00Z", createdTo: "2026-11-19T00:00:00Z",
            updatedFrom: "2026-11-20T00:00:00+03:00", updatedTo: "2026-11-19T23:00:00Z" }) { totalCount } }`,
      );
      expect(refused.extensions?.code).toBe('BAD_USER_INPUT');
      expect(refused.extensions?.fields).toEqual([
        { path: 'createdTo', message: 'must not be before createdFrom (the range is empty)' },
      ]);
      const coupons = await agent.error(
        '{ couponRequests(filter: { registeredFrom: "2026-11-20T00:00:00Z", registeredTo: "2026-11-01T00:00:00Z" }) { totalCount } }',
      );
      expect(fieldPaths(coupons)).toEqual(['registeredTo']);
      // An empty range given as from = to is a range, not a mistake: nothing in it.
      const empty = await agent.ok(
        '{ tickets(filter: { createdFrom: "2026-11-20T00:00:00Z", createdTo: "2026-11-20T00:00:00Z" }) { totalCount } }',
      );
      expect(empty.tickets.totalCount).toBe(0);
    });

    it('refuses an unknown enum value as a client error', async () => {
      const viaVariable = await agent.error(CREATE_TICKET, {
        input: { ...milesTicket(), priority: 'URGENT' },
      });
      expect(viaVariable.status).toBe(400);
      expect(viaVariable.extensions?.code).toBe('BAD_USER_INPUT');
      const literal = await agent.error('{ tickets(filter: { status: [NEW, OPEN] }) { totalCount } }');
      expect(literal.status).toBe(400);
      expect(literal.extensions?.code).toBe('BAD_USER_INPUT');
      expect(fieldPaths(literal)).toEqual(['status[1]']);
    });

    it('names the field of a value refused in the query text, every one at once', async () => {
      const response = await agent.send(
        `mutation { createTicket(input: { module: "BONUS", category: "MILES", type: "MILES_ACCRUAL",
          subject: "s", description: "d", nearestDepartureAt: "soon", priority: URGENT }) { ticket { id } } }`,
      );
      expect(response.status).toBe(400);
      expect(response.errors).toHaveLength(1);
      expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(fieldPaths(response.errors?.[0])).toEqual(['nearestDepartureAt', 'priority']);
      const asOf = await agent.error('{ ticketAsOf(id: "x", at: "later") { id } }');
      expect(fieldPaths(asOf)).toEqual(['at']);
      const filter = await agent.error('{ tickets(filter: { createdFrom: "yesterday" }) { totalCount } }');
      expect(fieldPaths(filter)).toEqual(['createdFrom']);
    });

    it('names each missing required field of a variable, not the variable', async () => {
      const response = await agent.send(CREATE_TICKET, { input: { description: 'x', colour: 'red' } });
      expect(response.errors).toHaveLength(1);
      expect(fieldPaths(response.errors?.[0])).toEqual(['colour', 'module', 'subject']);
      // In a form's words, as the domain's own findings are.
      const byPath = new Map(response.errors?.[0].extensions?.fields?.map((f) => [f.path, f.message]));
      expect(byPath.get('module')).toBe('is required');
      expect(byPath.get('colour')).toBe('is not a field of CreateTicketInput');
    });

    it('names each missing or unknown field of a value in the query text, as for a variable', async () => {
      const missing = await agent.send(
        'mutation { createTicket(input: { category: "MILES", description: "d" }) { ticket { id } } }',
      );
      expect(missing.status).toBe(400);
      expect(missing.errors).toHaveLength(1);
      expect(fieldPaths(missing.errors?.[0])).toEqual(['module', 'subject']);
      const nested = await agent.send(
        `mutation { createTicket(input: { module: "BONUS", subject: "s", description: "d",
          requester: { zzz: 1 } }) { ticket { id } } }`,
      );
      expect(nested.errors).toHaveLength(1);
      expect(fieldPaths(nested.errors?.[0])).toEqual(['requester.id', 'requester.zzz']);
    });

    it('lists every value GraphQL refuses in one BAD_USER_INPUT error, paths relative to the variable', async () => {
      const response = await agent.send(
        'mutation($i: RequestCouponStatusChangeInput!) { requestCouponStatusChange(input: $i) { request { remark } } }',
        { i: { ticketId: '00000000-0000-4000-8000-000000000000', scenario: 'FOO', fromStatus: 'NOPE' } },
      );
      expect(response.status).toBe(400);
      expect(response.errors).toHaveLength(1);
      const [error] = response.errors ?? [];
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(fieldPaths(error)).toEqual(['fromStatus', 'scenario']);
    });

    it('lists a bad commandId, expectedVersion or requester beside the bad fields the domain finds', async () => {
      const created = await agent.ok(CREATE_TICKET, { input: milesTicket() });
      const ticketId = created.createTicket.ticket.id as string;
      const paths = async (query: string, input: Record<string, unknown>) =>
        ((await agent.error(query, { input })).extensions?.fields ?? []).map((f) => f.path).sort();
      const COMMENT = 'mutation($input: AddCommentInput!) { addComment(input: $input) { ticket { id } } }';
      expect(await paths(COMMENT, { ticketId, expectedVersion: -1, body: ' ' })).toEqual([
        'body',
        'expectedVersion',
      ]);
      expect(
        await paths(CREATE_TICKET, { ...milesTicket(), commandId: 'c'.repeat(1000), subject: '' }),
      ).toEqual(['commandId', 'subject']);
      expect(
        await paths(CREATE_TICKET, {
          ...milesTicket(),
          requester: { id: ' ' },
          subject: '',
          description: '',
          pnr: 'ab',
        }),
      ).toEqual(['description', 'pnr', 'requester.id', 'subject']);
      // Nothing was appended by the refused commands.
      const after = await agent.ok('query($id: ID) { ticket(id: $id) { version } }', { id: ticketId });
      expect(after.ticket.version).toBe(0);
    });

    it('lists every bad argument of a list at once', async () => {
      const tickets = await agent.error(
        'query($f: TicketFilter) { tickets(first: 101, after: "garbage", filter: $f) { totalCount } }',
        { f: { search: 'x'.repeat(5) } },
      );
      expect(fieldPaths(tickets)).toEqual(['after', 'first']);
      const coupons = await agent.error('{ couponRequests(first: 500, after: "nope") { totalCount } }');
      expect(fieldPaths(coupons)).toEqual(['after', 'first']);
    });

    it('refuses input past the edge bounds with every bad field listed', async () => {
      const error = await agent.error(CREATE_TICKET, {
        input: { ...milesTicket(), subject: 's'.repeat(1001), commandId: 'c'.repeat(201) },
      });
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(fieldPaths(error)).toEqual(['commandId', 'subject']);
    });

    it("lists a value past the edge's bounds beside the domain's findings on the other fields, writing nothing", async () => {
      const created = await agent.ok(CREATE_TICKET, { input: milesTicket() });
      const ticketId = created.createTicket.ticket.id as string;
      const create = await agent.error(CREATE_TICKET, {
        input: {
          ...milesTicket(),
          module: 'M'.repeat(1001),
          subject: 's'.repeat(201),
          description: ' ',
          pnr: 'ab',
        },
      });
      expect(fieldPaths(create)).toEqual(['description', 'module', 'pnr', 'subject']);
      // One finding per field: the domain's count rather than the edge's generous bound.
      expect(create.extensions?.fields?.find((f) => f.path === 'subject')?.message).toMatch(
        /at most 200 characters/,
      );

      const coupon = await agent.error(REQUEST_COUPON, {
        input: { ticketId, agent: { lastName: 'x'.repeat(1001) } },
      });
      const paths = (coupon.extensions?.fields ?? []).map((f) => f.path);
      expect(paths).toContain('agent.lastName');
      expect(paths).toEqual(
        expect.arrayContaining(['pnr', 'eTicketNumber', 'couponNumbers', 'passengerName']),
      );
      const after = await agent.ok(
        'query($id: ID) { ticket(id: $id) { version couponRequests { remark } } }',
        {
          id: ticketId,
        },
      );
      expect(after.ticket).toEqual({ version: 0, couponRequests: [] });
    });
  });
}
