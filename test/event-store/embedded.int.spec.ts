import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SubscriptionMessage } from '../../src/application/ports/event-store.port';
import { EmbeddedEventStore } from '../../src/infrastructure/event-store/embedded/embedded-event-store';
import { spawnTsChild } from './child-process';
import { collect, event, LOG_FILE } from './log-fixtures';

describe('embedded event store', () => {
  let dir: string;
  const warnings: string[] = [];
  const open = () => EmbeddedEventStore.open(dir, { warn: (message) => warnings.push(message) });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'event-store-embedded-'));
    warnings.length = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates a missing data directory', async () => {
    const nested = path.join(dir, 'a', 'b');
    const store = await EmbeddedEventStore.open(nested);
    await store.appendToStream('s', [event('Made', {})]);
    await store.close();
    expect(fs.existsSync(path.join(nested, LOG_FILE))).toBe(true);
  });

  it('keeps revisions, positions, data and creation dates across close and reopen', async () => {
    let store = await open();
    await store.appendToStream(
      'ticket-1',
      [event('Opened', { n: 1 }), event('Noted', { n: 2 })],
      'no_stream',
    );
    await store.appendToStream('ticket-2', [event('Opened', { n: 3 })], 'no_stream');
    const before = await collect(store.readAll());
    const head = store.headPosition();
    await store.close();

    store = await open();
    try {
      expect(await collect(store.readAll())).toEqual(before);
      expect(store.headPosition()).toBe(head);
      expect(store.streamRevision('ticket-1')).toBe(1);
      expect(store.streamRevision('nobody')).toBe(-1);
      const next = await store.appendToStream('ticket-1', [event('Noted', { n: 4 })], 1);
      expect(next.nextExpectedRevision).toBe(2);
      expect(next.position > head!).toBe(true);
      expect(warnings).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('refuses an event id or type that is not well-formed Unicode (two ids would be one on disk)', async () => {
    const store = await open();
    try {
      await expect(
        store.appendToStream('ticket-1', [{ ...event('Opened', {}), id: 'id-\ud800' }]),
      ).rejects.toThrow(/not well-formed Unicode/);
      await expect(store.appendToStream('ticket-1', [event('T\udc00', {})])).rejects.toThrow(
        /not well-formed Unicode/,
      );
      expect(await store.readStream('ticket-1')).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('refuses a stream name that is not well-formed Unicode (it would merge with another on disk)', async () => {
    const store = await open();
    try {
      await expect(store.appendToStream('x-\ud800', [event('Opened', {})])).rejects.toThrow(
        /not well-formed Unicode/,
      );
      await expect(store.appendToStream('x-\udc00y', [event('Opened', {})])).rejects.toThrow(
        /not well-formed Unicode/,
      );
      await store.appendToStream('x-😀', [event('Opened', {})]); // a pair is fine
      expect(await store.readStream('x-😀')).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('refuses a second opener while the owner lives, and takes over from a dead one', async () => {
    const child = spawnTsChild('hold-store-open.ts', [dir]);
    try {
      await child.lineMatching((line) => line === 'open');
      await expect(open()).rejects.toThrow(`already open by process ${child.process.pid}`);
    } finally {
      child.process.kill('SIGKILL');
      await child.finished;
    }
    const store = await open();
    await store.appendToStream('ticket-1', [event('Opened', {})], 'no_stream');
    await store.close();
  });

  it('takes over a lock naming its own pid that it does not hold (a former process with that pid, e.g. PID 1 in a container)', async () => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'events.lock'), `${process.pid} token-of-a-former-process\n`);
    const store = await open();
    await store.appendToStream('ticket-1', [event('Opened', {})], 'no_stream');
    await store.close();
    // A lock in the earlier format (the pid alone) is read too.
    fs.writeFileSync(path.join(dir, 'events.lock'), `${process.pid}\n`);
    await (await open()).close();
  });

  it("lets exactly one of several processes take over a dead owner's lock at the same instant", async () => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'events.lock'), `${2 ** 22 + 12345} dead\n`);
    // Each round the winner dies holding the lock, and the children still alive race for it again.
    const rounds = 8;
    const roundMs = 400;
    const firstAt = Date.now() + 6000; // time for the children to start
    const children = Array.from({ length: rounds + 1 }, () =>
      spawnTsChild('race-for-lock.ts', [dir, String(firstAt), String(rounds), String(roundMs)]),
    );
    const held: number[] = [];
    const overlaps: number[] = [];
    for (const child of children) {
      child.onLine((line) => {
        const [, what, round] = /^(held|overlap) (\d+)$/.exec(line) ?? [];
        if (what === 'held') held.push(Number(round));
        if (what === 'overlap') overlaps.push(Number(round));
      });
    }
    const results = await Promise.all(children.map((child) => child.finished));
    expect(results.map((r) => r.code)).toEqual(children.map(() => 0));
    // Never two holders at once; and the dead owners' locks were taken over, round after round (a child
    // starved of CPU past its round may take it a little late, so rounds are not counted one by one).
    expect(overlaps).toEqual([]);
    expect(new Set(held).size).toBeGreaterThanOrEqual(rounds - 2);
  }, 40_000);

  it('another process is refused while this one holds the store, and so is a second open here', async () => {
    const store = await open();
    try {
      await expect(open()).rejects.toThrow('already open by this process');
      const child = spawnTsChild('hold-store-open.ts', [dir]);
      const line = await child.lineMatching((l) => l.startsWith('refused'));
      expect(line).toContain(`already open by process ${process.pid}`);
      expect((await child.finished).code).toBe(3);
    } finally {
      await store.close();
    }
  });

  it('on Linux, keeps a second writer out even when the lock file is gone (the OS holds the lock)', async () => {
    const store = await open();
    try {
      fs.rmSync(path.join(dir, 'events.lock'));
      if (process.platform === 'linux') {
        const child = spawnTsChild('hold-store-open.ts', [dir]);
        expect(await child.lineMatching((l) => l.startsWith('refused'))).toContain(
          'already open by another process',
        );
        expect((await child.finished).code).toBe(3);
      }
    } finally {
      await store.close();
    }
    // Closed, the store is free again.
    await (await open()).close();
  });

  it('stores and reads back an event of more than 1 MB, also after reopening', async () => {
    const big = { blob: 'x'.repeat(1_200_000), tail: 'é✓' };
    let store = await open();
    await store.appendToStream(
      'big',
      [event('Small', { n: 1 }), event('Big', big), event('Small', { n: 2 })],
      'no_stream',
    );
    const check = async () => {
      expect((await store.readStream('big'))[1].data).toEqual(big);
      expect((await store.readStream('big', { direction: 'backwards' }))[1].data).toEqual(big);
      expect((await collect(store.readAll())).map((e) => e.type)).toEqual(['Small', 'Big', 'Small']);
      expect((await collect(store.readAll({ direction: 'backwards' }))).map((e) => e.type)).toEqual([
        'Small',
        'Big',
        'Small',
      ]);
      const subscription = store.subscribeToAll({ fromPosition: 'start' });
      const seen: SubscriptionMessage[] = [];
      for await (const message of subscription) if (seen.push(message) === 4) break;
      expect(seen.map((m) => (m.kind === 'event' ? m.event.type : m.kind))).toEqual([
        'Small',
        'Big',
        'Small',
        'caughtUp',
      ]);
    };
    await check();
    await store.close();
    store = await open();
    await check();
    await store.close();
  });

  it('stores system streams, leaving them out of $all unless asked', async () => {
    const store = await open();
    try {
      await store.appendToStream('$$ticket-1', [event('$metadata', { maxAge: 10 })], 'no_stream');
      await store.appendToStream('ticket-1', [event('Opened', {})], 'no_stream');
      expect((await store.readStream('$$ticket-1')).map((e) => e.type)).toEqual(['$metadata']);
      expect((await collect(store.readAll())).map((e) => e.streamId)).toEqual(['ticket-1']);
      const everything = await collect(store.readAll({ includeSystemStreams: true }));
      expect(everything.map((e) => e.streamId)).toEqual(['$$ticket-1', 'ticket-1']);
      expect(store.headPosition()).toBe(everything[1].position);

      const userOnly = store.subscribeToAll({ fromPosition: 'start' })[Symbol.asyncIterator]();
      expect(await userOnly.next()).toMatchObject({
        value: { kind: 'event', event: { streamId: 'ticket-1' } },
      });
      await userOnly.return!();
      const all = store
        .subscribeToAll({ fromPosition: 'start', includeSystemStreams: true })
        [Symbol.asyncIterator]();
      expect(await all.next()).toMatchObject({ value: { kind: 'event', event: { streamId: '$$ticket-1' } } });
      await all.return!();
    } finally {
      await store.close();
    }
  });

  it('reads a log of many chunks from disk in both directions, from any byte position', async () => {
    let store = await open();
    for (let i = 0; i < 40; i++) {
      await store.appendToStream(
        `ticket-${i % 7}`,
        Array.from({ length: 50 }, (_, n) => event('Noted', { i, n, pad: 'p'.repeat(400) })),
      );
    }
    await store.close();
    store = await open();
    try {
      const forwards = await collect(store.readAll());
      expect(forwards).toHaveLength(2000);
      const backwards = await collect(store.readAll({ direction: 'backwards' }));
      expect(backwards.map((e) => e.id)).toEqual(forwards.map((e) => e.id).reverse());

      const middle = forwards[1234];
      const fromInside = await collect(store.readAll({ fromPosition: middle.position + 1n, maxCount: 1 }));
      expect(fromInside[0].id).toBe(forwards[1235].id);
      const backFromInside = await collect(
        store.readAll({ direction: 'backwards', fromPosition: middle.position + 1n, maxCount: 1 }),
      );
      expect(backFromInside[0].id).toBe(middle.id);

      const iterator = store.subscribeToAll({ fromPosition: middle.position })[Symbol.asyncIterator]();
      const delivered: string[] = [];
      for (;;) {
        const { value } = await iterator.next();
        if (value.kind === 'caughtUp') break;
        if (value.kind === 'event') delivered.push(value.event.id);
      }
      expect(delivered).toEqual(forwards.slice(1235).map((e) => e.id));
      await iterator.return!();
    } finally {
      await store.close();
    }
  });

  it('filters a many-chunk read from disk exactly, and a reader that stops early leaves the store closable', async () => {
    let store = await open();
    for (let i = 0; i < 30; i++) {
      await store.appendToStream(
        i % 3 === 0 ? `other-${i}` : `ticket-${i}`,
        Array.from({ length: 40 }, (_, n) => event('Noted', { i, n, pad: 'p'.repeat(400) })),
      );
    }
    await store.close();
    store = await open();
    try {
      const all = await collect(store.readAll());
      const tickets = await collect(store.readAll({ filter: { streamPrefixes: ['ticket-'] } }));
      expect(tickets.map((e) => e.id)).toEqual(
        all.filter((e) => e.streamId.startsWith('ticket-')).map((e) => e.id),
      );
      const firstFive = await collect(store.readAll({ filter: { streamPrefixes: ['other-'] }, maxCount: 5 }));
      expect(firstFive.map((e) => e.id)).toEqual(all.slice(0, 5).map((e) => e.id));

      let seen = 0;
      for await (const recorded of store.readAll()) {
        expect(recorded.id).toBe(all[seen].id);
        if (++seen === 700) break;
      }
    } finally {
      await store.close();
    }
  });

  it('a read of $all from disk still under way when the store closes fails cleanly', async () => {
    const writer = await open();
    for (let i = 0; i < 10; i++) {
      await writer.appendToStream('ticket-1', [event('Noted', { pad: 'p'.repeat(100_000) })]);
    }
    await writer.close();
    const store = await open();
    const reading = store.readAll()[Symbol.asyncIterator]();
    await reading.next();
    await store.close();
    await expect(collect({ [Symbol.asyncIterator]: () => reading })).rejects.toThrow('closed');
  });

  it('close ends live subscriptions, waits for pending appends, and refuses further calls', async () => {
    const store = await open();
    const iterator = store.subscribeToAll({ fromPosition: 'start' })[Symbol.asyncIterator]();
    expect(await iterator.next()).toMatchObject({ value: { kind: 'caughtUp', position: null } });
    const waiting = iterator.next();
    const appended = store.appendToStream('ticket-1', [event('Opened', {})], 'no_stream');
    await store.close();
    await expect(appended).resolves.toMatchObject({ nextExpectedRevision: 0 });
    // The pending next() settles (with the new event or done, depending on timing); then the iteration is over.
    await waiting;
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    await expect(store.appendToStream('ticket-1', [event('Noted', {})])).rejects.toThrow('closed');
    await expect(store.readStream('ticket-1')).rejects.toThrow('closed');
    expect(fs.existsSync(path.join(dir, 'events.lock'))).toBe(false);
  });
});
