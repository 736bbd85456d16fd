/**
 * Runs tasks one at a time per key (a ticket's stream), in arrival order, and tasks of different keys
 * in parallel. Commands on the same ticket in this process then wait for each other instead of racing
 * to append and retrying; only writers in other processes still cause (retried) conflicts.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    // Forget the key once nothing is queued behind this task, so the map does not grow with every ticket.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
