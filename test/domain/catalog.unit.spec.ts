import { DEFAULT_CATALOG, findCategory, findModule, findType } from '../../src/domain/catalog';
import { RuleViolated } from '../../src/domain/domain.errors';
import { RULE_IDS, RULES, violated } from '../../src/domain/rules';

describe('§5 the default catalog', () => {
  it('§5 has the four modules with their categories and types', () => {
    const shape = DEFAULT_CATALOG.modules.map((m) => [
      m.code,
      m.categories.map((c) => [c.code, c.types.map((t) => t.code)]),
    ]);
    expect(shape).toEqual([
      [
        'SMART_TICKETING',
        [
          ['REFUND', ['TICKET_REFUND']],
          ['EXCHANGE', ['TICKET_EXCHANGE']],
          ['ISSUANCE', ['TICKET_ISSUANCE', 'EMD_ISSUANCE']],
          ['FAILURES', ['COUPON_STATUS_CHANGE']],
        ],
      ],
      [
        'BONUS',
        [
          ['MILES', ['MILES_ACCRUAL']],
          ['ACCOUNT', ['PERSONAL_ACCOUNT']],
        ],
      ],
      [
        'TECHNOLOGIES',
        [
          ['CONTRACTS', ['GOVERNMENT_CONTRACTS']],
          ['OTHER', ['TECHNOLOGY_QUESTION']],
        ],
      ],
      ['MOBILE_CHECKIN', [['ANCILLARIES', ['ANCILLARY_ERROR']]]],
    ]);
  });

  it('§5 a type is required in SMART_TICKETING only', () => {
    expect(DEFAULT_CATALOG.modules.filter((m) => m.typeRequired).map((m) => m.code)).toEqual([
      'SMART_TICKETING',
    ]);
  });

  it('§5 each type lists the fields it requires', () => {
    const requires = Object.fromEntries(
      DEFAULT_CATALOG.modules.flatMap((m) =>
        m.categories.flatMap((c) => c.types.map((t) => [t.code, t.requires])),
      ),
    );
    expect(requires).toEqual({
      TICKET_REFUND: ['pnr', 'nearestDepartureAt'],
      TICKET_EXCHANGE: ['pnr', 'nearestDepartureAt'],
      TICKET_ISSUANCE: ['pnr'],
      EMD_ISSUANCE: ['pnr'],
      COUPON_STATUS_CHANGE: ['pnr', 'eTicketNumber'],
      MILES_ACCRUAL: [],
      PERSONAL_ACCOUNT: [],
      GOVERNMENT_CONTRACTS: [],
      TECHNOLOGY_QUESTION: [],
      ANCILLARY_ERROR: ['pnr'],
    });
  });

  it('§5 every code has a display name in Russian and English', () => {
    const names = DEFAULT_CATALOG.modules.flatMap((m) => [
      m.name,
      ...m.categories.flatMap((c) => [c.name, ...c.types.map((t) => t.name)]),
    ]);
    expect(names).toHaveLength(4 + 9 + 10);
    for (const name of names) {
      expect(name.ru).toMatch(/[А-Яа-яЁё]/);
      expect(name.en).toMatch(/^[A-Z0-9]/);
    }
  });

  it('§5 lookups find modules, categories and types, and nothing else', () => {
    const module = findModule(DEFAULT_CATALOG, 'SMART_TICKETING');
    expect(module?.code).toBe('SMART_TICKETING');
    expect(findModule(DEFAULT_CATALOG, 'smart_ticketing')).toBeNull();
    expect(module && findCategory(module, 'ISSUANCE')?.types).toHaveLength(2);
    expect(module && findType(module, 'EMD_ISSUANCE')?.category.code).toBe('ISSUANCE');
    expect(module && findType(module, 'MILES_ACCRUAL')).toBeNull();
  });
});

describe('§2 rule ids', () => {
  it('§2 every rule has a stable dotted kebab-case id and a description', () => {
    expect(RULE_IDS.length).toBeGreaterThan(20);
    for (const id of RULE_IDS) {
      expect(id).toMatch(/^[a-z]+(-[a-z]+)*\.[a-z]+(-[a-z]+)*$/);
      expect(RULES[id].length).toBeGreaterThan(10);
    }
  });

  it('§2 a broken rule is a RuleViolated naming it, with optional guidance', () => {
    const error = violated('coupon.flown-not-used-claim', 'no', 'go to legal');
    expect(error).toBeInstanceOf(RuleViolated);
    expect(error).toMatchObject({
      rule: 'coupon.flown-not-used-claim',
      message: 'no',
      guidance: 'go to legal',
    });
  });
});
