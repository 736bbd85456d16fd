/**
 * Counts already made, kept until the collection next changes. Every page of one listing asks for the
 * same `totalCount` (the filter without the page's cursor), and many desks watch the same queues, so
 * between two writes a count is computed once. Counting a broad conjunction at a million documents
 * walks hundreds of thousands of index entries; a write empties the cache, so nothing stale is ever
 * answered.
 */

/** Filters cached per collection state; beyond this the cache starts over. */
const MAX_ENTRIES = 256;

export class CountCache {
  private counts = new Map<string, number>();
  private version = 0;

  /** The cached count for the filter at `version` (the collection's write count), if there is one. */
  get(key: string | null, version: number): number | undefined {
    if (key === null) return undefined;
    if (version !== this.version) {
      this.counts = new Map();
      this.version = version;
      return undefined;
    }
    return this.counts.get(key);
  }

  set(key: string | null, version: number, count: number): void {
    if (key === null || version !== this.version) return;
    if (this.counts.size >= MAX_ENTRIES) this.counts = new Map();
    this.counts.set(key, count);
  }
}

/**
 * A key that tells apart every filter that can match differently: values carry their type (the string
 * "5" and the number 5, a date and its ISO text, NaN and null all differ, as they do for MongoDB). Null
 * when the filter holds anything but plain objects, arrays, strings, numbers, booleans, null and dates:
 * such a filter is not cached.
 */
export function countKey(filter: Record<string, unknown>): string | null {
  let plain = true;
  const key = JSON.stringify(filter, function (this: Record<string, unknown>, name: string, value: unknown) {
    const raw = this[name];
    if (raw instanceof Date) return `d${raw.getTime()}`;
    if (typeof raw === 'string') return `s${raw}`;
    if (typeof raw === 'number') return `n${raw}`;
    if (raw === null || typeof raw === 'boolean') return raw;
    if (Array.isArray(raw)) return raw;
    if (typeof raw === 'object' && Object.getPrototypeOf(raw) === Object.prototype) return value;
    if (typeof raw === 'object' && Object.getPrototypeOf(raw) === null) return value;
    plain = false;
    return null;
  });
  return plain ? key : null;
}
