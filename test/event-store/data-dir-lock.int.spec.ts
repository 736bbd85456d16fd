/**
 * The data directory's lock across namespaces: a container has its own pids and its own network
 * namespace (so its own abstract sockets), so a lock left by another container is judged by its owner's
 * heartbeat, and a lock of this namespace by the socket guard rather than by a pid that may be reused.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { currentNamespace, DataDirLock } from '../../src/infrastructure/event-store/embedded/data-dir-lock';
import { EmbeddedEventStore } from '../../src/infrastructure/event-store/embedded/embedded-event-store';

const FAST = { heartbeatMs: 40, leaseMs: 300 };
const OTHER_CONTAINER = 'another-boot/pid:[4026531000]/net:[4026531001]';

describe('data directory lock', () => {
  let dir: string;
  let lockFile: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'data-dir-lock-'));
    lockFile = path.join(dir, 'events.lock');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const touchedAgo = (ms: number) => {
    const at = new Date(Date.now() - ms);
    fs.utimesSync(lockFile, at, at);
  };

  it('refuses a lock of another container while its owner keeps touching it (its pid means nothing here)', async () => {
    // The same pid as ours, as two containers' servers often have: it must not read as "a former us".
    fs.writeFileSync(lockFile, `${process.pid} their-token ${OTHER_CONTAINER}\n`);
    const heartbeat = setInterval(() => touchedAgo(0), FAST.heartbeatMs);
    try {
      await expect(DataDirLock.acquire(dir, 'events.lock', FAST)).rejects.toThrow(
        `already open by process ${process.pid} of another container or host`,
      );
    } finally {
      clearInterval(heartbeat);
    }
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(`${process.pid} their-token ${OTHER_CONTAINER}\n`);
  });

  it('takes over a lock of another container left untouched for the lease (its owner is gone)', async () => {
    fs.writeFileSync(lockFile, `${process.pid} their-token ${OTHER_CONTAINER}\n`);
    touchedAgo(FAST.leaseMs * 3);
    const lock = await DataDirLock.acquire(dir, 'events.lock', FAST);
    try {
      expect(fs.readFileSync(lockFile, 'utf8')).toMatch(new RegExp(`^${process.pid} [0-9a-f-]{36} `));
      expect(fs.readFileSync(lockFile, 'utf8')).not.toContain(OTHER_CONTAINER);
    } finally {
      lock.release();
    }
  });

  it('waits for a lock of another container whose owner stops touching it, then takes it over', async () => {
    fs.writeFileSync(lockFile, `7 their-token ${OTHER_CONTAINER}\n`);
    touchedAgo(0); // its owner died just now: the lease has still to run out
    const lock = await DataDirLock.acquire(dir, 'events.lock', FAST);
    try {
      expect(fs.readFileSync(lockFile, 'utf8')).not.toContain(OTHER_CONTAINER);
    } finally {
      lock.release();
    }
  });

  it('keeps its own lock touched while it holds it', async () => {
    const lock = await DataDirLock.acquire(dir, 'events.lock', FAST);
    try {
      touchedAgo(60_000);
      await new Promise((resolve) => setTimeout(resolve, FAST.heartbeatMs * 4));
      expect(Date.now() - fs.statSync(lockFile).mtimeMs).toBeLessThan(60_000);
    } finally {
      lock.release();
    }
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it('on Linux, takes over a lock of this namespace whose pid now belongs to another live process', async () => {
    // After a crash and a reboot (or pid reuse), the recorded pid may run something else entirely;
    // the socket guard, bound here, shows that no process of this namespace holds the store.
    fs.writeFileSync(lockFile, `1 token-of-a-crashed-owner ${currentNamespace()}\n`);
    if (process.platform !== 'linux') {
      await expect(DataDirLock.acquire(dir, 'events.lock', FAST)).rejects.toThrow(
        'already open by process 1',
      );
      return;
    }
    const lock = await DataDirLock.acquire(dir, 'events.lock', FAST);
    lock.release();
  });

  it('judges a lock in the earlier format (no namespace) by its pid: it may be another container', async () => {
    fs.writeFileSync(lockFile, `1 token-of-an-older-release\n`); // pid 1 runs
    await expect(DataDirLock.acquire(dir, 'events.lock', FAST)).rejects.toThrow('already open by process 1');
  });

  it("judges another container's lock by whether it is touched, not by the two hosts' clocks", async () => {
    // The owner's clock runs a minute ahead of ours: its fresh touches look like the future here.
    fs.writeFileSync(lockFile, `9 their-token ${OTHER_CONTAINER}\n`);
    const ahead = () => {
      const at = new Date(Date.now() + 60_000);
      fs.utimesSync(lockFile, at, at);
    };
    ahead();
    const heartbeat = setInterval(ahead, FAST.heartbeatMs);
    try {
      await expect(DataDirLock.acquire(dir, 'events.lock', FAST)).rejects.toThrow(
        'of another container or host',
      );
    } finally {
      clearInterval(heartbeat);
    }
  });

  it('stops taking appends once another process took its lock over (it was judged dead)', async () => {
    const warnings: string[] = [];
    const store = await EmbeddedEventStore.open(dir, { lockLiveness: FAST, warn: (m) => warnings.push(m) });
    try {
      await store.appendToStream('ticket-1', [{ id: randomUUID(), type: 'Opened', data: {} }], 'no_stream');
      // A process of another container found the lock untouched past the lease and took it.
      fs.writeFileSync(lockFile, `5 their-token ${OTHER_CONTAINER}\n`);
      await new Promise((resolve) => setTimeout(resolve, FAST.heartbeatMs * 4));
      await expect(
        store.appendToStream('ticket-1', [{ id: randomUUID(), type: 'Noted', data: {} }], 0),
      ).rejects.toThrow(/lock .* was taken over by process 5/);
      expect(warnings).toEqual([expect.stringContaining('was taken over by process 5')]);
      expect(await store.readStream('ticket-1')).toHaveLength(1);
      // GET /health says so (503): only a restart makes the store take writes again.
      expect(store.health()).toEqual({
        connected: false,
        reason: expect.stringMatching(/^writes are refused: The data directory's lock .* was taken over/),
      });
    } finally {
      await store.close();
    }
    // Its close leaves the other's lock alone.
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(`5 their-token ${OTHER_CONTAINER}\n`);
  });

  it('says the lock is gone, not taken over, when its file disappears', async () => {
    const warnings: string[] = [];
    const store = await EmbeddedEventStore.open(dir, { lockLiveness: FAST, warn: (m) => warnings.push(m) });
    try {
      fs.rmSync(lockFile);
      await new Promise((resolve) => setTimeout(resolve, FAST.heartbeatMs * 4));
      await expect(
        store.appendToStream('ticket-1', [{ id: randomUUID(), type: 'Opened', data: {} }], 'no_stream'),
      ).rejects.toThrow(/lock .* is gone \(was the data directory removed\?\)/);
      expect(warnings).toEqual([expect.stringContaining('is gone')]);
    } finally {
      await store.close();
    }
  });

  it('keeps the lock when its file cannot be read for a moment (only a missing file is gone)', async () => {
    const warnings: string[] = [];
    const store = await EmbeddedEventStore.open(dir, { lockLiveness: FAST, warn: (m) => warnings.push(m) });
    try {
      const text = fs.readFileSync(lockFile, 'utf8');
      // Unreadable for a few heartbeats (here: a directory in its place, EISDIR), then as it was.
      fs.rmSync(lockFile);
      fs.mkdirSync(lockFile);
      await new Promise((resolve) => setTimeout(resolve, FAST.heartbeatMs * 3));
      fs.rmdirSync(lockFile);
      fs.writeFileSync(lockFile, text);
      await new Promise((resolve) => setTimeout(resolve, FAST.heartbeatMs * 2));
      await store.appendToStream('ticket-1', [{ id: randomUUID(), type: 'Opened', data: {} }], 'no_stream');
      expect(warnings).toEqual([]);
      expect(store.health()).toEqual({ connected: true });
    } finally {
      await store.close();
    }
  });
});
