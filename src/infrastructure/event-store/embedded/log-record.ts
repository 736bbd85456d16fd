import { crc32 } from 'node:zlib';
import { RecordedEvent } from '../../../application/ports/event-store.port';

/**
 * The on-disk format of one event in the append-only log (all integers little-endian):
 *
 * ```
 *  0 u32 record length L (header + payload + trailer)
 *  4 u32 CRC-32 of bytes [8, L-4)
 *  8 u8  flags: bit0 = last event of its append (an append is atomic: recovery drops an
 *        append whose last record is missing), bit1 = no data, bit2 = no metadata
 *  9 u8  format version (1)
 * 10 u16 stream name bytes   12 u16 event id bytes   14 u16 event type bytes
 * 16 u32 stream revision     20 f64 created (ms since epoch)
 * 28 u32 data bytes          32 u32 metadata bytes
 * 36 stream name, event id, type, data JSON, metadata JSON (UTF-8)
 * L-4 u32 record length again, so the log can be read backwards
 * ```
 *
 * A record's global position is its byte offset in the log file.
 */
export const RECORD_HEADER_BYTES = 36;
export const RECORD_TRAILER_BYTES = 4;
export const RECORD_OVERHEAD = RECORD_HEADER_BYTES + RECORD_TRAILER_BYTES;
const FORMAT_VERSION = 1;

export const FLAG_LAST_OF_APPEND = 1;
const FLAG_NO_DATA = 2;
const FLAG_NO_METADATA = 4;

const MAX_NAME_BYTES = 0xffff;
export const MAX_REVISION = 0xfffffffe;

/** The log file starts with this header, so a foreign file is never mistaken for a log. */
export const LOG_MAGIC = Buffer.from('TKTEVLOG\u0001\0\0\0\0\0\0\0', 'latin1');
export const LOG_HEADER_BYTES = LOG_MAGIC.length;

/** One event prepared for the log: its JSON is produced once, here, and never again. */
export interface PreparedEvent {
  id: string;
  type: string;
  data: string | undefined;
  metadata: string | undefined;
}

/** The fields of a record that indexes need, read without parsing JSON. */
export interface RecordHeader {
  length: number;
  lastOfAppend: boolean;
  revision: number;
  streamId: string;
  idHash: number;
}

/** Stringifies an event's data and metadata (`undefined` is kept apart from `null`). */
export function prepareEvent(id: string, type: string, data: unknown, metadata: unknown): PreparedEvent {
  return {
    id,
    type,
    data: data === undefined ? undefined : JSON.stringify(data),
    metadata: metadata === undefined ? undefined : JSON.stringify(metadata),
  };
}

/** A cheap 32-bit fingerprint (FNV-1a over UTF-16 code units) of an event id; the full id is compared on a match. */
export function hashEventId(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** An upper bound of the bytes the record takes (UTF-8 needs at most 3 bytes per UTF-16 unit). */
export function maxRecordLength(streamId: string, event: PreparedEvent): number {
  const units =
    streamId.length +
    event.id.length +
    event.type.length +
    (event.data === undefined ? 0 : event.data.length) +
    (event.metadata === undefined ? 0 : event.metadata.length);
  return RECORD_OVERHEAD + 3 * units;
}

/**
 * Writes a complete, checksummed record into `buf` at `offset` and returns its length.
 * `buf` must hold `maxRecordLength(...)` bytes from `offset`. Throws a RangeError (having
 * written only into `buf`) when a name is too long.
 */
export function writeRecord(
  buf: Buffer,
  offset: number,
  streamId: string,
  event: PreparedEvent,
  revision: number,
  created: number,
  lastOfAppend: boolean,
): number {
  const data = event.data ?? '';
  const metadata = event.metadata ?? '';
  // One UTF-8 write for all the strings; when every character took one byte (ASCII, the usual
  // case) each part's byte length is its string length, otherwise the parts are measured.
  const text = streamId + event.id + event.type + data + metadata;
  const payloadStart = offset + RECORD_HEADER_BYTES;
  const written = buf.write(text, payloadStart);
  const ascii = written === text.length;
  const streamBytes = ascii ? streamId.length : Buffer.byteLength(streamId);
  const idBytes = ascii ? event.id.length : Buffer.byteLength(event.id);
  const typeBytes = ascii ? event.type.length : Buffer.byteLength(event.type);
  const dataBytes = ascii ? data.length : Buffer.byteLength(data);
  const metadataBytes = ascii ? metadata.length : Buffer.byteLength(metadata);
  if (streamBytes > MAX_NAME_BYTES || idBytes > MAX_NAME_BYTES || typeBytes > MAX_NAME_BYTES) {
    throw new RangeError('Stream name, event id and event type must each be at most 65535 bytes');
  }
  const at = payloadStart + written;
  const length = at + RECORD_TRAILER_BYTES - offset;
  const flags =
    (lastOfAppend ? FLAG_LAST_OF_APPEND : 0) |
    (event.data === undefined ? FLAG_NO_DATA : 0) |
    (event.metadata === undefined ? FLAG_NO_METADATA : 0);
  buf.writeUInt32LE(length, offset);
  buf[offset + 8] = flags;
  buf[offset + 9] = FORMAT_VERSION;
  buf.writeUInt16LE(streamBytes, offset + 10);
  buf.writeUInt16LE(idBytes, offset + 12);
  buf.writeUInt16LE(typeBytes, offset + 14);
  buf.writeUInt32LE(revision, offset + 16);
  buf.writeDoubleLE(created, offset + 20);
  buf.writeUInt32LE(dataBytes, offset + 28);
  buf.writeUInt32LE(metadataBytes, offset + 32);
  buf.writeUInt32LE(length, at);
  buf.writeUInt32LE(crc32(buf.subarray(offset + 8, at)), offset + 4);
  return length;
}

/**
 * The length of the record at `offset` if the bytes there form a complete record with a valid
 * checksum, else `undefined` (a torn or corrupt record). `available` bytes follow `offset`.
 */
export function validRecordLength(buf: Buffer, offset: number, available: number): number | undefined {
  if (available < RECORD_OVERHEAD) return undefined;
  const length = buf.readUInt32LE(offset);
  if (length < RECORD_OVERHEAD || length > available) return undefined;
  if (buf[offset + 9] !== FORMAT_VERSION) return undefined;
  if (buf.readUInt32LE(offset + length - 4) !== length) return undefined;
  if (crc32(buf.subarray(offset + 8, offset + length - 4)) !== buf.readUInt32LE(offset + 4)) return undefined;
  return length;
}

/** The indexing fields of a record already known to be valid. */
export function readRecordHeader(buf: Buffer, offset: number): RecordHeader {
  const streamBytes = buf.readUInt16LE(offset + 10);
  const idBytes = buf.readUInt16LE(offset + 12);
  const at = offset + RECORD_HEADER_BYTES;
  return {
    length: buf.readUInt32LE(offset),
    lastOfAppend: (buf[offset + 8] & FLAG_LAST_OF_APPEND) !== 0,
    revision: buf.readUInt32LE(offset + 16),
    streamId: buf.toString('utf8', at, at + streamBytes),
    idHash: hashEventId(buf.toString('utf8', at + streamBytes, at + streamBytes + idBytes)),
  };
}

/** The stream name of the record at `offset`. */
export function readStreamId(buf: Buffer, offset: number): string {
  const at = offset + RECORD_HEADER_BYTES;
  return buf.toString('utf8', at, at + buf.readUInt16LE(offset + 10));
}

/** Whether the record at `offset` belongs to a system stream (name starts with `$`). */
export function isSystemRecord(buf: Buffer, offset: number): boolean {
  return buf.readUInt16LE(offset + 10) > 0 && buf[offset + RECORD_HEADER_BYTES] === 0x24;
}

/** The event type of the record at `offset`. */
export function readEventType(buf: Buffer, offset: number): string {
  const at = offset + RECORD_HEADER_BYTES + buf.readUInt16LE(offset + 10) + buf.readUInt16LE(offset + 12);
  return buf.toString('utf8', at, at + buf.readUInt16LE(offset + 14));
}

/** The event id of the record at `offset`. */
export function readEventId(buf: Buffer, offset: number): string {
  const at = offset + RECORD_HEADER_BYTES + buf.readUInt16LE(offset + 10);
  return buf.toString('utf8', at, at + buf.readUInt16LE(offset + 12));
}

/** Decodes the record at `offset` (found at log `position`) into the port's shape, parsing its JSON. */
export function decodeRecord(buf: Buffer, offset: number, position: number): RecordedEvent {
  const flags = buf[offset + 8];
  const streamBytes = buf.readUInt16LE(offset + 10);
  const idBytes = buf.readUInt16LE(offset + 12);
  const typeBytes = buf.readUInt16LE(offset + 14);
  const dataBytes = buf.readUInt32LE(offset + 28);
  const metadataBytes = buf.readUInt32LE(offset + 32);
  let at = offset + RECORD_HEADER_BYTES;
  const streamId = buf.toString('utf8', at, (at += streamBytes));
  const id = buf.toString('utf8', at, (at += idBytes));
  const type = buf.toString('utf8', at, (at += typeBytes));
  const data = flags & FLAG_NO_DATA ? undefined : JSON.parse(buf.toString('utf8', at, at + dataBytes));
  at += dataBytes;
  const metadata =
    flags & FLAG_NO_METADATA ? undefined : JSON.parse(buf.toString('utf8', at, at + metadataBytes));
  return {
    streamId,
    id,
    type,
    revision: buf.readUInt32LE(offset + 16),
    position: BigInt(position),
    data,
    metadata,
    created: new Date(buf.readDoubleLE(offset + 20)),
  };
}
