/** The domain's typed errors. The GraphQL layer maps them to error codes in one place. */

/** One bad input field, by its path in the command (`agent.lastName`, `couponNumbers`, …). */
export interface FieldError {
  path: string;
  message: string;
}

/** Input that is missing or malformed: every bad field, at once (→ BAD_USER_INPUT). */
export class InvalidInput extends Error {
  constructor(readonly fields: FieldError[]) {
    // A finding about the request as a whole (the empty path) reads as its message alone.
    super(`Invalid input: ${fields.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join('; ')}`);
    this.name = 'InvalidInput';
  }
}

/**
 * A command that breaks a rule of domain.md (→ RULE_VIOLATED). `rule` is a stable id such as
 * `solution.not-allowed-in-status` or `coupon.checked-in-or-boarded` (all listed in rules.ts); `guidance` tells the user what to do instead.
 */
export class RuleViolated extends Error {
  constructor(
    readonly rule: string,
    message: string,
    readonly guidance: string | null = null,
  ) {
    super(message);
    this.name = 'RuleViolated';
  }
}
