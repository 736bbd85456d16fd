import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InvalidInput } from '../../domain/domain.errors';
import { canSeeTicket } from '../access';
import { CLOCK, type Clock } from '../ports/clock.port';
import { READ_STORE, type ReadStore } from '../ports/read-store.port';
import type { TicketView } from '../views';
import { TICKETS, type TicketDocument } from './read-models';
import { GetTicketQuery } from './ticket-queries';
import { commentsOf, ticketView } from './ticket-views';

/**
 * One ticket by id or number from the read model; null when missing or not the caller's to see. Asked
 * with neither, it is the client's mistake (BAD_USER_INPUT naming both), not a ticket that is missing.
 */
@QueryHandler(GetTicketQuery)
export class GetTicketHandler implements IQueryHandler<GetTicketQuery, TicketView | null> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ principal, by, needs }: GetTicketQuery): Promise<TicketView | null> {
    let doc: TicketDocument | null = null;
    if (typeof by.id !== 'string' && typeof by.number !== 'number') {
      const message = "is required: give the ticket's id or its number";
      throw new InvalidInput([
        { path: 'id', message },
        { path: 'number', message },
      ]);
    }
    if (typeof by.id === 'string') {
      doc = (await this.store.get(TICKETS, by.id)) as TicketDocument | null;
      if (doc !== null && typeof by.number === 'number' && doc.number !== by.number) return null;
    } else if (typeof by.number === 'number' && Number.isInteger(by.number)) {
      const [found] = await this.store.find(TICKETS, { number: by.number }, { limit: 1 });
      doc = (found as TicketDocument | undefined) ?? null;
    }
    if (doc === null || !canSeeTicket(principal, doc)) return null;
    const comments = await commentsOf(this.store, [doc], principal, needs);
    return ticketView(
      doc,
      comments.byTicket.get(doc.id) ?? [],
      principal,
      this.clock.now(),
      comments.visibleCounts.get(doc.id),
    );
  }
}
