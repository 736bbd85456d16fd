/**
 * What the MongoDB read store does beyond the shared contract, with the real driver against the
 * wire-protocol test server: indexes at start (and again, harmlessly), unique violations, checkpoints
 * across a reconnect, bulk writes, a rename whose answer is lost. (Outages and stalls:
 * mongodb-outages.int.spec.ts.)
 */
import {
  Collection,
  MongoClient,
  MongoNetworkError,
  MongoServerError,
  type CommandStartedEvent,
} from 'mongodb';
import { TICKETS, COUPON_REQUESTS } from '../../src/application/queries/read-models';
import {
  createMongoReadStore,
  MongoReadStore,
} from '../../src/infrastructure/read-store/mongodb/mongodb-read-store';
import { indexName, readModelIndexPlan } from '../../src/infrastructure/read-store/mongodb/mongodb-indexes';
import type { ReadDocument } from '../../src/application/ports/read-store.port';
import { startMongoTestServer, type MongoTestServer } from '../support/mongodb/server';
import { physical, rejection, ticket } from './mongodb-support';

describe('MongoDB read store (real driver, wire-protocol test server)', () => {
  let server: MongoTestServer;
  let databases = 0;
  const opened: MongoReadStore[] = [];
  const nextDb = (): string => `adapter_${++databases}`;
  const open = async (db: string): Promise<MongoReadStore> => {
    const store = await createMongoReadStore(server.url, db);
    opened.push(store);
    return store;
  };

  beforeAll(async () => {
    server = await startMongoTestServer();
  });
  afterAll(async () => {
    for (const store of opened) await store.close();
    await server.stop();
  });

  it('refuses a malformed MONGODB_URL or MONGODB_DB, naming the variable', async () => {
    expect(String(await rejection(createMongoReadStore('http://localhost:27017', 'tickets')))).toContain(
      'MONGODB_URL',
    );
    expect(String(await rejection(createMongoReadStore('mongodb://', 'tickets')))).toContain('MONGODB_URL');
    expect(String(await rejection(createMongoReadStore(server.url, 'bad.name')))).toContain('MONGODB_DB');
  });

  it('creates every collection and index at start, and a second start changes nothing', async () => {
    const db = nextDb();
    const first = await open(db);
    const client = new MongoClient(server.url);
    try {
      const listed = async (): Promise<Record<string, unknown[]>> => {
        const result: Record<string, unknown[]> = {};
        for (const collection of Object.keys(readModelIndexPlan())) {
          result[collection] = await client.db(db).collection(physical(collection)).listIndexes().toArray();
        }
        return result;
      };
      const before = await listed();
      for (const [collection, specs] of Object.entries(readModelIndexPlan())) {
        const names = before[collection].map((index) => (index as { name: string }).name);
        expect(names.sort()).toEqual(['_id_', ...specs.map(indexName)].sort());
        for (const spec of specs.filter((s) => s.unique)) {
          expect(before[collection]).toContainEqual(
            expect.objectContaining({ name: indexName(spec), key: spec.key, unique: true }),
          );
        }
      }
      await first.close();
      const second = await open(db);
      await second.ensureIndexes(TICKETS, [{ key: { number: -1 }, unique: true }, { key: { status: 1 } }]);
      expect(await listed()).toEqual(before);
    } finally {
      await client.close();
    }
  });

  it('rebuilds an index whose options changed, and one declared index clashing with two old ones', async () => {
    const db = nextDb();
    const client = new MongoClient(server.url);
    try {
      const tickets = client.db(db).collection(physical(TICKETS));
      const lookup = readModelIndexPlan()[TICKETS].find(
        (spec) => JSON.stringify(spec.key) === '{"lookupKeys":1}',
      )!;
      const number = readModelIndexPlan()[TICKETS].find((spec) => spec.unique)!;
      // Left by an older release or by hand: the same name with another option, and for the unique
      // number index one index with its name on other keys and one on its keys under another name.
      await tickets.createIndex(lookup.key, { name: indexName(lookup), sparse: true });
      await tickets.createIndex({ createdAt: 1 }, { name: indexName(number) });
      await tickets.createIndex(number.key, { name: 'old_number' });
      await open(db);
      const indexes = await tickets.listIndexes().toArray();
      expect(indexes.find((index) => index.name === indexName(lookup))).not.toHaveProperty('sparse');
      expect(indexes.find((index) => index.name === indexName(number))).toMatchObject({
        key: number.key,
        unique: true,
      });
      expect(indexes.map((index) => index.name)).not.toContain('old_number');
    } finally {
      await client.close();
    }
  });

  it('surfaces unique violations (ticket numbers, registration numbers) as duplicate key errors', async () => {
    const store = await open(nextDb());
    expect(await store.replace(TICKETS, ticket(1), { expectedRevision: -1 })).toBe(true);
    const sameNumber = { ...ticket(1), _id: 'other', id: 'other' };
    const error = await rejection(store.replace(TICKETS, sameNumber, { expectedRevision: -1 }));
    expect(error).toBeInstanceOf(MongoServerError);
    expect((error as MongoServerError).code).toBe(11000);
    // The same _id again is the repeated event: a no-op, not an error.
    expect(await store.replace(TICKETS, ticket(1), { expectedRevision: -1 })).toBe(false);

    const request = (id: string, seq: number): ReadDocument => ({
      _id: id,
      revision: 3,
      registrationNumber: `N${seq}`,
      registrationSeq: seq,
    });
    await store.replace(COUPON_REQUESTS, request('t1:3', 1), { expectedRevision: -1 });
    const bulk = await rejection(
      store.replaceMany(COUPON_REQUESTS, [
        { doc: request('t2:3', 2), expectedRevision: -1 },
        { doc: request('t3:3', 1), expectedRevision: -1 },
        { doc: request('t4:3', 4), expectedRevision: -1 },
      ]),
    );
    expect((bulk as MongoServerError).code).toBe(11000);
    // Ordered: what came before the violation is written, nothing after it.
    expect(await store.count(COUPON_REQUESTS, {})).toBe(2);
    expect(await store.get(COUPON_REQUESTS, 't4:3')).toBeNull();
  });

  it('keeps checkpoints in the same database across a reconnect', async () => {
    const db = nextDb();
    const store = await open(db);
    await store.saveCheckpoint('read-models', 18_446_744_073_709_551_000n);
    await store.saveCheckpoint('read-models', 18_446_744_073_709_551_615n);
    await store.close();
    const again = await open(db);
    expect(await again.getCheckpoint('read-models')).toBe(18_446_744_073_709_551_615n);
    expect(await again.getCheckpoint('other')).toBeNull();
  });

  it('writes a catch-up batch as bulk writes, skipping documents already there', async () => {
    const client = new MongoClient(server.url, { monitorCommands: true });
    const commands: string[] = [];
    client.on('commandStarted', (event: CommandStartedEvent) => commands.push(event.commandName));
    const store = new MongoReadStore(client, nextDb());
    opened.push(store);
    await store.start();
    await store.replaceMany(
      TICKETS,
      [0, 500, 1000].map((n) => ({ doc: ticket(n), expectedRevision: -1 })),
    );
    commands.length = 0;
    const batch = Array.from({ length: 1500 }, (_, n) => ({ doc: ticket(n), expectedRevision: -1 }));
    batch.push({ doc: ticket(7, 1), expectedRevision: 0 });
    expect(await store.replaceMany(TICKETS, batch)).toBe(1500 - 3 + 1);
    expect(await store.count(TICKETS, {})).toBe(1500);
    expect(await store.get(TICKETS, 'ticket-7')).toMatchObject({ revision: 1 });
    // One ordered bulk write, sent again after each document that was already there (3), not 1501 writes.
    const writes = commands.filter((name) => name === 'insert' || name === 'update');
    expect(writes.length).toBeLessThanOrEqual(8);
  });

  it('a rename whose answer is lost and is tried again keeps the renamed collection (a rebuild is not emptied)', async () => {
    const store = await createMongoReadStore(server.url, nextDb(), {
      retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 10 },
    });
    opened.push(store);
    await store.ensureIndexes('fresh', [{ key: { number: -1 }, unique: true }]);
    await store.replaceMany(
      'fresh',
      [1, 2, 3].map((n) => ({ doc: ticket(n), expectedRevision: -1 })),
    );
    await store.replaceMany('live', [{ doc: ticket(9), expectedRevision: -1 }]);
    const rename = Collection.prototype.rename;
    // The server renames; the answer never arrives (a reset socket, a step-down).
    const lostAnswer = jest.spyOn(Collection.prototype, 'rename').mockImplementationOnce(async function (
      this: Collection,
      ...args: Parameters<Collection['rename']>
    ) {
      await rename.apply(this, args);
      throw new MongoNetworkError('connection reset after the rename');
    });
    try {
      await store.renameCollection('fresh', 'live');
      expect(lostAnswer).toHaveBeenCalledTimes(2); // the lost one, and the try that finds `fresh` gone
    } finally {
      lostAnswer.mockRestore();
    }
    const docs = await store.find('live', {}, { sort: { number: 1 } });
    expect(docs.map((doc) => doc.number)).toEqual([1, 2, 3]);
  });
});
