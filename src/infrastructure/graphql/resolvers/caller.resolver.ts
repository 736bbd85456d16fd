import { Context, Query, Resolver } from '@nestjs/graphql';
import type { Principal } from '../../../application/principal';
import { type Catalog, DEFAULT_CATALOG } from '../../../domain/catalog';
import { CatalogGqlType } from '../types/catalog.types';
import { PrincipalType } from '../types/people.types';

/** What needs no store: who the caller is, and the catalog. */
@Resolver()
export class CallerResolver {
  @Query(() => PrincipalType, { description: 'Who the caller is, from the bearer token.' })
  me(@Context('principal') principal: Principal): Principal {
    return principal;
  }

  @Query(() => CatalogGqlType)
  catalog(): Catalog {
    return DEFAULT_CATALOG;
  }
}
