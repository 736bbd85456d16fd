/**
 * The read store contract: what every ReadStore adapter (embedded, MongoDB) must do, in the subset of
 * MongoDB's query language the read side uses. Run it with `describeReadStoreContract(name, open)`;
 * index upkeep and MongoDB's array and unique-key semantics are in read-store-contract-indexes.ts.
 */
import type { ReadDocument, ReadStore } from '../../src/application/ports/read-store.port';
import { rebuildCollectionName } from '../../src/application/ports/read-store.port';
import { describeIndexesAndArrays } from './read-store-contract-indexes';
import { byCreatedDesc, ids, INDEXES, type Item, items, STATUSES } from './read-store-contract-data';

export function describeReadStoreContract(name: string, open: () => Promise<ReadStore>): void {
  describe(`ReadStore contract: ${name}`, () => {
    let store: ReadStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('guarded replace', () => {
      const doc = (revision: number, title: string): ReadDocument => ({ _id: 't1', revision, title });

      it('inserts with expectedRevision -1 only when the document is absent', async () => {
        expect(await store.replace('c', doc(0, 'first'), { expectedRevision: -1 })).toBe(true);
        expect(await store.replace('c', doc(0, 'again'), { expectedRevision: -1 })).toBe(false);
        expect(await store.get('c', 't1')).toMatchObject({ revision: 0, title: 'first' });
      });

      it('replaces only when the stored revision is the expected one', async () => {
        await store.replace('c', doc(0, 'v0'), { expectedRevision: -1 });
        expect(await store.replace('c', doc(1, 'v1'), { expectedRevision: 0 })).toBe(true);
        expect(await store.replace('c', doc(1, 'stale'), { expectedRevision: 0 })).toBe(false);
        expect(await store.replace('c', doc(3, 'gap'), { expectedRevision: 2 })).toBe(false);
        expect(await store.get('c', 't1')).toMatchObject({ revision: 1, title: 'v1' });
      });

      it('does not replace a missing document with a numeric expected revision', async () => {
        expect(await store.replace('c', doc(1, 'v1'), { expectedRevision: 0 })).toBe(false);
        expect(await store.get('c', 't1')).toBeNull();
      });

      it('applies bulk writes in order and reports how many were written', async () => {
        const written = await store.replaceMany('c', [
          { doc: doc(0, 'v0'), expectedRevision: -1 },
          { doc: doc(1, 'v1'), expectedRevision: 0 },
          { doc: doc(1, 'duplicate'), expectedRevision: 0 },
          { doc: { _id: 't2', revision: 0, title: 'other' }, expectedRevision: -1 },
        ]);
        expect(written).toBe(3);
        expect(await store.get('c', 't1')).toMatchObject({ revision: 1, title: 'v1' });
        expect(await store.count('c', {})).toBe(2);
      });
    });

    describe('finds, counts and sorts', () => {
      const data = items(3000);
      beforeEach(async () => {
        await store.ensureIndexes('items', INDEXES);
        await store.replaceMany(
          'items',
          data.map((doc) => ({ doc, expectedRevision: -1 })),
        );
      });

      const cases: [string, Record<string, unknown>, (d: Item) => boolean][] = [
        ['equality', { status: 'CLOSED' }, (d) => d.status === 'CLOSED'],
        ['$in', { status: { $in: ['NEW', 'ASSIGNED'] } }, (d) => ['NEW', 'ASSIGNED'].includes(d.status)],
        ['dotted path', { 'owner.id': 'owner-3' }, (d) => d.owner.id === 'owner-3'],
        ['null matches null', { 'owner.line': null }, (d) => d.owner.line === null],
        [
          '$all on an array',
          { words: { $all: ['refund', 'мили'] } },
          (d) => d.words.includes('refund') && d.words.includes('мили'),
        ],
        [
          'string range',
          { createdAt: { $gte: '2026-03-01T00:00:00.000Z', $lt: '2026-04-01T00:00:00.000Z' } },
          (d) => d.createdAt >= '2026-03-01T00:00:00.000Z' && d.createdAt < '2026-04-01T00:00:00.000Z',
        ],
        [
          '$and with $or',
          { $and: [{ status: 'NEW' }, { $or: [{ 'owner.id': 'owner-1' }, { score: { $gt: 900 } }] }] },
          (d) => d.status === 'NEW' && (d.owner.id === 'owner-1' || (d.score !== null && d.score > 900)),
        ],
        [
          '$nor',
          { $nor: [{ status: 'CLOSED' }, { 'owner.line': null }] },
          (d) => d.status !== 'CLOSED' && d.owner.line !== null,
        ],
        ['$ne', { status: { $ne: 'NEW' } }, (d) => d.status !== 'NEW'],
        ['no match', { _id: { $in: [] } }, () => false],
        [
          'conjunction of indexed conditions',
          {
            status: { $in: ['NEW', 'CLOSED'] },
            'owner.id': { $in: ['owner-3', 'owner-4'] },
            createdAt: { $gte: '2026-06-01' },
          },
          (d) =>
            ['NEW', 'CLOSED'].includes(d.status) &&
            ['owner-3', 'owner-4'].includes(d.owner.id) &&
            d.createdAt >= '2026-06-01',
        ],
        [
          'conjunction with a condition every document meets',
          { status: { $in: STATUSES }, 'owner.id': { $in: ['owner-3', 'owner-4'] } },
          (d) => ['owner-3', 'owner-4'].includes(d.owner.id),
        ],
        [
          'conjunction of conditions every document meets',
          { status: { $in: STATUSES }, createdAt: { $gte: '2025-01-01' } },
          () => true,
        ],
        [
          'conjunction of an array element and a condition every document meets',
          { status: { $in: STATUSES }, words: 'мили' },
          (d) => d.words.includes('мили'),
        ],
        ['$nin', { status: { $nin: ['NEW', 'CLOSED'] } }, (d) => !['NEW', 'CLOSED'].includes(d.status)],
        ['$in with null', { 'owner.line': { $in: [null, 'SECOND'] } }, (d) => d.owner.line !== 'FIRST'],
        ['$exists false', { missing: { $exists: false } }, () => true],
        ['number range, null excluded', { score: { $lt: 100 } }, (d) => d.score !== null && d.score < 100],
        ['string range never matches null', { 'owner.line': { $gte: 'A' } }, (d) => d.owner.line !== null],
        ['array element equality', { words: 'мили' }, (d) => d.words.includes('мили')],
        ['array element range', { words: { $gt: 'r' } }, (d) => d.words.some((w) => w > 'r')],
        [
          // One element may meet one bound and another element the other (no element lies between).
          'two-sided range on an array field',
          { words: { $gt: 'pnr', $lt: 'miles' } },
          (d) => d.words.some((w) => w > 'pnr') && d.words.some((w) => w < 'miles'),
        ],
        [
          '$all of one value beside another operator on the field',
          { words: { $all: ['мили'], $nin: ['refund'] } },
          (d) => d.words.includes('мили') && !d.words.includes('refund'),
        ],
        [
          'two bounds on one side of an indexed field',
          { number: { $gt: 2900, $gte: 100 } },
          (d) => d.number > 2900,
        ],
      ];

      it.each(cases)('%s: find and count agree with the documents', async (_name, filter, predicate) => {
        const expected = data.filter(predicate).sort(byCreatedDesc);
        const found = await store.find('items', filter, { sort: { createdAt: -1, number: -1 } });
        expect(ids(found)).toEqual(ids(expected));
        expect(await store.count('items', filter)).toBe(expected.length);
      });

      it('sorts ascending and descending, with limit', async () => {
        const asc = await store.find('items', { status: 'NEW' }, { sort: { number: 1 }, limit: 5 });
        expect(asc.map((d) => d.number)).toEqual(
          data
            .filter((d) => d.status === 'NEW')
            .map((d) => d.number)
            .slice(0, 5),
        );
        const desc = await store.find('items', {}, { sort: { createdAt: 1, number: 1 }, limit: 3 });
        expect(ids(desc)).toEqual(ids([...data].sort(byCreatedDesc).reverse().slice(0, 3)));
      });

      it('returns only the projected fields (and _id, revision)', async () => {
        const [doc] = await store.find('items', { number: 1 }, { projection: { status: 1 } });
        expect(doc).toEqual({ _id: 'item-00000', revision: 0, status: data[0].status });
      });

      it('pages with keyset conditions: the pages together are the whole sorted list', async () => {
        const filter = { status: { $in: ['NEW', 'IN_PROGRESS'] } };
        const expected = data.filter((d) => ['NEW', 'IN_PROGRESS'].includes(d.status)).sort(byCreatedDesc);
        const seen: string[] = [];
        let last: Item | null = null;
        for (;;) {
          const keyset: Record<string, unknown>[] =
            last === null
              ? []
              : [
                  { createdAt: { $lte: last.createdAt } },
                  {
                    $or: [
                      { createdAt: { $lt: last.createdAt } },
                      { createdAt: last.createdAt, number: { $lt: last.number } },
                    ],
                  },
                ];
          const page = (await store.find(
            'items',
            { $and: [filter, ...keyset] },
            {
              sort: { createdAt: -1, number: -1 },
              limit: 250,
            },
          )) as Item[];
          if (page.length === 0) break;
          seen.push(...ids(page));
          last = page[page.length - 1];
        }
        expect(seen).toEqual(ids(expected));
      });

      it('finds the right page when the sort runs against the filtered range (the oldest, newest first)', async () => {
        // Numbers grow with creation time, so walking the number index from the top meets the oldest
        // month only at its very end: the store must still answer with that month's highest numbers.
        const aged = Array.from({ length: 3000 }, (_, i) => ({
          _id: `aged-${String(i).padStart(5, '0')}`,
          revision: 0,
          number: i + 1,
          createdAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
        }));
        await store.ensureIndexes('aged', INDEXES);
        await store.replaceMany(
          'aged',
          aged.map((doc) => ({ doc, expectedRevision: -1 })),
        );
        const month = { createdAt: { $gte: '2026-01-01T00:00:00.000Z', $lt: '2026-01-08T00:00:00.000Z' } };
        const inMonth = aged.filter((d) => d.createdAt < '2026-01-08T00:00:00.000Z').reverse();
        for (const limit of [1, 5, 21, 200]) {
          const page = await store.find('aged', month, { sort: { number: -1 }, limit });
          expect(ids(page)).toEqual(ids(inMonth.slice(0, limit)));
        }
        const next = await store.find(
          'aged',
          { $and: [month, { number: { $lt: inMonth[20].number } }] },
          { sort: { number: -1 }, limit: 21 },
        );
        expect(ids(next)).toEqual(ids(inMonth.slice(21, 42)));
        expect(await store.count('aged', month)).toBe(inMonth.length);
      });

      it('pages a list fixed on one owner through an index led by the owner, in both directions', async () => {
        await store.ensureIndexes('items', [{ key: { 'owner.id': 1, createdAt: -1, number: -1 } }]);
        const byCreatedAsc = (a: Item, b: Item): number => byCreatedDesc(b, a);
        const shapes: [Record<string, unknown>, (d: Item) => boolean, 1 | -1][] = [
          [{ 'owner.id': 'owner-3' }, (d) => d.owner.id === 'owner-3', -1],
          [{ 'owner.id': 'owner-3' }, (d) => d.owner.id === 'owner-3', 1],
          [
            { 'owner.id': 'owner-5', status: { $in: ['NEW', 'CLOSED'] } },
            (d) => d.owner.id === 'owner-5' && ['NEW', 'CLOSED'].includes(d.status),
            -1,
          ],
          [{ 'owner.id': 'nobody' }, () => false, -1],
        ];
        for (const [filter, predicate, direction] of shapes) {
          const expected = data.filter(predicate).sort(direction === -1 ? byCreatedDesc : byCreatedAsc);
          // Several pages each (but for "nobody"), so the cursor's place inside the owner's run is tested.
          expect(expected.length === 0 || expected.length > 21).toBe(true);
          const seen: string[] = [];
          let last: Item | null = null;
          for (;;) {
            const [beyond, reaching] = direction === -1 ? ['$lt', '$lte'] : ['$gt', '$gte'];
            const keyset: Record<string, unknown>[] =
              last === null
                ? []
                : [
                    { createdAt: { [reaching]: last.createdAt } },
                    {
                      $or: [
                        { createdAt: { [beyond]: last.createdAt } },
                        { createdAt: last.createdAt, number: { [beyond]: last.number } },
                      ],
                    },
                  ];
            const page = (await store.find(
              'items',
              { $and: [filter, ...keyset] },
              { sort: { createdAt: direction, number: direction }, limit: 7 },
            )) as Item[];
            if (page.length === 0) break;
            seen.push(...ids(page));
            last = page[page.length - 1];
          }
          expect(seen).toEqual(ids(expected));
          expect(await store.count('items', filter)).toBe(expected.length);
        }
      });

      it('treats operator-looking text as a plain value', async () => {
        await store.replace(
          'items',
          { ...data[0], _id: 'odd', number: 99999, status: '$where' },
          { expectedRevision: -1 },
        );
        expect(ids(await store.find('items', { status: '$where' }))).toEqual(['odd']);
        expect(await store.count('items', { status: '.*' })).toBe(0);
      });
    });

    describeIndexesAndArrays(() => store);

    describe('aggregation', () => {
      it('groups with $match, $group, $cond sums, $avg over non-null values and UTC date keys', async () => {
        const docs = [
          { createdAt: '2027-01-01T10:00:00.000Z', status: 'CLOSED', minutes: 30 },
          { createdAt: '2026-12-31T23:59:00.000Z', status: 'NEW', minutes: null },
          { createdAt: '2026-11-20T10:00:00.000Z', status: 'NEW', minutes: 90 },
          { createdAt: '2026-11-22T23:00:00.000Z', status: 'CLOSED', minutes: 10 },
          { createdAt: '2026-11-23T00:00:00.000Z', status: 'IGNORED', minutes: 1 },
        ];
        await store.replaceMany(
          'agg',
          docs.map((doc, i) => ({ doc: { _id: `d${i}`, revision: 0, ...doc }, expectedRevision: -1 })),
        );
        const date = { $toDate: '$createdAt' };
        const thursday = {
          $add: [date, { $multiply: [{ $subtract: [4, { $isoDayOfWeek: date }] }, 86_400_000] }],
        };
        const rows = await store.aggregate('agg', [
          { $match: { status: { $ne: 'IGNORED' } } },
          {
            $group: {
              _id: { week: { $dateToString: { format: '%Y-W%V', date: thursday } } },
              count: { $sum: 1 },
              closed: { $sum: { $cond: [{ $eq: ['$status', 'CLOSED'] }, 1, 0] } },
              avg: { $avg: '$minutes' },
            },
          },
        ]);
        const byWeek = Object.fromEntries(rows.map((r) => [(r._id as { week: string }).week, r]));
        expect(Object.keys(byWeek).sort()).toEqual(['2026-W47', '2026-W53']);
        expect(byWeek['2026-W53']).toMatchObject({ count: 2, closed: 1, avg: 30 });
        expect(byWeek['2026-W47']).toMatchObject({ count: 2, closed: 1, avg: 50 });
      });
    });

    describe('checkpoints and collections', () => {
      it('stores checkpoints as exact positions', async () => {
        expect(await store.getCheckpoint('p')).toBeNull();
        await store.saveCheckpoint('p', 9_007_199_254_740_993n);
        expect(await store.getCheckpoint('p')).toBe(9_007_199_254_740_993n);
      });

      it('leaves a checkpoint that is gone missing when told not to create it (a lost read store stays lost)', async () => {
        expect(await store.saveCheckpoint('gone', 5n, false)).toBe('missing');
        expect(await store.getCheckpoint('gone')).toBeNull();
        expect(await store.checkCheckpoint('gone')).toBe('missing');
        expect(await store.saveCheckpoint('gone', 5n)).toBe('kept');
        expect(await store.saveCheckpoint('gone', 7n, false)).toBe('kept');
        expect(await store.getCheckpoint('gone')).toBe(7n);
        expect(await store.checkCheckpoint('gone')).toBe('kept');
      });

      it('resets a checkpoint to no position, which is then its own to move on', async () => {
        await store.saveCheckpoint('afresh', 500n);
        await store.resetCheckpoint('afresh');
        expect(await store.getCheckpoint('afresh')).toBeNull();
        expect(await store.checkCheckpoint('afresh')).toBe('kept');
        expect(await store.saveCheckpoint('afresh', 3n, false)).toBe('kept');
        expect(await store.getCheckpoint('afresh')).toBe(3n);
      });

      it('never moves a checkpoint back (instances sharing the read models save it in any order)', async () => {
        await store.saveCheckpoint('shared', 10n ** 15n);
        expect(await store.saveCheckpoint('shared', 9n, false)).toBe('kept');
        // By number, not by text: "99" sorts after "1000000000000000".
        expect(await store.saveCheckpoint('shared', 99n)).toBe('kept');
        expect(await store.getCheckpoint('shared')).toBe(10n ** 15n);
        await store.saveCheckpoint('shared', 2n * 10n ** 15n);
        expect(await store.getCheckpoint('shared')).toBe(2n * 10n ** 15n);
        await store.saveCheckpoint('shared', 18_446_744_073_709_551_615n);
        expect(await store.getCheckpoint('shared')).toBe(18_446_744_073_709_551_615n);
      });

      it('switches a rebuilt collection in for the live one', async () => {
        const fresh = rebuildCollectionName('live', 1);
        await store.replace('live', { _id: 'old', revision: 0 }, { expectedRevision: -1 });
        await store.ensureIndexes(fresh, [{ key: { n: 1 } }]);
        await store.replace(fresh, { _id: 'new', revision: 0, n: 1 }, { expectedRevision: -1 });
        await store.renameCollection(fresh, 'live');
        expect(ids(await store.find('live', {}))).toEqual(['new']);
        expect(await store.count(fresh, {})).toBe(0);
        await store.dropCollection('live');
        expect(await store.count('live', {})).toBe(0);
      });
    });
  });
}
