import { REFUSED_SCENARIOS } from '../../src/domain/coupon-request.rules';
import { COUPON_STATUSES } from '../../src/domain/ticket.types';
import { REQUESTER, T0, couponForm, requestCoupon } from './fixtures';
import { CHECKIN_EXTRA, DOWNGRADE_EXTRA, accept, asRequester, change, created } from './coupon-helpers';
import { given } from './given-when-then';

describe('§3.1 scenarios and allowed changes', () => {
  it('§3.1 UNAVAILABLE_REFUND: UNAVAILABLE_EXCHANGE_ONLY → OPEN_FOR_USE is accepted', () => {
    expect(accept(change('UNAVAILABLE_REFUND', 'UNAVAILABLE_EXCHANGE_ONLY', 'OPEN_FOR_USE'))).toMatchObject({
      salesControlViolation: false,
      deferredUntilFlown: false,
    });
  });

  it.each(['REFUNDED', 'EXCHANGED', 'VOIDED'] as const)(
    '§3.1 STATUS_NOT_UPDATED_AFTER_OPERATION: OPEN_FOR_USE → %s is accepted',
    (to) => {
      expect(accept(change('STATUS_NOT_UPDATED_AFTER_OPERATION', 'OPEN_FOR_USE', to)).toStatus).toBe(to);
    },
  );

  it('§3.1 DOWNGRADE_FARE_DIFFERENCE: FLOWN → CLOSED with MCO and fare classes, remark REF <from> TO <to>', () => {
    const data = accept(
      change('DOWNGRADE_FARE_DIFFERENCE', 'FLOWN', 'CLOSED', DOWNGRADE_EXTRA),
      asRequester,
      18,
    );
    expect(data).toMatchObject({
      mcoNumber: '4219876543210',
      fareClasses: { from: 'C', to: 'Y' },
      remark: 'RQST N18 REF C TO Y',
      deferredUntilFlown: false,
    });
  });

  it('§3.1 DOWNGRADE_FARE_DIFFERENCE: from BOARDED it is deferred until the coupon is FLOWN', () => {
    expect(
      accept(change('DOWNGRADE_FARE_DIFFERENCE', 'BOARDED', 'CLOSED', DOWNGRADE_EXTRA)).deferredUntilFlown,
    ).toBe(true);
  });

  it('§3.1 DOWNGRADE_FARE_DIFFERENCE: the MCO is 13 digits and each fare class one letter', () => {
    given(created)
      .when(
        requestCoupon(
          change('DOWNGRADE_FARE_DIFFERENCE', 'FLOWN', 'CLOSED', {
            mcoNumber: '12',
            fareClasses: { from: 'CJ', to: '1' },
          }),
        ),
        asRequester,
      )
      .thenInvalidInput(['mcoNumber', 'fareClasses.from', 'fareClasses.to']);
  });

  it('§3.1 CHECKIN_STATUS_NOT_UPDATED: OPEN_FOR_USE → SUSPENDED with any one boarding-pass detail', () => {
    for (const boardingPass of [
      { checkInNumber: '042' },
      { seat: '12A' },
      { other: 'ПТ на рейс S7 123, посадка 10:20' },
    ]) {
      const data = accept(
        change('CHECKIN_STATUS_NOT_UPDATED', 'OPEN_FOR_USE', 'SUSPENDED', { boardingPass }),
      );
      expect(data.boardingPass).toEqual({ checkInNumber: null, seat: null, other: null, ...boardingPass });
    }
    given(created)
      .when(
        requestCoupon(
          change('CHECKIN_STATUS_NOT_UPDATED', 'OPEN_FOR_USE', 'SUSPENDED', { boardingPass: { seat: ' ' } }),
        ),
        asRequester,
      )
      .thenInvalidInput(['boardingPass']);
  });

  it('§3.1 PARTIALLY_USED_TKP_BLANK: BOARDED → FLOWN is accepted', () => {
    expect(accept(change('PARTIALLY_USED_TKP_BLANK', 'BOARDED', 'FLOWN')).scenario).toBe(
      'PARTIALLY_USED_TKP_BLANK',
    );
  });

  it('§3.1 ERRONEOUS_REFUND: REFUNDED → OPEN_FOR_USE is accepted and flagged as a sales-control violation', () => {
    expect(accept(change('ERRONEOUS_REFUND', 'REFUNDED', 'OPEN_FOR_USE')).salesControlViolation).toBe(true);
  });

  it.each(COUPON_STATUSES.filter((s) => s !== 'BOARDED'))(
    '§3.1 INTERLINE_STOCK: %s → BOARDED is accepted',
    (from) => {
      expect(accept(change('INTERLINE_STOCK', from, 'BOARDED')).toStatus).toBe('BOARDED');
    },
  );

  it('§3.1 INTERLINE_STOCK: BOARDED → BOARDED is refused, and nothing but BOARDED is a target', () => {
    given(created)
      .when(requestCoupon(change('INTERLINE_STOCK', 'BOARDED', 'BOARDED')), asRequester)
      .thenRuleViolated('coupon.scenario-not-allowed');
    given(created)
      .when(requestCoupon(change('INTERLINE_STOCK', 'OPEN_FOR_USE', 'FLOWN')), asRequester)
      .thenRuleViolated('coupon.scenario-not-allowed');
  });

  it.each([
    {
      scenario: 'UNAVAILABLE_REFUND',
      from: 'OPEN_FOR_USE',
      to: 'OPEN_FOR_USE',
      allowed: 'UNAVAILABLE_EXCHANGE_ONLY → OPEN_FOR_USE',
    },
    {
      scenario: 'STATUS_NOT_UPDATED_AFTER_OPERATION',
      from: 'OPEN_FOR_USE',
      to: 'SUSPENDED',
      allowed: 'OPEN_FOR_USE → REFUNDED, EXCHANGED or VOIDED',
    },
    {
      scenario: 'DOWNGRADE_FARE_DIFFERENCE',
      from: 'CHECKED_IN',
      to: 'CLOSED',
      allowed: 'FLOWN or BOARDED → CLOSED',
    },
    {
      scenario: 'CHECKIN_STATUS_NOT_UPDATED',
      from: 'CHECKED_IN',
      to: 'SUSPENDED',
      allowed: 'OPEN_FOR_USE → SUSPENDED',
    },
    { scenario: 'PARTIALLY_USED_TKP_BLANK', from: 'FLOWN', to: 'BOARDED', allowed: 'BOARDED → FLOWN' },
    {
      scenario: 'ERRONEOUS_REFUND',
      from: 'EXCHANGED',
      to: 'OPEN_FOR_USE',
      allowed: 'REFUNDED → OPEN_FOR_USE',
    },
    {
      scenario: 'INTERLINE_STOCK',
      from: 'BOARDED',
      to: 'BOARDED',
      allowed: 'any status except BOARDED → BOARDED',
    },
  ] as const)(
    '§3.1 $scenario: $from → $to is refused naming the allowed change (coupon.scenario-not-allowed)',
    ({ scenario, from, to, allowed }) => {
      const error = given(created)
        .when(requestCoupon(change(scenario, from, to)), asRequester)
        .thenRuleViolated('coupon.scenario-not-allowed');
      expect(error.message).toContain(allowed);
    },
  );

  it('§3.1 an impossible change is refused before the form is checked field by field (nothing to fill in for it)', () => {
    given(created)
      .when(
        requestCoupon({ scenario: 'ERRONEOUS_REFUND', fromStatus: 'OPEN_FOR_USE', toStatus: 'REFUNDED' }),
        asRequester,
      )
      .thenRuleViolated('coupon.scenario-not-allowed');
  });

  it("§3.1 CHECKED_IN_OR_BOARDED is refused with guidance: send the passenger to the carrier's representative", () => {
    const error = given(created)
      .when(requestCoupon(change('CHECKED_IN_OR_BOARDED', 'CHECKED_IN', 'OPEN_FOR_USE')), asRequester)
      .thenRuleViolated(
        'coupon.checked-in-or-boarded',
        "send the passenger to the carrier's representative to cancel check-in or boarding",
      );
    expect(error.guidance).toBe(REFUSED_SCENARIOS.CHECKED_IN_OR_BOARDED.guidance);
  });

  it('§3.1 FLOWN_NOT_USED_CLAIM is refused with guidance: a written claim to the legal department', () => {
    given(created)
      .when(requestCoupon(change('FLOWN_NOT_USED_CLAIM', 'FLOWN', 'OPEN_FOR_USE')), asRequester)
      .thenRuleViolated(
        'coupon.flown-not-used-claim',
        "the passenger files a written claim with the carrier's legal department",
      );
  });

  it('§3.1 the two refusals come with their guidance even on an otherwise empty form', () => {
    given(created)
      .when(requestCoupon({ scenario: 'CHECKED_IN_OR_BOARDED' }), asRequester)
      .thenRuleViolated('coupon.checked-in-or-boarded');
    given(created)
      .when(requestCoupon({ scenario: 'FLOWN_NOT_USED_CLAIM' }), asRequester)
      .thenRuleViolated('coupon.flown-not-used-claim');
  });

  it('§3 MCO, fare classes and boarding pass belong to their scenario and are not recorded for others', () => {
    const data = accept(couponForm({ ...DOWNGRADE_EXTRA, ...CHECKIN_EXTRA }));
    expect(data).toMatchObject({ mcoNumber: null, fareClasses: null, boardingPass: null });
  });
});

describe('§3.2 registration, remark and retention', () => {
  const at = (iso: string) => ({ now: new Date(iso), actor: REQUESTER });

  it('§3.2 the registration number is N<k> from the allocated sequence', () => {
    expect(accept(couponForm(), asRequester, 1).registrationNumber).toBe('N1');
    expect(accept(couponForm(), asRequester, 1234).registrationNumber).toBe('N1234');
  });

  it('§3.2 remark RQST N<k> FR <D>/<MM>/<YY>: a single-digit day has no leading zero', () => {
    expect(T0.startsWith('2026-09-03')).toBe(true);
    expect(accept(couponForm(), at('2026-09-03T08:00:00Z'), 17).remark).toBe('RQST N17 FR 3/09/26');
  });

  it('§3.2 remark with a two-digit day and month', () => {
    expect(accept(couponForm(), at('2026-12-25T10:00:00Z'), 5).remark).toBe('RQST N5 FR 25/12/26');
  });

  it('§3.2 the remark date is the registration date in UTC', () => {
    // 2 September 23:30 UTC is already 3 September in Novosibirsk: the remark says 2/09.
    expect(accept(couponForm(), at('2026-09-02T23:30:00Z'), 9).remark).toBe('RQST N9 FR 2/09/26');
    expect(accept(couponForm(), at('2030-01-07T00:00:00Z'), 9).remark).toBe('RQST N9 FR 7/01/30');
  });

  it('§3.2 remark for DOWNGRADE_FARE_DIFFERENCE: RQST N<k> REF <from> TO <to>', () => {
    const form = change('DOWNGRADE_FARE_DIFFERENCE', 'FLOWN', 'CLOSED', {
      ...DOWNGRADE_EXTRA,
      fareClasses: { from: 'C', to: 'Y' },
    });
    expect(accept(form, at('2026-09-03T08:00:00Z'), 18).remark).toBe('RQST N18 REF C TO Y');
  });

  it('§3.2 retainUntil is the registration instant plus one calendar year', () => {
    expect(accept(couponForm(), at('2026-09-03T08:15:30.250Z')).retainUntil).toBe('2027-09-03T08:15:30.250Z');
    expect(accept(couponForm(), at('2027-03-01T00:00:00Z')).retainUntil).toBe('2028-03-01T00:00:00.000Z');
  });

  it('§3.2 retainUntil of a request registered on 29 February is 28 February of the next year', () => {
    expect(accept(couponForm(), at('2028-02-29T12:00:00Z')).retainUntil).toBe('2029-02-28T12:00:00.000Z');
  });
});
