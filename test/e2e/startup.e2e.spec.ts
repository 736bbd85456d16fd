/**
 * `src/main.ts` as `npm start` runs it, in a child process: configuration refused before anything
 * starts, one start-up line with the URL, and a clean stop on SIGTERM that releases DATA_DIR.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { makeDataDir, removeDataDir, TEST_JWT_SECRET, tokenFor } from './support/test-app';

const MAIN = join(__dirname, '..', '..', 'src', 'main.ts');

function startMain(env: Record<string, string>): ChildProcess {
  const base: Record<string, string> = { PATH: process.env.PATH ?? '', SWC_NODE_PROJECT: 'tsconfig.json' };
  return spawn(process.execPath, ['-r', '@swc-node/register', '-r', 'reflect-metadata', MAIN], {
    cwd: join(__dirname, '..', '..'),
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exitOf(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code} before printing its URL`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** `npm start` in production on a free port and `dir`, once it has printed its first line. */
async function startServing(dir: string, env: Record<string, string> = {}) {
  const port = await freePort();
  const child = startMain({
    NODE_ENV: 'production',
    PORT: String(port),
    DATA_DIR: dir,
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    ...env,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = exitOf(child);
  const line = await firstLine(child);
  /** One GraphQL operation, as a client sends it. */
  const send = async <T>(token: string, query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as { data?: T } };
  };
  return { child, port, line, exited, send, output: () => output };
}

describe('start-up (src/main.ts)', () => {
  const dataDir = makeDataDir();
  afterAll(() => removeDataDir(dataDir));

  it('refuses to start in production without a secret, naming the variable', async () => {
    const result = await exitOf(startMain({ NODE_ENV: 'production', DATA_DIR: dataDir }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/AUTH_JWT_SECRET/);
  });

  it('refuses a bad variable with one line naming it, starting nothing', async () => {
    const result = await exitOf(
      startMain({ PORT: 'eighty', DATA_DIR: dataDir, AUTH_JWT_SECRET: TEST_JWT_SECRET }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^PORT/)]);
  });

  it('names DATA_DIR when the directory cannot be made, in one line', async () => {
    const file = join(dataDir, 'a-file');
    writeFileSync(file, 'not a directory');
    const result = await exitOf(
      startMain({
        PORT: String(await freePort()),
        DATA_DIR: join(file, 'sub'),
        AUTH_JWT_SECRET: TEST_JWT_SECRET,
      }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^Start-up failed: DATA_DIR: cannot use ".*a-file\/sub": ENOTDIR/),
    ]);
  });

  it('names DATA_DIR when its parent takes no new directories (/proc), instead of hanging', async () => {
    // Node 20's recursive mkdirSync looped for ever there, at full CPU and deaf to SIGTERM.
    const result = await exitOf(
      startMain({
        PORT: String(await freePort()),
        DATA_DIR: `/proc/ticket-engine-${process.pid}/data`,
        AUTH_JWT_SECRET: TEST_JWT_SECRET,
      }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^Start-up failed: DATA_DIR: cannot use "\/proc\/ticket-engine-\d+\/data": ENOENT/,
      ),
    ]);
  });

  it('serves, prints one line with its URL, and stops cleanly on SIGTERM', async () => {
    for (let run = 0; run < 2; run++) {
      const { child, port, line, exited } = await startServing(dataDir);
      expect(line).toContain(`http://127.0.0.1:${port}/graphql`);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      child.kill('SIGTERM');
      const result = await exited;
      // Nest closes the app, then re-raises the signal; the second run proves DATA_DIR was released.
      expect([result.signal, result.code]).toEqual(result.signal === null ? [null, 0] : ['SIGTERM', null]);
      expect(result.stderr).not.toMatch(/error/i);
    }
  });

  it('on SIGTERM under load, answers every accepted mutation with its read models, and keeps every one', async () => {
    const dir = makeDataDir();
    const token = tokenFor({ sub: 'agent_stop', roles: ['AGENT'], name: 'Агент' });
    type Ticket = { id: string; number: number; subject: string };
    type Answer = { createTicket: { ticket: Ticket }; ticket: Ticket | null };
    const create = `mutation($input: CreateTicketInput!) { createTicket(input: $input) { ticket { id number subject } } }`;
    try {
      const first = await startServing(dir);
      const answered: Ticket[] = [];
      let stopped = false;
      const client = async (c: number) => {
        for (let i = 0; !stopped; i++) {
          try {
            const subject = `Shutdown ${c}-${i}`;
            const input = {
              module: 'BONUS',
              category: 'MILES',
              subject,
              description: 'Created while stopping',
            };
            const { status, body } = await first.send<Answer>(token, create, { input });
            if (status === 200 && body.data) answered.push(body.data.createTicket.ticket);
          } catch {
            stopped = true; // the server has gone: this request was never answered
          }
        }
      };
      const clients = Array.from({ length: 8 }, (_, c) => client(c));
      while (answered.length < 40) await new Promise((resolve) => setTimeout(resolve, 10));
      first.child.kill('SIGTERM');
      const result = await first.exited;
      stopped = true;
      await Promise.all(clients);
      expect([result.signal, result.code]).toEqual(result.signal === null ? [null, 0] : ['SIGTERM', null]);
      // No mutation was answered after the projections stopped (it would be answered from its events).
      expect(first.output()).not.toMatch(/Read models could not show/);
      expect(first.output()).toMatch(
        /Stopping \(SIGTERM\): finishing requests in flight\nTicket engine stopped\n$/,
      );
      expect(result.stderr).not.toMatch(/error/i);

      const second = await startServing(dir);
      try {
        for (const ticket of answered) {
          const { body } = await second.send<Answer>(
            token,
            'query($id: ID) { ticket(id: $id) { id number subject } }',
            { id: ticket.id },
          );
          expect(body.data?.ticket).toEqual(ticket);
        }
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      removeDataDir(dir);
    }
  });

  it("logs the engine's own informational lines once it serves (here: a ticket auto-closed)", async () => {
    const dir = makeDataDir();
    const engine = await startServing(dir, {
      AUTO_CLOSE_AFTER_DAYS: '0.00001',
      AUTO_CLOSE_INTERVAL_MS: '100',
    });
    try {
      type Changed = Record<string, { ticket: { id: string } }>;
      const agent = tokenFor({ sub: 'agent_log', roles: ['AGENT'], name: 'Агент' });
      const input = {
        module: 'BONUS',
        category: 'MILES',
        subject: 'Logged',
        description: 'Auto-closed soon',
      };
      const created = await engine.send<Changed>(
        agent,
        'mutation($i: CreateTicketInput!) { createTicket(input: $i) { ticket { id } } }',
        { i: input },
      );
      const ticketId = created.body.data!.createTicket.ticket.id;
      await engine.send(
        agent,
        'mutation($i: AssignTicketInput!) { assignTicket(input: $i) { ticket { id } } }',
        {
          i: { ticketId, assigneeId: 'agent_log' },
        },
      );
      await engine.send(
        agent,
        'mutation($i: ProposeSolutionInput!) { proposeSolution(input: $i) { ticket { id } } }',
        {
          i: { ticketId, solution: 'Done' },
        },
      );
      for (let i = 0; i < 200 && !/Auto-closed 1 ticket/.test(engine.output()); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(engine.output()).toMatch(/LOG \[AutoClosePolicy\] Auto-closed 1 ticket\(s\)/);
      // Start-up itself stays one line: Nest's narration and the projections' start are not printed.
      expect(engine.output().split('\n')[0]).toMatch(
        /^Ticket engine serving GraphQL at .*; event store: embedded, in .*; read store: embedded, in memory$/,
      );
      expect(engine.output()).not.toMatch(/RoutesResolver|InstanceLoader|Mapped \{/);
    } finally {
      engine.child.kill('SIGTERM');
      await engine.exited;
      removeDataDir(dir);
    }
  });

  it('on SIGTERM during start-up (MongoDB out of reach), stops waiting, closes the event store and releases DATA_DIR', async () => {
    const dir = makeDataDir();
    try {
      // Nothing listens on this port: the MongoDB driver would keep trying for about half a minute.
      const child = startMain({
        PORT: String(await freePort()),
        DATA_DIR: dir,
        AUTH_JWT_SECRET: TEST_JWT_SECRET,
        MONGODB_URL: `mongodb://127.0.0.1:${await freePort()}/`,
      });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = exitOf(child);
      // The event store is open (its lock taken) and the read store is being waited for, which it says.
      while (!existsSync(join(dir, 'events.lock')) || !output.includes('Waiting for MongoDB'))
        await new Promise((resolve) => setTimeout(resolve, 20));
      child.kill('SIGTERM');
      const result = await exited;

      expect([result.signal, result.code]).toEqual(['SIGTERM', null]);
      expect(output.trim().split('\n')).toEqual([
        expect.stringMatching(
          /^\[Nest\] \d+ +- \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z +WARN \[Stores\] Waiting for MongoDB at mongodb:\/\/127\.0\.0\.1:\d+\/ \(MONGODB_URL\); the start gives up after about 30 s/,
        ),
        'Stopping (SIGTERM) during start-up: closing what is open',
        'Ticket engine stopped',
      ]);
      // It did not wait for MongoDB to be given up on, and it left the data directory free.
      expect(result.stderr).toBe('');
      expect(existsSync(join(dir, 'events.lock'))).toBe(false);
    } finally {
      removeDataDir(dir);
    }
  }, 20_000);

  it('refuses a second engine on the same DATA_DIR with one line saying why', async () => {
    const env = { PORT: String(await freePort()), DATA_DIR: dataDir, AUTH_JWT_SECRET: TEST_JWT_SECRET };
    const first = startMain(env);
    const firstExited = exitOf(first);
    await firstLine(first);
    const second = await exitOf(startMain({ ...env, PORT: String(await freePort()) }));
    expect(second.code).toBe(1);
    expect(second.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^Start-up failed: DATA_DIR: cannot use ".*": The event store in .* is already open by process \d+/,
      ),
    ]);
    first.kill('SIGTERM');
    await firstExited;
  });

  it('names HOST and PORT when it cannot listen, in one line, and leaves DATA_DIR unlocked', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const result = await exitOf(
        startMain({
          HOST: '127.0.0.1',
          PORT: String(port),
          DATA_DIR: dataDir,
          AUTH_JWT_SECRET: TEST_JWT_SECRET,
        }),
      );
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          new RegExp(`^Start-up failed: cannot listen on HOST=127\\.0\\.0\\.1 PORT=${port}: .*EADDRINUSE`),
        ),
      ]);
      expect(existsSync(join(dataDir, 'events.lock'))).toBe(false);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
