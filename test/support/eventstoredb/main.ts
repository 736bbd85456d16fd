import { parseArgs } from 'node:util';
import { startEventStoreTestServer } from './event-store-test-server';

/**
 * `npm run test-server:eventstoredb -- [--port <p>] [--data-dir <dir>]`: runs the EventStoreDB
 * protocol test server until SIGINT/SIGTERM. Prints one line once it accepts connections.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '2113' }, 'data-dir': { type: 'string' } },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a port number, got "${values.port}"`);
  }
  const server = await startEventStoreTestServer({ port, dataDir: values['data-dir'] });
  console.log(`EventStoreDB test server listening on ${server.url} (data: ${server.dataDir})`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.stop().then(
      () => {
        console.log(`EventStoreDB test server stopped (${signal})`);
        process.exit(0);
      },
      (error: unknown) => {
        console.error('EventStoreDB test server failed to stop cleanly:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
