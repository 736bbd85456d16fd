/** Inputs of the ticket mutations (domain.md §2), with the edge's bounds (see edge-bounds.ts). */
import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsOptional, MaxLength, Min, ValidateNested } from 'class-validator';
import type { Channel, Priority, Resolution, SupportLine } from '../../../domain/ticket.types';
import { DateTimeScalar } from '../scalars/date-time.scalar';
import { ChannelEnum, ResolutionEnum, SupportLineEnum, TicketPriorityEnum } from '../types/enums';
import { EDGE } from './edge-bounds';

@InputType('RequesterInput')
export class RequesterInputType {
  @Field(() => ID) @MaxLength(EDGE.id) id!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) name?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) validatorNumber?:
    string | null;
}

@InputType('CreateTicketInput')
export class CreateTicketInputType {
  @Field(() => ID, { nullable: true }) @IsOptional() @MaxLength(EDGE.id) commandId?: string | null;
  @Field(() => RequesterInputType, {
    nullable: true,
    description:
      "Only agents and supervisors create on someone's behalf (e.g. a phone call); a requester's own ticket takes the requester from the token.",
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => RequesterInputType)
  requester?: RequesterInputType | null;
  @Field(() => ChannelEnum, { nullable: true, defaultValue: 'WEB' }) channel?: Channel | null;
  @Field() @MaxLength(EDGE.short) module!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) category?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) type?: string | null;
  @Field() @MaxLength(EDGE.short) subject!: string;
  @Field() @MaxLength(EDGE.text) description!: string;
  @Field(() => TicketPriorityEnum, { nullable: true, defaultValue: 'NORMAL' }) priority?: Priority | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) pnr?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) nearestDepartureAt?: Date | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) eTicketNumber?: string | null;
}

/** What every command on an existing ticket carries. */
@InputType({ isAbstract: true })
export abstract class TicketCommandInputType {
  @Field(() => ID) @MaxLength(EDGE.id) ticketId!: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(0) expectedVersion?: number | null;
  @Field(() => ID, { nullable: true }) @IsOptional() @MaxLength(EDGE.id) commandId?: string | null;
}

@InputType('AssignTicketInput')
export class AssignTicketInputType extends TicketCommandInputType {
  @Field(() => ID) @MaxLength(EDGE.id) assigneeId!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.short) assigneeName?: string | null;
  @Field(() => SupportLineEnum, { nullable: true, defaultValue: 'FIRST' }) line?: SupportLine | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.text) reason?: string | null;
}

@InputType('AddCommentInput')
export class AddCommentInputType extends TicketCommandInputType {
  @Field() @MaxLength(EDGE.text) body!: string;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) internal?: boolean | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) requestsReply?: boolean | null;
}

@InputType('ProposeSolutionInput')
export class ProposeSolutionInputType extends TicketCommandInputType {
  @Field() @MaxLength(EDGE.text) solution!: string;
}

@InputType('ReopenTicketInput')
export class ReopenTicketInputType extends TicketCommandInputType {
  @Field() @MaxLength(EDGE.text) reason!: string;
}

@InputType('CloseTicketInput')
export class CloseTicketInputType extends TicketCommandInputType {
  @Field(() => ResolutionEnum) resolution!: Resolution;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(EDGE.text) reason?: string | null;
}
