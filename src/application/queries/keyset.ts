/**
 * Keyset pagination (no skip): a page continues strictly after the last document of the previous one
 * in the sort order, whose sort value and tie-break travel in an opaque cursor (base64url JSON). The
 * conditions lead with a plain range on the sort field, so an index walk (or MongoDB's index bounds)
 * starts right at the cursor.
 */
import type { Filter, SortSpec } from '../ports/read-store.port';
import { InputChecks } from './input-checks';

/** A list order: the sort field and the unique tie-break field (both must be stored on each document). */
export interface KeysetOrder {
  /** Names the order inside cursors, so a cursor of another order is refused. */
  name: string;
  field: string;
  tieBreak: string;
  direction: 1 | -1;
}

interface CursorContent {
  o: string;
  v: string | number;
  t: string | number;
}

/** The sort document of an order. */
export function sortOf(order: KeysetOrder): SortSpec {
  return order.field === order.tieBreak
    ? { [order.field]: order.direction }
    : { [order.field]: order.direction, [order.tieBreak]: order.direction };
}

/** The cursor pointing just after `doc`. */
export function cursorAfter(order: KeysetOrder, doc: Record<string, unknown>): string {
  const content: CursorContent = {
    o: order.name,
    v: doc[order.field] as string | number,
    t: doc[order.tieBreak] as string | number,
  };
  return Buffer.from(JSON.stringify(content)).toString('base64url');
}

/** The condition "after this cursor" for the order; refuses cursors that are not this list's. */
export function afterCursor(order: KeysetOrder, cursor: string): Filter {
  const check = new InputChecks();
  const content = decode(cursor);
  if (content === null || content.o !== order.name) {
    check.fail('after', 'is not a cursor of this list');
    check.done();
  }
  const { v, t } = content as CursorContent;
  const beyond = order.direction === 1 ? '$gt' : '$lt';
  const reaching = order.direction === 1 ? '$gte' : '$lte';
  if (order.field === order.tieBreak) return { [order.field]: { [beyond]: v } };
  return {
    $and: [
      { [order.field]: { [reaching]: v } },
      { $or: [{ [order.field]: { [beyond]: v } }, { [order.field]: v, [order.tieBreak]: { [beyond]: t } }] },
    ],
  };
}

function decode(cursor: string): CursorContent | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (parsed === null || typeof parsed !== 'object') return null;
    const { o, v, t } = parsed as Record<string, unknown>;
    const scalar = (x: unknown): boolean =>
      typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x));
    return typeof o === 'string' && scalar(v) && scalar(t)
      ? { o, v: v as string | number, t: t as string | number }
      : null;
  } catch {
    return null;
  }
}
