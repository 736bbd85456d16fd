/** Queries on coupon status change requests and their one-year retention (domain.md §3.2). */
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Principal } from '../../../application/principal';
import {
  ListCouponRequestsQuery,
  RetentionAuditQuery,
  RetentionRequestsQuery,
} from '../../../application/queries/ticket-queries';
import type { Connection, CouponRequestView, RetentionAuditView } from '../../../application/views';
import { CouponRequestFilterInputType } from '../inputs/ticket-query.inputs';
import { DateTimeScalar } from '../scalars/date-time.scalar';
import { CouponRequestConnectionType } from '../types/coupon-request.types';
import { RetentionStateEnum } from '../types/enums';
import { RetentionAuditType } from '../types/retention.types';
import { validatedAs } from '../inputs/input-validation.pipe';
import { ReadModelsGate } from './read-models-gate';

@Resolver(() => RetentionAuditType)
export class CouponRequestQueryResolver {
  constructor(
    private readonly queries: QueryBus,
    private readonly readModels: ReadModelsGate,
  ) {}

  @Query(() => CouponRequestConnectionType)
  async couponRequests(
    @Context('principal') principal: Principal,
    @Args(
      'filter',
      { type: () => CouponRequestFilterInputType, nullable: true },
      validatedAs(CouponRequestFilterInputType),
    )
    filter: CouponRequestFilterInputType | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<Connection<CouponRequestView>> {
    await this.readModels.ready();
    return this.queries.execute(
      new ListCouponRequestsQuery(principal, filter ?? {}, first ?? 20, after ?? null),
    );
  }

  @Query(() => RetentionAuditType, { description: 'Auditors and supervisors. asOf defaults to now.' })
  async couponRequestRetentionAudit(
    @Context('principal') principal: Principal,
    @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf: Date | null,
    @Args('verify', { type: () => Boolean, nullable: true, defaultValue: false }) verify: boolean | null,
  ): Promise<RetentionAuditView> {
    await this.readModels.ready();
    return this.queries.execute(new RetentionAuditQuery(principal, asOf ?? null, verify ?? false));
  }

  /** The requests on either side of the audit's window, read only when a client selects them. */
  @ResolveField('requests', () => CouponRequestConnectionType)
  requests(
    @Parent() audit: RetentionAuditView,
    @Context('principal') principal: Principal,
    @Args('state', { type: () => RetentionStateEnum }) state: 'RETAINED' | 'EXPIRED',
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<Connection<CouponRequestView>> {
    return this.queries.execute(
      new RetentionRequestsQuery(principal, new Date(audit.asOf), state, first ?? 20, after ?? null),
    );
  }
}
