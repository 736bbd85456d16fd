/**
 * Search words (schema: TicketFilter.search): Unicode letters, digits and combining marks, lower-cased,
 * so a word in any alphabet matches whatever its case. Accents on Latin and Greek letters and the
 * diaeresis of ё are folded away, as people type without them: "ecole" finds "École", "istanbul"
 * finds "İSTANBUL", "отменен" finds "отменён" (й stays a letter of its own). Marks of other scripts
 * stay inside their words (a Devanagari word is not cut at its vowel signs).
 *
 * Chinese, Japanese, Thai, Lao, Khmer and Myanmar are written without spaces between words, so a run of
 * their characters is no word a person would type alone. The projection stores such a run as each of
 * its characters and each pair of neighbours (`searchWords`); a search asks for its own run's pairs, or
 * the one character (`searchTerms`). "航班" thus finds "航班延误", and "延误航班" does not (its pair
 * "误航" is not in that text). Both sides use the one scan below, so they agree on what a word is.
 */

/** What a word is made of: a code point of this class (letters, digits and marks of any alphabet). */
const WORD_CHARACTER = /^[\p{L}\p{N}\p{M}]$/u;
/** Word characters of the scripts written without spaces (with the marks and signs they share). */
const SPACELESS_CHARACTER =
  /^[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Thai}\p{scx=Lao}\p{scx=Khmer}\p{scx=Myanmar}]$/u;
/** A text without any of these has nothing to fold (most texts): accented Latin, Greek, ё, any mark. */
const MAY_FOLD = /[\u00c0-\u024f\u0370-\u03ff\u1e00-\u1fff\u0401\u0451]|\p{M}/u;
/** After decomposition: the marks on a Latin or Greek letter, and the diaeresis on е (ё). */
const FOLDED_MARKS = /([\p{Script=Latin}\p{Script=Greek}])\p{M}+|(\u0435)\u0308/gu;

/** The text lower-cased, composed, with the accents search ignores taken off. */
export function foldForSearch(text: string): string {
  const lower = text.toLowerCase();
  if (isPlain(lower)) return lower;
  if (!MAY_FOLD.test(lower)) return lower.normalize('NFC');
  return lower.normalize('NFD').replace(FOLDED_MARKS, '$1$2').normalize('NFC');
}

/**
 * True when neither composing nor folding can change the text's words (the usual Latin and Cyrillic
 * ticket): every letter or digit is ASCII, Latin-1 below the accented letters, or Cyrillic other than ё;
 * anything else is a separator (what composition does to those does not matter). Skipping the
 * normalisations there keeps a rebuild's word scan at its old cost.
 */
function isPlain(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (isPlainUnit(unit)) continue;
    if (unit >= 0xd800 && unit <= 0xdfff) return false;
    let kind = bmpClass[unit];
    if (kind === 0) bmpClass[unit] = kind = classify(unit);
    if (kind !== NOT_WORD) return false;
  }
  return true;
}
/** ASCII, Latin-1 below the accented letters, or Cyrillic other than ё: nothing to fold or compose. */
function isPlainUnit(unit: number): boolean {
  return unit < 0xc0 || (unit >= 0x400 && unit <= 0x4ff && unit !== 0x401 && unit !== 0x451);
}
const WORD = 1;
const NOT_WORD = 2;
/** A word character of a script written without spaces (SPACELESS_CHARACTER). */
const SPACELESS = 3;
/** The class of each BMP code unit, learnt from WORD_CHARACTER on first sight (0: not yet known). */
const bmpClass = new Uint8Array(0x10000);
/** The same for code points past the BMP (U+10000–U+10FFFF): a fixed 1 MB, whatever texts arrive. */
const astralClass = new Uint8Array(0x100000);
/** Words are deduplicated by scanning the list up to this many, by a Set beyond. */
const SCAN_LIMIT = 32;

function classify(codePoint: number): number {
  const character = String.fromCodePoint(codePoint);
  if (!WORD_CHARACTER.test(character)) return NOT_WORD;
  return SPACELESS_CHARACTER.test(character) ? SPACELESS : WORD;
}

/**
 * The distinct words of a text, folded, in order of first occurrence, as the projection stores them
 * (a run of a spaceless script as its characters and pairs). A hand-written scan over code points,
 * with each one's class looked up in a table: it runs once per ticket in every projection rebuild,
 * where a Unicode-property regex over the whole text cost twice as much. A plain text (see `isPlain`)
 * is scanned once, lower-cased only; the scan gives up on the first character that could fold, and
 * the text is folded and scanned again.
 */
export function searchWords(text: string): string[] {
  return wordsOf(text.toLowerCase(), true, false) ?? wordsOf(foldForSearch(text), false, false)!;
}

/** The words a search asks for: as `searchWords`, but a run of a spaceless script as its pairs only. */
export function searchTerms(text: string): string[] {
  return wordsOf(text.toLowerCase(), true, true) ?? wordsOf(foldForSearch(text), false, true)!;
}

/** Distinct words in order of first occurrence. */
class WordList {
  readonly words: string[] = [];
  private seen: Set<string> | null = null;

  add(word: string): void {
    // A ticket's text has a dozen words or so: scanning those found spots a repeat sooner than a Set
    // hashes the new word. A long text switches to a Set, so it stays linear.
    if (this.seen === null ? this.words.includes(word) : this.seen.has(word)) return;
    this.words.push(word);
    this.seen?.add(word);
    if (this.seen === null && this.words.length === SCAN_LIMIT) this.seen = new Set(this.words);
  }

  /** A run of a spaceless script: its characters and neighbouring pairs, or for a query its pairs only. */
  addRun(run: string, forQuery: boolean): void {
    const characters = Array.from(run);
    if (characters.length === 1) return this.add(characters[0]);
    for (let i = 0; i < characters.length; i++) {
      if (!forQuery) this.add(characters[i]);
      if (i + 1 < characters.length) this.add(characters[i] + characters[i + 1]);
    }
  }
}

/** The words of a folded text; with `plainOnly`, null as soon as a character is not plain. */
function wordsOf(normal: string, plainOnly: boolean, forQuery: boolean): string[] | null {
  const list = new WordList();
  let start = -1;
  let runKind = NOT_WORD;
  // One step past the end, as if on a separator, ends a word that ends the text.
  for (let i = 0; i <= normal.length; i++) {
    let kind = NOT_WORD;
    let width = 1;
    if (i < normal.length) {
      const unit = normal.charCodeAt(i);
      if (unit >= 0xd800 && unit <= 0xdfff && plainOnly) return null;
      const codePoint = unit >= 0xd800 && unit <= 0xdbff ? normal.codePointAt(i)! : unit;
      if (codePoint > 0xffff) {
        width = 2;
        kind = astralClass[codePoint - 0x10000];
        if (kind === 0) astralClass[codePoint - 0x10000] = kind = classify(codePoint);
      } else {
        kind = bmpClass[unit];
        if (kind === 0) bmpClass[unit] = kind = classify(unit);
        if (plainOnly && kind !== NOT_WORD && !isPlainUnit(unit)) return null;
      }
    }
    if (kind !== runKind) {
      // A run ends where the kind of character changes: a separator, or a word next to a spaceless run.
      if (start >= 0) {
        const run = normal.slice(start, i);
        if (runKind === WORD) list.add(run);
        else list.addRun(run, forQuery);
      }
      start = kind === NOT_WORD ? -1 : i;
      runKind = kind;
    }
    i += width - 1;
  }
  return list.words;
}
