import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedEventStore } from '../../../src/infrastructure/event-store/embedded/embedded-event-store';
import type { BackingStore } from './backing-store';

/**
 * Opens the embedded event store engine in `dataDir` (a fresh temporary directory when absent)
 * as the test server's storage: the same engine `npm start` uses, read with system streams.
 * A temporary directory is removed when the store closes; a given one is kept.
 */
export async function openBackingStore(dataDir?: string): Promise<{ store: BackingStore; dataDir: string }> {
  const temporary = dataDir === undefined;
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'esdb-test-server-')));
  const engine = await EmbeddedEventStore.open(dir);
  const store: BackingStore = {
    appendToStream: (streamId, events, expected) => engine.appendToStream(streamId, events, expected),
    readStream: (streamId, options) => engine.readStream(streamId, options),
    readAllIncludingSystem: (options) => engine.readAll({ ...options, includeSystemStreams: true }),
    async close() {
      await engine.close();
      if (temporary) await rm(dir, { recursive: true, force: true });
    },
  };
  return { store, dataDir: dir };
}
