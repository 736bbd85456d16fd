import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import { syncDirectory } from './durable-directories';

const CHECKPOINT_BYTES = 12;

/**
 * A lower bound of the log's acknowledged end, written to a small side file about once a
 * second (and on close). On open, a bad record before this offset cannot be a torn write from
 * a crash: it is damage to acknowledged events, so the store refuses to cut it off silently.
 * Updating it lazily costs one extra sync per second instead of one per append.
 */
export class DurableCheckpoint {
  private written: number;
  private writing = false;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly fd: number,
    value: number,
  ) {
    this.written = value;
  }

  /** Opens (or creates) the checkpoint file; an unreadable checkpoint counts as 0. */
  static open(file: string): DurableCheckpoint {
    const created = !fs.existsSync(file);
    const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT);
    if (created) syncDirectory(path.dirname(file));
    const buffer = Buffer.alloc(CHECKPOINT_BYTES);
    const got = fs.readSync(fd, buffer, 0, CHECKPOINT_BYTES, 0);
    const value =
      got === CHECKPOINT_BYTES && crc32(buffer.subarray(0, 8)) === buffer.readUInt32LE(8)
        ? Number(buffer.readBigUInt64LE(0))
        : 0;
    return new DurableCheckpoint(fd, value);
  }

  /** The last offset known to be acknowledged. */
  get value(): number {
    return this.written;
  }

  /** Writes `durableEnd()` every `intervalMs` while it moves. */
  start(durableEnd: () => number, intervalMs: number): void {
    this.timer = setInterval(() => {
      const end = durableEnd();
      if (end <= this.written || this.writing) return;
      this.writing = true;
      const buffer = encode(end);
      fs.write(this.fd, buffer, 0, CHECKPOINT_BYTES, 0, (writeError) => {
        if (writeError) {
          this.writing = false;
          return;
        }
        fs.fdatasync(this.fd, (syncError) => {
          this.writing = false;
          if (!syncError) this.written = Math.max(this.written, end);
        });
      });
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the timer, writes `end` synchronously (when the log is known durable up to it) and closes. */
  async close(end: number | undefined): Promise<void> {
    clearInterval(this.timer);
    while (this.writing) await new Promise((resolve) => setTimeout(resolve, 1));
    if (end !== undefined) this.writeSync(end);
    fs.closeSync(this.fd);
  }

  /** Sets the checkpoint now (after a recovery scan, or when the log was cut). */
  writeSync(end: number): void {
    fs.writeSync(this.fd, encode(end), 0, CHECKPOINT_BYTES, 0);
    fs.fdatasyncSync(this.fd);
    this.written = end;
  }
}

function encode(end: number): Buffer {
  const buffer = Buffer.alloc(CHECKPOINT_BYTES);
  buffer.writeBigUInt64LE(BigInt(end), 0);
  buffer.writeUInt32LE(crc32(buffer.subarray(0, 8)), 8);
  return buffer;
}
