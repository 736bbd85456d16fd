/**
 * Bounds an answer's size before it is serialised. The request budget (read-budget.ts) bounds what a
 * request reads; this bounds what it answers, whatever it repeats: aliases inside a ticket
 * (`comments { b0: body … b99: body }` answered 301 MB), a list page with a long field aliased 300
 * times (300 MB), mutations returning a long ticket. Serialising such an answer took seconds and
 * gigabytes, and past ~570 MB failed with a stack trace. The result's values are shared, not copied, until
 * it is serialised, so counting them first is cheap (a walk that stops at the bound); an answer over it
 * is replaced by one error saying what to do, without `data` (HTTP 400).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { InvalidInput } from '../../../domain/domain.errors';

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
    if (typeof value === 'string') size += value.length;
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

export function responseSizePlugin(limit: number = MAX_RESPONSE_CHARACTERS): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, operation }) {
          const body = response.body;
          // A mutation's answer is its acknowledgment: it is never replaced (the change was made). Its
          // size is bounded otherwise: at most MAX_MUTATIONS a request, comments within the budget.
          if (operation?.operation === 'mutation') return;
          if (body.kind !== 'single' || !body.singleResult.data) return;
          if (answerSize(body.singleResult.data, limit) <= limit) return;
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
