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

const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Well-formed Unicode: no lone surrogate (every high surrogate followed by a low one, no low one alone).
 * A lone surrogate cannot be written as UTF-8: storage turns it into U+FFFD, so two different texts
 * would become one.
 */
export const isWellFormedText = (text: string): boolean =>
  !SURROGATE.test(text) || !LONE_SURROGATE.test(text);

/**
 * What a reader would not see: white space, invisible format characters (zero-width spaces, direction
 * marks), control characters (NUL…), and combining marks (an accent with no letter under it).
 */
const INVISIBLE = /[\s\p{Cf}\p{Cc}\p{M}]/gu;

/** Absent, or nothing but white space: for an optional field, not given. */
export const isBlank = (value: string | null | undefined): boolean => value == null || value.trim() === '';

/**
 * Nothing a reader would see: a subject of zero-width spaces, direction marks or lone accents is as
 * empty as one of spaces. (Only for texts: a PNR or a date of such characters is given, and wrong.)
 */
export const hasNothingVisible = (value: string): boolean => value.replace(INVISIBLE, '') === '';

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
  return checkedText(errors, path, value, max, min, false);
}

/**
 * A display text (a subject, a person's or an agency's name) made one line: each run of white space
 * holding a tab or a line break becomes one space. A mail gateway folds a long Subject header (CRLF and
 * a tab), and a name pasted from a form may carry a break; refusing them lost the ticket.
 */
export function flattened<T extends string | null | undefined>(value: T): T {
  return (typeof value === 'string' ? value.replace(BREAKS_WITH_SPACE, ' ') : value) as T;
}

/**
 * Tabs and line breaks: CR, LF, Unicode's line and paragraph separators, and the vertical tab and form
 * feed that pasted text uses as breaks (which a one-line field refuses as control characters first).
 */
const BREAK = '[\\t\\n\\r\\v\\f\\u2028\\u2029]';
const LINE_BREAK_OR_TAB = new RegExp(BREAK);
const BREAKS_WITH_SPACE = new RegExp(`\\s*${BREAK}\\s*`, 'g');

/**
 * A required text on one line: an id, a number, a code. Tabs and line breaks are refused too:
 * a token's `sub` may hold neither, so a requester id `k\n1` made a ticket no one could sign in to see.
 */
export function requiredLine(
  errors: FieldErrors,
  path: string,
  value: string | null | undefined,
  max: number,
): string | null {
  return checkedText(errors, path, value, max, 1, true);
}

function checkedText(
  errors: FieldErrors,
  path: string,
  value: string | null | undefined,
  max: number,
  min: number,
  oneLine: boolean,
): string | null {
  if (isBlank(value) || hasNothingVisible(value as string)) {
    errors.add(path, 'is required');
    return null;
  }
  const text = (value as string).trim();
  const control = controlCharacterIn(text);
  if (control !== null) {
    errors.add(
      path,
      `must not contain control characters (${control} found)${oneLine ? '' : '; tabs and line breaks are fine'}`,
    );
    return null;
  }
  if (oneLine && LINE_BREAK_OR_TAB.test(text)) {
    errors.add(path, 'must be on one line: no line breaks or tabs');
    return null;
  }
  const length = characters(text);
  if (length < min) {
    errors.add(path, `must be at least ${min} characters (${length} given)`);
    return null;
  }
  if (length > max) {
    errors.add(path, `must be at most ${max} characters (${length} given)`);
    return null;
  }
  return text;
}

/**
 * A text of several lines as its writer meant it: a vertical tab or a form feed is a line break to
 * whoever pasted it (Word's manual line break, a PDF's page break), kept as one. Only for texts of
 * lines (descriptions, comments, reasons): in a name or an id it stays a control character, refused.
 */
export function lines<T extends string | null | undefined>(value: T): T {
  return (typeof value === 'string' ? value.replaceAll('\v', '\n').replaceAll('\f', '\n') : value) as T;
}

/**
 * The first control character of a text (C0, DEL or C1) other than a tab or a line break (`U+0001`),
 * or null. No one
 * types them into a help-desk message; pasted binary junk made a ticket six times its size in every
 * answer (JSON writes each as six characters) and in the event log.
 */
export function controlCharacterIn(text: string): string | null {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if ((unit < 0x20 && unit !== 0x09 && unit !== 0x0a && unit !== 0x0d) || (unit >= 0x7f && unit <= 0x9f)) {
      return `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;
    }
  }
  return null;
}

/**
 * The characters (Unicode code points) of a text, as a person counts them: JavaScript's `length`
 * counts UTF-16 units, so an emoji or a rare CJK character would count twice.
 */
export function characters(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

/** An optional text: null when absent or blank, else trimmed and at most `max` characters. */
export function optionalText(
  errors: FieldErrors,
  path: string,
  value: string | null | undefined,
  max: number,
): string | null {
  return optional(errors, path, value, max, false);
}

/** An optional text on one line (see requiredLine). */
export function optionalLine(
  errors: FieldErrors,
  path: string,
  value: string | null | undefined,
  max: number,
): string | null {
  return optional(errors, path, value, max, true);
}

function optional(
  errors: FieldErrors,
  path: string,
  value: string | null | undefined,
  max: number,
  oneLine: boolean,
): string | null {
  if (isBlank(value)) return null;
  if (hasNothingVisible(value as string)) {
    // Given, but only invisible characters (zero-width spaces, marks): not silently dropped.
    errors.add(path, 'must contain visible characters, not only invisible ones');
    return null;
  }
  return checkedText(errors, path, value, max, 1, oneLine);
}

/**
 * PNR: 5–6 Latin or Cyrillic letters or digits, upper-cased (domain.md §1). Cyrillic is the basic block
 * (Russian and the other Cyrillic alphabets: І, Ї, Ў, Ђ…). The text is checked as typed, then
 * upper-cased: some letters grow when upper-cased (ß → SS, the ligature ﬃ → FFI), so checking the
 * upper-cased text would let a 4-character or non-Latin input through as a valid PNR.
 */
const PNR = /^[A-Za-z0-9\u0400-\u045f]{5,6}$/;

/** A PNR as stored, and as lookups must write it: trimmed, composed (a й typed as и + breve), upper-cased. */
export const storedPnr = (value: string): string => value.trim().normalize('NFC').toUpperCase();

/** Checks a PNR given as text; returns it as stored, or null when invalid. */
export function pnr(errors: FieldErrors, path: string, value: string): string | null {
  if (!PNR.test(value.trim().normalize('NFC'))) {
    errors.add(path, 'must be 5–6 Latin or Cyrillic letters or digits');
    return null;
  }
  return storedPnr(value);
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

/** `2026-09-03T10:15`, optional seconds and fraction, then `Z` or an offset such as `+03:00`. */
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/i;

/**
 * The instant an ISO-8601 date-time with a time zone names, in ms since the epoch, or null. The date
 * must exist, and the instant fall in the years 0000–9999 in UTC: `Date.parse` would move 30 February to 2 March and 24:00 to the next day without a word,
 * and a departure or an audit instant silently shifted is worse than a refusal.
 */
export function parseIsoDateTime(text: string): number | null {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second = 0, offsetHours = 0, offsetMinutes = 0] = [
    ...match.slice(1),
  ].map((part) => (part === undefined ? undefined : Number(part))) as number[];
  const daysInMonth = daysIn(year, month);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return null;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return null;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return null;
  // In UTC it must still be a year 0000–9999: `9999-12-31T23:00-05:00` is in the year 10000, whose ISO
  // text (`+010000-…`) sorts before every other, so stored instants compared as text turned around.
  const utcYear = new Date(ms).getUTCFullYear();
  return utcYear < 0 || utcYear > 9999 ? null : ms;
}

/**
 * An instant whose text had digits after the milliseconds (`…03.2609Z`), which a Date cannot hold: the
 * instant named is later than this Date by less than a millisecond. Stored instants are whole
 * milliseconds, so a range bound is rounded up (`createdAt >= 03.2609` is `createdAt >= 03.261`), while
 * an instant compared as "at or before" keeps the Date as it is.
 */
export class TruncatedInstant extends Date {}

/** Whether an ISO-8601 date-time names a fraction of a second finer than milliseconds (`.2609`, not `.2600`). */
export const hasDigitsBeyondMillisecond = (text: string): boolean => /\.\d{3}\d*[1-9]/.test(text);

/** Days in a month of the proleptic Gregorian calendar (Date.UTC would read years 0–99 as 1900–1999). */
function daysIn(year: number, month: number): number {
  const end = new Date(0);
  end.setUTCFullYear(year, month, 0);
  return end.getUTCDate();
}

/** An ISO-8601 date-time with a time zone; returns it normalised to UTC (`toISOString`), or null when invalid. */
export function isoInstant(errors: FieldErrors, path: string, value: string): string | null {
  const ms = parseIsoDateTime(value.trim());
  if (ms === null) {
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

/** The bytes `text` takes in UTF-8 (a pair of surrogates is one 4-byte character; a lone one takes 3). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
