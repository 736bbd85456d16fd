import type { FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { Unauthenticated } from '../../../application/errors';
import type { Principal } from '../../../application/principal';
import { verifyToken } from '../../auth/jwt';

/** What every resolver gets: the authenticated caller. */
export interface RequestContext {
  principal: Principal;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Builds the context of each GraphQL request from its bearer token (runtime.md "Authentication").
 * It runs before the operation is parsed or executed, so a request without a valid token reads and
 * writes nothing: it fails here as UNAUTHENTICATED with HTTP 401.
 */
export function requestContextFactory(jwtSecret: string): (request: FastifyRequest) => RequestContext {
  return (request) => {
    const match = BEARER.exec(request.headers.authorization ?? '');
    try {
      if (!match) throw new Unauthenticated('A bearer token is required (Authorization: Bearer <JWT>)');
      return { principal: verifyToken(jwtSecret, match[1]) };
    } catch (error) {
      const message = error instanceof Unauthenticated ? error.message : 'Invalid bearer token';
      throw new GraphQLError(message, {
        extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
      });
    }
  };
}
