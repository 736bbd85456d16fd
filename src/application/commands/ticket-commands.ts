/**
 * The ticket commands as the CommandBus carries them: the caller and the plain input of the matching
 * GraphQL input type (shared/contract/schema.graphql). Every handler returns a CommandResult.
 */
import { Command } from '@nestjs/cqrs';
import type { FieldError } from '../../domain/domain.errors';
import type { Resolution } from '../../domain/ticket.types';
import type { AssignTicket, CouponRequestForm, CreateTicket } from '../../domain/ticket.commands';
import type { Principal } from '../principal';
import type { CommandResult } from '../views';

/** What every command on an existing ticket carries (schema: ticketId, expectedVersion, commandId). */
/**
 * Problems the API's edge found in an input (a text past its generous bounds, a list too long) and left
 * for the command runner to list beside the domain's findings, so every bad field is reported at once.
 * Set (not enumerable) by the edge's validation pipe.
 */
export interface EdgeChecked {
  readonly edgeFindings?: readonly FieldError[];
  /** Places the API could not read as their type (TicketCommandRequest.typeFindings). */
  readonly typeFindings?: readonly FieldError[];
}

export interface TicketChangeInput extends EdgeChecked {
  ticketId: string;
  /** The version the client last saw; if the ticket has moved on, CONFLICT and nothing changes. */
  expectedVersion?: number | null;
  /** Makes retries safe: the same commandId appends nothing new and returns the same result. */
  commandId?: string | null;
}

/** The domain's CreateTicket fields the client gives; the number, id and requester default are the application's. */
export interface CreateTicketInput
  extends
    Omit<CreateTicket, 'kind' | 'ticketId' | 'number' | 'requester' | 'nearestDepartureAt'>,
    EdgeChecked {
  commandId?: string | null;
  requester?: CreateTicket['requester'] | null;
  /** A Date (DateTime scalar) or an ISO-8601 string. */
  nearestDepartureAt?: Date | string | null;
}

export interface AssignTicketInput extends TicketChangeInput, Omit<AssignTicket, 'kind'> {}

export interface AddCommentInput extends TicketChangeInput {
  body: string;
  internal?: boolean | null;
  requestsReply?: boolean | null;
}

export interface ProposeSolutionInput extends TicketChangeInput {
  solution: string;
}

export interface ReopenTicketInput extends TicketChangeInput {
  reason: string;
}

export interface CloseTicketInput extends TicketChangeInput {
  resolution: Resolution;
  reason?: string | null;
}

/** The request form's fields, every one optional: the domain checks them all at once. */
export interface RequestCouponStatusChangeInput extends TicketChangeInput, CouponRequestForm {}

export class CreateTicketCommand extends Command<CommandResult> {
  constructor(
    readonly principal: Principal,
    readonly input: CreateTicketInput,
  ) {
    super();
  }
}

export class AssignTicketCommand extends Command<CommandResult> {
  constructor(
    readonly principal: Principal,
    readonly input: AssignTicketInput,
  ) {
    super();
  }
}

export class AddCommentCommand extends Command<CommandResult> {
  constructor(
    readonly principal: Principal,
    readonly input: AddCommentInput,
  ) {
    super();
  }
}

export class ProposeSolutionCommand extends Command<CommandResult> {
  constructor(
    readonly principal: Principal,
    readonly input: ProposeSolutionInput,
  ) {
    super();
  }
}

export class ReopenTicketCommand extends Command<CommandResult> {
  constructor(
    readonly principal: Principal,
    readonly input: ReopenTicketInput,
  ) {
    super();
  }
}

export class CloseTicketCommand extends Command<CommandResult> {
  constructor(
    readonly principal: Principal,
    readonly input: CloseTicketInput,
  ) {
    super();
  }
}

/** Its result carries `registrationNumber` (N<k>). */
export class RequestCouponStatusChangeCommand extends Command<CommandResult> {
  constructor(
    readonly principal: Principal,
    readonly input: RequestCouponStatusChangeInput,
  ) {
    super();
  }
}

/** Closes a ticket whose proposed solution went unanswered (domain.md §2), as the system. */
export class AutoCloseTicketCommand extends Command<CommandResult> {
  constructor(readonly ticketId: string) {
    super();
  }
}
