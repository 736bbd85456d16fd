/** Waiting between retries after a concurrent write, so that racing writers spread out instead of colliding again. */

export interface BackoffOptions {
  /** Delay ceiling of the first retry, in milliseconds. */
  baseMs: number;
  /** Largest delay ceiling, in milliseconds. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 5, capMs: 250 };

/**
 * Exponential backoff with full jitter: a random delay in [0, min(cap, base·2^(attempt−1))].
 * Full jitter (rather than a fixed step) keeps writers that failed together from retrying together.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.random() * ceiling;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
