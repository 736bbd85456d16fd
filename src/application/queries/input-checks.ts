/**
 * Query inputs become filter documents only through these checks: every value is a typed scalar
 * (a string, an integer, a boolean, a valid instant, a member of an enum), never an object a caller
 * could have slipped an operator into.
 */
import { InvalidInput, type FieldError } from '../../domain/domain.errors';
import { TruncatedInstant } from '../../domain/field-checks';

/** Collects every bad field, then throws them at once (→ BAD_USER_INPUT). */
export class InputChecks {
  private readonly errors: FieldError[] = [];

  text(value: unknown, path: string): string {
    if (typeof value !== 'string') this.errors.push({ path, message: 'must be text' });
    return String(value);
  }

  texts(values: readonly unknown[], path: string): string[] {
    return values.map((value, i) => this.text(value, `${path}[${i}]`));
  }

  oneOf<T extends string>(values: readonly unknown[], allowed: readonly T[], path: string): T[] {
    values.forEach((value, i) => {
      if (!allowed.includes(value as T))
        this.errors.push({ path: `${path}[${i}]`, message: 'is not a known value' });
    });
    return values as T[];
  }

  flag(value: unknown, path: string): boolean {
    if (typeof value !== 'boolean') this.errors.push({ path, message: 'must be true or false' });
    return value === true;
  }

  /** The instant as an ISO-8601 string, the form the read models store. */
  instant(value: unknown, path: string): string {
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
      this.errors.push({ path, message: 'must be a valid date and time' });
      return '';
    }
    return value.toISOString();
  }

  /**
   * One clause for a half-open time range (`from` inclusive, `to` exclusive), or none when both are
   * absent: a single clause per field lets an index answer the range exactly.
   */
  timeRange(
    field: string,
    from: Date | null | undefined,
    to: Date | null | undefined,
    paths: [string, string],
  ): Record<string, unknown> {
    const range: Record<string, string> = {};
    // Stored instants are whole milliseconds: a bound given finer than that is rounded up, which keeps
    // both `>= from` and `< to` exact (`>= 03.2609` is `>= 03.261`).
    const bound = (value: Date): Date => {
      if (!(value instanceof TruncatedInstant)) return value;
      const next = new Date(value.getTime() + 1);
      // Not past the last millisecond of 9999: the year 10000 would not compare as text.
      return next.getUTCFullYear() > 9999 ? value : next;
    };
    if (from !== null && from !== undefined) range.$gte = this.instant(bound(from), paths[0]);
    if (to !== null && to !== undefined) range.$lt = this.instant(bound(to), paths[1]);
    // A reversed range matches nothing: said, rather than answered with an empty list a report takes for "none".
    if (range.$gte && range.$lt && Date.parse(range.$lt) < Date.parse(range.$gte)) {
      const fromName = paths[0].slice(paths[0].lastIndexOf('.') + 1);
      this.errors.push({ path: paths[1], message: `must not be before ${fromName} (the range is empty)` });
    }
    return Object.keys(range).length === 0 ? {} : { [field]: range };
  }

  /** `first`: 0 to `max`. */
  pageSize(value: unknown, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
      this.errors.push({ path: 'first', message: `must be an integer from 0 to ${max}` });
    }
    return Number(value);
  }

  /**
   * Runs a check of its own that may throw InvalidInput (a sort, a filter, a cursor): its bad fields join
   * these, so the caller hears of every one at once. Undefined when it failed.
   */
  step<T>(check: () => T): T | undefined {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      this.errors.push(...error.fields);
      return undefined;
    }
  }

  fail(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  /** Throws InvalidInput listing every bad field, if any. */
  done(): void {
    if (this.errors.length > 0) throw new InvalidInput(this.errors);
  }
}

/**
 * Drops absent entries, empty lists and blank texts, so `{ status: [] }` or `{ search: "" }` (a form's
 * empty box) filters nothing rather than everything: a desk sending its empty search box got no
 * tickets at all, and `pnr: ""` no coupon requests.
 */
export const present = <T>(value: T | null | undefined): value is T =>
  value !== null &&
  value !== undefined &&
  !(Array.isArray(value) && value.length === 0) &&
  !(typeof value === 'string' && value.trim() === '');
