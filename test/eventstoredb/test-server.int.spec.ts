import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  eventTypeFilter,
  jsonEvent,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type Position,
} from '@eventstore/db-client';
import {
  startEventStoreTestServer,
  type EventStoreTestServer,
} from '../support/eventstoredb/event-store-test-server';

/** The official client against the protocol test server: EventStoreDB behaviour as the client sees it. */
describe('EventStoreDB protocol test server, with the real client', () => {
  let server: EventStoreTestServer;
  let client: EventStoreDBClient;

  beforeAll(async () => {
    server = await startEventStoreTestServer();
    client = EventStoreDBClient.connectionString(server.url);
  });
  afterAll(async () => {
    await client.dispose();
    await server.stop();
  });

  const stream = (label: string) => `${label}-${randomUUID()}`;
  const noted = (n: number, id = randomUUID()) => jsonEvent({ id, type: 'Noted', data: { n } });

  async function read(streamName: string, options: Parameters<EventStoreDBClient['readStream']>[1] = {}) {
    const events = [];
    for await (const resolved of client.readStream(streamName, options)) events.push(resolved.event!);
    return events;
  }

  async function failure(promise: Promise<unknown>): Promise<unknown> {
    return promise.then(
      () => {
        throw new Error('expected a failure');
      },
      (error: unknown) => error,
    );
  }

  it('stores a re-sent append once (same event ids) and answers it as a success', async () => {
    const name = stream('idempotent');
    const batch = [noted(1), noted(2)];
    const first = await client.appendToStream(name, batch, { expectedRevision: 'no_stream' });
    const again = await client.appendToStream(name, batch, { expectedRevision: 'no_stream' });
    expect(again.success).toBe(true);
    expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);
    expect((await read(name)).map((e) => e.id)).toEqual(batch.map((e) => e.id));
  });

  it('refuses a wrong expected revision with the stream, expected and current revision', async () => {
    const name = stream('wev');
    await client.appendToStream(name, [noted(1), noted(2)]);
    const error = await failure(client.appendToStream(name, noted(3), { expectedRevision: 0n }));
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: name, expectedVersion: 0n, actualVersion: 1n });
    const missing = await failure(
      client.appendToStream(stream('none'), noted(1), { expectedRevision: 'stream_exists' }),
    );
    expect(missing).toMatchObject({ expectedVersion: 'stream_exists', actualVersion: 'no_stream' });
    expect(await read(name)).toHaveLength(2);
  });

  it('reads a stream backwards from a revision, inclusive, and reports a missing stream', async () => {
    const name = stream('read');
    await client.appendToStream(name, [noted(0), noted(1), noted(2), noted(3)]);
    const back = await read(name, { direction: BACKWARDS, fromRevision: 2n, maxCount: 2 });
    expect(back.map((e) => e.revision)).toEqual([2n, 1n]);
    expect(back[0].data).toEqual({ n: 2 });
    expect(await failure(read(stream('missing')))).toBeInstanceOf(StreamNotFoundError);
  });

  it('soft delete hides a stream; appending re-creates it and revisions continue', async () => {
    const name = stream('soft');
    await client.appendToStream(name, [noted(0), noted(1)]);
    await client.deleteStream(name);
    expect(await failure(read(name))).toBeInstanceOf(StreamNotFoundError);
    const recreated = await client.appendToStream(name, noted(2), { expectedRevision: 'no_stream' });
    expect(recreated.nextExpectedRevision).toBe(2n);
    expect((await read(name)).map((e) => [e.revision, e.data])).toEqual([[2n, { n: 2 }]]);
    expect((await client.getStreamMetadata(name)).metadata).toMatchObject({ truncateBefore: 2 });
  });

  it('tombstone refuses reads, writes and deletes with StreamDeleted, for good', async () => {
    const name = stream('tomb');
    await client.appendToStream(name, noted(0));
    await client.tombstoneStream(name);
    expect(await failure(read(name))).toBeInstanceOf(StreamDeletedError);
    expect(await failure(client.appendToStream(name, noted(1)))).toBeInstanceOf(StreamDeletedError);
    expect(await failure(client.deleteStream(name))).toBeInstanceOf(StreamDeletedError);
  });

  it('keeps stream metadata as $metadata events on $$<stream>', async () => {
    const name = stream('meta');
    await client.setStreamMetadata(name, { maxAge: 3600, owner: 'desk-7' });
    await client.setStreamMetadata(name, { maxAge: 60, owner: 'desk-8' });
    const result = await client.getStreamMetadata(name);
    expect(result.metadata).toEqual({ maxAge: 60, owner: 'desk-8' });
    const meta = await read(`$$${name}`);
    expect(meta.map((e) => [e.type, e.revision])).toEqual([
      ['$metadata', 0n],
      ['$metadata', 1n],
    ]);
    expect((await client.getStreamMetadata(stream('bare'))).metadata).toBeUndefined();
  });

  it('round-trips a 1 MB event, its metadata and a creation time in ticks', async () => {
    const name = stream('big');
    const body = 'x'.repeat(1_000_000);
    const before = Date.now();
    await client.appendToStream(name, jsonEvent({ type: 'Big', data: { body }, metadata: { trace: 't-1' } }));
    const [event] = await read(name);
    expect((event.data as { body: string }).body).toHaveLength(1_000_000);
    expect(event.metadata).toEqual({ trace: 't-1' });
    expect(event.created.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(event.created.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('$all holds system events; a read from a position includes it, backwards from the end is newest first', async () => {
    const name = stream('all');
    const written = await client.appendToStream(name, [noted(0), noted(1)]);
    await client.setStreamMetadata(name, { owner: 'x' });
    const position = written.position as Position;
    const forwards: AllStreamResolvedEvent[] = [];
    for await (const resolved of client.readAll({ fromPosition: position, maxCount: 2 }))
      forwards.push(resolved);
    expect(forwards.map((r) => [r.event?.streamId, r.event?.type])).toEqual([
      [name, 'Noted'],
      [`$$${name}`, '$metadata'],
    ]);
    const [newest] = await collectAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    expect(newest.event?.streamId).toBe(`$$${name}`);
  });

  it('a subscription from a position starts after it, says caught up, then goes live', async () => {
    const name = stream('sub');
    const first = await client.appendToStream(name, noted(0));
    await client.appendToStream(name, noted(1));
    const subscription = client.subscribeToAll({ fromPosition: first.position as Position });
    const seen: string[] = [];
    subscription.on('caughtUp', () => {
      seen.push('caughtUp');
      void client.appendToStream(name, noted(2));
    });
    for await (const resolved of subscription) {
      if (resolved.event?.streamId !== name) continue;
      seen.push(`event ${resolved.event.revision}`);
      if (resolved.event.revision === 2n) break;
    }
    await subscription.unsubscribe();
    expect(seen).toEqual(['event 1', 'caughtUp', 'event 2']);
  });

  it('a filtered subscription sends checkpoints while it skips, every window × interval events', async () => {
    const tag = randomUUID().replace(/-/g, '');
    const noise = stream(`noise${tag}`);
    const start = await client.appendToStream(noise, noted(0));
    await client.appendToStream(
      noise,
      Array.from({ length: 100 }, (_, i) => noted(i + 1)),
    );
    await client.appendToStream(stream('wanted'), jsonEvent({ type: `Wanted${tag}`, data: {} }));
    const checkpoints: bigint[] = [];
    const subscription = client.subscribeToAll({
      fromPosition: start.position as Position,
      filter: eventTypeFilter({
        prefixes: [`Wanted${tag}`],
        checkpointInterval: 1,
        checkpointReached: async (_, position) => {
          checkpoints.push(position.commit);
        },
      }),
    });
    let found: AllStreamResolvedEvent | undefined;
    for await (const resolved of subscription) {
      found = resolved;
      break;
    }
    await subscription.unsubscribe();
    expect(found?.event?.type).toBe(`Wanted${tag}`);
    // 100 skipped events with the default search window of 32: three checkpoints before the match
    // (more may follow it: the client reports them while this loop is stopping).
    const matchedAt = found!.event!.position!.commit;
    expect(
      checkpoints.slice(0, 3).every((position) => position > start.position!.commit && position < matchedAt),
    ).toBe(true);
    expect(checkpoints.filter((position) => position < matchedAt)).toHaveLength(3);
  });

  it('refuses a delete with a wrong expected revision, with the details', async () => {
    const name = stream('del-wev');
    await client.appendToStream(name, [noted(0), noted(1)]);
    const error = await failure(client.deleteStream(name, { expectedRevision: 0n }));
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: name, expectedVersion: 0n, actualVersion: 1n });
    expect(await read(name)).toHaveLength(2);
  });

  it('a stream subscription starts after the given revision and follows new appends', async () => {
    const name = stream('stream-sub');
    await client.appendToStream(name, [noted(0), noted(1), noted(2)]);
    const subscription = client.subscribeToStream(name, { fromRevision: 0n });
    subscription.on('caughtUp', () => void client.appendToStream(name, noted(3)));
    const revisions: bigint[] = [];
    for await (const resolved of subscription) {
      revisions.push(resolved.event!.revision);
      if (revisions.length === 3) break;
    }
    await subscription.unsubscribe();
    expect(revisions).toEqual([1n, 2n, 3n]);
  });

  it('keeps the data across a restart on the same data directory', async () => {
    const dir = `${server.dataDir}-restart`;
    const first = await startEventStoreTestServer({ dataDir: dir });
    const firstClient = EventStoreDBClient.connectionString(first.url);
    const name = stream('durable');
    await firstClient.appendToStream(name, [noted(0), noted(1)]);
    await firstClient.dispose();
    await first.stop();
    const second = await startEventStoreTestServer({ dataDir: dir, port: first.port });
    const secondClient = EventStoreDBClient.connectionString(second.url);
    try {
      const events = [];
      for await (const resolved of secondClient.readStream(name, { fromRevision: START }))
        events.push(resolved.event);
      expect(events.map((e) => e?.data)).toEqual([{ n: 0 }, { n: 1 }]);
    } finally {
      await secondClient.dispose();
      await second.stop();
      const { rm } = await import('node:fs/promises');
      await rm(dir, { recursive: true, force: true });
    }
  });

  async function collectAll(options: Parameters<EventStoreDBClient['readAll']>[0]) {
    const events: AllStreamResolvedEvent[] = [];
    for await (const resolved of client.readAll(options)) events.push(resolved);
    return events;
  }
});
