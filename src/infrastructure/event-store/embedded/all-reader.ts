import { RecordMatcher } from './all-filter';
import { GroupCommitLog } from './group-commit-log';
import { LogReader, RecordRef } from './log-reader';
import { LOG_HEADER_BYTES } from './log-record';
import { StreamIndex } from './stream-index';

/** Bytes of records handed out at once when they come from memory. */
const RECENT_CHUNK_BYTES = 256 * 1024;

/** Where and how to read `$all`. */
export interface AllReadRequest {
  direction: 'forwards' | 'backwards';
  fromPosition: bigint | 'start' | 'end' | undefined;
  maxCount: number;
  matches: RecordMatcher;
}

/**
 * Reads `$all` (the whole log in position order) for `readAll` and subscriptions: from the
 * recent appends in memory when it can, else from the file, always limited to durable records.
 * Positions given by callers need not be record starts: the sparse index and a short scan find
 * the nearest record boundary.
 */
export class AllReader {
  constructor(
    private readonly log: GroupCommitLog,
    private readonly reader: LogReader,
    private readonly index: StreamIndex,
  ) {}

  /** Matching records of a snapshot of the durable log, in the requested order. */
  async *read(request: AllReadRequest): AsyncGenerator<RecordRef> {
    const limit = this.log.durableEnd;
    const from = request.fromPosition;
    let count = 0;
    if (request.maxCount <= 0) return;
    if (request.direction === 'backwards') {
      if (from === 'start') return;
      let end = from === undefined || from === 'end' ? limit : await this.boundaryAfter(Number(from), limit);
      while (end > LOG_HEADER_BYTES) {
        const { records, next } = await this.reader.readBackward(end, LOG_HEADER_BYTES);
        for (const record of records) {
          if (!request.matches(record.buffer, record.offset)) continue;
          yield record;
          if (++count >= request.maxCount) return;
        }
        end = next;
      }
      return;
    }
    if (from === 'end') return;
    let position =
      from === undefined || from === 'start'
        ? LOG_HEADER_BYTES
        : await this.boundaryAtOrAfter(Number(from), limit);
    while (position < limit) {
      const { records, next } = await this.readForward(position, limit);
      for (const record of records) {
        if (!request.matches(record.buffer, record.offset)) continue;
        yield record;
        if (++count >= request.maxCount) return;
      }
      position = next;
    }
  }

  /** Records starting in [from, limit) from one chunk, `from` being a record start. */
  readForward(from: number, limit: number): Promise<{ records: RecordRef[]; next: number }> {
    const recent = this.log.recent.records(from, limit, RECENT_CHUNK_BYTES);
    return recent === undefined ? this.reader.readForward(from, limit) : Promise.resolve(recent);
  }

  /** The first record start ≥ `target` among durable records (or `limit`). */
  boundaryAtOrAfter(target: number, limit: number): Promise<number> {
    if (target <= LOG_HEADER_BYTES) return Promise.resolve(LOG_HEADER_BYTES);
    if (target >= limit) return Promise.resolve(limit);
    const from = this.index.boundaryAtOrBefore(target, LOG_HEADER_BYTES);
    return this.reader.boundaryAtOrAfter(from, target, limit);
  }

  /** End of the record at `target` when one starts there, else the first record start after it. */
  private async boundaryAfter(target: number, limit: number): Promise<number> {
    if (target < LOG_HEADER_BYTES) return LOG_HEADER_BYTES;
    if (target >= limit) return limit;
    const boundary = await this.boundaryAtOrAfter(target, limit);
    if (boundary !== target) return boundary;
    return target + this.reader.readRecordSync(target).buffer.readUInt32LE(0);
  }
}
