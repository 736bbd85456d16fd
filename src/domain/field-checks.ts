/**
 * Field checks shared by the ticket's commands and the coupon request form. Each check records what
 * is wrong under the field's path and carries on, so a command reports every bad field at once.
 */
import { FieldError, InvalidInput } from './domain.errors';

/** Collects field errors; `throwIfAny` raises them together as one InvalidInput. */
export class FieldErrors {
  private readonly errors: FieldError[] = [];

  add(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  /** Records the error and returns null, so a check can `return errors.reject(path, message)`. */
  reject(path: string, message: string): null {
    this.add(path, message);
    return null;
  }

  has(path: string): boolean {
    return this.errors.some((e) => e.path === path);
  }

  throwIfAny(): void {
    if (this.errors.length > 0) throw new InvalidInput([...this.errors]);
  }
}

/** Absent, or nothing but whitespace. */
export const isBlank = (value: string | null | undefined): boolean => value == null || value.trim() === '';

/**
 * A required text: trimmed, then `min`–`max` characters. Returns the trimmed text, or null when invalid.
 * Texts are stored trimmed: leading and trailing blanks carry no meaning in a help-desk message.
 */
export function requiredText(
  errors: FieldErrors,
  path: string,
  value: string | null | undefined,
  max: number,
  min = 1,
): string | null {
  if (isBlank(value)) {
    errors.add(path, 'is required');
    return null;
  }
  const text = (value as string).trim();
  if (text.length < min) {
    errors.add(path, `must be at least ${min} characters (${text.length} given)`);
    return null;
  }
  if (text.length > max) {
    errors.add(path, `must be at most ${max} characters (${text.length} given)`);
    return null;
  }
  return text;
}

/** An optional text: null when absent or blank, else trimmed and at most `max` characters. */
export function optionalText(
  errors: FieldErrors,
  path: string,
  value: string | null | undefined,
  max: number,
): string | null {
  if (isBlank(value)) return null;
  return requiredText(errors, path, value, max);
}

/** PNR: 5–6 Latin or Cyrillic letters or digits, upper-cased (domain.md §1). */
const PNR = /^[A-Z0-9А-ЯЁ]{5,6}$/;

/** Checks a PNR given as text; returns it upper-cased, or null when invalid. */
export function pnr(errors: FieldErrors, path: string, value: string): string | null {
  const upper = value.trim().toUpperCase();
  if (!PNR.test(upper)) {
    errors.add(path, 'must be 5–6 Latin or Cyrillic letters or digits');
    return null;
  }
  return upper;
}

/** A document number as stored: without the spaces and hyphens agents often type (`421-2345678901`). */
export const documentNumber = (value: string): string => value.replace(/[\s-]/g, '');

/**
 * A 13-digit document number (e-ticket, MCO). Spaces and hyphens are dropped before the check; the
 * digits alone are stored, so searches normalise their text the same way (documentNumber).
 */
export function thirteenDigits(errors: FieldErrors, path: string, value: string): string | null {
  const digits = documentNumber(value);
  if (!/^\d{13}$/.test(digits)) {
    errors.add(path, 'must be 13 digits');
    return null;
  }
  return digits;
}

/** An ISO-8601 date-time; returns it normalised to UTC (`toISOString`), or null when invalid. */
export function isoInstant(errors: FieldErrors, path: string, value: string): string | null {
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(value.trim()) ? Date.parse(value.trim()) : NaN;
  if (Number.isNaN(ms)) {
    errors.add(path, 'must be an ISO-8601 date and time, e.g. 2026-09-03T10:15:00Z');
    return null;
  }
  return new Date(ms).toISOString();
}

/** A value from a fixed list; returns it, or null (recording an error) when it is not one of them. */
export function oneOf<T extends string>(
  errors: FieldErrors,
  path: string,
  value: string,
  allowed: readonly T[],
): T | null {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  errors.add(path, `must be one of ${allowed.join(', ')}`);
  return null;
}
