import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** Runs configOrExit in a fresh process, as the server's start-up does. */
function start(env: Record<string, string>) {
  const script =
    "const c = require('./src/infrastructure/config/config').configOrExit(process.env); console.log(JSON.stringify({ port: c.port }));";
  return spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', SWC_NODE_PROJECT: 'tsconfig.json', ...env },
    encoding: 'utf8',
  });
}

describe('configOrExit', () => {
  it('given bad variables, prints one line per variable on stderr and exits 1 before anything starts', () => {
    const run = start({ PORT: 'abc', MONGODB_URL: 'mysql://x', AUTH_JWT_SECRET: 'short' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      'PORT: "abc" is not a port number (1–65535)',
      expect.stringMatching(/^MONGODB_URL: "mysql:\/\/x"/),
      'AUTH_JWT_SECRET: is 5 characters long; at least 32 are required',
    ]);
  });

  it('given good variables, returns the configuration', () => {
    const run = start({ PORT: '4010', AUTH_JWT_SECRET: 'x'.repeat(32) });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ port: 4010 });
  });

  it('refuses to start in production without a secret', () => {
    const run = start({ NODE_ENV: 'production' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^AUTH_JWT_SECRET: required when NODE_ENV=production/);
  });
});
