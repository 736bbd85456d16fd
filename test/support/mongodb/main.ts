import { startMongoTestServer } from './server';

/** `npm run test-server:mongodb -- --port <p>`: serves until SIGINT/SIGTERM. */
function requestedPort(args: string[]): number {
  const flag = args.indexOf('--port');
  const raw =
    flag >= 0 ? args[flag + 1] : args.find((arg) => arg.startsWith('--port='))?.slice('--port='.length);
  if (raw === undefined) return 27017;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${raw}`);
  return port;
}

async function main(): Promise<void> {
  const server = await startMongoTestServer({ port: requestedPort(process.argv.slice(2)) });
  process.stdout.write(`mongodb test server listening on 127.0.0.1:${server.port}\n`);
  const shutdown = (): void => {
    void server.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `mongodb test server failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
