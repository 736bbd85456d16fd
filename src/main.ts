/**
 * `npm start`: validates the configuration (a bad variable stops here, nothing half-started), builds
 * the app on the configured stores, serves it on HOST:PORT, and on SIGINT/SIGTERM closes the HTTP
 * server, the projections' subscription and the stores before exiting.
 */
import 'reflect-metadata';
import { configOrExit } from './infrastructure/config/config';
import { createApp, listen } from './infrastructure/http/create-app';

async function main(): Promise<void> {
  // Colours only for a terminal: a log file or a collector would get the escape codes as text.
  if (!process.stdout.isTTY && process.env.FORCE_COLOR === undefined) process.env.NO_COLOR ??= '1';
  const config = configOrExit(process.env);
  // While the app is built, a failure (the data directory locked by another process, a store out of
  // reach) is reported as the one "Start-up failed" line below, not as Nest's stack trace as well.
  const app = await createApp(config, { logger: ['fatal', 'warn'] });
  let url: string;
  try {
    url = await listen(app, config.host, config.port);
  } catch (error) {
    // Nothing half-started: the stores are closed (and the data directory's lock released) first.
    await app.close().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot listen on HOST=${config.host} PORT=${config.port}: ${reason}`);
  }
  // Serving: warnings and errors only (start-up itself is the one line below).
  app.useLogger(['fatal', 'error', 'warn']);
  app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
  process.stdout.write(`Ticket engine serving GraphQL at ${url}/graphql (health: ${url}/health)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
