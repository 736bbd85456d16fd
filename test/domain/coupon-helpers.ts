/** Helpers for the coupon request tests: decide a request on a fresh ticket and read back its data. */
import type { CouponRequestForm } from '../../src/domain/ticket.commands';
import type { CouponStatusChangeRequestedData, TicketEvent } from '../../src/domain/ticket.events';
import type { Actor, CouponChangeScenario, CouponStatus } from '../../src/domain/ticket.types';
import { REQUESTER, couponForm, hoursAfter, requestCoupon, ticketCreated } from './fixtures';
import { given } from './given-when-then';

export const created = ticketCreated();
export const now = hoursAfter(1);
export const asRequester = { now, actor: REQUESTER };

const requested = (events: TicketEvent[]): CouponStatusChangeRequestedData => {
  const [event] = events;
  if (event.type !== 'CouponStatusChangeRequested')
    throw new Error(`expected a coupon request, got ${event.type}`);
  return event.data;
};

/** Decides the request on a fresh ticket; it must be accepted. Returns the recorded data. */
export const accept = (form: CouponRequestForm, ctx: { now: Date; actor: Actor } = asRequester, seq = 17) =>
  requested(given(created).when(requestCoupon(form, seq), ctx).thenEvents());

/** The complete form with this scenario and change. */
export const change = (
  scenario: CouponChangeScenario,
  fromStatus: CouponStatus,
  toStatus: CouponStatus,
  extra: Partial<CouponRequestForm> = {},
) => couponForm({ scenario, fromStatus, toStatus, ...extra });

export const DOWNGRADE_EXTRA = { mcoNumber: '4219876543210', fareClasses: { from: 'c', to: 'y' } };
export const CHECKIN_EXTRA = { boardingPass: { checkInNumber: '042', seat: null, other: null } };
