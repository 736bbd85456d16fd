import * as fs from 'node:fs';

/** Zeros are written this much at a time... */
const CHUNK_BYTES = 256 * 1024;
/** ...to keep at least this much zeroed file ahead of the log's end. */
const LEAD_BYTES = 2 * 1024 * 1024;
let zeros: Buffer | undefined;

/**
 * Keeps a zero-filled stretch of file ahead of the log's end. Syncing data written over blocks
 * that already exist is a plain data flush; syncing data that grows the file also has to commit
 * the file system's journal (new blocks, new size), which costs about 40% more per sync on the
 * disks measured here (see the README's benchmarks). The zeros go out with the next batch's
 * sync, one chunk per batch at most, so the cost is spread thin.
 *
 * The zeroed tail is harmless on disk: a record never starts with a zero length, so a scan of
 * the log stops there (log-recovery.ts tells it apart from a torn tail). A clean close trims it.
 */
export class LogPreallocation {
  private failed = false;

  constructor(
    private readonly fd: number,
    /** End of the zeroed (or written) part of the file. */
    private allocated: number,
  ) {}

  /** Called before a batch is written up to `end`: zeroes the next chunk when the lead is short. */
  ensure(end: number): void {
    if (this.allocated < end) this.allocated = end;
    if (this.failed || this.allocated >= end + LEAD_BYTES) return;
    zeros ??= Buffer.alloc(CHUNK_BYTES);
    try {
      for (let offset = 0; offset < CHUNK_BYTES;) {
        offset += fs.writeSync(this.fd, zeros, offset, CHUNK_BYTES - offset, this.allocated + offset);
      }
      this.allocated += CHUNK_BYTES;
    } catch {
      // Out of space (or another error) for zeros only: appends go on growing the file, and
      // a real shortage of space fails them on their own write.
      this.failed = true;
    }
  }

  /** Cuts the zeroed tail off, so a cleanly closed log file ends with its last record. */
  trim(end: number): void {
    if (this.allocated > end) {
      fs.ftruncateSync(this.fd, end);
      fs.fdatasyncSync(this.fd);
      this.allocated = end;
    }
  }
}
