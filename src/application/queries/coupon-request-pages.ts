/**
 * Coupon request lists: the caller's visibility (requesters: their own tickets' requests), the
 * CouponRequestFilter as a filter document, and keyset pages newest first (by registration number k).
 */
import { documentNumber, storedPnr } from '../../domain/field-checks';
import { COUPON_SCENARIOS } from '../../domain/ticket.types';
import { canReadAllTickets, theRolesOf } from '../access';
import { Forbidden } from '../errors';
import type { Filter, ReadStore } from '../ports/read-store.port';
import type { Principal } from '../principal';
import type { Connection, CouponRequestFilterInput, CouponRequestView } from '../views';
import { InputChecks, present } from './input-checks';
import { afterCursor, cursorAfter, sortOf, type KeysetOrder } from './keyset';
import { COUPON_REQUESTS, type CouponRequestDocument } from './read-models';
import { and } from './ticket-filter';

export const MAX_COUPON_PAGE_SIZE = 100;

export const NEWEST_FIRST: KeysetOrder = {
  name: 'coupon-requests',
  field: 'registrationSeq',
  tieBreak: 'registrationSeq',
  direction: -1,
};

/** Requesters see the requests of their own tickets; roles that read every ticket see all. */
export function visibleRequests(principal: Principal): Filter {
  if (canReadAllTickets(principal)) return {};
  if (principal.roles.includes('REQUESTER')) return { requesterId: principal.id };
  throw new Forbidden(`${theRolesOf(principal)} may not read coupon requests`);
}

export function couponRequestFilter(principal: Principal, input: CouponRequestFilterInput | null): Filter {
  const f = input ?? {};
  const check = new InputChecks();
  const clauses: Filter[] = [visibleRequests(principal)];
  if (present(f.ticketId)) clauses.push({ ticketId: check.text(f.ticketId, 'ticketId') });
  if (present(f.eTicketNumber)) {
    clauses.push({ eTicketNumber: documentNumber(check.text(f.eTicketNumber, 'eTicketNumber')) });
  }
  if (present(f.pnr)) clauses.push({ pnr: storedPnr(check.text(f.pnr, 'pnr')) });
  if (present(f.scenario))
    clauses.push({ scenario: { $in: check.oneOf(f.scenario, COUPON_SCENARIOS, 'scenario') } });
  clauses.push(
    check.timeRange('registeredAt', f.registeredFrom, f.registeredTo, ['registeredFrom', 'registeredTo']),
  );
  if (present(f.salesControlViolation)) {
    clauses.push({
      salesControlViolation: check.flag(f.salesControlViolation, 'salesControlViolation'),
    });
  }
  check.done();
  return and(clauses);
}

/** The request as the API serves it (the read model's own fields dropped). */
export function couponRequestView(doc: CouponRequestDocument): CouponRequestView {
  const { _id, revision: _revision, requesterId: _requesterId, registrationSeq: _seq, ...view } = doc;
  void _id;
  return view as CouponRequestView;
}

/**
 * One keyset page of the requests matching the filter `filterOf` builds, newest first, with the total
 * count. A bad filter, page size and cursor are all reported at once.
 */
export async function couponRequestPage(
  store: ReadStore,
  filterOf: () => Filter,
  first: number,
  after: string | null,
): Promise<Connection<CouponRequestView>> {
  const check = new InputChecks();
  const built = check.step(filterOf);
  const size = check.pageSize(first, MAX_COUPON_PAGE_SIZE);
  const cursor =
    after === null || after === undefined ? null : check.step(() => afterCursor(NEWEST_FIRST, after));
  check.done();
  const filter = built as Filter;
  const page = cursor === null || cursor === undefined ? filter : and([filter, cursor]);
  const [found, totalCount] = await Promise.all([
    store.find(COUPON_REQUESTS, page, { sort: sortOf(NEWEST_FIRST), limit: size + 1 }),
    store.count(COUPON_REQUESTS, filter),
  ]);
  const docs = found.slice(0, size) as CouponRequestDocument[];
  const edges = docs.map((doc) => ({ cursor: cursorAfter(NEWEST_FIRST, doc), node: couponRequestView(doc) }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: { hasNextPage: found.length > size, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}
