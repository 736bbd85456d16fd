import type { Server } from 'node:http';
import { type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Config } from '../config/config';
import { AppModule } from '../app.module';

/** Largest request body accepted; a bigger one is answered 413 before it is parsed. */
export const MAX_BODY_BYTES = 1_048_576;

export interface CreateAppOptions {
  /** Nest's log levels; default: everything but debug/verbose. Tests pass ['error'] or false. */
  logger?: LoggerService | LogLevel[] | false;
  /** Aborted to give up opening the stores (a stop signal during start-up): createApp then rejects. */
  startUpStop?: AbortSignal;
}

/**
 * Builds the whole app on Fastify for this configuration, with its stores open: GraphQL at POST /graphql,
 * health at GET /health. The caller listens — which starts Apollo, the projections (catch-up, then
 * live) and the auto-close policy — and closes.
 */
export async function createApp(
  config: Config,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: MAX_BODY_BYTES });
  const draining = { on: false };
  // While the server stops, every response asks its client to close the connection, so no client sends
  // another request on a connection that is about to be closed under it.
  adapter.getInstance().addHook('onSend', (_request, reply, payload, done) => {
    if (draining.on) reply.header('connection', 'close');
    done(null, payload);
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forConfig(config, options.startUpStop),
    adapter,
    {
      logger: options.logger ?? ['fatal', 'error', 'warn', 'log'],
      bufferLogs: false,
      // Throw instead of exiting the process, so the caller reports why (one line) and closes what it opened.
      abortOnError: false,
    },
  );
  drainSwitches.set(app, () => (draining.on = true));
  return app;
}

const drainSwitches = new WeakMap<NestFastifyApplication, () => void>();

/**
 * How long a stop keeps serving requests that arrive on open connections before it closes the idle
 * ones. Closing them at once reset the requests already on their way (a client sends its next request
 * over a kept-alive connection without waiting): 37 of 58 requests sent within 200 ms of a SIGTERM
 * under load got a reset instead of an answer, and a mutation sent so does not know if it ran.
 */
export const IDLE_GRACE_MS = 250;

/**
 * Stops the HTTP side and waits until it has: for IDLE_GRACE_MS, requests keep being served and every
 * response says `Connection: close`, so each client learns of the stop from an answer; then new
 * connections are refused and requests arriving on open ones get 503 (fastify), requests in flight
 * finish, connections left idle are closed as soon as they are (a keep-alive connection otherwise held
 * the close for up to the keep-alive timeout, 72 s), and whatever is still open at `deadlineMs` is
 * closed. The rest of the app (projections, stores) is still running.
 */
export async function closeHttp(app: NestFastifyApplication, deadlineMs = 10_000): Promise<void> {
  drainSwitches.get(app)?.();
  const server = app.getHttpServer() as Server;
  // A request still running at the deadline (a stuck client, a slow upload) does not hold the stop.
  const deadline = setTimeout(() => server.closeAllConnections(), deadlineMs);
  let sweep: NodeJS.Timeout | undefined;
  try {
    await graceWhileConnected(server, Math.min(IDLE_GRACE_MS, deadlineMs));
    sweep = setInterval(() => server.closeIdleConnections(), 25);
    await app.getHttpAdapter().close();
  } finally {
    clearInterval(sweep);
    clearTimeout(deadline);
  }
}

/** Waits `graceMs`, or less once no connection is open (then nobody can be cut off). */
async function graceWhileConnected(server: Server, graceMs: number): Promise<void> {
  const until = Date.now() + graceMs;
  while (Date.now() < until) {
    const open = await new Promise<number>((resolve) =>
      server.getConnections((error, count) => resolve(error ? 1 : count)),
    );
    if (open === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Initialises the app and listens on HOST:PORT (port 0: a free one); answers the base URL it serves. */
export async function listen(app: NestFastifyApplication, host: string, port: number): Promise<string> {
  await app.listen(port, host);
  const address = app.getHttpServer().address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return `http://${shownHost}:${actualPort}`;
}
