import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:net';
import * as path from 'node:path';

/**
 * On Linux, the lock is first an abstract Unix socket named after the lock file's real path: binding it
 * is atomic, a second bind (another process or this one) fails with EADDRINUSE, and the kernel frees it
 * when its process dies, `kill -9` included — an OS lock, which Node offers no other way. The lock file
 * then only says who holds the store. Elsewhere (and across network namespaces, which do not share
 * abstract sockets) the lock file's own protocol below is what keeps a second writer out.
 */
async function bindGuard(lockPath: string): Promise<Server | 'busy' | null> {
  if (process.platform !== 'linux') return null;
  const real = path.join(fs.realpathSync(path.dirname(lockPath)), path.basename(lockPath));
  const name = `\0ticket-engine-lock-${createHash('sha256').update(real).digest('hex')}`;
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve('busy');
      else if (error.code === 'EACCES' || error.code === 'EPERM')
        resolve(null); // sandboxed: file only
      else reject(error);
    });
    server.listen({ path: name }, () => {
      server.unref(); // the lock must not keep the process alive
      resolve(server);
    });
  });
}

/** Whether a process with this pid is running (EPERM: it runs, under another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock file's text, or undefined when there is none. */
function readLock(lockPath: string): string | undefined {
  try {
    return fs.readFileSync(lockPath, 'utf8');
  } catch {
    return undefined;
  }
}

/** The owner's pid in a lock file's text. */
function ownerOf(text: string | undefined): number | undefined {
  const pid = Number.parseInt(text?.trim().split(/\s+/)[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Lock files this process holds now (its own pid in a lock file it does not hold is a former process's). */
const held = new Set<string>();

/**
 * Keeps a second process from opening the same event store: two writers appending to one log
 * would interleave records and corrupt it. The lock file holds the owner's pid and a token of this
 * acquisition; it is created atomically (hard link of a fully written temp file, so nobody ever reads a
 * half-written lock), refused while its owner runs, and taken over when the owner died without
 * releasing it (e.g. `kill -9`).
 *
 * - A lock naming this process's own pid that this process does not hold was left by a former process
 *   that had the same pid: in a container the server is PID 1 after every restart, and such a lock
 *   used to block every later start.
 * - A dead owner's lock is taken away by renaming it to a name of our own, then checking that what was
 *   moved is the very lock judged dead; if another starter took the lock in between, what was moved is
 *   theirs, and it is put back. Removing the judged path outright could delete a lock another starter
 *   had just taken, and both would hold the store.
 */
export class DataDirLock {
  private constructor(
    private readonly lockPath: string,
    private readonly text: string,
    private readonly guard: Server | null,
  ) {}

  /** Takes the lock on `dir` or throws an error naming the process that holds it. */
  static async acquire(dir: string, fileName: string): Promise<DataDirLock> {
    const lockPath = path.join(dir, fileName);
    const guard = await bindGuard(lockPath);
    if (guard === 'busy') {
      const owner = ownerOf(readLock(lockPath));
      const ours = held.has(lockPath);
      throw refusal(dir, lockPath, ours ? 'this process' : owner ? `process ${owner}` : 'another process');
    }
    try {
      return DataDirLock.acquireFile(dir, lockPath, guard);
    } catch (error) {
      guard?.close();
      throw error;
    }
  }

  /** The lock file's protocol (with the guard held, no other process of this host is racing for it). */
  private static acquireFile(dir: string, lockPath: string, guard: Server | null): DataDirLock {
    const token = randomUUID();
    const text = `${process.pid} ${token}\n`;
    const temp = `${lockPath}.${token}.tmp`;
    fs.writeFileSync(temp, text);
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          fs.linkSync(temp, lockPath);
          held.add(lockPath);
          return new DataDirLock(lockPath, text, guard);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        const found = readLock(lockPath);
        if (found === undefined) continue; // released meanwhile: try again
        const owner = ownerOf(found);
        const ours = owner === process.pid;
        if (owner !== undefined && (ours ? held.has(lockPath) : isRunning(owner))) {
          throw refusal(dir, lockPath, ours ? 'this process' : `process ${owner}`);
        }
        takeAway(lockPath, found, `${lockPath}.${token}.stale`);
      }
      throw new Error(`Could not take the lock ${lockPath}: another process keeps taking it`);
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }

  /** Gives the lock up (only if the lock file is still this acquisition's). */
  release(): void {
    held.delete(this.lockPath);
    if (readLock(this.lockPath) === this.text) fs.rmSync(this.lockPath, { force: true });
    this.guard?.close();
  }
}

function refusal(dir: string, lockPath: string, holder: string): Error {
  return new Error(
    `The event store in ${dir} is already open by ${holder} ` +
      `(lock file ${lockPath}); stop that process or use another data directory`,
  );
}

/** Removes the lock at `lockPath` if it is still the one whose text is `judged` (a dead owner's). */
function takeAway(lockPath: string, judged: string, aside: string): void {
  try {
    fs.renameSync(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else took it away
    throw error;
  }
  try {
    if (readLock(aside) !== judged) {
      // A starter took the lock between our reading and our renaming: give it back.
      try {
        fs.linkSync(aside, lockPath);
      } catch {
        // A third starter linked its lock in that instant, so two now believe they hold the store. On
        // Linux the socket guard keeps starters of one host from racing here at all; elsewhere this
        // window remains (Node has no flock): three starters within microseconds on one directory.
      }
    }
  } finally {
    fs.rmSync(aside, { force: true });
  }
}
