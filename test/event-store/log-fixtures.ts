/** What the embedded event store's tests share: events, planted records, reading everything. */
import { randomUUID } from 'node:crypto';
import type { EventData } from '../../src/application/ports/event-store.port';
import {
  maxRecordLength,
  prepareEvent,
  writeRecord,
} from '../../src/infrastructure/event-store/embedded/log-record';

export const LOG_FILE = 'events.log';

export function event(type: string, data: unknown): EventData {
  return { id: randomUUID(), type, data, metadata: { by: 'test' } };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** A complete, checksummed record as the store would write it (to plant an unfinished append). */
export function plantedRecord(streamId: string, revision: number, lastOfAppend: boolean): Buffer {
  const prepared = prepareEvent(randomUUID(), 'Planted', { planted: true }, undefined);
  const buffer = Buffer.alloc(maxRecordLength(streamId, prepared));
  return buffer.subarray(0, writeRecord(buffer, 0, streamId, prepared, revision, Date.now(), lastOfAppend));
}

export function lengthWithoutTrailingZeros(bytes: Buffer): number {
  let length = bytes.length;
  while (length > 0 && bytes[length - 1] === 0) length--;
  return length;
}
