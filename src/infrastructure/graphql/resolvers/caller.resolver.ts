import { Inject } from '@nestjs/common';
import { Context, Query, Resolver } from '@nestjs/graphql';
import { CATALOG } from '../../../application/ports/catalog.port';
import type { Principal } from '../../../application/principal';
import type { Catalog } from '../../../domain/catalog';
import { CatalogGqlType } from '../types/catalog.types';
import { PrincipalType } from '../types/people.types';

/** What needs no store: who the caller is, and the catalog. */
@Resolver()
export class CallerResolver {
  constructor(@Inject(CATALOG) private readonly catalogInUse: Catalog) {}

  @Query(() => PrincipalType, { description: 'Who the caller is, from the bearer token.' })
  me(@Context('principal') principal: Principal): Principal {
    return principal;
  }

  @Query(() => CatalogGqlType)
  catalog(): Catalog {
    return this.catalogInUse;
  }
}
