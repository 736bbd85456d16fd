/**
 * The embedded store's compiled `$group` (the statistics) against mingo: the very pipeline
 * `ticketStats` builds, over random ticket documents, for every dimension; each expression of the
 * vocabulary document by document; and the cases left to mingo, which must still answer as mingo does.
 */
import { Aggregator } from 'mingo';
import type { PipelineStage, ReadDocument, ReadStore } from '../../src/application/ports/read-store.port';
import { TicketStatsHandler } from '../../src/application/queries/ticket-stats.handler';
import { TicketStatsQuery } from '../../src/application/queries/ticket-queries';
import { STATS_DIMENSIONS, type StatsDimension } from '../../src/application/views';
import { TICKET_STATUSES } from '../../src/domain/ticket.types';
import { groupKey } from '../../src/infrastructure/read-store/embedded/chunked-group';
import {
  compileExpression,
  NotCompiled,
} from '../../src/infrastructure/read-store/embedded/compiled-expression';
import { compileGroup } from '../../src/infrastructure/read-store/embedded/compiled-group';
import { EmbeddedReadStore } from '../../src/infrastructure/read-store/embedded/embedded-read-store';

const NOW = new Date('2026-06-30T12:00:00.000Z');
const DIMENSIONS: StatsDimension[] = [...STATS_DIMENSIONS];

function random(seed: number): () => number {
  return () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

/** Ticket read models as the projection writes them, with the nulls and times the statistics meet. */
function tickets(count: number, seed = 11): ReadDocument[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const time = (from: number, spanDays: number) =>
    new Date(from + Math.floor(next() * spanDays * 86_400_000)).toISOString();
  return Array.from({ length: count }, (_, i) => {
    // Around two New Years, so ISO weeks that belong to the year before or after are met.
    const created = Date.UTC(pick([2020, 2025, 2026]), 11, 20) + Math.floor(next() * 20 * 86_400_000);
    const status = pick(TICKET_STATUSES);
    const closed = status === 'CLOSED';
    return {
      _id: `t${i}`,
      revision: 1,
      status,
      module: pick(['BONUS', 'SALES']),
      category: pick(['MILES', 'REFUND', null]),
      type: pick(['MILES_ACCRUAL', 'REFUND_FARE']),
      priority: pick(['LOW', 'NORMAL', 'HIGH', 'CRITICAL']),
      channel: pick(['WEB', 'EMAIL', 'PHONE']),
      requester: { id: pick(['kassir_1', 'kassir_2']) },
      assignee:
        next() < 0.4
          ? null
          : { id: pick(['agent_1', 'agent_2', 'agent_3']), line: pick(['FIRST', 'SECOND']) },
      createdAt: new Date(created).toISOString(),
      firstRespondedAt: next() < 0.5 ? null : time(created, 3),
      closedAt: closed ? time(created, 10) : null,
      resolution: closed ? pick(['CONFIRMED', 'AUTO_CLOSED', 'WITHDRAWN']) : null,
      reopenCount: pick([0, 0, 0, 1, 2]),
      overdueFrom: next() < 0.3 ? null : time(Date.UTC(2026, 0, 1), 365),
    };
  });
}

/** The `$group` stage `ticketStats` sends to the read store for these dimensions. */
async function statsGroup(groupBy: StatsDimension[]): Promise<Record<string, unknown>> {
  let pipeline: readonly PipelineStage[] = [];
  const recording = {
    aggregate: async (_collection: string, stages: readonly PipelineStage[]) => {
      pipeline = stages;
      return [];
    },
  } as unknown as ReadStore;
  const agent = { id: 'agent_1', name: null, roles: ['AGENT' as const], validatorNumber: null };
  await new TicketStatsHandler(recording, { now: () => NOW }).execute(
    new TicketStatsQuery(agent, null, groupBy),
  );
  return pipeline[1].$group as Record<string, unknown>;
}

function expectSameRows(got: Record<string, unknown>[], expected: Record<string, unknown>[]): void {
  const byKey = (rows: Record<string, unknown>[]) => new Map(rows.map((row) => [groupKey(row._id), row]));
  const gotRows = byKey(got);
  expect(got).toHaveLength(expected.length);
  for (const [key, row] of byKey(expected)) {
    const mine = gotRows.get(key);
    expect(mine).toBeDefined();
    for (const [field, value] of Object.entries(row)) {
      if (typeof value === 'number' && !Number.isInteger(value)) expect(mine![field]).toBeCloseTo(value, 9);
      else expect(mine![field]).toEqual(value);
    }
  }
}

const mingoGroup = (docs: readonly ReadDocument[], group: Record<string, unknown>) =>
  new Aggregator([{ $group: group }], { scriptEnabled: false }).run(docs as ReadDocument[]) as Record<
    string,
    unknown
  >[];

describe('compiled $group (embedded statistics)', () => {
  const docs = tickets(3_000);

  const shapes: StatsDimension[][] = [
    [],
    ...DIMENSIONS.map((d) => [d]),
    ['STATUS', 'LINE', 'CREATED_WEEK'],
    DIMENSIONS,
  ];
  it.each(shapes.map((groupBy) => ({ groupBy })))(
    'gives the rows mingo gives for ticketStats grouped by $groupBy',
    async ({ groupBy }) => {
      const group = await statsGroup(groupBy);
      const compiled = compileGroup(group);
      expect(compiled).not.toBeNull();
      expectSameRows(await compiled!.run(docs), mingoGroup(docs, group));
    },
  );

  // MongoDB's %% is a percent sign (mingo writes nothing for it).
  it('writes ISO weeks of the year their Thursday is in (%G-W%V), days of the week from Monday, %% as %', () => {
    const week = compileExpression({
      $dateToString: { format: '%G-W%V %u %j %%', date: { $toDate: '$at' } },
    })!;
    const cases: Array<[string, string]> = [
      ['2020-12-31T23:59:59.999Z', '2020-W53 4 366 %'],
      ['2021-01-03T00:00:00.000Z', '2020-W53 7 003 %'],
      ['2021-01-04T00:00:00.000Z', '2021-W01 1 004 %'],
      ['2026-12-31T10:00:00.000Z', '2026-W53 4 365 %'],
      ['2027-01-01T00:00:00.000Z', '2026-W53 5 001 %'],
      ['2024-12-30T00:00:00.000Z', '2025-W01 1 365 %'],
    ];
    for (const [at, expected] of cases) expect(week({ at })).toBe(expected);
  });

  it('computes each expression of its vocabulary as mingo does, or leaves the document to mingo', () => {
    const samples = [
      ...tickets(300, 5),
      { _id: 'odd', revision: 1, status: 7, createdAt: '2026-03-01', reopenCount: 'two' },
    ];
    const expressions: unknown[] = [
      '$assignee.line',
      { $toDate: '$createdAt' },
      { $dateToString: { format: '%Y-%m-%dT%H:%M:%S.%L', date: { $toDate: '$closedAt' } } },
      { $isoDayOfWeek: { $toDate: '$createdAt' } },
      { $subtract: [{ $toDate: '$closedAt' }, { $toDate: '$createdAt' }] },
      { $divide: [{ $subtract: [{ $toDate: '$firstRespondedAt' }, { $toDate: '$createdAt' }] }, 60_000] },
      { $add: [{ $toDate: '$createdAt' }, { $multiply: ['$reopenCount', 86_400_000] }] },
      { $cond: [{ $gt: ['$reopenCount', 0] }, 'again', 'once'] },
      { $cond: { if: { $in: ['$resolution', ['CONFIRMED', 'AUTO_CLOSED']] }, then: 1, else: 0 } },
      { $and: [{ $ne: ['$overdueFrom', null] }, { $lt: ['$overdueFrom', NOW.toISOString()] }] },
      { $or: [{ $eq: ['$status', 'CLOSED'] }, { $not: ['$firstRespondedAt'] }] },
      { $isNumber: '$reopenCount' },
      { line: '$assignee.line', id: '$assignee.id', fixed: { $literal: '$not.a.path' } },
    ];
    let compiledAnswers = 0;
    for (const expression of expressions) {
      const compiled = compileExpression(expression);
      expect(compiled).not.toBeNull();
      for (const doc of samples) {
        let mine: unknown;
        try {
          mine = compiled!(doc as Record<string, unknown>);
        } catch (error) {
          expect(error).toBeInstanceOf(NotCompiled);
          continue;
        }
        // Where mingo refuses the document (a text multiplied), the compiled code must have handed it back.
        const [expected] = new Aggregator([{ $project: { _id: 0, v: expression } }]).run([doc]) as Array<{
          v?: unknown;
        }>;
        compiledAnswers++;
        expect(mine).toEqual(expected.v);
      }
    }
    // Most documents are answered by the compiled code, not handed back.
    expect(compiledAnswers).toBeGreaterThan(expressions.length * samples.length * 0.9);
  });

  it('hands back what JavaScript and MongoDB read differently, and writes the years 0–99 as they are', () => {
    const week = compileExpression({ $dateToString: { format: '%Y %G-W%V %j', date: { $toDate: '$at' } } })!;
    expect(week({ at: '0050-06-15T00:00:00.000Z' })).toBe('0050 0050-W24 166');
    expect(week({ at: '0004-12-31T00:00:00.000Z' })).toBe('0004 0004-W53 366');
    for (const at of [
      '2026-03-01T10:00:00', // no offset: local time in JavaScript, UTC in MongoDB
      '2026-02-30T10:00:00.000Z', // no such day: moved to March by JavaScript, refused by MongoDB
      '2026-02-30',
      'March 1, 2026',
    ]) {
      expect(() => week({ at })).toThrow(NotCompiled);
    }
    const year = compileExpression({ $dateToString: { format: '%Y', date: '$at' } })!;
    expect(() => year({ at: new Date(Date.UTC(10_000, 0, 1)) })).toThrow(NotCompiled);
    expect(compileExpression(['$a', '$missing'])!({ a: 1 })).toEqual([1, null]);
    const before = compileExpression({ $lt: ['$a', '$b'] })!;
    expect(before({ a: 'a', b: 'b' })).toBe(true);
    // U+FFFD against U+1F600: JavaScript puts the emoji first (by UTF-16 units), MongoDB last (by bytes).
    expect(() => before({ a: '\ufffd', b: '😀' })).toThrow(NotCompiled);
  });

  it('does not compile what is outside its vocabulary', () => {
    for (const expression of [
      { $toLower: '$status' },
      '$$ROOT',
      { $dateToString: { format: '%Y', date: '$createdAt', timezone: 'Europe/Moscow' } },
      { $dateToString: { format: '%Z', date: '$createdAt' } },
      { status: '$status', 'a.b': 1 },
    ]) {
      expect(compileExpression(expression)).toBeNull();
    }
    expect(compileGroup({ _id: '$status', first: { $first: '$number' } })).toBeNull();
  });

  it('hands documents it is unsure of to mingo: the store then answers as mingo does', async () => {
    // Ordering a null against a text (null sorts lower in MongoDB, mingo says false) and a path
    // through an array are left to mingo, so the store's answer is mingo's whatever the data.
    const odd = [
      { _id: 'a', revision: 1, due: null, tags: [{ name: 'x' }] },
      { _id: 'b', revision: 1, due: '2026-01-01', tags: [{ name: 'y' }] },
    ];
    const store = new EmbeddedReadStore();
    await store.replaceMany(
      'odd',
      odd.map((doc) => ({ doc, expectedRevision: -1 })),
    );
    for (const group of [
      { _id: null, early: { $sum: { $cond: [{ $lt: ['$due', '2027'] }, 1, 0] } } },
      { _id: '$tags.name', n: { $sum: 1 } },
    ]) {
      await expect(compileGroup(group)!.run(odd)).rejects.toBeInstanceOf(NotCompiled);
      expectSameRows(
        await store.aggregate('odd', [{ $match: {} }, { $group: group }]),
        mingoGroup(odd, group),
      );
    }
    await store.close();
  });
});
