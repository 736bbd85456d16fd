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
      'modules[0].name.en: must be text of 1–200 characters',
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
