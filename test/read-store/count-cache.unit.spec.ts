import { CountCache, countKey } from '../../src/infrastructure/read-store/embedded/count-cache';
import { EmbeddedReadStore } from '../../src/infrastructure/read-store/embedded/embedded-read-store';

describe('embedded count cache', () => {
  it('gives filters that match differently different keys', () => {
    const keys = [
      { n: 5 },
      { n: '5' },
      { n: null },
      { n: Number.NaN },
      { at: new Date('2026-01-01T00:00:00.000Z') },
      { at: '2026-01-01T00:00:00.000Z' },
      { at: `d${Date.parse('2026-01-01T00:00:00.000Z')}` },
      { n: { $in: [1, 2] } },
      { n: { $in: ['1', '2'] } },
      { n: true },
      { n: 'true' },
    ].map(countKey);
    expect(keys.every((key) => key !== null)).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    expect(countKey({ a: 1, b: [new Date(0)] })).toBe(countKey({ a: 1, b: [new Date(0)] }));
  });

  it('does not cache filters holding other kinds of values', () => {
    expect(countKey({ n: /5/ })).toBeNull();
    expect(countKey({ n: new Map() })).toBeNull();
  });

  it('answers only for the collection state it was filled at', () => {
    const cache = new CountCache();
    cache.get('k', 1);
    cache.set('k', 1, 10);
    expect(cache.get('k', 1)).toBe(10);
    expect(cache.get('k', 2)).toBeUndefined();
    expect(cache.get('k', 1)).toBeUndefined();
  });

  it('counts after each write as if nothing had been cached', async () => {
    const store = new EmbeddedReadStore();
    await store.ensureIndexes('c', [{ key: { status: 1 } }, { key: { n: 1 } }]);
    const put = (id: string, revision: number, status: string, n: number | string) =>
      store.replace('c', { _id: id, revision, status, n }, { expectedRevision: revision - 1 });
    await put('a', 0, 'NEW', 5);
    await put('b', 0, 'NEW', '5');
    const newOnes = { status: { $in: ['NEW', 'CLOSED'] }, n: 5 };
    expect(await store.count('c', newOnes)).toBe(1);
    expect(await store.count('c', { status: { $in: ['NEW', 'CLOSED'] }, n: '5' })).toBe(1);
    await put('c', 0, 'NEW', 5);
    expect(await store.count('c', newOnes)).toBe(2);
    await put('a', 1, 'OPEN', 5);
    expect(await store.count('c', newOnes)).toBe(1);
    expect(await store.count('c', { status: 'OPEN' })).toBe(1);
    await store.close();
  });
});
