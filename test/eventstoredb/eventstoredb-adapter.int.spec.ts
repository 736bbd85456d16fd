import { randomUUID } from 'node:crypto';
import { StoreUnavailable } from '../../src/application/ports/store-unavailable';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import type { EventData, RecordedEvent } from '../../src/application/ports/event-store.port';
import { SequenceAllocator } from '../../src/application/sequences';
import {
  createEventStoreDbEventStore,
  type EventStoreDbEventStore,
} from '../../src/infrastructure/event-store/eventstoredb/eventstoredb-event-store';
import {
  startEventStoreTestServer,
  type EventStoreTestServer,
} from '../support/eventstoredb/event-store-test-server';

const noted = (n: number): EventData => ({ id: randomUUID(), type: 'Noted', data: { n } });

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('EventStoreDB adapter specifics (protocol test server)', () => {
  let server: EventStoreTestServer;
  let store: EventStoreDbEventStore;
  let client: EventStoreDBClient;

  beforeAll(async () => {
    server = await startEventStoreTestServer();
    store = createEventStoreDbEventStore(server.url);
    client = EventStoreDBClient.connectionString(server.url);
  });
  afterAll(async () => {
    await client.dispose();
    await store.close();
    await server.stop();
  });

  it.each(['not a url', 'http://localhost:2113', 'esdb://localhost:port', 'esdb://localhost:2113?tls=maybe'])(
    'refuses the malformed connection string %p, naming EVENTSTORE_URL',
    (url) => {
      expect(() => createEventStoreDbEventStore(url)).toThrow(/^EVENTSTORE_URL is not a valid EventStoreDB/);
    },
  );

  it('reports the connection in health(): up once the server answered, down while it is away', async () => {
    const own = createEventStoreDbEventStore(server.url);
    try {
      expect(own.health()).toEqual({ connected: false, reason: 'not connected yet' });
      expect(await own.checkConnection()).toEqual({ connected: true });
      // With events in $all, the check reads one and stops: that answer counts as reachable too.
      await own.appendToStream(`health-${randomUUID()}`, [noted(1)], 'no_stream');
      await server.stopListening();
      const down = await own.checkConnection();
      expect(down.connected).toBe(false);
      expect(down.reason).toMatch(/unreachable/);
      // Calls fail as StoreUnavailable (an outage the caller may wait out), the client's error as cause.
      const refused = await own.readStream('any-stream').catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(StoreUnavailable);
      expect((refused as StoreUnavailable).store).toBe('event store');
      await server.startListening();
      let health = await own.checkConnection();
      for (let tries = 0; !health.connected && tries < 50; tries++) health = await own.checkConnection();
      expect(health).toEqual({ connected: true });
    } finally {
      await own.close();
    }
  });

  it('appends and reads back a 1 MB event', async () => {
    const streamId = `big-${randomUUID()}`;
    const body = 'é'.repeat(500_000); // 1 MB of UTF-8
    await store.appendToStream(streamId, [{ id: randomUUID(), type: 'Big', data: { body } }], 'no_stream');
    const [event] = await store.readStream(streamId);
    expect(event.data).toEqual({ body });
  });

  it('leaves system events ($$ metadata, tombstones) out of $all reads and subscriptions', async () => {
    const streamId = `sys-${randomUUID()}`;
    const gone = `gone-${randomUUID()}`;
    const first = await store.appendToStream(streamId, [noted(0)], 'no_stream');
    await client.setStreamMetadata(streamId, { owner: 'desk' });
    await store.appendToStream(gone, [noted(1)], 'no_stream');
    await client.tombstoneStream(gone);
    await store.appendToStream(streamId, [noted(2)], 0);

    const read = await collect(store.readAll({ fromPosition: first.position }));
    expect(read.map((e) => [e.streamId, e.type])).toEqual([
      [streamId, 'Noted'],
      [gone, 'Noted'],
      [streamId, 'Noted'],
    ]);
    const byPrefix = await collect(
      store.readAll({ fromPosition: first.position, filter: { streamPrefixes: [gone] } }),
    );
    expect(byPrefix.map((e) => e.type)).toEqual(['Noted']);

    const subscription = store.subscribeToAll({ fromPosition: first.position });
    const live: RecordedEvent[] = [];
    for await (const message of subscription) {
      if (message.kind === 'caughtUp') break;
      if (message.kind === 'event') live.push(message.event);
    }
    expect(live.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await store.readStream(gone)).toEqual([]);
  });

  it('counts only the events it returns: a system stream event of an ordinary type does not take a place', async () => {
    const streamId = `count-${randomUUID()}`;
    await store.appendToStream(streamId, [noted(1)], 'no_stream');
    // What a user projection writes: an ordinary event type in a system stream (`$projections-…-result`).
    await client.appendToStream(`$projections-${randomUUID()}-result`, [
      jsonEvent({ type: 'Result', data: {} }),
    ]);
    await store.appendToStream(streamId, [noted(2)], 0);

    const lastTwo = await collect(store.readAll({ direction: 'backwards', maxCount: 2 }));
    expect(lastTwo.map((e) => [e.streamId, e.data])).toEqual([
      [streamId, { n: 2 }],
      [streamId, { n: 1 }],
    ]);
  });

  it('reads events written by other EventStoreDB clients, including their metadata', async () => {
    const streamId = `foreign-${randomUUID()}`;
    const id = randomUUID();
    await client.appendToStream(
      streamId,
      jsonEvent({ id, type: 'Imported', data: { a: 1 }, metadata: { by: 'etl' } }),
    );
    const [event] = await store.readStream(streamId);
    expect(event).toMatchObject({
      id,
      type: 'Imported',
      revision: 0,
      data: { a: 1 },
      metadata: { by: 'etl' },
    });
  });

  it('lets two sequence allocators (two processes) share a sequence without repeating a number', async () => {
    const streamId = `sequence-${randomUUID()}`;
    const other = createEventStoreDbEventStore(server.url);
    try {
      const a = new SequenceAllocator(store, streamId);
      const b = new SequenceAllocator(other, streamId);
      const numbers = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).next()));
      expect(new Set(numbers).size).toBe(40);
      expect(Math.min(...numbers)).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('hands out numbers in the order they are asked for across two processes: none reserved ahead', async () => {
    const streamId = `sequence-${randomUUID()}`;
    const other = createEventStoreDbEventStore(server.url);
    try {
      const a = new SequenceAllocator(store, streamId);
      const b = new SequenceAllocator(other, streamId);
      const handedOut: number[] = [];
      // A busy process (a steady stream of creates would make it reserve a block ahead), then the other.
      for (let i = 0; i < 10; i++) handedOut.push(await a.next());
      handedOut.push(await b.next());
      for (let i = 0; i < 3; i++) handedOut.push(await a.next(), await b.next());
      expect(handedOut).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    } finally {
      await other.close();
    }
  });
});
