import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:net';
import * as os from 'node:os';
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

/** The namespace a lock file's owner ran in (its third word), or undefined for a lock without one. */
const namespaceOf = (text: string): string | undefined => text.trim().split(/\s+/)[2];

/**
 * Where a pid means something: on Linux this boot, pid namespace and network namespace (a container
 * has its own, and its server is often pid 1 like every other container's); elsewhere the host. A lock
 * from another namespace cannot be judged by its pid, nor guarded by the abstract socket (which is per
 * network namespace): its owner's heartbeat says whether it still runs.
 */
export function currentNamespace(): string {
  try {
    const boot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    // The mount namespace too: there the same directory may have another real path (another guard).
    const spaces = ['pid', 'net', 'mnt'].map((space) => fs.readlinkSync(`/proc/self/ns/${space}`));
    return [boot, ...spaces].join('/').replace(/\s/g, '');
  } catch {
    return `host:${os.hostname()}`.replace(/\s/g, '');
  }
}

/** How the owner shows it is alive to starters of other namespaces: the lock file's time, touched. */
export interface LockLiveness {
  /** How often the owner touches its lock file; 5 s. */
  heartbeatMs: number;
  /** A lock from another namespace untouched this long is a dead owner's; 30 s. */
  leaseMs: number;
}

export const DEFAULT_LIVENESS: LockLiveness = { heartbeatMs: 5_000, leaseMs: 30_000 };

/** When the lock file was last touched (its owner's clock), or undefined when it is gone. */
function touchedAt(lockPath: string): number | undefined {
  try {
    return fs.statSync(lockPath).mtimeMs;
  } catch {
    return undefined;
  }
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
 * - Across containers (or hosts sharing the directory) neither the pid nor the socket guard can tell:
 *   another container's server may well be pid 1 like ours, and the guard is per network namespace. So
 *   the lock names its owner's namespace (boot, pid, network and mount namespaces), and the owner
 *   touches the lock file every few seconds (LockLiveness). A lock of another namespace is watched for a
 *   lease: refused as soon as it is touched, taken over when it was not (its owner died). Whether it is
 *   touched is seen by its time changing, so the hosts' clocks need not agree. An owner that finds its
 *   lock taken over (it stalled past the lease and was judged dead) stops its store's appends.
 * - A lock of this namespace is a dead owner's when the socket guard could be bound, even if its pid now
 *   belongs to another live process (pids are reused after a crash or a reboot). A lock in the earlier
 *   format (no namespace) is judged by its pid alone.
 * - A dead owner's lock is taken away by renaming it to a name of our own, then checking that what was
 *   moved is the very lock judged dead; if another starter took the lock in between, what was moved is
 *   theirs, and it is put back. Removing the judged path outright could delete a lock another starter
 *   had just taken, and both would hold the store.
 */
export class DataDirLock {
  private readonly heartbeat: NodeJS.Timeout;
  private lost: ((reason: Error) => void) | null = null;

  private constructor(
    private readonly lockPath: string,
    private readonly text: string,
    private readonly guard: Server | null,
    liveness: LockLiveness,
  ) {
    this.heartbeat = setInterval(() => this.touch(), liveness.heartbeatMs);
    this.heartbeat.unref(); // the lock must not keep the process alive
  }

  /** Takes the lock on `dir` or throws an error naming the process that holds it. */
  static async acquire(
    dir: string,
    fileName: string,
    liveness: LockLiveness = DEFAULT_LIVENESS,
  ): Promise<DataDirLock> {
    const lockPath = path.join(dir, fileName);
    const guard = await bindGuard(lockPath);
    if (guard === 'busy') {
      const owner = ownerOf(readLock(lockPath));
      const ours = held.has(lockPath);
      throw refusal(dir, lockPath, ours ? 'this process' : owner ? `process ${owner}` : 'another process');
    }
    try {
      return await DataDirLock.acquireFile(dir, lockPath, guard, liveness);
    } catch (error) {
      guard?.close();
      throw error;
    }
  }

  /** The lock file's protocol (with the guard held, no other process of this host is racing for it). */
  private static async acquireFile(
    dir: string,
    lockPath: string,
    guard: Server | null,
    liveness: LockLiveness,
  ): Promise<DataDirLock> {
    const token = randomUUID();
    const namespace = currentNamespace();
    const text = `${process.pid} ${token} ${namespace}\n`;
    const temp = `${lockPath}.${token}.tmp`;
    fs.writeFileSync(temp, text);
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          fs.linkSync(temp, lockPath);
          held.add(lockPath);
          return new DataDirLock(lockPath, text, guard, liveness);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        const found = readLock(lockPath);
        if (found === undefined) continue; // released meanwhile: try again
        const owner = ownerOf(found);
        const recorded = namespaceOf(found);
        if (recorded !== undefined && recorded !== namespace) {
          // Another container, host or boot: its pid says nothing here; its heartbeat does.
          const judged = await untouchedFor(lockPath, found, liveness);
          if (judged === 'replaced') continue; // released or taken meanwhile: judge the lock anew
          if (judged === 'alive') {
            throw refusal(dir, lockPath, `process ${owner ?? '?'} of another container or host`);
          }
        } else if (owner === process.pid) {
          // Our own pid in a lock this process does not hold: a former process's (pid 1 in a container).
          if (held.has(lockPath)) throw refusal(dir, lockPath, 'this process');
        } else if (owner !== undefined && (guard === null || recorded === undefined) && isRunning(owner)) {
          // Without the socket guard the pid is all there is, and so it is for a lock in the earlier
          // format (no namespace: it may be another container's). With the guard, a lock of this
          // namespace is a dead owner's even when its pid now belongs to another process: a live owner
          // would hold the guard.
          throw refusal(dir, lockPath, `process ${owner}`);
        }
        takeAway(lockPath, found, `${lockPath}.${token}.stale`);
      }
      throw new Error(`Could not take the lock ${lockPath}: another process keeps taking it`);
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }

  /**
   * `onLost` hears once if the lock file stops being this acquisition's while held: another process
   * took it over (this one was judged dead: its heartbeat stalled past the lease). The store then
   * stops taking appends, so two writers never share the log for longer than a heartbeat.
   */
  whenLost(onLost: (reason: Error) => void): void {
    this.lost = onLost;
  }

  /** Gives the lock up (only if the lock file is still this acquisition's). */
  release(): void {
    clearInterval(this.heartbeat);
    held.delete(this.lockPath);
    if (readLock(this.lockPath) === this.text) fs.rmSync(this.lockPath, { force: true });
    this.guard?.close();
  }

  /** Shows starters of other namespaces that the owner runs (see LockLiveness). */
  private touch(): void {
    let found: string | undefined;
    try {
      found = fs.readFileSync(this.lockPath, 'utf8');
    } catch (error) {
      // Only a lock that is not there is gone; one that could not be read now (too many open files, a
      // hiccup of the disk) is looked at again at the next touch, well within the lease.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return;
    }
    if (found !== this.text) {
      clearInterval(this.heartbeat);
      const owner = ownerOf(found);
      this.lost?.(
        new Error(
          found === undefined
            ? `The data directory's lock ${this.lockPath} is gone (was the data directory removed?): ` +
                'this process takes no more writes; restart it'
            : `The data directory's lock ${this.lockPath} was taken over by ${owner ? `process ${owner}` : 'another process'}: ` +
                'this process stopped touching it for longer than the lease; restart it',
        ),
      );
      this.lost = null;
      return;
    }
    try {
      const now = new Date();
      fs.utimesSync(this.lockPath, now, now);
    } catch {
      // The directory is gone or unwritable: the appends will say so.
    }
  }
}

/**
 * Watches a lock of another namespace for a lease: `alive` as soon as it is touched (its owner runs),
 * `stale` when it was not touched all that time, or was last touched ten leases ago by our clock (the
 * two hosts' clocks need not agree to within a lease, only to within ten), `replaced` when it was
 * released or another lock took its place meanwhile.
 */
async function untouchedFor(
  lockPath: string,
  found: string,
  liveness: LockLiveness,
): Promise<'stale' | 'alive' | 'replaced'> {
  const deadline = Date.now() + liveness.leaseMs;
  const first = touchedAt(lockPath);
  for (;;) {
    const at = touchedAt(lockPath);
    if (at === undefined || readLock(lockPath) !== found) return 'replaced';
    if (at !== first) return 'alive';
    if (Date.now() - at > 10 * liveness.leaseMs) return 'stale';
    if (Date.now() > deadline) return 'stale';
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(liveness.heartbeatMs, deadline - Date.now() + 1)),
    );
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
