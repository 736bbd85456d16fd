import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';

const PROJECT_ROOT = path.resolve(__dirname, '../..');

/** A TypeScript child process of the event store tests, with its stdout read line by line. */
export interface TsChild {
  process: ChildProcess;
  /** Resolves with the first stdout line matching `test`. */
  lineMatching(test: (line: string) => boolean): Promise<string>;
  onLine(listener: (line: string) => void): void;
  /** Resolves once the process exited and its stdout was read to the end. */
  finished: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Runs `test/event-store/children/<script>` with `node -r @swc-node/register`. */
export function spawnTsChild(script: string, args: string[]): TsChild {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', path.join(__dirname, 'children', script), ...args],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: path.join(PROJECT_ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = readline.createInterface({ input: child.stdout! });
  const listeners: Array<(line: string) => void> = [];
  lines.on('line', (line) => listeners.forEach((listener) => listener(line)));
  const stdoutClosed = new Promise<void>((resolve) => lines.on('close', resolve));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    onLine: (listener) => listeners.push(listener),
    lineMatching: (test) =>
      new Promise((resolve, reject) => {
        listeners.push((line) => test(line) && resolve(line));
        void exited.then(({ code, signal }) =>
          reject(
            new Error(`child ${script} exited (${code ?? signal}) without the expected line: ${stderr}`),
          ),
        );
      }),
    finished: Promise.all([exited, stdoutClosed]).then(([exit]) => ({ ...exit, stderr })),
  };
}
