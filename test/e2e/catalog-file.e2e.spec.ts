/**
 * A deployment's own catalog (CATALOG_FILE, domain.md §5: "The catalog is configuration data, served to
 * clients"): the `catalog` query serves it, new tickets are checked against it, and tickets made under
 * another catalog stay as they were (their codes are facts in their events).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphqlClient, type GraphqlError } from './support/graphql-client';
import { CREATE_TICKET, GET_TICKET, callers, milesTicket } from './support/fixtures';
import { bootApp, makeDataDir, removeDataDir, tokenFor, type RunningApp } from './support/test-app';

const CARGO_CATALOG = {
  modules: [
    {
      code: 'CARGO',
      name: { ru: 'Грузовые перевозки', en: 'Cargo' },
      typeRequired: true,
      categories: [
        {
          code: 'AWB',
          name: { ru: 'Авианакладные', en: 'Air waybills' },
          types: [
            {
              code: 'AWB_CORRECTION',
              name: { ru: 'Исправление авианакладной', en: 'Air waybill correction' },
              requires: ['pnr', 'nearestDepartureAt'],
            },
          ],
        },
      ],
    },
  ],
};

const CATALOG_QUERY =
  '{ catalog { modules { code typeRequired name { ru en } categories { code name { ru en } types { code requires name { ru en } } } } } }';
const ADD_COMMENT = `mutation Comment($input: AddCommentInput!) { addComment(input: $input) { ticket { version commentCount } } }`;
const STATS = `{ ticketStats(groupBy: [MODULE]) { key { dimension value } count } }`;

const fieldsOf = (error: GraphqlError): Record<string, string> =>
  Object.fromEntries((error.extensions?.fields ?? []).map((field) => [field.path, field.message]));

describe('a catalog of its own (CATALOG_FILE)', () => {
  const dataDir = makeDataDir();
  const catalogFile = join(dataDir, 'catalog.json');
  const who = callers();
  let app: RunningApp | null = null;
  const requester = (running: RunningApp) => new GraphqlClient(running.url, tokenFor(who.requester));

  beforeAll(() => writeFileSync(catalogFile, JSON.stringify(CARGO_CATALOG, null, 2)));
  afterEach(async () => {
    await app?.close();
    app = null;
  });
  afterAll(() => removeDataDir(dataDir));

  it('serves it, makes tickets by it, and keeps tickets made under another catalog as they were', async () => {
    // Under the default catalog: a miles ticket.
    app = await bootApp({ DATA_DIR: dataDir });
    const miles = await requester(app).ok(CREATE_TICKET, { input: milesTicket('Made under the default') });
    const milesId = miles.createTicket.ticket.id as string;
    await app.close();

    app = await bootApp({ DATA_DIR: dataDir, CATALOG_FILE: catalogFile });
    const client = requester(app);
    expect((await client.ok(CATALOG_QUERY)).catalog).toEqual(CARGO_CATALOG);

    // Checked against this catalog: its type's required fields, and a module it does not have.
    const cargo = {
      module: 'CARGO',
      category: 'AWB',
      type: 'AWB_CORRECTION',
      subject: 'Wrong weight on the waybill',
      description: 'The air waybill shows 120 kg; the shipment weighs 102 kg.',
    };
    const missing = await client.error(CREATE_TICKET, { input: cargo });
    expect(missing.extensions?.code).toBe('BAD_USER_INPUT');
    expect(Object.keys(fieldsOf(missing)).sort()).toEqual(['nearestDepartureAt', 'pnr']);
    const unknown = await client.error(CREATE_TICKET, { input: milesTicket('Not in this catalog') });
    expect(unknown.extensions?.code).toBe('BAD_USER_INPUT');
    expect(fieldsOf(unknown).module).toMatch(/unknown module BONUS; known: CARGO/);

    const made = await client.ok(CREATE_TICKET, {
      input: { ...cargo, pnr: 'ab12cd', nearestDepartureAt: '2026-12-01T09:30:00Z' },
    });
    expect(made.createTicket.ticket).toMatchObject({
      module: 'CARGO',
      category: 'AWB',
      type: 'AWB_CORRECTION',
    });

    // The ticket made under the default catalog reads and works as before.
    const old = await client.ok(GET_TICKET, { id: milesId });
    expect(old.ticket).toMatchObject({ module: 'BONUS', category: 'MILES', type: 'MILES_ACCRUAL' });
    const commented = await client.ok(ADD_COMMENT, { input: { ticketId: milesId, body: 'Still waiting.' } });
    expect(commented.addComment.ticket).toMatchObject({ version: 1, commentCount: 1 });
    const stats = await client.ok(STATS);
    const byModule = Object.fromEntries(
      (stats.ticketStats as { key: { value: string }[]; count: number }[]).map((row) => [
        row.key[0].value,
        row.count,
      ]),
    );
    expect(byModule).toEqual({ BONUS: 1, CARGO: 1 });
  });
});
