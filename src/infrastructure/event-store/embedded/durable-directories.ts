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
 *
 * One level at a time, not `mkdirSync(…, { recursive: true })`: Node 20's recursive form loops for ever
 * under a directory that refuses new entries with ENOENT, as /proc does (`DATA_DIR=/proc/x` hung the
 * start at full CPU, deaf to SIGTERM). Here the first level that cannot be made throws its error.
 */
export function makeDirectoryDurably(dir: string): void {
  const target = path.resolve(dir);
  const missing: string[] = [];
  for (let at = target; !fs.existsSync(at); at = path.dirname(at)) {
    missing.unshift(at);
    if (path.dirname(at) === at) break;
  }
  for (const created of missing) {
    try {
      fs.mkdirSync(created);
    } catch (error) {
      // Made by someone else meanwhile (another process starting on the same path) is as good.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !fs.statSync(created).isDirectory())
        throw error;
      continue;
    }
    syncDirectory(path.dirname(created));
  }
}
