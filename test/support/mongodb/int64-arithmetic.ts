import { Document, Long } from 'bson';
import { numericView } from './numeric-view';
import { isDocument } from './values';

const ARITHMETIC_OPERATORS = ['$inc', '$mul', '$min', '$max'] as const;

/** A field that an arithmetic operator changes while an int64 is involved, remembered to restore the type. */
interface Int64Target {
  readonly operator: (typeof ARITHMETIC_OPERATORS)[number];
  readonly path: string;
  readonly before: unknown;
  readonly operand: unknown;
}

function container(
  document: Document,
  path: string,
): { parent: Document | unknown[]; key: string } | undefined {
  const parts = path.split('.');
  let current: unknown = document;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(current)) current = current[Number(part)];
    else if (isDocument(current)) current = current[part];
    else return undefined;
  }
  if (!Array.isArray(current) && !isDocument(current)) return undefined;
  return { parent: current, key: parts[parts.length - 1] };
}

function read(document: Document, path: string): unknown {
  const slot = container(document, path);
  return slot ? (slot.parent as Record<string, unknown>)[slot.key] : undefined;
}

function write(document: Document, path: string, value: unknown): void {
  const slot = container(document, path);
  if (slot) (slot.parent as Record<string, unknown>)[slot.key] = value;
}

/**
 * mingo does arithmetic on JS numbers only. Before an update, int64 values that `$inc`, `$mul`, `$min` or
 * `$max` touch (in the document or as operand) become numbers in `document` and in the returned
 * operators; {@link restoreInt64} then gives the results back the int64 type MongoDB would keep.
 * Positional paths are left alone.
 */
export function prepareInt64Arithmetic(
  document: Document,
  operators: Document,
): { operators: Document; targets: Int64Target[] } {
  const targets: Int64Target[] = [];
  const prepared: Document = { ...operators };
  for (const operator of ARITHMETIC_OPERATORS) {
    const fields = operators[operator];
    if (!isDocument(fields)) continue;
    for (const [path, operand] of Object.entries(fields)) {
      if (path.includes('$')) continue;
      const before = read(document, path);
      if (!Long.isLong(before) && !Long.isLong(operand)) continue;
      targets.push({ operator, path, before, operand });
      if (before !== undefined) write(document, path, numericView(before));
    }
    prepared[operator] = numericView(fields);
  }
  return { operators: prepared, targets };
}

/** Puts int64 types back after the update: sums and products of int64 stay int64 while they are integers. */
export function restoreInt64(document: Document, targets: Int64Target[]): void {
  for (const { operator, path, before, operand } of targets) {
    const after = read(document, path);
    if (operator === '$min' || operator === '$max') {
      write(document, path, after === numericView(before) ? before : operand);
    } else if (typeof after === 'number' && Number.isSafeInteger(after)) {
      write(document, path, Long.fromNumber(after));
    }
  }
}
