/**
 * Riding out a lost MongoDB connection. The driver itself retries a read or write once; when the
 * server stays away longer (a restart, a failover, a network blip), each read-store operation is
 * tried again a bounded number of times with exponential backoff. Only connection failures are
 * retried — a server's answer (a duplicate key, a bad query) is final. Every read-store operation is
 * safe to repeat: reads trivially, writes because they are revision-guarded (a repeated replace no
 * longer matches its expected revision, a repeated insert meets its own `_id`).
 */
import { MongoError, MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import { StoreUnavailable } from '../../../application/ports/store-unavailable';

export interface RetryPolicy {
  /** Tries in all (the first one included). */
  attempts: number;
  /**
   * Tries for a read (default: 2). A query waits for an answer, so it gives up sooner; the projections
   * wait for the store themselves (StoreUnavailable), so their reads need no more.
   */
  readAttempts?: number;
  /** Pause before the second try; doubled before each further one. */
  baseDelayMs: number;
  /** No pause is longer than this. */
  maxDelayMs: number;
}

/**
 * Writes: 5 tries, pausing 200 ms, 400 ms, 800 ms, 1.6 s (on top of each try's server selection
 * timeout); reads: 2 tries.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 5,
  readAttempts: 2,
  baseDelayMs: 200,
  maxDelayMs: 2000,
};

/**
 * A cleared pool, or a client closed under an operation: the store replaces a client whose monitor
 * stopped (mongodb-read-store.ts), and what was in flight on the old one is tried again on the new.
 * (When the store itself is closed, the retries stop.)
 */
const CLOSED_CLIENT_ERRORS = new Set([
  'MongoPoolClearedError',
  'MongoTopologyClosedError',
  'MongoClientClosedError',
]);

/** Labels the driver puts on errors that mean "the connection, not the operation, failed". */
const CONNECTION_LABELS = ['ResetPool', 'RetryableWriteError', 'PoolRequestedRetry'];

/**
 * No connection of the pool came free within `waitQueueTimeoutMS`: every one is busy with an operation
 * the server has not answered (a stalled server or network). Not the operation's fault: tried again,
 * then StoreUnavailable. (It reached clients as INTERNAL, and stopped the projections.)
 */
const WAIT_QUEUE_TIMEOUT = 'MongoWaitQueueTimeoutError';

/**
 * Node's own socket errors, which reach the caller unwrapped on some of the driver's roads (a write to a
 * socket the server had just closed: "This socket has been ended by the other party", EPIPE).
 */
const SOCKET_ERROR_CODES = new Set([
  'EPIPE',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ERR_STREAM_DESTROYED',
]);

/**
 * An attempt the store gave up waiting for: its client was replaced, or it had no answer within its
 * bound. It is tried again like a lost connection (every read-store operation is safe to repeat).
 */
export class AttemptAbandoned extends Error {
  override readonly name = 'AttemptAbandoned';
}

/**
 * One attempt of `operation`, given a signal that aborts when `gone` does (any of them: the attempt's
 * client was replaced, the store closed, the caller gave up) or after `boundMs` (null: no bound); the attempt then rejects at once
 * with AttemptAbandoned, whatever the driver makes of the signal. The driver (mongodb 7.9) can leave an
 * operation pending for good: a command written to a socket already destroyed waits for a `drain` that
 * never comes, and neither closing the client nor clearing its pool ends that wait (a large write
 * waits for `drain` too, so a projection batch sent as the client was replaced hung for good). The
 * driver honours the signal where it can (it then closes the connection), so an abandoned attempt
 * does not keep holding one.
 */
export function abandonable<T>(
  operation: (signal: AbortSignal) => Promise<T>,
  gone: AbortSignal | readonly AbortSignal[],
  boundMs: number | null,
): Promise<T> {
  // Several signals are listened to one by one and let go after, not joined with AbortSignal.any:
  // joined to the store's long-lived signal, each /health probe left an entry on it until the client
  // was replaced (17 MB after 300k probes).
  const signals = Array.isArray(gone) ? (gone as readonly AbortSignal[]) : [gone as AbortSignal];
  const already = signals.find((signal) => signal.aborted);
  if (already) return Promise.reject(new AttemptAbandoned(describe(already.reason)));
  const controller = new AbortController();
  const listeners = signals.map((signal) => {
    const onGone = (): void => controller.abort(new AttemptAbandoned(describe(signal.reason)));
    signal.addEventListener('abort', onGone, { once: true });
    return () => signal.removeEventListener('abort', onGone);
  });
  const timer =
    boundMs === null
      ? null
      : setTimeout(() => controller.abort(new AttemptAbandoned(`no answer within ${boundMs} ms`)), boundMs);
  timer?.unref();
  return new Promise<T>((resolve, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
    operation(controller.signal).then(resolve, reject);
  }).finally(() => {
    for (const stopListening of listeners) stopListening();
    if (timer !== null) clearTimeout(timer);
  });
}

/** True for failures to reach the server (lost socket, no server selectable, cleared pool). */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof AttemptAbandoned) return true;
  if (error instanceof MongoNetworkError || error instanceof MongoServerSelectionError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === 'string' && SOCKET_ERROR_CODES.has(code)) return true;
  if (!(error instanceof MongoError)) return false;
  return (
    error.name === WAIT_QUEUE_TIMEOUT ||
    CLOSED_CLIENT_ERRORS.has(error.name) ||
    CONNECTION_LABELS.some((label) => error.hasErrorLabel(label))
  );
}

/** What /health reports about the read store's connection. */
export interface ReadStoreConnectionHealth {
  connected: boolean;
  /** The last connection failure, while not connected. */
  reason?: string;
}

/** Follows whether MongoDB answers, from operations and from the driver's heartbeats. */
export class ConnectionState {
  private failure: string | null = 'not connected yet';
  /** How many times the connection was seen failing: what came back may not be what was there. */
  downs = 0;

  up(): void {
    this.failure = null;
  }

  down(reason: string): void {
    this.failure = reason;
    this.downs++;
  }

  current(): ReadStoreConnectionHealth {
    return this.failure === null ? { connected: true } : { connected: false, reason: this.failure };
  }
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Runs `operation`, retrying connection failures under `policy` and keeping `state` in step; once the
 * tries are spent, StoreUnavailable (the driver's error as its cause). `stopped()` ends the retrying
 * early (store closed). A read takes `policy.readAttempts` tries.
 */
export async function withRetry<T>(
  operation: () => Promise<T>,
  policy: RetryPolicy,
  state: ConnectionState,
  stopped: () => boolean = () => false,
  kind: 'read' | 'write' = 'write',
): Promise<T> {
  const attempts = kind === 'read' ? (policy.readAttempts ?? 2) : policy.attempts;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await operation();
      state.up();
      return result;
    } catch (error) {
      if (!isConnectionError(error)) {
        if (error instanceof MongoError && 'code' in error && typeof error.code === 'number') state.up();
        throw error;
      }
      const reason = `MongoDB unreachable: ${describe(error)}`;
      state.down(reason);
      if (attempt >= attempts || stopped())
        throw new StoreUnavailable('read store', reason, { cause: error });
      const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
