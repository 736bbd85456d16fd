/**
 * The projections on the MongoDB read store (real driver, wire-protocol test server): catching up
 * from an event store full of tickets (bulk writes) gives exactly the read models the embedded store
 * has, and so does a rebuild, which switches the fresh collections in with `renameCollection` and
 * keeps every index.
 */
import { Logger } from '@nestjs/common';
import { MongoClient } from 'mongodb';
import { ReadModelsNotReady } from '../../src/application/ports/projection-status.port';
import type { ReadStore } from '../../src/application/ports/read-store.port';
import {
  COUPON_REQUESTS,
  READ_MODEL_NAMESPACE,
  TICKETS,
  TICKET_COMMENTS,
} from '../../src/application/queries/read-models';
import { indexName, readModelIndexPlan } from '../../src/infrastructure/read-store/mongodb/mongodb-indexes';
import {
  createMongoReadStore,
  type MongoReadStore,
} from '../../src/infrastructure/read-store/mongodb/mongodb-read-store';
import {
  DEFAULT_RUNNER_OPTIONS,
  ProjectionRunner,
  type ProjectionRunnerOptions,
} from '../../src/projections/projection-runner';
import { READ_MODEL_PROJECTORS } from '../../src/projections/read-model-projectors';
import { AGENT, ANNA, OLEG, ReadSide, couponInput } from '../queries/read-side.fixture';
import { startMongoTestServer, type MongoTestServer } from '../support/mongodb/server';

const COLLECTIONS = [TICKETS, TICKET_COMMENTS, COUPON_REQUESTS];

/** A store that rides out a server restarting in tests: quick tries, quick heartbeats. */
const QUICK_RETURN = {
  retry: { attempts: 30, readAttempts: 30, baseDelayMs: 20, maxDelayMs: 100 },
  serverSelectionTimeoutMs: 300,
  heartbeatFrequencyMs: 200,
};

/** Every read-model document, by collection, in `_id` order. */
async function snapshot(store: ReadStore): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const collection of COLLECTIONS)
    result[collection] = await store.find(collection, {}, { sort: { _id: 1 } });
  return result;
}

/** The app's projection runner over the fixture's event store, writing to `target`. */
const runnerOn = (target: ReadStore): ProjectionRunner =>
  new ProjectionRunner(side.events, target, READ_MODEL_PROJECTORS, { retryDelayMs: 1, attempts: 3 });

let side: ReadSide;

describe('projections on the MongoDB read store', () => {
  let server: MongoTestServer;
  let store: MongoReadStore;
  let last: bigint;

  beforeAll(async () => {
    server = await startMongoTestServer();
    side = await ReadSide.open();
    for (let i = 0; i < 30; i++) {
      const by = i % 2 === 0 ? ANNA : OLEG;
      const created = await side.create(by, { subject: `Мили не начислены ${i}` });
      const ticketId = created.ticketId as string;
      await side.comment(AGENT, { ticketId, body: `Проверяем ${i}`, internal: i % 3 === 0 });
      const result = i % 5 === 0 ? await side.requestCoupon(by, couponInput(ticketId)) : created;
      last = result.position;
    }
    const lastComment = await side.comment(OLEG, {
      ticketId: (await side.create(OLEG)).ticketId as string,
      body: 'Ещё',
    });
    last = lastComment.position;
    store = await createMongoReadStore(server.url, 'projections');
  });

  afterAll(async () => {
    await store?.close();
    await side?.close();
    await server?.stop();
  });

  it('catches up from the event store into the same read models as the embedded store', async () => {
    const runner = runnerOn(store);
    await runner.start();
    try {
      expect(await runner.waitForPosition(last, 20_000)).toBe(true);
      expect(await store.getCheckpoint(DEFAULT_RUNNER_OPTIONS.checkpointName)).toBeGreaterThanOrEqual(last);
      const embedded = await snapshot(side.readStore);
      expect(embedded[TICKETS]).toHaveLength(31);
      expect(await snapshot(store)).toEqual(embedded);
    } finally {
      await runner.stop();
    }
  });

  it('rebuilds into fresh collections and switches them in with every index kept', async () => {
    const runner = runnerOn(store);
    await runner.start();
    const client = new MongoClient(server.url);
    try {
      expect(await runner.waitForPosition(last, 20_000)).toBe(true);
      await runner.rebuild();
      expect(await snapshot(store)).toEqual(await snapshot(side.readStore));
      const names = (await client.db('projections').listCollections({}, { nameOnly: true }).toArray()).map(
        (c) => c.name,
      );
      expect(names.filter((name) => name.includes('__rebuild'))).toEqual([]);
      for (const collection of COLLECTIONS) {
        const indexes = await client
          .db('projections')
          .collection(`${READ_MODEL_NAMESPACE}.${collection}`)
          .listIndexes()
          .toArray();
        expect(indexes.map((index) => index.name).sort()).toEqual(
          ['_id_', ...readModelIndexPlan()[collection].map(indexName)].sort(),
        );
      }
    } finally {
      await client.close();
      await runner.stop();
    }
  });

  /**
   * A projection caught up on a server of its own, which `body` takes away (`stop`) and brings back
   * empty (`comeBackEmpty`), as a restarted in-memory server or a new instance would.
   */
  async function onLosableServer(
    db: string,
    runnerOptions: Partial<ProjectionRunnerOptions> | null,
    body: (lab: {
      target: MongoReadStore;
      runner: ProjectionRunner;
      before: Record<string, unknown[]>;
      stop(): Promise<void>;
      comeBackEmpty(): Promise<void>;
    }) => Promise<void>,
  ): Promise<void> {
    const lossy = await startMongoTestServer();
    const target = await createMongoReadStore(lossy.url, db, QUICK_RETURN);
    const runner =
      runnerOptions === null
        ? runnerOn(target)
        : new ProjectionRunner(side.events, target, READ_MODEL_PROJECTORS, runnerOptions);
    let emptied: MongoTestServer | undefined;
    try {
      await runner.start();
      expect(await runner.waitForPosition(last, 10_000)).toBe(true);
      const before = await snapshot(target);
      await body({
        target,
        runner,
        before,
        stop: () => lossy.stop(),
        comeBackEmpty: async () => {
          emptied = await startMongoTestServer({ port: lossy.port });
        },
      });
    } finally {
      await runner.stop();
      await target.close();
      await (emptied ?? lossy).stop();
    }
  }

  it('projects every event afresh when MongoDB loses the read models while the engine runs', async () => {
    await onLosableServer('lossy', null, async ({ target, runner, before, stop, comeBackEmpty }) => {
      // The server comes back empty (a new instance, an old backup): the read models are gone.
      await stop();
      await comeBackEmpty();
      const ticketId = (before[TICKETS][0] as { _id: string })._id;
      const commented = await side.comment(AGENT, { ticketId, body: 'После потери' });
      // Queries arriving meanwhile wait for the read models (they are not told "not ready" at once).
      const waits: Promise<boolean>[] = [];
      for (let i = 0; i < 400; i++) {
        waits.push(runner.whenCaughtUp(10_000));
        const health = runner.health();
        if (health.status === 'ok' && BigInt(health.checkpoint ?? '-1') >= commented.position) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(runner.health()).toMatchObject({ status: 'ok' });
      expect(await Promise.all(waits)).not.toContain(false);
      const after = await snapshot(target);
      expect(after[TICKETS]).toHaveLength(before[TICKETS].length);
      expect(after[COUPON_REQUESTS]).toHaveLength(before[COUPON_REQUESTS].length);
      expect(after[TICKET_COMMENTS]).toHaveLength(before[TICKET_COMMENTS].length + 1);
    });
  });

  it('notices the read models lost while no event comes, and projects them again (health was ok over an empty store)', async () => {
    const options = { retryDelayMs: 1, attempts: 3, lossCheckMs: 100 };
    await onLosableServer('idle', options, async ({ target, runner, before, stop, comeBackEmpty }) => {
      await stop();
      await comeBackEmpty();
      // No event is written: the check finds the checkpoint gone and everything comes back.
      let after = await snapshot(target).catch(() => null);
      for (let i = 0; i < 200 && JSON.stringify(after) !== JSON.stringify(before); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        after = await snapshot(target).catch(() => null);
      }
      expect(after).toEqual(before);
      expect(await runner.whenCaughtUp(10_000)).toBe(true);
      expect(runner.health()).toMatchObject({ status: 'ok' });
    });
  });

  it('refuses a read that waited out the outage when the server came back without the read models, then projects afresh', async () => {
    const noIdleCheck = { retryDelayMs: 1, attempts: 3, lossCheckMs: 0 };
    await onLosableServer('refused', noIdleCheck, async ({ target, runner, before, stop, comeBackEmpty }) => {
      const ticketId = (before[TICKETS][0] as { _id: string })._id;
      await stop();
      // A desk's query waiting out the outage: the empty server answered it "no such ticket".
      // (Settled from the start: either may be refused while the server comes back.)
      const waited = Promise.allSettled([target.get(TICKETS, ticketId), target.count(TICKETS, {})]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await comeBackEmpty();
      for (const outcome of await waited) {
        expect(outcome.status).toBe('rejected');
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(ReadModelsNotReady);
      }
      // So is one sent after (nothing watches while no event comes, in this test).
      await expect(target.find(TICKETS, {})).rejects.toThrow('answered without the read models');
      // The next event's projection meets the same refusal, finds the checkpoint gone and starts afresh.
      const commented = await side.comment(AGENT, { ticketId, body: 'После возврата' });
      await runner.waitForPosition(commented.position, 15_000);
      expect(await runner.whenCaughtUp(15_000)).toBe(true);
      expect(await runner.waitForPosition(commented.position, 15_000)).toBe(true);
      const after = await snapshot(target);
      expect(after[TICKETS]).toHaveLength(before[TICKETS].length);
      expect(after[TICKET_COMMENTS]).toHaveLength(before[TICKET_COMMENTS].length + 1);
      expect(await target.get(TICKETS, ticketId)).toMatchObject({ _id: ticketId });
    });
  });

  it('is not fooled by the batch it held through the outage: its writes land on the empty server, then it projects afresh', async () => {
    await onLosableServer('held', null, async ({ target, runner, before, stop, comeBackEmpty }) => {
      await stop();
      // Projected while the server is away: the new ticket waits in the batch, whose write (an insert)
      // then succeeds on the empty server, and used to bring the checkpoint back with it, so the next
      // event on an older ticket met no document and stopped the projections for good.
      const created = await side.create(ANNA, { subject: 'Во время сбоя' });
      await new Promise((resolve) => setTimeout(resolve, 400));
      await comeBackEmpty();
      const ticketId = (before[TICKETS][0] as { _id: string })._id;
      const commented = await side.comment(AGENT, { ticketId, body: 'После потери' });
      // A waiter on a position is let go when the projection starts afresh; one on the catch-up is not.
      await runner.waitForPosition(commented.position, 15_000);
      expect(await runner.whenCaughtUp(15_000)).toBe(true);
      expect(await runner.waitForPosition(commented.position, 15_000)).toBe(true);
      expect(runner.health()).toMatchObject({ status: 'ok' });
      const after = await snapshot(target);
      expect(after[TICKETS]).toHaveLength(before[TICKETS].length + 1);
      expect(after[TICKETS].map((doc) => (doc as { _id: string })._id)).toContain(created.ticketId);
      expect(after[TICKET_COMMENTS]).toHaveLength(before[TICKET_COMMENTS].length + 1);
    });
  });
});

describe('several instances sharing MongoDB', () => {
  let server: MongoTestServer;
  let last: bigint;

  beforeAll(async () => {
    server = await startMongoTestServer();
    side = await ReadSide.open();
    for (let i = 0; i < 12; i++) {
      const created = await side.create(i % 2 === 0 ? ANNA : OLEG, { subject: `Экземпляры ${i}` });
      last = (await side.comment(AGENT, { ticketId: created.ticketId as string, body: `Ответ ${i}` }))
        .position;
    }
  });

  afterAll(async () => {
    await side?.close();
    await server?.stop();
  });

  /** Waits until `runner` has caught up and applied `position` (across a fresh start, if any). */
  const reached = async (runner: ProjectionRunner, position: bigint): Promise<boolean> => {
    await runner.waitForPosition(position, 15_000);
    return (await runner.whenCaughtUp(15_000)) && (await runner.waitForPosition(position, 15_000));
  };

  it('a rolling upgrade builds the new version beside the old one, which goes on serving untouched', async () => {
    const old = await createMongoReadStore(server.url, 'upgrade');
    const oldRunner = runnerOn(old);
    const warn = jest.spyOn(Logger.prototype, 'warn');
    let next: MongoReadStore | undefined;
    let nextRunner: ProjectionRunner | undefined;
    try {
      await oldRunner.start();
      expect(await reached(oldRunner, last)).toBe(true);
      const before = await snapshot(old);
      // The next release: another read-model version, its own collections and checkpoint.
      next = await createMongoReadStore(server.url, 'upgrade', { namespace: 'v99' });
      expect(warn.mock.calls.flat().join('\n')).toMatch(/other versions .*v4\.tickets.*Drop them/);
      nextRunner = new ProjectionRunner(side.events, next, READ_MODEL_PROJECTORS, {
        ...DEFAULT_RUNNER_OPTIONS,
        checkpointName: 'read-models.v99',
      });
      await nextRunner.start();
      expect(await reached(nextRunner, last)).toBe(true);
      // The old version's read models were not dropped or touched, and it keeps projecting.
      expect(await snapshot(old)).toEqual(before);
      const ticketId = (before[TICKETS][0] as { _id: string })._id;
      const later = await side.comment(AGENT, { ticketId, body: 'Во время обновления' });
      expect(await reached(oldRunner, later.position)).toBe(true);
      expect(await reached(nextRunner, later.position)).toBe(true);
      expect(oldRunner.health()).toMatchObject({ status: 'ok' });
      expect(await snapshot(old)).toEqual(await snapshot(side.readStore));
      expect(await snapshot(next)).toEqual(await snapshot(side.readStore));
    } finally {
      warn.mockRestore();
      await nextRunner?.stop();
      await oldRunner.stop();
      await next?.close();
      await old.close();
    }
  });

  it('an instance meeting no document while the checkpoint is there (another instance saved it) projects afresh too', async () => {
    const store = await createMongoReadStore(server.url, 'met');
    const runner = runnerOn(store);
    const client = new MongoClient(server.url);
    try {
      await runner.start();
      expect(await reached(runner, last)).toBe(true);
      const before = await snapshot(store);
      // The read models are lost, and the checkpoint is there: another instance began projecting afresh
      // and saved one, and an instance yet to notice moved it on past everything this one applied.
      const db = client.db('met');
      for (const collection of COLLECTIONS)
        await db.collection(`${READ_MODEL_NAMESPACE}.${collection}`).drop();
      expect(await store.getCheckpoint(DEFAULT_RUNNER_OPTIONS.checkpointName)).toBeGreaterThanOrEqual(last);
      const ticketId = (before[TICKETS][0] as { _id: string })._id;
      const commented = await side.comment(AGENT, { ticketId, body: 'После потери' });
      expect(await reached(runner, commented.position)).toBe(true);
      expect(runner.health()).toMatchObject({ status: 'ok' });
      expect(await snapshot(store)).toEqual(await snapshot(side.readStore));
    } finally {
      await client.close();
      await runner.stop();
      await store.close();
    }
  });

  it('an instance yet to notice a reset does not move the checkpoint on: a restart of the one projecting afresh misses nothing', async () => {
    const stores = [
      await createMongoReadStore(server.url, 'epoch'),
      await createMongoReadStore(server.url, 'epoch'),
    ];
    // B learns of the loss only from its own saves (no idle check), as an instance busy with events does.
    const [a, b] = stores.map(
      (store, i) =>
        new ProjectionRunner(side.events, store, READ_MODEL_PROJECTORS, {
          retryDelayMs: 1,
          attempts: 3,
          lossCheckMs: i === 0 ? 5_000 : 0,
        }),
    );
    const client = new MongoClient(server.url);
    let restarted: ProjectionRunner | undefined;
    try {
      await Promise.all([a.start(), b.start()]);
      for (const runner of [a, b]) expect(await reached(runner, last)).toBe(true);
      // The read models are lost. A finds out first, resets the checkpoint, and is stopped (a deploy)
      // before it has projected anything again.
      await a.stop();
      const db = client.db('epoch');
      for (const collection of [...COLLECTIONS, 'checkpoints']) {
        await db.collection(`${READ_MODEL_NAMESPACE}.${collection}`).drop();
      }
      await stores[0].resetCheckpoint(DEFAULT_RUNNER_OPTIONS.checkpointName);
      // B, yet to notice, applies a new ticket (nothing is missing for it) and saves: it used to move the
      // checkpoint to its own position, past every event nobody had projected again.
      const created = await side.create(OLEG, { subject: 'После сброса' });
      expect(await reached(b, created.position)).toBe(true);
      // A starts again from the stored checkpoint and everything is there.
      restarted = new ProjectionRunner(side.events, stores[0], READ_MODEL_PROJECTORS, {
        retryDelayMs: 1,
        attempts: 3,
      });
      await restarted.start();
      expect(await reached(restarted, created.position)).toBe(true);
      expect(await snapshot(stores[0])).toEqual(await snapshot(side.readStore));
    } finally {
      await client.close();
      await restarted?.stop();
      await Promise.all([a.stop(), b.stop()]);
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('two instances both recover when MongoDB comes back empty, whichever sees the loss first', async () => {
    const lossy = await startMongoTestServer();
    const stores = [
      await createMongoReadStore(lossy.url, 'shared', QUICK_RETURN),
      await createMongoReadStore(lossy.url, 'shared', QUICK_RETURN),
    ];
    const runners = stores.map(runnerOn);
    let emptied: MongoTestServer | undefined;
    try {
      await Promise.all(runners.map((runner) => runner.start()));
      for (const runner of runners) expect(await reached(runner, last)).toBe(true);
      const before = await snapshot(stores[0]);
      await lossy.stop();
      const created = await side.create(ANNA, { subject: 'Во время сбоя' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      emptied = await startMongoTestServer({ port: lossy.port });
      const ticketId = (before[TICKETS][0] as { _id: string })._id;
      const commented = await side.comment(AGENT, { ticketId, body: 'После потери' });
      for (const runner of runners) expect(await reached(runner, commented.position)).toBe(true);
      for (const runner of runners) expect(runner.health()).toMatchObject({ status: 'ok' });
      const after = await snapshot(stores[1]);
      expect(after).toEqual(await snapshot(side.readStore));
      expect(after[TICKETS].map((doc) => (doc as { _id: string })._id)).toContain(created.ticketId);
    } finally {
      await Promise.all(runners.map((runner) => runner.stop()));
      await Promise.all(stores.map((store) => store.close()));
      await (emptied ?? lossy).stop();
    }
  });
});
