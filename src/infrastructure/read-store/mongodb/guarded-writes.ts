/**
 * The read store's revision-guarded writes in MongoDB's terms:
 * - expected revision n ≥ 0: `replaceOne({ _id, revision: n }, doc)` — matches only the document the
 *   projector saw, so a stale or repeated event changes nothing;
 * - expected revision -1: `insertOne(doc)` — a duplicate key on `_id` means the document is already
 *   there (a repeated event) and is the no-op; a duplicate on any other unique index is a real error.
 * Bulk writes send the same operations as one ordered `bulkWrite`; an `_id` duplicate stops an ordered
 * batch, so the rest of the batch is sent again from just after it.
 */
import {
  MongoBulkWriteError,
  MongoServerError,
  type AnyBulkWriteOperation,
  type BulkWriteOptions,
  type Collection,
  type InsertOneOptions,
  type ReplaceOptions,
} from 'mongodb';
import type { ReadDocument, ReplaceOne } from '../../../application/ports/read-store.port';

const DUPLICATE_KEY = 11000;

/** True for E11000 on the `_id` index (the server names the index in the message, `keyPattern` too). */
export function isIdDuplicate(code: unknown, message: string | undefined, keyPattern?: unknown): boolean {
  if (code !== DUPLICATE_KEY) return false;
  if (keyPattern !== null && typeof keyPattern === 'object') {
    const keys = Object.keys(keyPattern);
    return keys.length === 1 && keys[0] === '_id';
  }
  return /index: _id_ /.test(message ?? '');
}

/** The bulk operation of one guarded replace. */
export function guardedOperation(write: ReplaceOne): AnyBulkWriteOperation<ReadDocument> {
  const { doc, expectedRevision } = write;
  if (expectedRevision === -1) return { insertOne: { document: doc } };
  return { replaceOne: { filter: { _id: doc._id, revision: expectedRevision }, replacement: doc } };
}

/** One guarded replace; resolves true when the document was written. */
export async function replaceGuarded(
  collection: Collection<ReadDocument>,
  doc: ReadDocument,
  expectedRevision: number,
  signal?: AbortSignal,
): Promise<boolean> {
  // mongodb 7.9 honours `signal` on every operation it executes, though its write options do not say so.
  const options = (signal ? { signal } : {}) as InsertOneOptions & ReplaceOptions;
  if (expectedRevision === -1) {
    try {
      await collection.insertOne(doc, options);
      return true;
    } catch (error) {
      if (error instanceof MongoServerError && isIdDuplicate(error.code, error.message, error.keyPattern)) {
        return false;
      }
      throw error;
    }
  }
  const result = await collection.replaceOne({ _id: doc._id, revision: expectedRevision }, doc, options);
  return result.matchedCount === 1;
}

/** Guarded replaces as ordered bulk writes; resolves how many were written. */
export async function replaceManyGuarded(
  collection: Collection<ReadDocument>,
  writes: readonly ReplaceOne[],
  signal?: AbortSignal,
): Promise<number> {
  const options = { ordered: true, ...(signal ? { signal } : {}) } as BulkWriteOptions;
  const operations = writes.map(guardedOperation);
  let written = 0;
  let from = 0;
  while (from < operations.length) {
    const batch = operations.slice(from);
    try {
      const result = await collection.bulkWrite(batch, options);
      return written + result.insertedCount + result.matchedCount;
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw error;
      // Not a server's answer but the driver's own failure (a lost connection): that is the error.
      const wrapped = driverErrorInBulk(error);
      if (wrapped !== null) throw wrapped;
      const failures = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      const first = failures[0];
      if (first === undefined || !isIdDuplicate(first.code, first.errmsg)) throw error;
      written += error.result.insertedCount + error.result.matchedCount;
      from += first.index + 1;
    }
  }
  return written;
}

/**
 * The driver's own error inside a MongoBulkWriteError, when the bulk write failed for a reason of the
 * driver's: mongodb 7.9 wraps it whole as the error's `errorResponse` and copies none of its labels, so
 * the retry would not take a lost connection for one. Null for a server's answer (write errors, a write
 * concern error).
 */
function driverErrorInBulk(error: MongoBulkWriteError): Error | null {
  const response = (error as { errorResponse?: unknown }).errorResponse;
  return response instanceof Error ? response : null;
}
