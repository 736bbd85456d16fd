import type { ReadDocument } from '../../../application/ports/read-store.port';

/** The `k` first documents in a sort order, kept while visiting many (no sort of everything). */
export class TopK {
  private readonly kept: ReadDocument[] = [];

  constructor(
    private readonly k: number,
    private readonly compare: (a: unknown, b: unknown) => number,
  ) {}

  offer(doc: ReadDocument): void {
    const kept = this.kept;
    if (kept.length >= this.k && this.compare(doc, kept[kept.length - 1]) >= 0) return;
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(kept[mid], doc) <= 0) lo = mid + 1;
      else hi = mid;
    }
    kept.splice(lo, 0, doc);
    if (kept.length > this.k) kept.pop();
  }

  sorted(): ReadDocument[] {
    return this.kept;
  }
}
