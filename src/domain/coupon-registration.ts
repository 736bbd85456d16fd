/**
 * Registration of an accepted coupon status change request (domain.md §3.2): its number `N<k>`, the
 * remark the operations group enters on the coupon, and how long the request is retained.
 */
import type { CouponChangeScenario, FareClasses } from './ticket.types';

/** `N<k>`, e.g. N17. */
export const registrationNumber = (seq: number): string => `N${seq}`;

/**
 * The coupon remark: `RQST N<k> FR <D>/<MM>/<YY>` from the registration date in UTC (day without a
 * leading zero), or for a downgrade `RQST N<k> REF <from> TO <to>` with the fare classes.
 */
export function couponRemark(
  seq: number,
  registeredAt: Date,
  scenario: CouponChangeScenario,
  fareClasses: FareClasses | null,
): string {
  if (scenario === 'DOWNGRADE_FARE_DIFFERENCE' && fareClasses !== null) {
    return `RQST ${registrationNumber(seq)} REF ${fareClasses.from} TO ${fareClasses.to}`;
  }
  const day = registeredAt.getUTCDate();
  const month = String(registeredAt.getUTCMonth() + 1).padStart(2, '0');
  const year = String(registeredAt.getUTCFullYear() % 100).padStart(2, '0');
  return `RQST ${registrationNumber(seq)} FR ${day}/${month}/${year}`;
}

/**
 * The same instant `years` calendar years later (or earlier, when negative), in UTC. A date that does
 * not exist in the target year — 29 February — becomes the last day of that month, 28 February, as
 * PostgreSQL intervals, java.time and date-fns do: a year never spills over into March. The retention
 * of a request registered on 29 February 2028 thus ends on 28 February 2029 at the same time of day,
 * and the audit's window start for an `asOf` of 29 February 2028 is 28 February 2027.
 */
export function addCalendarYears(date: Date, years: number): Date {
  const year = date.getUTCFullYear() + years;
  const month = date.getUTCMonth();
  const lastDayOfMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const result = new Date(date.getTime());
  result.setUTCFullYear(year, month, Math.min(date.getUTCDate(), lastDayOfMonth));
  return result;
}

/** Until when a request registered at `registeredAt` is retained: one calendar year. */
export const retainUntil = (registeredAt: Date): string => addCalendarYears(registeredAt, 1).toISOString();
