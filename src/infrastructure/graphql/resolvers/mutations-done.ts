/**
 * What the mutations of one request did, recorded as each one is made, so that an answer that cannot
 * show them still says so. GraphQL runs a request's mutations one after another and stops at the first
 * that fails; as each payload is non-null, the failure makes the whole `data` null, hiding the ones made
 * before it: a desk's batch of ten assignments answered "invalid input" with no data after eight were
 * made, and a retry failed at the same place every time. The errors of such an answer carry
 * `extensions.done` (mutations-done.plugin.ts), as does an answer too large to send.
 */
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { CommandResult } from '../../../application/views';

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

/** The resolver's `RecordDone` (a parameter decorator). */
export const MutationRecord = createParamDecorator((_: unknown, context: ExecutionContext): RecordDone => {
  const gql = GqlExecutionContext.create(context);
  const info = gql.getInfo<GraphQLResolveInfo>();
  const request = gql.getContext<WithMutationsDone>();
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
});
