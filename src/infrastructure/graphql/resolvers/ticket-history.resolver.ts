import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Info, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { InvalidInput } from '../../../domain/domain.errors';
import type { Principal } from '../../../application/principal';
import type { ReadBudget } from '../../../application/queries/read-budget';
import { MAX_HISTORY_PAGE } from '../../../application/queries/ticket-history.handler';
import { TicketHistoryQuery } from '../../../application/queries/ticket-queries';
import type { CommentView, HistoryEventView, TicketView } from '../../../application/views';
import { TicketEventType } from '../types/ticket-event.types';
import { CommentType, TicketType } from '../types/ticket.types';
import { type HistoryEventModel, toHistoryEventModel } from './history.mapper';

/** `Ticket.history` (read from the event store, only when a client selects it) and `Ticket.comments`. */
@Resolver(() => TicketType)
export class TicketHistoryResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('history', () => [TicketEventType], {
    description:
      "The ticket's events, read from the event store, oldest first (on ticketAsOf, those up to that instant). Requesters see their own tickets' history without internal comments and without an assignment's reason (the desk's note); reporters may not read it.",
  })
  async history(
    @Parent() ticket: TicketView,
    @Context('principal') principal: Principal,
    @Context('budget') budget: ReadBudget | undefined,
    @Args('fromRevision', {
      type: () => Int,
      nullable: true,
      description:
        'Only events from this revision on (default 0): the next page starts after the last revision seen.',
    })
    fromRevision?: number | null,
    @Args('limit', {
      type: () => Int,
      nullable: true,
      description: `At most this many events of the stream (1–${MAX_HISTORY_PAGE}; default all). Internal comments in it are not shown to requesters.`,
    })
    limit?: number | null,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<HistoryEventModel[]> {
    const events: HistoryEventView[] = await this.queries.execute(
      new TicketHistoryQuery(
        principal,
        ticket.id,
        ticket.asOfRevision,
        { fromRevision, limit },
        // A mutation's payload reserved its history before the change (ticket-mutation.resolver.ts).
        budget && info?.operation.operation !== 'mutation'
          ? { of: budget, version: ticket.asOfRevision ?? ticket.version }
          : null,
      ),
    );
    return events.map((event) => toHistoryEventModel(event, ticket));
  }

  @ResolveField('comments', () => [CommentType], {
    description: 'Correspondence, oldest first. Requesters never see internal comments.',
  })
  comments(
    @Parent() ticket: TicketView,
    @Args('last', {
      type: () => Int,
      nullable: true,
      description:
        'Only the latest this many comments (still oldest first); all when absent. commentCount says how many there are.',
    })
    last?: number | null,
  ): CommentView[] {
    if (last === null || last === undefined) return ticket.comments;
    if (!Number.isInteger(last) || last < 0) {
      throw new InvalidInput([{ path: 'last', message: 'must be an integer from 0' }]);
    }
    return last === 0 ? [] : ticket.comments.slice(-last);
  }
}
