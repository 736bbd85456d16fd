/** Handlers of the commands on an existing ticket: each builds the domain command and runs it. */
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { TicketCommand } from '../../domain/ticket.commands';
import { actorsOf, ensureMayActOn } from '../access';
import { TicketCommandRunner, type NumberedCommand } from '../command-runner';
import { IDS, type Ids } from '../ports/ids.port';
import type { Principal } from '../principal';
import { Sequences } from '../sequences';
import type { CommandResult } from '../views';
import {
  AddCommentCommand,
  AssignTicketCommand,
  CloseTicketCommand,
  ProposeSolutionCommand,
  ReopenTicketCommand,
  RequestCouponStatusChangeCommand,
  type TicketChangeInput,
} from './ticket-commands';

/**
 * Runs a command on an existing ticket as the caller, in the strongest of their roles that may do it:
 * auditors and reporters are refused, requesters act only on their own tickets.
 */
async function change(
  runner: TicketCommandRunner,
  principal: Principal,
  input: TicketChangeInput,
  command: TicketCommand | NumberedCommand,
): Promise<CommandResult> {
  const [actor, ...alsoActs] = actorsOf(principal);
  const outcome = await runner.run({
    ticketId: input.ticketId,
    actor,
    alsoActs,
    expectedVersion: input.expectedVersion ?? null,
    commandId: input.commandId ?? null,
    edgeFindings: input.edgeFindings,
    typeFindings: input.typeFindings,
    authorize: (ticket, acting) => ensureMayActOn(acting, ticket, principal),
    command,
  });
  return outcome;
}

@CommandHandler(AssignTicketCommand)
export class AssignTicketHandler implements ICommandHandler<AssignTicketCommand> {
  constructor(private readonly runner: TicketCommandRunner) {}

  execute({ principal, input }: AssignTicketCommand): Promise<CommandResult> {
    const { assigneeId, line, reason } = input;
    // Taking a ticket oneself ("assign to me") without a name: the name is the caller's own.
    const assigneeName = input.assigneeName ?? (assigneeId === principal.id ? principal.name : null);
    return change(this.runner, principal, input, {
      kind: 'AssignTicket',
      assigneeId,
      assigneeName,
      line,
      reason,
    });
  }
}

@CommandHandler(AddCommentCommand)
export class AddCommentHandler implements ICommandHandler<AddCommentCommand> {
  constructor(
    private readonly runner: TicketCommandRunner,
    @Inject(IDS) private readonly ids: Ids,
  ) {}

  execute({ principal, input }: AddCommentCommand): Promise<CommandResult> {
    const { body, internal, requestsReply, commandId } = input;
    const commentId = commandId
      ? this.ids.fromCommandId(commandId, `comment:${input.ticketId}`)
      : this.ids.newId();
    return change(this.runner, principal, input, {
      kind: 'AddComment',
      commentId,
      body,
      internal,
      requestsReply,
    });
  }
}

@CommandHandler(ProposeSolutionCommand)
export class ProposeSolutionHandler implements ICommandHandler<ProposeSolutionCommand> {
  constructor(private readonly runner: TicketCommandRunner) {}

  execute({ principal, input }: ProposeSolutionCommand): Promise<CommandResult> {
    return change(this.runner, principal, input, { kind: 'ProposeSolution', solution: input.solution });
  }
}

@CommandHandler(ReopenTicketCommand)
export class ReopenTicketHandler implements ICommandHandler<ReopenTicketCommand> {
  constructor(private readonly runner: TicketCommandRunner) {}

  execute({ principal, input }: ReopenTicketCommand): Promise<CommandResult> {
    return change(this.runner, principal, input, { kind: 'ReopenTicket', reason: input.reason });
  }
}

@CommandHandler(CloseTicketCommand)
export class CloseTicketHandler implements ICommandHandler<CloseTicketCommand> {
  constructor(private readonly runner: TicketCommandRunner) {}

  execute({ principal, input }: CloseTicketCommand): Promise<CommandResult> {
    const { resolution, reason } = input;
    return change(this.runner, principal, input, { kind: 'CloseTicket', resolution, reason });
  }
}

@CommandHandler(RequestCouponStatusChangeCommand)
export class RequestCouponStatusChangeHandler implements ICommandHandler<RequestCouponStatusChangeCommand> {
  constructor(
    private readonly runner: TicketCommandRunner,
    private readonly sequences: Sequences,
  ) {}

  execute({ principal, input }: RequestCouponStatusChangeCommand): Promise<CommandResult> {
    const { ticketId: _t, expectedVersion: _v, commandId: _c, ...form } = input;
    return change(this.runner, principal, input, {
      sequence: this.sequences.couponRegistrations,
      build: (registrationSeq) => ({ kind: 'RequestCouponStatusChange', registrationSeq, form }),
    });
  }
}
