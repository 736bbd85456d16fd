import { Document, ObjectId } from 'bson';

/** True for documents (plain objects), false for arrays, dates and BSON value classes such as ObjectId. */
export function isDocument(value: unknown): value is Document {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Deep copy of a stored value. BSON value classes (ObjectId, Long, Decimal128, Binary, …) are immutable in
 * practice and shared; dates are mutable and copied.
 */
export function cloneValue<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => cloneValue(item)) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (isDocument(value)) {
    const copy: Document = {};
    for (const [key, item] of Object.entries(value)) copy[key] = cloneValue(item);
    return copy as T;
  }
  return value;
}

function bsonClassName(value: object): string {
  const tag = (value as { _bsontype?: unknown })._bsontype;
  return typeof tag === 'string' ? tag : (value.constructor?.name ?? 'Object');
}

/**
 * A string that is equal for two values exactly when MongoDB considers them the same key: numbers of any
 * BSON numeric type compare by value, documents compare field by field in order.
 */
export function canonicalKey(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return `n:${Object.is(value, -0) ? 0 : value}`;
  if (typeof value === 'bigint') return `n:${value}`;
  if (typeof value === 'string') return `s:${JSON.stringify(value)}`;
  if (typeof value === 'boolean') return `b:${value}`;
  if (value instanceof Date) return `d:${value.getTime()}`;
  if (value instanceof RegExp) return `r:${value.source}/${value.flags}`;
  if (Array.isArray(value)) return `a:[${value.map(canonicalKey).join(',')}]`;
  if (isDocument(value)) {
    const fields = Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}:${canonicalKey(item)}`);
    return `o:{${fields.join(',')}}`;
  }
  const name = bsonClassName(value as object);
  if (name === 'Long' || name === 'Int32' || name === 'Double') return `n:${String(value)}`;
  if (name === 'ObjectId') return `oid:${(value as ObjectId).toHexString()}`;
  return `${name}:${String(value)}`;
}

/** MongoDB equality between two stored values (see {@link canonicalKey}). */
export function sameValue(left: unknown, right: unknown): boolean {
  return canonicalKey(left) === canonicalKey(right);
}

/**
 * Every value found at a dotted path, descending into arrays the way MongoDB builds multikey index keys
 * and `distinct` results: an array at the end of the path contributes each of its elements.
 */
export function valuesAtPath(document: unknown, path: string): unknown[] {
  const [head, ...rest] = path.split('.');
  if (Array.isArray(document)) {
    const index = /^\d+$/.test(head) ? Number(head) : -1;
    if (index >= 0 && index < document.length) {
      return rest.length === 0 ? spread(document[index]) : valuesAtPath(document[index], rest.join('.'));
    }
    return document.flatMap((element) => (isDocument(element) ? valuesAtPath(element, path) : []));
  }
  if (!isDocument(document) || !(head in document)) return [];
  const value = document[head];
  return rest.length === 0 ? spread(value) : valuesAtPath(value, rest.join('.'));
}

function spread(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** True when the dotted path leads to a value (even null), false when some field on the way is missing. */
export function hasPath(document: unknown, path: string): boolean {
  const [head, ...rest] = path.split('.');
  if (Array.isArray(document)) return document.some((element) => hasPath(element, path));
  if (!isDocument(document) || !(head in document)) return false;
  return rest.length === 0 || hasPath(document[head], rest.join('.'));
}

/** Sets a dotted path on a document, creating intermediate documents as MongoDB does for upserts. */
export function setPath(document: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let target: Document = document;
  for (const part of parts.slice(0, -1)) {
    if (!isDocument(target[part])) target[part] = {};
    target = target[part] as Document;
  }
  target[parts[parts.length - 1]] = value;
}

/** Renders a value the way the mongo shell prints it, for error messages such as `dup key: { … }`. */
export function renderValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (Array.isArray(value)) return `[ ${value.map(renderValue).join(', ')} ]`;
  if (isDocument(value)) return renderDocument(value);
  const name = bsonClassName(value as object);
  if (name === 'ObjectId') return `ObjectId('${(value as ObjectId).toHexString()}')`;
  return `${name}(${JSON.stringify(String(value))})`;
}

/** Renders a document as the mongo shell prints it: `{ a: 1, b: "x" }`. */
export function renderDocument(document: Document): string {
  const fields = Object.entries(document).map(([key, value]) => `${key}: ${renderValue(value)}`);
  return fields.length === 0 ? '{}' : `{ ${fields.join(', ')} }`;
}
