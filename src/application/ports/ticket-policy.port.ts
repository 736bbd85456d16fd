import type { TicketPolicy } from '../../domain/ticket.commands';

/** Injection token for the ticket policy: SLA and policy durations, from configuration (domain.md §4). */
export const TICKET_POLICY = Symbol('TicketPolicy');

export type { TicketPolicy };
