import { EventData } from '../../../application/ports/event-store.port';
import { hashEventId, prepareEvent, PreparedEvent, recordLength, writeRecord } from './log-record';

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
 * one flagged as the end of the append). Each event's JSON is produced exactly once, and all
 * sizes are checked before anything is written, so a bad event throws before any state changes.
 */
export function encodeAppend(
  streamId: string,
  events: EventData[],
  firstRevision: number,
  created: number,
): EncodedAppend {
  const streamIdBytes = Buffer.byteLength(streamId);
  const prepared: PreparedEvent[] = new Array<PreparedEvent>(events.length);
  const recordOffsets: number[] = new Array<number>(events.length);
  let total = 0;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    prepared[i] = prepareEvent(event.id, event.type, event.data, event.metadata);
    recordOffsets[i] = total;
    total += recordLength(streamIdBytes, prepared[i]);
  }
  const buffer = Buffer.allocUnsafe(total);
  const idHashes: number[] = new Array<number>(events.length);
  for (let i = 0; i < events.length; i++) {
    writeRecord(
      buffer,
      recordOffsets[i],
      streamId,
      prepared[i],
      firstRevision + i,
      created,
      i === events.length - 1,
    );
    idHashes[i] = hashEventId(prepared[i].id);
  }
  return { buffer, recordOffsets, idHashes };
}
