// Runs a TypeScript entry point without a build step (CLI tools, benchmarks, test servers).
// Signals sent to this process (e.g. SIGTERM from a supervisor) are passed on to the child.
import { spawn } from 'node:child_process';

const [entry, ...args] = process.argv.slice(2);
const child = spawn(
  process.execPath,
  ['-r', '@swc-node/register', '-r', 'reflect-metadata', entry, ...args],
  {
    stdio: 'inherit',
    env: { ...process.env, SWC_NODE_PROJECT: process.env.SWC_NODE_PROJECT ?? 'tsconfig.json' },
  },
);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
