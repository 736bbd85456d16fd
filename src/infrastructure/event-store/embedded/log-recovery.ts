import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  LOG_HEADER_BYTES,
  LOG_MAGIC,
  RECORD_OVERHEAD,
  RecordHeader,
  readRecordHeader,
  validRecordLength,
} from './log-record';
import type { CheckpointState } from './durable-checkpoint';
import { syncDirectory } from './durable-directories';
import { StreamIndex } from './stream-index';

const SCAN_CHUNK_BYTES = 4 * 1024 * 1024;

/** Opens (creating if needed) the log file for reading and writing; a new file's directory entry is made durable. */
export function openLogFile(file: string): number {
  const created = !fs.existsSync(file);
  const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT);
  if (created) syncDirectory(path.dirname(file));
  return fd;
}

/**
 * Whether the file is a new log whose header never reached the disk whole: a crash between creating the
 * file and syncing its header leaves a beginning of the header and zeros (or zeros only, on file systems
 * that fill a torn tail with them). No record is ever written before the header is synced, so such a
 * file holds nothing and is started again. Any other byte means it is some other file, and is refused.
 */
function isTornNewLog(fd: number, size: number): boolean {
  if (size > SCAN_CHUNK_BYTES) return false;
  const bytes = Buffer.alloc(size);
  fs.readSync(fd, bytes, 0, size, 0);
  let header = 0;
  while (header < Math.min(size, LOG_HEADER_BYTES) && bytes[header] === LOG_MAGIC[header]) header++;
  if (header === LOG_HEADER_BYTES) return false;
  for (let i = header; i < size; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** The state of a log after its open-time scan. */
export interface RecoveredLog {
  index: StreamIndex;
  /** End of the last complete append: everything after it was cut off. */
  end: number;
  /** Position of the last record kept, or -1. */
  lastRecordPosition: number;
  /**
   * Bytes of torn or corrupt tail that were cut off, up to the last non-zero one: zeros after
   * it cannot be told from the zero-filled stretch a running store keeps ahead of its end.
   */
  cutBytes: number;
  /** Where the cut bytes were kept (`events.log.cut-<time>`), when there were any. */
  cutSavedTo: string | null;
}

/** What the checkpoint file said at open (durable-checkpoint.ts), and its name for messages. */
export interface AcknowledgedEnd {
  end: number;
  state: CheckpointState;
  file: string;
}

/**
 * Scans the log file `fd` from its header, rebuilding the index, and cuts off whatever
 * follows the last complete append: a half-written record, a record whose checksum fails, the
 * first records of an append whose last record is missing (appends are atomic), and the
 * zero-filled stretch a running store keeps ahead of its end (log-preallocation.ts). Refuses
 * to cut below the acknowledged end, since that would drop acknowledged events.
 *
 * Without a valid checkpoint nothing tells a torn tail from damaged acknowledged events, so nothing
 * but zeros is cut: with the checkpoint file gone (removed, or a backup restored without it) the log
 * opens as it is only when it ends cleanly; with the file damaged, a log holding any record is refused,
 * since a cut at a record boundary would not even show. Cut bytes are kept beside the log.
 */
export function recoverLog(fd: number, file: string, acknowledged: AcknowledgedEnd): RecoveredLog {
  const acknowledgedEnd = acknowledged.end;
  const size = fs.fstatSync(fd).size;
  if (size < acknowledgedEnd) {
    // Shorter than what was acknowledged (emptied or truncated by something else than this store):
    // starting afresh or cutting would drop acknowledged events.
    throw new Error(
      `${file} is ${size} bytes long, shorter than the acknowledged end ${acknowledgedEnd}: ` +
        'acknowledged events are missing; restore the file from a backup (or remove the whole data ' +
        'directory to start empty)',
    );
  }
  // A crash while the log was being created leaves no record in it (the checkpoint is written only
  // after its header is synced); a damaged checkpoint says nothing of the kind.
  const mayBeNew = acknowledged.state === 'absent' || acknowledgedEnd <= LOG_HEADER_BYTES;
  if (size === 0 || (acknowledged.state !== 'damaged' && mayBeNew && isTornNewLog(fd, size))) {
    fs.ftruncateSync(fd, 0);
    fs.writeSync(fd, LOG_MAGIC, 0, LOG_HEADER_BYTES, 0);
    fs.fdatasyncSync(fd);
    return {
      index: new StreamIndex(),
      end: LOG_HEADER_BYTES,
      lastRecordPosition: -1,
      cutBytes: 0,
      cutSavedTo: null,
    };
  }
  const magic = Buffer.alloc(LOG_HEADER_BYTES);
  fs.readSync(fd, magic, 0, LOG_HEADER_BYTES, 0);
  if (size < LOG_HEADER_BYTES || !magic.equals(LOG_MAGIC)) {
    throw new Error(`${file} is not an event log of this store (unknown header)`);
  }
  const index = new StreamIndex();
  let buffer: Buffer = Buffer.alloc(0);
  let bufferStart = 0;
  let position = LOG_HEADER_BYTES;
  let end = LOG_HEADER_BYTES;
  let lastRecordPosition = -1;
  let append: Array<{ header: RecordHeader; position: number }> = [];
  while (position + RECORD_OVERHEAD <= size) {
    if (position + 4 > bufferStart + buffer.length) {
      ({ buffer, bufferStart } = readAt(fd, position, Math.min(SCAN_CHUNK_BYTES, size - position)));
    }
    const length = buffer.readUInt32LE(position - bufferStart);
    if (length < RECORD_OVERHEAD || position + length > size) break;
    if (position + length > bufferStart + buffer.length) {
      ({ buffer, bufferStart } = readAt(
        fd,
        position,
        Math.min(Math.max(SCAN_CHUNK_BYTES, length), size - position),
      ));
    }
    if (
      validRecordLength(buffer, position - bufferStart, bufferStart + buffer.length - position) === undefined
    )
      break;
    const header = readRecordHeader(buffer, position - bufferStart);
    append.push({ header, position });
    position += length;
    if (!header.lastOfAppend) continue;
    if (!isNextAppend(index, append)) break;
    for (const record of append) index.add(record.header.streamId, record.position, record.header.idHash);
    end = position;
    lastRecordPosition = append[append.length - 1].position;
    append = [];
  }
  if (end < acknowledgedEnd) {
    throw new Error(
      `${file} is damaged at byte ${end}, before the acknowledged end ${acknowledgedEnd}: ` +
        'refusing to cut off acknowledged events; restore the file from a backup',
    );
  }
  const cutBytes = end < size ? nonZeroEnd(fd, end, size) - end : 0;
  if (acknowledged.state === 'damaged' && (end > LOG_HEADER_BYTES || cutBytes > 0)) {
    throw new Error(
      `${acknowledged.file} is damaged (it holds no checksummed end) and ${file} holds events: without ` +
        'it the store cannot tell whether acknowledged events at the end of the log were lost. Restore ' +
        `it from the backup ${file} came from, or delete it to open ${file} as it is (every whole ` +
        'record kept, a damaged one refused rather than cut)',
    );
  }
  if (cutBytes > 0 && acknowledged.state !== 'valid') {
    throw new Error(
      `${file} has ${cutBytes} bytes after its last whole record (at byte ${end}) that are not a clean ` +
        `end, and ${acknowledged.file} is missing, so they cannot be told from acknowledged events ` +
        `damaged on disk. Restore ${acknowledged.file} with ${file} from a backup; or, to drop those ` +
        `bytes, truncate ${file} to ${end} bytes (truncate -s ${end} ${file}) and start again`,
    );
  }
  const cutSavedTo = cutBytes > 0 ? keepAside(fd, file, end, end + cutBytes) : null;
  if (end < size) {
    fs.ftruncateSync(fd, end);
  }
  fs.fdatasyncSync(fd);
  return { index, end, lastRecordPosition, cutBytes, cutSavedTo };
}

/**
 * Copies the bytes [from, to) into `<file>.cut-<time>` (synced, with its directory entry) before they
 * are cut off: a torn tail is worthless, but bytes that were events damaged on disk can then still be
 * looked at, and put back by hand.
 */
function keepAside(fd: number, file: string, from: number, to: number): string {
  const aside = `${file}.cut-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const out = fs.openSync(aside, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL);
  try {
    for (let at = from; at < to;) {
      const { buffer } = readAt(fd, at, Math.min(SCAN_CHUNK_BYTES, to - at));
      fs.writeSync(out, buffer);
      at += buffer.length;
    }
    fs.fsyncSync(out);
  } finally {
    fs.closeSync(out);
  }
  syncDirectory(path.dirname(file));
  return aside;
}

/** The offset just after the last non-zero byte in [from, to), or `from` when all are zero. */
function nonZeroEnd(fd: number, from: number, to: number): number {
  for (let chunkEnd = to; chunkEnd > from;) {
    const chunkStart = Math.max(from, chunkEnd - SCAN_CHUNK_BYTES);
    const { buffer } = readAt(fd, chunkStart, chunkEnd - chunkStart);
    for (let i = buffer.length - 1; i >= 0; i--) if (buffer[i] !== 0) return chunkStart + i + 1;
    chunkEnd = chunkStart;
  }
  return from;
}

/** An append is one stream's consecutive revisions, following what the index holds. */
function isNextAppend(index: StreamIndex, append: Array<{ header: RecordHeader }>): boolean {
  const streamId = append[0].header.streamId;
  const first = index.lastRevision(streamId) + 1;
  return append.every(({ header }, i) => header.streamId === streamId && header.revision === first + i);
}

function readAt(fd: number, position: number, length: number): { buffer: Buffer; bufferStart: number } {
  const buffer = Buffer.allocUnsafe(length);
  const got = fs.readSync(fd, buffer, 0, length, position);
  return { buffer: buffer.subarray(0, got), bufferStart: position };
}
