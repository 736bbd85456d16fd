/**
 * The catalog of modules, categories and types (domain.md §5). It is configuration data served to
 * clients, so `decide` receives it in its context rather than importing it.
 */

export interface LocalizedName {
  ru: string;
  en: string;
}

/** Ticket fields a type may require (domain.md §1, §5). */
export const CATALOG_REQUIRABLE_FIELDS = ['pnr', 'nearestDepartureAt', 'eTicketNumber'] as const;
export type CatalogRequirableField = (typeof CATALOG_REQUIRABLE_FIELDS)[number];

export interface CatalogType {
  code: string;
  name: LocalizedName;
  requires: readonly CatalogRequirableField[];
}

export interface CatalogCategory {
  code: string;
  name: LocalizedName;
  types: readonly CatalogType[];
}

export interface CatalogModule {
  code: string;
  name: LocalizedName;
  /** Whether a ticket in this module must name its type. */
  typeRequired: boolean;
  categories: readonly CatalogCategory[];
}

export interface Catalog {
  modules: readonly CatalogModule[];
}

export const DEFAULT_CATALOG: Catalog = {
  modules: [
    {
      code: 'SMART_TICKETING',
      name: {
        ru: 'S7 Smart Ticketing: возвраты, обмены, услуги',
        en: 'S7 Smart Ticketing: refunds, exchanges, services',
      },
      typeRequired: true,
      categories: [
        {
          code: 'REFUND',
          name: { ru: 'Возврат', en: 'Refund' },
          types: [
            {
              code: 'TICKET_REFUND',
              name: { ru: 'Возврат билета', en: 'Ticket refund' },
              requires: ['pnr', 'nearestDepartureAt'],
            },
          ],
        },
        {
          code: 'EXCHANGE',
          name: { ru: 'Обмен', en: 'Exchange' },
          types: [
            {
              code: 'TICKET_EXCHANGE',
              name: { ru: 'Обмен билета', en: 'Ticket exchange' },
              requires: ['pnr', 'nearestDepartureAt'],
            },
          ],
        },
        {
          code: 'ISSUANCE',
          name: { ru: 'Оформление', en: 'Issuance' },
          types: [
            {
              code: 'TICKET_ISSUANCE',
              name: { ru: 'Оформление билета', en: 'Ticket issuance' },
              requires: ['pnr'],
            },
            { code: 'EMD_ISSUANCE', name: { ru: 'Оформление EMD', en: 'EMD issuance' }, requires: ['pnr'] },
          ],
        },
        {
          code: 'FAILURES',
          name: { ru: 'Сбои', en: 'Failures' },
          types: [
            {
              code: 'COUPON_STATUS_CHANGE',
              name: { ru: 'Изменение статуса полётного купона', en: 'Flight coupon status change' },
              requires: ['pnr', 'eTicketNumber'],
            },
          ],
        },
      ],
    },
    {
      code: 'BONUS',
      name: {
        ru: 'Бонусная программа: мили, привилегии, личный кабинет',
        en: 'Bonus programme: miles, privileges, personal account',
      },
      typeRequired: false,
      categories: [
        {
          code: 'MILES',
          name: { ru: 'Мили', en: 'Miles' },
          types: [
            { code: 'MILES_ACCRUAL', name: { ru: 'Начисление миль', en: 'Miles accrual' }, requires: [] },
          ],
        },
        {
          code: 'ACCOUNT',
          name: { ru: 'Личный кабинет', en: 'Personal account' },
          types: [
            {
              code: 'PERSONAL_ACCOUNT',
              name: { ru: 'Вопросы по личному кабинету', en: 'Personal account questions' },
              requires: [],
            },
          ],
        },
      ],
    },
    {
      code: 'TECHNOLOGIES',
      name: { ru: 'Технологии', en: 'Technologies' },
      typeRequired: false,
      categories: [
        {
          code: 'CONTRACTS',
          name: { ru: 'Договоры', en: 'Contracts' },
          types: [
            {
              code: 'GOVERNMENT_CONTRACTS',
              name: { ru: 'Государственные контракты', en: 'Government contracts' },
              requires: [],
            },
          ],
        },
        {
          code: 'OTHER',
          name: { ru: 'Другое', en: 'Other' },
          types: [
            {
              code: 'TECHNOLOGY_QUESTION',
              name: { ru: 'Технологический вопрос', en: 'Technology question' },
              requires: [],
            },
          ],
        },
      ],
    },
    {
      code: 'MOBILE_CHECKIN',
      name: {
        ru: 'Мобильная регистрация (устройство мобильной регистрации)',
        en: 'Mobile check-in (mobile check-in device)',
      },
      typeRequired: false,
      categories: [
        {
          code: 'ANCILLARIES',
          name: { ru: 'Дополнительные услуги', en: 'Ancillaries' },
          types: [
            {
              code: 'ANCILLARY_ERROR',
              name: { ru: 'Ошибка оформления дополнительной услуги', en: 'Ancillary error' },
              requires: ['pnr'],
            },
          ],
        },
      ],
    },
  ],
};

/** The module with this code, or null. */
export function findModule(catalog: Catalog, moduleCode: string): CatalogModule | null {
  return catalog.modules.find((m) => m.code === moduleCode) ?? null;
}

/** The category with this code inside the module, or null. */
export function findCategory(module: CatalogModule, categoryCode: string): CatalogCategory | null {
  return module.categories.find((c) => c.code === categoryCode) ?? null;
}

/** The type with this code anywhere in the module, with the category it belongs to, or null. */
export function findType(
  module: CatalogModule,
  typeCode: string,
): { category: CatalogCategory; type: CatalogType } | null {
  for (const category of module.categories) {
    const type = category.types.find((t) => t.code === typeCode);
    if (type) return { category, type };
  }
  return null;
}

/**
 * What `code`, given as a `kind` it is not in `module`, is instead, for a clearer message: a code of
 * the other kind in the same module, or a code of either kind in another module; null when nothing.
 */
export function whatCodeIs(
  catalog: Catalog,
  module: CatalogModule,
  code: string,
  kind: 'category' | 'type',
): string | null {
  if (kind === 'category') {
    const type = findType(module, code);
    if (type) return `it is a type of module ${module.code}, in category ${type.category.code}`;
  } else if (findCategory(module, code)) {
    return `it is a category of module ${module.code}, not a type`;
  }
  for (const other of catalog.modules) {
    if (other === module) continue;
    if (findCategory(other, code)) return `it is a category of module ${other.code}`;
    if (findType(other, code)) return `it is a type of module ${other.code}`;
  }
  return null;
}
