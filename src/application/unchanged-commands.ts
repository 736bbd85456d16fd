/**
 * Where the command runner remembers commands that changed nothing (assigning the person already
 * assigned, on the same line: domain.md appends no event for it). Such a command leaves no trace in the
 * ticket's stream, so without this a retry of it (same `commandId`) after someone else changed the
 * ticket would be decided anew and could undo their change: the client would see the first answer
 * "nothing to do" followed by a change it never asked for twice.
 *
 * One stream per ticket that had such a command, `unchanged-commands-<ticketId>` (outside the `ticket-`
 * prefix, so projections never see it), one record per commandId; the record's event id derives from
 * the commandId, so duplicates racing in two processes store one. Only commands that may change
 * nothing read it.
 */
import type { TicketCommand } from '../domain/ticket.commands';
import type { EventStore } from './ports/event-store.port';
import type { Ids } from './ports/ids.port';

export const UNCHANGED_COMMAND_EVENT = 'CommandChangedNothing';

export const unchangedCommandsStream = (ticketId: string): string => `unchanged-commands-${ticketId}`;

/** What is remembered: which command (by its fingerprint), and the ticket's version it found. */
export interface UnchangedCommand {
  commandId: string;
  fingerprint: string | null;
  version: number;
}

/** Commands whose decision can be "nothing to append" on an existing ticket. */
const MAY_CHANGE_NOTHING: ReadonlySet<TicketCommand['kind']> = new Set(['AssignTicket']);

export const mayChangeNothing = (kind: TicketCommand['kind']): boolean => MAY_CHANGE_NOTHING.has(kind);

/** Tickets whose records are kept in memory (the least recently asked about is forgotten first). */
const TICKETS_REMEMBERED = 1_000;

/** A ticket's records read so far: the next revision to read, and the latest record of each commandId. */
interface KnownRecords {
  next: number;
  byCommandId: Map<string, UnchangedCommand>;
}

export class UnchangedCommands {
  /**
   * Records already read, per ticket: each lookup reads only the records added since (by this process
   * or another). Reading the whole stream each time made every assign with a `commandId` slower with
   * each no-op remembered (10,000 on one ticket: ~15 ms more per command).
   */
  private readonly known = new Map<string, KnownRecords>();

  constructor(
    private readonly store: EventStore,
    private readonly ids: Ids,
  ) {}

  /** The record of `commandId` on this ticket, if it changed nothing when it ran. */
  async find(ticketId: string, commandId: string): Promise<UnchangedCommand | null> {
    const known = this.known.get(ticketId) ?? { next: 0, byCommandId: new Map<string, UnchangedCommand>() };
    const added = await this.store.readStream(unchangedCommandsStream(ticketId), {
      fromRevision: known.next,
    });
    for (const record of added) {
      const data = record.data as Partial<UnchangedCommand> | null;
      if (typeof data?.commandId === 'string' && typeof data.version === 'number') {
        const { commandId: id, fingerprint = null, version } = data;
        known.byCommandId.set(id, { commandId: id, fingerprint, version });
      }
      known.next = record.revision + 1;
    }
    // Most recently asked about last: the first entry is the one to forget.
    this.known.delete(ticketId);
    this.known.set(ticketId, known);
    if (this.known.size > TICKETS_REMEMBERED) this.known.delete(this.known.keys().next().value as string);
    return known.byCommandId.get(commandId) ?? null;
  }

  /** Remembers that `commandId` ran and changed nothing at `version` (durably, before it is answered). */
  async note(ticketId: string, record: UnchangedCommand): Promise<void> {
    const stream = unchangedCommandsStream(ticketId);
    await this.store.appendToStream(
      stream,
      [
        {
          id: this.ids.fromCommandId(record.commandId, `${stream}:unchanged`),
          type: UNCHANGED_COMMAND_EVENT,
          data: record,
          metadata: null,
        },
      ],
      'any',
    );
  }
}
