/**
 * Every index the read models have in MongoDB, in one place (the index test reads it): what the
 * projections declare (READ_MODEL_INDEXES) plus what MongoDB needs beyond it.
 *
 * MongoDB answers a filtered, sorted page from one index when the index lists the equality fields
 * first, then the sort keys (the ESR rule: Equality, Sort, Range). The lists' default order is newest
 * first (`createdAt`, then `number`), so every ticket field a list filters on by equality gets a
 * compound `{ field, createdAt: -1, number: -1 }`; the other orders have their own
 * `{ sortKey: -1, number: -1 }` (declared by the projection), walked backwards for ascending pages.
 * The coupon request list has one order (`registrationSeq` descending), so its filter fields get
 * `{ field, registrationSeq: -1 }`. A declared single-field index that is the prefix of one of these
 * compounds is served by the compound and not built twice (every write would pay for both).
 */
import type { IndexSpec } from '../../../application/ports/read-store.port';
import {
  COUPON_REQUESTS,
  READ_MODEL_INDEXES,
  TICKET_COMMENTS,
  TICKET_EQUALITY_FIELDS,
  TICKETS,
} from '../../../application/queries/read-models';

/** Where projections keep their checkpoints: `{ _id: name, position: '<decimal>' }`. */
export const CHECKPOINTS = 'checkpoints';

const NEWEST_TICKETS = { createdAt: -1, number: -1 } as const;
const NEWEST_REQUESTS = { registrationSeq: -1 } as const;

/** `{ field: 1, ...order }`: equality on `field`, then the list order. */
const equalityThen = (field: string, order: Record<string, 1 | -1>): IndexSpec => ({
  key: { [field]: 1, ...order },
});

/** Coupon request fields the list filters on by equality (`requesterId`: a requester's own requests). */
export const COUPON_REQUEST_EQUALITY_FIELDS = [
  'requesterId',
  'ticketId',
  'eTicketNumber',
  'pnr',
  'scenario',
  'salesControlViolation',
] as const;

/** What MongoDB needs beyond the projections' declarations, per logical collection. */
export const MONGODB_EXTRA_INDEXES: Readonly<Record<string, readonly IndexSpec[]>> = {
  [TICKETS]: [
    ...TICKET_EQUALITY_FIELDS.map((field) => equalityThen(field, NEWEST_TICKETS)),
    // The auto-close policy: SOLUTION_PROPOSED tickets by when their clock started.
    { key: { status: 1, autoCloseClockStart: 1 } },
  ],
  // A requester reads a ticket's comments without the internal ones, oldest first.
  [TICKET_COMMENTS]: [{ key: { ticketId: 1, internal: 1, revision: 1 } }],
  [COUPON_REQUESTS]: [
    { key: { registrationNumber: 1 }, unique: true },
    ...COUPON_REQUEST_EQUALITY_FIELDS.map((field) => equalityThen(field, NEWEST_REQUESTS)),
  ],
};

/** MongoDB's default index name (`field_1_other_-1`), the name the embedded store uses too. */
export function indexName(spec: IndexSpec): string {
  return (
    spec.name ??
    Object.entries(spec.key)
      .map(([field, direction]) => `${field}_${direction}`)
      .join('_')
  );
}

const sameKey = (a: IndexSpec, b: IndexSpec): boolean =>
  JSON.stringify(Object.entries(a.key)) === JSON.stringify(Object.entries(b.key));

/** True when `prefix`'s keys (with their directions) start `of`'s keys. */
export function isKeyPrefix(prefix: IndexSpec, of: IndexSpec): boolean {
  const inner = Object.entries(prefix.key);
  const outer = Object.entries(of.key);
  return inner.length <= outer.length && inner.every(([f, d], i) => outer[i][0] === f && outer[i][1] === d);
}

/** A rebuild writes `tickets__rebuild3`; its indexes are those of `tickets`. */
export function logicalCollection(name: string): string {
  return /^(.+)__rebuild\d+$/.exec(name)?.[1] ?? name;
}

/**
 * The indexes to build for a collection: the declared specs plus MongoDB's additions, without
 * duplicates (same keys: unique if either asks for it) and without a non-unique single-field spec
 * whose key a longer index already leads with.
 */
export function mongoIndexesFor(collection: string, declared: readonly IndexSpec[] = []): IndexSpec[] {
  const merged: IndexSpec[] = [];
  for (const spec of [...declared, ...(MONGODB_EXTRA_INDEXES[logicalCollection(collection)] ?? [])]) {
    const twin = merged.find((existing) => sameKey(existing, spec));
    if (twin) {
      if (spec.unique && !twin.unique) twin.unique = true;
      continue;
    }
    merged.push({ ...spec, key: { ...spec.key } });
  }
  return merged.filter(
    (spec) =>
      spec.unique === true ||
      Object.keys(spec.key).length > 1 ||
      !merged.some((other) => other !== spec && !sameKey(other, spec) && isKeyPrefix(spec, other)),
  );
}

/** Every read-model collection with all its MongoDB indexes (created at start). */
export function readModelIndexPlan(): Record<string, IndexSpec[]> {
  const collections = new Set([...Object.keys(READ_MODEL_INDEXES), ...Object.keys(MONGODB_EXTRA_INDEXES)]);
  return Object.fromEntries(
    [...collections].map((collection) => [
      collection,
      mongoIndexesFor(collection, READ_MODEL_INDEXES[collection]),
    ]),
  );
}
