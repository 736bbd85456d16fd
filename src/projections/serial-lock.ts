/** Runs async sections one after another: the live projection and a rebuild's switch-over never overlap. */
export class SerialLock {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `section` once every section started before it has finished. */
  run<T>(section: () => Promise<T>): Promise<T> {
    const result = this.tail.then(section, section);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
