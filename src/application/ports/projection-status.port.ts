/** Injection token for the ProjectionStatus port (implemented by the projection runner). */
export const PROJECTION_STATUS = Symbol('ProjectionStatus');

/** What GET /health reports about the read models. */
export interface ProjectionHealth {
  /** `starting` until the first catch-up with the event store, `failed` once an event could not be applied. */
  status: 'starting' | 'ok' | 'failed';
  /** True once everything stored at start has been applied; what follows is live. */
  caughtUp: boolean;
  /** The `$all` position applied up to, as a decimal string; null before the first event. */
  checkpoint: string | null;
  /** Why the projection stopped (status `failed`). */
  reason?: string;
}

/** The read models' progress: read-your-writes, health and rebuilds. */
export interface ProjectionStatus {
  /**
   * Resolves true once the read models include every event up to `position` (a command's result),
   * false after `timeoutMs` or when the projection has failed.
   */
  waitForPosition(position: bigint, timeoutMs: number): Promise<boolean>;
  /**
   * Resolves true once the read models have caught up with what the event store held at start (at once
   * ever after), false after `timeoutMs` or when the projection failed first.
   */
  whenCaughtUp(timeoutMs: number): Promise<boolean>;
  /** The projection's state for GET /health (200 when `ok`, 503 with `reason` otherwise). */
  health(): ProjectionHealth;
  /** Builds fresh read models from the whole event store and switches over to them once caught up. */
  rebuild(): Promise<void>;
}

/**
 * A query before the read models have caught up after a start (or when they stopped before that), or
 * when the read store came back without them (an empty database behind the same address): answering it
 * would show a partial picture, or nothing, as if it were complete.
 */
export class ReadModelsNotReady extends Error {
  constructor(why: 'starting' | 'stopped' | 'lost' = 'starting') {
    super(
      why === 'stopped'
        ? 'The read models stopped before they were restored; an operator must look (GET /health says why)'
        : why === 'lost'
          ? 'The read store answered without the read models (an empty database behind its address?); try again shortly, once they are projected again'
          : 'The read models are still being restored after a start; try again shortly (GET /health says when)',
    );
    this.name = 'ReadModelsNotReady';
  }
}

/** Waits (up to `timeoutMs`) for the read models' first catch-up; ReadModelsNotReady if it does not come. */
export async function readModelsReady(status: ProjectionStatus, timeoutMs: number): Promise<void> {
  if (!(await status.whenCaughtUp(timeoutMs))) {
    throw new ReadModelsNotReady(status.health().status === 'failed' ? 'stopped' : 'starting');
  }
}
