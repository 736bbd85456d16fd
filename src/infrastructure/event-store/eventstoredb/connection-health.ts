/** What the app's /health reports about EventStoreDB. */
export interface EventStoreConnectionHealth {
  connected: boolean;
  /** Why not connected (the last failure), when not. */
  reason?: string;
}

/**
 * Tracks whether EventStoreDB is reachable, from every call and subscription: each reports
 * under its own name, and the store is healthy only when none of them is failing. A call
 * that succeeds clears its own failure; a dropped subscription stays red until it resumes.
 */
export class ConnectionHealth {
  private readonly failures = new Map<string, string>();
  private everConnected = false;

  up(source: string): void {
    this.everConnected = true;
    this.failures.delete(source);
  }

  down(source: string, reason: string): void {
    this.failures.set(source, withoutEmptyNote(reason));
  }

  forget(source: string): void {
    this.failures.delete(source);
  }

  current(): EventStoreConnectionHealth {
    const [failure] = this.failures.values();
    if (failure !== undefined) return { connected: false, reason: failure };
    return this.everConnected ? { connected: true } : { connected: false, reason: 'not connected yet' };
  }
}

/**
 * gRPC's "No connection established. Last error: … Resolution note: " ends with an empty note when name
 * resolution had nothing to say: the note is left out then (it ended every log line and /health reason).
 */
export function withoutEmptyNote(message: string): string {
  return message.replace(/ Resolution note: *$/, '');
}
