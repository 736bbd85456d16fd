/**
 * One collection of the embedded read store: documents by `_id`, their ordered indexes, guarded
 * replaces in plain code (mingo's update operators are ~30× slower), and finds that pick where to look:
 *
 * - candidates: an equality, `$in`, `$all` or range condition on an indexed field (or a `$or` whose
 *   branches all have one) gives few documents, which are tested and sorted;
 * - walk: the sort matches an index (after leading fields the filter fixes to one value each), so the
 *   index is walked in order from the keyset bound, each document tested, stopping after `limit`
 *   matches (index-walk.ts);
 * - scan: neither applies, so every document is tested, then sorted.
 *
 * Documents are tested by the filter compiled to plain code where it can be (compiled-filter.ts), by
 * mingo's compiled query otherwise.
 */
import { Query } from 'mingo';
import type { FindOptions, IndexSpec, ReadDocument } from '../../../application/ports/read-store.port';
import { compileFilter } from './compiled-filter';
import { CountCache, countKey } from './count-cache';
import { DocumentTable } from './document-table';
import { indexableConditions } from './filter-conditions';
import type { Candidates } from './index-ranges';
import { candidatesFor, countByIntersection, type IndexedDocuments } from './index-plan';
import { walkIndex, walkPlan, walkSpan } from './index-walk';
import { OrderedIndex, type IndexSource } from './ordered-index';
import { TopK } from './top-k';
import { UniqueKeys } from './unique-keys';
import { sortComparator } from './value-order';

/** Candidate sets up to this size are always tested and sorted (cheap either way). */
const TINY_CANDIDATE_SET = 64;

/**
 * A walk with candidates to fall back on stops after this many times the visits it was expected to need
 * (at least WALK_FLOOR): when the filter and the sort are independent, reaching 8× the expectation is all
 * but impossible; when they are correlated (newest first, filtered on an old month), the walk would
 * otherwise read up to the whole candidate set's worth of documents for nothing before falling back.
 */
const WALK_SLACK = 8;
const WALK_FLOOR = 1024;

/** Sorted finds with a limit up to this keep only the first `limit` while visiting (pages are ≤ 101). */
const TOP_K_LIMIT = 1000;

type Matcher = (doc: ReadDocument) => boolean;

export class EmbeddedCollection implements IndexSource, IndexedDocuments {
  /** The documents by id and by insertion sequence (what index entries point at). */
  readonly docs = new DocumentTable();
  private readonly indexes = new Map<string, OrderedIndex>();
  private readonly unique: UniqueKeys[] = [];
  private changeLog: string[] = [];
  private logStart = 0;
  /** Successful writes so far: the state the count cache is valid for. */
  private writes = 0;
  private readonly counts = new CountCache();

  get logEnd(): number {
    return this.logStart + this.changeLog.length;
  }

  changesSince(from: number): readonly string[] | null {
    if (from < this.logStart) return null;
    return this.changeLog.slice(from - this.logStart);
  }

  get sequenceSize(): number {
    return this.docs.size;
  }

  seqOf(id: string): number {
    return this.docs.seqOf(id);
  }

  docAtSeq(seq: number): ReadDocument {
    return this.docs.at(seq);
  }

  /** Declares an index (by name, default from its keys); an existing one is kept. */
  ensureIndex(spec: IndexSpec): void {
    const name =
      spec.name ??
      Object.entries(spec.key)
        .map(([field, dir]) => `${field}_${dir}`)
        .join('_');
    if (this.indexes.has(name)) return;
    if (spec.unique) this.unique.push(new UniqueKeys(name, spec, this.docs.values()));
    this.indexes.set(name, new OrderedIndex(spec, this));
  }

  /**
   * Guarded replace: writes when the stored revision is `expectedRevision` (-1: only when absent).
   * Throws DuplicateKeyError, writing nothing, when a unique index already holds one of its keys.
   */
  replace(doc: ReadDocument, expectedRevision: number): boolean {
    const seq = this.docs.seqOf(doc._id);
    const current = seq < 0 ? undefined : this.docs.at(seq);
    if (expectedRevision === -1 ? current !== undefined : current?.revision !== expectedRevision)
      return false;
    if (this.unique.length > 0) {
      const record = this.unique.map((keys) => keys.admit(doc, current));
      for (const apply of record) apply();
    }
    this.docs.put(seq, doc);
    this.writes++;
    if (this.indexes.size > 0) this.changeLog.push(doc._id);
    // An index left unread this long will sort everything anyway: forget the log rather than keep it.
    if (this.changeLog.length > Math.max(1024, this.docs.size)) this.forgetChanges();
    return true;
  }

  private forgetChanges(): void {
    for (const index of this.indexes.values()) index.seen = -1;
    this.logStart = this.logEnd;
    this.changeLog = [];
  }

  /**
   * Brings the indexes up to date one at a time in the background (after a bulk load, so readers seldom
   * pay for it); a reader that comes first builds the index it needs itself.
   */
  async warmIndexes(): Promise<void> {
    for (const index of [...this.indexes.values()]) {
      await new Promise((resolve) => setImmediate(resolve));
      index.size();
    }
    this.trimLog();
  }

  /** Matching documents, sorted and limited. */
  find(filter: Record<string, unknown>, options: FindOptions = {}): ReadDocument[] {
    const limit = options.limit ?? Infinity;
    if (limit <= 0) return [];
    const matches = compile(filter);
    const { byField } = indexableConditions(filter);
    const narrowed = candidatesFor(this, filter);
    const walk = options.sort ? walkPlan(this.indexes.values(), options.sort, byField) : null;
    const span = walk ? walkSpan(walk, byField) : null;
    // Walking the sort index visits about limit ÷ (the candidates' share of the walked span) documents
    // before it has a page; testing the candidates visits each of them. The cheaper one goes first.
    const spanSize = span ? span[1] - span[0] : this.docs.size;
    const walkVisits =
      narrowed === null ? 0 : (limit * spanSize) / Math.max(1, Math.min(narrowed.size, spanSize));
    const fewCandidates =
      narrowed !== null && (narrowed.size <= TINY_CANDIDATE_SET || narrowed.size <= walkVisits);
    let result: ReadDocument[] | null = null;
    if (walk && !fewCandidates) {
      // A walk can be long when the sort order and the filter are correlated: past its budget it stops,
      // and the candidates are tested instead (at 1M tickets, "created in March, by number" went from
      // ~30 ms to ~6 ms a first page).
      const budget =
        narrowed === null ? Infinity : Math.min(narrowed.size, Math.max(WALK_SLACK * walkVisits, WALK_FLOOR));
      result = walkIndex(walk, span!, matches, limit, budget);
    }
    if (result === null) {
      const order = options.sort ? sortComparator(options.sort) : null;
      if (order && limit <= TOP_K_LIMIT) {
        const top = new TopK(limit, order);
        this.visitMatching(narrowed, matches, (doc) => top.offer(doc));
        result = top.sorted();
      } else {
        const all: ReadDocument[] = [];
        this.visitMatching(narrowed, matches, (doc) => all.push(doc));
        if (order) all.sort(order);
        result = all.length > limit ? all.slice(0, limit) : all;
      }
    }
    this.trimLog();
    return options.projection
      ? result.map((doc) => project(doc, options.projection as Record<string, 1>))
      : result;
  }

  /**
   * How many documents match. A filter the indexes answer exactly is counted without reading documents:
   * one index range, or a conjunction of indexed conditions (the documents in every condition's ranges).
   */
  count(filter: Record<string, unknown>): number {
    if (Object.keys(filter).length === 0) return this.docs.size;
    const key = countKey(filter);
    const cached = this.counts.get(key, this.writes);
    if (cached !== undefined) return cached;
    const counted = this.countNow(filter);
    this.counts.set(key, this.writes, counted);
    return counted;
  }

  private countNow(filter: Record<string, unknown>): number {
    const narrowed = candidatesFor(this, filter);
    if (narrowed !== null && narrowed.exact && narrowed.distinct) return narrowed.size;
    const intersected = countByIntersection(this, filter);
    if (intersected !== null) return intersected;
    let total = 0;
    this.visitMatching(narrowed, compile(filter), () => total++);
    this.trimLog();
    return total;
  }

  /** Every document, in no particular order (for aggregation). */
  all(): ReadDocument[] {
    return this.docs.toArray();
  }

  /** Tests each candidate once (every document when there are none, or when they would be most of them). */
  private visitMatching(
    narrowed: Candidates | null,
    matches: Matcher,
    each: (doc: ReadDocument) => void,
  ): void {
    if (narrowed === null || narrowed.size >= this.docs.size) {
      for (const doc of this.docs.values()) if (matches(doc)) each(doc);
    } else if (narrowed.exact && narrowed.distinct) {
      narrowed.visit(each); // the index ranges are the answer: nothing to test
    } else if (narrowed.distinct) {
      narrowed.visit((doc) => {
        if (matches(doc)) each(doc);
      });
    } else {
      const seen = new Set<ReadDocument>();
      narrowed.visit((doc) => {
        if (!seen.has(doc)) {
          seen.add(doc);
          if (matches(doc)) each(doc);
        }
      });
    }
  }

  /** The index that leads with `field` and has the fewest fields, if any. */
  indexOn(field: string): OrderedIndex | null {
    let best: OrderedIndex | null = null;
    for (const index of this.indexes.values()) {
      if (index.fields[0] !== field) continue;
      if (best === null || index.fields.length < best.fields.length) best = index;
    }
    return best;
  }

  /** Drops change-log entries every index has taken in. */
  private trimLog(): void {
    let consumed = this.logEnd;
    for (const index of this.indexes.values())
      consumed = Math.min(consumed, index.seen < 0 ? this.logEnd : index.seen);
    if (consumed > this.logStart) {
      this.changeLog = this.changeLog.slice(consumed - this.logStart);
      this.logStart = consumed;
    }
  }
}

/** The plain-code matcher where it applies, mingo's compiled query for the rest. */
function compile(filter: Record<string, unknown>): Matcher {
  if (Object.keys(filter).length === 0) return () => true;
  let query: Query | null = null;
  const mingo = (doc: ReadDocument): boolean =>
    (query ??= new Query(filter, { scriptEnabled: false })).test(doc);
  const fast = compileFilter(filter);
  if (fast === null) return mingo;
  return (doc) => fast(doc) ?? mingo(doc);
}

function project(doc: ReadDocument, projection: Record<string, 1>): ReadDocument {
  const picked: ReadDocument = { _id: doc._id, revision: doc.revision };
  for (const field of Object.keys(projection)) if (field in doc) picked[field] = doc[field];
  return picked;
}
