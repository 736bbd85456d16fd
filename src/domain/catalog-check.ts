/**
 * Checks a catalog given as configuration (domain.md §5: "The catalog is configuration data") before
 * the engine uses it: every problem is reported with its path (`modules[1].categories[0].code`), all at
 * once. A catalog that passes can place every ticket it allows: codes are unique where tickets name them
 * (modules in the catalog; categories, and types, within their module), a module that requires a type
 * has one in each category, and a type requires only fields a ticket has.
 */
import { CATALOG_REQUIRABLE_FIELDS, type Catalog, type CatalogRequirableField } from './catalog';

/**
 * A code as tickets store and filters name it. Narrow on purpose: codes are kept in events for good,
 * shown in statistics and typed into filters, where spaces or look-alike characters would be traps.
 */
const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** Characters (code points), as a reader counts them. */
const NAME_MAX = 200;
/** Control characters: a name is shown on one line of a menu. */
const CONTROL = /\p{Cc}/u;
/** What shows nothing: spaces and format characters (zero-width space, joiners, bidi marks). */
const INVISIBLE = /[\s\p{Cf}]/gu;
/** Problems reported one by one; past that, how many more there were (a wrongly shaped export has thousands). */
export const CATALOG_PROBLEMS_SHOWN = 100;

export type CatalogCheck = { catalog: Catalog } | { problems: string[] };

type Json = Record<string, unknown>;
/** The codes met so far in one scope, by upper case: where each was, as written. */
type SeenCodes = Map<string, { path: string; code: string }>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const show = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/** The catalog in `raw` (parsed JSON), or every problem with it. */
export function checkCatalog(raw: unknown): CatalogCheck {
  const problems: string[] = [];
  let unshown = 0;
  const problem = (path: string, text: string): void => {
    if (problems.length >= CATALOG_PROBLEMS_SHOWN) unshown++;
    else problems.push(path === '' ? text : `${path}: ${text}`);
  };

  /** The object at `path` with only `keys` (a misspelt key is reported, not ignored), or null. */
  const object = (value: unknown, path: string, keys: readonly string[]): Json | null => {
    if (!isObject(value)) {
      problem(path, `must be an object with ${keys.join(', ')}`);
      return null;
    }
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) problem(path, `unknown key ${show(key)} (expected ${keys.join(', ')})`);
    }
    for (const key of keys) {
      if (!(key in value)) problem(path, `${key} is missing`);
    }
    return value;
  };
  const list = (value: unknown, path: string, nonEmpty: boolean): unknown[] => {
    if (!Array.isArray(value)) {
      if (value !== undefined) problem(path, 'must be a list');
      return [];
    }
    if (nonEmpty && value.length === 0) problem(path, 'must not be empty');
    return value;
  };
  /** A code, checked for form and against the codes already seen in its scope. */
  const code = (value: unknown, path: string, seen: SeenCodes): string => {
    if (value === undefined) return '';
    if (typeof value !== 'string' || !CODE.test(value)) {
      problem(
        path,
        `${show(value)} is not a code (1–64 letters, digits, "_", "-" or ".", not starting with a sign)`,
      );
      return '';
    }
    // Codes differing only in case are one code to a person typing a filter (which matches exactly).
    const key = value.toUpperCase();
    const first = seen.get(key);
    if (first === undefined) seen.set(key, { path, code: value });
    else if (first.code === value) problem(path, `${show(value)} is already the code at ${first.path}`);
    else problem(path, `${show(value)} differs only in case from ${show(first.code)} at ${first.path}`);
    return value;
  };
  const name = (value: unknown, path: string): Catalog['modules'][number]['name'] => {
    // Missing: already reported by the object that should hold it.
    const named = value === undefined ? null : object(value, path, ['ru', 'en']);
    const text = (key: 'ru' | 'en'): string => {
      const entry = named?.[key];
      if (entry === undefined) return '';
      if (
        typeof entry !== 'string' ||
        entry.replace(INVISIBLE, '') === '' ||
        [...entry].length > NAME_MAX ||
        CONTROL.test(entry)
      ) {
        problem(`${path}.${key}`, `must be text of 1–${NAME_MAX} characters, something visible, on one line`);
        return '';
      }
      return entry;
    };
    return { ru: text('ru'), en: text('en') };
  };

  const root = object(raw, '', ['modules']);
  const moduleCodes = new Map() as SeenCodes;
  const modules = list(root?.modules, 'modules', true).map((rawModule, m) => {
    const at = `modules[${m}]`;
    const module = object(rawModule, at, ['code', 'name', 'typeRequired', 'categories']);
    const moduleCode = code(module?.code, `${at}.code`, moduleCodes);
    const moduleName = name(module?.name, `${at}.name`);
    const typeRequired = module?.typeRequired;
    if (module !== null && typeRequired !== undefined && typeof typeRequired !== 'boolean') {
      problem(`${at}.typeRequired`, 'must be true or false');
    }
    const categoryCodes = new Map() as SeenCodes;
    const typeCodes = new Map() as SeenCodes;
    const categories = list(module?.categories, `${at}.categories`, true).map((rawCategory, c) => {
      const atCategory = `${at}.categories[${c}]`;
      const category = object(rawCategory, atCategory, ['code', 'name', 'types']);
      const categoryCode = code(category?.code, `${atCategory}.code`, categoryCodes);
      const categoryName = name(category?.name, `${atCategory}.name`);
      const types = list(category?.types, `${atCategory}.types`, false).map((rawType, t) => {
        const atType = `${atCategory}.types[${t}]`;
        const type = object(rawType, atType, ['code', 'name', 'requires']);
        const typeCode = code(type?.code, `${atType}.code`, typeCodes);
        const typeName = name(type?.name, `${atType}.name`);
        const requires = new Set<CatalogRequirableField>();
        list(type?.requires, `${atType}.requires`, false).forEach((field, f) => {
          if (!(CATALOG_REQUIRABLE_FIELDS as readonly unknown[]).includes(field)) {
            problem(
              `${atType}.requires[${f}]`,
              `${show(field)} is not a field a type may require (${CATALOG_REQUIRABLE_FIELDS.join(', ')})`,
            );
          } else if (requires.has(field as CatalogRequirableField)) {
            problem(`${atType}.requires[${f}]`, `${show(field)} is listed twice`);
          } else {
            requires.add(field as CatalogRequirableField);
          }
        });
        return { code: typeCode, name: typeName, requires: [...requires] };
      });
      if (typeRequired === true && Array.isArray(category?.types) && types.length === 0) {
        problem(
          `${atCategory}.types`,
          'must not be empty: the module requires a type, so no ticket could be made here',
        );
      }
      return { code: categoryCode, name: categoryName, types };
    });
    return { code: moduleCode, name: moduleName, typeRequired: typeRequired === true, categories };
  });

  if (unshown > 0) problems.push(`... and ${unshown} more problems`);
  return problems.length > 0 ? { problems } : { catalog: { modules } };
}
