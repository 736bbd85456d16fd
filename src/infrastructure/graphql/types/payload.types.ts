/** What mutations answer: the ticket as the read models hold it after the change. */
import { Field, ID, ObjectType } from '@nestjs/graphql';
import { CouponStatusChangeRequestType } from './coupon-request.types';
import { TicketType } from './ticket.types';

@ObjectType('TicketPayload')
export class TicketPayloadType {
  @Field(() => TicketType, {
    description: 'The ticket after the change; queries sent after this response see the change too.',
  })
  ticket!: TicketType;
  @Field(() => ID, { nullable: true }) commandId!: string | null;
}

@ObjectType('CouponRequestPayload')
export class CouponRequestPayloadType {
  @Field(() => TicketType) ticket!: TicketType;
  @Field(() => CouponStatusChangeRequestType) request!: CouponStatusChangeRequestType;
}
