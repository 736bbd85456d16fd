/**
 * `CATALOG_FILE`: the catalog of modules, categories and types (domain.md §5) as a JSON file, in the
 * shape the `catalog` query serves (`{ "modules": [...] }`). Read and checked once at start; each problem
 * is one line naming the variable, the file and the place in it.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Catalog } from '../../domain/catalog';
import { checkCatalog } from '../../domain/catalog-check';

/**
 * The largest catalog file: 200 times the default. Clients fetch the whole catalog in one answer (the
 * `catalog` query has no pages), and a 47 MB file made one the server could never serve.
 */
export const CATALOG_FILE_MAX_BYTES = 1024 * 1024;

/** The catalog in the file `raw` names, or every problem with it. */
export function loadCatalogFile(raw: string, name: string): { value: Catalog } | { errors: string[] } {
  const path = resolve(raw.trim());
  let text: string;
  try {
    // A regular file: reading a pipe nobody writes to would hold the start without a word.
    const stats = statSync(path);
    if (!stats.isFile()) return { errors: [`${name}: ${path} is not a regular file`] };
    if (stats.size > CATALOG_FILE_MAX_BYTES) {
      return {
        errors: [
          `${name}: ${path} is ${stats.size} bytes; a catalog may have at most ${CATALOG_FILE_MAX_BYTES} (1 MiB)`,
        ],
      };
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { errors: [`${name}: cannot read ${path} (${code})`] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { errors: [`${name}: ${path} is not JSON (${(error as Error).message})`] };
  }
  const checked = checkCatalog(parsed);
  if ('problems' in checked)
    return { errors: checked.problems.map((problem) => `${name}: ${path}: ${problem}`) };
  return { value: checked.catalog };
}
