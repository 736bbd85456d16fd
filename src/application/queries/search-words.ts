/**
 * Search words (schema: TicketFilter.search): Unicode letters and digits, lower-cased, so a word in
 * any alphabet matches whatever its case. The projection stores a ticket's words; a search looks them
 * up with the same function, so both sides always agree on what a word is.
 */

const WORD = /[\p{L}\p{N}]+/gu;

/** The distinct words of a text, lower-cased, in order of first occurrence. */
export function searchWords(text: string): string[] {
  const words = text.normalize('NFC').toLowerCase().match(WORD);
  return words === null ? [] : [...new Set(words)];
}
