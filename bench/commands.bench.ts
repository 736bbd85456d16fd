// Commands on tickets of growing length: what a command costs with the command side's kept folds
// (FoldedStreams) against reading and folding the whole stream each time, in the same run.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { TicketCommandRunner } from '../src/application/command-runner';
import { uuidIds } from '../src/application/ports/ids.port';
import { monotonicClock } from '../src/application/ports/clock.port';
import type { EventStore } from '../src/application/ports/event-store.port';
import { DEFAULT_POLICY } from '../src/domain/ticket.commands';
import type { Actor } from '../src/domain/ticket.types';
import { EmbeddedEventStore } from '../src/infrastructure/event-store/embedded/embedded-event-store';
import type { Benchmark } from './benchmark';

/** Events in each ticket before the measured commands (each measured command adds one). */
const LENGTHS = [1, 10, 100, 1_000];
const TICKETS = 20;
/** Measured commands per ticket and way: the tickets grow by twice this during a point. */
const COMMANDS_PER_TICKET = 10;
const COMMENT = 'Проверили начисление: мили придут в течение суток. '.repeat(4);

const clock = monotonicClock();
const REQUESTER: Actor = { id: 'kassir_bench', name: 'Кассир', role: 'REQUESTER' };
const AGENT: Actor = { id: 'agent_bench', name: 'Агент', role: 'AGENT' };

const runnerOn = (store: EventStore) => new TicketCommandRunner(store, clock, uuidIds, DEFAULT_POLICY);

const addComment = (runner: TicketCommandRunner, ticketId: string) =>
  runner.run({
    ticketId,
    actor: AGENT,
    command: { kind: 'AddComment', commentId: randomUUID(), body: COMMENT, internal: true },
  });

async function prepare(store: EventStore, length: number): Promise<string[]> {
  const runner = runnerOn(store);
  const ids = Array.from({ length: TICKETS }, () => randomUUID());
  await Promise.all(
    ids.map(async (ticketId, i) => {
      await runner.run({
        ticketId,
        actor: REQUESTER,
        command: {
          kind: 'CreateTicket',
          ticketId,
          number: i + 1,
          requester: { id: REQUESTER.id, name: REQUESTER.name, validatorNumber: '995-4731-7' },
          module: 'BONUS',
          category: 'MILES',
          type: 'MILES_ACCRUAL',
          subject: 'Не начислены мили',
          description: 'Мили за перелёт SU100 не начислены',
        },
      });
      for (let n = 1; n < length; n++) await addComment(runner, ticketId);
    }),
  );
  return ids;
}

/** CPU µs per command (this process, main thread and fs threads), the tickets taken in turn. */
async function measure(ids: string[], runnerFor: () => TicketCommandRunner): Promise<number> {
  const started = process.cpuUsage();
  for (let round = 0; round < COMMANDS_PER_TICKET; round++)
    for (const ticketId of ids) await addComment(runnerFor(), ticketId);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / (COMMANDS_PER_TICKET * ids.length);
}

export const commandsBenchmark: Benchmark = {
  name: 'commands',
  async run(log) {
    const rows: Array<Array<string | number>> = [];
    for (const length of LENGTHS) {
      const dir = mkdtempSync(join(os.tmpdir(), 'ticket-bench-commands-'));
      const store = await EmbeddedEventStore.open(dir, { warn: () => undefined });
      try {
        log(`${TICKETS} tickets of ${length} event(s)`);
        const ids = await prepare(store, length);
        const kept = runnerOn(store);
        // A first command on each ticket folds it once (as the first command after a start does).
        for (const ticketId of ids) await addComment(kept, ticketId);
        const withKept = await measure(ids, () => kept);
        // A new runner for every command keeps nothing: the whole stream is read and folded each time.
        const eachTime = await measure(ids, () => runnerOn(store));
        rows.push([length, withKept, eachTime, `${(eachTime / withKept).toFixed(1)}×`]);
      } finally {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }
    return [
      {
        title: `addComment through the command runner on the embedded store, ${TICKETS} tickets taken in turn (CPU µs per command)`,
        columns: ['events in ticket', 'kept folds', 'folded each time', 'saved'],
        rows,
        notes: [
          `each point runs ${COMMANDS_PER_TICKET} commands per ticket each way, so a ticket grows by ${2 * COMMANDS_PER_TICKET} events during it`,
          'kept folds: the runner keeps each ticket as it last folded it and reads only the events appended since (FoldedStreams)',
          'folded each time: a runner that keeps nothing, as every command ran before FoldedStreams',
          'CPU = user + system time of this process per command, durable append (fdatasync) included',
        ],
      },
    ];
  },
};
