/**
 * A `$group` over many documents without holding the event loop: mingo runs a stage in one synchronous
 * pass, and `ticketStats` over 100,000 tickets took 2–4 s during which no other request was answered.
 * When every accumulator is `$sum` or `$avg` (what the app's statistics use), the documents are grouped
 * in chunks, yielding between them, and the chunks' partial results merged: sums add up, and an average
 * is the sum of its numeric values over their count (MongoDB's `$avg` ignores other values too, and is
 * null when there are none). Sums of fractions may differ from one pass in their last bits (the
 * additions happen in another order, as they may in MongoDB). Other `$group` shapes run in one pass.
 */
import { Aggregator, ProcessingMode } from 'mingo';
import type { ReadDocument } from '../../../application/ports/read-store.port';

/** Documents grouped per turn of the event loop (about 20–40 ms of mingo here). */
export const GROUP_CHUNK = 2_000;

type Accumulators = Record<string, { $sum: unknown } | { $avg: unknown }>;

/** The `$group` spec's accumulators when all are `$sum`/`$avg` (so chunks can be merged), else null. */
export function mergeableAccumulators(group: Record<string, unknown>): Accumulators | null {
  const accumulators: Accumulators = {};
  for (const [field, spec] of Object.entries(group)) {
    if (field === '_id') continue;
    if (spec === null || typeof spec !== 'object') return null;
    const keys = Object.keys(spec);
    if (keys.length !== 1 || (keys[0] !== '$sum' && keys[0] !== '$avg')) return null;
    accumulators[field] = spec as Accumulators[string];
  }
  return accumulators;
}

const yieldTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs `{ $group: group }` over `docs` chunk by chunk (see the module comment). */
export async function groupInChunks(
  docs: readonly ReadDocument[],
  group: Record<string, unknown>,
  accumulators: Accumulators,
): Promise<Record<string, unknown>[]> {
  // Per chunk: each $sum as it is; each $avg as the sum of its numeric values and their count.
  const partial: Record<string, unknown> = { _id: group._id };
  for (const [field, spec] of Object.entries(accumulators)) {
    if ('$sum' in spec) {
      partial[field] = spec;
    } else {
      partial[`${field}__sum`] = { $sum: spec.$avg };
      partial[`${field}__n`] = { $sum: { $cond: [{ $isNumber: spec.$avg }, 1, 0] } };
    }
  }
  const stage = new Aggregator([{ $group: partial }], {
    scriptEnabled: false,
    processingMode: ProcessingMode.CLONE_OFF,
  });
  const merged = new Map<string, { id: unknown; totals: Record<string, number> }>();
  for (let start = 0; start < docs.length; start += GROUP_CHUNK) {
    if (start > 0) await yieldTurn();
    for (const row of stage.run(docs.slice(start, start + GROUP_CHUNK))) {
      const key = groupKey(row._id ?? null);
      let entry = merged.get(key);
      if (!entry) merged.set(key, (entry = { id: row._id ?? null, totals: {} }));
      for (const [field, value] of Object.entries(row)) {
        if (field !== '_id') entry.totals[field] = (entry.totals[field] ?? 0) + Number(value);
      }
    }
  }
  return [...merged.values()].map(({ id, totals }) => {
    const row: Record<string, unknown> = { _id: id };
    for (const [field, spec] of Object.entries(accumulators)) {
      if ('$sum' in spec) {
        row[field] = totals[field] ?? 0;
      } else {
        const count = totals[`${field}__n`] ?? 0;
        row[field] = count === 0 ? null : (totals[`${field}__sum`] ?? 0) / count;
      }
    }
    return row;
  });
}

/**
 * A key telling group ids apart as `$group` does: by type and value (a date is not its ISO text, and
 * NaN is not null), fields in their order, missing ones left out. Texts are written with their length before them, so no
 * text can end one part and begin the next.
 */
export function groupKey(value: unknown): string {
  if (typeof value === 'string') return `s${value.length}:${value}`;
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return `d${value.getTime()}`;
  if (typeof value === 'number') return `n${String(value)}`;
  if (typeof value === 'boolean') return `b${String(value)}`;
  if (Array.isArray(value)) return `[${value.map(groupKey).join(',')}]`;
  if (typeof value === 'object') {
    let key = '{';
    for (const field in value) {
      const item = (value as Record<string, unknown>)[field];
      // A field holding undefined is missing (mingo leaves such fields in the ids it builds).
      if (item !== undefined) key += `${field.length}:${field}=${groupKey(item)},`;
    }
    return `${key}}`;
  }
  return `?${String(value)}`;
}
