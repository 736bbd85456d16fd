/**
 * A request's variables must be of a sane shape (MAX_VARIABLE_DEPTH, MAX_VARIABLE_VALUES), checked
 * before graphql-js coerces them, and their text must be well-formed Unicode. A lone surrogate
 * (`"\ud800"` in JSON) is refused by graphql-js in the query text, but arrives unchecked through
 * variables; stored as UTF-8 it becomes U+FFFD, so two different `commandId`s were one (the second create
 * answered "already exists") and two comments got the same id. Every such string is refused at once,
 * each named by its path relative to its variable (as the domain names the fields of `input`), before
 * anything runs.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, GraphQLError } from 'graphql';
import { type FieldError, InvalidInput } from '../../../domain/domain.errors';
import { isWellFormedText } from '../../../domain/field-checks';
import { variableErrorField } from './format-error';

const MESSAGE = 'must be well-formed Unicode text (it contains a lone surrogate)';

/** Findings listed at most in one refusal (graphql-js's own limit for variables is 50). */
const MAX_LISTED = 50;

/**
 * How deep and how large one variable's value may be. The deepest input of the schema nests four levels
 * and the largest holds a few hundred values, so these leave ample room while keeping a request small
 * enough to judge: 3,000 nested lists (6 KB) overflowed the stack of the recursive walk this replaced
 * (HTTP 500), and an object of 60,000 unknown keys (1 MB) made graphql-js quote the whole value in each
 * of its 50 errors (3.5 s and a 65 MB answer).
 */
export const MAX_VARIABLE_DEPTH = 32;
export const MAX_VARIABLE_VALUES = 10_000;

/**
 * What is wrong with one variable's value (`prefix` is where it sits): every string with a lone
 * surrogate, by path; or, alone and `tooLarge`, that it nests or holds more than a request needs.
 * Iterative, so no value can run it out of stack.
 */
export function findingsIn(value: unknown, prefix: string): { found: FieldError[]; tooLarge: boolean } {
  const found: FieldError[] = [];
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: prefix, depth: 0 }];
  let values = 0;
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (++values > MAX_VARIABLE_VALUES) {
      const message = `must hold at most ${MAX_VARIABLE_VALUES} values in all`;
      return { found: [{ path: prefix, message }], tooLarge: true };
    }
    const { value: item, path, depth } = next;
    if (typeof item === 'string') {
      if (!isWellFormedText(item)) found.push({ path, message: MESSAGE });
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    if (depth === MAX_VARIABLE_DEPTH) {
      const message = `must nest at most ${MAX_VARIABLE_DEPTH} levels deep`;
      return { found: [{ path: prefix, message }], tooLarge: true };
    }
    // Items as graphql-js and the rest of the API name them (`coupons[1].number`), pushed in reverse so
    // the findings come out in the value's own order.
    if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) {
        pending.push({ value: item[i] as unknown, path: `${path}[${i}]`, depth: depth + 1 });
      }
    } else {
      const record = item as Record<string, unknown>;
      const keys = Object.keys(record);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i];
        pending.push({ value: record[key], path: path === '' ? key : `${path}.${key}`, depth: depth + 1 });
      }
    }
  }
  return { found, tooLarge: false };
}

export function wellFormedVariablesPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, schema, operation }) {
          const fields: FieldError[] = [];
          let shapeRefused = false;
          for (const [name, value] of Object.entries(request.variables ?? {})) {
            // Paths relative to the variable, as for graphql-js's own variable errors (format-error.ts).
            const { found, tooLarge } = findingsIn(value, '');
            shapeRefused ||= tooLarge;
            for (const field of found) {
              // A list variable's items are named after it (`ids[1]`); an object's fields by themselves.
              const path = field.path === '' || Array.isArray(value) ? `${name}${field.path}` : field.path;
              fields.push({ path, message: field.message });
            }
          }
          // Nothing more is judged of such variables: graphql-js would spend seconds quoting them.
          if (shapeRefused) refuse(fields);
          if (fields.length > 0) {
            // With the values graphql-js would refuse for their type, so all are named at once.
            const typed = getVariableValues(
              schema,
              operation?.variableDefinitions ?? [],
              request.variables ?? {},
              { maxErrors: MAX_LISTED },
            );
            for (const error of typed.errors ?? []) {
              fields.push(variableErrorField(error.message, undefined, error.originalError?.message));
            }
            // As many as graphql-js itself lists: 100,000 bad items (400 KB) took 20 s and answered 30 MB.
            if (fields.length > MAX_LISTED) {
              fields.splice(MAX_LISTED, Infinity, {
                path: '',
                message: `and more: the first ${MAX_LISTED} are listed`,
              });
            }
            refuse(fields);
          }
        },
      };
    },
  };
}

/** Ends the request before anything runs: a 400 listing `fields` (format-error.ts). */
function refuse(fields: FieldError[]): never {
  throw new GraphQLError('Invalid input', {
    originalError: new InvalidInput(fields),
    extensions: { http: { status: 400 } },
  });
}
