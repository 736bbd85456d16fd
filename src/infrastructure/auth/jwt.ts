/** Bearer tokens (runtime.md "Authentication"): HS256 JWTs carrying the caller's id, name, roles and validator. */
import jwt, { type SignOptions } from 'jsonwebtoken';
import { Unauthenticated } from '../../application/errors';
import type { Principal } from '../../application/principal';
import { characters, hasNothingVisible, isWellFormedText } from '../../domain/field-checks';
import type { Role } from '../../domain/ticket.types';

/** Roles a token may carry; SYSTEM is the engine's own and never comes from outside. */
export const TOKEN_ROLES: readonly Role[] = ['REQUESTER', 'AGENT', 'SUPERVISOR', 'AUDITOR', 'REPORTER'];

export interface TokenClaims {
  sub: string;
  roles: Role[];
  name?: string | null;
  validatorNumber?: string | null;
  /** Seconds, or a duration such as `8h`, `30m`, `7d`. Default 8h. */
  expiresIn?: string | number;
}

const ALGORITHM = 'HS256';

/** Longest id, name or validator number a token may carry: what the domain stores for a person. */
export const MAX_CLAIM_LENGTH = 200;

/**
 * What is wrong with a text claim (`sub`, `name`, `validatorNumber`), or null. The subject is the
 * caller's id as every event and lookup records it, so it is taken exactly as signed: white space around
 * it is refused, not trimmed (a `sub` of " kassir_5 " created tickets on which the domain had trimmed the
 * requester to `kassir_5`, someone else, which the signer could not then see). Control characters,
 * lone surrogates (which UTF-8 storage turns into U+FFFD, so two ids would become one) and text longer
 * than the domain keeps are refused in every text claim, and so are line breaks of any kind.
 */
export function claimTextProblem(claim: 'sub' | 'name' | 'validatorNumber', value: string): string | null {
  if (claim === 'sub' && (value.trim() === '' || hasNothingVisible(value))) return 'it has no subject (sub)';
  if (claim === 'sub' && value.trim() !== value) return 'its subject (sub) has white space around it';
  if (characters(value) > MAX_CLAIM_LENGTH) {
    return `its ${claim} is longer than ${MAX_CLAIM_LENGTH} characters`;
  }
  if (!isWellFormedText(value)) return `its ${claim} is not well-formed Unicode (a lone surrogate)`;
  if (/\p{Cc}/u.test(value)) return `its ${claim} contains a control character`;
  // Unicode's line and paragraph separators are line breaks too: an id or a number is one line.
  if (/[\u2028\u2029]/.test(value)) return `its ${claim} contains a line break (U+2028 or U+2029)`;
  return null;
}

/** Signs a token for these claims with HS256. */
export function signToken(secret: string, claims: TokenClaims): string {
  const payload: Record<string, unknown> = { roles: claims.roles };
  if (claims.name) payload.name = claims.name;
  if (claims.validatorNumber) payload.validatorNumber = claims.validatorNumber;
  return jwt.sign(payload, secret, {
    algorithm: ALGORITHM,
    subject: claims.sub,
    expiresIn: (claims.expiresIn ?? '8h') as SignOptions['expiresIn'],
  });
}

/**
 * The caller a bearer token names. Only HS256 signatures made with `secret` are accepted (no `none`,
 * no other algorithm); `sub`, `exp` and a non-empty `roles` array of known roles are required, and an
 * expired token is refused. runtime.md marks `name` and `validatorNumber` optional but not `exp`: a
 * token that never expires would be a standing key to the desk if it leaked, so it is refused too.
 * Every refusal is Unauthenticated, with the reason.
 */
export function verifyToken(secret: string, token: string): Principal {
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(token, secret, { algorithms: [ALGORITHM] });
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) throw new Unauthenticated('The token has expired');
    const reason = error instanceof Error ? error.message : String(error);
    throw new Unauthenticated(`The token is not valid: ${reason}`);
  }
  if (typeof payload !== 'object' || payload === null) {
    throw new Unauthenticated('The token is not valid: its payload is not a JSON object');
  }
  const { sub, roles, name, validatorNumber, exp } = payload as Record<string, unknown>;
  if (typeof sub !== 'string') throw new Unauthenticated('The token is not valid: it has no subject (sub)');
  const subProblem = claimTextProblem('sub', sub);
  if (subProblem !== null) throw new Unauthenticated(`The token is not valid: ${subProblem}`);
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw new Unauthenticated('The token is not valid: it has no expiry (exp)');
  }
  if (!Array.isArray(roles) || roles.length === 0) {
    throw new Unauthenticated('The token is not valid: it names no roles');
  }
  const unknown = roles.filter((r) => !TOKEN_ROLES.includes(r as Role));
  if (unknown.length > 0) {
    throw new Unauthenticated(
      `The token is not valid: unknown role(s) ${unknown.map((r) => String(r)).join(', ')}`,
    );
  }
  if (name !== undefined && name !== null && typeof name !== 'string') {
    throw new Unauthenticated('The token is not valid: name is not text');
  }
  if (validatorNumber !== undefined && validatorNumber !== null && typeof validatorNumber !== 'string') {
    throw new Unauthenticated('The token is not valid: validatorNumber is not text');
  }
  for (const [claim, value] of [
    ['name', name],
    ['validatorNumber', validatorNumber],
  ] as const) {
    const problem = typeof value === 'string' ? claimTextProblem(claim, value) : null;
    if (problem !== null) throw new Unauthenticated(`The token is not valid: ${problem}`);
  }
  return {
    id: sub,
    name: name ?? null,
    roles: [...new Set(roles as Role[])],
    validatorNumber: validatorNumber ?? null,
  };
}
