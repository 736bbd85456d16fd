import { Binary, Decimal128, Document, Long, ObjectId, Timestamp } from 'bson';
import { isDocument, valuesAtPath } from './values';

/**
 * Rank of each BSON type in MongoDB's comparison order (numbers of every type rank together).
 * https://www.mongodb.com/docs/manual/reference/bson-type-comparison-order/
 */
function typeRank(value: unknown): number {
  if (value === undefined || value === null) return 2;
  if (
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    Long.isLong(value) ||
    value instanceof Decimal128
  ) {
    return 3;
  }
  if (typeof value === 'string') return 4;
  if (Array.isArray(value)) return 6;
  if (isDocument(value)) return 5;
  if (value instanceof Binary) return 7;
  if (value instanceof ObjectId) return 8;
  if (typeof value === 'boolean') return 9;
  if (value instanceof Date) return 10;
  if (value instanceof Timestamp) return 11;
  if (value instanceof RegExp) return 12;
  const tag = (value as { _bsontype?: string })._bsontype;
  if (tag === 'MinKey') return 1;
  if (tag === 'MaxKey') return 13;
  return 5;
}

function numeric(value: unknown): number {
  if (Long.isLong(value)) return value.toNumber();
  if (value instanceof Decimal128) return Number(value.toString());
  return Number(value);
}

function sign(difference: number): number {
  return difference < 0 ? -1 : difference > 0 ? 1 : 0;
}

/** Compares two values as MongoDB does: first by type rank, then within the type. */
export function compareBson(left: unknown, right: unknown): number {
  const rank = typeRank(left) - typeRank(right);
  if (rank !== 0) return sign(rank);
  if (left === null || left === undefined) return 0;
  if (Long.isLong(left) && Long.isLong(right)) return left.compare(right);
  if (typeRank(left) === 3) return sign(numeric(left) - numeric(right));
  if (typeof left === 'string') return Buffer.compare(Buffer.from(left), Buffer.from(right as string));
  if (typeof left === 'boolean') return sign(Number(left) - Number(right));
  if (left instanceof Date) return sign(left.getTime() - (right as Date).getTime());
  if (left instanceof ObjectId) return Buffer.compare(left.id, (right as ObjectId).id);
  if (left instanceof Binary) return compareBinary(left, right as Binary);
  if (left instanceof Timestamp) return left.compare(right as Timestamp);
  if (left instanceof RegExp) return compareBson(left.source, (right as RegExp).source);
  if (Array.isArray(left)) return compareSequences(left, right as unknown[]);
  if (isDocument(left) && isDocument(right)) return compareDocuments(left, right);
  return 0;
}

function compareBinary(left: Binary, right: Binary): number {
  return (
    sign(left.position - right.position) ||
    sign(left.sub_type - right.sub_type) ||
    Buffer.compare(left.buffer, right.buffer)
  );
}

function compareSequences(left: unknown[], right: unknown[]): number {
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const order = compareBson(left[i], right[i]);
    if (order !== 0) return order;
  }
  return sign(left.length - right.length);
}

/** Embedded documents compare field by field: first the field's type, then its name, then its value. */
function compareDocuments(left: Document, right: Document): number {
  const leftFields = Object.entries(left);
  const rightFields = Object.entries(right);
  for (let i = 0; i < Math.min(leftFields.length, rightFields.length); i++) {
    const [leftName, leftValue] = leftFields[i];
    const [rightName, rightValue] = rightFields[i];
    const order =
      sign(typeRank(leftValue) - typeRank(rightValue)) ||
      compareBson(leftName, rightName) ||
      compareBson(leftValue, rightValue);
    if (order !== 0) return order;
  }
  return sign(leftFields.length - rightFields.length);
}

/**
 * The value a document sorts by for one field: a missing field sorts as null; an array sorts by its
 * smallest element ascending and its largest descending, and an empty array before null.
 */
function sortValue(document: Document, path: string, direction: 1 | -1): unknown {
  const values = valuesAtPath(document, path);
  if (values.length === 0) return hasEmptyArray(document, path) ? undefined : null;
  return values.reduce((best, value) => (compareBson(value, best) * direction < 0 ? value : best));
}

function hasEmptyArray(document: Document, path: string): boolean {
  const parent = path
    .split('.')
    .reduce<unknown>((node, part) => (isDocument(node) ? node[part] : undefined), document);
  return Array.isArray(parent) && parent.length === 0;
}

/**
 * Sorts documents by a specification such as `{ 'carrier.alliance': 1, seats: -1 }`, stably, working out
 * each document's sort values once.
 */
export function sortDocuments(documents: Document[], sort: Document): Document[] {
  const keys = Object.entries(sort).map(([path, direction]) => ({
    path,
    direction: (Number(direction) < 0 ? -1 : 1) as 1 | -1,
  }));
  const decorated = documents.map((document) => ({
    document,
    values: keys.map(({ path, direction }) => sortValue(document, path, direction)),
  }));
  decorated.sort((left, right) => {
    for (const [i, { direction }] of keys.entries()) {
      const order = compareEmptyAware(left.values[i], right.values[i]);
      if (order !== 0) return order * direction;
    }
    return 0;
  });
  return decorated.map(({ document }) => document);
}

/** `undefined` stands for an empty array here, which sorts just before null. */
function compareEmptyAware(left: unknown, right: unknown): number {
  if (left === undefined || right === undefined) return left === right ? 0 : left === undefined ? -1 : 1;
  return compareBson(left, right);
}
