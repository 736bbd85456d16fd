/** Boots the engine as `npm start` does (config from env, Fastify, 127.0.0.1, a free port) for e2e tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Role } from '../../../src/domain/ticket.types';
import { signToken } from '../../../src/infrastructure/auth/jwt';
import { loadConfig } from '../../../src/infrastructure/config/config';
import { createApp, listen } from '../../../src/infrastructure/http/create-app';

export const TEST_JWT_SECRET = 'e2e-test-secret-0123456789abcdef-0123456789';

export interface RunningApp {
  url: string;
  env: Record<string, string>;
  /** The app itself, for tests that reach inside (a provider to watch, a store to write to). */
  app: NestFastifyApplication;
  close(): Promise<void>;
}

/** A fresh temporary DATA_DIR; remove it with `removeDataDir` when the suite is done. */
export function makeDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'ticket-engine-e2e-'));
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Starts the app with these variables (DATA_DIR etc.) plus the test secret on a free port, and waits until /health is 200. */
export async function bootApp(env: Record<string, string>): Promise<RunningApp> {
  const fullEnv: Record<string, string> = {
    HOST: '127.0.0.1',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    AUTO_CLOSE_INTERVAL_MS: '0',
    ...env,
  };
  const result = loadConfig(fullEnv);
  if (!result.ok) throw new Error(`Bad test configuration: ${result.problems.join('; ')}`);
  const app: NestFastifyApplication = await createApp(result.config, { logger: ['fatal', 'error'] });
  // Port 0: the OS picks a free one (PORT itself must be 1–65535).
  const url = await listen(app, result.config.host, 0);
  await waitForHealth(url);
  return { url, env: fullEnv, app, close: () => app.close() };
}

async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await fetch(`${url}/health`);
    await response.arrayBuffer();
    if (response.status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url}/health stayed ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface Caller {
  sub: string;
  roles: Role[];
  name?: string;
  validatorNumber?: string;
}

/** A bearer token for this caller, signed with the test secret. */
export function tokenFor(caller: Caller, secret: string = TEST_JWT_SECRET): string {
  return signToken(secret, {
    sub: caller.sub,
    roles: caller.roles,
    name: caller.name ?? null,
    validatorNumber: caller.validatorNumber ?? null,
  });
}
