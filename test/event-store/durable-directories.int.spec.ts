/**
 * Names made durable: syncing a file makes its bytes durable, not its entry in the directory. The test
 * records which directories the store syncs (by wrapping `fs.openSync`/`fs.fsyncSync` before loading it)
 * and checks that every directory holding an entry the store created is among them.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { EmbeddedEventStore as Store } from '../../src/infrastructure/event-store/embedded/embedded-event-store';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const realFs = require('node:fs') as typeof import('node:fs');
const realOpenSync = realFs.openSync;
const realFsyncSync = realFs.fsyncSync;
const pathOfFd = new Map<number, string>();
const syncedDirectories: string[] = [];

describe('embedded event store: directory entries it creates are synced', () => {
  let EmbeddedEventStore: typeof Store;
  let root: string;

  beforeAll(() => {
    (realFs as { openSync: unknown }).openSync = (file: string, ...rest: unknown[]) => {
      const fd = (realOpenSync as (...args: unknown[]) => number)(file, ...rest);
      pathOfFd.set(fd, path.resolve(String(file)));
      return fd;
    };
    (realFs as { fsyncSync: unknown }).fsyncSync = (fd: number) => {
      realFsyncSync(fd);
      const file = pathOfFd.get(fd);
      if (file !== undefined && realFs.statSync(file).isDirectory()) syncedDirectories.push(file);
    };
    const modulePath = '../../src/infrastructure/event-store/embedded/embedded-event-store';
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      EmbeddedEventStore = (require(modulePath) as { EmbeddedEventStore: typeof Store }).EmbeddedEventStore;
    });
  });
  afterAll(() => {
    (realFs as { openSync: unknown }).openSync = realOpenSync;
    (realFs as { fsyncSync: unknown }).fsyncSync = realFsyncSync;
  });
  beforeEach(() => {
    root = realFs.mkdtempSync(path.join(os.tmpdir(), 'event-store-dirs-'));
    syncedDirectories.length = 0;
  });
  afterEach(() => realFs.rmSync(root, { recursive: true, force: true }));

  it('a DATA_DIR made at first start (with missing parents): each new directory, the log and the checkpoint file', async () => {
    const dataDir = path.join(root, 'var', 'ticket-engine', 'data');
    const store = await EmbeddedEventStore.open(dataDir, { warn: () => undefined });
    await store.close();

    expect(realFs.readdirSync(dataDir).sort()).toEqual(expect.arrayContaining(['events.chk', 'events.log']));
    // Each created entry's directory: the data directory (log, checkpoint) and every parent that got a
    // new directory in it, up to the one that already existed.
    for (const dir of [dataDir, path.join(root, 'var', 'ticket-engine'), path.join(root, 'var'), root]) {
      expect(syncedDirectories).toContain(dir);
    }
    expect(syncedDirectories).not.toContain(path.dirname(root));
  });

  it('an existing DATA_DIR with its files syncs no directory on open', async () => {
    const first = await EmbeddedEventStore.open(root, { warn: () => undefined });
    await first.close();
    syncedDirectories.length = 0;

    const again = await EmbeddedEventStore.open(root, { warn: () => undefined });
    await again.close();
    expect(syncedDirectories).toEqual([]);
  });

  it('a checkpoint file lost while the log stayed is created again and its entry synced', async () => {
    const first = await EmbeddedEventStore.open(root, { warn: () => undefined });
    await first.close();
    realFs.rmSync(path.join(root, 'events.chk'));
    syncedDirectories.length = 0;

    const again = await EmbeddedEventStore.open(root, { warn: () => undefined });
    await again.close();
    expect(syncedDirectories).toEqual([root]);
  });
});
