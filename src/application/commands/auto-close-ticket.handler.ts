import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { TicketPolicy } from '../../domain/ticket.commands';
import { autoCloseRequest } from '../auto-close';
import { TicketCommandRunner } from '../command-runner';
import { TICKET_POLICY } from '../ports/ticket-policy.port';
import type { CommandResult } from '../views';
import { AutoCloseTicketCommand } from './ticket-commands';

@CommandHandler(AutoCloseTicketCommand)
export class AutoCloseTicketHandler implements ICommandHandler<AutoCloseTicketCommand> {
  constructor(
    private readonly runner: TicketCommandRunner,
    @Inject(TICKET_POLICY) private readonly policy: TicketPolicy,
  ) {}

  async execute({ ticketId }: AutoCloseTicketCommand): Promise<CommandResult> {
    return this.runner.run(autoCloseRequest(ticketId, this.policy));
  }
}
