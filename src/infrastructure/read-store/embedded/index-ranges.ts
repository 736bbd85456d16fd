/**
 * What an ordered index answers for a filter condition: the positions of the entries within an
 * equality or a range (within the bound's type, as MongoDB compares), and candidate sets built on them.
 */
import type { ReadDocument } from '../../../application/ports/read-store.port';
import type { FieldCondition } from './filter-conditions';
import type { OrderedIndex } from './ordered-index';

/** Documents an index narrows a filter to: how many entries, and a way to visit them. */
export interface Candidates {
  size: number;
  /** True when no document is visited twice (one index, disjoint ranges). */
  distinct: boolean;
  /** True when every visited document satisfies the filter (nothing left to test). */
  exact: boolean;
  visit(each: (doc: ReadDocument) => void): void;
}

/** A filter that is exactly one field's range operators (`{ f: { $gte, $lt } }`): an index range is its answer. */
export function isRangeOnly(filter: Record<string, unknown>, field: string): boolean {
  const condition = filter[field];
  if (condition === null || typeof condition !== 'object') return false;
  return Object.keys(condition).every((op) => ['$gt', '$gte', '$lt', '$lte'].includes(op));
}

/** How many index entries the ranges [start, end) hold together. */
export function rangesSize(ranges: readonly [number, number][]): number {
  let size = 0;
  for (const [start, end] of ranges) size += end - start;
  return size;
}

export function rangesOf(
  index: OrderedIndex,
  ranges: [number, number][],
  distinct: boolean,
  exact: boolean,
): Candidates {
  return {
    size: rangesSize(ranges),
    distinct,
    exact,
    visit: (each) => {
      index.size();
      for (const [start, end] of ranges) for (let i = start; i < end; i++) each(index.docAt(i));
    },
  };
}

export function equalRange(
  index: OrderedIndex,
  value: unknown,
  component = 0,
  within?: [number, number],
): [number, number] {
  const bound = { value, inclusive: true };
  return boundedRange(index, { lower: bound, upper: bound }, component, within);
}

/**
 * Positions [start, end) of the entries whose leading key lies within the bounds. A one-sided range
 * stays within the bound's type, as MongoDB's does (`$lt: '2026'` never matches null or a number).
 * With `component` and `within`: the entries of that span (equal on the keys before `component`)
 * whose `component`-th key lies within the bounds.
 */
export function boundedRange(
  index: OrderedIndex,
  condition: FieldCondition,
  component = 0,
  within?: [number, number],
): [number, number] {
  const lower = condition.lower ?? typeFloor(condition.upper?.value);
  const upper = condition.upper ?? typeCeiling(condition.lower?.value);
  const [from, to] = within ?? [0, index.size()];
  const ascending = index.directions[component] === 1;
  const first = ascending ? lower : upper;
  const last = ascending ? upper : lower;
  const start = first ? index.boundary(first.value, first.inclusive, component, from, to) : from;
  const end = last ? index.boundary(last.value, !last.inclusive, component, from, to) : to;
  return [start, Math.max(start, end)];
}

/** Whether the range's bounds are of a type with a floor and a ceiling, so an index range is exact. */
export const bracketed = (condition: FieldCondition): boolean =>
  [condition.lower?.value, condition.upper?.value].every(
    (value) =>
      value === undefined || typeof value === 'string' || typeof value === 'number' || value instanceof Date,
  );

/** The smallest value of the value's type, when it has one that sorts (strings, numbers, dates). */
function typeFloor(value: unknown): { value: unknown; inclusive: boolean } | undefined {
  if (typeof value === 'string') return { value: '', inclusive: true };
  if (typeof value === 'number') return { value: -Infinity, inclusive: true };
  if (value instanceof Date) return { value: new Date(-8.64e15), inclusive: true };
  return undefined;
}

/** Just above the largest value of the value's type: the type after it in MongoDB's order starts there. */
function typeCeiling(value: unknown): { value: unknown; inclusive: boolean } | undefined {
  if (typeof value === 'number') return { value: Infinity, inclusive: true };
  if (value instanceof Date) return { value: new Date(8.64e15), inclusive: true };
  if (typeof value === 'string') return { value: {}, inclusive: false };
  return undefined;
}
