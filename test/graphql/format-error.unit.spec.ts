/** The one error mapping: typed errors to codes with their extensions; anything else INTERNAL, nothing leaked. */
import { Logger } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ConcurrencyConflict, Forbidden, NotFound, Unauthenticated } from '../../src/application/errors';
import { StoreUnavailable } from '../../src/application/ports/store-unavailable';
import { InvalidInput, RuleViolated } from '../../src/domain/domain.errors';
import { formatError, reasonWording, shortened } from '../../src/infrastructure/graphql/errors/format-error';

/** As Apollo calls formatError for an error thrown in a resolver: wrapped in a GraphQLError with a path. */
function fromResolver(error: Error): [GraphQLFormattedError, unknown] {
  const wrapped = new GraphQLError(error.message, { path: ['createTicket'], originalError: error });
  return [
    { message: error.message, path: ['createTicket'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    wrapped,
  ];
}

describe('formatError', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  it('maps InvalidInput to BAD_USER_INPUT with every field', () => {
    const fields = [
      { path: 'pnr', message: 'is required' },
      { path: 'agent.lastName', message: 'is required' },
    ];
    const out = formatError(...fromResolver(new InvalidInput(fields)));
    expect(out.extensions).toEqual({ code: 'BAD_USER_INPUT', fields });
    expect(out.path).toEqual(['createTicket']);
  });

  it('maps RuleViolated to RULE_VIOLATED with the rule, message and guidance', () => {
    const out = formatError(
      ...fromResolver(new RuleViolated('coupon.flown-not-used-claim', 'Refused', 'File a claim')),
    );
    // The guidance is in the message too, for clients that show only the message.
    expect(out).toMatchObject({
      message: 'Refused Instead, File a claim.',
      extensions: { code: 'RULE_VIOLATED', rule: 'coupon.flown-not-used-claim', guidance: 'File a claim' },
    });
    const plain = formatError(...fromResolver(new RuleViolated('solution.not-allowed-in-status', 'Not now')));
    expect(plain.extensions).toEqual({ code: 'RULE_VIOLATED', rule: 'solution.not-allowed-in-status' });
  });

  it('maps ConcurrencyConflict to CONFLICT with both versions', () => {
    const out = formatError(...fromResolver(new ConcurrencyConflict('ticket-1', 2, 5)));
    expect(out.extensions).toEqual({ code: 'CONFLICT', expectedVersion: 2, actualVersion: 5 });
  });

  it.each([
    [new NotFound('Ticket x not found'), 'NOT_FOUND'],
    [new Forbidden('Reporters may not read history'), 'FORBIDDEN'],
    [new Unauthenticated(), 'UNAUTHENTICATED'],
  ])('maps %p to %s', (error, code) => {
    const out = formatError(...fromResolver(error));
    expect(out.extensions).toEqual({ code });
    expect(out.message).toBe(error.message);
  });

  it('answers a store outage as INTERNAL saying to try again, logged as one line without a stack', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const error = jest.spyOn(Logger.prototype, 'error');
    error.mockClear();
    const cause = new Error('14 UNAVAILABLE: No connection established');
    const out = formatError(
      ...fromResolver(
        new StoreUnavailable('event store', 'EventStoreDB unreachable: 14 UNAVAILABLE', { cause }),
      ),
    );
    expect(out.extensions).toEqual({ code: 'INTERNAL' });
    expect(out.message).toMatch(/^The event store is unavailable; try again shortly/);
    expect(out.message).not.toMatch(/UNAVAILABLE|EventStoreDB/);
    expect(warn).toHaveBeenCalledWith('createTicket: EventStoreDB unreachable: 14 UNAVAILABLE');
    expect(error).not.toHaveBeenCalled();
  });

  it('answers anything else as INTERNAL with a generic message and no internals', () => {
    const secret = new Error(
      'ECONNREFUSED 10.0.0.7:27017 at MongoClient.connect (/srv/app/node_modules/...)',
    );
    const out = formatError(...fromResolver(secret));
    expect(out).toEqual({
      message: 'Internal error',
      path: ['createTicket'],
      extensions: { code: 'INTERNAL' },
    });
    expect(JSON.stringify(out)).not.toContain('27017');
  });

  it('answers GraphQL client errors as BAD_USER_INPUT (keeping their own code) and gives variable errors their field path', () => {
    const parse: GraphQLFormattedError = {
      message: 'Syntax Error',
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    };
    expect(formatError(parse, new GraphQLError('Syntax Error')).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      graphqlCode: 'GRAPHQL_PARSE_FAILED',
      fields: [{ path: '', message: 'Syntax Error' }],
    });
    const message =
      'Variable "$input" got invalid value "x" at "input.nearestDepartureAt"; DateTime must be ISO';
    const variable: GraphQLFormattedError = { message, extensions: { code: 'BAD_USER_INPUT' } };
    expect(formatError(variable, new GraphQLError(message)).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'nearestDepartureAt', message }],
    });
  });

  it("words graphql-js's reasons for a form: required, unknown (with its suggestion), others as given", () => {
    expect(reasonWording('Field "module" of required type "String!" was not provided.')).toBe('is required');
    expect(reasonWording('Field "colour" is not defined by type "CreateTicketInput".')).toBe(
      'is not a field of CreateTicketInput',
    );
    expect(
      reasonWording('Field "subjet" is not defined by type "CreateTicketInput". Did you mean "subject"?'),
    ).toBe('is not a field of CreateTicketInput. Did you mean "subject"?');
    expect(reasonWording('Value "FAX" does not exist in "Channel" enum.')).toBe(
      'Value "FAX" does not exist in "Channel" enum.',
    );
  });

  it('cuts long quoted values of a message in one pass, also a quote that never closes', () => {
    expect(shortened('Value "' + 'x'.repeat(5_000) + '" does not exist.')).toBe(
      `Value "${'x'.repeat(97)}…" does not exist.`,
    );
    // A key of `"\` pairs as graphql-js prints it: its quotes never close. A regular expression took
    // seconds on this (every later quote scanned again to the end); the message stays within bounds.
    const key = '"\\'.repeat(100_000);
    const message = `Variable "$f" got invalid value { ${key}: 1 }; Field "${key}" is not defined by type "TicketFilter".`;
    const cut = shortened(message);
    expect(cut.length).toBeLessThanOrEqual(1_000);
    expect(cut.startsWith('Variable "$f" got invalid value { ')).toBe(true);
  });
});
