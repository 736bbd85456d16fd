import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, type ReadStore } from '../ports/read-store.port';
import type { Connection, CouponRequestView } from '../views';
import { couponRequestFilter, couponRequestPage } from './coupon-request-pages';
import { ListCouponRequestsQuery } from './ticket-queries';

/** `couponRequests`: the requests the caller may see, filtered, newest first. */
@QueryHandler(ListCouponRequestsQuery)
export class ListCouponRequestsHandler implements IQueryHandler<
  ListCouponRequestsQuery,
  Connection<CouponRequestView>
> {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  async execute({
    principal,
    filter,
    first,
    after,
  }: ListCouponRequestsQuery): Promise<Connection<CouponRequestView>> {
    return couponRequestPage(this.store, () => couponRequestFilter(principal, filter), first, after);
  }
}
