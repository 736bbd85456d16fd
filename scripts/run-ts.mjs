// Runs a TypeScript entry point without a build step (CLI tools, benchmarks, test servers).
import { spawnSync } from 'node:child_process';
const [entry, ...args] = process.argv.slice(2);
const r = spawnSync(process.execPath, ['-r', '@swc-node/register', '-r', 'reflect-metadata', entry, ...args], {
  stdio: 'inherit',
  env: { ...process.env, SWC_NODE_PROJECT: process.env.SWC_NODE_PROJECT ?? 'tsconfig.json' },
});
process.exit(r.status ?? 1);
