import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { hasDigitsBeyondMillisecond, parseIsoDateTime, TruncatedInstant } from '../../../domain/field-checks';

/**
 * ISO-8601 date-time with a time zone (`2026-09-03T10:00:00Z`, `…+03:00`) naming a date that exists.
 * Anything else in a query or variable is the client's mistake, so it fails as BAD_USER_INPUT rather
 * than as Invalid Date or as a silently shifted instant (30 February read as 2 March).
 */
function parse(value: unknown, node?: ValueNode): Date {
  const ms = typeof value === 'string' ? parseIsoDateTime(value) : null;
  if (ms === null) {
    throw new GraphQLError(
      `DateTime must be an ISO-8601 date-time with a time zone naming a real date in the years 0000-9999 (UTC), e.g. 2026-09-03T10:00:00Z` +
        (typeof value === 'string' ? ` (got "${value.slice(0, 40)}")` : ''),
      // The node lets the error name the field of a literal in the query text (errors/literal-path.ts).
      { nodes: node, extensions: { code: 'BAD_USER_INPUT' } },
    );
  }
  // Finer than a millisecond: a Date drops the rest, and range filters round such a bound up.
  return hasDigitsBeyondMillisecond(value as string) ? new TruncatedInstant(ms) : new Date(ms);
}

/** Serves ISO strings (what the views hold) or Dates as ISO-8601 UTC strings. */
function serialize(value: unknown): string {
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) throw new TypeError(`Cannot serialize ${String(value)} as DateTime`);
  return date.toISOString();
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An ISO-8601 date-time with a time zone, served in UTC, e.g. 2026-09-03T10:00:00.000Z.',
  serialize,
  parseValue: (value) => parse(value),
  parseLiteral(ast: ValueNode) {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError('DateTime must be a string', {
        nodes: ast,
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return parse(ast.value, ast);
  },
});
