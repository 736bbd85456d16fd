/** The catalog of modules, categories and types, served to clients (domain.md §5). */
import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('LocalizedName')
export class LocalizedNameType {
  @Field() ru!: string;
  @Field() en!: string;
}

@ObjectType('CatalogType')
export class CatalogTypeType {
  @Field() code!: string;
  @Field(() => LocalizedNameType) name!: LocalizedNameType;
  @Field(() => [String], {
    description: 'Ticket fields this type requires, e.g. pnr, nearestDepartureAt, eTicketNumber.',
  })
  requires!: string[];
}

@ObjectType('CatalogCategory')
export class CatalogCategoryType {
  @Field() code!: string;
  @Field(() => LocalizedNameType) name!: LocalizedNameType;
  @Field(() => [CatalogTypeType]) types!: CatalogTypeType[];
}

@ObjectType('CatalogModule')
export class CatalogModuleType {
  @Field() code!: string;
  @Field(() => LocalizedNameType) name!: LocalizedNameType;
  @Field() typeRequired!: boolean;
  @Field(() => [CatalogCategoryType]) categories!: CatalogCategoryType[];
}

@ObjectType('Catalog')
export class CatalogGqlType {
  @Field(() => [CatalogModuleType]) modules!: CatalogModuleType[];
}
