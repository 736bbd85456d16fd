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

  /**
   * Matching records of a snapshot of the durable log, in the requested order, a chunk at a
   * time (one await per chunk rather than per record). While the caller works through a chunk
   * read from the file, the next one is already being read.
   */
  async *read(request: AllReadRequest): AsyncGenerator<RecordRef[]> {
    const limit = this.log.durableEnd;
    const from = request.fromPosition;
    let left = request.maxCount;
    if (left <= 0) return;
    if (request.direction === 'backwards') {
      if (from === 'start') return;
      let end = from === undefined || from === 'end' ? limit : await this.boundaryAfter(Number(from), limit);
      while (end > LOG_HEADER_BYTES) {
        const { records, next } = await this.reader.readBackward(end, LOG_HEADER_BYTES);
        const matching = keepMatching(records, request.matches, left);
        left -= matching.length;
        if (matching.length > 0) yield matching;
        if (left <= 0) return;
        end = next;
      }
      return;
    }
    if (from === 'end') return;
    let position =
      from === undefined || from === 'start'
        ? LOG_HEADER_BYTES
        : await this.boundaryAtOrAfter(Number(from), limit);
    let chunk = position < limit ? this.readAhead(position, limit) : undefined;
    while (chunk !== undefined) {
      const { records, next } = await chunk;
      position = next;
      chunk = position < limit ? this.readAhead(position, limit) : undefined;
      const matching = keepMatching(records, request.matches, left);
      left -= matching.length;
      if (matching.length > 0) yield matching;
      if (left <= 0) return;
    }
  }

  /** Records starting in [from, limit) from one chunk, `from` being a record start. */
  readForward(from: number, limit: number): Promise<{ records: RecordRef[]; next: number }> {
    const recent = this.log.recent.records(from, limit, RECENT_CHUNK_BYTES);
    return recent === undefined ? this.reader.readForward(from, limit) : Promise.resolve(recent);
  }

  /**
   * `readForward` started before its result is wanted: a reader that stops early (maxCount,
   * or a `break` out of its loop) never awaits it, so its failure must not go unhandled.
   */
  private readAhead(from: number, limit: number): Promise<{ records: RecordRef[]; next: number }> {
    const chunk = this.readForward(from, limit);
    chunk.catch(() => undefined);
    return chunk;
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

/** The records `matches` keeps, at most `max` of them (the array itself when it keeps all). */
function keepMatching(records: RecordRef[], matches: RecordMatcher, max: number): RecordRef[] {
  let kept = 0;
  while (kept < records.length && kept < max && matches(records[kept].buffer, records[kept].offset)) kept++;
  if (kept === records.length) return records;
  const matching = records.slice(0, kept);
  for (let i = kept + 1; i < records.length && matching.length < max; i++) {
    if (matches(records[i].buffer, records[i].offset)) matching.push(records[i]);
  }
  return matching;
}
