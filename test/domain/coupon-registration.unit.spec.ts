import {
  addCalendarYears,
  couponRemark,
  registrationNumber,
  retainUntil,
} from '../../src/domain/coupon-registration';

const d = (iso: string) => new Date(iso);

describe('§3.2 calendar years for retention', () => {
  it('§3.2 addCalendarYears keeps the day, month and time of day', () => {
    expect(addCalendarYears(d('2026-09-03T08:15:00.123Z'), 1).toISOString()).toBe('2027-09-03T08:15:00.123Z');
    expect(addCalendarYears(d('2026-12-31T23:59:59.999Z'), 1).toISOString()).toBe('2027-12-31T23:59:59.999Z');
  });

  it('§3.2 addCalendarYears(−1) gives the audit window start (asOf − 1 year)', () => {
    expect(addCalendarYears(d('2027-09-03T08:00:00Z'), -1).toISOString()).toBe('2026-09-03T08:00:00.000Z');
  });

  it('§3.2 29 February plus or minus a year is 28 February; leap years keep it', () => {
    expect(addCalendarYears(d('2028-02-29T10:00:00Z'), 1).toISOString()).toBe('2029-02-28T10:00:00.000Z');
    expect(addCalendarYears(d('2028-02-29T10:00:00Z'), -1).toISOString()).toBe('2027-02-28T10:00:00.000Z');
    expect(addCalendarYears(d('2028-02-29T10:00:00Z'), 4).toISOString()).toBe('2032-02-29T10:00:00.000Z');
    expect(addCalendarYears(d('2027-02-28T10:00:00Z'), 1).toISOString()).toBe('2028-02-28T10:00:00.000Z');
  });

  it('§3.2 addCalendarYears does not change its argument', () => {
    const date = d('2026-09-03T08:00:00Z');
    addCalendarYears(date, 1);
    expect(date.toISOString()).toBe('2026-09-03T08:00:00.000Z');
  });

  it('§3.2 retainUntil is one calendar year after registration', () => {
    expect(retainUntil(d('2026-09-03T08:00:00Z'))).toBe('2027-09-03T08:00:00.000Z');
  });

  it('§3.2 registration number and both remark formats', () => {
    expect(registrationNumber(17)).toBe('N17');
    expect(couponRemark(17, d('2026-09-03T08:00:00Z'), 'UNAVAILABLE_REFUND', null)).toBe(
      'RQST N17 FR 3/09/26',
    );
    expect(
      couponRemark(18, d('2026-09-03T08:00:00Z'), 'DOWNGRADE_FARE_DIFFERENCE', { from: 'C', to: 'Y' }),
    ).toBe('RQST N18 REF C TO Y');
  });
});
