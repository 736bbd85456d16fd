/** A coupon status change request as served (domain.md §3), and its connection. */
import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { CouponChangeScenario, CouponStatus } from '../../../domain/ticket.types';
import { DateTimeScalar } from '../scalars/date-time.scalar';
import { CouponChangeScenarioEnum, CouponStatusEnum } from './enums';
import { PageInfoType } from './page-info.type';
import { ActorType } from './people.types';

@ObjectType('AgentDetails')
export class AgentDetailsType {
  @Field() lastName!: string;
  @Field() firstName!: string;
  @Field(() => String, { nullable: true }) middleName!: string | null;
  @Field() referenceNumber!: string;
}

@ObjectType('AgencyDetails')
export class AgencyDetailsType {
  @Field() name!: string;
  @Field() validatorNumber!: string;
  @Field() address!: string;
  @Field() contacts!: string;
}

@ObjectType('FareClasses')
export class FareClassesType {
  @Field() from!: string;
  @Field() to!: string;
}

@ObjectType('BoardingPass')
export class BoardingPassType {
  @Field(() => String, { nullable: true }) checkInNumber!: string | null;
  @Field(() => String, { nullable: true }) seat!: string | null;
  @Field(() => String, { nullable: true }) other!: string | null;
}

@ObjectType('CouponStatusChangeRequest')
export class CouponStatusChangeRequestType {
  @Field({ description: 'Registration number, e.g. N17.' }) registrationNumber!: string;
  @Field(() => ID) ticketId!: string;
  @Field(() => Int) ticketNumber!: number;
  @Field() pnr!: string;
  @Field() eTicketNumber!: string;
  @Field(() => [Int]) couponNumbers!: number[];
  @Field() passengerName!: string;
  @Field(() => CouponChangeScenarioEnum) scenario!: CouponChangeScenario;
  @Field(() => CouponStatusEnum) fromStatus!: CouponStatus;
  @Field(() => CouponStatusEnum) toStatus!: CouponStatus;
  @Field() description!: string;
  @Field(() => AgentDetailsType) agent!: AgentDetailsType;
  @Field(() => AgencyDetailsType) agency!: AgencyDetailsType;
  @Field(() => String, { nullable: true }) mcoNumber!: string | null;
  @Field(() => FareClassesType, { nullable: true }) fareClasses!: FareClassesType | null;
  @Field(() => BoardingPassType, { nullable: true }) boardingPass!: BoardingPassType | null;
  @Field({ description: 'The remark the operations group enters on the coupon, e.g. RQST N17 FR 3/09/26.' })
  remark!: string;
  @Field() salesControlViolation!: boolean;
  @Field({ description: 'A downgrade requested while the coupon is BOARDED, applied once it is FLOWN.' })
  deferredUntilFlown!: boolean;
  @Field(() => ActorType) requestedBy!: ActorType;
  @Field(() => DateTimeScalar) registeredAt!: string;
  @Field(() => DateTimeScalar) retainUntil!: string;
}

@ObjectType('CouponRequestEdge')
export class CouponRequestEdgeType {
  @Field() cursor!: string;
  @Field(() => CouponStatusChangeRequestType) node!: CouponStatusChangeRequestType;
}

@ObjectType('CouponRequestConnection')
export class CouponRequestConnectionType {
  @Field(() => [CouponRequestEdgeType]) edges!: CouponRequestEdgeType[];
  @Field(() => [CouponStatusChangeRequestType]) nodes!: CouponStatusChangeRequestType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
  @Field(() => Int) totalCount!: number;
}
