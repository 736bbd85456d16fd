/**
 * The GraphQL API over HTTP, as `npm start` serves it on the embedded stores: a child process runs
 * src/main.ts on a fresh DATA_DIR (127.0.0.1 only); this process fills it with tickets through the
 * createTicket mutation (the command side) and then measures, each beside its baseline from the same
 * run — a trivial query (`{ me { id } }`) on the same NestJS + Apollo + Fastify stack:
 * - a list page (filters + sort) and a ticket by id: p50/p99 unloaded and at a fixed 500 req/s
 *   (open loop: latency counts from the scheduled send time, so a stall is not hidden);
 * - createTicket with 16 concurrent clients: mutations/s and p99.
 * Profile the server with BENCH_SERVER_NODE_ARGS (node flags for it).
 * Size and time: BENCH_TICKETS (default 20,000; the target data set is 100,000), BENCH_SECONDS (default 4).
 * The createTicket and trivial closed loops alternate in short rounds, so drift on a shared machine
 * falls on both alike.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import NODE_FLAGS from '../scripts/node-flags.json';
import { signToken } from '../src/infrastructure/auth/jwt';
import { type Benchmark, type BenchTable, quantile } from './benchmark';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 20_000);
const MEASURE_MS = Number(process.env.BENCH_SECONDS ?? 4) * 1000;
const WARMUP_MS = 500;
const CONCURRENCY = 16;
const FILL_CONCURRENCY = 32;
const OPEN_LOOP_RATE = 500;
/** The closed-loop comparison runs as this many alternating rounds of each side. */
const CLOSED_LOOP_ROUNDS = 4;
const UNLOADED_SAMPLES = 1000;
/** A request slower than this counts as failed (latency ∞), so a saturated server cannot stall the run. */
const REQUEST_TIMEOUT_MS = 5000;
const SECRET = 'bench-secret-bench-secret-bench-secret-0123';

const TARGETS = {
  listP99Unloaded: 5,
  listP99At500: 15,
  createPerSecond: 2500,
  createP99: 25,
  createShareOfTrivial: 0.7,
};

const TRIVIAL = '{ me { id } }';
const LIST = `query List($f: TicketFilter, $s: TicketSort) {
  tickets(filter: $f, sort: $s, first: 20) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id number subject status priority channel module updatedAt resolutionDueAt overdue
      requester { id name } assignee { id line } } }
  }
}`;
const LIST_VARIABLES = {
  f: {
    status: ['NEW', 'ASSIGNED', 'IN_PROGRESS'],
    priority: ['HIGH', 'CRITICAL'],
    module: ['BONUS', 'TECHNOLOGIES'],
  },
  s: { field: 'UPDATED_AT', direction: 'DESC' },
};
const BY_ID = `query Get($id: ID) { ticket(id: $id) { id number version status priority subject description
  requester { id name validatorNumber } assignee { id name line } createdAt updatedAt resolutionDueAt overdue
  comments { id body author { id role } createdAt } couponRequests { registrationNumber } } }`;
const CREATE = `mutation Create($input: CreateTicketInput!) { createTicket(input: $input) { ticket { id number version } } }`;

const MODULES = [
  { module: 'BONUS', category: 'MILES', type: 'MILES_ACCRUAL' },
  { module: 'BONUS', category: 'ACCOUNT', type: 'PERSONAL_ACCOUNT' },
  { module: 'TECHNOLOGIES', category: 'OTHER', type: 'TECHNOLOGY_QUESTION' },
  { module: 'TECHNOLOGIES', category: 'CONTRACTS', type: 'GOVERNMENT_CONTRACTS' },
];
const PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'CRITICAL'];
const WORDS = [
  'miles',
  'refund',
  'account',
  'contract',
  'flight',
  'booking',
  'coupon',
  'agent',
  'report',
  'error',
];

function ticketInput(n: number): Record<string, unknown> {
  const where = MODULES[n % MODULES.length];
  return {
    ...where,
    priority: PRIORITIES[(n >> 2) % PRIORITIES.length],
    subject: `${WORDS[n % 10]} ${WORDS[(n * 7) % 10]} question ${n}`,
    description: `Ticket ${n} of the benchmark: ${WORDS[(n * 3) % 10]} ${WORDS[(n * 5) % 10]} needs attention.`,
  };
}

/** A keep-alive GraphQL client over node:http (cheaper per request than fetch, so the server is what is measured). */
class Client {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });
  constructor(
    private readonly port: number,
    private readonly token: string,
  ) {}

  post(
    query: string,
    variables?: Record<string, unknown>,
    timeoutMs = REQUEST_TIMEOUT_MS,
  ): Promise<Record<string, unknown>> {
    const body = JSON.stringify({ query, variables });
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.port,
          path: '/graphql',
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            authorization: `Bearer ${this.token}`,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
            if (res.statusCode !== 200 || parsed.errors) {
              reject(
                new Error(`HTTP ${res.statusCode}: ${JSON.stringify(parsed.errors ?? parsed).slice(0, 300)}`),
              );
            } else resolve(parsed.data as Record<string, unknown>);
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

interface Stats {
  perSecond: number;
  p50: number;
  p99: number;
  count: number;
  /** The server's CPU time (all its threads) per request, in µs; NaN when not measured. */
  serverCpuUs: number;
}

/** CPU seconds the process has used (user + system, from /proc; NaN where there is none). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}
const CLOCK_TICKS_PER_SECOND = 100;

const stats = (latencies: number[], elapsedMs: number): Stats => ({
  perSecond: (latencies.length * 1000) / elapsedMs,
  p50: quantile(latencies, 0.5),
  p99: quantile(latencies, 0.99),
  count: latencies.length,
  serverCpuUs: Number.NaN,
});

/** One request at a time, `samples` times (or for 2 × BENCH_SECONDS at most): latency with no other load. */
async function unloaded(call: (i: number) => Promise<unknown>, samples = UNLOADED_SAMPLES): Promise<Stats> {
  const warmUntil = performance.now() + WARMUP_MS;
  for (let i = 0; i < 100 && performance.now() < warmUntil; i++) await call(i);
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < samples && performance.now() - started < 2 * MEASURE_MS; i++) {
    const t = performance.now();
    await call(i);
    latencies.push(performance.now() - t);
  }
  return stats(latencies, performance.now() - started);
}

interface Round {
  latencies: number[];
  elapsedMs: number;
  serverCpuSeconds: number;
}

/** `clients` loops sending back to back for `durationMs` after a warm-up (closed loop). */
async function closedLoop(
  clients: number,
  call: (i: number) => Promise<unknown>,
  durationMs: number,
  serverPid?: number,
): Promise<Round> {
  let measuring = false;
  let stopped = false;
  let next = 0;
  const latencies: number[] = [];
  const loop = async () => {
    while (!stopped) {
      const t = performance.now();
      await call(next++);
      if (measuring && !stopped) latencies.push(performance.now() - t);
    }
  };
  const loops = Array.from({ length: clients }, loop);
  await sleep(WARMUP_MS / 2);
  measuring = true;
  const cpuBefore = cpuSeconds(serverPid);
  const started = performance.now();
  await sleep(durationMs);
  const elapsedMs = performance.now() - started;
  const serverCpuSeconds = cpuSeconds(serverPid) - cpuBefore;
  stopped = true;
  await Promise.all(loops);
  return { latencies, elapsedMs, serverCpuSeconds };
}

/**
 * Closed loops of `a` and `b` in alternating short rounds, each result summed over its rounds: the
 * machine's drift (other load on a shared host) then falls on both sides of a comparison alike.
 */
async function alternatingClosedLoops(
  clients: number,
  a: (i: number) => Promise<unknown>,
  b: (i: number) => Promise<unknown>,
  serverPid?: number,
): Promise<[Stats, Stats]> {
  const rounds: [Round[], Round[]] = [[], []];
  for (let round = 0; round < CLOSED_LOOP_ROUNDS; round++) {
    rounds[0].push(await closedLoop(clients, a, MEASURE_MS / CLOSED_LOOP_ROUNDS, serverPid));
    rounds[1].push(await closedLoop(clients, b, MEASURE_MS / CLOSED_LOOP_ROUNDS, serverPid));
  }
  const combine = (parts: Round[]): Stats => {
    const latencies = parts.flatMap((part) => part.latencies);
    const elapsedMs = parts.reduce((sum, part) => sum + part.elapsedMs, 0);
    const cpu = parts.reduce((sum, part) => sum + part.serverCpuSeconds, 0);
    return { ...stats(latencies, elapsedMs), serverCpuUs: (cpu * 1e6) / latencies.length };
  };
  return [combine(rounds[0]), combine(rounds[1])];
}

/**
 * Requests sent at a fixed rate whatever the answers (open loop); latency from each one's scheduled
 * time. A request that fails or times out counts as ∞, so p99 shows a saturated server as such.
 */
async function openLoop(rate: number, call: (i: number) => Promise<unknown>): Promise<Stats> {
  const interval = 1000 / rate;
  const total = Math.round((rate * MEASURE_MS) / 1000);
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const scheduled = started + i * interval;
    const wait = scheduled - performance.now();
    if (wait > 1) await sleep(wait);
    pending.push(
      call(i).then(
        () => {
          latencies.push(performance.now() - scheduled);
        },
        () => {
          latencies.push(Number.POSITIVE_INFINITY);
        },
      ),
    );
  }
  await Promise.all(pending);
  return stats(latencies, performance.now() - started);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port the OS reports free on 127.0.0.1 (PORT must be 1–65535, so the server cannot take 0 itself). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts `src/main.ts` in a child process and resolves its port once it prints its URL. */
async function startServer(
  dataDir: string,
  log: (line: string) => void,
): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...NODE_FLAGS,
      // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server.
      ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
      '-r',
      '@swc-node/register',
      '-r',
      'reflect-metadata',
      join(__dirname, '..', 'src', 'main.ts'),
    ],
    {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dataDir,
        AUTH_JWT_SECRET: SECRET,
        AUTO_CLOSE_INTERVAL_MS: '0',
        SWC_NODE_PROJECT: 'tsconfig.json',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stderr?.on('data', (chunk: Buffer) => log(`server: ${chunk.toString().trim()}`));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const port = /http:\/\/127\.0\.0\.1:(\d+)\/graphql/.exec(out)?.[1];
      if (port) resolve({ child, port: Number(port) });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const mark = (ok: boolean) => (ok ? 'yes' : 'NO');

export const httpBenchmark: Benchmark = {
  name: 'http',
  async run(log) {
    const dataDir = mkdtempSync(join(tmpdir(), 'ticket-engine-http-bench-'));
    const { child, port } = await startServer(dataDir, log);
    const requester = new Client(
      port,
      signToken(SECRET, { sub: 'kassir_bench', roles: ['REQUESTER'], name: 'Bench' }),
    );
    const agent = new Client(
      port,
      signToken(SECRET, { sub: 'agent_bench', roles: ['AGENT'], name: 'Bench Agent' }),
    );
    try {
      log(
        `filling ${TICKETS.toLocaleString('en-US')} tickets through createTicket (${FILL_CONCURRENCY} clients)`,
      );
      const ids: string[] = [];
      const fillStarted = performance.now();
      let made = 0;
      await Promise.all(
        Array.from({ length: FILL_CONCURRENCY }, async () => {
          while (made < TICKETS) {
            const n = made++;
            const data = await requester.post(CREATE, { input: ticketInput(n) });
            ids.push((data.createTicket as { ticket: { id: string } }).ticket.id);
          }
        }),
      );
      const fillSeconds = (performance.now() - fillStarted) / 1000;
      log(`filled in ${fillSeconds.toFixed(1)} s (${Math.round(TICKETS / fillSeconds)} tickets/s)`);
      const pick = (i: number) => ids[(i * 7919) % ids.length];

      const trivial = () => agent.post(TRIVIAL);
      const list = () => agent.post(LIST, LIST_VARIABLES);
      const byId = (i: number) => agent.post(BY_ID, { id: pick(i) });

      /** Lets requests left over from an overloaded phase finish, so they do not burden the next one. */
      const drain = async () => {
        const until = performance.now() + REQUEST_TIMEOUT_MS * 2;
        for (;;) {
          const t = performance.now();
          await trivial().catch(() => undefined);
          if (performance.now() - t < 5 || performance.now() > until) return;
          await sleep(100);
        }
      };

      log('unloaded latency');
      const trivialUnloaded = await unloaded(trivial);
      const byIdUnloaded = await unloaded(byId);
      const listUnloaded = await unloaded(list);
      await drain();
      log(`open loop at ${OPEN_LOOP_RATE} req/s`);
      const trivialAt500 = await openLoop(OPEN_LOOP_RATE, trivial);
      await drain();
      const byIdAt500 = await openLoop(OPEN_LOOP_RATE, byId);
      await drain();
      const listAt500 = await openLoop(OPEN_LOOP_RATE, list);
      await drain();
      log(`closed loop with ${CONCURRENCY} clients`);
      let created = TICKETS;
      const [trivialConcurrent, createConcurrent] = await alternatingClosedLoops(
        CONCURRENCY,
        trivial,
        () => requester.post(CREATE, { input: ticketInput(created++) }),
        child.pid,
      );

      const row = (name: string, s: Stats, baseline: Stats): (string | number)[] => [
        name,
        s.p50,
        s.p99,
        baseline.p50,
        baseline.p99,
      ];
      const latencyTable: BenchTable = {
        title: `Reads over HTTP, ${TICKETS.toLocaleString('en-US')} tickets (ms)`,
        columns: ['measurement', 'p50', 'p99', 'trivial p50', 'trivial p99'],
        rows: [
          row('list page, unloaded', listUnloaded, trivialUnloaded),
          row('ticket by id, unloaded', byIdUnloaded, trivialUnloaded),
          row(`list page at ${OPEN_LOOP_RATE}/s`, listAt500, trivialAt500),
          row(`ticket by id at ${OPEN_LOOP_RATE}/s`, byIdAt500, trivialAt500),
        ],
        notes: [
          `list page: 20 tickets, filter status+priority+module, sort UPDATED_AT DESC, with totalCount`,
          `target list p99 <= ${TARGETS.listP99Unloaded} ms unloaded: ${mark(listUnloaded.p99 <= TARGETS.listP99Unloaded)}; ` +
            `<= ${TARGETS.listP99At500} ms at ${OPEN_LOOP_RATE}/s: ${mark(listAt500.p99 <= TARGETS.listP99At500)}`,
        ],
      };
      const share = createConcurrent.perSecond / trivialConcurrent.perSecond;
      const writeTable: BenchTable = {
        title: `createTicket over HTTP, ${CONCURRENCY} concurrent clients`,
        columns: ['measurement', 'per second', 'p50 ms', 'p99 ms', 'server CPU µs/req'],
        rows: [
          [
            'createTicket',
            createConcurrent.perSecond,
            createConcurrent.p50,
            createConcurrent.p99,
            createConcurrent.serverCpuUs,
          ],
          [
            'trivial query { me { id } }',
            trivialConcurrent.perSecond,
            trivialConcurrent.p50,
            trivialConcurrent.p99,
            trivialConcurrent.serverCpuUs,
          ],
        ],
        notes: [
          `createTicket at ${(share * 100).toFixed(0)}% of the trivial query's rate`,
          'server CPU µs/req: the server process (all threads) over the measured seconds, per answered request ' +
            '(steadier than rates when the machine is shared)',
          `target >= ${TARGETS.createPerSecond}/s: ${mark(createConcurrent.perSecond >= TARGETS.createPerSecond)}; ` +
            `p99 <= ${TARGETS.createP99} ms: ${mark(createConcurrent.p99 <= TARGETS.createP99)}; ` +
            `>= ${TARGETS.createShareOfTrivial * 100}% of trivial: ${mark(share >= TARGETS.createShareOfTrivial)}`,
        ],
      };
      return [latencyTable, writeTable];
    } finally {
      requester.close();
      agent.close();
      await stopServer(child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
