/**
 * Bounds an answer's size before it is serialised. The request budget (read-budget.ts) bounds what a
 * request reads; this bounds what it answers, whatever it repeats: aliases inside a ticket
 * (`comments { b0: body … b99: body }` answered 301 MB), a list page with a long field aliased 300
 * times (300 MB), mutations returning a long ticket. Serialising such an answer took seconds and
 * gigabytes, and past ~570 MB failed with a stack trace. The result's values are shared, not copied, until
 * it is serialised, so counting them first is cheap (a walk that stops at the bound, counting what JSON
 * adds to escape a text: control characters made answers six times their count); a query's answer over
 * it is replaced by one error saying what to do, without `data` (HTTP 400); a mutation's, whose changes
 * were made, by one saying so, with what each did (mutations-done.ts). The errors of a mutation answer
 * that a failure emptied say the same.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { InvalidInput } from '../../../domain/domain.errors';
import { mergeInputErrors } from '../errors/merge-input-errors.plugin';
import type { WithMutationsDone } from '../resolvers/mutations-done';

/** The largest answer, in characters of its texts plus a little per value (~ its JSON's size). */
export const MAX_RESPONSE_CHARACTERS = 32_000_000;
/** What each value adds beyond its text: its key's quotes and punctuation, a number or a boolean. */
const PER_VALUE = 8;

/**
 * The answer's size, counted until it passes `limit` (then more than `limit`). Texts and other values
 * are counted where they are met; only objects and lists are stacked (a page of 20 tickets: ~10 µs).
 */
export function answerSize(data: unknown, limit: number): number {
  let size = 0;
  const pending: object[] = [];
  const count = (value: unknown): void => {
    size += PER_VALUE;
    if (typeof value === 'string') size += value.length + escapes(value);
    else if (value !== null && typeof value === 'object') pending.push(value);
  };
  count(data);
  for (let next = pending.pop(); next !== undefined && size <= limit; next = pending.pop()) {
    if (Array.isArray(next)) {
      for (let i = 0; i < next.length && size <= limit; i++) count(next[i]);
    } else {
      const record = next as Record<string, unknown>;
      for (const key in record) {
        size += key.length;
        count(record[key]);
      }
    }
  }
  return size;
}

/** Characters JSON adds to escape a text: six for a control character (U+0001 → \\u0001), two for `"`, `\\`. */
// eslint-disable-next-line no-control-regex -- control characters are what JSON escapes
const ESCAPED = /[\u0000-\u001f"\\]/;
function escapes(text: string): number {
  if (!ESCAPED.test(text)) return 0;
  let extra = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x20) extra += 5;
    else if (unit === 0x22 || unit === 0x5c) extra += 1;
  }
  return extra;
}

export function responseSizePlugin(limit: number = MAX_RESPONSE_CHARACTERS): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, operation, contextValue }) {
          const body = response.body;
          if (body.kind !== 'single') return;
          // First every BAD_USER_INPUT error merged into one (merge-input-errors.ts), in this one hook: a
          // plugin of its own cost every request its own hooks.
          const errors = body.singleResult.errors;
          if (errors && errors.length > 1) body.singleResult.errors = mergeInputErrors(errors);
          const done = (contextValue as WithMutationsDone).mutationsDone ?? [];
          const data = body.singleResult.data;
          if (operation?.operation === 'mutation') {
            if (data && answerSize(data, limit) > limit) {
              // The changes were made: the answer says so, and what each mutation did, rather than
              // "invalid input" (HTTP 200; with the same commandIds a retry changes nothing again).
              const message = `The changes were made, but their answer would be larger than ${limit} characters: select less of the ticket in the payload (extensions.done lists what each mutation did)`;
              body.singleResult = {
                errors: [
                  { message, extensions: { code: 'BAD_USER_INPUT', fields: [{ path: '', message }], done } },
                ],
              };
            } else if (!data && done.length > 0 && body.singleResult.errors) {
              // A mutation failed after others were made: its error nulls the whole answer (each
              // payload is non-null), so every error says which were made.
              body.singleResult.errors = body.singleResult.errors.map((error) => ({
                ...error,
                extensions: { ...error.extensions, done },
              }));
            }
            return;
          }
          if (!data || answerSize(data, limit) <= limit) return;
          const message = `the answer would be larger than ${limit} characters; ask for less at once: fewer aliases or repeated fields, smaller pages, comments(last:), history(fromRevision:, limit:)`;
          const refusal = new InvalidInput([{ path: '', message }]);
          // Without `data` at all, as a request refused before it ran (Nest's driver answers 200 to any
          // response holding `data`).
          body.singleResult = {
            errors: [
              { message: refusal.message, extensions: { code: 'BAD_USER_INPUT', fields: refusal.fields } },
            ],
          };
          response.http.status = 400;
        },
      };
    },
  };
}
