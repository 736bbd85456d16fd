/**
 * Wakes live subscriptions when something was appended. A subscription takes `next()` BEFORE
 * it reads, so an append landing between its read and its wait is never missed.
 */
export class AppendSignal {
  private resolveCurrent!: () => void;
  private current = this.fresh();

  next(): Promise<void> {
    return this.current;
  }

  notify(): void {
    const resolve = this.resolveCurrent;
    this.current = this.fresh();
    resolve();
  }

  private fresh(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.resolveCurrent = resolve;
    });
  }
}
