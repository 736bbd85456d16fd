import * as fs from 'node:fs';
import { RECORD_OVERHEAD } from './log-record';

/** A record inside a buffer read from the log. */
export interface RecordRef {
  buffer: Buffer;
  offset: number;
  position: number;
}

/** Bytes read at once when scanning `$all`. */
const CHUNK_BYTES = 256 * 1024;
/** Bytes read at once for a single record: most events fit, bigger ones take a second read. */
const POINT_READ_BYTES = 4096;

/**
 * Positioned reads of durable records. Point reads (a stream's events) are synchronous: they
 * hit the page cache in microseconds, far less than a thread-pool round trip. Scans of `$all`
 * read large chunks asynchronously. `close` waits for reads in progress, so the descriptor is
 * never reused under a pending read.
 */
export class LogReader {
  private activeReads = 0;
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly fd: number) {}

  /** The record starting at `position` (which must be a durable record start). */
  readRecordSync(position: number): RecordRef {
    this.assertOpen();
    let buffer = Buffer.allocUnsafe(POINT_READ_BYTES);
    const got = fs.readSync(this.fd, buffer, 0, POINT_READ_BYTES, position);
    if (got < RECORD_OVERHEAD) throw new Error(`Event log truncated at ${position}`);
    const length = buffer.readUInt32LE(0);
    if (length > got) {
      buffer = Buffer.allocUnsafe(length);
      if (fs.readSync(this.fd, buffer, 0, length, position) !== length) {
        throw new Error(`Event log truncated at ${position}`);
      }
    }
    return { buffer, offset: 0, position };
  }

  /** Records starting in [from, limit), in order, from one chunk; `next` is where to continue. */
  async readForward(from: number, limit: number): Promise<{ records: RecordRef[]; next: number }> {
    const buffer = await this.read(from, Math.min(CHUNK_BYTES, limit - from));
    const records: RecordRef[] = [];
    let offset = 0;
    while (offset + 4 <= buffer.length) {
      const length = buffer.readUInt32LE(offset);
      if (offset + length > buffer.length) break;
      records.push({ buffer, offset, position: from + offset });
      offset += length;
    }
    if (records.length === 0) {
      const big = await this.read(from, buffer.readUInt32LE(0));
      return { records: [{ buffer: big, offset: 0, position: from }], next: from + big.length };
    }
    return { records, next: from + offset };
  }

  /** Records ending at or before `end` and starting at or after `floor`, newest first, from one chunk. */
  async readBackward(end: number, floor: number): Promise<{ records: RecordRef[]; next: number }> {
    const start = Math.max(floor, end - CHUNK_BYTES);
    const buffer = await this.read(start, end - start);
    const records: RecordRef[] = [];
    let at = buffer.length;
    while (at >= RECORD_OVERHEAD) {
      const length = buffer.readUInt32LE(at - 4);
      if (length > at) break;
      at -= length;
      records.push({ buffer, offset: at, position: start + at });
    }
    if (records.length === 0) {
      const length = buffer.readUInt32LE(buffer.length - 4);
      const big = await this.read(end - length, length);
      return { records: [{ buffer: big, offset: 0, position: end - length }], next: end - length };
    }
    return { records, next: start + at };
  }

  /** The first record start ≥ `target`, scanning forward from the known record start `from`. */
  async boundaryAtOrAfter(from: number, target: number, limit: number): Promise<number> {
    let position = from;
    while (position < target && position < limit) {
      const { records, next } = await this.readForward(position, limit);
      for (const record of records) if (record.position >= target) return record.position;
      position = next;
    }
    return Math.min(position, limit);
  }

  /** Refuses new reads and resolves once none is in progress, so the descriptor can be closed. */
  close(): Promise<void> {
    this.closed = true;
    if (this.activeReads === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The event store is closed');
  }

  private read(position: number, length: number): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('The event store is closed'));
    this.activeReads++;
    return new Promise<Buffer>((resolve, reject) => {
      const buffer = Buffer.allocUnsafe(length);
      fs.read(this.fd, buffer, 0, length, position, (error, got) => {
        if (--this.activeReads === 0) {
          const waiters = this.idleWaiters;
          this.idleWaiters = [];
          for (const wake of waiters) wake();
        }
        if (error) return reject(error);
        if (got !== length) return reject(new Error(`Event log truncated at ${position + got}`));
        resolve(buffer);
      });
    });
  }
}
