/**
 * `npm start`: validates the configuration (a bad variable stops here, nothing half-started), builds
 * the app on the configured stores, serves it on HOST:PORT, and on SIGINT/SIGTERM closes the HTTP
 * server, the projections' subscription and the stores, in that order, before exiting (a signal during
 * start-up closes what was opened so far).
 */
import 'reflect-metadata';
import { configOrExit, describeStores } from './infrastructure/config/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeHttp, createApp, listen } from './infrastructure/http/create-app';
import { EngineLogger } from './infrastructure/http/engine-logger';

async function main(): Promise<void> {
  // Colours only for a terminal: a log file or a collector would get the escape codes as text.
  if (!process.stdout.isTTY && process.env.FORCE_COLOR === undefined) process.env.NO_COLOR ??= '1';
  const config = configOrExit(process.env);
  const early = stopDuringStartUp();
  // While the app is built, a failure (the data directory locked by another process, a store out of
  // reach) is reported as the one "Start-up failed" line below, not as Nest's stack trace as well.
  const logger = new EngineLogger();
  let app: NestFastifyApplication;
  try {
    app = await createApp(config, { logger, startUpStop: early.abort.signal });
  } catch (error) {
    // Told to stop while the stores were being opened: what was opened is closed by now.
    if (early.requested !== null) return early.exit();
    throw error;
  }
  if (early.requested !== null) {
    await app.close().catch(() => undefined);
    return early.exit();
  }
  let url: string;
  try {
    url = await listen(app, config.host, config.port);
  } catch (error) {
    // Nothing half-started: the stores are closed (and the data directory's lock released) first.
    await app.close().catch(() => undefined);
    if (early.requested !== null) return early.exit();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot listen on HOST=${config.host} PORT=${config.port}: ${reason}`);
  }
  early.detach();
  const stop = stopOnSignals(app);
  if (early.requested !== null) return stop(early.requested);
  process.stdout.write(
    `Ticket engine serving GraphQL at ${url}/graphql (health: ${url}/health); ${describeStores(config)}\n`,
  );
  logger.startServing();
}

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * SIGINT/SIGTERM before the server serves (opening a large log, or waiting for a MongoDB out of reach,
 * takes a while): the start-up is given up where it can be (the wait for the read store ends at once),
 * what was opened is closed, the data directory's lock included, and the process ends as the signal
 * says. Without this the signal's default action ended the process with the lock left behind, which a
 * starter in another container waits out for 30 s. A second signal ends it at once.
 */
function stopDuringStartUp(): {
  abort: AbortController;
  readonly requested: NodeJS.Signals | null;
  detach(): void;
  exit(): void;
} {
  const abort = new AbortController();
  let requested: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (requested !== null) {
      process.stderr.write(`Stopping at once (${signal} again)\n`);
      process.exit(130);
    }
    requested = signal;
    process.stdout.write(`Stopping (${signal}) during start-up: closing what is open\n`);
    abort.abort(new Error(`start-up stopped by ${signal}`));
  };
  const detach = (): void => {
    for (const signal of STOP_SIGNALS) process.removeListener(signal, onSignal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return {
    abort,
    get requested() {
      return requested;
    },
    detach,
    exit() {
      process.stdout.write('Ticket engine stopped\n');
      detach();
      process.kill(process.pid, requested ?? 'SIGTERM');
    },
  };
}

/**
 * On SIGINT or SIGTERM: first stop taking requests and let those in flight finish (closeHttp), while
 * the projections still run, so every mutation answered still shows its change in the read models
 * (read-your-writes); then Nest's close stops the projections and the auto-close policy and closes the
 * stores. (Nest's own shutdown hooks stop the modules first and the HTTP server
 * after them, so a mutation arriving in between was stored but answered without its read models.)
 * Requests still running after 10 s have their connections closed; the stores are closed even if
 * closing HTTP failed. The signal is raised again once everything is closed, so the process ends as
 * the signal says; a second signal meanwhile ends it at once.
 */
/** How long a stop waits for requests in flight before it closes their connections. */
const REQUESTS_DEADLINE_MS = 10_000;

function stopOnSignals(app: NestFastifyApplication): (signal: NodeJS.Signals) => void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // A second signal while stopping: the operator wants out now. Acknowledged appends are on disk.
      process.stderr.write(`Stopping at once (${signal} again)\n`);
      process.exit(130);
    }
    stopping = true;
    const report = (error: unknown) =>
      process.stderr.write(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
    void (async () => {
      process.stdout.write(`Stopping (${signal}): finishing requests in flight\n`);
      try {
        await closeHttp(app, REQUESTS_DEADLINE_MS);
      } catch (error) {
        report(error);
      }
      try {
        await app.close(); // the projections, the auto-close policy, the stores and the data-dir lock
        process.stdout.write('Ticket engine stopped\n');
      } catch (error) {
        report(error);
      }
      for (const each of STOP_SIGNALS) process.removeListener(each, stop);
      process.kill(process.pid, signal);
    })();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, stop);
  return stop;
}

main().catch((error: unknown) => {
  process.stderr.write(`Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
