/**
 * Which failures the MongoDB read store takes for "the server is away" (waited out and retried, the
 * projections keep their batch) rather than a fault of the operation (which stops the projections).
 */
import { MongoNetworkError, MongoServerError } from 'mongodb';
import { isConnectionError } from '../../src/infrastructure/read-store/mongodb/connection-retry';

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
