/** The ticket as served (domain.md §1–§2), its comments and its connection. `history` is a field resolver. */
import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { Channel, Priority, Resolution, TicketStatus } from '../../../domain/ticket.types';
import { DateTimeScalar } from '../scalars/date-time.scalar';
import { CouponStatusChangeRequestType } from './coupon-request.types';
import { ChannelEnum, ResolutionEnum, TicketPriorityEnum, TicketStatusEnum } from './enums';
import { PageInfoType } from './page-info.type';
import { ActorType, AssigneeType, RequesterType } from './people.types';

@ObjectType('Comment')
export class CommentType {
  @Field(() => ID) id!: string;
  @Field(() => ActorType) author!: ActorType;
  @Field() body!: string;
  @Field() internal!: boolean;
  @Field() requestsReply!: boolean;
  @Field(() => DateTimeScalar) createdAt!: string;
}

@ObjectType('Ticket')
export class TicketType {
  @Field(() => ID) id!: string;
  @Field(() => Int) number!: number;
  @Field(() => Int, { description: "Stream revision of the ticket's last event; 0 right after creation." })
  version!: number;
  @Field(() => TicketStatusEnum) status!: TicketStatus;
  @Field(() => TicketPriorityEnum) priority!: Priority;
  @Field(() => ChannelEnum) channel!: Channel;
  @Field() module!: string;
  @Field(() => String, { nullable: true }) category!: string | null;
  @Field(() => String, { nullable: true }) type!: string | null;
  @Field() subject!: string;
  @Field() description!: string;
  @Field(() => String, { nullable: true }) pnr!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) nearestDepartureAt!: string | null;
  @Field(() => String, { nullable: true }) eTicketNumber!: string | null;
  @Field(() => RequesterType) requester!: RequesterType;
  @Field(() => AssigneeType, { nullable: true }) assignee!: AssigneeType | null;
  @Field(() => DateTimeScalar) createdAt!: string;
  @Field(() => DateTimeScalar) updatedAt!: string;
  @Field(() => DateTimeScalar) firstResponseDueAt!: string;
  @Field(() => DateTimeScalar, { nullable: true }) firstRespondedAt!: string | null;
  @Field(() => DateTimeScalar) resolutionDueAt!: string;
  @Field() overdue!: boolean;
  @Field(() => DateTimeScalar, { nullable: true }) closedAt!: string | null;
  @Field(() => ResolutionEnum, { nullable: true }) resolution!: Resolution | null;
  @Field(() => Int) reopenCount!: number;
  @Field(() => Int) commentCount!: number;
  @Field(() => [CommentType], {
    description: 'Correspondence, oldest first. Requesters never see internal comments.',
  })
  comments!: CommentType[];
  @Field(() => String, { nullable: true, description: 'The latest proposed solution.' })
  solution!: string | null;
  @Field(() => [CouponStatusChangeRequestType]) couponRequests!: CouponStatusChangeRequestType[];
}

@ObjectType('TicketEdge')
export class TicketEdgeType {
  @Field() cursor!: string;
  @Field(() => TicketType) node!: TicketType;
}

@ObjectType('TicketConnection')
export class TicketConnectionType {
  @Field(() => [TicketEdgeType]) edges!: TicketEdgeType[];
  @Field(() => [TicketType]) nodes!: TicketType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
  @Field(() => Int) totalCount!: number;
}
