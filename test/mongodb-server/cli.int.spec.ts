import { ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { MongoClient } from 'mongodb';

const ROOT = resolve(__dirname, '../..');
const ENTRY = 'test/support/mongodb/main.ts';
const READY = /mongodb test server listening on 127\.0\.0\.1:(\d+)/;

/** Resolves with the port from the ready line the server prints on stdout. */
function readyPort(child: ChildProcess): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = READY.exec(output);
      if (match) resolvePort(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before it was ready: ${output}`)));
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolveExit) => child.once('close', (code, signal) => resolveExit({ code, signal })));
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolveRefusal) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolveRefusal(false);
    });
    socket.once('error', () => resolveRefusal(true));
  });
}

async function pingOnce(port: number): Promise<unknown> {
  const client = new MongoClient(`mongodb://127.0.0.1:${port}/?directConnection=true`);
  try {
    await client.connect();
    await client.db('cli').collection('checks').insertOne({ ok: true });
    return await client.db('cli').command({ ping: 1 });
  } finally {
    await client.close();
  }
}

describe('MongoDB test server command line', () => {
  const children: ChildProcess[] = [];

  afterAll(() => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('runs through scripts/run-ts.mjs on an OS-chosen port, serves clients and stops on SIGTERM', async () => {
    // detached: the wrapper and the server it spawns share a process group, which gets the signal as a whole.
    const child = spawn(process.execPath, ['scripts/run-ts.mjs', ENTRY, '--port', '0'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const port = await readyPort(child);
    expect(await pingOnce(port)).toEqual({ ok: 1 });

    const closed = exited(child);
    process.kill(-(child.pid as number), 'SIGTERM');
    await closed;
    expect(await refusesConnections(port)).toBe(true);
  });

  it('exits with status 0 on SIGINT once the server has stopped', async () => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', ENTRY, '--port=0'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const port = await readyPort(child);
    expect(await pingOnce(port)).toEqual({ ok: 1 });

    const closed = exited(child);
    child.kill('SIGINT');
    expect(await closed).toEqual({ code: 0, signal: null });
    expect(await refusesConnections(port)).toBe(true);
  });
});
