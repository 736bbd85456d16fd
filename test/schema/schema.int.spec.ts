/**
 * The served schema is the committed schema.graphql, and it breaks nothing in the shared contract.
 * After a deliberate schema change: `node scripts/run-ts.mjs test/schema/print-schema.ts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildClientSchema, buildSchema, findBreakingChanges, getIntrospectionQuery } from 'graphql';
import { bootApp, makeDataDir, removeDataDir, type RunningApp, tokenFor } from '../e2e/support/test-app';
import { buildApiSchema, printSorted } from './schema-sdl';

const ROOT = join(__dirname, '..', '..');
const COMMITTED = join(ROOT, 'schema.graphql');
const CONTRACT = join(ROOT, '..', 'shared', 'contract', 'schema.graphql');

describe('the served GraphQL schema', () => {
  let app: RunningApp;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = makeDataDir();
    app = await bootApp({ DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await app?.close();
    removeDataDir(dataDir);
  });

  /** The schema as a client sees it: introspected over HTTP with a token. */
  async function introspect(): Promise<ReturnType<typeof buildClientSchema>> {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${tokenFor({ sub: 'schema-check', roles: ['AUDITOR'] })}`,
      },
      body: JSON.stringify({ query: getIntrospectionQuery() }),
    });
    const body = (await response.json()) as { data: Parameters<typeof buildClientSchema>[0] };
    return buildClientSchema(body.data);
  }

  it('is exactly the committed schema.graphql', async () => {
    const served = printSorted(await introspect());
    expect(served).toBe(readFileSync(COMMITTED, 'utf8'));
  });

  it('is what the schema printer builds from the resolvers', async () => {
    expect(printSorted(await buildApiSchema())).toBe(readFileSync(COMMITTED, 'utf8'));
  });

  it('breaks nothing in the shared contract', async () => {
    if (!existsSync(CONTRACT)) return;
    const contract = buildSchema(readFileSync(CONTRACT, 'utf8'));
    expect(findBreakingChanges(contract, await introspect()).map((c) => c.description)).toEqual([]);
    expect(findBreakingChanges(contract, buildSchema(readFileSync(COMMITTED, 'utf8')))).toEqual([]);
  });
});
