/**
 * `npm run token -- --sub <id> --role <ROLE> [--role <ROLE>] [--name <name>] [--validator <number>] [--expires-in 8h]`
 * prints a bearer token signed with the configured secret (AUTH_JWT_SECRET, or the development secret).
 */
import { parseArgs } from 'node:util';
import type { Role } from '../../domain/ticket.types';
import { TOKEN_ROLES, claimTextProblem, signToken, type TokenClaims } from '../auth/jwt';
import { DEVELOPMENT_SECRET_WARNING, parseJwtSecret } from '../config/config';

const USAGE = `Usage: npm run token -- --sub <id> --role <ROLE> [--role <ROLE>] [--name <name>] [--validator <number>] [--expires-in <duration>]
  --role        one of ${TOKEN_ROLES.join(', ')}; repeat for several
  --expires-in  seconds, or a duration such as 30m, 8h, 7d (default 8h; at most 366d)
  --help        this text`;

/** Seconds in each unit --expires-in takes (a year as jsonwebtoken counts it: 365.25 days). */
const UNIT_SECONDS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_557_600,
};
/** The longest life a printed token may have: a token good for centuries is a password no one can revoke. */
const MAX_LIFETIME_SECONDS = 366 * 86_400;

/** The claims the arguments ask for, what is wrong with them, or a request for the usage. */
export function claimsFromArgs(args: string[]): { claims: TokenClaims } | { error: string } | { help: true } {
  if (args.includes('--help') || args.includes('-h')) return { help: true };
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        sub: { type: 'string' },
        role: { type: 'string', multiple: true },
        name: { type: 'string' },
        validator: { type: 'string' },
        'expires-in': { type: 'string' },
      },
    }));
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  // Taken as given: white space around it is refused below, not trimmed (it would name another person).
  const sub = values.sub;
  if (sub === undefined || sub.trim() === '') return { error: '--sub is required' };
  for (const [option, claim, value] of [
    ['--sub', 'sub', sub],
    ['--name', 'name', values.name],
    ['--validator', 'validatorNumber', values.validator],
  ] as const) {
    const problem = value === undefined ? null : claimTextProblem(claim, value);
    if (problem !== null) return { error: `${option}: the server would refuse the token: ${problem}` };
  }
  const roles = values.role ?? [];
  if (roles.length === 0) return { error: 'at least one --role is required' };
  const unknown = roles.filter((r) => !TOKEN_ROLES.includes(r as Role));
  if (unknown.length > 0) return { error: `unknown role(s): ${unknown.join(', ')}` };
  const expires = values['expires-in'] ?? '8h';
  // A bare number is seconds (jsonwebtoken would read one in a string as milliseconds).
  const duration = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w|y)?$/i.exec(expires.trim());
  if (duration === null) {
    return { error: `--expires-in "${expires}" is not a duration (e.g. 3600, 30m, 8h, 7d)` };
  }
  const expiresIn = Math.round(Number(duration[1]) * UNIT_SECONDS[(duration[2] ?? 's').toLowerCase()]);
  if (expiresIn < 1 || expiresIn > MAX_LIFETIME_SECONDS) {
    return {
      error: `--expires-in "${expires}": a token lives from 1 second to 366 days (${expiresIn < 1 ? 'this one would be expired when printed' : 'ask for a new one when it runs out'})`,
    };
  }
  return {
    claims: {
      sub,
      roles: [...new Set(roles as Role[])],
      name: values.name,
      validatorNumber: values.validator,
      expiresIn,
    },
  };
}

function main(): void {
  const parsed = claimsFromArgs(process.argv.slice(2));
  if ('help' in parsed) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if ('error' in parsed) {
    process.stderr.write(`${parsed.error}\n${USAGE}\n`);
    process.exit(2);
  }
  const secret = parseJwtSecret(process.env);
  if ('error' in secret) {
    process.stderr.write(`${secret.error}\n`);
    process.exit(1);
  }
  if (secret.value.development) process.stderr.write(`WARNING: ${DEVELOPMENT_SECRET_WARNING}\n`);
  process.stdout.write(`${signToken(secret.value.secret, parsed.claims)}\n`);
}

if (require.main === module) main();
