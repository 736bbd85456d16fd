/**
 * How much correspondence one request may read: comments and history events, whose count per ticket
 * has no bound (a ticket may gather thousands of 10,000-character comments). Without it one request of
 * a hundred aliases of `ticket(id) { comments { body } }` (or a list page of such tickets) answered
 * 200 MB and took the server's memory from 0.4 to 1 GB: the query's complexity cannot see how long
 * the lists are. Each request gets one budget (the GraphQL context); a read that would pass it is
 * refused as the client's mistake, saying how to ask instead. Counts are reserved before reading
 * (from what the ticket's document says), so a refused read reads nothing; the text is counted after.
 */
import { InvalidInput } from '../../domain/domain.errors';

/** Comments and history events one request may read, in all. */
export const MAX_CORRESPONDENCE_ITEMS = 5_000;
/** Characters of comment bodies and history event data one request may read, in all (~16–48 MB of JSON). */
export const MAX_CORRESPONDENCE_TEXT = 16_000_000;

const ADVICE =
  "ask for fewer tickets' comments or history at once, or page them: comments(last:), history(fromRevision:, limit:)";

export class ReadBudget {
  private items = 0;
  private text = 0;

  constructor(
    private readonly maxItems: number = MAX_CORRESPONDENCE_ITEMS,
    private readonly maxText: number = MAX_CORRESPONDENCE_TEXT,
  ) {}

  /** Before reading `count` comments or events for `field` (`comments`, `history`). */
  reserve(count: number, field: string): void {
    // A refused read takes nothing: a smaller field after it may still be served.
    if (this.items + count > this.maxItems) {
      throw refusal(
        field,
        `the request asks for more than ${this.maxItems} comments and history events in all`,
      );
    }
    this.items += count;
  }

  /** After reading: `characters` of their text, for `field`. */
  spendText(characters: number, field: string): void {
    if (this.text + characters > this.maxText) {
      throw refusal(
        field,
        `the request asks for more than ${this.maxText} characters of comments and history`,
      );
    }
    this.text += characters;
  }
}

/**
 * About the request as a whole (the empty path): each field refused is its own error, at its place in
 * the response, rather than one merged list of the same finding.
 */
function refusal(field: string, what: string): InvalidInput {
  return new InvalidInput([{ path: '', message: `${what} (at ${field}); ${ADVICE}` }]);
}
