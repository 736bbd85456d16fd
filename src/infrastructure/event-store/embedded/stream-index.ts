/** How far apart (in bytes) the sampled record starts are that let a read find a record boundary. */
const SAMPLE_EVERY_BYTES = 64 * 1024;

/** One stream's index: [position of revision 0, id hash of revision 0, position of revision 1, ...]. */
export type StreamEntries = number[];

/** The last revision held in a stream's entries, or -1. */
export function lastRevisionIn(entries: StreamEntries | undefined): number {
  return entries === undefined ? -1 : entries.length / 2 - 1;
}

/**
 * The newest revision from `oldest` up whose id fingerprint is `hash` and for which
 * `confirm(revision)` holds, or -1.
 */
export function findRevisionIn(
  entries: StreamEntries | undefined,
  hash: number,
  oldest: number,
  confirm: (revision: number) => boolean,
): number {
  if (entries === undefined) return -1;
  for (let i = entries.length - 1; i >= oldest * 2 + 1; i -= 2) {
    if (entries[i] === hash && confirm((i - 1) / 2)) return (i - 1) / 2;
  }
  return -1;
}

/**
 * The in-memory index of the log: for each stream, the position and id fingerprint of each
 * revision, and a sparse list of record starts for `$all`. Events themselves stay on disk, so
 * memory grows by ~16 bytes per event plus one small array per stream.
 */
export class StreamIndex {
  private readonly streams = new Map<string, StreamEntries>();
  private readonly samples: number[] = [];
  private nextSampleAt = 0;

  /** Records the next revision of `streamId`; returns that revision. */
  add(streamId: string, position: number, idHash: number): number {
    return this.addTo(streamId, this.streams.get(streamId), position, idHash);
  }

  /**
   * A stream's entries ([position, id hash] per revision), for callers that look at a stream
   * several times per append and want a single map lookup; undefined when the stream is new.
   */
  entriesOf(streamId: string): StreamEntries | undefined {
    return this.streams.get(streamId);
  }

  /** `add` for a stream whose entries were just looked up (undefined: a new stream). */
  addTo(streamId: string, entries: StreamEntries | undefined, position: number, idHash: number): number {
    let list = entries;
    if (list === undefined) {
      list = [];
      this.streams.set(streamId, list);
    }
    list.push(position, idHash);
    this.noteRecordStart(position);
    return list.length / 2 - 1;
  }

  /** Remembers that a record starts at `position` (keeps one every SAMPLE_EVERY_BYTES). */
  noteRecordStart(position: number): void {
    if (position >= this.nextSampleAt) {
      this.samples.push(position);
      this.nextSampleAt = position + SAMPLE_EVERY_BYTES;
    }
  }

  /** The last revision of a stream including not-yet-durable appends, or -1. */
  lastRevision(streamId: string): number {
    const entries = this.streams.get(streamId);
    return entries === undefined ? -1 : entries.length / 2 - 1;
  }

  /** The last revision of a stream whose record starts before `limit`, or -1. */
  lastRevisionBefore(streamId: string, limit: number): number {
    const entries = this.streams.get(streamId);
    if (entries === undefined) return -1;
    let revision = entries.length / 2 - 1;
    while (revision >= 0 && entries[revision * 2] >= limit) revision--;
    return revision;
  }

  /** Position of a revision known to exist. */
  positionOf(streamId: string, revision: number): number {
    return this.streams.get(streamId)![revision * 2];
  }

  /** The greatest sampled record start ≤ `position` (the log's first record when none). */
  boundaryAtOrBefore(position: number, firstRecord: number): number {
    let low = 0;
    let high = this.samples.length - 1;
    let found = firstRecord;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (this.samples[mid] <= position) {
        found = this.samples[mid];
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return Math.max(found, firstRecord);
  }

  /** Forgets the last `count` revisions of a stream (an append that failed before being written). */
  removeLast(streamId: string, count: number): void {
    const entries = this.streams.get(streamId);
    if (entries === undefined) return;
    entries.length = Math.max(0, entries.length - count * 2);
    if (entries.length === 0) this.streams.delete(streamId);
  }
}
