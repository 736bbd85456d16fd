import * as fs from 'node:fs';
import * as path from 'node:path';

/** Whether a process with this pid is running (EPERM: it runs, under another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(lockPath: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(lockPath, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keeps a second process from opening the same event store: two writers appending to one log
 * would interleave records and corrupt it. The lock file holds the owner's pid; it is created
 * atomically (hard link of a fully written temp file, so nobody ever reads a half-written pid),
 * refused while that pid runs, and taken over when the owner died without releasing it
 * (e.g. `kill -9`).
 */
export class DataDirLock {
  private constructor(private readonly lockPath: string) {}

  /** Takes the lock on `dir` or throws an error naming the process that holds it. */
  static acquire(dir: string, fileName: string): DataDirLock {
    const lockPath = path.join(dir, fileName);
    const temp = `${lockPath}.${process.pid}.tmp`;
    fs.writeFileSync(temp, `${process.pid}\n`);
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          fs.linkSync(temp, lockPath);
          return new DataDirLock(lockPath);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        const owner = readOwner(lockPath);
        if (owner !== undefined && isRunning(owner)) {
          const who = owner === process.pid ? 'this process' : `process ${owner}`;
          throw new Error(
            `The event store in ${dir} is already open by ${who} (lock file ${lockPath}); ` +
              'stop that process or use another data directory',
          );
        }
        fs.rmSync(lockPath, { force: true });
      }
      throw new Error(`Could not take the lock ${lockPath}: another process keeps taking it`);
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }

  /** Gives the lock up (only if this process still holds it). */
  release(): void {
    if (readOwner(this.lockPath) === process.pid) fs.rmSync(this.lockPath, { force: true });
  }
}
