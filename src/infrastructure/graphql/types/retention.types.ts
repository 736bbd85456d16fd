/** The one-year retention audit of coupon requests (domain.md §3.2). `requests` is a field resolver. */
import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { DiscrepancyKind } from '../../../application/views';
import { DateTimeScalar } from '../scalars/date-time.scalar';
import { DiscrepancyKindEnum } from './enums';

@ObjectType('RetentionDiscrepancy')
export class RetentionDiscrepancyType {
  @Field(() => DiscrepancyKindEnum) kind!: DiscrepancyKind;
  @Field(() => ID) ticketId!: string;
  @Field(() => String, { nullable: true }) registrationNumber!: string | null;
  @Field() detail!: string;
}

@ObjectType('RetentionAudit')
export class RetentionAuditType {
  @Field(() => DateTimeScalar) asOf!: string;
  @Field(() => DateTimeScalar, {
    description:
      "asOf minus one calendar year; requests registered after it are within retention. Around 29 February each request's own retainUntil decides (registration + 1 calendar year, 29 February + 1 year being 28 February), and the counts and pages follow it: a request registered on 28 February 2027 has expired by 29 February 2028, and one registered on 29 February 2028 expires on 28 February 2029 at its time of day.",
  })
  windowStart!: string;
  @Field(() => Int) retainedCount!: number;
  @Field(() => Int) expiredCount!: number;
  @Field({ description: 'True when the audit was checked against the event store (verify: true).' })
  verified!: boolean;
  @Field(() => Int, {
    nullable: true,
    description: 'CouponStatusChangeRequested events found in the event store, when verified.',
  })
  eventCount!: number | null;
  @Field(() => [RetentionDiscrepancyType]) discrepancies!: RetentionDiscrepancyType[];
}
