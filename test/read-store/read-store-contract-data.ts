/** The contract's shared data set: deterministic documents, the indexes on them, and helpers. */
import type { IndexSpec, ReadDocument } from '../../src/application/ports/read-store.port';

export interface Item extends ReadDocument {
  number: number;
  status: string;
  createdAt: string;
  words: string[];
  owner: { id: string; line: string | null };
  score: number | null;
}

export const STATUSES = ['NEW', 'ASSIGNED', 'IN_PROGRESS', 'CLOSED'];
export const WORDS = ['refund', 'miles', 'coupon', 'pnr', 'мили', 'возврат'];

/** A deterministic pseudo-random data set (no Math.random: every run sees the same documents). */
export function items(count: number): Item[] {
  let seed = 7;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    // The high bits: an LCG's low bits repeat with a short period (seed % 40 gave only owners 0, 8, 16, …).
    return Math.floor(seed / 65536) % n;
  };
  return Array.from({ length: count }, (_, i) => ({
    _id: `item-${String(i).padStart(5, '0')}`,
    revision: 0,
    number: i + 1,
    status: STATUSES[next(STATUSES.length)],
    createdAt: new Date(Date.UTC(2026, 0, 1) + next(400) * 86_400_000 + (i % 7) * 1000).toISOString(),
    words: [WORDS[next(WORDS.length)], WORDS[next(WORDS.length)]].filter((w, j, a) => a.indexOf(w) === j),
    owner: { id: `owner-${next(40)}`, line: next(3) === 0 ? null : ['FIRST', 'SECOND'][next(2)] },
    score: next(5) === 0 ? null : next(1000),
  }));
}

export const INDEXES: IndexSpec[] = [
  { key: { number: -1 }, unique: true },
  { key: { createdAt: -1, number: -1 } },
  { key: { status: 1 } },
  { key: { 'owner.id': 1 } },
  { key: { words: 1 } },
];

export const ids = (docs: readonly ReadDocument[]): string[] => docs.map((d) => d._id);
export const byCreatedDesc = (a: Item, b: Item): number =>
  a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.number - a.number;
