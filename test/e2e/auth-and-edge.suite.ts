/** Authentication, the edge's protections (body size, JSON, depth, complexity, batches) and /health. */
import { getIntrospectionQuery } from 'graphql';
import jwt from 'jsonwebtoken';
import { type Data, GraphqlClient } from './support/graphql-client';
import { CREATE_TICKET, callers, milesTicket } from './support/fixtures';
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

    it('refuses variables nested too deep or holding too many values before GraphQL reads them', async () => {
      // 3,000 nested lists (6 KB) overflowed the stack of the variables' check: 500 and a logged trace.
      let deep: unknown = 'x';
      for (let i = 0; i < 3_000; i++) deep = [deep];
      const nested = await agent.error('{ me { id } }', { a: deep });
      expect(nested.status).toBe(400);
      expect(nested.extensions?.code).toBe('BAD_USER_INPUT');
      expect(nested.extensions?.fields).toEqual([{ path: 'a', message: 'must nest at most 32 levels deep' }]);

      // 60,000 unknown keys (1 MB): graphql-js quoted the whole object in each of 50 errors (65 MB, 3.5 s).
      const keys = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, 1]));
      const response = await agent.send('query($f: TicketFilter) { tickets(filter: $f) { totalCount } }', {
        f: keys,
      });
      expect(response.status).toBe(400);
      expect(response.errors).toEqual([
        expect.objectContaining({
          extensions: {
            code: 'BAD_USER_INPUT',
            fields: [{ path: 'f', message: 'must hold at most 10000 values in all' }],
          },
        }),
      ]);
      // A variable of ordinary size is judged as before.
      const few = await agent.error('query($f: TicketFilter) { tickets(filter: $f) { totalCount } }', {
        f: { k1: 1 },
      });
      expect(few.extensions?.fields?.[0].path).toBe('k1');
    });

    it('answers a refused value of any size with a message of at most 1,000 characters', async () => {
      const huge = 'Q'.repeat(900_000);
      const response = await agent.send(
        'query($s: [TicketStatus!]) { tickets(filter: { status: $s }) { totalCount } }',
        {
          s: [huge],
        },
      );
      expect(response.status).toBe(400);
      const error = response.errors?.[0];
      expect(error?.message.length).toBeLessThanOrEqual(1_000);
      expect(error?.message).toMatch(
        /^Invalid input: s\[0\]: Value "Q{97}…" does not exist in "TicketStatus" enum\.$/,
      );
      // The field's message is graphql-js's reason alone, without the variable it came in; the error's
      // message reads as any refusal of input.
      expect(error?.extensions?.fields).toEqual([
        {
          path: 's[0]',
          message: expect.stringMatching(/^Value "Q{97}…" does not exist in "TicketStatus" enum\.$/),
        },
      ]);
    });

    it('refuses a query text of more than 10,000 tokens before validating it', async () => {
      const directives = ' @a'.repeat(10_000);
      const error = await agent.error(`{ me${directives} { id } }`);
      expect(error.status).toBe(400);
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error.message).toMatch(/more tha\w? 10000 tokens/);
      // A long but ordinary query is served.
      const aliases = Array.from({ length: 500 }, (_, i) => `m${i}: me { id }`).join(' ');
      expect(Object.keys(await agent.ok(`{ ${aliases} }`))).toHaveLength(500);
    });

    it('refuses a field asked under more than four names in one object (aliases repeat the answer)', async () => {
      const created = await agent.ok(CREATE_TICKET, {
        input: { ...milesTicket('Long description'), description: 'Ω'.repeat(10_000) },
      });
      const id = created.createTicket.ticket.id as string;
      const aliased = (count: number) =>
        `query($id: ID) { ticket(id: $id) { ...D } } fragment D on Ticket { ${Array.from({ length: count }, (_, i) => `d${i}: description`).join(' ')} }`;
      expect((await agent.ok(aliased(4), { id })).ticket.d3).toHaveLength(10_000);
      // 1,000 of them in a fragment: 10 million characters from a 20 KB request.
      const refused = await agent.error(aliased(1_000), { id });
      expect(refused.status).toBe(400);
      expect(refused.message).toBe(
        'A field may be asked under at most 4 names in one object: `description` of Ticket is asked under more; ask it once',
      );
      // The same name repeated (fragments merge it) is one.
      await agent.ok(
        `query($id: ID) { ticket(id: $id) { ...D ...D description } } fragment D on Ticket { description }`,
        { id },
      );
    });

    it('says why when GraphQL gives up checking a query that repeats its fields too often', async () => {
      const refused = await agent.error(`{ ${'me { id } '.repeat(1_000)} }`);
      expect(refused.status).toBe(400);
      expect(refused.extensions?.code).toBe('BAD_USER_INPUT');
      expect(refused.message).toBe(
        'The query asks for the same fields too many times over to be checked (GraphQL compares every pair answered under one name): ask each field once',
      );
      // Repeated a few times, the same field is merged and served once.
      expect(await agent.ok(`{ ${'me { id } '.repeat(5)} }`)).toEqual({ me: { id: expect.any(String) } });
    });

    it('refuses more than a few costly root fields in one request (past states, statistics, audits)', async () => {
      const aliased = (count: number, field: string) =>
        `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
      const asOf =
        'ticketAsOf(id: "00000000-0000-4000-8000-000000000000", at: "2026-01-01T00:00:00Z") { id }';
      for (const [field, limit] of [
        [asOf, 10],
        ['ticketStats(groupBy: [STATUS]) { count }', 5],
        ['couponRequestRetentionAudit { retainedCount }', 2],
        ['tickets { totalCount }', 20],
        ['couponRequests { totalCount }', 20],
      ] as const) {
        const caller = field.startsWith('coupon') ? agent.as(tokenFor(who.supervisor)) : agent;
        await caller.ok(aliased(limit, field));
        const refused = await caller.error(aliased(limit + 1, field));
        expect(refused.status).toBe(400);
        expect(refused.message).toMatch(
          new RegExp(`^A request may hold at most ${limit} \\w+ fields \\(this one holds ${limit + 1}\\)`),
        );
      }
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
      // A page size past the limit is refused as such, not as too complex.
      const huge = await agent.error('{ tickets(first: 1000000) { totalCount } }');
      expect(huge.extensions?.fields).toEqual([{ path: 'first', message: expect.stringMatching(/100/) }]);
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
