import { RecordRef } from './log-reader';

/**
 * The last few megabytes of committed appends, kept as the buffers that were written, so live
 * subscribers (projections) and reads of recently written streams (the command runner reading
 * a ticket it just changed) get them without a disk read.
 */
export class RecentWrites {
  private writes: Array<{ position: number; buffer: Buffer }> = [];
  private head = 0;
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Remembers a committed append (appends arrive in position order, contiguous). */
  add(position: number, buffer: Buffer): void {
    this.writes.push({ position, buffer });
    this.bytes += buffer.length;
    while (this.bytes > this.maxBytes && this.writes.length - this.head > 1) {
      this.bytes -= this.writes[this.head].buffer.length;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.writes.length) {
      this.writes = this.writes.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * Records starting in [from, limit) up to about `maxBytes`, if `from` (a record start) is
   * still held here; `undefined` sends the reader to the disk.
   */
  records(from: number, limit: number, maxBytes: number): { records: RecordRef[]; next: number } | undefined {
    let index = this.find(from);
    if (index < 0) return undefined;
    const records: RecordRef[] = [];
    let position = from;
    while (index < this.writes.length && position < limit && position - from < maxBytes) {
      const write = this.writes[index];
      let offset = position - write.position;
      while (offset < write.buffer.length && position < limit) {
        records.push({ buffer: write.buffer, offset, position });
        const length = write.buffer.readUInt32LE(offset);
        offset += length;
        position += length;
      }
      index++;
    }
    return { records, next: position };
  }

  /** The record starting at `position`, if it is still held here. */
  recordAt(position: number): RecordRef | undefined {
    const index = this.find(position);
    if (index < 0) return undefined;
    const write = this.writes[index];
    return { buffer: write.buffer, offset: position - write.position, position };
  }

  /** Index of the write holding `position`, or -1. */
  private find(position: number): number {
    let low = this.head;
    let high = this.writes.length - 1;
    if (high < low || position < this.writes[low].position) return -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const write = this.writes[mid];
      if (position < write.position) high = mid - 1;
      else if (position >= write.position + write.buffer.length) low = mid + 1;
      else return mid;
    }
    return -1;
  }
}
