/**
 * The MongoDB read store riding out a server that goes away, stalls or comes back, with the real driver
 * against the wire-protocol test server (behind a proxy that can stall): tries abandoned and retried,
 * outages reported to /health, and the store answering again once the server does.
 */
import { ReadModelsNotReady } from '../../src/application/ports/projection-status.port';
import { StoreUnavailable } from '../../src/application/ports/store-unavailable';
import { MongoClient, type CommandFailedEvent, type CommandStartedEvent } from 'mongodb';
import { TICKETS, READ_MODEL_NAMESPACE } from '../../src/application/queries/read-models';
import {
  createMongoReadStore,
  MongoReadStore,
} from '../../src/infrastructure/read-store/mongodb/mongodb-read-store';
import { readModelIndexPlan } from '../../src/infrastructure/read-store/mongodb/mongodb-indexes';
import { startMongoTestServer, type MongoTestServer } from '../support/mongodb/server';
import {
  healthEndpoint,
  behindProxy,
  physical,
  rejection,
  ticket,
  within,
  type DriverInternals,
} from './mongodb-support';

describe('MongoDB read store through outages (real driver, wire-protocol test server)', () => {
  let server: MongoTestServer;
  let databases = 0;
  const opened: MongoReadStore[] = [];
  const nextDb = (): string => `outage_${++databases}`;

  beforeAll(async () => {
    server = await startMongoTestServer();
  });
  afterAll(async () => {
    for (const store of opened) await store.close();
    await server.stop();
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

  it('after a lost connection answers reads while its checkpoint is there (whoever reset it), refuses them once it is gone', async () => {
    const db = nextDb();
    const other = await createMongoReadStore(server.url, db);
    const open = (url: string) =>
      createMongoReadStore(url, db, {
        attemptTimeoutMs: 400,
        heartbeatFrequencyMs: 60_000,
        retry: { attempts: 3, readAttempts: 3, baseDelayMs: 300, maxDelayMs: 300 },
      });
    try {
      await behindProxy(server.port, open, async (store, proxy) => {
        /** A read that waits out a short stall (its first try is abandoned: a lost connection). */
        const readAcrossStall = async (): Promise<PromiseSettledResult<unknown>> => {
          proxy.stall();
          const read = Promise.allSettled([store.get(TICKETS, 'ticket-1')]);
          await new Promise((resolve) => setTimeout(resolve, 450));
          proxy.resume();
          return (await read)[0];
        };
        await store.replace(TICKETS, ticket(1), { expectedRevision: -1 });
        await store.saveCheckpoint('read-models', 5n);
        // Another instance found the read models lost and projects them again: they are served
        // meanwhile, as before (refusing them would refuse for good an instance whose own projection
        // has stopped).
        await other.resetCheckpoint('read-models');
        const served = await readAcrossStall();
        expect(served).toMatchObject({ status: 'fulfilled', value: { _id: 'ticket-1' } });
        // Gone from the server (an empty database behind the same address): refused, not answered as if
        // true.
        const raw = new MongoClient(server.url);
        await raw.db(db).collection(physical('checkpoints')).deleteMany({});
        await raw.close();
        const refused = await readAcrossStall();
        expect(refused.status).toBe('rejected');
        expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(ReadModelsNotReady);
      });
    } finally {
      await other.close();
    }
  });

  it('abandons a try that has no answer within its bound, and answers again once the server does', async () => {
    await behindProxy(
      server.port,
      (url) =>
        createMongoReadStore(url, nextDb(), {
          attemptTimeoutMs: 500,
          heartbeatFrequencyMs: 60_000,
          retry: { attempts: 3, readAttempts: 1, baseDelayMs: 50, maxDelayMs: 50 },
        }),
      async (store, proxy) => {
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
      },
    );
  });

  it('takes a bulk write cut off by a failed check of the server for an outage, not a fault of the write', async () => {
    // The driver wraps the cut-off (a pool cleared after the server's check timed out) in a
    // MongoBulkWriteError without its labels: the projections took it for a fault and stopped for good.
    await behindProxy(
      server.port,
      (url) =>
        createMongoReadStore(url, nextDb(), {
          heartbeatFrequencyMs: 500,
          connectTimeoutMs: 1_000,
          serverSelectionTimeoutMs: 1_000,
          retry: { attempts: 2, readAttempts: 1, baseDelayMs: 50, maxDelayMs: 50 },
        }),
      async (store, proxy) => {
        await store.replace(TICKETS, ticket(1), { expectedRevision: -1 });
        proxy.stall();
        const batch = [2, 3].map((n) => ({ doc: ticket(n), expectedRevision: -1 }));
        const refused = await within(
          15_000,
          rejection(store.replaceMany(TICKETS, batch)),
          'the cut-off write',
        );
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
      },
    );
  });

  it('takes a wait for a connection that every stalled operation holds for an outage (not INTERNAL)', async () => {
    // One connection (maxPoolSize=1), held by a write the server does not answer; the server's checks
    // are not due, so nothing clears the pool. The read queued behind it times out waiting for a
    // connection: that reached clients as INTERNAL, and crashed the process from the projections.
    await behindProxy(
      server.port,
      (url) =>
        createMongoReadStore(`${url}&maxPoolSize=1`, nextDb(), {
          heartbeatFrequencyMs: 60_000,
          connectTimeoutMs: 1_000,
          attemptTimeoutMs: 5_000,
          retry: { attempts: 2, readAttempts: 1, baseDelayMs: 50, maxDelayMs: 50 },
        }),
      async (store, proxy) => {
        await store.replace(TICKETS, ticket(1), { expectedRevision: -1 });
        proxy.stall();
        const held = store
          .replace(TICKETS, ticket(2), { expectedRevision: -1 })
          .catch((error: Error) => error);
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
      },
    );
  });

  it("/health's probe of a stalled server is one ping, given up with the probe: nothing goes on retrying", async () => {
    // It read a checkpoint under the write retry policy: each /health during a stall left up to five
    // tries behind it, long after answering 503 (a load balancer asking every few seconds piles them up).
    const sent: string[] = [];
    const ended: string[] = [];
    const open = async (url: string): Promise<MongoReadStore> => {
      const client = new MongoClient(url, {
        monitorCommands: true,
        heartbeatFrequencyMS: 60_000,
        serverSelectionTimeoutMS: 1_000,
      });
      client.on('commandStarted', (event: CommandStartedEvent) => sent.push(event.commandName));
      client.on('commandFailed', (event: CommandFailedEvent) => ended.push(event.commandName));
      return new MongoReadStore(
        client,
        nextDb(),
        { attempts: 5, readAttempts: 2, baseDelayMs: 50, maxDelayMs: 50 },
        READ_MODEL_NAMESPACE,
        null,
        // Longer than the probe's 2 s: the probe's own signal is what ends the ping.
        30_000,
      );
    };
    await behindProxy(server.port, open, async (store, proxy) => {
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
    });
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
