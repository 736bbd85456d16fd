/**
 * Lines of one kind written at most once per interval, the next one saying how many were held back.
 * During an outage every request fails the same way: a full disk under load wrote 22,000 lines in 8 s
 * (on the very disk that had no room), an EventStoreDB outage 540 lines in 5 s.
 */
export class ThrottledLog {
  private readonly seen = new Map<string, { at: number; held: number }>();

  constructor(
    private readonly write: (line: string) => void,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes `line` unless a line of `kind` was written less than the interval ago. */
  note(kind: string, line: string): void {
    const now = this.now();
    const last = this.seen.get(kind);
    if (last && now - last.at < this.intervalMs) {
      last.held++;
      return;
    }
    const held = last?.held
      ? ` (and ${last.held} more like it since ${new Date(last.at).toISOString()})`
      : '';
    this.seen.delete(kind);
    this.seen.set(kind, { at: now, held: 0 });
    // Kinds are outage messages, few at a time; the oldest is forgotten past a hundred.
    if (this.seen.size > 100) this.seen.delete(this.seen.keys().next().value as string);
    this.write(`${line}${held}`);
  }
}
