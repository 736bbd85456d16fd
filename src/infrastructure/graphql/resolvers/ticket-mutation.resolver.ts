/**
 * Mutations: run the command, wait until the read models hold its events (read-your-writes), then
 * answer from the read model, so the payload and every later query show the change. When the read
 * models do not get there in time (lagging, stopped on a bad event, or the server shutting down), the
 * answer is the ticket as the command left it, folded from its events: the write is stored, and an
 * error would make the client retry it.
 */
import { Inject, Logger } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import {
  AddCommentCommand,
  AssignTicketCommand,
  CloseTicketCommand,
  CreateTicketCommand,
  ProposeSolutionCommand,
  ReopenTicketCommand,
  RequestCouponStatusChangeCommand,
} from '../../../application/commands/ticket-commands';
import { actingRole } from '../../../application/access';
import { StoreUnavailable } from '../../../application/ports/store-unavailable';
import { CLOCK, type Clock } from '../../../application/ports/clock.port';
import {
  PROJECTION_STATUS,
  ReadModelsNotReady,
  type ProjectionStatus,
} from '../../../application/ports/projection-status.port';
import type { Principal } from '../../../application/principal';
import { type CommentsNeeded, GetTicketQuery } from '../../../application/queries/ticket-queries';
import { shownComments, ticketView } from '../../../application/queries/ticket-views';
import type { CommandResult, CouponRequestView, TicketView } from '../../../application/views';
import { API_OPTIONS, type ApiOptions } from '../api-options';
import { ThrottledLog } from '../errors/throttled-log';
import { RequestCouponStatusChangeInputType } from '../inputs/coupon-request.inputs';
import {
  AddCommentInputType,
  AssignTicketInputType,
  CloseTicketInputType,
  CreateTicketInputType,
  ProposeSolutionInputType,
  ReopenTicketInputType,
} from '../inputs/ticket-command.inputs';
import { CouponRequestPayloadType, TicketPayloadType } from '../types/payload.types';
import { type MutationCall, MutationCaller } from './mutations-done';

/** A ticket's comment count as the caller may see it, without its comments. */
const COUNT_ONLY: CommentsNeeded = { comments: false, commentCount: true };

interface TicketPayload {
  ticket: TicketView;
  commandId: string | null;
}

type AnyTicketCommand =
  | CreateTicketCommand
  | AssignTicketCommand
  | AddCommentCommand
  | ProposeSolutionCommand
  | ReopenTicketCommand
  | CloseTicketCommand
  | RequestCouponStatusChangeCommand;

@Resolver()
export class TicketMutationResolver {
  private readonly logger = new Logger('Mutations');
  private readonly lagging = new ThrottledLog((line) => this.logger.warn(line));

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(PROJECTION_STATUS) private readonly projections: ProjectionStatus,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Mutation(() => TicketPayloadType)
  createTicket(
    @MutationCaller() caller: MutationCall,
    @Args('input', { type: () => CreateTicketInputType }) input: CreateTicketInputType,
  ): Promise<TicketPayload> {
    return this.run(caller, input, () => new CreateTicketCommand(caller.principal, input));
  }

  @Mutation(() => TicketPayloadType)
  assignTicket(
    @MutationCaller() caller: MutationCall,
    @Args('input', { type: () => AssignTicketInputType }) input: AssignTicketInputType,
  ): Promise<TicketPayload> {
    return this.run(caller, input, () => new AssignTicketCommand(caller.principal, input));
  }

  @Mutation(() => TicketPayloadType)
  addComment(
    @MutationCaller() caller: MutationCall,
    @Args('input', { type: () => AddCommentInputType }) input: AddCommentInputType,
  ): Promise<TicketPayload> {
    return this.run(caller, input, () => new AddCommentCommand(caller.principal, input));
  }

  @Mutation(() => TicketPayloadType)
  proposeSolution(
    @MutationCaller() caller: MutationCall,
    @Args('input', { type: () => ProposeSolutionInputType }) input: ProposeSolutionInputType,
  ): Promise<TicketPayload> {
    return this.run(caller, input, () => new ProposeSolutionCommand(caller.principal, input));
  }

  @Mutation(() => TicketPayloadType)
  reopenTicket(
    @MutationCaller() caller: MutationCall,
    @Args('input', { type: () => ReopenTicketInputType }) input: ReopenTicketInputType,
  ): Promise<TicketPayload> {
    return this.run(caller, input, () => new ReopenTicketCommand(caller.principal, input));
  }

  @Mutation(() => TicketPayloadType)
  closeTicket(
    @MutationCaller() caller: MutationCall,
    @Args('input', { type: () => CloseTicketInputType }) input: CloseTicketInputType,
  ): Promise<TicketPayload> {
    return this.run(caller, input, () => new CloseTicketCommand(caller.principal, input));
  }

  @Mutation(() => CouponRequestPayloadType)
  async requestCouponStatusChange(
    @MutationCaller() caller: MutationCall,
    @Args('input', { type: () => RequestCouponStatusChangeInputType })
    input: RequestCouponStatusChangeInputType,
  ): Promise<{ ticket: TicketView; request: CouponRequestView }> {
    const { ticket, result } = await this.execute(
      caller,
      () => new RequestCouponStatusChangeCommand(caller.principal, input),
      input.ticketId ?? null,
    );
    const request = ticket.couponRequests.find((r) => r.registrationNumber === result.registrationNumber);
    if (!request) {
      throw new Error(
        `Coupon request ${result.registrationNumber} missing from ticket ${ticket.id}'s read model`,
      );
    }
    return { ticket, request };
  }

  /** Runs a command answering a TicketPayload; `commandId` echoes the client's own. */
  private async run(
    caller: MutationCall,
    input: { commandId?: string | null; ticketId?: string | null },
    build: () => AnyTicketCommand,
  ): Promise<TicketPayload> {
    const { ticket } = await this.execute(caller, build, input.ticketId ?? null);
    return { ticket, commandId: input.commandId ?? null };
  }

  /**
   * Runs the command and answers the ticket after it, with the comments the selection shows (`needs`),
   * counted against the request's budget: an aliased mutation selecting a long ticket's comments was
   * a read of all of them per alias, budgeted nowhere (a repeated commandId made it free to repeat).
   */
  private async execute(
    { principal, needs: selected, record }: MutationCall,
    build: () => AnyTicketCommand,
    ticketId: string | null,
  ): Promise<{ ticket: TicketView; result: CommandResult }> {
    // Auditors, reporters and callers without a role change nothing: refused before any command runs.
    actingRole(principal);
    const needs = await this.reserveBeforeChange(principal, selected, ticketId);
    const result: CommandResult = await this.commands.execute(build());
    // Made: an answer that cannot show it (a later mutation failed, the answer too large) still says so.
    record(result);
    const caughtUp = await this.projections.waitForPosition(
      result.position,
      this.options.readYourWritesTimeoutMs,
    );
    // A repeated commandId answers what its first run answered: the ticket as that run left it (the
    // wait above still lets a query sent after this answer see it, also when the first run was another
    // process's).
    if (result.repeated) return { ticket: this.viewOf(result, principal, needs), result };
    const ticket: TicketView | null = caughtUp ? await this.readBack(principal, needs, result) : null;
    if (ticket && ticket.version === result.version) return { ticket, result };
    // The read models already show a later change as well (another writer came right after): the
    // payload is the ticket after this command, folded from its events.
    if (ticket) return { ticket: this.viewOf(result, principal, needs), result };
    // The change is stored; the read models do not show it yet. Health reports why (lagging, failed or
    // the read store away).
    // Once per interval at most: while the read models are away, every mutation comes here.
    this.lagging.note(
      'lagging',
      `Read models could not show position ${result.position} of ticket ${result.ticketId} in time ` +
        '(lagging, stopped or unreachable); answered from its events',
    );
    return { ticket: this.viewOf(result, principal, needs), result };
  }

  /**
   * The payload's comments reserved from the request's budget before anything changes, from the
   * ticket's count (and one more, the comment this command may add): a refusal after the change
   * answered "invalid input" for a change that was made. What is read back is then not counted again.
   */
  private async reserveBeforeChange(
    principal: Principal,
    needs: CommentsNeeded,
    ticketId: string | null,
  ): Promise<CommentsNeeded> {
    if ((!needs.comments && !needs.history) || !needs.budget) return needs;
    if (ticketId !== null) {
      const now: TicketView | null = await this.queries
        .execute(new GetTicketQuery(principal, { id: ticketId, number: null }, COUNT_ONLY))
        .catch(() => null);
      if (needs.comments) {
        const count = (now?.commentCount ?? 0) + 1;
        needs.budget.reserve(Math.min(count, needs.last ?? count), 'comments');
      }
      // Its events now, and the one or two this command may add (history in a mutation's payload is
      // not counted again).
      if (needs.history) needs.budget.reserve((now?.version ?? 0) + 3, 'history');
    }
    return { ...needs, budget: undefined };
  }

  /**
   * The ticket from the read models; null when they cannot answer (the read store is away, or came back
   * without them): the change is made, and the payload is then folded from its events.
   */
  private async readBack(
    principal: Principal,
    needs: CommentsNeeded,
    result: CommandResult,
  ): Promise<TicketView | null> {
    try {
      return await this.queries.execute(
        new GetTicketQuery(principal, { id: result.ticketId, number: null }, needs),
      );
    } catch (error) {
      if (!(error instanceof StoreUnavailable || error instanceof ReadModelsNotReady)) throw error;
      return null;
    }
  }

  /** The ticket as the command left it, folded from its events (not read from the read models). */
  private viewOf(result: CommandResult, principal: Principal, needs: CommentsNeeded): TicketView {
    const { state } = result;
    const { shown, visibleCount } = shownComments(state.comments, principal, needs);
    return ticketView(state, shown, principal, this.clock.now(), visibleCount);
  }
}
