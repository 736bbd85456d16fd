/** A ticket's history (domain.md §7): the `TicketEvent` interface and one type per stored event type. */
import { Field, Int, InterfaceType, ObjectType } from '@nestjs/graphql';
import type { Channel, Priority, Resolution } from '../../../domain/ticket.types';
import { DateTimeScalar } from '../scalars/date-time.scalar';
import { CouponStatusChangeRequestType } from './coupon-request.types';
import { ChannelEnum, ResolutionEnum, TicketPriorityEnum } from './enums';
import { ActorType, AssigneeType } from './people.types';
import { CommentType } from './ticket.types';

@InterfaceType('TicketEvent', {
  // Every stored event type `X` is served as the object type `XEvent`.
  resolveType: (event: { eventType: string }) => `${event.eventType}Event`,
})
export abstract class TicketEventType {
  @Field(() => Int, { description: 'Stream revision of this event (0 for TicketCreated).' })
  revision!: number;
  @Field({ description: 'The stored event type, e.g. TicketCreated.' })
  eventType!: string;
  @Field(() => DateTimeScalar) occurredAt!: string;
  @Field(() => ActorType) actor!: ActorType;
  @Field({ description: 'Position in the whole event store (the $all position), as a decimal string.' })
  position!: string;
  @Field({
    description: "The event's stored data, as JSON text (for a requester, an assignment's reason left out).",
  })
  dataJson!: string;
  @Field(() => String, {
    nullable: true,
    description:
      'The commandId the change was sent with, if any. Shown to agents, supervisors and auditors; null for requesters.',
  })
  commandId!: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'For a change the system made, the policy that fired as it was configured then, e.g. auto-close-after-7-days; null otherwise.',
  })
  policy!: string | null;
}

@ObjectType('TicketCreatedEvent', { implements: () => [TicketEventType] })
export class TicketCreatedEventType extends TicketEventType {
  @Field(() => Int) number!: number;
  @Field() subject!: string;
  @Field(() => TicketPriorityEnum) priority!: Priority;
  @Field(() => ChannelEnum) channel!: Channel;
  @Field() module!: string;
  @Field(() => String, { nullable: true }) category!: string | null;
  @Field(() => String, { nullable: true }) type!: string | null;
}

@ObjectType('TicketAssignedEvent', { implements: () => [TicketEventType] })
export class TicketAssignedEventType extends TicketEventType {
  @Field(() => AssigneeType) assignee!: AssigneeType;
  @Field() escalation!: boolean;
  @Field(() => String, {
    nullable: true,
    description:
      "Why the desk assigned it (an escalation's reason); null for a requester: it is the desk's note.",
  })
  reason!: string | null;
}

@ObjectType('CommentAddedEvent', { implements: () => [TicketEventType] })
export class CommentAddedEventType extends TicketEventType {
  @Field(() => CommentType) comment!: CommentType;
}

@ObjectType('SolutionProposedEvent', { implements: () => [TicketEventType] })
export class SolutionProposedEventType extends TicketEventType {
  @Field() solution!: string;
}

@ObjectType('TicketReopenedEvent', { implements: () => [TicketEventType] })
export class TicketReopenedEventType extends TicketEventType {
  @Field() reason!: string;
}

@ObjectType('TicketClosedEvent', { implements: () => [TicketEventType] })
export class TicketClosedEventType extends TicketEventType {
  @Field(() => ResolutionEnum) resolution!: Resolution;
  @Field(() => String, {
    nullable: true,
    description:
      "Why the desk assigned it (an escalation's reason); null for a requester: it is the desk's note.",
  })
  reason!: string | null;
}

@ObjectType('CouponStatusChangeRequestedEvent', { implements: () => [TicketEventType] })
export class CouponStatusChangeRequestedEventType extends TicketEventType {
  @Field(() => CouponStatusChangeRequestType) request!: CouponStatusChangeRequestType;
}

/** The implementations, listed so the schema holds them even though no field names them directly. */
export const TICKET_EVENT_TYPES_SERVED = [
  TicketCreatedEventType,
  TicketAssignedEventType,
  CommentAddedEventType,
  SolutionProposedEventType,
  TicketReopenedEventType,
  TicketClosedEventType,
  CouponStatusChangeRequestedEventType,
];
