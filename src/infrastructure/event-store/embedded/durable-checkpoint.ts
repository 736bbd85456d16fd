import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import { syncDirectory } from './durable-directories';

const CHECKPOINT_BYTES = 12;

/**
 * What the checkpoint file held when it was opened: a checksummed end (`valid`); nothing, because it is
 * new or was removed (`absent`); or bytes that are no checkpoint (`damaged`).
 */
export type CheckpointState = 'valid' | 'absent' | 'damaged';

/**
 * A lower bound of the log's acknowledged end, kept in a small side file. On open, a bad record before
 * this offset cannot be a torn write from a crash: it is damage to acknowledged events, so the store
 * refuses to cut it off.
 *
 * After every group commit the new end is written into the file (one 12-byte write, no sync), so a
 * process that is killed leaves it at its last batch: only what was never acknowledged can be cut
 * after that. The file is synced about once a second (and on close), so after a power loss it is at
 * most that old. (When it was written only once a second, it was still at the log's header after a
 * `kill -9` three thousand acknowledged events in, and one flipped bit early in the log then cut all of
 * them off as a "torn tail".)
 */
export class DurableCheckpoint {
  /** The end last written into the file. */
  private noted: number;
  /** The end last made durable by a sync. */
  private synced: number;
  private syncing = false;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly fd: number,
    value: number,
    readonly state: CheckpointState,
  ) {
    this.noted = value;
    this.synced = value;
  }

  /** Opens (or creates) the checkpoint file; `state` says what it held (an unreadable one counts as 0). */
  static open(file: string): DurableCheckpoint {
    const created = !fs.existsSync(file);
    const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT);
    if (created) syncDirectory(path.dirname(file));
    const buffer = Buffer.alloc(CHECKPOINT_BYTES);
    const got = fs.readSync(fd, buffer, 0, CHECKPOINT_BYTES, 0);
    if (got === 0) return new DurableCheckpoint(fd, 0, 'absent');
    const valid = got === CHECKPOINT_BYTES && crc32(buffer.subarray(0, 8)) === buffer.readUInt32LE(8);
    return valid
      ? new DurableCheckpoint(fd, Number(buffer.readBigUInt64LE(0)), 'valid')
      : new DurableCheckpoint(fd, 0, 'damaged');
  }

  /** The end the file held when opened (0 unless `valid`), then the last one written. */
  get value(): number {
    return this.noted;
  }

  /** Records a new acknowledged end (after the log's sync): written at once, synced by the timer. */
  note(end: number): void {
    if (end <= this.noted) return;
    try {
      fs.writeSync(this.fd, encode(end), 0, CHECKPOINT_BYTES, 0);
      this.noted = end;
    } catch {
      // A lower bound left older is still a lower bound; the log's own writes decide acknowledgement.
    }
  }

  /** Syncs what was noted every `intervalMs` while it moves. */
  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (this.noted <= this.synced || this.syncing) return;
      this.syncing = true;
      const end = this.noted;
      fs.fdatasync(this.fd, (syncError) => {
        this.syncing = false;
        if (!syncError) this.synced = Math.max(this.synced, end);
      });
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the timer, writes `end` synchronously (when the log is known durable up to it) and closes. */
  async close(end: number | undefined): Promise<void> {
    clearInterval(this.timer);
    while (this.syncing) await new Promise((resolve) => setTimeout(resolve, 1));
    if (end !== undefined) this.writeSync(end);
    fs.closeSync(this.fd);
  }

  /** Sets the checkpoint now and syncs it (after a recovery scan, or when the log was cut). */
  writeSync(end: number): void {
    fs.writeSync(this.fd, encode(end), 0, CHECKPOINT_BYTES, 0);
    fs.fdatasyncSync(this.fd);
    this.noted = end;
    this.synced = end;
  }
}

function encode(end: number): Buffer {
  const buffer = Buffer.alloc(CHECKPOINT_BYTES);
  buffer.writeBigUInt64LE(BigInt(end), 0);
  buffer.writeUInt32LE(crc32(buffer.subarray(0, 8)), 8);
  return buffer;
}
