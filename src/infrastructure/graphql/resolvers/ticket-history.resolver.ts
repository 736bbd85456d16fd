import { QueryBus } from '@nestjs/cqrs';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Principal } from '../../../application/principal';
import { TicketHistoryQuery } from '../../../application/queries/ticket-queries';
import type { HistoryEventView, TicketView } from '../../../application/views';
import { TicketEventType } from '../types/ticket-event.types';
import { TicketType } from '../types/ticket.types';
import { type HistoryEventModel, toHistoryEventModel } from './history.mapper';

/** `Ticket.history`: read from the event store, only when a client selects it. */
@Resolver(() => TicketType)
export class TicketHistoryResolver {
  constructor(private readonly queries: QueryBus) {}

  @ResolveField('history', () => [TicketEventType], {
    description:
      "The ticket's events, read from the event store, oldest first (on ticketAsOf, those up to that instant). Requesters see their own tickets' history without internal comments; reporters may not read it.",
  })
  async history(
    @Parent() ticket: TicketView,
    @Context('principal') principal: Principal,
  ): Promise<HistoryEventModel[]> {
    const events: HistoryEventView[] = await this.queries.execute(
      new TicketHistoryQuery(principal, ticket.id, ticket.asOfRevision),
    );
    return events.map((event) => toHistoryEventModel(event, ticket));
  }
}
