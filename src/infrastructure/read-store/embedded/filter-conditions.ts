/**
 * Reads a filter document's top-level field conditions that an ordered index can answer: equality,
 * `$in`, `$all` and ranges. Everything else stays for mingo to test on each candidate, so this only
 * narrows where to look; it never decides alone whether a document matches.
 */

export interface Bound {
  value: unknown;
  inclusive: boolean;
}

export interface FieldCondition {
  /** Values the field must equal (one for equality, several for `$in`). */
  equals?: unknown[];
  /** Values an array field must all contain (`$all`). */
  containsAll?: unknown[];
  lower?: Bound;
  upper?: Bound;
}

export interface IndexableConditions {
  byField: Map<string, FieldCondition>;
  /** Top-level `$or`s: a document matches one of the branches of each (indexes may answer each branch). */
  alternatives: Record<string, unknown>[][];
  /** True when these conditions are the whole filter and hold only equalities (counts may skip testing). */
  onlyEqualities: boolean;
  /** True when `byField` says everything the filter does (a conjunction of indexable conditions, nothing else). */
  complete: boolean;
}

const isPlainValue = (value: unknown): boolean =>
  value === null ||
  value instanceof Date ||
  (typeof value !== 'object' && typeof value !== 'function' && value !== undefined);

const isOperatorDocument = (value: unknown): value is Record<string, unknown> =>
  value !== null &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  !(value instanceof Date) &&
  !(value instanceof RegExp) &&
  Object.keys(value).length > 0 &&
  Object.keys(value).every((key) => key.startsWith('$'));

/** The indexable conditions of a filter's top level (and of a top-level `$and`). */
export function indexableConditions(filter: Record<string, unknown>): IndexableConditions {
  const byField = new Map<string, FieldCondition>();
  const alternatives: Record<string, unknown>[][] = [];
  let onlyEqualities = true;
  let complete = true;
  const visit = (clauses: Record<string, unknown>): void => {
    for (const [field, value] of Object.entries(clauses)) {
      if (field === '$and' && Array.isArray(value)) {
        for (const clause of value) visit(clause as Record<string, unknown>);
        continue;
      }
      if (field === '$or' && Array.isArray(value)) alternatives.push(value as Record<string, unknown>[]);
      if (field.startsWith('$')) {
        onlyEqualities = false;
        complete = false;
        continue;
      }
      const condition = byField.get(field) ?? {};
      if (byField.has(field)) onlyEqualities = complete = false;
      if (!readCondition(value, condition)) onlyEqualities = complete = false;
      if (condition.lower || condition.upper || condition.containsAll) onlyEqualities = false;
      if (Object.keys(condition).length > 0) byField.set(field, condition);
    }
  };
  visit(filter);
  return { byField, alternatives, onlyEqualities, complete };
}

/** Adds what an index can use to `into`; false when part of the condition is left to mingo alone. */
function readCondition(value: unknown, into: FieldCondition): boolean {
  if (isPlainValue(value)) {
    into.equals = [value];
    return true;
  }
  if (!isOperatorDocument(value)) return false;
  let complete = true;
  for (const [op, operand] of Object.entries(value)) {
    if ((op === '$eq' || op === '$in') && into.equals) complete = false;
    if (op === '$eq' && isPlainValue(operand)) into.equals = [operand];
    else if (op === '$in' && Array.isArray(operand) && operand.every(isPlainValue)) into.equals = operand;
    else if (op === '$all' && Array.isArray(operand) && operand.length > 0 && operand.every(isPlainValue)) {
      into.containsAll = operand;
    } else if ((op === '$gt' || op === '$gte') && isPlainValue(operand) && operand !== null) {
      // Two bounds on one side (`$gt: 8, $gte: 5`): either one's range holds every match, but not only
      // matches, so the candidates must be tested.
      if (into.lower) complete = false;
      into.lower = { value: operand, inclusive: op === '$gte' };
    } else if ((op === '$lt' || op === '$lte') && isPlainValue(operand) && operand !== null) {
      if (into.upper) complete = false;
      into.upper = { value: operand, inclusive: op === '$lte' };
    } else complete = false;
  }
  return complete;
}
