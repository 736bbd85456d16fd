import { type ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { GqlContextType } from '@nestjs/graphql';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Hands errors thrown in resolvers to Apollo untouched, where `formatError` maps them (and logs only
 * the unexpected ones). Without it Nest logs every refusal — a broken rule, a bad field — as a server
 * error.
 *
 * A request to /graphql that Fastify refuses before GraphQL sees it (a body over 1 MB: 413, malformed
 * JSON: 400, a body that is not JSON: 415) is answered with its HTTP status and a GraphQL-shaped body, `errors[].extensions.code`
 * BAD_USER_INPUT with `fields` naming the request as a whole (the empty path), as for a syntax error,
 * so clients read it like any other error. Other errors outside GraphQL (GET /health)
 * keep Nest's default handling.
 */
@Catch()
export class GraphqlExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<GqlContextType>() === 'graphql') return exception;
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest | undefined>();
    if (exception instanceof HttpException && request?.url?.startsWith('/graphql')) {
      const status = exception.getStatus();
      if (status >= 400 && status < 500) {
        const message = refusal(status, exception.message);
        return http
          .getResponse<FastifyReply>()
          .code(status)
          .send({
            errors: [{ message, extensions: { code: 'BAD_USER_INPUT', fields: [{ path: '', message }] } }],
          });
      }
    }
    return super.catch(exception, host);
  }
}

/** What the client did wrong, for a status Fastify answered with. */
function refusal(status: number, message: string): string {
  if (status === 413) return 'Request body is larger than 1 MB';
  if (status === 415) return `Send GraphQL requests as JSON (content-type: application/json): ${message}`;
  // Fastify gives the same answer to a body that holds a `__proto__` or `constructor.prototype` key
  // (refused as prototype poisoning), which is valid JSON: say both.
  if (message.startsWith('Body is not valid JSON')) {
    return 'Malformed request: the body is not valid JSON, or it holds a key named "__proto__" or "constructor" with "prototype" (refused)';
  }
  return `Malformed request: ${message}`;
}
