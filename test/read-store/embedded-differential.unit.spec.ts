/**
 * The embedded read store against a plain reference: after rounds of random writes (new documents,
 * changed keys, arrays that grow, shrink and empty), random filtered, sorted, limited and keyset-paged
 * finds and counts must return exactly what testing every document with mingo and sorting them gives.
 * It exercises every road a find can take (candidates, walks with and without a fixed prefix, walks
 * that give up, scans) and index merges of every size, which the contract's fixed cases reach only in
 * part. Deterministic: the same seed gives the same run.
 */
import { Query } from 'mingo';
import type { IndexSpec, ReadDocument } from '../../src/application/ports/read-store.port';
import { EmbeddedReadStore } from '../../src/infrastructure/read-store/embedded/embedded-read-store';
import { compareValues } from '../../src/infrastructure/read-store/embedded/value-order';

interface Doc extends ReadDocument {
  number: number;
  status: string;
  createdAt: string;
  score: number | null;
  words: string[];
  owner: { id: string | null };
}

const STATUSES = ['NEW', 'ASSIGNED', 'IN_PROGRESS', 'CLOSED'];
const WORDS = ['refund', 'miles', 'coupon', 'pnr', 'мили', 'возврат', 'багаж'];
const OWNERS = ['o1', 'o2', 'o3', 'o4', 'o5', null];

const INDEXES: IndexSpec[] = [
  { key: { number: -1 }, unique: true },
  { key: { createdAt: -1, number: -1 } },
  { key: { score: -1, number: -1 } },
  { key: { status: 1 } },
  { key: { 'owner.id': 1, createdAt: -1, number: -1 } },
  { key: { words: 1 } },
];

const SORTS: Record<string, 1 | -1>[] = [
  { createdAt: -1, number: -1 },
  { createdAt: 1, number: 1 },
  { number: -1 },
  { number: 1 },
  { score: -1, number: -1 },
  { score: 1, number: 1 },
];

function random(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor(state / 65536) % n;
  };
}

describe('embedded read store against a plain reference (random writes, finds and counts)', () => {
  it.each([1, 2, 3])('seed %i: every find and count agrees with testing every document', async (seed) => {
    const next = random(seed);
    const pick = <T>(from: readonly T[]): T => from[next(from.length)];
    const store = new EmbeddedReadStore();
    await store.ensureIndexes('docs', INDEXES);
    const current = new Map<string, Doc>();
    let numbers = 0;

    const day = (): string =>
      new Date(Date.UTC(2026, 0, 1) + next(120) * 86_400_000 + next(4) * 3_600_000).toISOString();
    const someWords = (): string[] => {
      const count = next(4);
      return Array.from({ length: count }, () => pick(WORDS));
    };
    const fresh = (): Doc => {
      numbers++;
      return {
        _id: `d${String(numbers).padStart(5, '0')}`,
        revision: 0,
        number: numbers,
        status: pick(STATUSES),
        createdAt: day(),
        score: next(4) === 0 ? null : next(50),
        words: someWords(),
        owner: { id: pick(OWNERS) },
      };
    };
    const changed = (doc: Doc): Doc => {
      const copy: Doc = { ...doc, revision: doc.revision + 1, owner: { ...doc.owner } };
      const what = next(5);
      if (what === 0) copy.status = pick(STATUSES);
      if (what === 1) copy.createdAt = day();
      if (what === 2) copy.score = next(3) === 0 ? null : next(50);
      if (what === 3) copy.words = someWords();
      if (what === 4) copy.owner.id = pick(OWNERS);
      return copy;
    };

    const randomFilter = (): Record<string, unknown> => {
      const clauses: Record<string, unknown>[] = [];
      const parts = next(4);
      for (let i = 0; i < parts; i++) {
        switch (next(13)) {
          case 9:
            clauses.push({ status: { $ne: pick(STATUSES) } });
            break;
          case 10:
            clauses.push({ words: { $nin: [pick(WORDS), null] } });
            break;
          case 11:
            clauses.push({ $nor: [{ 'owner.id': pick(OWNERS) }, { score: { $lt: next(50) } }] });
            break;
          case 12:
            clauses.push({ score: { $in: [null, next(50), next(50)] } });
            break;
          case 7:
            clauses.push({ status: { $in: STATUSES } });
            break;
          case 8:
            clauses.push({ [pick(['words', 'score', 'owner.id'])]: null });
            break;
          case 0:
            clauses.push({ status: pick(STATUSES) });
            break;
          case 1:
            clauses.push({ status: { $in: [pick(STATUSES), pick(STATUSES)] } });
            break;
          case 2:
            clauses.push({ 'owner.id': pick(OWNERS) });
            break;
          case 3:
            clauses.push({ words: pick(WORDS) });
            break;
          case 4:
            clauses.push({ words: { $all: [pick(WORDS), pick(WORDS)] } });
            break;
          case 5: {
            const from = day();
            clauses.push({ createdAt: next(2) === 0 ? { $gte: from } : { $gte: from, $lt: day() } });
            break;
          }
          default:
            clauses.push({ $or: [{ score: { $gt: next(50) } }, { 'owner.id': pick(OWNERS) }] });
        }
      }
      if (clauses.length === 0) return {};
      return clauses.length === 1 ? clauses[0] : { $and: clauses };
    };

    const compareBy =
      (sort: Record<string, 1 | -1>) =>
      (a: Doc, b: Doc): number => {
        for (const [field, direction] of Object.entries(sort)) {
          const order = compareValues(a[field], b[field]);
          if (order !== 0) return order * direction;
        }
        return compareValues(a._id, b._id);
      };

    /** The keyset condition "after this document" for a sort whose last field is the unique number. */
    const after = (sort: Record<string, 1 | -1>, doc: Doc): Record<string, unknown> => {
      const [[field, direction]] = Object.entries(sort);
      const beyond = direction === 1 ? '$gt' : '$lt';
      const reaching = direction === 1 ? '$gte' : '$lte';
      if (field === 'number') return { number: { [beyond]: doc.number } };
      if (doc[field] === null) {
        // Nothing sorts below null: after it come only the nulls past its number, then (ascending) the rest.
        const tied = { [field]: null, number: { [beyond]: doc.number } };
        return direction === 1 ? { $or: [tied, { [field]: { $ne: null } }] } : tied;
      }
      return {
        $and: [
          {
            $or: [{ [field]: { [reaching]: doc[field] } }, ...(direction === -1 ? [{ [field]: null }] : [])],
          },
          {
            $or: [
              { [field]: { [beyond]: doc[field] } },
              ...(direction === -1 ? [{ [field]: null }] : []),
              { [field]: doc[field], number: { [beyond]: doc.number } },
            ],
          },
        ],
      };
    };

    let checks = 0;
    for (let round = 0; round < 25; round++) {
      // Writes: from one document (merged into the indexes one by one) to hundreds (a full rebuild).
      const size = round === 0 ? 400 : pick([1, 3, 10, 40, 300]);
      const writes: { doc: Doc; expectedRevision: number }[] = [];
      const touched = new Set<string>();
      for (let i = 0; i < size; i++) {
        const ids = [...current.keys()];
        const existing = ids.length > 0 && next(3) > 0 ? current.get(pick(ids)) : undefined;
        if (existing && touched.has(existing._id)) continue;
        const doc = existing ? changed(existing) : fresh();
        writes.push({ doc, expectedRevision: existing ? existing.revision : -1 });
        touched.add(doc._id);
        current.set(doc._id, doc);
      }
      expect(await store.replaceMany('docs', writes)).toBe(writes.length);

      const all = [...current.values()];
      for (let q = 0; q < 12; q++) {
        const filter = randomFilter();
        const sort = pick(SORTS);
        const limit = pick([1, 5, 21, 100]);
        const query = new Query(filter);
        const matching = all.filter((doc) => query.test(doc)).sort(compareBy(sort));
        // The filter travels with the count, so a failure shows which one disagreed.
        const counted = await store.count('docs', filter);
        expect({ filter, count: counted }).toEqual({ filter, count: matching.length });
        const first = (await store.find('docs', filter, { sort, limit })) as Doc[];
        expect(first.map((d) => d._id)).toEqual(matching.slice(0, limit).map((d) => d._id));
        if (matching.length > 1) {
          const from = next(matching.length - 1);
          const page = (await store.find(
            'docs',
            { $and: [filter, after(sort, matching[from])] },
            { sort, limit },
          )) as Doc[];
          expect(page.map((d) => d._id)).toEqual(
            matching.slice(from + 1, from + 1 + limit).map((d) => d._id),
          );
        }
        checks++;
      }
    }
    expect(checks).toBe(300);
  });
});
