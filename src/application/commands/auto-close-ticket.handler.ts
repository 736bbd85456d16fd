import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { autoCloseRequest } from '../auto-close';
import { TicketCommandRunner } from '../command-runner';
import type { CommandResult } from '../views';
import { AutoCloseTicketCommand } from './ticket-commands';

@CommandHandler(AutoCloseTicketCommand)
export class AutoCloseTicketHandler implements ICommandHandler<AutoCloseTicketCommand> {
  constructor(private readonly runner: TicketCommandRunner) {}

  async execute({ ticketId }: AutoCloseTicketCommand): Promise<CommandResult> {
    return this.runner.run(autoCloseRequest(ticketId));
  }
}
