/**
 * One collection of the embedded read store: documents by `_id`, their ordered indexes, guarded
 * replaces in plain code (mingo's update operators are ~30× slower), and finds that pick where to look:
 *
 * - candidates: an equality, `$in`, `$all` or range condition on an indexed field gives few documents,
 *   which are tested with mingo's compiled query and sorted;
 * - walk: the sort matches an index, so the index is walked in order (from the keyset bound on its
 *   leading field), each document tested, stopping after `limit` matches;
 * - scan: neither applies, so every document is tested, then sorted.
 */
import { Query } from 'mingo';
import type {
  FindOptions,
  IndexSpec,
  ReadDocument,
  SortSpec,
} from '../../../application/ports/read-store.port';
import { type FieldCondition, indexableConditions } from './filter-conditions';
import { OrderedIndex } from './ordered-index';
import { sortComparator } from './value-order';

/** Candidate sets up to this size are tested and sorted rather than walking a sort index. */
const SMALL_CANDIDATE_SET = 2000;

type Matcher = (doc: ReadDocument) => boolean;

/** Documents an index narrows a filter to: how many entries, and their ids. */
interface Candidates {
  size: number;
  collect(into: Set<string>): void;
}

export class EmbeddedCollection {
  readonly docs = new Map<string, ReadDocument>();
  private readonly indexes = new Map<string, OrderedIndex>();

  /** Declares an index (by name, default from its keys); an existing one is kept. */
  ensureIndex(spec: IndexSpec): void {
    const name =
      spec.name ??
      Object.entries(spec.key)
        .map(([field, dir]) => `${field}_${dir}`)
        .join('_');
    if (this.indexes.has(name)) return;
    const index = new OrderedIndex(spec);
    for (const [id, doc] of this.docs) index.noteChange(id, doc);
    this.indexes.set(name, index);
  }

  /** Guarded replace: writes when the stored revision is `expectedRevision` (-1: only when absent). */
  replace(doc: ReadDocument, expectedRevision: number): boolean {
    const current = this.docs.get(doc._id);
    if (expectedRevision === -1 ? current !== undefined : current?.revision !== expectedRevision)
      return false;
    this.docs.set(doc._id, doc);
    for (const index of this.indexes.values()) index.noteChange(doc._id, doc);
    return true;
  }

  /** Matching documents, sorted and limited. */
  find(filter: Record<string, unknown>, options: FindOptions = {}): ReadDocument[] {
    const matches = compile(filter);
    const limit = options.limit ?? Infinity;
    if (limit <= 0) return [];
    const { byField } = indexableConditions(filter);
    const narrowed = this.candidates(filter);
    const walk = options.sort ? this.sortIndex(options.sort) : null;
    let result: ReadDocument[];
    if (walk && (narrowed === null || narrowed.size > SMALL_CANDIDATE_SET)) {
      result = this.walk(walk.index, walk.reverse, byField, matches, limit);
    } else {
      const source = narrowed === null ? this.docs.values() : this.lookup(idsOf(narrowed));
      result = [];
      for (const doc of source) if (matches(doc)) result.push(doc);
      if (options.sort) result.sort(sortComparator(options.sort));
      if (result.length > limit) result.length = limit;
    }
    return options.projection
      ? result.map((doc) => project(doc, options.projection as Record<string, 1>))
      : result;
  }

  /** How many documents match; equality-only filters on an index are counted from the index alone. */
  count(filter: Record<string, unknown>): number {
    const { byField, onlyEqualities } = indexableConditions(filter);
    if (Object.keys(filter).length === 0) return this.docs.size;
    if (onlyEqualities && byField.size === 1) {
      const [field, condition] = [...byField][0];
      const index = this.indexOn(field);
      const values = condition.equals ?? [];
      if (index && (!index.multikey || values.length === 1)) {
        return values.reduce<number>((sum, value) => {
          const [start, end] = equalRange(index, value);
          return sum + (end - start);
        }, 0);
      }
    }
    const matches = compile(filter);
    const narrowed = this.candidates(filter);
    let total = 0;
    for (const doc of narrowed === null ? this.docs.values() : this.lookup(idsOf(narrowed)))
      if (matches(doc)) total++;
    return total;
  }

  /** Every document, in no particular order (for aggregation). */
  all(): ReadDocument[] {
    return [...this.docs.values()];
  }

  /** Documents matching a filter in no particular order (a pipeline's leading `$match`). */
  matching(filter: Record<string, unknown>): ReadDocument[] {
    return this.find(filter);
  }

  private *lookup(ids: Iterable<string>): Iterable<ReadDocument> {
    for (const id of ids) {
      const doc = this.docs.get(id);
      if (doc) yield doc;
    }
  }

  private indexOn(field: string): OrderedIndex | null {
    let best: OrderedIndex | null = null;
    for (const index of this.indexes.values()) {
      if (index.fields[0] !== field) continue;
      if (best === null || index.fields.length < best.fields.length) best = index;
    }
    return best;
  }

  /**
   * The cheapest way the indexes narrow the filter: one indexed field condition (equality, `$in`, `$all`,
   * range), or a top-level `$or` whose every branch is narrowed (the union of the branches).
   */
  private candidates(filter: Record<string, unknown>): Candidates | null {
    const { byField, alternatives } = indexableConditions(filter);
    let best: Candidates | null = null;
    const consider = (option: Candidates | null): void => {
      if (option !== null && (best === null || option.size < best.size)) best = option;
    };
    for (const [field, condition] of byField) {
      if (field === '_id' && condition.equals) {
        const ids = condition.equals.map(String);
        consider({ size: ids.length, collect: (into) => ids.forEach((id) => into.add(id)) });
        continue;
      }
      const index = this.indexOn(field);
      if (!index) continue;
      if (condition.equals)
        consider(
          rangesOf(
            index,
            condition.equals.map((value) => equalRange(index, value)),
          ),
        );
      for (const value of condition.containsAll ?? []) consider(rangesOf(index, [equalRange(index, value)]));
      if (condition.lower || condition.upper) consider(rangesOf(index, [boundedRange(index, condition)]));
    }
    for (const branches of alternatives) {
      const options = branches.map((branch) => this.candidates(branch));
      if (options.some((option) => option === null)) continue;
      const union = options as Candidates[];
      consider({
        size: union.reduce((sum, option) => sum + option.size, 0),
        collect: (into) => union.forEach((option) => option.collect(into)),
      });
    }
    return best;
  }

  /** An index whose keys are the sort's fields, in the sort's directions or exactly reversed. */
  private sortIndex(sort: SortSpec): { index: OrderedIndex; reverse: boolean } | null {
    const fields = Object.keys(sort);
    const directions = Object.values(sort);
    for (const index of this.indexes.values()) {
      if (index.fields.length !== fields.length || index.fields.some((f, i) => f !== fields[i])) continue;
      const same = index.directions.every((d, i) => d === directions[i]);
      const reversed = index.directions.every((d, i) => d === -directions[i]);
      if ((same || reversed) && !index.multikey) return { index, reverse: reversed };
    }
    return null;
  }

  private walk(
    index: OrderedIndex,
    reverse: boolean,
    byField: Map<string, FieldCondition>,
    matches: Matcher,
    limit: number,
  ): ReadDocument[] {
    const entries = index.ordered();
    const leading = byField.get(index.fields[0]);
    const [start, end] =
      leading && (leading.lower || leading.upper) ? boundedRange(index, leading) : [0, entries.length];
    const result: ReadDocument[] = [];
    const step = reverse ? -1 : 1;
    for (let i = reverse ? end - 1 : start; reverse ? i >= start : i < end; i += step) {
      const doc = this.docs.get(entries[i].id);
      if (doc && matches(doc)) {
        result.push(doc);
        if (result.length >= limit) break;
      }
    }
    return result;
  }
}

function compile(filter: Record<string, unknown>): Matcher {
  if (Object.keys(filter).length === 0) return () => true;
  const query = new Query(filter, { scriptEnabled: false });
  return (doc) => query.test(doc);
}

function idsOf(candidates: Candidates): Set<string> {
  const ids = new Set<string>();
  candidates.collect(ids);
  return ids;
}

function rangesOf(index: OrderedIndex, ranges: [number, number][]): Candidates {
  return {
    size: ranges.reduce((sum, [start, end]) => sum + (end - start), 0),
    collect: (into) => {
      const entries = index.ordered();
      for (const [start, end] of ranges) for (let i = start; i < end; i++) into.add(entries[i].id);
    },
  };
}

function equalRange(index: OrderedIndex, value: unknown): [number, number] {
  const bound = { value, inclusive: true };
  return boundedRange(index, { lower: bound, upper: bound });
}

/** Positions [start, end) of the entries whose leading key lies within the condition's bounds. */
function boundedRange(index: OrderedIndex, { lower, upper }: FieldCondition): [number, number] {
  const size = index.ordered().length;
  const ascending = index.directions[0] === 1;
  const first = ascending ? lower : upper;
  const last = ascending ? upper : lower;
  const start = first ? index.boundary(first.value, first.inclusive) : 0;
  const end = last ? index.boundary(last.value, !last.inclusive) : size;
  return [start, Math.max(start, end)];
}

function project(doc: ReadDocument, projection: Record<string, 1>): ReadDocument {
  const picked: ReadDocument = { _id: doc._id, revision: doc.revision };
  for (const field of Object.keys(projection)) if (field in doc) picked[field] = doc[field];
  return picked;
}
