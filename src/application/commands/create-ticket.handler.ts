import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InvalidInput } from '../../domain/domain.errors';
import { actorOf, requesterOfNewTicket } from '../access';
import { TicketCommandRunner } from '../command-runner';
import { IDS, type Ids } from '../ports/ids.port';
import { Sequences } from '../sequences';
import type { CommandResult } from '../views';
import { CreateTicketCommand } from './ticket-commands';

@CommandHandler(CreateTicketCommand)
export class CreateTicketHandler implements ICommandHandler<CreateTicketCommand> {
  constructor(
    private readonly runner: TicketCommandRunner,
    private readonly sequences: Sequences,
    @Inject(IDS) private readonly ids: Ids,
  ) {}

  async execute({ principal, input }: CreateTicketCommand): Promise<CommandResult> {
    const actor = actorOf(principal);
    const requester = requesterOfNewTicket(principal, actor, input.requester);
    const commandId = input.commandId ?? null;
    // Derived from the caller too, so two callers who happen to pick the same commandId get two tickets.
    const ticketId =
      commandId === null ? this.ids.newId() : this.ids.fromCommandId(commandId, `ticket:${principal.id}`);
    const nearestDepartureAt = isoInstant(input.nearestDepartureAt);
    const outcome = await this.runner.run({
      ticketId,
      actor,
      commandId,
      edgeFindings: input.edgeFindings,
      typeFindings: input.typeFindings,
      command: {
        sequence: this.sequences.ticketNumbers,
        build: (number) => ({
          kind: 'CreateTicket',
          ticketId,
          number,
          requester,
          channel: input.channel,
          module: input.module,
          category: input.category,
          type: input.type,
          subject: input.subject,
          description: input.description,
          priority: input.priority,
          pnr: input.pnr,
          nearestDepartureAt,
          eTicketNumber: input.eTicketNumber,
        }),
      },
    });
    return outcome;
  }
}

/** The DateTime scalar gives a Date; the domain takes ISO-8601 text (and validates strings itself). */
function isoInstant(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (Number.isNaN(value.getTime())) {
    throw new InvalidInput([{ path: 'nearestDepartureAt', message: 'is not a valid date and time' }]);
  }
  return value.toISOString();
}
