/**
 * Sorted pages read in index order. An index serves a sort when its keys are the sort's fields in the
 * sort's directions (or all reversed), optionally after fields the filter fixes to one value each: with
 * `{ 'requester.id': 1, createdAt: -1, number: -1 }`, a requester's tickets newest first are one run of
 * entries, and a keyset page starts right at its cursor within it (MongoDB's equality-then-sort rule).
 */
import type { ReadDocument, SortSpec } from '../../../application/ports/read-store.port';
import type { FieldCondition } from './filter-conditions';
import { boundedRange, equalRange } from './index-ranges';
import type { OrderedIndex } from './ordered-index';

export interface WalkPlan {
  index: OrderedIndex;
  /** True when the index is walked backwards (the sort is its exact reverse). */
  reverse: boolean;
  /** The single values the filter fixes for the index's leading fields, before the sort's fields. */
  prefix: unknown[];
}

/** The index that serves the sort with the longest fixed prefix, or null when none does. */
export function walkPlan(
  indexes: Iterable<OrderedIndex>,
  sort: SortSpec,
  byField: ReadonlyMap<string, FieldCondition>,
): WalkPlan | null {
  const fields = Object.keys(sort);
  const directions = Object.values(sort);
  let best: WalkPlan | null = null;
  for (const index of indexes) {
    const fixed = index.fields.length - fields.length;
    if (fixed < 0 || (best !== null && fixed <= best.prefix.length)) continue;
    if (fields.some((field, i) => index.fields[fixed + i] !== field)) continue;
    const prefix: unknown[] = [];
    for (const field of index.fields.slice(0, fixed)) {
      const equals = byField.get(field)?.equals;
      if (equals === undefined || new Set(equals).size !== 1) break;
      prefix.push(equals[0]);
    }
    if (prefix.length < fixed) continue;
    const same = directions.every((d, i) => index.directions[fixed + i] === d);
    const reversed = directions.every((d, i) => index.directions[fixed + i] === -d);
    if ((same || reversed) && !index.multikey) best = { index, reverse: !same, prefix };
  }
  return best;
}

/**
 * Positions [start, end) the plan walks: the entries equal to the prefix, narrowed by a range on the
 * sort's leading field (a keyset cursor, a date range).
 */
export function walkSpan(plan: WalkPlan, byField: ReadonlyMap<string, FieldCondition>): [number, number] {
  const { index, prefix } = plan;
  let span: [number, number] = [0, index.size()];
  prefix.forEach((value, component) => (span = equalRange(index, value, component, span)));
  const leading = byField.get(index.fields[prefix.length]);
  if (leading && (leading.lower || leading.upper)) span = boundedRange(index, leading, prefix.length, span);
  return span;
}

/**
 * The first `limit` documents of the span that match, in the plan's order; null when more than `budget`
 * entries were visited first (the caller then tests its candidates instead).
 */
export function walkIndex(
  plan: WalkPlan,
  [start, end]: [number, number],
  matches: (doc: ReadDocument) => boolean,
  limit: number,
  budget: number,
): ReadDocument[] | null {
  const index = plan.index;
  index.size();
  const result: ReadDocument[] = [];
  const step = plan.reverse ? -1 : 1;
  let visited = 0;
  for (let i = plan.reverse ? end - 1 : start; plan.reverse ? i >= start : i < end; i += step) {
    if (++visited > budget) return null;
    const doc = index.docAt(i);
    if (matches(doc)) {
      result.push(doc);
      if (result.length >= limit) break;
    }
  }
  return result;
}
