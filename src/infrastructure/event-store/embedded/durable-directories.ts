import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Syncs a directory, so that the entries created in it (a new file, a new subdirectory) survive a power
 * loss: syncing a file makes its contents durable, not its name in the directory.
 */
export function syncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Creates `dir` and any missing parents, syncing the parent of each directory it created: a `DATA_DIR`
 * made at first start would otherwise be able to vanish with every event in it after a power loss,
 * although each append was synced.
 */
export function makeDirectoryDurably(dir: string): void {
  const target = path.resolve(dir);
  const firstCreated = fs.mkdirSync(target, { recursive: true });
  if (firstCreated === undefined) return;
  const top = path.resolve(firstCreated);
  for (let created = target; ; created = path.dirname(created)) {
    syncDirectory(path.dirname(created));
    if (created === top) return;
  }
}
