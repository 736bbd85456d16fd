/** Authentication, the edge's protections (body size, JSON, depth, complexity, input types) and /health. */
import { getIntrospectionQuery } from 'graphql';
import jwt from 'jsonwebtoken';
import { type Data, GraphqlClient } from './support/graphql-client';
import { CREATE_TICKET, REQUEST_COUPON, callers, milesTicket } from './support/fixtures';
import { bootApp, type RunningApp, TEST_JWT_SECRET, tokenFor } from './support/test-app';
import type { BootEnv } from './graphql-api.suite';

export function describeAuthAndEdge(bootEnv: BootEnv): void {
  describe('authentication and the edge', () => {
    const who = callers();
    let app: RunningApp;
    let agent: GraphqlClient;
    let anonymous: GraphqlClient;

    beforeAll(async () => {
      app = await bootApp(await bootEnv());
      agent = new GraphqlClient(app.url, tokenFor(who.agent));
      anonymous = agent.as(null);
    });
    afterAll(() => app?.close());

    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${tokenFor(who.agent)}`,
          ...headers,
        },
        body,
      });

    it.each([
      ['no token', null],
      ['a malformed token', 'not-a-jwt'],
      [
        'a token signed with another secret',
        tokenFor(who.agent, 'another-secret-another-secret-another-secret'),
      ],
      [
        'an expired token',
        jwt.sign({ roles: ['AGENT'], exp: Math.floor(Date.now() / 1000) - 60 }, TEST_JWT_SECRET, {
          algorithm: 'HS256',
          subject: who.agent.sub,
        }),
      ],
      ['an unsigned token', jwt.sign({ roles: ['AGENT'], sub: who.agent.sub }, '', { algorithm: 'none' })],
      [
        'a token that never expires',
        jwt.sign({ roles: ['AGENT'] }, TEST_JWT_SECRET, { algorithm: 'HS256', subject: who.agent.sub }),
      ],
      // The domain would have trimmed the requester of a ticket to someone else (` kassir` → `kassir`).
      [
        'a token whose subject has white space around it',
        tokenFor({ ...who.requester, sub: ` ${who.requester.sub} ` }),
      ],
    ])('refuses %s as UNAUTHENTICATED, reading nothing', async (_label, token) => {
      const result = await anonymous.as(token).send('{ me { id } tickets { totalCount } }');
      expect(result.status).toBe(401);
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    });

    it('writes nothing for an unauthenticated mutation', async () => {
      const subject = `Unauthenticated attempt ${who.agent.sub}`;
      const refused = await anonymous.send(CREATE_TICKET, { input: milesTicket(subject) });
      expect(refused.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      const data = await agent.ok('query($s: String) { tickets(filter: { search: $s }) { totalCount } }', {
        s: subject,
      });
      expect(data.tickets.totalCount).toBe(0);
    });

    it('answers me from the token', async () => {
      const data = await agent
        .as(tokenFor({ ...who.requester, roles: ['REQUESTER', 'REPORTER'] }))
        .ok('{ me { id name roles validatorNumber } }');
      expect(data.me).toEqual({
        id: who.requester.sub,
        name: 'Anna Petrova',
        roles: ['REQUESTER', 'REPORTER'],
        validatorNumber: '995-4731-7',
      });
    });

    it('serves the catalog with Russian and English names', async () => {
      const data = await agent.ok(
        '{ catalog { modules { code typeRequired name { ru en } categories { code name { ru en } types { code requires name { ru en } } } } } }',
      );
      const modules = data.catalog.modules as { code: string; typeRequired: boolean; categories: Data[] }[];
      expect(modules.map((m) => m.code)).toEqual([
        'SMART_TICKETING',
        'BONUS',
        'TECHNOLOGIES',
        'MOBILE_CHECKIN',
      ]);
      const smart = modules[0];
      expect(smart.typeRequired).toBe(true);
      const refund = smart.categories.find((c) => c.code === 'REFUND')?.types[0];
      expect(refund).toMatchObject({ code: 'TICKET_REFUND', requires: ['pnr', 'nearestDepartureAt'] });
      expect(refund.name.ru).toBe('Возврат билета');
      expect(refund.name.en).toBe('Ticket refund');
    });

    it('answers 413 to a body over 1 MB', async () => {
      const body = JSON.stringify({ query: '{ me { id } }', variables: { pad: 'x'.repeat(1_100_000) } });
      const response = await post(body);
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({
        errors: [
          {
            message: 'Request body is larger than 1 MB',
            extensions: {
              code: 'BAD_USER_INPUT',
              fields: [{ path: '', message: 'Request body is larger than 1 MB' }],
            },
          },
        ],
      });
    });

    it('answers 400 to malformed JSON', async () => {
      const response = await post('{"query": "{ me { id } }"');
      expect(response.status).toBe(400);
      const body = (await response.json()) as {
        errors: { message: string; extensions: { code: string; fields: unknown[] } }[];
      };
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors[0].message).toMatch(/^Malformed request: /);
      expect(body.errors[0].extensions.fields).toEqual([{ path: '', message: body.errors[0].message }]);
      // Valid JSON that Fastify refuses as prototype poisoning is not called invalid JSON only.
      const poisoned = await post('{"query": "{ me { id } }", "variables": {"__proto__": {"x": 1}}}');
      expect(poisoned.status).toBe(400);
      const refusal = (await poisoned.json()) as { errors: { message: string }[] };
      expect(refusal.errors[0].message).toMatch(/"__proto__"/);
    });

    it('refuses a request that is not JSON (CSRF prevention) and accepts application/json', async () => {
      const refused = await post(JSON.stringify({ query: '{ me { id } }' }), {
        'content-type': 'text/plain',
      });
      expect(refused.status).toBe(400);
      const body = (await refused.json()) as { errors: { message: string }[] };
      // Apollo's CSRF text does not say what to send; the answer leads with it.
      expect(body.errors[0].message).toMatch(
        /^Send GraphQL requests as POST with content-type: application\/json/,
      );
      const accepted = await post(JSON.stringify({ query: '{ me { id } }' }));
      expect(accepted.status).toBe(200);
      expect(await accepted.json()).toEqual({ data: { me: { id: who.agent.sub } } });
    });

    it('answers 415 to a body that is not JSON in the same GraphQL shape', async () => {
      const response = await post('{ me { id } }', { 'content-type': 'application/graphql' });
      expect(response.status).toBe(415);
      const body = (await response.json()) as {
        errors: { message: string; extensions: { code: string; fields: unknown[] } }[];
      };
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors[0].message).toMatch(
        /^Send GraphQL requests as JSON \(content-type: application\/json\)/,
      );
    });

    it('refuses a subscription operation as a client error (the API has none), not INTERNAL', async () => {
      const refused = await agent.error('subscription { __typename }');
      expect(refused.status).toBe(400);
      expect(refused.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        graphqlCode: 'GRAPHQL_VALIDATION_FAILED',
      });
      expect(refused.message).toMatch(/no subscriptions/);
    });

    it('refuses text with a lone surrogate in any variable, naming every such field, writing nothing', async () => {
      // Stored as UTF-8 a lone surrogate becomes U+FFFD: two commandIds differing only there were one.
      const subject = `Lone surrogate ${who.agent.sub}`;
      const refused = await agent.error(CREATE_TICKET, {
        input: { ...milesTicket(subject), commandId: 'retry-\ud800', description: 'x\udc00y' },
      });
      expect(refused.status).toBe(400);
      expect(refused.extensions?.code).toBe('BAD_USER_INPUT');
      expect(refused.extensions?.fields?.map((f: { path: string }) => f.path).sort()).toEqual([
        'commandId',
        'description',
      ]);
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
      expect(list.extensions?.fields?.map((f: { path: string }) => f.path)).toEqual(['m.1']);
    });

    it('refuses automatic persisted queries (none of its clients use them; their cache grew with every hash)', async () => {
      const response = await post(
        JSON.stringify({
          extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } },
        }),
      );
      const body = (await response.json()) as {
        errors: { extensions: { code: string; graphqlCode?: string } }[];
      };
      expect(body.errors[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        graphqlCode: 'PERSISTED_QUERY_NOT_SUPPORTED',
      });
    });

    it('refuses a batch of operations in one request', async () => {
      const response = await post(JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]));
      expect(response.status).toBe(400);
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', graphqlCode: 'BAD_REQUEST' });
    });

    it('answers a syntax error or an unknown field as BAD_USER_INPUT (the contract has seven codes)', async () => {
      const syntax = await agent.error('{ me { id ');
      expect(syntax.status).toBe(400);
      expect(syntax.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        graphqlCode: 'GRAPHQL_PARSE_FAILED',
        fields: [{ path: '', message: expect.stringMatching(/Syntax Error/) }],
      });
      const unknown = await agent.error('{ me { idx } }');
      expect(unknown.status).toBe(400);
      expect(unknown.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        graphqlCode: 'GRAPHQL_VALIDATION_FAILED',
      });
      expect(unknown.message).toMatch(/idx/);
    });

    it('refuses a query nested deeper than 12 levels (introspection: 20), and serves a standard introspection', async () => {
      const nest = (fields: string[], leaf: string) =>
        fields.map((f) => `${f} {`).join(' ') + ` ${leaf} ` + fields.map(() => '}').join(' ');
      const data = await agent.send(
        `{ ${nest(['tickets', 'nodes', 'requester', 'id', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], 'i')} }`,
      );
      expect(data.status).toBe(400);
      expect(data.errors?.map((e) => e.message)).toContain('Query is nested deeper than 12 levels');

      const ofTypes = Array.from({ length: 16 }, () => 'ofType');
      const deepIntrospection = await agent.error(
        `{ ${nest(['__schema', 'types', 'fields', 'type', ...ofTypes], 'name')} }`,
      );
      expect(deepIntrospection.status).toBe(400);
      expect(deepIntrospection.extensions?.code).toBe('BAD_USER_INPUT');
      expect(deepIntrospection.extensions?.graphqlCode).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(deepIntrospection.message).toBe('Query is nested deeper than 20 levels');

      const introspection = await agent.ok(getIntrospectionQuery());
      expect(introspection.__schema.queryType.name).toBe('Query');
    });

    it('refuses a query over the complexity budget, counting list fields by `first`', async () => {
      const page =
        'tickets(first: 100) { nodes { id subject comments { id body author { id name } } couponRequests { remark pnr agent { lastName } } } }';
      const aliases = Array.from({ length: 12 }, (_, i) => `p${i}: ${page}`).join(' ');
      const error = await agent.error(`{ ${aliases} }`);
      expect(error.status).toBe(400);
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error.message).toMatch(/too complex/);
      // The same page once is well within the budget.
      await agent.ok(`{ ${page} }`);
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

    it('refuses an unknown enum value as a client error', async () => {
      const viaVariable = await agent.error(CREATE_TICKET, {
        input: { ...milesTicket(), priority: 'URGENT' },
      });
      expect(viaVariable.status).toBe(400);
      expect(viaVariable.extensions?.code).toBe('BAD_USER_INPUT');
      const literal = await agent.error('{ tickets(filter: { status: [NEW, OPEN] }) { totalCount } }');
      expect(literal.status).toBe(400);
      expect(literal.extensions?.code).toBe('BAD_USER_INPUT');
      expect(literal.extensions?.fields?.map((f) => f.path)).toEqual(['status[1]']);
    });

    it('names the field of a value refused in the query text, every one at once', async () => {
      const response = await agent.send(
        `mutation { createTicket(input: { module: "BONUS", category: "MILES", type: "MILES_ACCRUAL",
          subject: "s", description: "d", nearestDepartureAt: "soon", priority: URGENT }) { ticket { id } } }`,
      );
      expect(response.status).toBe(400);
      expect(response.errors).toHaveLength(1);
      expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0].extensions?.fields?.map((f) => f.path).sort()).toEqual([
        'nearestDepartureAt',
        'priority',
      ]);
      const asOf = await agent.error('{ ticketAsOf(id: "x", at: "later") { id } }');
      expect(asOf.extensions?.fields?.map((f) => f.path)).toEqual(['at']);
      const filter = await agent.error('{ tickets(filter: { createdFrom: "yesterday" }) { totalCount } }');
      expect(filter.extensions?.fields?.map((f) => f.path)).toEqual(['createdFrom']);
    });

    it('names each missing required field of a variable, not the variable', async () => {
      const response = await agent.send(CREATE_TICKET, { input: { description: 'x' } });
      expect(response.errors).toHaveLength(1);
      expect(response.errors?.[0].extensions?.fields?.map((f) => f.path).sort()).toEqual([
        'module',
        'subject',
      ]);
    });

    it('names each missing or unknown field of a value in the query text, as for a variable', async () => {
      const missing = await agent.send(
        'mutation { createTicket(input: { category: "MILES", description: "d" }) { ticket { id } } }',
      );
      expect(missing.status).toBe(400);
      expect(missing.errors).toHaveLength(1);
      expect(missing.errors?.[0].extensions?.fields?.map((f) => f.path).sort()).toEqual([
        'module',
        'subject',
      ]);
      const nested = await agent.send(
        `mutation { createTicket(input: { module: "BONUS", subject: "s", description: "d",
          requester: { zzz: 1 } }) { ticket { id } } }`,
      );
      expect(nested.errors).toHaveLength(1);
      expect(nested.errors?.[0].extensions?.fields?.map((f) => f.path).sort()).toEqual([
        'requester.id',
        'requester.zzz',
      ]);
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
      expect(error.extensions?.fields?.map((f) => f.path).sort()).toEqual(['fromStatus', 'scenario']);
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
      expect(tickets.extensions?.fields?.map((f) => f.path).sort()).toEqual(['after', 'first']);
      const coupons = await agent.error('{ couponRequests(first: 500, after: "nope") { totalCount } }');
      expect(coupons.extensions?.fields?.map((f) => f.path).sort()).toEqual(['after', 'first']);
    });

    it('refuses input past the edge bounds with every bad field listed', async () => {
      const error = await agent.error(CREATE_TICKET, {
        input: { ...milesTicket(), subject: 's'.repeat(1001), commandId: 'c'.repeat(201) },
      });
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error.extensions?.fields?.map((f) => f.path).sort()).toEqual(['commandId', 'subject']);
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
      expect(create.extensions?.fields?.map((f) => f.path).sort()).toEqual([
        'description',
        'module',
        'pnr',
        'subject',
      ]);
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

    it('treats search text and filter values as literal text, never as operators', async () => {
      const requester = agent.as(tokenFor(who.requester));
      await requester.ok(CREATE_TICKET, { input: milesTicket('Where are my miles') });
      await requester.ok(CREATE_TICKET, { input: milesTicket('Miles for flight SU100') });
      const count = async (filter: Record<string, unknown>) =>
        (
          await requester.ok(
            'query($f: TicketFilter) { tickets(filter: $f) { totalCount nodes { subject } } }',
            {
              f: filter,
            },
          )
        ).tickets;
      expect((await count({})).totalCount).toBe(2);
      expect((await count({ search: '.*' })).totalCount).toBe(0);
      expect((await count({ search: '{"$gt": ""}' })).totalCount).toBe(0);
      const where = await count({ search: '$where' });
      expect(where.nodes.map((n: { subject: string }) => n.subject)).toEqual(['Where are my miles']);
      expect((await count({ module: ['{"$ne": null}'] })).totalCount).toBe(0);
      expect((await count({ validatorNumber: '.*' })).totalCount).toBe(0);
    });

    it('serves GET /health without a token: 200 and status ok once caught up', async () => {
      const response = await fetch(`${app.url}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok' });
    });

    it('serves the Apollo landing page outside production', async () => {
      const response = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      await response.arrayBuffer();
    });
  });

  describe('in production', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await bootApp({ ...(await bootEnv()), NODE_ENV: 'production' });
    });
    afterAll(() => app?.close());

    it('serves no landing page and still answers GraphQL', async () => {
      const page = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(page.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
      await page.arrayBuffer();
      const data = await new GraphqlClient(app.url, tokenFor(callers().agent)).ok('{ me { id roles } }');
      expect(data.me.roles).toEqual(['AGENT']);
    });
  });
}
