/**
 * Helpers the MongoDB read store's tests share: documents to write, what GET /health answers with a
 * store, waiting with a named bound, and a proxy that can stall the connection.
 */
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import type { FastifyReply } from 'fastify';
import type { EventStore } from '../../src/application/ports/event-store.port';
import type { ProjectionStatus } from '../../src/application/ports/projection-status.port';
import type { ReadDocument } from '../../src/application/ports/read-store.port';
import { READ_MODEL_NAMESPACE } from '../../src/application/queries/read-models';
import { HealthController, type HealthBody } from '../../src/infrastructure/http/health.controller';
import type { MongoReadStore } from '../../src/infrastructure/read-store/mongodb/mongodb-read-store';

/** A read model's collection as this version keeps it in MongoDB (`v4.tickets`). */
export const physical = (name: string): string => `${READ_MODEL_NAMESPACE}.${name}`;

export const ticket = (n: number, revision = 0): ReadDocument => ({
  _id: `ticket-${n}`,
  revision,
  id: `ticket-${n}`,
  number: n,
  status: 'NEW',
  createdAt: new Date(Date.UTC(2026, 10, 1, 0, n)).toISOString(),
});

/** What GET /health answers with this read store (event store and projections fine). */
export async function healthEndpoint(store: MongoReadStore): Promise<{ status: number; body: HealthBody }> {
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

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** `promise`, or a failure naming `step` when it has not settled within `ms` (instead of jest's timeout). */
export function within<T>(ms: number, promise: Promise<T>, step: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${step} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** The parts of the driver's client the hang test reaches into (mongodb 7.9). */
export interface DriverInternals {
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

export type PausingProxy = Awaited<ReturnType<typeof pausingProxy>>;

/**
 * Runs `body` with a store opened (by `open`, given the proxy's URL) behind a pausing proxy to the test
 * server; closes the store (within 10 s) and the proxy after, whatever happened.
 */
export async function behindProxy(
  serverPort: number,
  open: (proxyUrl: string) => Promise<MongoReadStore>,
  body: (store: MongoReadStore, proxy: PausingProxy) => Promise<void>,
): Promise<void> {
  const proxy = await pausingProxy(serverPort);
  try {
    const store = await open(proxy.url);
    try {
      await body(store, proxy);
    } finally {
      await within(10_000, store.close(), 'closing the store');
    }
  } finally {
    await proxy.close();
  }
}

/**
 * A proxy in front of the test server that can stop passing on what clients send (a stalled server or
 * network): while stalled, no request reaches the server, so none is answered.
 */
export async function pausingProxy(serverPort: number): Promise<{
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
