import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InvalidInput } from '../../domain/domain.errors';
import { CLOCK, type Clock } from '../ports/clock.port';
import { READ_STORE, type ReadStore } from '../ports/read-store.port';
import type { StatsBucketView, StatsDimension } from '../views';
import { TICKETS } from './read-models';
import { overdueExpression } from './overdue';
import { ticketFilter } from './ticket-filter';
import { TicketStatsQuery } from './ticket-queries';

const DAY_MS = 86_400_000;
const asDate = (field: string): Record<string, unknown> => ({ $toDate: field });
const minutesBetween = (from: string, to: string): Record<string, unknown> => ({
  $divide: [{ $subtract: [asDate(to), asDate(from)] }, 60_000],
});

/**
 * The group key of each dimension. Days, weeks and months are UTC. An ISO week belongs to the year of
 * its Thursday, so the week is formatted from that Thursday (`%G` is not portable: mingo gets it wrong).
 */
const DIMENSION_KEYS: Record<StatsDimension, unknown> = {
  STATUS: '$status',
  MODULE: '$module',
  CATEGORY: '$category',
  TYPE: '$type',
  PRIORITY: '$priority',
  CHANNEL: '$channel',
  LINE: '$assignee.line',
  ASSIGNEE: '$assignee.id',
  CREATED_DAY: { $dateToString: { format: '%Y-%m-%d', date: asDate('$createdAt') } },
  CREATED_WEEK: {
    $dateToString: {
      format: '%Y-W%V',
      date: {
        $add: [
          asDate('$createdAt'),
          { $multiply: [{ $subtract: [4, { $isoDayOfWeek: asDate('$createdAt') }] }, DAY_MS] },
        ],
      },
    },
  },
  CREATED_MONTH: { $dateToString: { format: '%Y-%m', date: asDate('$createdAt') } },
};

const countIf = (condition: unknown): Record<string, unknown> => ({ $sum: { $cond: [condition, 1, 0] } });

/** Ticket statistics as one aggregation pipeline: `$match` the filter, `$group` by the dimensions. */
@QueryHandler(TicketStatsQuery)
export class TicketStatsHandler implements IQueryHandler<TicketStatsQuery, StatsBucketView[]> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ principal, filter, groupBy }: TicketStatsQuery): Promise<StatsBucketView[]> {
    const dimensions = [...new Set(groupBy)];
    const unknown = dimensions.filter((d) => !(d in DIMENSION_KEYS));
    if (unknown.length > 0) {
      throw new InvalidInput(
        unknown.map((d) => ({ path: 'groupBy', message: `${String(d)} is not a dimension` })),
      );
    }
    const now = this.clock.now();
    const rows = await this.store.aggregate(TICKETS, [
      { $match: ticketFilter(principal, filter, now) },
      {
        $group: {
          _id: Object.fromEntries(dimensions.map((d) => [d, DIMENSION_KEYS[d]])),
          count: { $sum: 1 },
          open: countIf({ $ne: ['$status', 'CLOSED'] }),
          closed: countIf({ $eq: ['$status', 'CLOSED'] }),
          overdue: countIf(overdueExpression(now)),
          reopened: countIf({ $gt: ['$reopenCount', 0] }),
          avgFirstResponseMinutes: {
            $avg: {
              $cond: [
                { $eq: ['$firstRespondedAt', null] },
                null,
                minutesBetween('$createdAt', '$firstRespondedAt'),
              ],
            },
          },
          avgResolutionMinutes: {
            $avg: {
              $cond: [
                { $in: ['$resolution', ['CONFIRMED', 'AUTO_CLOSED']] },
                minutesBetween('$createdAt', '$closedAt'),
                null,
              ],
            },
          },
        },
      },
    ]);
    // With no dimension the answer is the totals, one bucket even when nothing matches (as a count is
    // 0, not absent); with dimensions, only the combinations that occur.
    if (dimensions.length === 0 && rows.length === 0)
      return [bucket({ count: 0, open: 0, closed: 0, overdue: 0, reopened: 0 }, [])];
    return rows.map((row) => bucket(row, dimensions)).sort(byKey);
  }
}

function bucket(row: Record<string, unknown>, dimensions: StatsDimension[]): StatsBucketView {
  const id = (row._id ?? {}) as Record<string, unknown>;
  const average = (value: unknown): number | null => (typeof value === 'number' ? value : null);
  return {
    key: dimensions.map((dimension) => ({
      dimension,
      value: id[dimension] === null || id[dimension] === undefined ? null : String(id[dimension]),
    })),
    count: Number(row.count),
    open: Number(row.open),
    closed: Number(row.closed),
    overdue: Number(row.overdue),
    reopened: Number(row.reopened),
    avgFirstResponseMinutes: average(row.avgFirstResponseMinutes),
    avgResolutionMinutes: average(row.avgResolutionMinutes),
  };
}

/** `localeCompare`'s order, with the collator made once rather than per comparison. */
const COLLATED = new Intl.Collator().compare;

/**
 * Buckets in the order of their keys, dimension by dimension: no value (null) first, then in the
 * collator's order, and texts it finds equal by their code points, so the order is one whatever the
 * rows' order. (Keys joined into one text sorted wrongly: the collator ignores the separator, so a null
 * in the first dimension was ordered by the second dimension's value.)
 */
function byKey(a: StatsBucketView, b: StatsBucketView): number {
  for (let i = 0; i < a.key.length; i++) {
    const x = a.key[i].value;
    const y = b.key[i].value;
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    return COLLATED(x, y) || (x < y ? -1 : 1);
  }
  return 0;
}
