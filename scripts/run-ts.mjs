// Runs a TypeScript entry point without a build step (CLI tools, benchmarks, test servers).
// Signals sent to this process (e.g. SIGTERM from a supervisor) are passed on to the child.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

// The V8 flags `npm start` runs the server with (package.json), so tools and benchmarks run the
// way production does; see the README's "Runtime flags".
const nodeFlags = JSON.parse(readFileSync(new URL('./node-flags.json', import.meta.url), 'utf8'));

const [entry, ...args] = process.argv.slice(2);
const child = spawn(
  process.execPath,
  [...nodeFlags, '-r', '@swc-node/register', '-r', 'reflect-metadata', entry, ...args],
  {
    stdio: 'inherit',
    env: { ...process.env, SWC_NODE_PROJECT: process.env.SWC_NODE_PROJECT ?? 'tsconfig.json' },
  },
);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
