/** The contract's enums, registered once from the domain's own value lists so the two cannot drift. */
import { registerEnumType } from '@nestjs/graphql';
import { STATS_DIMENSIONS } from '../../../application/views';
import {
  CHANNELS,
  COUPON_SCENARIOS,
  COUPON_STATUSES,
  PRIORITIES,
  RESOLUTIONS,
  ROLES,
  SUPPORT_LINES,
  TICKET_STATUSES,
} from '../../../domain/ticket.types';

/** `{ A: 'A', B: 'B' }` from `['A', 'B']`: the shape registerEnumType wants. */
function enumOf<T extends string>(values: readonly T[]): { [K in T]: K } {
  return Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
}

export const TicketStatusEnum = enumOf(TICKET_STATUSES);
export const TicketPriorityEnum = enumOf(PRIORITIES);
export const ChannelEnum = enumOf(CHANNELS);
export const SupportLineEnum = enumOf(SUPPORT_LINES);
export const RoleEnum = enumOf(ROLES);
export const ResolutionEnum = enumOf(RESOLUTIONS);
export const CouponStatusEnum = enumOf(COUPON_STATUSES);
export const CouponChangeScenarioEnum = enumOf(COUPON_SCENARIOS);
export const TicketSortFieldEnum = enumOf([
  'CREATED_AT',
  'UPDATED_AT',
  'NUMBER',
  'PRIORITY',
  'STATUS',
  'RESOLUTION_DUE_AT',
] as const);
export const SortDirectionEnum = enumOf(['ASC', 'DESC'] as const);
export const RetentionStateEnum = enumOf(['RETAINED', 'EXPIRED'] as const);
export const DiscrepancyKindEnum = enumOf([
  'MISSING_IN_READ_MODEL',
  'MISSING_IN_EVENT_STORE',
  'MISMATCH',
] as const);
export const StatsDimensionEnum = enumOf(STATS_DIMENSIONS);

registerEnumType(TicketStatusEnum, { name: 'TicketStatus' });
registerEnumType(TicketPriorityEnum, { name: 'TicketPriority' });
registerEnumType(ChannelEnum, { name: 'Channel' });
registerEnumType(SupportLineEnum, { name: 'SupportLine' });
registerEnumType(RoleEnum, { name: 'Role' });
registerEnumType(ResolutionEnum, { name: 'Resolution' });
registerEnumType(CouponStatusEnum, { name: 'CouponStatus' });
registerEnumType(CouponChangeScenarioEnum, { name: 'CouponChangeScenario' });
registerEnumType(TicketSortFieldEnum, { name: 'TicketSortField' });
registerEnumType(SortDirectionEnum, { name: 'SortDirection' });
registerEnumType(RetentionStateEnum, { name: 'RetentionState' });
registerEnumType(DiscrepancyKindEnum, { name: 'DiscrepancyKind' });
registerEnumType(StatsDimensionEnum, { name: 'StatsDimension' });
