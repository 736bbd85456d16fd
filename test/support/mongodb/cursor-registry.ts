import { randomBytes } from 'node:crypto';
import { calculateObjectSize, Document, Long } from 'bson';
import { MongoCommandError } from './errors';

/** mongod stops filling a batch once it reaches the maximum BSON document size (16 MiB). */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
/** Batch size of the first `find` batch when the client does not choose one. */
export const DEFAULT_FIRST_BATCH = 101;

interface OpenCursor {
  readonly namespace: string;
  readonly results: Document[];
  /** Index of the first result not yet returned. */
  position: number;
}

/** What a cursor-returning command puts under `cursor`. */
export interface CursorReply {
  readonly id: Long;
  readonly ns: string;
  readonly firstBatch?: Document[];
  readonly nextBatch?: Document[];
}

/**
 * Open cursors of the whole server (a driver may send `getMore` on any pooled connection). A cursor holds
 * the rest of a result that was materialised when it was opened, so later writes never show up in it.
 */
export class CursorRegistry {
  private readonly cursors = new Map<string, OpenCursor>();

  /** Answers the first batch and keeps the rest under a fresh 64-bit id, unless everything fitted. */
  open(
    namespace: string,
    results: Document[],
    batchSize: number | undefined,
    singleBatch = false,
  ): CursorReply {
    const cursor: OpenCursor = { namespace, results, position: 0 };
    const firstBatch = takeBatch(cursor, batchSize ?? DEFAULT_FIRST_BATCH);
    if (cursor.position >= results.length || singleBatch) return { id: Long.ZERO, ns: namespace, firstBatch };
    const id = this.newId();
    this.cursors.set(id.toString(), cursor);
    return { id, ns: namespace, firstBatch };
  }

  /** The next batch of an open cursor; the cursor closes (id 0) once it is exhausted. */
  next(cursorId: unknown, batchSize: number | undefined): CursorReply {
    const key = cursorKey(cursorId);
    const cursor = this.cursors.get(key);
    if (!cursor) throw new MongoCommandError('CursorNotFound', `cursor id ${key} not found`);
    const nextBatch = takeBatch(cursor, batchSize && batchSize > 0 ? batchSize : Infinity);
    if (cursor.position >= cursor.results.length) {
      this.cursors.delete(key);
      return { id: Long.ZERO, ns: cursor.namespace, nextBatch };
    }
    return { id: Long.fromString(key), ns: cursor.namespace, nextBatch };
  }

  /** Closes a cursor; returns false when it was not open. */
  kill(cursorId: unknown): boolean {
    return this.cursors.delete(cursorKey(cursorId));
  }

  clear(): void {
    this.cursors.clear();
  }

  /** Random positive ids that use the high 32 bits, so clients must handle real 64-bit values. */
  private newId(): Long {
    let id: Long;
    do {
      id = Long.fromBytesLE([...randomBytes(8)]).and(Long.MAX_VALUE);
    } while (id.high === 0 || this.cursors.has(id.toString()));
    return id;
  }
}

function cursorKey(cursorId: unknown): string {
  if (Long.isLong(cursorId)) return cursorId.toString();
  if (typeof cursorId === 'number' || typeof cursorId === 'bigint') return String(cursorId);
  throw new MongoCommandError('BadValue', 'cursor id must be a 64-bit integer');
}

/** Moves the cursor past the next batch: at most `batchSize` documents and at most 16 MiB (but never empty). */
function takeBatch(cursor: OpenCursor, batchSize: number): Document[] {
  const batch: Document[] = [];
  let bytes = 0;
  while (cursor.position < cursor.results.length && batch.length < batchSize) {
    const next = cursor.results[cursor.position];
    const size = calculateObjectSize(next);
    if (batch.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
    bytes += size;
    batch.push(next);
    cursor.position += 1;
  }
  return batch;
}
