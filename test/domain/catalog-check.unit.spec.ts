import { DEFAULT_CATALOG } from '../../src/domain/catalog';
import { checkCatalog } from '../../src/domain/catalog-check';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON spoiled on purpose, any shape
type Catalogish = { modules: any[] };

const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A small valid catalog to spoil one way or another. */
const small = () => ({
  modules: [
    {
      code: 'CARGO',
      name: { ru: 'Грузы', en: 'Cargo' },
      typeRequired: true,
      categories: [
        {
          code: 'AWB',
          name: { ru: 'Авианакладные', en: 'Air waybills' },
          types: [
            { code: 'AWB_CORRECTION', name: { ru: 'Исправление', en: 'Correction' }, requires: ['pnr'] },
          ],
        },
      ],
    },
  ],
});

const problemsOf = (raw: unknown): string[] => {
  const checked = checkCatalog(raw);
  if (!('problems' in checked)) throw new Error('expected problems');
  return checked.problems;
};

describe('checkCatalog (a catalog given as configuration, domain.md §5)', () => {
  it('takes the default catalog as JSON and gives it back unchanged', () => {
    expect(checkCatalog(json(DEFAULT_CATALOG))).toEqual({ catalog: DEFAULT_CATALOG });
  });

  it('takes a catalog of its own', () => {
    expect(checkCatalog(small())).toEqual({ catalog: small() });
  });

  it('names every problem with its place, all at once', () => {
    const raw = small() as Catalogish;
    raw.modules[0].code = 'cargo shipments';
    raw.modules[0].typeRequired = 'yes';
    raw.modules[0].name.en = '  ';
    raw.modules[0].categories[0].types[0].requires = ['pnr', 'passport', 'pnr'];
    raw.modules[0].categories[0].types[0].colour = 'blue';
    raw.modules.push({ code: 'MAIL', name: { ru: 'Почта', en: 'Mail' }, typeRequired: false });
    expect(problemsOf(raw)).toEqual([
      'modules[0].code: "cargo shipments" is not a code (1–64 letters, digits, "_", "-" or ".", not starting with a sign)',
      'modules[0].name.en: must be text of 1–200 characters, something visible, on one line',
      'modules[0].typeRequired: must be true or false',
      'modules[0].categories[0].types[0]: unknown key "colour" (expected code, name, requires)',
      'modules[0].categories[0].types[0].requires[1]: "passport" is not a field a type may require (pnr, nearestDepartureAt, eTicketNumber)',
      'modules[0].categories[0].types[0].requires[2]: "pnr" is listed twice',
      'modules[1]: categories is missing',
    ]);
  });

  it('refuses a code a ticket could not tell apart: modules in the catalog, categories and types in their module', () => {
    const raw = small() as Catalogish;
    const category = raw.modules[0].categories[0];
    raw.modules[0].categories.push({ ...category, types: [{ ...category.types[0] }] });
    raw.modules.push(json(raw.modules[0]));
    const problems = problemsOf(raw);
    expect(problems).toEqual([
      'modules[0].categories[1].code: "AWB" is already the code at modules[0].categories[0].code',
      'modules[0].categories[1].types[0].code: "AWB_CORRECTION" is already the code at modules[0].categories[0].types[0].code',
      'modules[1].code: "CARGO" is already the code at modules[0].code',
      'modules[1].categories[1].code: "AWB" is already the code at modules[1].categories[0].code',
      'modules[1].categories[1].types[0].code: "AWB_CORRECTION" is already the code at modules[1].categories[0].types[0].code',
    ]);
  });

  it('refuses codes that differ only in case (a filter matches codes exactly)', () => {
    const raw = small() as Catalogish;
    raw.modules.push({ ...json(raw.modules[0]), code: 'Cargo' });
    raw.modules[1].categories[0].types.push({
      ...raw.modules[1].categories[0].types[0],
      code: 'awb_correction',
    });
    expect(problemsOf(raw)).toEqual([
      'modules[1].code: "Cargo" differs only in case from "CARGO" at modules[0].code',
      'modules[1].categories[0].types[1].code: "awb_correction" differs only in case from "AWB_CORRECTION" at modules[1].categories[0].types[0].code',
    ]);
  });

  it('takes names of up to 200 characters as a reader counts them, visible, on one line', () => {
    const named = (en: string) => {
      const raw = small() as Catalogish;
      raw.modules[0].name.en = en;
      return checkCatalog(raw);
    };
    expect(named('✈️'.repeat(100))).toHaveProperty('catalog'); // 200 characters, 300 UTF-16 units
    expect(named('🛫'.repeat(200))).toHaveProperty('catalog');
    const refused = {
      problems: ['modules[0].name.en: must be text of 1–200 characters, something visible, on one line'],
    };
    expect(named('🛫'.repeat(201))).toEqual(refused);
    expect(named('\u200b\u200b')).toEqual(refused);
    expect(named(' \u2060 ')).toEqual(refused);
    expect(named('Cargo\nshipments')).toEqual(refused);
    expect(named('Cargo\u0000')).toEqual(refused);
  });

  it('lists the first 100 problems and says how many more there were', () => {
    const raw = { modules: Array.from({ length: 150_000 }, () => ({ code: 'bad code' })) };
    const problems = problemsOf(raw);
    expect(problems).toHaveLength(101);
    // Four each: name, typeRequired and categories missing, and the code (a stack overflow past ~100k).
    expect(problems.slice(0, 4)).toEqual([
      'modules[0]: name is missing',
      'modules[0]: typeRequired is missing',
      'modules[0]: categories is missing',
      'modules[0].code: "bad code" is not a code (1–64 letters, digits, "_", "-" or ".", not starting with a sign)',
    ]);
    expect(problems[100]).toBe('... and 599900 more problems');
  });

  it('allows the same category or type code in two modules (a ticket names its module)', () => {
    const raw = small() as Catalogish;
    raw.modules.push({ ...json(raw.modules[0]), code: 'MAIL' });
    expect(checkCatalog(raw)).toHaveProperty('catalog');
  });

  it('refuses a category without types in a module that requires a type, and allows one elsewhere', () => {
    const raw = small() as Catalogish;
    raw.modules[0].categories[0].types = [];
    expect(problemsOf(raw)).toEqual([
      'modules[0].categories[0].types: must not be empty: the module requires a type, so no ticket could be made here',
    ]);
    raw.modules[0].typeRequired = false;
    expect(checkCatalog(raw)).toHaveProperty('catalog');
  });

  it('refuses what is not a catalog at all, saying what is expected', () => {
    expect(problemsOf([])).toEqual(['must be an object with modules']);
    expect(problemsOf({ modules: [] })).toEqual(['modules: must not be empty']);
    expect(problemsOf({ modules: {} })).toEqual(['modules: must be a list']);
    expect(problemsOf({ modules: [null] })).toEqual([
      'modules[0]: must be an object with code, name, typeRequired, categories',
    ]);
    expect(problemsOf({ Modules: [] })).toEqual([
      'unknown key "Modules" (expected modules)',
      'modules is missing',
    ]);
  });
});
