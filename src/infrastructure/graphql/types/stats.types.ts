/** Ticket statistics buckets (period reports of the service desks). */
import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import type { StatsDimension } from '../../../application/views';
import { StatsDimensionEnum } from './enums';

@ObjectType('StatsKey')
export class StatsKeyType {
  @Field(() => StatsDimensionEnum) dimension!: StatsDimension;
  @Field(() => String, { nullable: true }) value!: string | null;
}

@ObjectType('StatsBucket')
export class StatsBucketType {
  @Field(() => [StatsKeyType]) key!: StatsKeyType[];
  @Field(() => Int) count!: number;
  @Field(() => Int) open!: number;
  @Field(() => Int) closed!: number;
  @Field(() => Int) overdue!: number;
  @Field(() => Int) reopened!: number;
  @Field(() => Float, {
    nullable: true,
    description: 'Mean minutes from creation to first response, over tickets that had one.',
  })
  avgFirstResponseMinutes!: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Mean minutes from creation to closing, over tickets closed CONFIRMED or AUTO_CLOSED.',
  })
  avgResolutionMinutes!: number | null;
}
