import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../ports/clock.port';
import { READ_STORE, type Filter, type ReadStore } from '../ports/read-store.port';
import type { Connection, TicketSortField, TicketSortInput, TicketView } from '../views';
import { InputChecks } from './input-checks';
import { afterCursor, cursorAfter, sortOf, type KeysetOrder } from './keyset';
import { TICKETS, type TicketDocument } from './read-models';
import { and, ticketFilter } from './ticket-filter';
import { ListTicketsQuery } from './ticket-queries';
import { commentsOf, ticketView } from './ticket-views';

/** schema: "At most 100 a page." */
export const MAX_PAGE_SIZE = 100;

/** The stored field each sort orders by (ranks for PRIORITY and STATUS); the number breaks ties. */
const SORT_FIELDS: Record<TicketSortField, string> = {
  CREATED_AT: 'createdAt',
  UPDATED_AT: 'updatedAt',
  NUMBER: 'number',
  PRIORITY: 'priorityRank',
  STATUS: 'statusRank',
  RESOLUTION_DUE_AT: 'resolutionSortKey',
};

const DEFAULT_SORT: TicketSortInput = { field: 'CREATED_AT', direction: 'DESC' };

export function ticketOrder(sort: TicketSortInput | null): KeysetOrder {
  const { field, direction } = sort ?? DEFAULT_SORT;
  const check = new InputChecks();
  if (!(field in SORT_FIELDS)) check.fail('sort.field', 'is not a known sort field');
  if (direction !== 'ASC' && direction !== 'DESC') check.fail('sort.direction', 'must be ASC or DESC');
  check.done();
  return {
    name: `tickets:${field}:${direction}`,
    field: SORT_FIELDS[field],
    tieBreak: 'number',
    direction: direction === 'ASC' ? 1 : -1,
  };
}

/** A keyset page of the tickets the caller may see, filtered and sorted, with the total count. */
@QueryHandler(ListTicketsQuery)
export class ListTicketsHandler implements IQueryHandler<ListTicketsQuery, Connection<TicketView>> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({
    principal,
    filter,
    sort,
    first,
    after,
    needs,
  }: ListTicketsQuery): Promise<Connection<TicketView>> {
    const now = this.clock.now();
    // Every bad argument at once: the page size, the sort, the filter, and the cursor (for a valid sort).
    const check = new InputChecks();
    const size = check.pageSize(first, MAX_PAGE_SIZE);
    const sorted = check.step(() => ticketOrder(sort));
    const filtered = check.step(() => ticketFilter(principal, filter, now));
    const cursor =
      after === null || after === undefined || sorted === undefined
        ? null
        : check.step(() => afterCursor(sorted, after));
    check.done();
    const order = sorted as KeysetOrder;
    const matching = filtered as Filter;
    const page = cursor === null || cursor === undefined ? matching : and([matching, cursor]);
    const [found, totalCount] = await Promise.all([
      this.store.find(TICKETS, page, { sort: sortOf(order), limit: size + 1 }),
      this.store.count(TICKETS, matching),
    ]);
    const docs = found.slice(0, size) as TicketDocument[];
    const comments = await commentsOf(this.store, docs, principal, needs);
    const edges = docs.map((doc) => ({
      cursor: cursorAfter(order, doc),
      node: ticketView(
        doc,
        comments.byTicket.get(doc.id) ?? [],
        principal,
        now,
        comments.visibleCounts.get(doc.id),
      ),
    }));
    return {
      edges,
      nodes: edges.map((edge) => edge.node),
      pageInfo: { hasNextPage: found.length > size, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount,
    };
  }
}
