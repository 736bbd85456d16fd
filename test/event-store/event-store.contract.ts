import { randomUUID } from 'node:crypto';
import {
  EventData,
  EventStore,
  RecordedEvent,
  Subscription,
  SubscriptionMessage,
  WrongExpectedVersion,
} from '../../src/application/ports/event-store.port';

/** An open store for the contract suite, and how to release it. */
export interface OpenedEventStore {
  store: EventStore;
  close(): Promise<void>;
}

/** A stream name no other test (or earlier run against a shared server) uses. */
function uniqueStream(label: string): string {
  return `contract_${label}-${randomUUID().replace(/-/g, '')}`;
}

function event(type: string, data: unknown, metadata?: unknown): EventData {
  return { id: randomUUID(), type, data, metadata };
}

function events(count: number, type = 'Noted'): EventData[] {
  return Array.from({ length: count }, (_, i) => event(type, { n: i }));
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** Reads messages from a subscription until `stop` says enough (inclusive). */
async function messagesUntil(
  iterator: AsyncIterator<SubscriptionMessage>,
  stop: (message: SubscriptionMessage, seen: SubscriptionMessage[]) => boolean,
): Promise<SubscriptionMessage[]> {
  const seen: SubscriptionMessage[] = [];
  for (;;) {
    const next = await iterator.next();
    if (next.done) throw new Error('subscription ended early');
    seen.push(next.value);
    if (stop(next.value, seen)) return seen;
  }
}

function eventsIn(messages: SubscriptionMessage[], streamId?: string): RecordedEvent[] {
  return messages.flatMap((message) =>
    message.kind === 'event' && (streamId === undefined || message.event.streamId === streamId)
      ? [message.event]
      : [],
  );
}

/**
 * The EventStore port's contract (EventStoreDB semantics), for every adapter. Uses only port
 * methods, unique stream names and type names per test, and never assumes `$all` is empty,
 * so it can run against a store shared with other tests.
 */
export function describeEventStoreContract(name: string, open: () => Promise<OpenedEventStore>): void {
  describe(`EventStore contract: ${name}`, () => {
    let opened: OpenedEventStore;
    let store: EventStore;
    const subscriptions: Subscription[] = [];

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((subscription) => subscription.unsubscribe()));
    });
    afterAll(async () => {
      await opened.close();
    });

    function subscribe(options: Parameters<EventStore['subscribeToAll']>[0]): Subscription {
      const subscription = store.subscribeToAll(options);
      subscriptions.push(subscription);
      return subscription;
    }

    describe('appending and reading a stream', () => {
      it('numbers revisions from 0 and stores type, data, metadata, id and a creation date', async () => {
        const streamId = uniqueStream('basic');
        const written = [
          event('Opened', { title: 'Refund', seats: [1, 2] }, { actor: 'kassir_5LE' }),
          event('Noted', { text: 'é ✓' }),
        ];
        const before = Date.now();
        const result = await store.appendToStream(streamId, written, 'no_stream');
        expect(result.nextExpectedRevision).toBe(1);

        const read = await store.readStream(streamId);
        expect(read.map((e) => [e.streamId, e.id, e.type, e.revision, e.data])).toEqual([
          [streamId, written[0].id, 'Opened', 0, { title: 'Refund', seats: [1, 2] }],
          [streamId, written[1].id, 'Noted', 1, { text: 'é ✓' }],
        ]);
        expect(read[0].metadata).toEqual({ actor: 'kassir_5LE' });
        expect(read[1].position).toBe(result.position);
        expect(read[1].position > read[0].position).toBe(true);
        expect(read[0].created).toBeInstanceOf(Date);
        expect(read[0].created.getTime()).toBeGreaterThanOrEqual(before - 60_000);
      });

      it('returns [] for a stream that does not exist', async () => {
        expect(await store.readStream(uniqueStream('missing'))).toEqual([]);
      });

      it('continues revisions across appends and keeps global positions growing', async () => {
        const streamId = uniqueStream('grow');
        const first = await store.appendToStream(streamId, events(2), 'no_stream');
        const second = await store.appendToStream(streamId, events(3), 1);
        expect(second.nextExpectedRevision).toBe(4);
        expect(second.position > first.position).toBe(true);
        const read = await store.readStream(streamId);
        expect(read.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
        for (let i = 1; i < read.length; i++) expect(read[i].position > read[i - 1].position).toBe(true);
      });

      it('an empty append stores nothing and reports the stream as it is (-1 when missing)', async () => {
        const missing = uniqueStream('empty');
        expect(await store.appendToStream(missing, [], 'any')).toEqual({
          nextExpectedRevision: -1,
          position: -1n,
        });
        expect(await store.appendToStream(missing, [], 'no_stream')).toEqual({
          nextExpectedRevision: -1,
          position: -1n,
        });
        expect(await store.readStream(missing)).toEqual([]);
        const existing = uniqueStream('empty');
        const written = await store.appendToStream(existing, events(2), 'no_stream');
        expect(await store.appendToStream(existing, [], 'any')).toEqual(written);
        expect(await store.readStream(existing)).toHaveLength(2);
      });

      it('appends several events atomically, as one contiguous run', async () => {
        const streamId = uniqueStream('atomic');
        await store.appendToStream(streamId, events(1), 'no_stream');
        await Promise.all([
          store.appendToStream(streamId, events(3, 'A'), 'any'),
          store.appendToStream(streamId, events(3, 'B'), 'any'),
        ]);
        const types = (await store.readStream(streamId)).map((e) => e.type).join('');
        expect(['NotedAAABBB', 'NotedBBBAAA']).toContain(types);
      });
    });

    describe('expected revision', () => {
      it('accepts the matching revision and rejects another one, appending nothing', async () => {
        const streamId = uniqueStream('expected');
        await store.appendToStream(streamId, events(2), 'no_stream');
        const error = await rejection(store.appendToStream(streamId, events(1), 0));
        expect(error).toBeInstanceOf(WrongExpectedVersion);
        expect(error).toMatchObject({ streamId, expected: 0, actual: 1 });
        expect(await rejection(store.appendToStream(streamId, events(1), 5))).toMatchObject({ actual: 1 });
        expect((await store.readStream(streamId)).length).toBe(2);
        expect((await store.appendToStream(streamId, events(1), 1)).nextExpectedRevision).toBe(2);
      });

      it('no_stream fails on an existing stream', async () => {
        const streamId = uniqueStream('nostream');
        await store.appendToStream(streamId, events(1), 'no_stream');
        const error = await rejection(store.appendToStream(streamId, events(1), 'no_stream'));
        expect(error).toBeInstanceOf(WrongExpectedVersion);
        expect(error).toMatchObject({ actual: 0 });
      });

      it('stream_exists fails on a missing stream with actual no_stream, and passes on an existing one', async () => {
        const streamId = uniqueStream('exists');
        const error = await rejection(store.appendToStream(streamId, events(1), 'stream_exists'));
        expect(error).toBeInstanceOf(WrongExpectedVersion);
        expect(error).toMatchObject({ actual: 'no_stream' });
        expect(await store.readStream(streamId)).toEqual([]);
        await store.appendToStream(streamId, events(1), 'any');
        expect((await store.appendToStream(streamId, events(1), 'stream_exists')).nextExpectedRevision).toBe(
          1,
        );
      });

      it('a number on a missing stream fails with actual no_stream', async () => {
        const error = await rejection(store.appendToStream(uniqueStream('num'), events(1), 0));
        expect(error).toBeInstanceOf(WrongExpectedVersion);
        expect(error).toMatchObject({ actual: 'no_stream' });
      });

      it('any appends whatever the stream holds', async () => {
        const streamId = uniqueStream('any');
        expect((await store.appendToStream(streamId, events(1), 'any')).nextExpectedRevision).toBe(0);
        expect((await store.appendToStream(streamId, events(1))).nextExpectedRevision).toBe(1);
      });

      it('of two concurrent appends expecting the same revision, exactly one wins', async () => {
        const streamId = uniqueStream('race');
        await store.appendToStream(streamId, events(1), 'no_stream');
        const racers = [event('Racer', { who: 'a' }), event('Racer', { who: 'b' })];
        const outcomes = await Promise.allSettled(
          racers.map((racer) => store.appendToStream(streamId, [racer], 0)),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
        expect(lost.reason).toBeInstanceOf(WrongExpectedVersion);
        const read = await store.readStream(streamId);
        expect(read).toHaveLength(2);
        expect(racers.map((r) => r.id)).toContain(read[1].id);
      });
    });

    describe('idempotent appends (repeated event ids)', () => {
      it('re-sending the same append with the same expected revision stores nothing and succeeds', async () => {
        const streamId = uniqueStream('dedup');
        const batch = events(2);
        const first = await store.appendToStream(streamId, batch, 'no_stream');
        await store.appendToStream(streamId, events(1), 1);
        const again = await store.appendToStream(streamId, batch, 'no_stream');
        expect(again).toEqual(first);
        expect((await store.readStream(streamId)).map((e) => e.revision)).toEqual([0, 1, 2]);
      });

      it('with any, re-sending ids already in the stream stores nothing and returns their revision', async () => {
        const streamId = uniqueStream('dedup-any');
        const batch = events(3);
        const first = await store.appendToStream(streamId, batch, 'any');
        await store.appendToStream(streamId, events(1), 'any');
        const again = await store.appendToStream(streamId, batch, 'any');
        expect(again.nextExpectedRevision).toBe(2);
        expect(again.position).toBe(first.position);
        const single = await store.appendToStream(streamId, [batch[0]], 'any');
        expect(single.nextExpectedRevision).toBe(0);
        expect(await store.readStream(streamId)).toHaveLength(4);
      });

      it('concurrent re-sends of one append store it once', async () => {
        const streamId = uniqueStream('dedup-race');
        const batch = events(2);
        const results = await Promise.all([
          store.appendToStream(streamId, batch, 'no_stream'),
          store.appendToStream(streamId, batch, 'no_stream'),
        ]);
        expect(results[0]).toEqual(results[1]);
        expect(await store.readStream(streamId)).toHaveLength(2);
      });

      it('an id stored in another stream does not deduplicate', async () => {
        const shared = event('Noted', {});
        await store.appendToStream(uniqueStream('dedup-a'), [shared], 'any');
        const other = uniqueStream('dedup-b');
        await store.appendToStream(other, [shared], 'any');
        expect((await store.readStream(other)).map((e) => e.id)).toEqual([shared.id]);
      });
    });

    describe('reading a stream in either direction', () => {
      let streamId: string;
      beforeAll(async () => {
        streamId = uniqueStream('direction');
        await store.appendToStream(streamId, events(6), 'no_stream');
      });
      const revisions = (read: RecordedEvent[]): number[] => read.map((e) => e.revision);

      it('forwards from a revision (inclusive) with maxCount', async () => {
        expect(revisions(await store.readStream(streamId, { fromRevision: 2, maxCount: 3 }))).toEqual([
          2, 3, 4,
        ]);
        expect(revisions(await store.readStream(streamId, { fromRevision: 'start', maxCount: 2 }))).toEqual([
          0, 1,
        ]);
        expect(revisions(await store.readStream(streamId, { fromRevision: 4 }))).toEqual([4, 5]);
      });

      it('backwards from the end or from a revision (inclusive) with maxCount', async () => {
        expect(revisions(await store.readStream(streamId, { direction: 'backwards' }))).toEqual([
          5, 4, 3, 2, 1, 0,
        ]);
        expect(revisions(await store.readStream(streamId, { direction: 'backwards', maxCount: 2 }))).toEqual([
          5, 4,
        ]);
        expect(
          revisions(
            await store.readStream(streamId, { direction: 'backwards', fromRevision: 3, maxCount: 10 }),
          ),
        ).toEqual([3, 2, 1, 0]);
        expect(
          revisions(
            await store.readStream(streamId, { direction: 'backwards', fromRevision: 'end', maxCount: 1 }),
          ),
        ).toEqual([5]);
      });
    });

    describe('reading $all', () => {
      it('forwards from a position (inclusive), in position order', async () => {
        const streamId = uniqueStream('all');
        const written = await store.appendToStream(streamId, events(3), 'no_stream');
        const [first] = await store.readStream(streamId);
        const read = await collect(store.readAll({ fromPosition: first.position, maxCount: 3 }));
        expect(read[0].id).toBe(first.id);
        const ours = read.filter((e) => e.streamId === streamId);
        expect(ours.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(ours[2].position).toBe(written.position);
        for (let i = 1; i < read.length; i++) expect(read[i].position > read[i - 1].position).toBe(true);
      });

      it('backwards from a position (inclusive) and from the end', async () => {
        const streamId = uniqueStream('all-back');
        await store.appendToStream(streamId, events(3), 'no_stream');
        const stored = await store.readStream(streamId);
        const back = await collect(
          store.readAll({ direction: 'backwards', fromPosition: stored[1].position, maxCount: 2 }),
        );
        expect(back.map((e) => e.id)).toEqual([stored[1].id, stored[0].id]);
        const fromEnd = await collect(store.readAll({ direction: 'backwards', maxCount: 50 }));
        for (let i = 1; i < fromEnd.length; i++)
          expect(fromEnd[i].position < fromEnd[i - 1].position).toBe(true);
        expect(fromEnd[0].position >= stored[2].position).toBe(true);
      });

      it('filters by event type and by stream prefix', async () => {
        const tag = randomUUID().replace(/-/g, '');
        const streamA = uniqueStream(`filterA${tag}`);
        const streamB = uniqueStream(`filterB${tag}`);
        await store.appendToStream(
          streamA,
          [event(`Kept${tag}`, { n: 1 }), event('Other', { n: 2 })],
          'no_stream',
        );
        await store.appendToStream(streamB, [event(`Kept${tag}`, { n: 3 })], 'no_stream');
        const [start] = await store.readStream(streamA);

        const byType = await collect(
          store.readAll({ fromPosition: start.position, filter: { eventTypes: [`Kept${tag}`] } }),
        );
        expect(byType.map((e) => e.data)).toEqual([{ n: 1 }, { n: 3 }]);

        const byPrefix = await collect(
          store.readAll({
            fromPosition: start.position,
            filter: { streamPrefixes: [`contract_filterB${tag}`] },
          }),
        );
        expect(byPrefix.map((e) => e.streamId)).toEqual([streamB]);

        const backwards = await collect(
          store.readAll({ direction: 'backwards', filter: { eventTypes: [`Kept${tag}`] }, maxCount: 2 }),
        );
        expect(backwards.map((e) => e.data)).toEqual([{ n: 3 }, { n: 1 }]);
      });
    });

    describe('subscribing to $all', () => {
      it('catches up, says caughtUp, then delivers live events, in position order', async () => {
        const streamId = uniqueStream('sub');
        await store.appendToStream(streamId, events(2), 'no_stream');
        const [first] = await store.readStream(streamId);
        const before = await collect(
          store.readAll({ direction: 'backwards', fromPosition: first.position, maxCount: 2 }),
        );
        const from = before.length > 1 ? before[1].position : 'start';

        const iterator = subscribe({ fromPosition: from })[Symbol.asyncIterator]();
        const catchUp = await messagesUntil(iterator, (m) => m.kind === 'caughtUp');
        expect(eventsIn(catchUp, streamId).map((e) => e.revision)).toEqual([0, 1]);
        expect(eventsIn(catchUp)[0].id).toBe(first.id);

        await store.appendToStream(streamId, events(2), 1);
        const live = await messagesUntil(iterator, (_, seen) => eventsIn(seen, streamId).length === 2);
        expect(eventsIn(live, streamId).map((e) => e.revision)).toEqual([2, 3]);
        const all = eventsIn([...catchUp, ...live]);
        for (let i = 1; i < all.length; i++) expect(all[i].position > all[i - 1].position).toBe(true);
      });

      it('starts after the given position (exclusive)', async () => {
        const streamId = uniqueStream('sub-excl');
        await store.appendToStream(streamId, events(3), 'no_stream');
        const stored = await store.readStream(streamId);
        const iterator = subscribe({ fromPosition: stored[0].position })[Symbol.asyncIterator]();
        const messages = await messagesUntil(iterator, (m) => m.kind === 'caughtUp');
        expect(eventsIn(messages)[0].id).toBe(stored[1].id);
        expect(eventsIn(messages, streamId).map((e) => e.revision)).toEqual([1, 2]);
      });

      it("from 'start' delivers $all from its first event", async () => {
        const streamId = uniqueStream('sub-start');
        await store.appendToStream(streamId, events(1), 'no_stream');
        const [oldest] = await collect(store.readAll({ maxCount: 1 }));
        const iterator = subscribe({ fromPosition: 'start' })[Symbol.asyncIterator]();
        const [firstMessage] = await messagesUntil(iterator, () => true);
        expect(firstMessage).toMatchObject({
          kind: 'event',
          event: { id: oldest.id, position: oldest.position },
        });
      });

      it('with a filter, delivers only matching events and checkpoints while it skips others', async () => {
        const tag = randomUUID().replace(/-/g, '');
        const noise = uniqueStream(`noise${tag}`);
        const wanted = uniqueStream(`wanted${tag}`);
        await store.appendToStream(noise, events(1), 'no_stream');
        const [start] = await store.readStream(noise);
        await store.appendToStream(noise, events(300), 0);
        await store.appendToStream(wanted, [event(`Wanted${tag}`, { ok: true })], 'no_stream');

        const iterator = subscribe({
          fromPosition: start.position,
          filter: { eventTypes: [`Wanted${tag}`] },
        })[Symbol.asyncIterator]();
        const messages = await messagesUntil(iterator, (m) => m.kind === 'event');
        const found = eventsIn(messages);
        expect(found.map((e) => e.streamId)).toEqual([wanted]);
        const checkpoints = messages.flatMap((m) => (m.kind === 'checkpoint' ? [m.position] : []));
        expect(checkpoints.length).toBeGreaterThan(0);
        for (const position of checkpoints) {
          expect(position >= start.position && position < found[0].position).toBe(true);
        }
        for (let i = 1; i < checkpoints.length; i++) expect(checkpoints[i] >= checkpoints[i - 1]).toBe(true);
      });

      it('unsubscribe ends the iteration, even while it waits for live events', async () => {
        const streamId = uniqueStream('unsub');
        await store.appendToStream(streamId, events(1), 'no_stream');
        const [only] = await store.readStream(streamId);
        const subscription = subscribe({
          fromPosition: only.position,
          filter: { streamPrefixes: [streamId] },
        });
        const iterator = subscription[Symbol.asyncIterator]();
        await messagesUntil(iterator, (m) => m.kind === 'caughtUp');
        const pending = iterator.next();
        await subscription.unsubscribe();
        expect(await pending).toMatchObject({ done: true });
        expect(await iterator.next()).toMatchObject({ done: true });
      });

      it('breaking out of for-await stops the subscription', async () => {
        const streamId = uniqueStream('break');
        await store.appendToStream(streamId, events(3), 'no_stream');
        const [first] = await store.readStream(streamId);
        const subscription = subscribe({
          fromPosition: first.position,
          filter: { streamPrefixes: [streamId] },
        });
        const seen: RecordedEvent[] = [];
        for await (const message of subscription) {
          if (message.kind === 'event') seen.push(message.event);
          if (seen.length === 1) break;
        }
        expect(seen.map((e) => e.revision)).toEqual([1]);
        await store.appendToStream(streamId, events(1), 2);
        expect(await subscription[Symbol.asyncIterator]().next()).toMatchObject({ done: true });
      });
    });
  });
}
