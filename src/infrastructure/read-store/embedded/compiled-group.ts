/**
 * `$group` with compiled expressions (compiled-expression.ts): the statistics' grouping in one pass of
 * plain code, about twenty times faster than mingo's, yielding to other requests every
 * `COMPILED_GROUP_CHUNK` documents. Accumulators: `$sum` (of the numeric values; `$sum: 1` counts) and
 * `$avg` (of the numeric values; null when there are none), as MongoDB computes them.
 */
import type { ReadDocument } from '../../../application/ports/read-store.port';
import { groupKey } from './chunked-group';
import { compileExpression, type CompiledExpression } from './compiled-expression';

/** Documents grouped per turn of the event loop (a few milliseconds here). */
export const COMPILED_GROUP_CHUNK = 5_000;

interface Accumulator {
  field: string;
  kind: '$sum' | '$avg';
  value: CompiledExpression;
}

export interface CompiledGroup {
  /** The rows, in the order their groups were first met; throws `NotCompiled` for a case left to mingo. */
  run(docs: readonly ReadDocument[]): Promise<Record<string, unknown>[]>;
}

/** The `$group` stage compiled, or null when its key or an accumulator is outside the vocabulary. */
export function compileGroup(group: Record<string, unknown>): CompiledGroup | null {
  if (!('_id' in group)) return null;
  const key = compileExpression(group._id);
  if (key === null) return null;
  const accumulators: Accumulator[] = [];
  for (const [field, spec] of Object.entries(group)) {
    if (field === '_id') continue;
    if (field.includes('.') || field.startsWith('$')) return null;
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return null;
    const entries = Object.entries(spec as Record<string, unknown>);
    if (entries.length !== 1) return null;
    const [kind, argument] = entries[0];
    if (kind !== '$sum' && kind !== '$avg') return null;
    const value = compileExpression(argument);
    if (value === null) return null;
    accumulators.push({ field, kind, value });
  }
  return { run: (docs) => runGroup(docs, key, accumulators) };
}

interface Bucket {
  id: unknown;
  sums: number[];
  counts: number[];
}

async function runGroup(
  docs: readonly ReadDocument[],
  key: CompiledExpression,
  accumulators: readonly Accumulator[],
): Promise<Record<string, unknown>[]> {
  const buckets = new Map<string, Bucket>();
  for (let i = 0; i < docs.length; i++) {
    if (i > 0 && i % COMPILED_GROUP_CHUNK === 0) await new Promise((resolve) => setImmediate(resolve));
    const doc = docs[i] as unknown as Record<string, unknown>;
    const id = key(doc) ?? null;
    const text = groupKey(id);
    let bucket = buckets.get(text);
    if (bucket === undefined) {
      bucket = { id, sums: accumulators.map(() => 0), counts: accumulators.map(() => 0) };
      buckets.set(text, bucket);
    }
    for (let a = 0; a < accumulators.length; a++) {
      const value = accumulators[a].value(doc);
      if (typeof value === 'number') {
        bucket.sums[a] += value;
        bucket.counts[a]++;
      }
    }
  }
  return [...buckets.values()].map(({ id, sums, counts }) => {
    const row: Record<string, unknown> = { _id: id };
    accumulators.forEach(({ field, kind }, a) => {
      row[field] = kind === '$sum' ? sums[a] : counts[a] === 0 ? null : sums[a] / counts[a];
    });
    return row;
  });
}
