import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InvalidInput } from '../../domain/domain.errors';
import { evolveFold, type TicketState } from '../../domain/ticket';
import { ticketStreamName } from '../../domain/ticket.events';
import { canUseAsOf } from '../access';
import { Forbidden } from '../errors';
import { CLOCK, type Clock } from '../ports/clock.port';
import { EVENT_STORE, type EventStore } from '../ports/event-store.port';
import { toTicketEntry } from '../recorded-events';
import type { TicketView } from '../views';
import { TicketAsOfQuery } from './ticket-queries';
import { shownComments, ticketView } from './ticket-views';

/** How far ahead of the server's clock `at` may be (clients' clocks differ a little). */
const FUTURE_TOLERANCE_MS = 60_000;

/**
 * The ticket as it stood at `at` (domain.md §7): the domain's fold of its events that occurred up to
 * then, deadlines and `overdue` as of that instant. Agents, supervisors and auditors; null when the
 * ticket did not exist yet.
 */
@QueryHandler(TicketAsOfQuery)
export class TicketAsOfHandler implements IQueryHandler<TicketAsOfQuery, TicketView | null> {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ principal, id, at, needs }: TicketAsOfQuery): Promise<TicketView | null> {
    if (!canUseAsOf(principal)) throw new Forbidden('Only agents, supervisors and auditors read past states');
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
      throw new InvalidInput([{ path: 'at', message: 'must be a valid date and time' }]);
    }
    // A state that has not been yet: the fold would show today's events with deadlines judged at `at`
    // (open tickets overdue in 2030, one awaiting auto-close still waiting). A client's clock a little
    // ahead of the server's is no future.
    const now = this.clock.now();
    if (at.getTime() - now.getTime() > FUTURE_TOLERANCE_MS) {
      throw new InvalidInput([
        {
          path: 'at',
          message: `must not be in the future: a past state is shown (the server's time is ${now.toISOString()})`,
        },
      ]);
    }
    const stream = await this.events.readStream(ticketStreamName(id));
    let state: TicketState | null = null;
    for (const event of stream) {
      const data = event.data as { occurredAt?: string };
      // A stream is in time order: the first event after `at` ends the state as it stood then.
      if (data.occurredAt === undefined || Date.parse(data.occurredAt) > at.getTime()) break;
      const { event: typed, meta } = toTicketEntry(event);
      state = evolveFold(state, typed, meta);
    }
    if (state === null) return null;
    // Counted after the fold (the stream's length is not known before it is read; only staff read
    // past states).
    const { shown, visibleCount } = shownComments(state.comments, principal, needs);
    return { ...ticketView(state, shown, principal, at, visibleCount), asOfRevision: state.version };
  }
}
