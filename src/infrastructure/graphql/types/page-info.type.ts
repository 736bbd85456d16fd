import { Field, ObjectType } from '@nestjs/graphql';

/** Cursor pagination state of a connection. */
@ObjectType('PageInfo')
export class PageInfoType {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}
