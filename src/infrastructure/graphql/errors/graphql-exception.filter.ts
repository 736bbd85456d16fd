import { type ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { GqlContextType } from '@nestjs/graphql';

/**
 * Hands errors thrown in resolvers to Apollo untouched, where `formatError` maps them (and logs only
 * the unexpected ones). Without it Nest logs every refusal — a broken rule, a bad field — as a server
 * error. Errors outside GraphQL (GET /health) keep Nest's default handling.
 */
@Catch()
export class GraphqlExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<GqlContextType>() === 'graphql') return exception;
    return super.catch(exception, host);
  }
}
