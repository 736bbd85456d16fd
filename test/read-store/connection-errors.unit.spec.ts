/**
 * Which failures the MongoDB read store takes for "the server is away" (waited out and retried, the
 * projections keep their batch) rather than a fault of the operation (which stops the projections).
 */
import { getEventListeners } from 'node:events';
import { MongoNetworkError, MongoServerError } from 'mongodb';
import {
  abandonable,
  AttemptAbandoned,
  isConnectionError,
} from '../../src/infrastructure/read-store/mongodb/connection-retry';

const socketError = (code: string, message: string): Error => Object.assign(new Error(message), { code });

describe('MongoDB connection errors', () => {
  it("takes Node's own socket errors, which some driver roads pass on unwrapped, for the server being away", () => {
    // Seen when the server restarted under load: the projections stopped for good on it.
    expect(isConnectionError(socketError('EPIPE', 'This socket has been ended by the other party'))).toBe(
      true,
    );
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ERR_STREAM_DESTROYED']) {
      expect(isConnectionError(socketError(code, code))).toBe(true);
    }
    expect(isConnectionError(new MongoNetworkError('connection closed'))).toBe(true);
  });

  it('does not take faults of the operation for an outage', () => {
    expect(isConnectionError(new MongoServerError({ message: 'E11000 duplicate key', code: 11000 }))).toBe(
      false,
    );
    expect(isConnectionError(socketError('ENOENT', 'no such file'))).toBe(false);
    expect(isConnectionError(new TypeError('x is undefined'))).toBe(false);
    expect(isConnectionError({ code: 'EPIPE' })).toBe(false);
  });
});

describe('an abandonable attempt', () => {
  it("is given up when any of its signals aborts, and leaves no listener on the store's long-lived one", async () => {
    const clientGone = new AbortController();
    for (let i = 0; i < 50; i++) {
      const probe = new AbortController();
      await expect(abandonable(async () => 'pong', [clientGone.signal, probe.signal], 2_000)).resolves.toBe(
        'pong',
      );
    }
    // /health gives up on a probe that gets no answer: the attempt ends at once, its signal aborted.
    const probe = new AbortController();
    let attemptSignal: AbortSignal | undefined;
    const pending = abandonable(
      (signal) => {
        attemptSignal = signal;
        return new Promise<never>(() => undefined);
      },
      [clientGone.signal, probe.signal],
      null,
    );
    probe.abort(new Error('no answer within 2000 ms'));
    const refused = await pending.catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AttemptAbandoned);
    expect((refused as Error).message).toMatch(/no answer within 2000 ms/);
    expect(attemptSignal?.aborted).toBe(true);
    expect(getEventListeners(clientGone.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(probe.signal, 'abort')).toHaveLength(0);
  });
});
