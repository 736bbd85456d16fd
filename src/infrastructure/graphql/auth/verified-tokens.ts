import type { Principal } from '../../../application/principal';

/** How many verified tokens are remembered; past it the memory starts over (clients reuse a handful each). */
const CAPACITY = 10_000;
/**
 * Longer tokens are verified every time rather than remembered: a token is the key, and tokens padded
 * with large claims (up to the 16 KB header limit) made the full cache hold about 200 MB.
 */
export const MAX_REMEMBERED_TOKEN_LENGTH = 2_048;

/**
 * Remembers tokens already verified, with their expiry, so a client's repeated requests skip the
 * HMAC check and the JSON parsing. Only successes are kept; an entry is used only before its `exp`.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { principal: Principal; expiresAtMs: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The principal of a token verified before and not yet expired, or undefined. */
  get(token: string): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= this.now()) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.principal;
  }

  /** Remembers a verified token until `expiresAtMs` (tokens without `exp`, or long ones, are not remembered). */
  remember(token: string, principal: Principal, expiresAtMs: number | null): void {
    if (expiresAtMs === null || token.length > MAX_REMEMBERED_TOKEN_LENGTH) return;
    if (this.entries.size >= CAPACITY) this.entries.clear();
    this.entries.set(token, { principal, expiresAtMs });
  }
}

/** The `exp` claim of a JWT that has just been verified, in milliseconds, or null. */
export function expiryOf(token: string): number | null {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : null;
  } catch {
    return null;
  }
}
