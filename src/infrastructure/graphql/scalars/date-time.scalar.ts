import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/**
 * ISO-8601 date-time with a time zone (`2026-09-03T10:00:00Z`, `…+03:00`). Anything else in a
 * query or variable is the client's mistake, so it fails as BAD_USER_INPUT rather than as Invalid Date.
 */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

function parse(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value)) {
    throw new GraphQLError(
      'DateTime must be an ISO-8601 date-time with a time zone, e.g. 2026-09-03T10:00:00Z',
      {
        extensions: { code: 'BAD_USER_INPUT' },
      },
    );
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new GraphQLError(`Not a valid date-time: ${value}`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return date;
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
  parseValue: parse,
  parseLiteral(ast: ValueNode) {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError('DateTime must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return parse(ast.value);
  },
});
