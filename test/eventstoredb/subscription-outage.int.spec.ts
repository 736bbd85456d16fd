import { randomUUID } from 'node:crypto';
import type { EventData } from '../../src/application/ports/event-store.port';
import {
  createEventStoreDbEventStore,
  type EventStoreDbEventStore,
} from '../../src/infrastructure/event-store/eventstoredb/eventstoredb-event-store';
import {
  startEventStoreTestServer,
  type EventStoreTestServer,
} from '../support/eventstoredb/event-store-test-server';

const numbered = (from: number, count: number): EventData[] =>
  Array.from({ length: count }, (_, i) => ({ id: randomUUID(), type: 'Counted', data: { n: from + i } }));

/** Polls a condition (the outage and the recovery are asynchronous by nature). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Appends once the server is back; the first calls may still meet the dropped connection. */
async function appendWhenReachable(store: EventStoreDbEventStore, streamId: string, events: EventData[]) {
  for (;;) {
    try {
      return await store.appendToStream(streamId, events);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe('EventStoreDB adapter: a subscription across a server outage', () => {
  let server: EventStoreTestServer;
  let store: EventStoreDbEventStore;

  beforeEach(async () => {
    server = await startEventStoreTestServer();
    store = createEventStoreDbEventStore(server.url);
  });
  afterEach(async () => {
    await store.close();
    await server.stop();
  });

  it('resumes where the consumer was and delivers every event exactly once, in order', async () => {
    const streamId = `outage-${randomUUID()}`;
    await store.appendToStream(streamId, numbered(0, 60), 'no_stream');
    const subscription = store.subscribeToAll({
      fromPosition: 'start',
      filter: { streamPrefixes: [streamId] },
    });

    const seen: number[] = [];
    let releaseConsumer!: () => void;
    const consumerHeld = new Promise<void>((resolve) => (releaseConsumer = resolve));
    const consumer = (async () => {
      for await (const message of subscription) {
        if (message.kind !== 'event') continue;
        seen.push((message.event.data as { n: number }).n);
        // Hold the consumer mid catch-up, with events received but not yet consumed.
        if (seen.length === 10) await consumerHeld;
        if (seen.length === 120) break;
      }
    })();

    await until(() => seen.length === 10);
    await server.stopListening();
    await until(() => !store.health().connected);
    expect(store.health().reason).toMatch(/subscription dropped/);
    releaseConsumer();

    await server.startListening();
    await appendWhenReachable(store, streamId, numbered(60, 60));
    await consumer;

    expect(seen).toEqual(Array.from({ length: 120 }, (_, n) => n));
    await until(() => store.health().connected);
  });

  it('resumes a live subscription dropped between two appends', async () => {
    const streamId = `outage-live-${randomUUID()}`;
    await store.appendToStream(streamId, numbered(0, 5), 'no_stream');
    const subscription = store.subscribeToAll({
      fromPosition: 'start',
      filter: { streamPrefixes: [streamId] },
    });
    const iterator = subscription[Symbol.asyncIterator]();
    const seen: number[] = [];
    const take = async (count: number) => {
      while (seen.length < count) {
        const next = await iterator.next();
        if (!next.done && next.value.kind === 'event') seen.push((next.value.event.data as { n: number }).n);
      }
    };
    await take(5);
    await store.appendToStream(streamId, numbered(5, 5), 4);
    await take(7);
    await server.stopListening();
    await until(() => !store.health().connected);
    await server.startListening();
    await appendWhenReachable(store, streamId, numbered(10, 5));
    await take(15);
    expect(seen).toEqual(Array.from({ length: 15 }, (_, n) => n));
    await subscription.unsubscribe();
    expect(await iterator.next()).toMatchObject({ done: true });
  });

  it('holds one checkpoint, not one per scan, while a stalled consumer is behind, and loses no event', async () => {
    const streamId = `stall-${randomUUID()}`;
    await store.appendToStream(streamId, numbered(0, 40), 'no_stream');
    // Far more events of other streams than the filter passes: the server sends a checkpoint every 32.
    for (let i = 0; i < 20; i++) await store.appendToStream(`other-${randomUUID()}`, numbered(0, 100));
    await store.appendToStream(streamId, numbered(40, 5), 39);
    const subscription = store.subscribeToAll({
      fromPosition: 'start',
      filter: { streamPrefixes: [streamId] },
    });
    const iterator = subscription[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value).toMatchObject({ kind: 'event' });
    // The consumer stalls while the server scans the 2,000 other events.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const kinds: string[] = [first.value.kind];
    const numbers = [(first.value.event.data as { n: number }).n];
    for (;;) {
      const { value } = await iterator.next();
      kinds.push(value.kind);
      if (value.kind === 'event') numbers.push((value.event.data as { n: number }).n);
      if (value.kind === 'caughtUp') break;
    }
    await subscription.unsubscribe();
    expect(numbers).toEqual(Array.from({ length: 45 }, (_, i) => i));
    // Between two events, at most one checkpoint: later ones replace the one waiting.
    expect(kinds.join(' ')).not.toMatch(/checkpoint checkpoint/);
    expect(kinds).toContain('checkpoint');
  });

  it('closes cleanly while the server is down and the subscription is retrying', async () => {
    const subscription = store.subscribeToAll({ fromPosition: 'start' });
    const iterator = subscription[Symbol.asyncIterator]();
    const pending = iterator.next();
    await server.stopListening();
    await until(() => !store.health().connected);
    await store.close();
    // Whatever was pending ends: nothing keeps retrying after close().
    const settled = await pending;
    if (!settled.done) while (!(await iterator.next()).done);
    expect(await iterator.next()).toMatchObject({ done: true });
  });
});
