/**
 * `ticketStats` over the read-side benchmark's tickets: the embedded store's compiled `$group` beside one
 * pass of mingo over the same documents and the same stage (what the store ran before). No target in
 * the issues; reporting jobs ask for these over the whole data set.
 */
import { Aggregator } from 'mingo';
import type { Clock } from '../src/application/ports/clock.port';
import type { PipelineStage, ReadStore } from '../src/application/ports/read-store.port';
import type { Principal } from '../src/application/principal';
import { TICKETS } from '../src/application/queries/read-models';
import { TicketStatsQuery } from '../src/application/queries/ticket-queries';
import { TicketStatsHandler } from '../src/application/queries/ticket-stats.handler';
import { STATS_DIMENSIONS, type StatsDimension } from '../src/application/views';
import type { BenchTable } from './benchmark';
import { quantile } from './benchmark';

const SHAPES: StatsDimension[][] = [
  [],
  ['STATUS'],
  ['MODULE', 'PRIORITY'],
  ['CREATED_WEEK'],
  ['CREATED_DAY', 'ASSIGNEE'],
  [...STATS_DIMENSIONS],
];
const RUNS = 5;

export async function statisticsTable(
  store: ReadStore,
  clock: Clock,
  agent: Principal,
  tickets: number,
): Promise<BenchTable> {
  let pipeline: readonly PipelineStage[] = [];
  const recording = new Proxy(store, {
    get: (target, name) =>
      name === 'aggregate'
        ? (collection: string, stages: readonly PipelineStage[]) => {
            pipeline = stages;
            return target.aggregate(collection, stages);
          }
        : Reflect.get(target, name),
  });
  const stats = new TicketStatsHandler(recording, clock);
  const all = await store.find(TICKETS, {});
  const rows: Array<Array<string | number>> = [];
  for (const groupBy of SHAPES) {
    const samples: number[] = [];
    let buckets = 0;
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      buckets = (await stats.execute(new TicketStatsQuery(agent, null, groupBy))).length;
      samples.push(performance.now() - started);
    }
    const started = performance.now();
    new Aggregator(pipeline.slice(1), { scriptEnabled: false }).run(all);
    const mingo = performance.now() - started;
    const median = quantile(samples, 0.5);
    rows.push([
      groupBy.length > 5 ? 'all 11 dimensions' : groupBy.join(' + ') || '(totals)',
      buckets,
      median,
      mingo,
      `${(mingo / median).toFixed(1)}×`,
    ]);
  }
  return {
    title: `ticketStats over ${tickets.toLocaleString('en-US')} tickets, as a specialist (ms)`,
    columns: ['group by', 'buckets', 'embedded store (median of 5)', 'one mingo pass', 'faster'],
    rows,
    notes: [
      'The embedded store groups with compiled expressions, yielding to other requests every 5,000 tickets.',
    ],
  };
}
