/**
 * Lines of one kind written at most once per interval: the first at once, the others held and summed
 * up in one line at the end of the interval (the latest of them, with how many more there were), so a
 * long outage writes one line per interval and its last lines are not lost when it ends. During an
 * outage every request fails the same way: a full disk under load wrote 22,000 lines in 8 s (on the
 * very disk that had no room), an EventStoreDB outage 540 lines in 5 s.
 */
export class ThrottledLog {
  private readonly kinds = new Map<string, { at: number; held: number; latest: string }>();

  constructor(
    private readonly write: (line: string) => void,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
    private readonly schedule: (run: () => void, ms: number) => void = (run, ms) => {
      setTimeout(run, ms).unref();
    },
  ) {}

  /** Writes `line` now, or at the end of the interval when a line of `kind` was written in it. */
  note(kind: string, line: string): void {
    const now = this.now();
    const known = this.kinds.get(kind);
    if (known && now - known.at < this.intervalMs) {
      if (known.held++ === 0) this.schedule(() => this.flush(kind), known.at + this.intervalMs - now);
      known.latest = line;
      return;
    }
    this.kinds.delete(kind);
    this.kinds.set(kind, { at: now, held: 0, latest: line });
    // Kinds are stores, a few at most; the oldest is forgotten past a hundred all the same.
    if (this.kinds.size > 100) this.kinds.delete(this.kinds.keys().next().value as string);
    this.write(line);
  }

  private flush(kind: string): void {
    const known = this.kinds.get(kind);
    if (!known || known.held === 0) return;
    const more =
      known.held > 1 ? ` (and ${known.held - 1} more like it since ${new Date(known.at).toISOString()})` : '';
    this.write(`${known.latest}${more}`);
    known.at = this.now();
    known.held = 0;
  }
}
