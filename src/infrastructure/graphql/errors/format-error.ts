/**
 * The one place where errors become GraphQL error codes (schema.graphql's header): the typed errors of
 * the domain and the application, GraphQL's own client errors, and everything else as INTERNAL with a
 * generic message (the details go to the server log, never to the client).
 */
import { unwrapResolverError } from '@apollo/server/errors';
import { Logger } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ConcurrencyConflict, Forbidden, NotFound, Unauthenticated } from '../../../application/errors';
import { ReadModelsNotReady } from '../../../application/ports/projection-status.port';
import { StoreUnavailable } from '../../../application/ports/store-unavailable';
import { type FieldError, InvalidInput, RuleViolated } from '../../../domain/domain.errors';
import { literalPath } from './literal-path';
import { ThrottledLog } from './throttled-log';

/**
 * Codes GraphQL and Apollo give to malformed requests: the client's mistakes. The contract allows seven
 * codes, so all but UNAUTHENTICATED are answered as BAD_USER_INPUT, the original kept beside it as
 * `extensions.graphqlCode` (a syntax error, an unknown field, a query too deep, a refused batch).
 */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'UNAUTHENTICATED',
]);

const logger = new Logger('GraphQL');
/** Store outages: one line per store per 10 s, however many requests meet them. */
const outages = new ThrottledLog((line) => logger.warn(line));

/** How Apollo's CSRF prevention starts its refusal of a request without a JSON content type. */
const CSRF_REFUSAL = 'This operation has been blocked as a potential Cross-Site Request Forgery';

type Extensions = Record<string, unknown>;

/**
 * The longest message answered. graphql-js quotes a refused value whole, sometimes twice (a 900 KB enum
 * value gave a 3.6 MB answer); what matters is which variable, where in it, and what is wrong.
 */
export const MAX_MESSAGE_LENGTH = 1_000;
/** Longest quoted text kept whole in a long message (with its quotes). */
const MAX_QUOTED = 100;

/**
 * `message` at most MAX_MESSAGE_LENGTH characters long: long quoted texts cut short, then, if still too
 * long (an object of many keys), the middle cut out.
 */
export function shortened(message: string): string {
  if (message.length <= MAX_MESSAGE_LENGTH) return message;
  const cut = withShortQuotes(message);
  if (cut.length <= MAX_MESSAGE_LENGTH) return cut;
  const keep = (MAX_MESSAGE_LENGTH - 3) / 2;
  return `${cut.slice(0, Math.floor(keep))} … ${cut.slice(-Math.ceil(keep))}`;
}

/**
 * Each quoted text as graphql-js writes one (JSON, with `\"` inside) longer than MAX_QUOTED cut short,
 * in one pass. (A regular expression for it backtracked: a key of 40,000 `"\` pairs, whose quote never
 * closes, took 6 s, every later quote scanning again to the end.) An unclosed quote runs to the end.
 */
function withShortQuotes(message: string): string {
  const parts: string[] = [];
  let from = 0;
  for (let open = message.indexOf('"'); open >= 0; open = message.indexOf('"', from)) {
    let close = open + 1;
    while (close < message.length && message[close] !== '"') close += message[close] === '\\' ? 2 : 1;
    const end = Math.min(close + 1, message.length);
    parts.push(message.slice(from, open));
    parts.push(
      end - open <= MAX_QUOTED ? message.slice(open, end) : `${message.slice(open, open + MAX_QUOTED - 2)}…"`,
    );
    from = end;
  }
  parts.push(message.slice(from));
  return parts.join('');
}

function shaped(
  formatted: GraphQLFormattedError,
  message: string,
  extensions: Extensions,
): GraphQLFormattedError {
  return {
    message: shortened(message),
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions,
  };
}

/** Apollo's `formatError`. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const unwrapped = unwrapResolverError(error);
  // An InvalidInput raised before execution (a plugin checking the variables) arrives wrapped.
  const cause =
    unwrapped instanceof GraphQLError && unwrapped.originalError instanceof InvalidInput
      ? unwrapped.originalError
      : unwrapped;
  if (cause instanceof InvalidInput) {
    return shaped(formatted, cause.message, {
      code: 'BAD_USER_INPUT',
      fields: shortenedFields(cause.fields),
    });
  }
  if (cause instanceof RuleViolated) {
    // The guidance is in the message too: a client that shows only `message` still tells the user what
    // to do instead (domain.md §3.1), and `extensions.guidance` keeps it apart for those that place it.
    const message = cause.guidance ? `${cause.message} Instead, ${cause.guidance}.` : cause.message;
    return shaped(formatted, message, {
      code: 'RULE_VIOLATED',
      rule: cause.rule,
      ...(cause.guidance ? { guidance: cause.guidance } : {}),
    });
  }
  if (cause instanceof ConcurrencyConflict) {
    return shaped(formatted, cause.message, {
      code: 'CONFLICT',
      expectedVersion: cause.expectedVersion,
      actualVersion: cause.actualVersion,
    });
  }
  if (cause instanceof NotFound) return shaped(formatted, cause.message, { code: 'NOT_FOUND' });
  if (cause instanceof Forbidden) return shaped(formatted, cause.message, { code: 'FORBIDDEN' });
  if (cause instanceof Unauthenticated) return shaped(formatted, cause.message, { code: 'UNAUTHENTICATED' });

  const code = clientCode(formatted, cause);
  if (code === 'UNAUTHENTICATED') return shaped(formatted, formatted.message, { code });
  if (code !== null) {
    const message = formatted.message.startsWith(CSRF_REFUSAL)
      ? `Send GraphQL requests as POST with content-type: application/json. (${formatted.message})`
      : (REWORDED[formatted.message] ?? formatted.message);
    const fields = shortenedFields(fieldsOf(message, cause));
    // A value GraphQL refused reads as every other refusal of input ("Invalid input: channel: Value "FAX"
    // does not exist…", as when several are merged), not with the client's own variable before it.
    const reworded =
      message.startsWith('Variable "$') && fields.length === 1 && fields[0].path !== ''
        ? new InvalidInput(fields).message
        : message;
    return shaped(formatted, reworded, {
      code: 'BAD_USER_INPUT',
      fields,
      ...(code === 'BAD_USER_INPUT' ? {} : { graphqlCode: code }),
    });
  }

  if (cause instanceof ReadModelsNotReady) return shaped(formatted, cause.message, { code: 'INTERNAL' });
  if (cause instanceof StoreUnavailable) {
    // An outage, not a bug: one line for the operator now and then (health says it too), and a message
    // that tells the client to try again (an append that timed out may have been stored: the commandId
    // makes the retry safe).
    // One kind per store: the messages of one outage differ (gRPC's name addresses and timings).
    outages.note(cause.store, `${formatted.path?.join('.') ?? 'request'}: ${cause.message}`);
    return shaped(
      formatted,
      `The ${cause.store} is unavailable; try again shortly (a mutation retried with the same commandId is safe)`,
      { code: 'INTERNAL' },
    );
  }
  logger.error(cause instanceof Error ? (cause.stack ?? cause.message) : String(cause));
  return shaped(formatted, 'Internal error', { code: 'INTERNAL' });
}

function shortenedFields(fields: readonly FieldError[]): FieldError[] {
  return fields.map((field) => ({ path: shortened(field.path), message: shortened(field.message) }));
}

/**
 * graphql-js's refusals of arguments and variables that carry no code: too many bad values to list, or
 * a nullable variable set to null where the argument is not.
 */
const UNCODED_INPUT_ERRORS = [
  /^Too many errors processing variables/,
  /^Argument "[^"]+" of (?:non-null|required) type "[^"]+" (?:must not be null|was provided the variable)/,
];

/**
 * graphql-js messages that give the client no reason, in words that do. "Validation aborted." is its
 * overlapping-fields check giving up: it compares every pair of fields answered under one name, and
 * stops past a budget (the same field some 800 times at one level).
 */
const REWORDED: Readonly<Record<string, string>> = {
  'Validation aborted.':
    'The query asks for the same fields too many times over to be checked (GraphQL compares every pair answered under one name): ask each field once',
  'Too many validation errors, error limit reached. Validation aborted.':
    'Too many errors in the query: the first 100 are listed; correct them and send it again',
};

/** The client-error code of a GraphQL error, or null when the error is not the client's. */
function clientCode(formatted: GraphQLFormattedError, cause: unknown): string | null {
  if (cause instanceof GraphQLError && cause.originalError === undefined) {
    if (UNCODED_INPUT_ERRORS.some((pattern) => pattern.test(cause.message))) return 'BAD_USER_INPUT';
  }
  // A scalar (DateTime) refusing a literal: graphql-js reports it as a validation error, but it is bad input.
  const scalarError = cause instanceof GraphQLError ? (cause.originalError ?? cause) : null;
  if (scalarError instanceof GraphQLError && scalarError.extensions.code === 'BAD_USER_INPUT') {
    return 'BAD_USER_INPUT';
  }
  const code = formatted.extensions?.code;
  return typeof code === 'string' && CLIENT_CODES.has(code) ? code : null;
}

/**
 * `extensions.fields` for GraphQL's own input errors, from the path graphql-js names, relative to the
 * variable (as the domain's paths are relative to `input`):
 * `Variable "$i" got invalid value "x" at "i.nearestDepartureAt"; …` → `nearestDepartureAt`; a missing
 * or unknown field is named itself (`Field "module" of required type "String!" was not provided` →
 * `module`). A refused literal in the query text is found in the operation (literal-path.ts). Errors
 * about the request as a whole (syntax, unknown fields, depth) have the empty path.
 */
function fieldsOf(message: string, cause: unknown): FieldError[] {
  const argument = /^Argument "([^"]+)" of (?:non-null|required) type/.exec(message)?.[1];
  if (argument !== undefined) return [{ path: argument, message }];
  const variable = /^Variable "\$([^"]+)"/.exec(message)?.[1];
  if (variable === undefined) {
    const error = cause instanceof GraphQLError ? cause : null;
    // A required field missing from an object in the query text: graphql-js names it `Type.field` and
    // points at the object, so the path is the object's, then the field.
    const missing = /^Field "(?:[^".]+\.)?([^".]+)" of required type .* was not provided/.exec(message)?.[1];
    return [{ path: (error && literalPath(error, missing)) ?? '', message }];
  }
  // graphql-js keeps its reason apart (the value's own error): a form shows that beside the field.
  const reason =
    cause instanceof GraphQLError && cause.originalError instanceof GraphQLError
      ? cause.originalError.message
      : undefined;
  return [variableErrorField(message, variable, reason)];
}

/**
 * graphql-js's reason for refusing a value, in a form's words where it has a plainer one: a missing
 * field "is required" (as the domain says it), an unknown one "is not a field of T"; any other reason
 * (an unknown enum value, a DateTime that is no date) as graphql-js gives it, without the
 * `Variable "$i" got invalid value … at "i.channel"` before it, which names the client's variable.
 */
export function reasonWording(reason: string): string {
  if (/^Field "[^"]+" of required type "[^"]+" was not provided\.$/.test(reason)) return 'is required';
  const unknown = /^Field "[^"]+" is not defined by type "([^"]+)"\.(.*)$/s.exec(reason);
  // Its suggestions, if any, follow ("Did you mean …?").
  return unknown ? `is not a field of ${unknown[1]}${unknown[2] ? `.${unknown[2]}` : ''}` : reason;
}

/**
 * The field a graphql-js variable error (`Variable "$i" got invalid value …`) is about (see fieldsOf),
 * with graphql-js's `reason` (its inner error's message) as the field's message when it is known.
 */
export function variableErrorField(
  message: string,
  variable = /^Variable "\$([^"]+)"/.exec(message)?.[1] ?? '',
  reason?: string,
): FieldError {
  const at = /at "([^"]+)"/.exec(message)?.[1];
  let path = at === undefined || at === variable ? variable : at.replace(`${variable}.`, '');
  const field = /Field "([^"]+)" (?:of required type .* was not provided|is not defined by type)/.exec(
    message,
  )?.[1];
  if (field !== undefined) path = path === variable ? field : `${path}.${field}`;
  return { path, message: reason === undefined ? message : reasonWording(reason) };
}
