import { EventData } from '../../../application/ports/event-store.port';
import { hashEventId, maxRecordLength, prepareEvent, PreparedEvent, writeRecord } from './log-record';

/** Appends are carved out of slabs of this size (bigger ones get their own buffer). */
const SLAB_BYTES = 256 * 1024;
let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let slabUsed = 0;

/** Room for `capacity` bytes: the rest of the current slab, a new slab, or a buffer of its own. */
function reserve(capacity: number): Buffer {
  if (capacity > SLAB_BYTES / 4) return Buffer.allocUnsafe(capacity);
  if (slabUsed + capacity > SLAB_BYTES) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    slabUsed = 0;
  }
  return slab.subarray(slabUsed, slabUsed + capacity);
}

/** Keeps the first `used` bytes of a buffer from `reserve` (8-byte aligned, so numbers stay aligned). */
function commit(buffer: Buffer, used: number): Buffer {
  if (buffer.buffer === slab.buffer) slabUsed += (used + 7) & ~7;
  return buffer.subarray(0, used);
}

/** The records of one append, ready to be queued for the log. */
export interface EncodedAppend {
  buffer: Buffer;
  /** Offset of each event's record in `buffer`. */
  recordOffsets: number[];
  /** Fingerprint of each event's id, for the index. */
  idHashes: number[];
}

/**
 * Encodes an append's events as consecutive records (revisions from `firstRevision`, the last
 * one flagged as the end of the append). Each event's JSON is produced exactly once; a bad
 * event (not serialisable, a name too long) throws before the caller changes any state.
 */
export function encodeAppend(
  streamId: string,
  events: EventData[],
  firstRevision: number,
  created: number,
): EncodedAppend {
  const count = events.length;
  const prepared: PreparedEvent[] = new Array<PreparedEvent>(count);
  let capacity = 0;
  for (let i = 0; i < count; i++) {
    const event = events[i];
    prepared[i] = prepareEvent(event.id, event.type, event.data, event.metadata);
    capacity += maxRecordLength(streamId, prepared[i]);
  }
  const buffer = reserve(capacity);
  const recordOffsets: number[] = new Array<number>(count);
  const idHashes: number[] = new Array<number>(count);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    recordOffsets[i] = offset;
    offset += writeRecord(buffer, offset, streamId, prepared[i], firstRevision + i, created, i === count - 1);
    idHashes[i] = hashEventId(prepared[i].id);
  }
  return { buffer: commit(buffer, offset), recordOffsets, idHashes };
}
