/** Runs async sections one after another: the live projection and a rebuild's switch-over never overlap. */
export class SerialLock {
  private tail: Promise<unknown> = Promise.resolve();
  private held = 0;

  /** True when no section is running or waiting: code that takes no await may run as if it held the lock. */
  get idle(): boolean {
    return this.held === 0;
  }

  /** Runs `section` once every section started before it has finished. */
  run<T>(section: () => Promise<T>): Promise<T> {
    this.held++;
    const result = this.tail.then(section, section).finally(() => {
      this.held--;
    });
    this.tail = result.catch(() => undefined);
    return result;
  }
}
