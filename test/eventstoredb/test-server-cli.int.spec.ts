import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';

const ROOT = resolve(__dirname, '../..');

/** `npm run test-server:eventstoredb` runs `scripts/run-ts.mjs test/support/eventstoredb/main.ts`. */
describe('EventStoreDB test server command', () => {
  it('prints one ready line, serves the real client, and stops cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'esdb-cli-'));
    // Its own process group, so that SIGTERM reaches the server as a terminal's would.
    const child = spawn(
      process.execPath,
      ['scripts/run-ts.mjs', 'test/support/eventstoredb/main.ts', '--port', '0', '--data-dir', dataDir],
      { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const closed = new Promise<void>((done) => child.stdout.on('close', () => done()));
    try {
      const readyLine = await new Promise<string>((done, fail) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const line = output.split('\n').find((l) => l.includes('listening on'));
          if (line) done(line);
        });
        child.on('exit', () => fail(new Error(`the server exited before it was ready:\n${output}`)));
      });
      const url = /(esdb:\/\/\S+)/.exec(readyLine)?.[1] as string;
      expect(url).toMatch(/^esdb:\/\/127\.0\.0\.1:\d+\?tls=false$/);

      const client = EventStoreDBClient.connectionString(url);
      const appended = await client.appendToStream(
        'cli-check',
        jsonEvent({ type: 'Pinged', data: { ok: true } }),
      );
      expect(appended.nextExpectedRevision).toBe(0n);
      const read = [];
      for await (const resolved of client.readStream('cli-check')) read.push(resolved.event?.data);
      expect(read).toEqual([{ ok: true }]);
      await client.dispose();

      process.kill(-(child.pid as number), 'SIGTERM');
      await closed;
      expect(output).toContain('EventStoreDB test server stopped (SIGTERM)');
      expect(output.split('\n').filter((l) => l.includes('listening on'))).toHaveLength(1);
    } finally {
      if (child.exitCode === null && child.signalCode === null)
        process.kill(-(child.pid as number), 'SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
