import type { Catalog } from '../../domain/catalog';

/** Injection token for the catalog of modules, categories and types, from configuration (domain.md §5). */
export const CATALOG = Symbol('Catalog');

export type { Catalog };
