/**
 * Aggregation expressions compiled to plain functions, for the embedded store's `$group` (statistics):
 * mingo interprets an expression tree per document, and `ticketStats` over 100,000 tickets took 3–6 s
 * here. The vocabulary is what the app's statistics use (field paths, literals, `$toDate`,
 * `$dateToString`, `$isoDayOfWeek`, arithmetic, comparisons, `$cond`, `$and`/`$or`/`$not`, `$in`,
 * `$isNumber`), each with MongoDB's meaning for the values it handles. Anything else is not compiled
 * (`compileExpression` answers null), and a value the compiled code is not sure about at run time (a
 * missing operand of a comparison, an ordering of two different types, a path through an array, a
 * string that is not an ISO date, a division by zero) throws `NotCompiled`: the caller then runs the
 * whole stage in mingo as before, so the compiled path only ever answers where the two agree.
 */
import { valueAt } from './value-order';

/** Thrown when a document meets a case the compiled code leaves to mingo. */
export class NotCompiled extends Error {
  constructor(reason: string) {
    super(`not compiled: ${reason}`);
  }
}

export type CompiledExpression = (doc: Record<string, unknown>) => unknown;

type Operator = (args: CompiledExpression[]) => CompiledExpression | null;

/** A function computing `expression` for a document, or null when the expression is outside the vocabulary. */
export function compileExpression(expression: unknown): CompiledExpression | null {
  if (typeof expression === 'string') {
    if (expression.startsWith('$$')) return null;
    if (expression.startsWith('$')) return fieldPath(expression.slice(1));
    return () => expression;
  }
  if (expression === null || typeof expression === 'number' || typeof expression === 'boolean') {
    return () => expression;
  }
  if (Array.isArray(expression)) {
    const items = compileAll(expression);
    // A missing element of an array is null in it (MongoDB).
    return items && ((doc) => items.map((item) => item(doc) ?? null));
  }
  if (typeof expression !== 'object' || expression instanceof Date) return null;
  const entries = Object.entries(expression as Record<string, unknown>);
  if (entries.length === 1 && entries[0][0].startsWith('$')) return compileOperator(...entries[0]);
  if (entries.some(([field]) => field.startsWith('$') || field.includes('.'))) return null;
  const fields = entries.map(([field, spec]) => [field, compileExpression(spec)] as const);
  if (fields.some(([, compiled]) => compiled === null)) return null;
  // An expression object leaves out the fields whose value is missing (as MongoDB and mingo do).
  return (doc) => {
    const out: Record<string, unknown> = {};
    for (const [field, compiled] of fields) {
      const value = compiled!(doc);
      if (value !== undefined) out[field] = value;
    }
    return out;
  };
}

function compileAll(expressions: readonly unknown[]): CompiledExpression[] | null {
  const compiled = expressions.map(compileExpression);
  return compiled.every((item) => item !== null) ? (compiled as CompiledExpression[]) : null;
}

/** A dotted path; missing is `undefined`. A path through an array (MongoDB maps over it) is left to mingo. */
function fieldPath(path: string): CompiledExpression | null {
  if (path === '' || path.split('.').some((part) => part === '')) return null;
  const parts = path.split('.');
  if (parts.length === 1) {
    return (doc) => {
      const value = doc[path];
      return value === undefined && Array.isArray(doc) ? notCompiled('array document') : value;
    };
  }
  return (doc) => {
    let current: unknown = doc;
    for (let i = 0; i < parts.length - 1; i++) {
      current = (current as Record<string, unknown>)[parts[i]];
      if (Array.isArray(current)) return notCompiled(`a path through an array (${path})`);
      if (current === null || typeof current !== 'object' || current instanceof Date) return undefined;
    }
    return valueAt(current, parts[parts.length - 1]);
  };
}

function notCompiled(reason: string): never {
  throw new NotCompiled(reason);
}

function compileOperator(name: string, spec: unknown): CompiledExpression | null {
  if (name === '$literal') return () => spec;
  // These two take a document of named arguments (or, $cond, an array), compiled by themselves.
  if (name === '$dateToString') return dateToString(spec);
  if (name === '$cond') return cond(spec);
  if (name === '$toDate') return sharedToDate(spec);
  const operator = Object.hasOwn(OPERATORS, name) ? OPERATORS[name] : undefined;
  const args = operator === undefined ? null : compileAll(Array.isArray(spec) ? spec : [spec]);
  return operator === undefined || args === null ? null : operator(args);
}

const isNullish = (value: unknown): value is null | undefined => value === null || value === undefined;

/** Aggregation truthiness: false, null, missing and 0 are false; everything else is true. */
export function truthy(value: unknown): boolean {
  if (typeof value === 'number') return Number.isNaN(value) ? notCompiled('NaN as a condition') : value !== 0;
  return !(value === false || isNullish(value));
}

/** A date alone (`2026-03-01`, midnight UTC in both MongoDB and JavaScript). */
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `toISOString`'s shape, checked without the regular expression (the stored times all have it). */
const isCanonicalIso = (text: string): boolean =>
  text.length === 24 && text[4] === '-' && text[10] === 'T' && text[19] === '.' && text[23] === 'Z';

/**
 * Only texts whose meaning is sure: `toISOString`'s own shape, or a date alone, naming a real instant
 * (written back the same). Others are left to mingo: JavaScript reads a time without an offset as
 * local time where MongoDB reads UTC, and moves 30 February to March where MongoDB refuses it.
 */
function toDate(value: unknown): Date | null {
  if (isNullish(value)) return null;
  if (value instanceof Date) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value);
  if (typeof value === 'string' && (isCanonicalIso(value) || ISO_DAY.test(value))) {
    const date = new Date(Date.parse(value));
    if (!Number.isNaN(date.getTime()) && date.toISOString().startsWith(value.slice(0, 23))) return date;
  }
  return notCompiled(`$toDate of ${typeof value}`);
}

function requireDate(value: unknown, operator: string): Date {
  return value instanceof Date ? value : notCompiled(`${operator} of a ${typeof value}`);
}

function requireNumber(value: unknown, operator: string): number {
  return typeof value === 'number' ? value : notCompiled(`${operator} of a ${typeof value}`);
}

const unary =
  (compute: (value: unknown) => unknown): Operator =>
  (args) =>
    args.length === 1 ? (doc) => compute(args[0](doc)) : null;

const binary =
  (compute: (a: unknown, b: unknown) => unknown): Operator =>
  (args) =>
    args.length === 2 ? (doc) => compute(args[0](doc), args[1](doc)) : null;

/** Values comparable for equality here: null, numbers, strings, booleans and dates. */
function scalarRank(value: unknown): number {
  if (value === null) return 1;
  if (typeof value === 'number') return Number.isNaN(value) ? notCompiled('NaN compared') : 2;
  if (typeof value === 'string') return 3;
  if (typeof value === 'boolean') return 8;
  if (value instanceof Date) return 9;
  return notCompiled(value === undefined ? 'a missing value compared' : `a ${typeof value} compared`);
}

function equal(a: unknown, b: unknown): boolean {
  const rank = scalarRank(a);
  if (rank !== scalarRank(b)) return false;
  return rank === 9 ? (a as Date).getTime() === (b as Date).getTime() : a === b;
}

/** Characters past U+FFFF, which JavaScript orders by UTF-16 units and MongoDB by UTF-8 bytes. */
const ASTRAL = /[\ud800-\udfff]/;

/** The order of two values of one type; values of different types are left to mingo. */
function order(a: unknown, b: unknown): number {
  const rank = scalarRank(a);
  if (rank !== scalarRank(b)) return notCompiled('values of different types ordered');
  if (rank === 1) return 0;
  if (rank === 3 && (ASTRAL.test(a as string) || ASTRAL.test(b as string))) {
    return notCompiled('texts with characters past U+FFFF ordered');
  }
  const x = rank === 9 ? (a as Date).getTime() : (a as number | string | boolean);
  const y = rank === 9 ? (b as Date).getTime() : (b as number | string | boolean);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `$add`: numbers, with at most one date (the result is then a date); null when any is null or missing. */
const add: Operator = (args) => (doc) => {
  let sum = 0;
  let date = false;
  for (const arg of args) {
    const value = arg(doc);
    if (isNullish(value)) return null;
    if (value instanceof Date && !date) {
      date = true;
      sum += value.getTime();
    } else sum += requireNumber(value, '$add');
  }
  return date ? new Date(sum) : sum;
};

const multiply: Operator = (args) => (doc) => {
  let product = 1;
  for (const arg of args) {
    const value = arg(doc);
    if (isNullish(value)) return null;
    product *= requireNumber(value, '$multiply');
  }
  return product;
};

const subtract = binary((a, b) => {
  if (isNullish(a) || isNullish(b)) return null;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (a instanceof Date) return new Date(a.getTime() - requireNumber(b, '$subtract'));
  return requireNumber(a, '$subtract') - requireNumber(b, '$subtract');
});

const divide = binary((a, b) => {
  if (isNullish(a) || isNullish(b)) return null;
  const divisor = requireNumber(b, '$divide');
  return divisor === 0 ? notCompiled('division by zero') : requireNumber(a, '$divide') / divisor;
});

function cond(spec: unknown): CompiledExpression | null {
  let parts: unknown[];
  if (Array.isArray(spec)) parts = spec;
  else if (spec === null || typeof spec !== 'object') return null;
  else {
    const { if: test, then, else: otherwise, ...rest } = spec as Record<string, unknown>;
    if (Object.keys(rest).length > 0) return null;
    parts = [test, then, otherwise];
  }
  const compiled = parts.length === 3 ? compileAll(parts) : null;
  if (!compiled) return null;
  const [test, then, otherwise] = compiled;
  return (doc) => (truthy(test(doc)) ? then(doc) : otherwise(doc));
}

const inArray = binary((value, list) => {
  if (!Array.isArray(list)) return notCompiled('$in of a non-array');
  return list.some((item) => equal(value, item));
});

/** UTC date parts as `$dateToString` writes them (no `timezone` or `onNull`: those are left to mingo). */
const DATE_PARTS: Record<string, (date: Date) => string> = {
  Y: (d) => String(d.getUTCFullYear()).padStart(4, '0'),
  m: (d) => String(d.getUTCMonth() + 1).padStart(2, '0'),
  d: (d) => String(d.getUTCDate()).padStart(2, '0'),
  H: (d) => String(d.getUTCHours()).padStart(2, '0'),
  M: (d) => String(d.getUTCMinutes()).padStart(2, '0'),
  S: (d) => String(d.getUTCSeconds()).padStart(2, '0'),
  L: (d) => String(d.getUTCMilliseconds()).padStart(3, '0'),
  j: (d) =>
    String(
      (utcDay(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - utcDay(d.getUTCFullYear(), 0, 1)) /
        86_400_000 +
        1,
    ).padStart(3, '0'),
  u: (d) => String(isoDayOfWeek(d)),
  V: (d) => String(isoWeek(d).week).padStart(2, '0'),
  G: (d) => {
    const { year } = isoWeek(d);
    return writableYear(year) ? String(year).padStart(4, '0') : notCompiled('a year outside 0–9999');
  },
  '%': () => '%',
};

/** MongoDB's `$dateToString` writes years 0–9999 only (it refuses others). */
const writableYear = (year: number): boolean => year >= 0 && year <= 9999;

function isoDayOfWeek(date: Date): number {
  return date.getUTCDay() || 7;
}

/** Midnight UTC of a day (`Date.UTC` would read years 0–99 as 1900–1999). */
function utcDay(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  return date.getTime();
}

/** The ISO week: weeks start on Monday, and week 1 holds the year's first Thursday. */
function isoWeek(date: Date): { year: number; week: number } {
  const thursday = utcDay(
    date.getUTCFullYear(),
    date.getUTCMonth(),
    date.getUTCDate() + 4 - isoDayOfWeek(date),
  );
  const year = new Date(thursday).getUTCFullYear();
  return { year, week: Math.floor((thursday - utcDay(year, 0, 1)) / 604_800_000) + 1 };
}

function dateToString(spec: unknown): CompiledExpression | null {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return null;
  const { format, date, ...rest } = spec as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || typeof format !== 'string') return null;
  const pieces: Array<string | ((date: Date) => string)> = [];
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== '%') pieces.push(format[i]);
    else {
      const part = DATE_PARTS[format[++i]];
      if (!part) return null;
      pieces.push(part);
    }
  }
  const compiledDate = compileExpression(date);
  if (!compiledDate) return null;
  return (doc) => {
    const value = compiledDate(doc);
    if (isNullish(value)) return null;
    const at = requireDate(value, '$dateToString');
    if (Number.isNaN(at.getTime())) return notCompiled('an invalid date');
    // MongoDB refuses to write years outside 0–9999; mingo decides those.
    if (!writableYear(at.getUTCFullYear())) return notCompiled('a year outside 0–9999');
    let text = '';
    for (const piece of pieces) text += typeof piece === 'string' ? piece : piece(at);
    return text;
  };
}

/**
 * `$toDate` remembers its last document's answer: the statistics convert `createdAt` up to four times
 * per ticket (day, week, month), and parsing it is most of their cost. (Dates are never modified.)
 */
const toDateOnce: Operator = (args) => {
  if (args.length !== 1) return null;
  let lastDoc: Record<string, unknown> | null = null;
  let lastDate: Date | null = null;
  return (doc) => {
    if (doc !== lastDoc) {
      lastDate = toDate(args[0](doc));
      lastDoc = doc;
    }
    return lastDate;
  };
};

/** One remembering `$toDate` per argument, shared by every place an expression converts it. */
const toDates = new Map<string, CompiledExpression | null>();

function sharedToDate(spec: unknown): CompiledExpression | null {
  const text = JSON.stringify(spec);
  let compiled = toDates.get(text);
  if (compiled === undefined) {
    const args = compileAll(Array.isArray(spec) ? spec : [spec]);
    compiled = args && toDateOnce(args);
    // The app's statistics convert a handful of fields; anything beyond is not worth keeping.
    if (toDates.size < 64) toDates.set(text, compiled);
  }
  return compiled;
}

const OPERATORS: Record<string, Operator> = {
  $isoDayOfWeek: unary((value) =>
    isNullish(value) ? null : isoDayOfWeek(requireDate(value, '$isoDayOfWeek')),
  ),
  $add: add,
  $multiply: multiply,
  $subtract: subtract,
  $divide: divide,
  $eq: binary(equal),
  $ne: binary((a, b) => !equal(a, b)),
  $gt: binary((a, b) => order(a, b) > 0),
  $gte: binary((a, b) => order(a, b) >= 0),
  $lt: binary((a, b) => order(a, b) < 0),
  $lte: binary((a, b) => order(a, b) <= 0),
  $in: inArray,
  $and: (args) => (doc) => args.every((arg) => truthy(arg(doc))),
  $or: (args) => (doc) => args.some((arg) => truthy(arg(doc))),
  $not: unary((value) => !truthy(value)),
  $isNumber: unary((value) => typeof value === 'number'),
};
