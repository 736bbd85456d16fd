/**
 * The coupon status change request (domain.md §3): which changes each scenario allows, the two
 * scenarios refused with guidance, and the form's fields, all checked at once.
 *
 * Order of the checks: refusals first, field errors after. A refused scenario (CHECKED_IN_OR_BOARDED,
 * FLOWN_NOT_USED_CLAIM) or a (scenario, from, to) combination the table does not allow can never be
 * accepted, however well the rest of the form is filled in; telling the agent at once — with the
 * guidance or the allowed changes — spares them completing a form that is bound to be refused.
 * Only a request that could be accepted is then checked field by field, every bad field reported.
 */
import { couponRemark, registrationNumber, retainUntil } from './coupon-registration';
import {
  characters,
  FieldErrors,
  flattened,
  isBlank,
  lines,
  oneOf,
  optionalLine,
  optionalText,
  pnr,
  requiredLine,
  requiredText,
  thirteenDigits,
} from './field-checks';
import { violated, type RuleId } from './rules';
import type { CouponRequestForm } from './ticket.commands';
import type { CouponStatusChangeRequestedData } from './ticket.events';
import {
  COUPON_SCENARIOS,
  COUPON_STATUSES,
  type BoardingPass,
  type CouponChangeScenario,
  type CouponStatus,
  type FareClasses,
} from './ticket.types';

type RefusedScenario = 'CHECKED_IN_OR_BOARDED' | 'FLOWN_NOT_USED_CLAIM';
export type AcceptedScenario = Exclude<CouponChangeScenario, RefusedScenario>;

/** Allowed changes per scenario (domain.md §3.1). */
export const SCENARIO_CHANGES: Record<
  AcceptedScenario,
  { from: readonly CouponStatus[]; to: readonly CouponStatus[] }
> = {
  UNAVAILABLE_REFUND: { from: ['UNAVAILABLE_EXCHANGE_ONLY'], to: ['OPEN_FOR_USE'] },
  STATUS_NOT_UPDATED_AFTER_OPERATION: { from: ['OPEN_FOR_USE'], to: ['REFUNDED', 'EXCHANGED', 'VOIDED'] },
  DOWNGRADE_FARE_DIFFERENCE: { from: ['FLOWN', 'BOARDED'], to: ['CLOSED'] },
  CHECKIN_STATUS_NOT_UPDATED: { from: ['OPEN_FOR_USE'], to: ['SUSPENDED'] },
  PARTIALLY_USED_TKP_BLANK: { from: ['BOARDED'], to: ['FLOWN'] },
  ERRONEOUS_REFUND: { from: ['REFUNDED'], to: ['OPEN_FOR_USE'] },
  INTERLINE_STOCK: { from: COUPON_STATUSES.filter((s) => s !== 'BOARDED'), to: ['BOARDED'] },
};

/** Scenarios refused with guidance instead of accepted (domain.md §3.1), in domain.md's words. */
export const REFUSED_SCENARIOS: Record<RefusedScenario, { rule: RuleId; message: string; guidance: string }> =
  {
    CHECKED_IN_OR_BOARDED: {
      rule: 'coupon.checked-in-or-boarded',
      message: 'A checked-in or boarded coupon is not changed for a refund or exchange.',
      guidance: "send the passenger to the carrier's representative to cancel check-in or boarding",
    },
    FLOWN_NOT_USED_CLAIM: {
      rule: 'coupon.flown-not-used-claim',
      message: 'A flown coupon the passenger says was not used is not changed on request.',
      guidance: "the passenger files a written claim with the carrier's legal department",
    },
  };

const isRefused = (s: CouponChangeScenario): s is RefusedScenario => s in REFUSED_SCENARIOS;

/** The allowed changes of a scenario in words, e.g. `OPEN_FOR_USE → REFUNDED, EXCHANGED or VOIDED`. */
export function describeAllowedChanges(scenario: AcceptedScenario): string {
  const { from, to } = SCENARIO_CHANGES[scenario];
  const list = (xs: readonly string[]) =>
    xs.length === 1 ? xs[0] : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`;
  if (scenario === 'INTERLINE_STOCK') return `any status except BOARDED → ${list(to)}`;
  return `${list(from)} → ${list(to)}`;
}

/**
 * Letters of other alphabets that look like Latin ones, folded to them only to compare a description
 * with the phrases below, so a Latin "C" typed into "Сбой" or a Cyrillic "е" in "system" changes
 * nothing. Comparing is case-insensitive, so a pair counts when either case looks alike (В/B, Н/H).
 */
const LOOKALIKE_LETTERS = 'авекмнорстухіјѕαεικνορτυχ';
const LATIN_LETTERS = 'abekmhopctyxijsaeikvoptyx';
const LOOKALIKE = new RegExp(`[${LOOKALIKE_LETTERS}]`, 'g');
const toLatin = (letter: string): string => LATIN_LETTERS[LOOKALIKE_LETTERS.indexOf(letter)];

/**
 * A text as the "system failure" rule compares it: compatibility-composed (a decomposed й or a
 * full-width letter is the letter), without invisible format characters (zero-width spaces, joiners),
 * lower-cased, punctuation and symbols as spaces, look-alike letters folded, spaces collapsed.
 */
function failureSkeleton(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\p{Cf}+/gu, '')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(LOOKALIKE, toLatin)
    .replace(/\s+/g, ' ')
    .trim();
}

/** Phrases that say nothing but "system failure" (domain.md §3), as `failureSkeleton` compares them. */
const SYSTEM_FAILURE_PHRASES = new Set(
  ['сбой в системе', 'сбой системы', 'сбой', 'system failure', 'system error'].map(failureSkeleton),
);

/**
 * Whether a description, trimmed, lower-cased and stripped of punctuation, is merely "system failure".
 * Invisible characters, decomposed letters and look-alike letters of another alphabet do not make it
 * say more (see `failureSkeleton`).
 */
export function isSystemFailureOnly(description: string): boolean {
  return SYSTEM_FAILURE_PHRASES.has(failureSkeleton(description));
}

const MIN_DESCRIPTION = 20;
const SHORT_TEXT = 200;
const LONG_TEXT = 10_000;

/** An accepted request as the event records it, without occurredAt and actor. */
export type CouponRequestRecord = Omit<CouponStatusChangeRequestedData, 'occurredAt' | 'actor'>;

/**
 * Checks a request form and registers it as number `N<seq>` at `registeredAt`. Throws RuleViolated
 * for a refused scenario or a change the scenario does not allow, else InvalidInput listing every
 * missing or invalid field.
 */
export function acceptCouponRequest(
  form: CouponRequestForm,
  seq: number,
  registeredAt: Date,
): CouponRequestRecord {
  if (!Number.isInteger(seq) || seq < 1)
    throw new RangeError(`Registration sequence must be ≥ 1, got ${seq}`);
  refuseImpossibleChange(form);

  const errors = new FieldErrors();
  const scenario = form.scenario
    ? (oneOf(errors, 'scenario', form.scenario, COUPON_SCENARIOS) as AcceptedScenario | null)
    : errors.reject('scenario', 'is required');
  const status = (path: 'fromStatus' | 'toStatus'): CouponStatus | null => {
    const value = form[path];
    if (!value) return errors.reject(path, 'is required');
    return oneOf(errors, path, value, COUPON_STATUSES);
  };
  const fromStatus = status('fromStatus');
  const toStatus = status('toStatus');
  const agent = form.agent ?? {};
  const agency = form.agency ?? {};

  const record = {
    pnr: isBlank(form.pnr) ? errors.reject('pnr', 'is required') : pnr(errors, 'pnr', form.pnr as string),
    eTicketNumber: isBlank(form.eTicketNumber)
      ? errors.reject('eTicketNumber', 'is required')
      : thirteenDigits(errors, 'eTicketNumber', form.eTicketNumber as string),
    couponNumbers: couponNumbers(errors, form.couponNumbers),
    passengerName: requiredText(errors, 'passengerName', flattened(form.passengerName), SHORT_TEXT),
    description: description(errors, form.description),
    agent: {
      lastName: requiredText(errors, 'agent.lastName', flattened(agent.lastName), SHORT_TEXT),
      firstName: requiredText(errors, 'agent.firstName', flattened(agent.firstName), SHORT_TEXT),
      middleName: optionalText(errors, 'agent.middleName', flattened(agent.middleName), SHORT_TEXT),
      referenceNumber: requiredLine(errors, 'agent.referenceNumber', agent.referenceNumber, SHORT_TEXT),
    },
    agency: {
      name: requiredText(errors, 'agency.name', flattened(agency.name), SHORT_TEXT),
      validatorNumber: requiredLine(errors, 'agency.validatorNumber', agency.validatorNumber, SHORT_TEXT),
      address: requiredText(errors, 'agency.address', lines(agency.address), LONG_TEXT),
      contacts: requiredText(errors, 'agency.contacts', lines(agency.contacts), LONG_TEXT),
    },
  };
  // MCO, fare classes and boarding pass belong to one scenario each; for the others they are ignored.
  const downgrade = scenario === 'DOWNGRADE_FARE_DIFFERENCE';
  const mcoNumber = downgrade ? mco(errors, form.mcoNumber) : null;
  const fareClasses = downgrade ? fareClassesOf(errors, form.fareClasses) : null;
  const boardingPass =
    scenario === 'CHECKIN_STATUS_NOT_UPDATED' ? boardingPassOf(errors, form.boardingPass) : null;
  errors.throwIfAny();

  // All checked above: nothing here is null any more.
  const accepted = scenario as AcceptedScenario;
  return {
    registrationNumber: registrationNumber(seq),
    registrationSeq: seq,
    pnr: record.pnr as string,
    eTicketNumber: record.eTicketNumber as string,
    couponNumbers: record.couponNumbers as number[],
    passengerName: record.passengerName as string,
    scenario: accepted,
    fromStatus: fromStatus as CouponStatus,
    toStatus: toStatus as CouponStatus,
    description: record.description as string,
    agent: { ...record.agent } as CouponRequestRecord['agent'],
    agency: { ...record.agency } as CouponRequestRecord['agency'],
    mcoNumber,
    fareClasses,
    boardingPass,
    remark: couponRemark(seq, registeredAt, accepted, fareClasses),
    salesControlViolation: accepted === 'ERRONEOUS_REFUND',
    deferredUntilFlown: downgrade && fromStatus === 'BOARDED',
    retainUntil: retainUntil(registeredAt),
  };
}

/** Refuses a refused scenario, or a known (scenario, from, to) the table does not allow. */
function refuseImpossibleChange(form: CouponRequestForm): void {
  const { scenario, fromStatus, toStatus } = form;
  if (!scenario || !(COUPON_SCENARIOS as readonly string[]).includes(scenario)) return;
  if (isRefused(scenario)) {
    const refusal = REFUSED_SCENARIOS[scenario];
    throw violated(refusal.rule, refusal.message, refusal.guidance);
  }
  const known = (s: CouponStatus | null | undefined): s is CouponStatus =>
    !!s && (COUPON_STATUSES as readonly string[]).includes(s);
  if (!known(fromStatus) || !known(toStatus)) return;
  const allowed = SCENARIO_CHANGES[scenario];
  if (allowed.from.includes(fromStatus) && allowed.to.includes(toStatus)) return;
  throw violated(
    'coupon.scenario-not-allowed',
    `Scenario ${scenario} does not allow ${fromStatus} → ${toStatus}; it allows ${describeAllowedChanges(scenario)}.`,
  );
}

function couponNumbers(errors: FieldErrors, value: number[] | null | undefined): number[] | null {
  if (!value || value.length === 0) return errors.reject('couponNumbers', 'is required: one to four coupons');
  // Every problem of the list at once, each coupon by its place (`couponNumbers[1]`, as GraphQL names a
  // value of the wrong type there), so a form can mark the very entry.
  let bad = false;
  if (value.length > 4) {
    bad = true;
    errors.add('couponNumbers', `must list at most four coupons (${value.length} given)`);
  }
  const seen = new Set<number>();
  value.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 1 || n > 4) {
      bad = true;
      errors.add(`couponNumbers[${i}]`, 'must be a coupon number from 1 to 4');
    } else if (seen.has(n)) {
      bad = true;
      errors.add(`couponNumbers[${i}]`, `repeats coupon ${n}`);
    }
    seen.add(n);
  });
  return bad ? null : [...value];
}

function description(errors: FieldErrors, value: string | null | undefined): string | null {
  if (isBlank(value)) return errors.reject('description', 'is required');
  if (isSystemFailureOnly(value as string)) {
    errors.add('description', 'must describe what happened: "system failure" alone does not say what to fix');
    return null;
  }
  const text = requiredText(errors, 'description', lines(value), LONG_TEXT, MIN_DESCRIPTION);
  // Invisible format characters (zero-width spaces and the like) do not make a description longer.
  const visible = text === null ? MIN_DESCRIPTION : characters(text.replace(/\p{Cf}+/gu, ''));
  if (visible < MIN_DESCRIPTION) {
    errors.add('description', `must be at least ${MIN_DESCRIPTION} visible characters (${visible} given)`);
    return null;
  }
  return text;
}

function mco(errors: FieldErrors, value: string | null | undefined): string | null {
  if (isBlank(value)) return errors.reject('mcoNumber', 'is required for DOWNGRADE_FARE_DIFFERENCE');
  return thirteenDigits(errors, 'mcoNumber', value as string);
}

function fareClassesOf(errors: FieldErrors, value: CouponRequestForm['fareClasses']): FareClasses | null {
  const fareClass = (path: string, v: string | null | undefined): string | null => {
    if (isBlank(v)) return errors.reject(path, 'is required for DOWNGRADE_FARE_DIFFERENCE');
    const letter = (v as string).trim().toUpperCase();
    if (!/^\p{L}$/u.test(letter)) return errors.reject(path, 'must be one letter');
    return letter;
  };
  const from = fareClass('fareClasses.from', value?.from);
  const to = fareClass('fareClasses.to', value?.to);
  return from !== null && to !== null ? { from, to } : null;
}

function boardingPassOf(errors: FieldErrors, value: CouponRequestForm['boardingPass']): BoardingPass | null {
  const pass = {
    checkInNumber: optionalLine(errors, 'boardingPass.checkInNumber', value?.checkInNumber, SHORT_TEXT),
    seat: optionalLine(errors, 'boardingPass.seat', value?.seat, SHORT_TEXT),
    other: optionalText(errors, 'boardingPass.other', lines(value?.other), LONG_TEXT),
  };
  if (isBlank(value?.checkInNumber) && isBlank(value?.seat) && isBlank(value?.other)) {
    return errors.reject(
      'boardingPass',
      'is required for CHECKIN_STATUS_NOT_UPDATED: a check-in number, seat or other text',
    );
  }
  return errors.has('boardingPass.checkInNumber') ||
    errors.has('boardingPass.seat') ||
    errors.has('boardingPass.other')
    ? null
    : pass;
}
