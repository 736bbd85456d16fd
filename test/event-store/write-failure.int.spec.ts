/**
 * A failed sync of the event log, on the real store and file: the store is loaded after `fs.fdatasync`
 * is wrapped, so the test can make the disk report an error on the next sync.
 */
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EventData } from '../../src/application/ports/event-store.port';
import type { EmbeddedEventStore as Store } from '../../src/infrastructure/event-store/embedded/embedded-event-store';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const realFs = require('node:fs') as typeof import('node:fs');
const realFdatasync = realFs.fdatasync;
let failNextSync: string | null = null;

function event(type: string, text: string): EventData {
  return { id: randomUUID(), type, data: { text }, metadata: {} };
}

describe('embedded event store when the disk reports an error', () => {
  let EmbeddedEventStore: typeof Store;
  let dir: string;

  beforeAll(() => {
    (realFs as { fdatasync: unknown }).fdatasync = (fd: number, callback: (error: Error | null) => void) => {
      if (failNextSync === null) return realFdatasync(fd, callback);
      const code = failNextSync;
      failNextSync = null;
      process.nextTick(() => callback(Object.assign(new Error(`${code}: i/o error, fdatasync`), { code })));
    };
    const modulePath = '../../src/infrastructure/event-store/embedded/embedded-event-store';
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      EmbeddedEventStore = (require(modulePath) as { EmbeddedEventStore: typeof Store }).EmbeddedEventStore;
    });
  });
  afterAll(() => {
    (realFs as { fdatasync: unknown }).fdatasync = realFdatasync;
  });
  beforeEach(() => {
    dir = realFs.mkdtempSync(path.join(os.tmpdir(), 'event-store-failure-'));
  });
  afterEach(() => realFs.rmSync(dir, { recursive: true, force: true }));

  it('refuses the append, leaves none of it in the file, refuses later appends, and reopens with what was acknowledged', async () => {
    const store = await EmbeddedEventStore.open(dir, { warn: () => undefined });
    await store.appendToStream('ticket-1', [event('Opened', 'acknowledged')], 'no_stream');

    expect(store.health()).toEqual({ connected: true });

    failNextSync = 'EIO';
    const refused = store.appendToStream('ticket-1', [event('Noted', 'refused-append')], 0);
    await expect(refused).rejects.toThrow(
      /could not be written \(EIO: .*\); it takes no more writes until the server is restarted/,
    );
    // An outage the API answers as such (one log line, not a stack trace per request)…
    await expect(refused).rejects.toMatchObject({ name: 'StoreUnavailable', store: 'event store' });
    // …and that GET /health reports (503), though reads still answer, so a supervisor restarts it.
    expect(store.health()).toEqual({
      connected: false,
      reason: expect.stringMatching(/^writes are refused: The event log could not be written \(EIO/),
    });
    await expect(store.appendToStream('ticket-2', [event('Opened', 'after')], 'no_stream')).rejects.toThrow(
      /could not be written/,
    );
    expect(realFs.readFileSync(path.join(dir, 'events.log')).includes('refused-append')).toBe(false);
    expect((await store.readStream('ticket-1')).map((e) => e.type)).toEqual(['Opened']);
    await store.close();

    const reopened = await EmbeddedEventStore.open(dir, { warn: () => undefined });
    try {
      expect((await reopened.readStream('ticket-1')).map((e) => e.type)).toEqual(['Opened']);
      await reopened.appendToStream('ticket-1', [event('Noted', 'after reopening')], 0);
      expect((await reopened.readStream('ticket-1')).map((e) => e.type)).toEqual(['Opened', 'Noted']);
    } finally {
      await reopened.close();
    }
  });

  it('acknowledges no append once its log file is deleted (the data directory removed under it)', async () => {
    const store = await EmbeddedEventStore.open(dir, { warn: () => undefined });
    try {
      await store.appendToStream('ticket-1', [event('Opened', 'kept')], 'no_stream');
      realFs.rmSync(path.join(dir, 'events.log'));
      // The log looks at most every 20 ms (an fstat per batch cost each create ~5 µs under load).
      await new Promise((resolve) => setTimeout(resolve, 25));
      // The write and the sync succeed on the unlinked file; no one would ever read it again.
      await expect(store.appendToStream('ticket-1', [event('Noted', 'lost')], 0)).rejects.toThrow(
        /the log file was deleted; was the data directory removed\?/,
      );
      await expect(store.appendToStream('ticket-2', [event('Opened', 'after')], 'no_stream')).rejects.toThrow(
        /could not be written/,
      );
      expect(store.health()).toMatchObject({ connected: false });
    } finally {
      await store.close();
    }
  });
});
