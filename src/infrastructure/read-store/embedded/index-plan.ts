/**
 * What a collection's indexes can do for a filter before any document is read: narrow it to candidate
 * documents (the cheapest indexed condition, or a `$or` whose every branch is narrowed), or count it
 * outright when it is a conjunction of conditions the indexes answer exactly.
 */
import type { ReadDocument } from '../../../application/ports/read-store.port';
import type { DocumentsById } from './document-table';
import { indexableConditions } from './filter-conditions';
import {
  boundedRange,
  bracketed,
  equalRange,
  isRangeOnly,
  rangesOf,
  rangesSize,
  type Candidates,
} from './index-ranges';
import type { OrderedIndex } from './ordered-index';

/** The parts of a collection a plan reads. */
export interface IndexedDocuments {
  readonly docs: DocumentsById;
  /** How many sequence numbers documents have taken (every document ever inserted). */
  readonly sequenceSize: number;
  /** The index that leads with `field` and has the fewest fields, if any. */
  indexOn(field: string): OrderedIndex | null;
}

/**
 * On a multikey index an empty array has one entry, keyed like a missing value, so it sits among the
 * nulls; but in MongoDB `{ field: null }` does not match `field: []`. Such candidates must be tested.
 */
const isNullish = (value: unknown): boolean => value === null || value === undefined;

/** The values without repeats, two dates of the same instant being one value (a Set keeps both). */
function distinctValues(values: readonly unknown[]): unknown[] {
  const seen = new Set<unknown>();
  const instants = new Set<number>();
  return values.filter((value) => {
    const [set, key] = value instanceof Date ? [instants, value.getTime()] : [seen, value];
    if (set.has(key as never)) return false;
    set.add(key as never);
    return true;
  });
}

/**
 * The cheapest way the indexes narrow the filter: one indexed field condition (equality, `$in`, `$all`,
 * range), or a top-level `$or` whose every branch is narrowed (the union of the branches).
 */
export function candidatesFor(source: IndexedDocuments, filter: Record<string, unknown>): Candidates | null {
  const { byField, alternatives, onlyEqualities, complete } = indexableConditions(filter);
  const single = byField.size === 1 && alternatives.length === 0 && Object.keys(filter).length === 1;
  let best: Candidates | null = null;
  const consider = (option: Candidates | null): void => {
    if (option !== null && (best === null || option.size < best.size)) best = option;
  };
  for (const [field, condition] of byField) {
    if (field === '_id' && condition.equals) {
      const docs = [...new Set(condition.equals.map(String))]
        .map((id) => source.docs.get(id))
        .filter((doc): doc is ReadDocument => doc !== undefined);
      consider({ size: docs.length, distinct: true, exact: false, visit: (each) => docs.forEach(each) });
      continue;
    }
    const index = source.indexOn(field);
    if (!index) continue;
    const scalar = !index.multikey;
    if (condition.equals) {
      const values = distinctValues(condition.equals);
      const exact = single && onlyEqualities && (scalar || (values.length === 1 && !isNullish(values[0])));
      consider(
        rangesOf(
          index,
          values.map((value) => equalRange(index, value)),
          scalar || values.length === 1,
          exact,
        ),
      );
    }
    // Exact only when `$all` of one value is the field's whole condition (`$nin`, `$size`… beside it
    // are left to mingo, so they must be tested).
    const allAlone = single && complete && !condition.equals && !condition.lower && !condition.upper;
    for (const value of condition.containsAll ?? []) {
      const exact = allAlone && condition.containsAll?.length === 1 && !isNullish(value);
      consider(rangesOf(index, [equalRange(index, value)], true, exact));
    }
    if (condition.lower || condition.upper) {
      const exact =
        single &&
        complete &&
        scalar &&
        bracketed(condition) &&
        !condition.equals &&
        !condition.containsAll &&
        isRangeOnly(filter, field);
      // On an array field one element may meet the lower bound and another the upper one (MongoDB does
      // not intersect bounds on a multikey index): one bound's range holds every match.
      const range = scalar || !condition.lower ? condition : { lower: condition.lower };
      consider(rangesOf(index, [boundedRange(index, range)], scalar, exact));
    }
  }
  for (const branches of alternatives) {
    const options = branches.map((branch) => candidatesFor(source, branch));
    if (options.some((option) => option === null)) continue;
    const union = options as Candidates[];
    consider({
      size: union.reduce((sum, option) => sum + option.size, 0),
      distinct: false,
      exact: false,
      visit: (each) => union.forEach((option) => option.visit(each)),
    });
  }
  return best;
}

/**
 * Counts a conjunction of equality, `$in`, `$all` and bracketed range conditions, each on its own
 * index, by tallying each document's sequence number once per condition it meets. Null when the
 * filter is anything else.
 */
export function countByIntersection(
  source: IndexedDocuments,
  filter: Record<string, unknown>,
): number | null {
  const { byField, complete } = indexableConditions(filter);
  if (!complete || byField.size === 0) return null;
  const conditions: { index: OrderedIndex; ranges: [number, number][] }[] = [];
  for (const [field, condition] of byField) {
    const index = source.indexOn(field);
    if (!index || field === '_id') return null;
    const kinds = [condition.equals, condition.containsAll, condition.lower ?? condition.upper].filter(
      Boolean,
    );
    if (kinds.length !== 1) return null;
    if (index.multikey && [...(condition.equals ?? []), ...(condition.containsAll ?? [])].some(isNullish)) {
      return null; // an empty array's entry sits with the nulls, but `null` does not match it
    }
    if (condition.equals) {
      const values = distinctValues(condition.equals);
      if (index.multikey && values.length > 1) return null;
      conditions.push({ index, ranges: values.map((value) => equalRange(index, value)) });
    } else if (condition.containsAll) {
      for (const value of distinctValues(condition.containsAll))
        conditions.push({ index, ranges: [equalRange(index, value)] });
    } else {
      if (index.multikey || !bracketed(condition)) return null;
      conditions.push({ index, ranges: [boundedRange(index, condition)] });
    }
  }
  // A condition whose ranges hold as many entries as there are documents, on an index with one entry
  // per document, is met by every document: it cannot narrow the count (a list filtered on every
  // open status, say). One condition left is counted by its ranges' sizes alone.
  const documents = source.docs.size;
  const narrowing = conditions.filter(
    ({ index, ranges }) => index.multikey || rangesSize(ranges) < documents,
  );
  if (narrowing.length === 0) return documents;
  if (narrowing.length === 1 && (!narrowing[0].index.multikey || narrowing[0].ranges.length === 1)) {
    return rangesSize(narrowing[0].ranges);
  }
  // One tally per document, as wide as the number of conditions needs: each word of a search is a
  // condition of its own (a pasted Chinese passage is hundreds of pairs), and a byte would wrap at 256.
  const needed = narrowing.length;
  if (needed > 0xffff) return null;
  const tally = needed <= 0xff ? new Uint8Array(source.sequenceSize) : new Uint16Array(source.sequenceSize);
  let total = 0;
  for (const { index, ranges } of narrowing) {
    index.size();
    for (const [start, end] of ranges) {
      for (let i = start; i < end; i++) if (++tally[index.seqAt(i)] === needed) total++;
    }
  }
  return total;
}
