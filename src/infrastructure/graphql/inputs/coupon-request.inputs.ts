/**
 * The coupon status change request form (domain.md §3). Its fields are nullable on purpose: the
 * domain checks them all and answers one BAD_USER_INPUT listing every missing or invalid one, so the
 * edge only bounds sizes here.
 */
import { Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsOptional, MaxLength, ValidateNested } from 'class-validator';
import type { CouponChangeScenario, CouponStatus } from '../../../domain/ticket.types';
import { CouponChangeScenarioEnum, CouponStatusEnum } from '../types/enums';
import { EDGE } from './edge-bounds';
import { TicketCommandInputType } from './ticket-command.inputs';

@InputType('AgentDetailsInput')
export class AgentDetailsInputType {
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) lastName?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) firstName?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) middleName?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) referenceNumber?:
    string | null;
}

@InputType('AgencyDetailsInput')
export class AgencyDetailsInputType {
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) name?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) validatorNumber?:
    string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) address?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) contacts?: string | null;
}

@InputType('FareClassesInput')
export class FareClassesInputType {
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) from?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) to?: string | null;
}

@InputType('BoardingPassInput')
export class BoardingPassInputType {
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) checkInNumber?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) seat?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) other?: string | null;
}

@InputType('RequestCouponStatusChangeInput', {
  description:
    "The request form's fields are nullable on purpose: the engine checks them all and answers\none BAD_USER_INPUT error whose `extensions.fields` lists every missing or invalid one.",
})
export class RequestCouponStatusChangeInputType extends TicketCommandInputType {
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) pnr?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) eTicketNumber?: string | null;
  @Field(() => [Int], { nullable: true }) @IsOptional() @ArrayMaxSize(EDGE.list) couponNumbers?:
    number[] | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) passengerName?: string | null;
  @Field(() => CouponChangeScenarioEnum, { nullable: true }) scenario?: CouponChangeScenario | null;
  @Field(() => CouponStatusEnum, { nullable: true }) fromStatus?: CouponStatus | null;
  @Field(() => CouponStatusEnum, { nullable: true }) toStatus?: CouponStatus | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.text) description?: string | null;
  @Field(() => AgentDetailsInputType, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AgentDetailsInputType)
  agent?: AgentDetailsInputType | null;
  @Field(() => AgencyDetailsInputType, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AgencyDetailsInputType)
  agency?: AgencyDetailsInputType | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) mcoNumber?: string | null;
  @Field(() => FareClassesInputType, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => FareClassesInputType)
  fareClasses?: FareClassesInputType | null;
  @Field(() => BoardingPassInputType, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => BoardingPassInputType)
  boardingPass?: BoardingPassInputType | null;
}
