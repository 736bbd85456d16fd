import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { Unauthenticated } from '../../src/application/errors';
import { signToken, verifyToken } from '../../src/infrastructure/auth/jwt';

const SECRET = 'test-secret-that-is-at-least-32-characters';
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

/** A token signed by hand, to send what a well-behaved signer never would. */
function handMade(header: object, payload: object, secret = SECRET): string {
  const body = `${b64url(header)}.${b64url(payload)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

function refusal(token: string, secret = SECRET): Unauthenticated {
  try {
    verifyToken(secret, token);
  } catch (error) {
    expect(error).toBeInstanceOf(Unauthenticated);
    return error as Unauthenticated;
  }
  throw new Error('the token was accepted');
}

describe('bearer tokens', () => {
  it('gives back the caller a signed token names', () => {
    const token = signToken(SECRET, {
      sub: 'kassir_5LE',
      roles: ['REQUESTER'],
      name: 'Анна Кассирова',
      validatorNumber: '995-4731-7',
    });
    expect(verifyToken(SECRET, token)).toEqual({
      id: 'kassir_5LE',
      name: 'Анна Кассирова',
      roles: ['REQUESTER'],
      validatorNumber: '995-4731-7',
    });
  });

  it('leaves name and validator null when the token has none, and keeps several roles once each', () => {
    const token = signToken(SECRET, { sub: 'sup_1', roles: ['SUPERVISOR', 'AGENT', 'AGENT'] });
    expect(verifyToken(SECRET, token)).toEqual({
      id: 'sup_1',
      name: null,
      roles: ['SUPERVISOR', 'AGENT'],
      validatorNumber: null,
    });
  });

  it('signs with HS256 and an expiry (8 hours unless told)', () => {
    const decoded = jwt.decode(signToken(SECRET, { sub: 'a', roles: ['AGENT'] }), { complete: true })!;
    const payload = decoded.payload as jwt.JwtPayload;
    expect(decoded.header.alg).toBe('HS256');
    expect(payload.exp! - payload.iat!).toBe(8 * 3600);
  });

  it('refuses a token signed with another secret', () => {
    const token = signToken('another-secret-that-is-32-characters-long', { sub: 'a', roles: ['AGENT'] });
    expect(refusal(token).message).toMatch(/signature/);
  });

  it('refuses an expired token', () => {
    const token = jwt.sign({ roles: ['AGENT'], sub: 'a', exp: Math.floor(Date.now() / 1000) - 60 }, SECRET, {
      algorithm: 'HS256',
    });
    expect(refusal(token).message).toBe('The token has expired');
  });

  it('refuses an unsigned token (alg none) and other algorithms', () => {
    const payload = b64url({ sub: 'a', roles: ['SUPERVISOR'], exp: inAnHour() });
    expect(refusal(`${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.`)).toBeInstanceOf(Unauthenticated);
    const hs512 = jwt.sign({ sub: 'a', roles: ['AGENT'] }, SECRET, { algorithm: 'HS512' });
    expect(refusal(hs512).message).toMatch(/invalid algorithm/);
  });

  it('refuses a token that never expires (runtime.md lists exp among the required claims)', () => {
    const forever = jwt.sign({ sub: 'a', roles: ['AGENT'] }, SECRET, { algorithm: 'HS256' });
    expect(refusal(forever).message).toMatch(/no expiry \(exp\)/);
    expect(
      refusal(handMade({ alg: 'HS256' }, { sub: 'a', roles: ['AGENT'], exp: 'tomorrow' })).message,
    ).toMatch(/exp/);
  });

  it('refuses a token without a subject', () => {
    expect(
      refusal(handMade({ alg: 'HS256', typ: 'JWT' }, { roles: ['AGENT'], exp: inAnHour() })).message,
    ).toMatch(/no subject/);
  });

  it.each([
    ['white space around it', ' kassir_5 ', /white space around it/],
    ['a lone surrogate', 'kassir\ud800', /not well-formed Unicode/],
    ['a control character', 'kassir\u0000', /control character/],
    ['a Unicode line separator (an id is one line)', 'kassir\u20285', /line break \(U\+2028 or U\+2029\)/],
    ['more than 200 characters', 'k'.repeat(201), /longer than 200 characters/],
    ['invisible characters only', '\u200b\u0301', /no subject/],
    ['201 emoji (characters, not UTF-16 units)', '😀'.repeat(201), /longer than 200 characters/],
  ])(
    'refuses a subject with %s (it is the id every event records, taken as signed)',
    (_case, sub, reason) => {
      expect(
        refusal(handMade({ alg: 'HS256' }, { sub, roles: ['REQUESTER'], exp: inAnHour() })).message,
      ).toMatch(reason);
    },
  );

  it('refuses a name or validator number longer than 200 characters or with a lone surrogate', () => {
    const base = { sub: 'kassir_5', roles: ['REQUESTER'], exp: inAnHour() };
    expect(refusal(handMade({ alg: 'HS256' }, { ...base, name: 'Я'.repeat(201) })).message).toMatch(
      /its name is longer/,
    );
    expect(refusal(handMade({ alg: 'HS256' }, { ...base, validatorNumber: '995\udc00' })).message).toMatch(
      /its validatorNumber is not well-formed/,
    );
    expect(
      verifyToken(SECRET, handMade({ alg: 'HS256' }, { ...base, name: 'Я'.repeat(200) })).name,
    ).toHaveLength(200);
    expect(verifyToken(SECRET, handMade({ alg: 'HS256' }, { ...base, sub: '😀'.repeat(200) })).id).toBe(
      '😀'.repeat(200),
    );
  });

  it.each([
    ['no roles', {}],
    ['an empty roles array', { roles: [] }],
    ['roles that are not an array', { roles: 'AGENT' }],
  ])('refuses a token with %s', (_case, claims) => {
    expect(refusal(handMade({ alg: 'HS256' }, { sub: 'a', exp: inAnHour(), ...claims })).message).toMatch(
      /no roles/,
    );
  });

  it('refuses unknown roles, SYSTEM included (the engine acts as SYSTEM, nobody else)', () => {
    expect(
      refusal(handMade({ alg: 'HS256' }, { sub: 'a', roles: ['AGENT', 'ADMIN'], exp: inAnHour() })).message,
    ).toMatch(/ADMIN/);
    expect(
      refusal(handMade({ alg: 'HS256' }, { sub: 'a', roles: ['SYSTEM'], exp: inAnHour() })).message,
    ).toMatch(/SYSTEM/);
  });

  it('refuses text that is not a token', () => {
    expect(refusal('not-a-token')).toBeInstanceOf(Unauthenticated);
    expect(refusal('')).toBeInstanceOf(Unauthenticated);
  });
});
