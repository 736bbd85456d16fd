import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackingStore } from './backing-store';
import { MemoryBackingStore } from './memory-backing-store';

/** Opens the store behind the test server in `dataDir` (a fresh temporary directory when absent). */
export async function openBackingStore(dataDir?: string): Promise<{ store: BackingStore; dataDir: string }> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'esdb-test-server-')));
  return { store: new MemoryBackingStore(), dataDir: dir };
}
