import { searchWords } from '../../src/application/queries/search-words';

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
  return [...new Set(folded.match(/[\p{L}\p{N}\p{M}]+/gu) ?? [])];
}

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
    expect(searchWords('𝒳y 🙂 ab\ud800cd 日本語')).toEqual(['𝒳y', 'ab', 'cd', '日本語']);
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

  it('keeps first occurrences in a long text too (hundreds of distinct words, each repeated)', () => {
    const words = Array.from({ length: 300 }, (_, i) => `слово${i}`);
    const text = [...words, ...words.reverse(), 'СЛОВО7', 'Слово299'].join(' ');
    expect(searchWords(text)).toEqual(byDefinition(text));
    expect(searchWords(text)).toHaveLength(300);
  });
});
