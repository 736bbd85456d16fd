import { Decimal128, Document, Long } from 'bson';
import { isDocument } from './values';

/**
 * mingo compares JS numbers only; it would compare `Long` and `Decimal128` objects by their text and never
 * find them equal to a number. Stored documents keep those types (so they round-trip), and queries,
 * sorts and aggregations run on this view of them, where every int64 and decimal is a plain number.
 * Values beyond 2^53 lose precision in the view, so their comparisons are approximate.
 */
export function numericView<T>(value: T): T {
  if (Long.isLong(value)) return value.toNumber() as T;
  if (value instanceof Decimal128) return Number(value.toString()) as T;
  if (Array.isArray(value)) {
    let changed = false;
    const items = value.map((item) => {
      const view = numericView(item);
      changed ||= view !== item;
      return view;
    });
    return (changed ? items : value) as T;
  }
  if (isDocument(value)) {
    let copy: Document | undefined;
    for (const [key, item] of Object.entries(value)) {
      const view = numericView(item);
      if (view !== item) copy ??= { ...value };
      if (copy) copy[key] = view;
    }
    return (copy ?? value) as T;
  }
  return value;
}
