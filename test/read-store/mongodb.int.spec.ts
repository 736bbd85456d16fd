/**
 * What the MongoDB read store does beyond the shared contract, with the real driver against the
 * wire-protocol test server: indexes at start (and again, harmlessly), unique violations, checkpoints
 * across a reconnect, bulk writes, and riding out a server that goes away and comes back.
 */
import { StoreUnavailable } from '../../src/application/ports/store-unavailable';
import {
  Collection,
  MongoClient,
  MongoNetworkError,
  MongoServerError,
  type CommandFailedEvent,
  type CommandStartedEvent,
} from 'mongodb';
import { TICKETS, COUPON_REQUESTS, READ_MODEL_NAMESPACE } from '../../src/application/queries/read-models';

/** A read model's collection as this version keeps it in MongoDB (`v4.tickets`). */
const physical = (name: string): string => `${READ_MODEL_NAMESPACE}.${name}`;
import type { ReadDocument } from '../../src/application/ports/read-store.port';
import {
  createMongoReadStore,
  MongoReadStore,
} from '../../src/infrastructure/read-store/mongodb/mongodb-read-store';
import { indexName, readModelIndexPlan } from '../../src/infrastructure/read-store/mongodb/mongodb-indexes';
import type { FastifyReply } from 'fastify';
import type { EventStore } from '../../src/application/ports/event-store.port';
import type { ProjectionStatus } from '../../src/application/ports/projection-status.port';
import { HealthController, type HealthBody } from '../../src/infrastructure/http/health.controller';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { startMongoTestServer, type MongoTestServer } from '../support/mongodb/server';

const ticket = (n: number, revision = 0): ReadDocument => ({
  _id: `ticket-${n}`,
  revision,
  id: `ticket-${n}`,
  number: n,
  status: 'NEW',
  createdAt: new Date(Date.UTC(2026, 10, 1, 0, n)).toISOString(),
});

/** What GET /health answers with this read store (event store and projections fine). */
async function healthEndpoint(store: MongoReadStore): Promise<{ status: number; body: HealthBody }> {
  const projections = { health: () => ({ status: 'ok', caughtUp: true, checkpoint: '1' }) };
  const events = { readStream: async () => [] };
  const controller = new HealthController(
    projections as unknown as ProjectionStatus,
    events as unknown as EventStore,
    store,
  );
  const answer = { status: 0, body: {} as HealthBody };
  const reply = {
    code(status: number) {
      answer.status = status;
      return reply;
    },
    header: () => reply,
    send: async (body: HealthBody) => {
      answer.body = body;
    },
  };
  await controller.health(reply as unknown as FastifyReply);
  return answer;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** `promise`, or a failure naming `step` when it has not settled within `ms` (instead of jest's timeout). */
function within<T>(ms: number, promise: Promise<T>, step: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${step} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** The parts of the driver's client the hang test reaches into (mongodb 7.9). */
interface DriverInternals {
  topology: {
    s: {
      servers: Map<
        string,
        {
          monitor: {
            connection: { socket: { destroy(): void } };
            requestCheck(): void;
            s: { state: string };
          };
          pool: {
            connections?: Iterable<{ socket: { destroy(): void } }>;
            checkedOut?: Iterable<{ socket: { destroy(): void } }>;
          };
        }
      >;
    };
  };
}

/**
 * A proxy in front of the test server that can stop passing on what clients send (a stalled server or
 * network): while stalled, no request reaches the server, so none is answered.
 */
async function pausingProxy(serverPort: number): Promise<{
  url: string;
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}> {
  const fronts = new Set<Socket>();
  let stalled = false;
  const proxy = createServer((front) => {
    const back = connect(serverPort, '127.0.0.1');
    fronts.add(front);
    front.pipe(back);
    back.pipe(front);
    const end = (): void => {
      front.destroy();
      back.destroy();
      fronts.delete(front);
    };
    front.on('error', end).on('close', end);
    back.on('error', end).on('close', end);
    if (stalled) front.pause();
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `mongodb://127.0.0.1:${port}/?directConnection=true`,
    stall() {
      stalled = true;
      for (const front of fronts) front.pause();
    },
    resume() {
      stalled = false;
      for (const front of fronts) front.resume();
    },
    async close() {
      // Its connections first: a server closes only once every connection has ended.
      for (const front of fronts) front.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}

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

  it.each([
    ['with a read in flight as the sockets close', false],
    // The read has its answer and its connection is back in the pool when its socket is destroyed: the
    // next read is written to that socket and waits for a `drain` that never comes, which neither closing
    // the client nor clearing its pool ends (mongodb 7.9). It is abandoned when the client is replaced.
    ['with a read written to a socket already destroyed', true],
  ])(
    'replaces a client whose monitor stopped checking the server (a driver hang), and answers again, %s',
    async (_, readFirst) => {
      const store = await createMongoReadStore(server.url, nextDb(), {
        heartbeatFrequencyMs: 2_000,
        serverSelectionTimeoutMs: 1_000,
        stalledAfterMs: 3_000,
        retry: { attempts: 3, readAttempts: 2, baseDelayMs: 50, maxDelayMs: 200 },
      });
      const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      try {
        await store.replace('held', { _id: 'a', revision: 0 }, { expectedRevision: -1 });
        // The mongodb 7.9 hang, made as it happens at a server restart (driver internals): a check starts
        // on the monitor's socket just destroyed and waits for a `drain` that never comes, and the
        // operations' sockets close, so the server is unknown until a check that will not finish.
        await pause(1_200); // between checks, past the driver's minimum interval: a requested check runs at once
        const client = (store as unknown as { client: DriverInternals }).client;
        const [monitored] = client.topology.s.servers.values();
        monitored.monitor.connection.socket.destroy();
        monitored.monitor.requestCheck();
        await pause(100);
        expect(monitored.monitor.s.state).toBe('monitoring'); // stuck in its check
        const inFlight = store.get('held', 'a').catch(() => null);
        if (readFirst) expect(await within(5_000, inFlight, 'the first read')).toMatchObject({ _id: 'a' });
        else await pause(0);
        for (const connection of [
          ...(monitored.pool.connections ?? []),
          ...(monitored.pool.checkedOut ?? []),
        ]) {
          connection.socket.destroy();
        }
        await within(10_000, inFlight, 'the read in flight when the sockets closed');
        // Without a new client every read timed out for good, though the server answers.
        let found: unknown = null;
        let lastError = '';
        for (const deadline = Date.now() + 20_000; found === null && Date.now() < deadline;) {
          const read = store.get('held', 'a').catch((error: Error) => {
            lastError = error.message;
            return null;
          });
          found = await within(15_000, read, 'a read after the sockets closed');
          if (found === null) await pause(250);
        }
        const renewed = (store as unknown as { client: DriverInternals }).client !== client;
        expect({ found, renewed, lastError: found === null ? lastError : '' }).toEqual({
          found: expect.objectContaining({ _id: 'a' }),
          renewed: true,
          lastError: '',
        });
        expect(store.health()).toEqual({ connected: true });
      } finally {
        await within(10_000, store.close(), 'closing the store');
      }
    },
  );

  it('abandons a try that has no answer within its bound, and answers again once the server does', async () => {
    const proxy = await pausingProxy(server.port);
    const store = await createMongoReadStore(proxy.url, nextDb(), {
      attemptTimeoutMs: 500,
      heartbeatFrequencyMs: 60_000,
      retry: { attempts: 3, readAttempts: 1, baseDelayMs: 50, maxDelayMs: 50 },
    });
    try {
      await store.replace(TICKETS, ticket(1), { expectedRevision: -1 });
      proxy.stall();
      // A large write waits to be sent, and the driver sets no bound of its own.
      const big = Array.from({ length: 24 }, (_, i) => ({
        doc: { ...ticket(100 + i), description: 'x'.repeat(1_000_000) },
        expectedRevision: -1,
      }));

      const refused = await within(10_000, rejection(store.replaceMany(TICKETS, big)), 'the stalled write');
      expect(refused).toBeInstanceOf(StoreUnavailable);
      expect((refused as Error).message).toMatch(/no answer within 500 ms/);

      proxy.resume();
      // It answers again. (A small write: 24 MB within 500 ms is not a given on a busy machine.)
      let answered: unknown = null;
      for (const deadline = Date.now() + 20_000; answered === null && Date.now() < deadline;) {
        answered = await store
          .replace(TICKETS, ticket(2), { expectedRevision: -1 })
          .then(() => 'written')
          .catch(() => null);
      }
      expect(answered).toBe('written');
      expect(await store.get(TICKETS, 'ticket-2')).toMatchObject({ _id: 'ticket-2', revision: 0 });
    } finally {
      await within(10_000, store.close(), 'closing the store');
      await proxy.close();
    }
  });

  it('takes a bulk write cut off by a failed check of the server for an outage, not a fault of the write', async () => {
    // The driver wraps the cut-off (a pool cleared after the server's check timed out) in a
    // MongoBulkWriteError without its labels: the projections took it for a fault and stopped for good.
    const proxy = await pausingProxy(server.port);
    const store = await createMongoReadStore(proxy.url, nextDb(), {
      heartbeatFrequencyMs: 500,
      connectTimeoutMs: 1_000,
      serverSelectionTimeoutMs: 1_000,
      retry: { attempts: 2, readAttempts: 1, baseDelayMs: 50, maxDelayMs: 50 },
    });
    try {
      await store.replace(TICKETS, ticket(1), { expectedRevision: -1 });
      proxy.stall();
      const batch = [2, 3].map((n) => ({ doc: ticket(n), expectedRevision: -1 }));
      const refused = await within(15_000, rejection(store.replaceMany(TICKETS, batch)), 'the cut-off write');
      expect(refused).toBeInstanceOf(StoreUnavailable);
      expect(store.health()).toMatchObject({ connected: false });

      proxy.resume();
      let written: unknown = null;
      for (const deadline = Date.now() + 15_000; written === null && Date.now() < deadline;) {
        written = await store.replaceMany(TICKETS, batch).catch(() => null);
      }
      // The cut-off write may still reach the server when the proxy passes on what it held: the one
      // tried again then finds its documents there (guarded writes), and each is stored once.
      expect(written).not.toBeNull();
      expect(await store.count(TICKETS, {})).toBe(3);
    } finally {
      await within(10_000, store.close(), 'closing the store');
      await proxy.close();
    }
  });

  it('takes a wait for a connection that every stalled operation holds for an outage (not INTERNAL)', async () => {
    // One connection (maxPoolSize=1), held by a write the server does not answer; the server's checks
    // are not due, so nothing clears the pool. The read queued behind it times out waiting for a
    // connection: that reached clients as INTERNAL, and crashed the process from the projections.
    const proxy = await pausingProxy(server.port);
    const store = await createMongoReadStore(`${proxy.url}&maxPoolSize=1`, nextDb(), {
      heartbeatFrequencyMs: 60_000,
      connectTimeoutMs: 1_000,
      attemptTimeoutMs: 5_000,
      retry: { attempts: 2, readAttempts: 1, baseDelayMs: 50, maxDelayMs: 50 },
    });
    try {
      await store.replace(TICKETS, ticket(1), { expectedRevision: -1 });
      proxy.stall();
      const held = store.replace(TICKETS, ticket(2), { expectedRevision: -1 }).catch((error: Error) => error);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const refused = await within(10_000, rejection(store.get(TICKETS, 'ticket-1')), 'the queued read');
      expect(refused).toBeInstanceOf(StoreUnavailable);
      expect(store.health()).toMatchObject({ connected: false });

      proxy.resume();
      await within(15_000, held, 'the held write');
      let found: unknown = null;
      for (const deadline = Date.now() + 10_000; found === null && Date.now() < deadline;) {
        found = await store.get(TICKETS, 'ticket-1').catch(() => null);
      }
      expect(found).toMatchObject({ _id: 'ticket-1' });
    } finally {
      await within(10_000, store.close(), 'closing the store');
      await proxy.close();
    }
  });

  it("/health's probe of a stalled server is one ping, given up with the probe: nothing goes on retrying", async () => {
    // It read a checkpoint under the write retry policy: each /health during a stall left up to five
    // tries behind it, long after answering 503 (a load balancer asking every few seconds piles them up).
    const proxy = await pausingProxy(server.port);
    const client = new MongoClient(proxy.url, {
      monitorCommands: true,
      heartbeatFrequencyMS: 60_000,
      serverSelectionTimeoutMS: 1_000,
    });
    const sent: string[] = [];
    const ended: string[] = [];
    client.on('commandStarted', (event: CommandStartedEvent) => sent.push(event.commandName));
    client.on('commandFailed', (event: CommandFailedEvent) => ended.push(event.commandName));
    const store = new MongoReadStore(
      client,
      nextDb(),
      { attempts: 5, readAttempts: 2, baseDelayMs: 50, maxDelayMs: 50 },
      READ_MODEL_NAMESPACE,
      null,
      // Longer than the probe's 2 s: the probe's own signal is what ends the ping.
      30_000,
    );
    try {
      await store.start();
      expect(await healthEndpoint(store)).toMatchObject({ status: 200, body: { readStore: 'ok' } });
      proxy.stall();
      sent.length = 0;
      // The server's checks are not due: only the probe can tell that it does not answer.
      expect(store.health()).toEqual({ connected: true });
      expect(await healthEndpoint(store)).toMatchObject({ status: 503, body: { readStore: 'unreachable' } });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(sent).toEqual(['ping']);
      // Ended with the probe, not left waiting on the stalled connection for its own 30 s.
      expect(ended).toEqual(['ping']);

      proxy.resume();
      let answer: { status: number } = { status: 0 };
      for (const deadline = Date.now() + 10_000; answer.status !== 200 && Date.now() < deadline;) {
        answer = await healthEndpoint(store);
      }
      expect(answer).toMatchObject({ status: 200, body: { readStore: 'ok' } });
    } finally {
      await within(10_000, store.close(), 'closing the store');
      await proxy.close();
    }
  });

  it('waits at start for a server that is not up yet, then builds its indexes', async () => {
    const early = await startMongoTestServer();
    const { port, url } = early;
    await early.stop();
    const starting = createMongoReadStore(url, 'late', {
      retry: { attempts: 8, baseDelayMs: 50, maxDelayMs: 300 },
      serverSelectionTimeoutMs: 300,
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const late = await startMongoTestServer({ port });
    try {
      const store = await starting;
      opened.push(store);
      expect(store.health()).toEqual({ connected: true });
      expect(await store.count(TICKETS, {})).toBe(0);
      const client = new MongoClient(late.url);
      const indexes = await client.db('late').collection(physical(TICKETS)).listIndexes().toArray();
      await client.close();
      expect(indexes).toHaveLength(readModelIndexPlan()[TICKETS].length + 1);
      await store.close();
    } finally {
      await late.stop();
    }
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

  it('rides out a lost connection: retries, reports it, and recovers when the server is back', async () => {
    const outage = await startMongoTestServer();
    const { port } = outage;
    const store = await createMongoReadStore(outage.url, 'outage', {
      retry: { attempts: 6, readAttempts: 6, baseDelayMs: 50, maxDelayMs: 300 },
      serverSelectionTimeoutMs: 300,
      heartbeatFrequencyMs: 200,
    });
    opened.push(store);
    let restarted: MongoTestServer | undefined;
    try {
      await store.saveCheckpoint('read-models', 5n);
      expect(store.health()).toEqual({ connected: true });

      await outage.stop();
      const failure = await rejection(store.getCheckpoint('read-models'));
      // After its tries, a StoreUnavailable (what the projections wait on), the driver's error as cause.
      expect(failure).toBeInstanceOf(StoreUnavailable);
      expect((failure as StoreUnavailable).store).toBe('read store');
      expect(((failure as Error).cause as Error).name).toMatch(/MongoServerSelectionError|MongoNetworkError/);
      expect(store.health()).toMatchObject({ connected: false, reason: expect.stringContaining('MongoDB') });
      expect(await healthEndpoint(store)).toMatchObject({
        status: 503,
        body: {
          readStore: 'unreachable',
          reason: expect.stringContaining('read store unreachable: MongoDB'),
        },
      });

      // A read started during the outage keeps retrying and succeeds once the server is back on its port.
      const pending = store.getCheckpoint('read-models');
      await new Promise((resolve) => setTimeout(resolve, 400));
      restarted = await startMongoTestServer({ port });
      await expect(pending).resolves.toBeNull();
      expect(store.health()).toEqual({ connected: true });
      expect(await healthEndpoint(store)).toMatchObject({ status: 200, body: { readStore: 'ok' } });
      // The test server keeps data in memory: after its restart the checkpoint is gone, writes work again.
      await store.saveCheckpoint('read-models', 6n);
      expect(await store.getCheckpoint('read-models')).toBe(6n);
    } finally {
      await store.close();
      await restarted?.stop();
    }
  });
});
