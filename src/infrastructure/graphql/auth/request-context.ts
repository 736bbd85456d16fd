import type { FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { Unauthenticated } from '../../../application/errors';
import type { Principal } from '../../../application/principal';
import { ReadBudget } from '../../../application/queries/read-budget';
import { verifyToken } from '../../auth/jwt';
import { expiryOf, VerifiedTokens } from './verified-tokens';

/** What every resolver gets: the authenticated caller, and the request's budget for correspondence. */
export interface RequestContext {
  principal: Principal;
  budget: ReadBudget;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Builds the context of each GraphQL request from its bearer token (runtime.md "Authentication").
 * It runs before the operation is parsed or executed, so a request without a valid token reads and
 * writes nothing: it fails here as UNAUTHENTICATED with HTTP 401.
 */
export function requestContextFactory(jwtSecret: string): (request: FastifyRequest) => RequestContext {
  const verified = new VerifiedTokens();
  return (request) => {
    const match = BEARER.exec(request.headers.authorization ?? '');
    try {
      if (!match) throw new Unauthenticated('A bearer token is required (Authorization: Bearer <JWT>)');
      const token = match[1];
      const known = verified.get(token);
      if (known) return { principal: known, budget: new ReadBudget() };
      const principal = verifyToken(jwtSecret, token);
      verified.remember(token, principal, expiryOf(token));
      return { principal, budget: new ReadBudget() };
    } catch (error) {
      const message = error instanceof Unauthenticated ? error.message : 'Invalid bearer token';
      throw new GraphQLError(message, {
        extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
      });
    }
  };
}
