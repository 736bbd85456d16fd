/**
 * Every list filter and sort the contract offers (schema.graphql: TicketFilter, TicketSort,
 * CouponRequestFilter) is served by an index on the MongoDB side. The query shapes are not written
 * here: the real query handlers build them, sending their finds to a store that records them.
 *
 * - Always: each shape is checked against the index definitions (mongodb-indexes.ts) by the ESR rule —
 *   an index whose keys are the shape's equality fields, then its sort keys (all in the sort's
 *   directions or all reversed); each `$or` branch (search, overdue, keyset cursors) must be narrowed
 *   by an index of its own, the search words by the multikey words index.
 * - With MONGODB_TEST_URL: each shape is also explained by that real MongoDB, and no winning plan may
 *   contain a COLLSCAN. The wire-protocol test server has no query planner, so otherwise this part
 *   prints that it did not run.
 */
import { randomUUID } from 'node:crypto';
import { MongoClient, type Document } from 'mongodb';
import type { Principal } from '../../src/application/principal';
import type {
  CheckpointState,
  Filter,
  FindOptions,
  IndexSpec,
  ReadDocument,
  ReadStore,
  SortSpec,
} from '../../src/application/ports/read-store.port';
import { ReadModelAutoCloseCandidates } from '../../src/application/queries/auto-close-candidates';
import { ListCouponRequestsHandler } from '../../src/application/queries/coupon-request.handlers';
import { NEWEST_FIRST } from '../../src/application/queries/coupon-request-pages';
import { GetTicketHandler } from '../../src/application/queries/get-ticket.handler';
import { cursorAfter } from '../../src/application/queries/keyset';
import { ListTicketsHandler, ticketOrder } from '../../src/application/queries/list-tickets.handler';
import {
  RetentionAuditHandler,
  RetentionRequestsHandler,
} from '../../src/application/queries/retention.handlers';
import {
  GetTicketQuery,
  ListCouponRequestsQuery,
  ListTicketsQuery,
  RetentionAuditQuery,
  RetentionRequestsQuery,
} from '../../src/application/queries/ticket-queries';
import { commentsOf } from '../../src/application/queries/ticket-views';
import type {
  CouponRequestFilterInput,
  TicketFilterInput,
  TicketSortField,
  TicketSortInput,
} from '../../src/application/views';
import { createMongoReadStore } from '../../src/infrastructure/read-store/mongodb/mongodb-read-store';
import { readModelIndexPlan } from '../../src/infrastructure/read-store/mongodb/mongodb-indexes';
import { READ_MODEL_INDEXES, READ_MODEL_NAMESPACE } from '../../src/application/queries/read-models';

interface Shape {
  label: string;
  collection: string;
  filter: Filter;
  sort?: SortSpec;
}

/** A read store that answers nothing and remembers what it was asked. */
class RecordingStore implements ReadStore {
  readonly shapes: Shape[] = [];
  label = '';
  async find(collection: string, filter: Filter, options?: FindOptions): Promise<ReadDocument[]> {
    this.shapes.push({ label: `${this.label} (find)`, collection, filter, sort: options?.sort });
    return [];
  }
  async count(collection: string, filter: Filter): Promise<number> {
    this.shapes.push({ label: `${this.label} (count)`, collection, filter });
    return 0;
  }
  async get(): Promise<null> {
    return null;
  }
  async replace(): Promise<boolean> {
    return false;
  }
  async replaceMany(): Promise<number> {
    return 0;
  }
  async aggregate(): Promise<Record<string, unknown>[]> {
    return [];
  }
  async ensureIndexes(): Promise<void> {}
  async dropCollection(): Promise<void> {}
  async renameCollection(): Promise<void> {}
  async getCheckpoint(): Promise<null> {
    return null;
  }
  async ping(): Promise<void> {}
  async saveCheckpoint(): Promise<CheckpointState> {
    return 'kept';
  }
  async checkCheckpoint(): Promise<CheckpointState> {
    return 'kept';
  }
  async resetCheckpoint(): Promise<void> {}
  async close(): Promise<void> {}
}

const principal = (id: string, role: Principal['roles'][number]): Principal => ({
  id,
  name: null,
  roles: [role],
  validatorNumber: null,
});
const SUPERVISOR = principal('sup-1', 'SUPERVISOR');
const REQUESTER = principal('req-1', 'REQUESTER');
const NOW = new Date('2026-11-20T08:00:00.000Z');
const clock = { now: () => NOW };
const at = (day: number): Date => new Date(Date.UTC(2026, 10, day));

/** One value for each TicketFilter field (three kinds of search text: words, a number, a PNR). */
const TICKET_FILTERS: [string, TicketFilterInput][] = [
  ['search words', { search: 'baggage delayed' }],
  ['search number or words', { search: '1234567890123' }],
  ['search PNR or words', { search: 'ab12cd' }],
  ['status', { status: ['NEW', 'ASSIGNED'] }],
  ['priority', { priority: ['HIGH'] }],
  ['channel', { channel: ['EMAIL'] }],
  ['module', { module: ['MILES'] }],
  ['category', { category: ['REFUND'] }],
  ['type', { type: ['QUESTION'] }],
  ['requesterId', { requesterId: 'req-9' }],
  ['validatorNumber', { validatorNumber: 'V-1' }],
  ['assigneeId', { assigneeId: 'agent-1' }],
  ['line', { line: ['SECOND'] }],
  ['assigned', { assigned: true }],
  ['unassigned', { assigned: false }],
  ['createdFrom', { createdFrom: at(1) }],
  ['createdTo', { createdTo: at(2) }],
  ['updatedFrom', { updatedFrom: at(3) }],
  ['updatedTo', { updatedTo: at(4) }],
  ['overdue', { overdue: true }],
  ['not overdue', { overdue: false }],
  ['hasCouponRequests', { hasCouponRequests: true }],
];
const SORT_FIELDS: TicketSortField[] = [
  'CREATED_AT',
  'UPDATED_AT',
  'NUMBER',
  'PRIORITY',
  'STATUS',
  'RESOLUTION_DUE_AT',
];
const SORTS: TicketSortInput[] = SORT_FIELDS.flatMap((field) => [
  { field, direction: 'ASC' as const },
  { field, direction: 'DESC' as const },
]);
const COUPON_FILTERS: [string, CouponRequestFilterInput][] = [
  ['ticketId', { ticketId: 't-1' }],
  ['eTicketNumber', { eTicketNumber: '5551234567890' }],
  ['pnr', { pnr: 'ab12cd' }],
  ['scenario', { scenario: ['UNAVAILABLE_REFUND'] }],
  ['registeredFrom', { registeredFrom: at(5) }],
  ['registeredTo', { registeredTo: at(6) }],
  ['salesControlViolation', { salesControlViolation: true }],
];
const sortText = (sort: TicketSortInput): string => `${sort.field} ${sort.direction}`;
const cursorFor = (sort: TicketSortInput): string =>
  cursorAfter(ticketOrder(sort), {
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-02T00:00:00.000Z',
    number: 42,
    priorityRank: 2,
    statusRank: 1,
    resolutionSortKey: '2026-11-03T00:00:00.000Z',
  });

/** The shapes every handler sends: `strict` ones must meet the ESR rule, the rest be narrowed or ordered. */
async function queryShapes(): Promise<{ strict: Shape[]; combined: Shape[] }> {
  const store = new RecordingStore();
  const tickets = new ListTicketsHandler(store, clock);
  const coupons = new ListCouponRequestsHandler(store);
  const list = async (label: string, query: () => Promise<unknown>): Promise<void> => {
    store.label = label;
    await query();
  };
  for (const sort of SORTS) {
    await list(`tickets sorted ${sortText(sort)}`, () =>
      tickets.execute(new ListTicketsQuery(SUPERVISOR, null, sort, 20, null)),
    );
    await list(`tickets sorted ${sortText(sort)}, next page`, () =>
      tickets.execute(new ListTicketsQuery(SUPERVISOR, null, sort, 20, cursorFor(sort))),
    );
  }
  for (const [name, filter] of TICKET_FILTERS) {
    await list(`tickets filtered by ${name}`, () =>
      tickets.execute(new ListTicketsQuery(SUPERVISOR, filter, null, 20, null)),
    );
  }
  await list("a requester's own tickets", () =>
    tickets.execute(new ListTicketsQuery(REQUESTER, null, null, 20, null)),
  );
  await list('a ticket by number', () =>
    new GetTicketHandler(store, clock).execute(new GetTicketQuery(SUPERVISOR, { number: 7 })),
  );
  const commented = [
    { id: 't-1', commentCount: 1 },
    { id: 't-2', commentCount: 1 },
  ];
  await list('comments for staff', () => commentsOf(store, commented, SUPERVISOR));
  await list('comments for a requester', () => commentsOf(store, commented, REQUESTER));
  await list('auto-close candidates', () =>
    new ReadModelAutoCloseCandidates(store).solutionProposedBy(NOW, 50),
  );
  await list('coupon requests', () =>
    coupons.execute(new ListCouponRequestsQuery(SUPERVISOR, null, 20, null)),
  );
  await list('coupon requests, next page', () =>
    coupons.execute(
      new ListCouponRequestsQuery(SUPERVISOR, null, 20, cursorAfter(NEWEST_FIRST, { registrationSeq: 9 })),
    ),
  );
  await list("a requester's own coupon requests", () =>
    coupons.execute(new ListCouponRequestsQuery(REQUESTER, null, 20, null)),
  );
  for (const [name, filter] of COUPON_FILTERS) {
    await list(`coupon requests filtered by ${name}`, () =>
      coupons.execute(new ListCouponRequestsQuery(SUPERVISOR, filter, 20, null)),
    );
  }
  const auditor = principal('aud-1', 'AUDITOR');
  const events = { readAll: async function* () {} } as never;
  await list('retention counts', () =>
    new RetentionAuditHandler(store, events, clock).execute(new RetentionAuditQuery(auditor, NOW, false)),
  );
  for (const state of ['RETAINED', 'EXPIRED'] as const) {
    await list(`retention ${state} requests`, () =>
      new RetentionRequestsHandler(store).execute(new RetentionRequestsQuery(auditor, NOW, state, 20, null)),
    );
  }
  const strict = [...store.shapes];
  store.shapes.length = 0;
  for (const [name, filter] of TICKET_FILTERS) {
    for (const sort of SORTS) {
      await list(`tickets filtered by ${name}, sorted ${sortText(sort)}`, () =>
        tickets.execute(new ListTicketsQuery(SUPERVISOR, filter, sort, 20, null)),
      );
    }
  }
  return { strict, combined: [...store.shapes] };
}

interface Conditions {
  equalities: Set<string>;
  ranges: Set<string>;
  alternatives: Filter[][];
}

const RANGE_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte']);

/** The indexable conditions of a filter: equality (`$eq`, `$in`, `$all`, a value), ranges and `$or`s. */
function conditionsOf(filter: Filter, into: Conditions = emptyConditions()): Conditions {
  for (const [field, value] of Object.entries(filter)) {
    if (field === '$and') for (const clause of value as Filter[]) conditionsOf(clause, into);
    else if (field === '$or') into.alternatives.push(value as Filter[]);
    else if (field.startsWith('$')) continue;
    else if (value === null || typeof value !== 'object' || value instanceof Date) into.equalities.add(field);
    else {
      const operators = Object.keys(value);
      if (operators.some((op) => ['$eq', '$in', '$all'].includes(op))) into.equalities.add(field);
      if (operators.some((op) => RANGE_OPERATORS.has(op))) into.ranges.add(field);
    }
  }
  return into;
}

function emptyConditions(): Conditions {
  return { equalities: new Set(), ranges: new Set(), alternatives: [] };
}

/**
 * The ESR rule: walking the index keys, every equality field (other than the sort's own fields) comes
 * before the sort is complete, and the sort keys follow in order, all in the sort's directions or all
 * reversed. Nothing but equality fields may come between them.
 */
function meetsEsr(index: IndexSpec, equalities: Set<string>, sort: SortSpec): boolean {
  const sortKeys = Object.entries(sort);
  const pointFields = new Set([...equalities].filter((field) => !(field in sort)));
  const covered = new Set<string>();
  let matched = 0;
  let orientation = 0;
  for (const [field, direction] of Object.entries(index.key)) {
    if (matched === sortKeys.length) break;
    const [sortField, sortDirection] = sortKeys[matched];
    if (field === sortField) {
      const relative = direction === sortDirection ? 1 : -1;
      if (orientation !== 0 && orientation !== relative) return false;
      orientation = relative;
      matched++;
    } else if (pointFields.has(field)) covered.add(field);
    else return false;
  }
  return matched === sortKeys.length && covered.size === pointFields.size;
}

/** An index narrows a condition when it leads with one of its equality or range fields. */
const narrows = (index: IndexSpec, conditions: Conditions): boolean => {
  const leading = Object.keys(index.key)[0];
  return conditions.equalities.has(leading) || conditions.ranges.has(leading);
};

/** Why a shape is not served by the indexes, or null when it is. */
function unserved(shape: Shape, indexes: readonly IndexSpec[], rule: 'esr' | 'any'): string | null {
  const conditions = conditionsOf(shape.filter);
  for (const branches of conditions.alternatives) {
    for (const branch of branches) {
      if (!indexes.some((index) => narrows(index, conditionsOf(branch)))) {
        return `no index narrows the $or branch ${JSON.stringify(branch)}`;
      }
    }
  }
  if (shape.sort === undefined) {
    // Every `$or` branch is narrowed (checked above): MongoDB answers the `$or` from those indexes.
    if (conditions.alternatives.length > 0) return null;
    const anyCondition = conditions.equalities.size + conditions.ranges.size;
    if (anyCondition === 0 || indexes.some((index) => narrows(index, conditions))) return null;
    return 'no index leads with a field of the filter';
  }
  const sort = shape.sort;
  if (indexes.some((index) => meetsEsr(index, conditions.equalities, sort))) return null;
  if (rule === 'any') {
    const ordered = indexes.some((index) => meetsEsr(index, new Set(), sort));
    if (ordered || indexes.some((index) => narrows(index, conditions))) return null;
  }
  return `no index has the equality fields [${[...conditions.equalities].join(', ')}] then ${JSON.stringify(sort)}`;
}

const INDEXES = readModelIndexPlan();
const indexesOf = (collection: string): IndexSpec[] => INDEXES[collection] ?? [];

describe('MongoDB indexes serve every list filter and sort (ESR against the index definitions)', () => {
  let shapes: { strict: Shape[]; combined: Shape[] };
  beforeAll(async () => {
    shapes = await queryShapes();
  });

  it('the handlers send a shape for every filter field and every sort field × direction', () => {
    const labels = shapes.strict.map((shape) => shape.label).join('\n');
    for (const [name] of TICKET_FILTERS) expect(labels).toContain(`tickets filtered by ${name}`);
    for (const sort of SORTS) expect(labels).toContain(`tickets sorted ${sortText(sort)}`);
    for (const [name] of COUPON_FILTERS) expect(labels).toContain(`coupon requests filtered by ${name}`);
    expect(shapes.combined).toHaveLength(TICKET_FILTERS.length * SORTS.length * 2);
  });

  it('each shape of the default orders meets the ESR rule (equality fields, then the sort keys)', () => {
    const problems = shapes.strict
      .map((shape) => [shape.label, unserved(shape, indexesOf(shape.collection), 'esr')])
      .filter(([, problem]) => problem !== null);
    expect(problems).toEqual([]);
  });

  it("the rule tells: the projections' declarations alone leave filtered pages to a blocking sort", () => {
    const declaredOnly = shapes.strict.filter(
      (shape) => unserved(shape, READ_MODEL_INDEXES[shape.collection] ?? [], 'esr') !== null,
    );
    expect(declaredOnly.map((shape) => shape.label)).toEqual(
      expect.arrayContaining([
        'tickets filtered by status (find)',
        'tickets filtered by search words (find)',
        'tickets filtered by priority (find)',
        'coupon requests filtered by pnr (find)',
      ]),
    );
    // The owners' lists are the exception: the projections declare their compound indexes themselves.
    expect(declaredOnly.map((shape) => shape.label)).not.toContain("a requester's own tickets (find)");
  });

  it('any filter combined with any sort is narrowed or ordered by an index', () => {
    const problems = shapes.combined
      .map((shape) => [shape.label, unserved(shape, indexesOf(shape.collection), 'any')])
      .filter(([, problem]) => problem !== null);
    expect(problems).toEqual([]);
  });

  it('search words have a multikey index of their own; ids, numbers and registration numbers are unique', () => {
    expect(INDEXES.tickets.some((index) => Object.keys(index.key)[0] === 'searchWords')).toBe(true);
    expect(INDEXES.tickets).toContainEqual({ key: { number: -1 }, unique: true });
    expect(INDEXES.couponRequests).toContainEqual({ key: { registrationNumber: 1 }, unique: true });
  });
});

/** Every stage of a winning plan (classic `inputStage(s)` and slot-based `queryPlan` forms). */
function stagesOf(plan: Document | undefined): string[] {
  if (!plan || typeof plan !== 'object') return [];
  const children = [plan.queryPlan, plan.inputStage, ...((plan.inputStages as Document[]) ?? [])];
  return [String(plan.stage ?? ''), ...children.flatMap((child) => stagesOf(child as Document | undefined))];
}

const realServerUrl = process.env.MONGODB_TEST_URL;
if (realServerUrl) {
  describe(`MongoDB indexes: real query plans at ${realServerUrl}`, () => {
    const dbName = `indexes_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    let client: MongoClient;
    beforeAll(async () => {
      await (await createMongoReadStore(realServerUrl, dbName)).close();
      client = new MongoClient(realServerUrl);
      await client.connect();
    });
    afterAll(async () => {
      await client.db(dbName).dropDatabase();
      await client.close();
    });

    it('no list query shape is answered by a collection scan', async () => {
      const { strict, combined } = await queryShapes();
      const scans: string[] = [];
      for (const shape of [...strict, ...combined]) {
        // Counting everything (or everything but a `$nor`) reads every document whatever the indexes.
        const { equalities, ranges, alternatives } = conditionsOf(shape.filter);
        if (!shape.sort && equalities.size + ranges.size + alternatives.length === 0) continue;
        const explained = await client
          .db(dbName)
          .collection(`${READ_MODEL_NAMESPACE}.${shape.collection}`)
          .find(shape.filter, shape.sort ? { sort: shape.sort, limit: 21 } : {})
          .explain('queryPlanner');
        const winning = (explained.queryPlanner as Document).winningPlan as Document;
        if (stagesOf(winning).includes('COLLSCAN')) scans.push(shape.label);
      }
      expect(scans).toEqual([]);
    });
  });
} else {
  console.log(
    'MONGODB_TEST_URL is not set: index use was checked against the index definitions only (ESR rule); ' +
      'set MONGODB_TEST_URL=mongodb://localhost:27017 to also check the query plans of a real MongoDB (explain).',
  );
}
