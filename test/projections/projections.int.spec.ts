import type { RecordedEvent } from '../../src/application/ports/event-store.port';
import type { ReadStore } from '../../src/application/ports/read-store.port';
import { StoreUnavailable } from '../../src/application/ports/store-unavailable';
import {
  COUPON_REQUESTS,
  TICKET_COMMENTS,
  TICKETS,
  type TicketDocument,
} from '../../src/application/queries/read-models';
import { foldEntries } from '../../src/domain/ticket';
import type { TicketEvent } from '../../src/domain/ticket.events';
import { EmbeddedReadStore } from '../../src/infrastructure/read-store/embedded/embedded-read-store';
import { BatchWriter } from '../../src/projections/batch-writer';
import { ProjectionRunner } from '../../src/projections/projection-runner';
import { OutOfOrderEvent, READ_MODEL_FILTER, type Projector } from '../../src/projections/projector';
import { READ_MODEL_PROJECTORS } from '../../src/projections/read-model-projectors';
import { ticketDocument, ticketProjector } from '../../src/projections/ticket.projector';
import { AGENT, ANNA, couponInput, ReadSide, SUPERVISOR } from '../queries/read-side.fixture';

const COLLECTIONS = [TICKETS, TICKET_COMMENTS, COUPON_REQUESTS];

async function snapshot(store: ReadStore): Promise<Record<string, unknown[]>> {
  const all: Record<string, unknown[]> = {};
  for (const name of COLLECTIONS) all[name] = await store.find(name, {}, { sort: { _id: 1 } });
  return all;
}

async function ticketEvents(side: ReadSide): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of side.events.readAll({ filter: READ_MODEL_FILTER })) events.push(event);
  return events;
}

/** Some tickets with every kind of event. */
/**
 * `store` with some of its methods replaced, asked at each call: `replacement(name)` answers the
 * function to run instead, or undefined for the store's own. `hideInMemory` takes away the embedded
 * store's synchronous view, so projection writes go through replaceMany as on MongoDB.
 */
function overriding(
  store: EmbeddedReadStore,
  replacement: (name: string | symbol) => ((...args: unknown[]) => Promise<unknown>) | undefined,
  options: { hideInMemory?: boolean } = {},
): EmbeddedReadStore {
  return new Proxy(store, {
    get(target, name, receiver) {
      if (options.hideInMemory && name === 'inMemory') return undefined;
      const replaced = replacement(name);
      if (replaced !== undefined) return replaced;
      const value = Reflect.get(target, name, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function someHistory(side: ReadSide): Promise<string[]> {
  const a = await side.create(ANNA, { subject: 'Возврат билета', priority: 'HIGH' });
  const b = await side.create(ANNA, { subject: 'Мили не начислены' });
  await side.assign(AGENT, { ticketId: a.ticketId, assigneeId: AGENT.id, assigneeName: AGENT.name });
  await side.comment(AGENT, { ticketId: a.ticketId, body: 'Смотрим', internal: true });
  await side.comment(AGENT, { ticketId: a.ticketId, body: 'Пришлите PNR', requestsReply: true });
  await side.comment(ANNA, { ticketId: a.ticketId, body: 'A1B2C3' });
  await side.requestCoupon(ANNA, couponInput(a.ticketId));
  await side.propose(AGENT, a.ticketId);
  await side.closeTicket(ANNA, { ticketId: a.ticketId, resolution: 'CONFIRMED' });
  await side.reopen(ANNA, a.ticketId);
  await side.closeTicket(SUPERVISOR, { ticketId: b.ticketId, resolution: 'CANCELLED', reason: 'Дубль' });
  return [a.ticketId, b.ticketId];
}

describe('projections fed by the embedded event store', () => {
  let side: ReadSide;
  afterEach(async () => {
    await side.close();
  });

  it('reports starting, then ok with the checkpoint once caught up', async () => {
    side = await ReadSide.open({ start: false });
    expect(side.projection.health()).toMatchObject({ status: 'starting', caughtUp: false, checkpoint: null });
    await side.projection.start();
    const created = await side.create(ANNA);
    expect(side.projection.health()).toMatchObject({ status: 'ok', caughtUp: true });
    expect(BigInt(side.projection.health().checkpoint as string)).toBeGreaterThanOrEqual(created.position);
  });

  it('a stop answers those waiting for the catch-up or a position at once (not at their timeout)', async () => {
    side = await ReadSide.open({ start: false });
    const caughtUp = side.projection.whenCaughtUp(60_000);
    const position = side.projection.waitForPosition(1_000_000n, 60_000);
    await side.projection.stop();
    await expect(caughtUp).resolves.toBe(false);
    await expect(position).resolves.toBe(false);
    await expect(side.projection.whenCaughtUp(60_000)).resolves.toBe(false);
  });

  it('folds each ticket in order into the same state the domain folds from its stream', async () => {
    side = await ReadSide.open();
    const [ticketId] = await someHistory(side);
    const stream = await side.events.readStream(`ticket-${ticketId}`);
    const state = foldEntries(
      stream.map((e) => ({
        event: { type: e.type, data: e.data } as TicketEvent,
        meta: { actorName: (e.metadata as { actor: { name: string | null } }).actor.name },
      })),
    );
    const doc = (await side.readStore.get(TICKETS, ticketId)) as TicketDocument;
    expect(doc).toEqual(ticketDocument(state!, null));
    expect(doc).toMatchObject({ revision: stream.length - 1, status: 'IN_PROGRESS', reopenCount: 1 });
    const comments = await side.readStore.find(TICKET_COMMENTS, { ticketId }, { sort: { revision: 1 } });
    expect(comments.map((c) => c.body)).toEqual(['Смотрим', 'Пришлите PNR', 'A1B2C3']);
    expect(await side.readStore.count(COUPON_REQUESTS, { ticketId })).toBe(1);
  });

  it('the same event twice changes nothing', async () => {
    side = await ReadSide.open();
    await someHistory(side);
    const before = await snapshot(side.readStore);
    const writer = new BatchWriter(side.readStore);
    for (const event of await ticketEvents(side)) {
      for (const projector of READ_MODEL_PROJECTORS) {
        if (projector.handles.includes(event.type)) await projector.apply(event, writer);
      }
    }
    await writer.flush();
    expect(await snapshot(side.readStore)).toEqual(before);

    // A second runner delivering everything again from the start (a lost checkpoint) changes nothing either.
    const again = new ProjectionRunner(side.events, side.readStore, READ_MODEL_PROJECTORS, {
      checkpointName: 'replayed-from-start',
    });
    await again.start();
    const head = (await ticketEvents(side)).at(-1)!.position;
    expect(await again.waitForPosition(head, 10_000)).toBe(true);
    await again.stop();
    expect(await snapshot(side.readStore)).toEqual(before);
  });

  it('an event out of order is an error, not a silent overwrite', async () => {
    side = await ReadSide.open();
    const [ticketId] = await someHistory(side);
    const store = new EmbeddedReadStore();
    const stream = await side.events.readStream(`ticket-${ticketId}`);
    await ticketProjector.apply(stream[0], store);
    await expect(ticketProjector.apply(stream[2], store)).rejects.toBeInstanceOf(OutOfOrderEvent);
    expect(await store.get(TICKETS, ticketId)).toMatchObject({ revision: 0 });
  });

  it('retries a failing event, then stops loudly with the reason instead of skipping it', async () => {
    let calls = 0;
    const failing: Projector = {
      name: 'always-failing',
      handles: ['CommentAdded'],
      collections: {},
      async apply() {
        calls++;
        throw new Error('disk on fire');
      },
    };
    side = await ReadSide.open({ projectors: [...READ_MODEL_PROJECTORS, failing] });
    const created = await side.create(ANNA);
    await expect(side.comment(AGENT, { ticketId: created.ticketId, body: 'Смотрим' })).rejects.toThrow(
      /did not reach/,
    );
    const health = side.projection.health();
    expect(health.status).toBe('failed');
    expect(health.reason).toMatch(/always-failing.*CommentAdded.*disk on fire/);
    expect(calls).toBe(3);
    expect(health.checkpoint).toBe(created.position.toString());
    // Nothing after the failing event is applied: the projection stopped there.
    await side.assign(AGENT, { ticketId: created.ticketId, assigneeId: AGENT.id }).catch(() => undefined);
    expect(await side.readStore.get(TICKETS, created.ticketId)).toMatchObject({ revision: 1, status: 'NEW' });
  });

  it('an event that fails once and then succeeds is applied (retry with backoff)', async () => {
    let calls = 0;
    const flaky: Projector = {
      name: 'flaky',
      handles: ['TicketCreated'],
      collections: {},
      async apply() {
        calls++;
        if (calls === 1) throw new Error('try again');
      },
    };
    side = await ReadSide.open({ projectors: [...READ_MODEL_PROJECTORS, flaky] });
    const created = await side.create(ANNA);
    expect(calls).toBe(2);
    expect(side.projection.health().status).toBe('ok');
    expect(await side.readStore.get(TICKETS, created.ticketId)).not.toBeNull();
  });

  it('a rebuild writes fresh collections that come out identical, and switches over', async () => {
    side = await ReadSide.open();
    await someHistory(side);
    const before = await snapshot(side.readStore);
    const rebuilding = side.projection.rebuild();
    const during = await side.create(ANNA, { subject: 'Создан во время перестроения' });
    await rebuilding;
    const after = await snapshot(side.readStore);
    expect(after[TICKETS]).toHaveLength(before[TICKETS].length + 1);
    expect(after[TICKETS].filter((d) => (d as TicketDocument).id !== during.ticketId)).toEqual(
      before[TICKETS],
    );
    expect(after[TICKET_COMMENTS]).toEqual(before[TICKET_COMMENTS]);
    expect(after[COUPON_REQUESTS]).toEqual(before[COUPON_REQUESTS]);
    // Live projection carries on into the switched-in collections.
    await side.comment(AGENT, { ticketId: during.ticketId, body: 'После перестроения' });
    expect(await side.readStore.get(TICKETS, during.ticketId)).toMatchObject({ commentCount: 1 });
    expect(side.projection.health().status).toBe('ok');
  });

  it('waits out a read store that is away (no failure, nothing skipped) and carries on when it answers', async () => {
    side = await ReadSide.open({ start: false });
    let away = false;
    let writesOnly = false;
    // A store that can be away is one without the embedded store's synchronous view (as MongoDB):
    // hiding that view sends every projection write through the calls the test switches off.
    const flaky = new Proxy(side.readStore, {
      get(target, property, receiver) {
        if (property === 'inMemory') return undefined;
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) =>
          away && property !== 'close' && (!writesOnly || property === 'replaceMany')
            ? Promise.reject(
                new StoreUnavailable('read store', 'MongoDB unreachable: switched off by the test'),
              )
            : (value as (...a: unknown[]) => unknown).apply(target, args);
      },
    });
    const runner = side.newRunner(flaky);
    side.projection = runner;
    await runner.start();
    const first = await side.create(ANNA, { subject: 'До отключения' });

    away = true;
    // Accepted by the command side; the read models show them only once the store is back.
    const during = side.create(ANNA, { subject: 'Во время отключения' });
    const comment = side.comment(AGENT, { ticketId: first.ticketId, body: 'Тоже во время отключения' });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(runner.health().status).not.toBe('failed');
    expect(await side.readStore.get(TICKETS, first.ticketId)).toMatchObject({ commentCount: 0 });

    away = false;
    const { ticketId } = await during;
    await comment;
    expect(await side.readStore.get(TICKETS, ticketId)).toMatchObject({ subject: 'Во время отключения' });
    expect(await side.readStore.get(TICKETS, first.ticketId)).toMatchObject({ commentCount: 1 });
    expect(runner.health()).toMatchObject({ status: 'ok' });

    // Away while a batch is being written: the batch is kept and written once the store answers.
    away = true;
    writesOnly = true;
    const before = await side.readStore.count(TICKETS, {});
    const written = side.create(ANNA, { subject: 'Запись пакета' });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await side.readStore.count(TICKETS, {})).toBe(before);
    away = false;
    writesOnly = false;
    const batched = await written;
    expect(await side.readStore.get(TICKETS, batched.ticketId)).toMatchObject({ subject: 'Запись пакета' });

    // Stopping while the store is away does not hang on it.
    away = true;
    void side.create(ANNA, { subject: 'Перед остановкой' }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await runner.stop();
  });

  it('a save that finds the checkpoint gone projects afresh, even when the store is away at the next step', async () => {
    side = await ReadSide.open();
    await someHistory(side);
    const inner = new EmbeddedReadStore();
    let missingOnce = false;
    let awayOnce = false;
    // The store answers one save with "gone", then is away once when the checkpoint is reset: the
    // projections used to ask again whether it was gone, hear nothing (away), and stop for good.
    const flaky = overriding(inner, (name) => {
      if (name === 'saveCheckpoint' && missingOnce) {
        return async () => {
          missingOnce = false;
          awayOnce = true;
          return 'missing';
        };
      }
      if ((name === 'resetCheckpoint' || name === 'checkCheckpoint') && awayOnce) {
        return async () => {
          awayOnce = false;
          throw new StoreUnavailable('read store', 'away for a moment (test)');
        };
      }
      return undefined;
    });
    const runner = side.newRunner(flaky);
    await runner.start();
    const head = (await ticketEvents(side)).at(-1)!.position;
    expect(await runner.waitForPosition(head, 10_000)).toBe(true);
    missingOnce = true;
    const later = await side.create(ANNA, { subject: 'После потери' });
    await runner.waitForPosition(later.position, 10_000);
    expect(await runner.whenCaughtUp(10_000)).toBe(true);
    expect(await runner.waitForPosition(later.position, 10_000)).toBe(true);
    expect(runner.health()).toMatchObject({ status: 'ok' });
    expect(missingOnce || awayOnce).toBe(false);
    expect(await snapshot(inner)).toEqual(await snapshot(side.readStore));
    await runner.stop();
  });

  it('stops loudly, and keeps the process up, when checking for lost read models fails too', async () => {
    side = await ReadSide.open();
    await someHistory(side);
    const inner = new EmbeddedReadStore();
    let broken = false;
    // A write fails with an error that is no outage, and so does the check that follows it (whether the
    // read models were lost): that check's error escaped the projection loop, which nothing awaits,
    // and ended the process (a pool wait timing out on MongoDB, in a review).
    // Without its in-memory road, so every write goes through replaceMany, as on MongoDB.
    const faulty = overriding(
      inner,
      (name) => {
        if (broken && (name === 'replace' || name === 'replaceMany')) {
          return async () => {
            throw new Error('the write failed (test)');
          };
        }
        if (broken && name === 'checkCheckpoint') {
          return async () => {
            throw new Error('the check failed too (test)');
          };
        }
        return undefined;
      },
      { hideInMemory: true },
    );
    const runner = side.newRunner(faulty);
    await runner.start();
    const head = (await ticketEvents(side)).at(-1)!.position;
    expect(await runner.waitForPosition(head, 10_000)).toBe(true);
    broken = true;
    const later = await side.create(ANNA, { subject: 'Сбой записи' });
    expect(await runner.waitForPosition(later.position, 10_000)).toBe(false);
    expect(runner.health()).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('the write failed (test)'),
    });
    await runner.stop();
  });

  it('read models of another version (a store that keeps them, after an upgrade) are projected afresh', async () => {
    side = await ReadSide.open();
    const [ticketId] = await someHistory(side);
    const current = await snapshot(side.readStore);
    // What an older release left in a store that keeps its documents: its own checkpoint, and
    // documents of another shape.
    const kept = new EmbeddedReadStore();
    const stale = {
      ...(current[TICKETS][0] as TicketDocument),
      subject: 'old shape',
      resolutionSortKey: undefined,
    };
    await kept.replace(TICKETS, stale, { expectedRevision: -1 });
    await kept.saveCheckpoint('read-models', 10n ** 12n);

    const upgraded = side.newRunner(kept);
    await upgraded.start();
    const head = (await ticketEvents(side)).at(-1)!.position;
    expect(await upgraded.waitForPosition(head, 10_000)).toBe(true);
    expect(await snapshot(kept)).toEqual(current);
    expect(await kept.get(TICKETS, ticketId)).toMatchObject({ subject: 'Возврат билета' });
    await upgraded.stop();

    // With a checkpoint of its own version it carries on from there, touching nothing before it.
    const first = current[TICKETS][0] as TicketDocument;
    await kept.replace(TICKETS, { ...first, subject: 'kept' }, { expectedRevision: first.revision });
    const resumed = side.newRunner(kept);
    await resumed.start();
    expect(await resumed.waitForPosition(head, 10_000)).toBe(true);
    expect(await kept.get(TICKETS, first._id)).toMatchObject({ subject: 'kept' });
    await resumed.stop();
    await kept.close();
  });

  it('after a restart every read model is restored from the event store', async () => {
    side = await ReadSide.open();
    await someHistory(side);
    const before = await snapshot(side.readStore);
    const restored = await side.restart();
    const head = (await ticketEvents(side)).at(-1)!.position;
    expect(await side.projection.waitForPosition(head, 10_000)).toBe(true);
    expect(await snapshot(restored)).toEqual(before);
  });
});
