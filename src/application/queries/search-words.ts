/**
 * Search words (schema: TicketFilter.search): Unicode letters and digits, lower-cased, so a word in
 * any alphabet matches whatever its case. The projection stores a ticket's words; a search looks them
 * up with the same function, so both sides always agree on what a word is.
 */

/** What a word is made of: a code point of this class (letters and digits of any alphabet). */
const WORD_CHARACTER = /^[\p{L}\p{N}]$/u;
const WORD = 1;
const NOT_WORD = 2;
/** The class of each BMP code unit, learnt from WORD_CHARACTER on first sight (0: not yet known). */
const bmpClass = new Uint8Array(0x10000);
const astralClass = new Map<number, number>();
/** Words are deduplicated by scanning the list up to this many, by a Set beyond. */
const SCAN_LIMIT = 32;

function classify(codePoint: number): number {
  return WORD_CHARACTER.test(String.fromCodePoint(codePoint)) ? WORD : NOT_WORD;
}

/**
 * The distinct words of a text, lower-cased, in order of first occurrence. A hand-written scan over
 * code points, with each one's class looked up in a table: it runs once per ticket in every
 * projection rebuild, where a Unicode-property regex over the whole text cost twice as much.
 */
export function searchWords(text: string): string[] {
  const normal = text.normalize('NFC').toLowerCase();
  const words: string[] = [];
  let seen: Set<string> | null = null;
  let start = -1;
  // One step past the end, as if on a separator, ends a word that ends the text.
  for (let i = 0; i <= normal.length; i++) {
    let kind = NOT_WORD;
    let width = 1;
    if (i < normal.length) {
      const unit = normal.charCodeAt(i);
      if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < normal.length) {
        const codePoint = normal.codePointAt(i)!;
        width = codePoint > 0xffff ? 2 : 1;
        kind = astralClass.get(codePoint) ?? 0;
        if (kind === 0) astralClass.set(codePoint, (kind = classify(codePoint)));
      } else {
        kind = bmpClass[unit];
        if (kind === 0) bmpClass[unit] = kind = classify(unit);
      }
    }
    if (kind === WORD) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      const word = normal.slice(start, i);
      // A ticket's text has a dozen words or so: scanning those found spots a repeat sooner than a Set
      // hashes the new word. A long text switches to a Set, so it stays linear.
      if (seen === null ? !words.includes(word) : !seen.has(word)) {
        words.push(word);
        seen?.add(word);
        if (seen === null && words.length === SCAN_LIMIT) seen = new Set(words);
      }
      start = -1;
    }
    i += width - 1;
  }
  return words;
}
