/** Remembered tokens: reused only until their expiry, only after a successful verification. */
import { signToken } from '../../src/infrastructure/auth/jwt';
import {
  expiryOf,
  MAX_REMEMBERED_TOKEN_LENGTH,
  VerifiedTokens,
} from '../../src/infrastructure/graphql/auth/verified-tokens';

const principal = { id: 'agent_1', name: null, roles: ['AGENT' as const], validatorNumber: null };

describe('VerifiedTokens', () => {
  it('answers a remembered token until its expiry, then forgets it', () => {
    let now = 1_000;
    const tokens = new VerifiedTokens(() => now);
    tokens.remember('t', principal, 2_000);
    expect(tokens.get('t')).toBe(principal);
    now = 2_000;
    expect(tokens.get('t')).toBeUndefined();
    now = 1_500;
    expect(tokens.get('t')).toBeUndefined();
  });

  it('never remembers a token without an expiry, and knows no token it was not given', () => {
    const tokens = new VerifiedTokens();
    tokens.remember('t', principal, null);
    expect(tokens.get('t')).toBeUndefined();
    expect(tokens.get('other')).toBeUndefined();
  });

  it('does not remember a long token (padded with large claims), which would make the cache large', () => {
    const tokens = new VerifiedTokens(() => 1_000);
    const long = `t${'x'.repeat(MAX_REMEMBERED_TOKEN_LENGTH)}`;
    tokens.remember(long, principal, 2_000);
    expect(tokens.get(long)).toBeUndefined();
    tokens.remember('short', principal, 2_000);
    expect(tokens.get('short')).toBe(principal);
  });

  it("reads a signed token's exp claim in milliseconds", () => {
    const token = signToken('a-secret-of-at-least-thirty-two-characters', {
      sub: 'a',
      roles: ['AGENT'],
      expiresIn: 60,
    });
    const exp = expiryOf(token);
    expect(exp).not.toBeNull();
    expect(Math.abs((exp ?? 0) - (Date.now() + 60_000))).toBeLessThan(2_000);
    expect(expiryOf('not.a-token')).toBeNull();
  });
});
