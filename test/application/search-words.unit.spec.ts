import { searchTerms, searchWords } from '../../src/application/queries/search-words';

/**
 * The definition the scan implements: lower case, decomposed, accents off Latin and Greek letters and
 * the diaeresis off е, composed again; maximal runs of letters, digits and marks; first occurrence.
 */
function byDefinition(text: string): string[] {
  const folded = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/([\p{Script=Latin}\p{Script=Greek}])\p{M}+/gu, '$1')
    .replace(/е\u0308/gu, 'е')
    .normalize('NFC');
  const words: string[] = [];
  for (const word of folded.match(/[\p{L}\p{N}\p{M}]+/gu) ?? []) {
    // Runs of the scripts written without spaces become their characters and neighbouring pairs.
    for (const part of word.match(SPACELESS_OR_NOT) ?? []) {
      if (!SPACELESS_RUN.test(part)) words.push(part);
      else {
        const chars = Array.from(part);
        chars.forEach((c, i) => words.push(...(i + 1 < chars.length ? [c, c + chars[i + 1]] : [c])));
      }
    }
  }
  return [...new Set(words)];
}
const SPACELESS = '\\p{scx=Han}\\p{scx=Hira}\\p{scx=Kana}\\p{scx=Thai}\\p{scx=Lao}\\p{scx=Khmr}\\p{scx=Mymr}';
const SPACELESS_OR_NOT = new RegExp(`[${SPACELESS}]+|[^${SPACELESS}]+`, 'gu');
const SPACELESS_RUN = new RegExp(`^[${SPACELESS}]`, 'u');

describe('search words (schema: TicketFilter.search)', () => {
  it('splits on anything but letters and digits, lower-cases any alphabet, keeps first occurrences in order', () => {
    expect(searchWords('Возврат МИЛЕЙ, refund: SU-1234 / возврат')).toEqual([
      'возврат',
      'милей',
      'refund',
      'su',
      '1234',
    ]);
  });

  it('composes a letter typed with a combining accent, so both spellings are the same word', () => {
    expect(searchWords('e\u0301cole')).toEqual(searchWords('école'));
  });

  it('ignores accents on Latin and Greek letters and the diaeresis of ё, as people type without them', () => {
    expect(searchWords('École Ἀθῆναι')).toEqual(['ecole', 'αθηναι']);
    // The Turkish capital İ lower-cases to i with a combining dot; the word is not cut there.
    expect(searchWords('İSTANBUL')).toEqual(['istanbul']);
    expect(searchWords('Отменён, ЁЛКА')).toEqual(['отменен', 'елка']);
    expect(searchWords('Мой рейс')).toEqual(['мой', 'рейс']); // й is a letter of its own
  });

  it('keeps the marks of other scripts inside their words', () => {
    expect(searchWords('नमस्ते दुनिया')).toEqual(['नमस्ते', 'दुनिया']);
  });

  it('reads letters outside the basic plane and treats emoji and stray surrogates as separators', () => {
    expect(searchWords('𝒳y 🙂 ab\ud800cd 𠮷野')).toEqual(['𝒳y', 'ab', 'cd', '𠮷', '𠮷野', '野']);
  });

  it('finds nothing in a text without letters or digits', () => {
    expect(searchWords('')).toEqual([]);
    expect(searchWords(' -- !? ')).toEqual([]);
  });

  it('agrees with the regular-expression definition on mixed texts', () => {
    const pieces = [
      'Заявка',
      ' ',
      '№',
      '12',
      'ÉCOLE',
      'e\u0301',
      '𝒳',
      '🙂',
      '\ud800',
      '_',
      'ß',
      'İ',
      'ё',
      'नमस्ते',
      '航班',
      'ตั๋ว',
      'コーヒー',
      '\u0301',
      'Ά',
      '٣',
      'x',
      '\t',
    ];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 500; n++) {
      const text = Array.from(
        { length: 1 + Math.floor(random() * 12) },
        () => pieces[Math.floor(random() * pieces.length)],
      ).join('');
      expect(searchWords(text)).toEqual(byDefinition(text));
    }
  });

  it('stores a run of Chinese, Japanese or Thai as its characters and neighbouring pairs', () => {
    expect(searchWords('航班延误 退款')).toEqual([
      '航',
      '航班',
      '班',
      '班延',
      '延',
      '延误',
      '误',
      '退',
      '退款',
      '款',
    ]);
    // Latin or digits inside such a run are words of their own; the prolonged sound mark stays in katakana.
    expect(searchWords('航班SU100延误')).toEqual(['航', '航班', '班', 'su100', '延', '延误', '误']);
    expect(searchWords('コーヒー')).toEqual(['コ', 'コー', 'ー', 'ーヒ', 'ヒ', 'ヒー']);
    expect(searchWords('ตั๋ว')).toEqual(['ต', 'ตั', 'ั', 'ั๋', '๋', '๋ว', 'ว']);
  });

  it('a search asks for the pairs of such a run, or its one character, so a run matches a stored text that contains it', () => {
    expect(searchTerms('航班 refund')).toEqual(['航班', 'refund']);
    expect(searchTerms('延误航班')).toEqual(['延误', '误航', '航班']);
    expect(searchTerms('航')).toEqual(['航']);
    const stored = new Set(searchWords('Рейс 航班延误, просим возврат'));
    const finds = (query: string) => searchTerms(query).every((term) => stored.has(term));
    expect(finds('航班')).toBe(true);
    expect(finds('班延误')).toBe(true);
    expect(finds('延 возврат')).toBe(true);
    expect(finds('延误航班')).toBe(false);
    expect(finds('航空')).toBe(false);
    // Texts in alphabets with spaces are asked for by the same words that are stored.
    expect(searchTerms('Возврат МИЛЕЙ, refund')).toEqual(searchWords('Возврат МИЛЕЙ, refund'));
  });

  it('keeps first occurrences in a long text too (hundreds of distinct words, each repeated)', () => {
    const words = Array.from({ length: 300 }, (_, i) => `слово${i}`);
    const text = [...words, ...words.reverse(), 'СЛОВО7', 'Слово299'].join(' ');
    expect(searchWords(text)).toEqual(byDefinition(text));
    expect(searchWords(text)).toHaveLength(300);
  });
});
