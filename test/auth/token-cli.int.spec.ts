import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { verifyToken } from '../../src/infrastructure/auth/jwt';
import { DEVELOPMENT_JWT_SECRET } from '../../src/infrastructure/config/config';

const ROOT = resolve(__dirname, '../..');
const SECRET = 'cli-test-secret-of-at-least-32-characters';

/** `npm run token -- …` as a user runs it (without npm's banner), in a clean environment. */
function token(args: string[], env: Record<string, string> = {}) {
  const { PATH, HOME } = process.env;
  const result = spawnSync(
    process.execPath,
    ['scripts/run-ts.mjs', 'src/infrastructure/cli/token.ts', ...args],
    {
      cwd: ROOT,
      env: { PATH: PATH ?? '', HOME: HOME ?? '', ...env },
      encoding: 'utf8',
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run token', () => {
  it('prints a token signed with AUTH_JWT_SECRET that names the caller', () => {
    const out = token(
      ['--sub', 'kassir_5LE', '--role', 'REQUESTER', '--name', 'Anna Petrova', '--validator', '995-4731-7'],
      { AUTH_JWT_SECRET: SECRET },
    );
    expect(out.status).toBe(0);
    expect(out.stderr).toBe('');
    expect(verifyToken(SECRET, out.stdout.trim())).toEqual({
      id: 'kassir_5LE',
      name: 'Anna Petrova',
      roles: ['REQUESTER'],
      validatorNumber: '995-4731-7',
    });
  });

  it('takes several roles and an expiry', () => {
    const out = token(['--sub', 'sup_1', '--role', 'SUPERVISOR', '--role', 'AGENT', '--expires-in', '30m'], {
      AUTH_JWT_SECRET: SECRET,
    });
    const payload = JSON.parse(Buffer.from(out.stdout.trim().split('.')[1], 'base64url').toString());
    expect(payload).toMatchObject({ sub: 'sup_1', roles: ['SUPERVISOR', 'AGENT'] });
    expect(payload.exp - payload.iat).toBe(1800);
  });

  it('signs with the development secret, with a warning on stderr, when no secret is configured', () => {
    const out = token(['--sub', 'agent_1', '--role', 'AGENT']);
    expect(out.status).toBe(0);
    expect(out.stderr).toMatch(/AUTH_JWT_SECRET is not set/);
    expect(verifyToken(DEVELOPMENT_JWT_SECRET, out.stdout.trim()).id).toBe('agent_1');
  });

  it.each([
    ['no --sub', ['--role', 'AGENT'], /--sub is required/],
    ['no --role', ['--sub', 'a'], /at least one --role/],
    ['an unknown role', ['--sub', 'a', '--role', 'ADMIN'], /unknown role\(s\): ADMIN/],
    ['an unknown option', ['--sub', 'a', '--role', 'AGENT', '--admin'], /--admin/],
    ['a bad expiry', ['--sub', 'a', '--role', 'AGENT', '--expires-in', 'forever'], /--expires-in/],
    ['an expiry of nothing', ['--sub', 'a', '--role', 'AGENT', '--expires-in', '0'], /expired when printed/],
    [
      'an expiry of centuries',
      ['--sub', 'a', '--role', 'AGENT', '--expires-in', '99999999999d'],
      /from 1 second to 366 days/,
    ],
  ])('given %s, prints the usage on stderr and exits 2', (_case, args, message) => {
    const out = token(args as string[], { AUTH_JWT_SECRET: SECRET });
    expect(out.status).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(message as RegExp);
    expect(out.stderr).toMatch(/Usage: npm run token/);
  });

  it('prints the usage on stdout for --help and -h, and exits 0', () => {
    for (const flag of ['--help', '-h']) {
      const out = token([flag]);
      expect(out.status).toBe(0);
      expect(out.stderr).toBe('');
      expect(out.stdout).toMatch(/^Usage: npm run token -- --sub <id> --role <ROLE>/);
    }
  });

  it('takes a bare number as seconds, and a year at most', () => {
    for (const [given, seconds] of [
      ['3600', 3600],
      ['1y', 31_557_600],
      ['366d', 366 * 86_400],
    ] as const) {
      const out = token(['--sub', 'a', '--role', 'AGENT', '--expires-in', given], {
        AUTH_JWT_SECRET: SECRET,
      });
      const payload = JSON.parse(Buffer.from(out.stdout.trim().split('.')[1], 'base64url').toString());
      expect(payload.exp - payload.iat).toBe(seconds);
    }
  });

  it('refuses to sign with a secret that is too short', () => {
    const out = token(['--sub', 'a', '--role', 'AGENT'], { AUTH_JWT_SECRET: 'short' });
    expect(out.status).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^AUTH_JWT_SECRET: /);
  });

  it('refuses claims the server would refuse, instead of printing a token that cannot be used', () => {
    const long = token(['--sub', 'k'.repeat(201), '--role', 'AGENT'], { AUTH_JWT_SECRET: SECRET });
    expect(long.status).toBe(2);
    expect(long.stdout).toBe('');
    expect(long.stderr).toMatch(
      /^--sub: the server would refuse the token: its sub is longer than 200 characters/,
    );
    const spaced = token(['--sub', ' kassir_5 ', '--role', 'REQUESTER'], { AUTH_JWT_SECRET: SECRET });
    expect(spaced.status).toBe(2);
    expect(spaced.stderr).toMatch(/^--sub: .*white space around it/);
    const name = token(['--sub', 'a', '--role', 'AGENT', '--name', 'Я'.repeat(201)], {
      AUTH_JWT_SECRET: SECRET,
    });
    expect(name.stderr).toMatch(/^--name: .*its name is longer than 200 characters/);
  });
});
