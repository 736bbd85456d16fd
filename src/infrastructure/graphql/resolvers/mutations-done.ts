/**
 * What the mutations of one request did, recorded as each one is made, so that an answer that cannot
 * show them still says so. GraphQL runs a request's mutations one after another and stops at the first
 * that fails; as each payload is non-null, the failure makes the whole `data` null, hiding the ones made
 * before it: a desk's batch of ten assignments answered "invalid input" with no data after eight were
 * made, and a retry failed at the same place every time. The errors of such an answer carry
 * `extensions.done` (the answer plugin, response-size.plugin.ts), as does an answer too large to send.
 */
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Principal } from '../../../application/principal';
import type { ReadBudget } from '../../../application/queries/read-budget';
import type { CommentsNeeded } from '../../../application/queries/ticket-queries';
import type { CommandResult } from '../../../application/views';
import { commentsNeeded } from './selected-fields';

/** One mutation made: its field in the answer, and what it changed. */
export interface MutationDone {
  field: string;
  ticketId: string;
  /** The ticket's number (what a portal tells its user). */
  number: number;
  version: number;
  commandId: string | null;
  registrationNumber?: string;
  /** True when its commandId had run before: it changed nothing now. */
  repeated?: boolean;
}

/** Where a request keeps its record (the GraphQL context). */
export interface WithMutationsDone {
  mutationsDone?: MutationDone[];
}

/** Records a mutation made, under its field's name in the answer. */
export type RecordDone = (result: CommandResult) => void;

/** Records, under the mutation's field name in the answer, each change it makes. */
function recorder(info: GraphQLResolveInfo, request: WithMutationsDone): RecordDone {
  return (result) => {
    const done: MutationDone = {
      field: String(info.path.key),
      ticketId: result.ticketId,
      number: result.state.number,
      version: result.version,
      commandId: result.commandId,
      ...(result.registrationNumber ? { registrationNumber: result.registrationNumber } : {}),
      ...(result.repeated ? { repeated: true } : {}),
    };
    (request.mutationsDone ??= []).push(done);
  };
}

/** What a mutation's resolver needs of its request: who asks, what the payload shows, where to record. */
export interface MutationCall {
  principal: Principal;
  needs: CommentsNeeded;
  record: RecordDone;
}

/**
 * The mutation's `MutationCall` (one parameter decorator): Nest resolves and pipes each parameter of a
 * resolver on every call, and three of them cost a createTicket ~10 µs more than one.
 */
export const MutationCaller = createParamDecorator((_: unknown, context: ExecutionContext): MutationCall => {
  const gql = GqlExecutionContext.create(context);
  const info = gql.getInfo<GraphQLResolveInfo>();
  const request = gql.getContext<WithMutationsDone & { principal: Principal; budget?: ReadBudget }>();
  return {
    principal: request.principal,
    needs: commentsNeeded(info, request.budget),
    record: recorder(info, request),
  };
});
