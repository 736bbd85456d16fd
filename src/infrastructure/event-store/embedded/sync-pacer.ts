import { performance } from 'node:perf_hooks';

/** Smoothing of the measured sync and busy times (weight of the newest sample). */
const SMOOTHING = 0.1;
/** Hysteresis: split when a turn's busy time exceeds the sync by this factor, merge below the second. */
const SPLIT_ABOVE = 1.25;
const MERGE_BELOW = 0.8;
/** Fewer appends than this per turn are never split: there is too little to overlap. */
const MIN_SPLIT_WRITERS = 4;

/**
 * Decides whether the group-commit log syncs all waiting appends at once or alternates two
 * halves, from what it measures: how long a sync takes (S) and how long the main thread is busy
 * between two syncs (the writers taking their acknowledgement and making their next append).
 *
 * When that busy time for all writers (a "turn", T) is short, one batch per turn is best: the
 * disk waits T, then syncs everything (period S + T). When T exceeds S the disk sits idle most
 * of the cycle, so the writers are split in two halves that take turns: one half's sync runs
 * while the other half's writers work, and the period falls to max(S, T/2). Splitting wins
 * exactly when T > S, so that is the test, with some hysteresis so noise does not flap it.
 */
export class SyncPacer {
  private syncMs = 0;
  private turnMs = 0;
  private lastBusyMs: number;
  private previousBatch = 0;
  private splitting = false;
  private limit = Infinity;

  /** `busyClock`: the main thread's total busy time so far, in ms (default: the event loop's active time). */
  constructor(private readonly busyClock: () => number = eventLoopBusyMs) {
    this.lastBusyMs = busyClock();
  }

  /** Whether the writers are currently split into two alternating halves. */
  get split(): boolean {
    return this.splitting;
  }

  /** How many queued appends one sync takes: half the writers when split, else all of them. */
  get batchLimit(): number {
    return this.limit;
  }

  /** Records a finished sync of `synced` appends that took `syncMs`, with `waiting` appends queued meanwhile. */
  synced(syncMs: number, synced: number, waiting: number): void {
    const busy = this.busyClock();
    const busyMs = busy - this.lastBusyMs;
    this.lastBusyMs = busy;
    const writers = synced + waiting;
    // Since the previous sync ended, the main thread served the writers acknowledged then
    // (`previousBatch` of them); scaled to all writers, that is one turn.
    const turnMs = this.previousBatch > 0 ? (busyMs * writers) / this.previousBatch : busyMs;
    this.previousBatch = synced;
    this.syncMs = smooth(this.syncMs, syncMs);
    this.turnMs = smooth(this.turnMs, turnMs);
    if (writers < MIN_SPLIT_WRITERS) this.splitting = false;
    else if (!this.splitting) this.splitting = this.turnMs > SPLIT_ABOVE * this.syncMs;
    else this.splitting = this.turnMs >= MERGE_BELOW * this.syncMs;
    this.limit = this.splitting ? Math.ceil(writers / 2) : Infinity;
  }
}

function eventLoopBusyMs(): number {
  return performance.eventLoopUtilization().active;
}

function smooth(previous: number, sample: number): number {
  return previous === 0 ? sample : previous + SMOOTHING * (sample - previous);
}
