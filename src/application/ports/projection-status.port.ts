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
  /** The projection's state for GET /health (200 when `ok`, 503 with `reason` otherwise). */
  health(): ProjectionHealth;
  /** Builds fresh read models from the whole event store and switches over to them once caught up. */
  rebuild(): Promise<void>;
}
