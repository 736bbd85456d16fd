/**
 * The read store contract, part two: index upkeep through changes, and the places where MongoDB's
 * semantics show (unique keys, arrays in filters, indexes and sorts). Run from describeReadStoreContract.
 */
import type { ReadDocument, ReadStore } from '../../src/application/ports/read-store.port';
import { byCreatedDesc, ids, INDEXES, type Item, items, WORDS } from './read-store-contract-data';

/** `current()` is the store under test, opened fresh before each case. */
export function describeIndexesAndArrays(current: () => ReadStore): void {
  describe('index upkeep through changes', () => {
    let store: ReadStore;
    const data = items(3000);
    beforeEach(async () => {
      store = current();
      await store.ensureIndexes('items', INDEXES);
      await store.replaceMany(
        'items',
        data.map((doc) => ({ doc, expectedRevision: -1 })),
      );
    });

    it('keeps every index right through rounds of small changes (arrays, compound keys, new documents)', async () => {
      await store.ensureIndexes('items', [{ key: { 'owner.id': 1, createdAt: -1, number: -1 } }]);
      const current = new Map(data.map((d) => [d._id, d]));
      const check = async (): Promise<void> => {
        const all = [...current.values()];
        const probes: [Record<string, unknown>, (d: Item) => boolean][] = [
          [{}, () => true],
          [{ words: 'мили' }, (d) => d.words.includes('мили')],
          [
            { words: { $all: ['pnr', 'refund'] } },
            (d) => d.words.includes('pnr') && d.words.includes('refund'),
          ],
          [{ 'owner.id': 'owner-7' }, (d) => d.owner.id === 'owner-7'],
          [{ status: 'MOVED' }, (d) => d.status === 'MOVED'],
          [{ createdAt: { $gte: '2026-06-01' } }, (d) => d.createdAt >= '2026-06-01'],
        ];
        for (const [filter, predicate] of probes) {
          const expected = all.filter(predicate).sort(byCreatedDesc);
          const found = await store.find('items', filter, {
            sort: { createdAt: -1, number: -1 },
            limit: 30,
          });
          expect(ids(found)).toEqual(ids(expected.slice(0, 30)));
          expect(await store.count('items', filter)).toBe(expected.length);
        }
        const byNumber = await store.find('items', { status: 'MOVED' }, { sort: { number: 1 } });
        expect(byNumber.map((d) => d.number)).toEqual(
          all
            .filter((d) => d.status === 'MOVED')
            .map((d) => d.number)
            .sort((a, b) => a - b),
        );
      };
      await check();
      for (let round = 0; round < 6; round++) {
        const writes: { doc: Item; expectedRevision: number }[] = [];
        for (let k = 0; k < 20; k++) {
          const before = data[(round * 397 + k * 131) % data.length];
          const stored = current.get(before._id)!;
          const changed: Item = {
            ...stored,
            revision: stored.revision + 1,
            status: k % 3 === 0 ? 'MOVED' : stored.status,
            words:
              k % 2 === 0 ? [WORDS[(round + k) % WORDS.length], 'мили'] : k % 5 === 0 ? [] : stored.words,
            owner: { ...stored.owner, id: k % 4 === 0 ? 'owner-7' : stored.owner.id },
            createdAt: k % 6 === 0 ? `2026-0${1 + (round % 9)}-15T00:00:00.000Z` : stored.createdAt,
          };
          writes.push({ doc: changed, expectedRevision: stored.revision });
          current.set(changed._id, changed);
        }
        const added: Item = {
          _id: `added-${round}`,
          revision: 0,
          number: 10_000 + round,
          status: 'MOVED',
          createdAt: `2026-07-0${1 + round}T00:00:00.000Z`,
          words: ['pnr', 'refund'],
          owner: { id: 'owner-7', line: null },
          score: null,
        };
        writes.push({ doc: added, expectedRevision: -1 });
        current.set(added._id, added);
        expect(await store.replaceMany('items', writes)).toBe(writes.length);
        await check();
      }
    });

    it("keeps an array field's entries right when its elements repeat or it turns from or into an array", async () => {
      await store.ensureIndexes('tags', [{ key: { tag: 1 } }]);
      const write = (tag: unknown, revision: number) =>
        store.replace(
          'tags',
          { _id: 'one', revision, ...(tag === undefined ? {} : { tag }) },
          {
            expectedRevision: revision - 1,
          },
        );
      const found = async (value: unknown) => [
        ids(await store.find('tags', { tag: value })),
        await store.count('tags', { tag: value }),
      ];
      await store.replace('tags', { _id: 'other', revision: 0, tag: 'k' }, { expectedRevision: -1 });
      const steps: [unknown, unknown, [string[], number]][] = [
        [['p', 'p', 'q'], 'q', [['one'], 1]],
        [['p', 'q'], 'q', [['one'], 1]], // a repeat gone: the same distinct elements, other places
        [['p', 'p', 'q'], 'q', [['one'], 1]], // a repeat back
        ['x', 'x', [['one'], 1]],
        [['x'], 'x', [['one'], 1]], // a scalar into an array of it
        [undefined, 'x', [[], 0]],
        [[], 'k', [['other'], 1]], // missing into []: the empty array is no `k`
      ];
      for (const [i, [tag, asked, expected]] of steps.entries()) {
        await write(tag, i);
        expect(await found(asked)).toEqual(expected);
      }
    });

    it('keeps its indexes right as documents change', async () => {
      const moved = { ...data[10], revision: 1, status: 'MOVED', createdAt: '2030-01-01T00:00:00.000Z' };
      await store.replace('items', moved, { expectedRevision: 0 });
      const [newest] = await store.find('items', {}, { sort: { createdAt: -1, number: -1 }, limit: 1 });
      expect(newest._id).toBe(moved._id);
      expect(ids(await store.find('items', { status: 'MOVED' }))).toEqual([moved._id]);
      expect(await store.count('items', { status: data[10].status })).toBe(
        data.filter((d) => d.status === data[10].status).length - 1,
      );
    });
  });

  describe('MongoDB semantics: unique keys and arrays', () => {
    let store: ReadStore;
    beforeEach(() => {
      store = current();
    });

    it('refuses a write that would repeat a unique key, writing nothing, as MongoDB does', async () => {
      await store.ensureIndexes('numbered', [{ key: { number: -1 }, unique: true }]);
      const numbered = (id: string, revision: number, number?: number): ReadDocument => ({
        _id: id,
        revision,
        ...(number === undefined ? {} : { number }),
      });
      expect(await store.replace('numbered', numbered('a', 0, 1), { expectedRevision: -1 })).toBe(true);
      await expect(store.replace('numbered', numbered('b', 0, 1), { expectedRevision: -1 })).rejects.toThrow(
        /duplicate key/i,
      );
      expect(await store.get('numbered', 'b')).toBeNull();
      // A document keeps its own key through a replace; a freed key can be taken.
      expect(await store.replace('numbered', numbered('a', 1, 1), { expectedRevision: 0 })).toBe(true);
      expect(await store.replace('numbered', numbered('a', 2, 2), { expectedRevision: 1 })).toBe(true);
      expect(await store.replace('numbered', numbered('b', 0, 1), { expectedRevision: -1 })).toBe(true);
      // A missing key counts as null: a second document without one collides.
      expect(await store.replace('numbered', numbered('c', 0), { expectedRevision: -1 })).toBe(true);
      await expect(store.replace('numbered', numbered('d', 0), { expectedRevision: -1 })).rejects.toThrow(
        /duplicate key/i,
      );
      expect(await store.count('numbered', {})).toBe(3);
    });

    it('keeps a number and the same digits as text apart in a unique key, and counts every array element', async () => {
      await store.ensureIndexes('keyed', [{ key: { key: 1 }, unique: true }]);
      const keyed = (id: string, key: unknown): ReadDocument => ({ _id: id, revision: 0, key });
      expect(await store.replace('keyed', keyed('number', 7), { expectedRevision: -1 })).toBe(true);
      expect(await store.replace('keyed', keyed('text', '7'), { expectedRevision: -1 })).toBe(true);
      // An array's elements are keys each: [8, 7] repeats the number 7.
      await expect(store.replace('keyed', keyed('array', [8, 7]), { expectedRevision: -1 })).rejects.toThrow(
        /duplicate key/i,
      );
      expect(await store.replace('keyed', keyed('array', [8, 9]), { expectedRevision: -1 })).toBe(true);
      await expect(store.replace('keyed', keyed('nine', 9), { expectedRevision: -1 })).rejects.toThrow(
        /duplicate key/i,
      );
      expect(ids(await store.find('keyed', {}, { sort: { _id: 1 } }))).toEqual(['array', 'number', 'text']);
    });

    it('counts a document once when $in names the same instant twice', async () => {
      await store.ensureIndexes('dated', [{ key: { at: 1 } }]);
      const at = Date.UTC(2026, 8, 3);
      await store.replaceMany(
        'dated',
        [0, 1, 2].map((day) => ({
          doc: { _id: `d${day}`, revision: 0, at: new Date(at + day * 86_400_000) },
          expectedRevision: -1,
        })),
      );
      const filter = { at: { $in: [new Date(at), new Date(at), new Date(at + 86_400_000)] } };
      expect(ids(await store.find('dated', filter, { sort: { _id: 1 } }))).toEqual(['d0', 'd1']);
      expect(await store.count('dated', filter)).toBe(2);
    });

    it('does not match an empty array with null, with an index on the array field', async () => {
      const odd = [
        { _id: 'empty', revision: 0, number: 90001, words: [] },
        { _id: 'holds-null', revision: 0, number: 90002, words: [null, 'pnr'] },
        { _id: 'null', revision: 0, number: 90003, words: null },
        { _id: 'missing', revision: 0, number: 90004 },
        { _id: 'plain', revision: 0, number: 90005, words: ['pnr'] },
      ];
      await store.ensureIndexes('odd', [{ key: { words: 1 } }]);
      await store.replaceMany(
        'odd',
        odd.map((doc) => ({ doc, expectedRevision: -1 })),
      );
      const nulls = ['holds-null', 'missing', 'null'];
      expect(ids(await store.find('odd', { words: null }, { sort: { _id: 1 } }))).toEqual(nulls);
      expect(await store.count('odd', { words: null })).toBe(3);
      expect(await store.count('odd', { words: null, number: { $gt: 90001 } })).toBe(3);
    });

    it('indexes a path through an array of subdocuments by every element, as MongoDB does', async () => {
      await store.ensureIndexes('lines', [{ key: { 'lines.k': 1 } }]);
      const docs = [
        { _id: 'two', revision: 0, lines: [{ k: 2 }, { k: 3 }] },
        { _id: 'three', revision: 0, lines: [{ k: 3 }] },
        { _id: 'plain', revision: 0, lines: { k: 2 } },
        { _id: 'none', revision: 0, lines: [] },
      ];
      await store.replaceMany(
        'lines',
        docs.map((doc) => ({ doc, expectedRevision: -1 })),
      );
      expect(ids(await store.find('lines', { 'lines.k': 2 }, { sort: { _id: 1 } }))).toEqual([
        'plain',
        'two',
      ]);
      expect(await store.count('lines', { 'lines.k': 3 })).toBe(2);
      expect(await store.count('lines', { 'lines.k': { $gte: 3 } })).toBe(2);
      // A change to one element is seen too.
      await store.replace('lines', { ...docs[0], revision: 1, lines: [{ k: 5 }] }, { expectedRevision: 0 });
      expect(ids(await store.find('lines', { 'lines.k': 2 }))).toEqual(['plain']);
      expect(ids(await store.find('lines', { 'lines.k': 5 }))).toEqual(['two']);
    });

    it('sorts an array by its smallest element going up and its largest going down, [] before null', async () => {
      const docs = [
        { _id: 'a', revision: 0, v: 3 },
        { _id: 'b', revision: 0, v: [1, 5] },
        { _id: 'c', revision: 0, v: null },
        { _id: 'i', revision: 0, v: [] },
      ];
      await store.replaceMany(
        'arrays',
        docs.map((doc) => ({ doc, expectedRevision: -1 })),
      );
      expect(ids(await store.find('arrays', {}, { sort: { v: 1 } }))).toEqual(['i', 'c', 'b', 'a']);
      expect(ids(await store.find('arrays', {}, { sort: { v: -1 } }))).toEqual(['b', 'a', 'c', 'i']);
    });
  });
}
