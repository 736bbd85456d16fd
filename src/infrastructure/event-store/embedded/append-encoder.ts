import { EventData } from '../../../application/ports/event-store.port';
import { hashEventId, maxRecordLength, prepareEvent, PreparedEvent, writeRecord } from './log-record';

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
  const buffer = Buffer.allocUnsafe(capacity);
  const recordOffsets: number[] = new Array<number>(count);
  const idHashes: number[] = new Array<number>(count);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    recordOffsets[i] = offset;
    offset += writeRecord(buffer, offset, streamId, prepared[i], firstRevision + i, created, i === count - 1);
    idHashes[i] = hashEventId(prepared[i].id);
  }
  return { buffer: buffer.subarray(0, offset), recordOffsets, idHashes };
}
