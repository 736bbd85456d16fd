/**
 * GraphQL refuses values of the wrong type (a DateTime that is no date, an unknown enum value) before
 * any resolver runs, one error per value. The contract promises ONE BAD_USER_INPUT error whose
 * `extensions.fields` lists every bad field, so such errors are merged into one before the response
 * leaves (by the answer plugin, response-size.plugin.ts). (Content rules — lengths, formats, required fields — are checked by the edge and the
 * domain together once the values have the right types; they cannot run on values GraphQL refused.)
 */
import type { GraphQLFormattedError } from 'graphql';
import type { FieldError } from '../../../domain/domain.errors';

/** A BAD_USER_INPUT error about values (fields with a path); errors about the request as a whole stay apart. */
const isBadInput = (error: GraphQLFormattedError): boolean =>
  error.extensions?.code === 'BAD_USER_INPUT' &&
  (((error.extensions?.fields as FieldError[] | undefined) ?? []).some((field) => field.path !== '') ||
    // graphql-js's note that it stopped listing bad values belongs with them.
    error.message.startsWith('Too many errors processing variables'));

/** The errors of a response with every BAD_USER_INPUT error merged into the first one. */
export function mergeInputErrors(errors: readonly GraphQLFormattedError[]): GraphQLFormattedError[] {
  const bad = errors.filter(isBadInput);
  if (bad.length < 2) return [...errors];
  const fields = bad.flatMap((error) => (error.extensions?.fields as FieldError[] | undefined) ?? []);
  const merged: GraphQLFormattedError = {
    message: `Invalid input: ${fields.map((f) => `${f.path || '(request)'}: ${f.message}`).join('; ')}`,
    extensions: { code: 'BAD_USER_INPUT', fields },
  };
  const others = errors.filter((error) => !isBadInput(error));
  return [merged, ...others];
}
