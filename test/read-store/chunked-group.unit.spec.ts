/**
 * The embedded store's `$group` over many documents (statistics): grouped in chunks that let other work
 * in between, with the same rows as one pass of mingo over all of them.
 */
import { Aggregator } from 'mingo';
import type { ReadDocument } from '../../src/application/ports/read-store.port';
import { GROUP_CHUNK, groupKey } from '../../src/infrastructure/read-store/embedded/chunked-group';
import {
  COMPILED_GROUP_CHUNK,
  compileGroup,
} from '../../src/infrastructure/read-store/embedded/compiled-group';
import { EmbeddedReadStore } from '../../src/infrastructure/read-store/embedded/embedded-read-store';

const STATUSES = ['NEW', 'IN_PROGRESS', 'CLOSED', null];

function docs(count: number): ReadDocument[] {
  let seed = 7;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: count }, (_, i) => ({
    _id: `t${i}`,
    revision: 0,
    status: STATUSES[Math.floor(next() * STATUSES.length)],
    line: next() < 0.3 ? null : next() < 0.5 ? 'FIRST' : 'SECOND',
    reopenCount: Math.floor(next() * 3),
    // Numbers, nulls and a text: $avg takes the numbers only, and is null without any.
    minutes: next() < 0.2 ? null : next() < 0.05 ? 'n/a' : Math.round(next() * 1000) / 10,
    createdAt: new Date(Date.UTC(2026, 0, 1) + Math.floor(next() * 365) * 86_400_000).toISOString(),
  }));
}

const GROUP = {
  _id: {
    status: '$status',
    line: '$line',
    month: { $dateToString: { format: '%Y-%m', date: { $toDate: '$createdAt' } } },
  },
  count: { $sum: 1 },
  closed: { $sum: { $cond: [{ $eq: ['$status', 'CLOSED'] }, 1, 0] } },
  reopened: { $sum: '$reopenCount' },
  avgMinutes: { $avg: '$minutes' },
  onlyNulls: { $avg: null },
};

/** The same with an operator the compiled path leaves to mingo, so it is grouped in mingo chunks. */
const MINGO_GROUP = { ...GROUP, _id: { ...GROUP._id, lower: { $toLower: '$status' } } };

const byKey = (rows: Record<string, unknown>[]) =>
  Object.fromEntries(rows.map((row) => [JSON.stringify(row._id), row]));

describe.each([
  ['compiled', GROUP, COMPILED_GROUP_CHUNK],
  ['in mingo chunks', MINGO_GROUP, GROUP_CHUNK],
])('embedded read store: $group over many documents, %s', (road, group, chunk) => {
  it('takes that road', () => {
    expect(compileGroup(group) === null).toBe(road !== 'compiled');
  });

  it('gives the rows one pass of mingo gives, across chunk boundaries', async () => {
    const all = docs(chunk * 3 + 17);
    const store = new EmbeddedReadStore();
    await store.replaceMany(
      'tickets',
      all.map((doc) => ({ doc, expectedRevision: -1 })),
    );
    const rows = await store.aggregate('tickets', [{ $match: {} }, { $group: group }]);
    const expected = new Aggregator([{ $group: group }]).run(all) as Record<string, unknown>[];
    expect(rows).toHaveLength(expected.length);
    const got = byKey(rows);
    for (const [key, row] of Object.entries(byKey(expected))) {
      expect(got[key]).toMatchObject({
        count: row.count,
        closed: row.closed,
        reopened: row.reopened,
        onlyNulls: null,
      });
      if (row.avgMinutes === null) expect(got[key].avgMinutes).toBeNull();
      // Sums of fractions added in another order may differ in their last bits (as in MongoDB).
      else expect(got[key].avgMinutes).toBeCloseTo(row.avgMinutes as number, 9);
    }
    await store.close();
  });

  it('lets other work run while it groups (the statistics do not stall every other request)', async () => {
    const store = new EmbeddedReadStore();
    await store.replaceMany(
      'tickets',
      docs(chunk * 4).map((doc) => ({ doc, expectedRevision: -1 })),
    );
    const order: string[] = [];
    const grouping = store
      .aggregate('tickets', [{ $match: {} }, { $group: group }])
      .then(() => order.push('grouped'));
    setImmediate(() => order.push('another request'));
    await grouping;
    expect(order).toEqual(['another request', 'grouped']);
    await store.close();
  });
});

describe('group keys', () => {
  it('tells group keys apart by type as $group does: a date is not its ISO text, NaN is not null', () => {
    const at = new Date('2026-11-22T00:00:00.000Z');
    expect(groupKey({ day: at })).not.toBe(groupKey({ day: at.toISOString() }));
    expect(groupKey(Number.NaN)).not.toBe(groupKey(null));
    expect(groupKey({ a: 1, b: 'x' })).toBe(groupKey({ a: 1, b: 'x' }));
    expect(groupKey({ a: 1, b: 'x' })).not.toBe(groupKey({ a: '1', b: 'x' }));
    // No text can pass for the end of one field and the start of another.
    expect(groupKey({ a: 'x,1:b=s1:y' })).not.toBe(groupKey({ a: 'x', b: 'y' }));
    expect(groupKey(['a,s1:b'])).not.toBe(groupKey(['a', 'b']));
    // A field holding undefined is missing, as in the ids mingo builds.
    expect(groupKey({ a: undefined, b: 1 })).toBe(groupKey({ b: 1 }));
  });
});
