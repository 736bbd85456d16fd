/**
 * Query inputs. The read store receives them only as typed values inside the query handlers' own
 * filters, never as operators; the checks here only bound what a client may send.
 */
import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsOptional, MaxLength } from 'class-validator';
import type { TicketSortField } from '../../../application/views';
import type {
  Channel,
  CouponChangeScenario,
  Priority,
  SupportLine,
  TicketStatus,
} from '../../../domain/ticket.types';
import { DateTimeScalar } from '../scalars/date-time.scalar';
import {
  ChannelEnum,
  CouponChangeScenarioEnum,
  SortDirectionEnum,
  SupportLineEnum,
  TicketPriorityEnum,
  TicketSortFieldEnum,
  TicketStatusEnum,
} from '../types/enums';

/** Longest search text and code, and longest list, a client may send: far past any real one. */
const MAX_TEXT = 500;
const MAX_LIST = 100;

@InputType('TicketFilter')
export class TicketFilterInputType {
  @Field(() => String, {
    nullable: true,
    description:
      'Words that must all occur in the subject or description (any alphabet, case-insensitive), or an exact ticket number, PNR or e-ticket number.',
  })
  @IsOptional()
  @MaxLength(MAX_TEXT)
  search?: string | null;
  @Field(() => [TicketStatusEnum], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(MAX_LIST)
  status?: TicketStatus[] | null;
  @Field(() => [TicketPriorityEnum], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(MAX_LIST)
  priority?: Priority[] | null;
  @Field(() => [ChannelEnum], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(MAX_LIST)
  channel?: Channel[] | null;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(MAX_LIST)
  @MaxLength(MAX_TEXT, { each: true })
  module?: string[] | null;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(MAX_LIST)
  @MaxLength(MAX_TEXT, { each: true })
  category?: string[] | null;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(MAX_LIST)
  @MaxLength(MAX_TEXT, { each: true })
  type?: string[] | null;
  @Field(() => ID, { nullable: true }) @IsOptional() @MaxLength(MAX_TEXT) requesterId?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(MAX_TEXT) validatorNumber?: string | null;
  @Field(() => ID, { nullable: true }) @IsOptional() @MaxLength(MAX_TEXT) assigneeId?: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description:
      'True: tickets someone is assigned to; false: the queue nobody has taken yet, in any status (a ticket can wait on its requester before anyone takes it). Combined with assigneeId or line, false finds nothing.',
  })
  assigned?: boolean | null;
  @Field(() => [SupportLineEnum], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(MAX_LIST)
  line?: SupportLine[] | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Inclusive.' }) createdFrom?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Exclusive.' }) createdTo?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) updatedFrom?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) updatedTo?: Date | null;
  @Field(() => Boolean, { nullable: true }) overdue?: boolean | null;
  @Field(() => Boolean, { nullable: true }) hasCouponRequests?: boolean | null;
}

@InputType('TicketSort')
export class TicketSortInputType {
  @Field(() => TicketSortFieldEnum, { defaultValue: 'CREATED_AT' }) field!: TicketSortField;
  @Field(() => SortDirectionEnum, { defaultValue: 'DESC' }) direction!: 'ASC' | 'DESC';
}

@InputType('CouponRequestFilter')
export class CouponRequestFilterInputType {
  @Field(() => ID, { nullable: true }) @IsOptional() @MaxLength(MAX_TEXT) ticketId?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(MAX_TEXT) eTicketNumber?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(MAX_TEXT) pnr?: string | null;
  @Field(() => [CouponChangeScenarioEnum], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(MAX_LIST)
  scenario?: CouponChangeScenario[] | null;
  @Field(() => DateTimeScalar, { nullable: true }) registeredFrom?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) registeredTo?: Date | null;
  @Field(() => Boolean, { nullable: true }) salesControlViolation?: boolean | null;
}
