/**
 * Text in a request's variables must be well-formed Unicode. A lone surrogate (`"\ud800"` in JSON) is
 * refused by graphql-js in the query text, but arrives unchecked through variables; stored as UTF-8 it
 * becomes U+FFFD, so two different `commandId`s were one (the second create answered "already exists")
 * and two comments got the same id. Every such string is refused at once, each named by its path
 * relative to its variable (as the domain names the fields of `input`), before anything runs.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, GraphQLError } from 'graphql';
import { type FieldError, InvalidInput } from '../../../domain/domain.errors';
import { isWellFormedText } from '../../../domain/field-checks';
import { variableErrorField } from './format-error';

const MESSAGE = 'must be well-formed Unicode text (it contains a lone surrogate)';

/** Findings listed at most in one refusal (graphql-js's own limit for variables is 50). */
const MAX_LISTED = 50;

/** The paths of every string in `value` with a lone surrogate (`prefix` is where `value` sits). */
export function illFormedStrings(value: unknown, prefix: string, found: FieldError[] = []): FieldError[] {
  if (typeof value === 'string') {
    if (!isWellFormedText(value)) found.push({ path: prefix, message: MESSAGE });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => illFormedStrings(item, prefix === '' ? String(i) : `${prefix}.${i}`, found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      illFormedStrings(item, prefix === '' ? key : `${prefix}.${key}`, found);
    }
  }
  return found;
}

export function wellFormedVariablesPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, schema, operation }) {
          const fields: FieldError[] = [];
          for (const [name, value] of Object.entries(request.variables ?? {})) {
            // Paths relative to the variable, as for graphql-js's own variable errors (format-error.ts).
            for (const field of illFormedStrings(value, '')) {
              // A list variable's items are named after it (`ids.1`); an object's fields by themselves.
              const path =
                field.path === '' ? name : Array.isArray(value) ? `${name}.${field.path}` : field.path;
              fields.push({ path, message: field.message });
            }
          }
          if (fields.length > 0) {
            // With the values graphql-js would refuse for their type, so all are named at once.
            const typed = getVariableValues(
              schema,
              operation?.variableDefinitions ?? [],
              request.variables ?? {},
              { maxErrors: MAX_LISTED },
            );
            for (const error of typed.errors ?? []) fields.push(variableErrorField(error.message));
            // As many as graphql-js itself lists: 100,000 bad items (400 KB) took 20 s and answered 30 MB.
            if (fields.length > MAX_LISTED) {
              fields.splice(MAX_LISTED, Infinity, {
                path: '',
                message: `and more: the first ${MAX_LISTED} are listed`,
              });
            }
            throw new GraphQLError('Invalid input', {
              originalError: new InvalidInput(fields),
              extensions: { http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
