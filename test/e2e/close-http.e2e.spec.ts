/**
 * Stopping the HTTP side (closeHttp, what SIGTERM runs first): a request arriving on a kept-alive
 * connection as the stop begins is answered, and one that never finishes arriving does not hold the stop
 * past its deadline.
 */
import { connect, type Socket } from 'node:net';
import { loadConfig } from '../../src/infrastructure/config/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeHttp, createApp, listen } from '../../src/infrastructure/http/create-app';
import { makeDataDir, removeDataDir, TEST_JWT_SECRET } from './support/test-app';

/** Everything the server sends on `socket` from now until it closes the connection. */
function untilClosed(socket: Socket): Promise<string> {
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  return new Promise((resolve) => socket.once('close', () => resolve(received)));
}

describe('closing the HTTP side', () => {
  const dataDir = makeDataDir();
  afterAll(() => removeDataDir(dataDir));

  /** The app listening on a free port, and a raw client connection to it. */
  async function appAndConnection(): Promise<{ app: NestFastifyApplication; socket: Socket }> {
    const loaded = loadConfig({ HOST: '127.0.0.1', DATA_DIR: dataDir, AUTH_JWT_SECRET: TEST_JWT_SECRET });
    if (!loaded.ok) throw new Error(loaded.problems.join('; '));
    const app = await createApp(loaded.config, { logger: ['fatal'] });
    const url = new URL(await listen(app, '127.0.0.1', 0));
    const socket = connect(Number(url.port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    return { app, socket };
  }

  it('answers a request arriving on a kept-alive connection just after the stop began, with Connection: close', async () => {
    const { app, socket } = await appAndConnection();
    try {
      const request = 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n';
      const first = new Promise<string>((resolve) =>
        socket.once('data', (chunk: Buffer) => resolve(chunk.toString())),
      );
      socket.write(request);
      expect(await first).toMatch(/^HTTP\/1\.1 200/);
      // The connection is idle and kept alive; the client sends its next request as the stop begins.
      const rest = untilClosed(socket);
      const stopped = closeHttp(app, 5_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.write(request);

      const answer = await rest;
      await stopped;
      expect(answer).toMatch(/^HTTP\/1\.1 200/);
      expect(answer.toLowerCase()).toContain('connection: close');
    } finally {
      await app.close();
    }
  });

  it('closes a connection whose request is still arriving once the deadline passes', async () => {
    const { app, socket } = await appAndConnection();
    try {
      // A client that announces a body and never sends it (a stuck upload).
      socket.write(
        'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
      );
      const closedByServer = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 100));

      await closeHttp(app, 300);

      await closedByServer;
      expect(socket.destroyed).toBe(true);
    } finally {
      await app.close();
    }
  });
});
