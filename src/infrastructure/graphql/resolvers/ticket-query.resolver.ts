/** Queries on tickets: each runs the matching query through the QueryBus as the caller. */
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, ID, Int, Query, Resolver } from '@nestjs/graphql';
import type { Principal } from '../../../application/principal';
import {
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
import { CommentsSelected } from './selected-fields';

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
    @CommentsSelected() needs: CommentsNeeded,
    @Args('id', { type: () => ID, nullable: true }) id?: string | null,
    @Args('number', { type: () => Int, nullable: true }) number?: number | null,
  ): Promise<TicketView | null> {
    await this.readModels.ready();
    return this.queries.execute(
      new GetTicketQuery(principal, { id: id ?? null, number: number ?? null }, needs),
    );
  }

  @Query(() => TicketConnectionType, { description: 'At most 100 a page.' })
  async tickets(
    @Context('principal') principal: Principal,
    @CommentsSelected() needs: CommentsNeeded,
    @Args('filter', { type: () => TicketFilterInputType, nullable: true }, validatedAs(TicketFilterInputType))
    filter?: TicketFilterInputType | null,
    @Args('sort', { type: () => TicketSortInputType, nullable: true }) sort?: TicketSortInputType | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first?: number | null,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<Connection<TicketView>> {
    await this.readModels.ready();
    return this.queries.execute(
      new ListTicketsQuery(principal, filter ?? {}, sort ?? DEFAULT_SORT, first ?? 20, after ?? null, needs),
    );
  }

  @Query(() => TicketType, {
    nullable: true,
    description:
      'The ticket as it stood at an instant, folded from its events up to then. Agents, supervisors and auditors.',
  })
  ticketAsOf(
    @Context('principal') principal: Principal,
    @CommentsSelected() needs: CommentsNeeded,
    @Args('id', { type: () => ID }) id: string,
    @Args('at', { type: () => DateTimeScalar }) at: Date,
  ): Promise<TicketView | null> {
    return this.queries.execute(new TicketAsOfQuery(principal, id, at, needs));
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
