/** Queries on tickets: each runs the matching query through the QueryBus as the caller. */
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, ID, Info, Int, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Principal } from '../../../application/principal';
import type { ReadBudget } from '../../../application/queries/read-budget';
import {
  ALL_OF_THE_COMMENTS,
  type CommentsNeeded,
  GetTicketQuery,
  ListTicketsQuery,
  TicketAsOfQuery,
  TicketStatsQuery,
} from '../../../application/queries/ticket-queries';
import type {
  Connection,
  StatsBucketView,
  StatsDimension,
  TicketSortInput,
  TicketView,
} from '../../../application/views';
import { TicketFilterInputType, TicketSortInputType } from '../inputs/ticket-query.inputs';
import { DateTimeScalar } from '../scalars/date-time.scalar';
import { StatsDimensionEnum } from '../types/enums';
import { StatsBucketType } from '../types/stats.types';
import { TicketConnectionType, TicketType } from '../types/ticket.types';
import { validatedAs } from '../inputs/input-validation.pipe';
import { ReadModelsGate } from './read-models-gate';
import { largestArgument, selectsField } from './selected-fields';

const DEFAULT_SORT: TicketSortInput = { field: 'CREATED_AT', direction: 'DESC' };

@Resolver()
export class TicketQueryResolver {
  constructor(
    private readonly queries: QueryBus,
    private readonly readModels: ReadModelsGate,
  ) {}

  @Query(() => TicketType, {
    nullable: true,
    description: 'By id or by number; null when it does not exist or the caller may not see it.',
  })
  async ticket(
    @Context('principal') principal: Principal,
    @Context('budget') budget: ReadBudget | undefined,
    @Args('id', { type: () => ID, nullable: true }) id?: string | null,
    @Args('number', { type: () => Int, nullable: true }) number?: number | null,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<TicketView | null> {
    await this.readModels.ready();
    return this.queries.execute(
      new GetTicketQuery(principal, { id: id ?? null, number: number ?? null }, commentsNeeded(info, budget)),
    );
  }

  @Query(() => TicketConnectionType, { description: 'At most 100 a page.' })
  async tickets(
    @Context('principal') principal: Principal,
    @Context('budget') budget: ReadBudget | undefined,
    @Args('filter', { type: () => TicketFilterInputType, nullable: true }, validatedAs(TicketFilterInputType))
    filter?: TicketFilterInputType | null,
    @Args('sort', { type: () => TicketSortInputType, nullable: true }) sort?: TicketSortInputType | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first?: number | null,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<Connection<TicketView>> {
    await this.readModels.ready();
    return this.queries.execute(
      new ListTicketsQuery(
        principal,
        filter ?? {},
        sort ?? DEFAULT_SORT,
        first ?? 20,
        after ?? null,
        commentsNeeded(info, budget),
      ),
    );
  }

  @Query(() => TicketType, {
    nullable: true,
    description:
      'The ticket as it stood at an instant, folded from its events up to then. Agents, supervisors and auditors.',
  })
  ticketAsOf(
    @Context('principal') principal: Principal,
    @Context('budget') budget: ReadBudget | undefined,
    @Args('id', { type: () => ID }) id: string,
    @Args('at', { type: () => DateTimeScalar }) at: Date,
  ): Promise<TicketView | null> {
    return this.queries.execute(new TicketAsOfQuery(principal, id, at, budget));
  }

  @Query(() => [StatsBucketType])
  async ticketStats(
    @Context('principal') principal: Principal,
    @Args('filter', { type: () => TicketFilterInputType, nullable: true }, validatedAs(TicketFilterInputType))
    filter: TicketFilterInputType | null,
    @Args('groupBy', { type: () => [StatsDimensionEnum] }) groupBy: StatsDimension[],
  ): Promise<StatsBucketView[]> {
    await this.readModels.ready();
    return this.queries.execute(new TicketStatsQuery(principal, filter ?? {}, groupBy));
  }
}

/**
 * What of the correspondence the selection shows: a ticket's comments are read only when `comments` is
 * selected (only the latest when every selection of it says `last`), or a requester's `commentCount` is
 * (counted from what they may see). A ticket with thousands of
 * comments was read whole for `ticket(id) { status }`, and a list page read every page ticket's.
 */
function commentsNeeded(
  info: GraphQLResolveInfo | undefined,
  budget: ReadBudget | undefined,
): CommentsNeeded {
  if (info === undefined) return { ...ALL_OF_THE_COMMENTS, budget };
  return {
    comments: selectsField(info, 'comments'),
    commentCount: selectsField(info, 'commentCount'),
    last: largestArgument(info, 'comments', 'last'),
    budget,
  };
}
