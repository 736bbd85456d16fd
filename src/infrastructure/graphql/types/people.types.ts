/** Who is who: the caller, an acting person, a requester, an assignee. */
import { Field, ID, ObjectType } from '@nestjs/graphql';
import type { Role, SupportLine } from '../../../domain/ticket.types';
import { RoleEnum, SupportLineEnum } from './enums';

@ObjectType('Principal')
export class PrincipalType {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => [RoleEnum]) roles!: Role[];
  @Field(() => String, { nullable: true }) validatorNumber!: string | null;
}

@ObjectType('Actor')
export class ActorType {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => RoleEnum) role!: Role;
}

@ObjectType('Requester')
export class RequesterType {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) validatorNumber!: string | null;
}

@ObjectType('Assignee')
export class AssigneeType {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => SupportLineEnum) line!: SupportLine;
}
