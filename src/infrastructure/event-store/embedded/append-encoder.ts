import { EventData } from '../../../application/ports/event-store.port';
import { maxRecordLength, prepareEvent, PreparedEvent, writeRecord } from './log-record';

/** Appends are carved out of slabs of this size (bigger ones get their own buffer). */
const SLAB_BYTES = 256 * 1024;
let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let slabUsed = 0;

/**
 * Encodes an append's events as consecutive records (revisions from `firstRevision`, the last
 * one flagged as the end of the append) and returns them as one buffer; each record starts
 * with its length, so callers walk it to find them. Each event's JSON is produced exactly
 * once; a bad event (not serialisable, a name too long) throws before the caller changes any
 * state. Small appends share slabs, so the hot path allocates no buffer memory of its own, and
 * appends encoded one after another sit back to back in memory as they will on disk.
 */
export function encodeAppend(
  streamId: string,
  events: EventData[],
  firstRevision: number,
  created: number,
): Buffer {
  const count = events.length;
  const prepared: PreparedEvent[] = new Array<PreparedEvent>(count);
  let capacity = 0;
  for (let i = 0; i < count; i++) {
    const event = events[i];
    prepared[i] = prepareEvent(event.id, event.type, event.data, event.metadata);
    capacity += maxRecordLength(streamId, prepared[i]);
  }
  const shared = capacity <= SLAB_BYTES / 4;
  if (shared && slabUsed + capacity > SLAB_BYTES) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    slabUsed = 0;
  }
  const target = shared ? slab : Buffer.allocUnsafe(capacity);
  const start = shared ? slabUsed : 0;
  let offset = start;
  for (let i = 0; i < count; i++) {
    offset += writeRecord(target, offset, streamId, prepared[i], firstRevision + i, created, i === count - 1);
  }
  // The next append follows right behind, so the log can write a run of queued appends
  // straight out of the slab without copying them together.
  if (shared) slabUsed = offset;
  return target.subarray(start, offset);
}
