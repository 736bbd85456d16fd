import {
  RecordedEvent,
  Subscription,
  SubscriptionMessage,
} from '../../../application/ports/event-store.port';
import { RecordMatcher } from './all-filter';
import { RecordRef } from './log-reader';

/** What a subscription needs from the store. */
export interface SubscribedLog {
  /** Everything before this offset is durable and readable. */
  durableEnd(): number;
  /** Position of the last durable record, or -1. */
  lastRecordPosition(): number;
  /** Records starting in [from, limit), one chunk at a time. */
  readForward(from: number, limit: number): Promise<{ records: RecordRef[]; next: number }>;
  /** Calls `wake` once after the next commit; returns a function that cancels it. */
  onNextCommit(wake: () => void): () => void;
  toRecordedEvent(record: RecordRef): RecordedEvent;
  /** The subscription ended: the store forgets it. */
  ended(subscription: AllSubscription): void;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * A catch-up subscription to `$all`. It pulls records from the log only when the consumer
 * asks for the next message (the consumer's pace is the backpressure), says `caughtUp` the
 * first time it reaches the durable end, then waits for commits. With a filter, a
 * `checkpoint` is emitted after every `checkpointEvery` records skipped in a row, so a
 * consumer that matches rarely can still store its progress.
 */
export class AllSubscription implements Subscription, AsyncIterator<SubscriptionMessage> {
  private cursor: number | undefined;
  private buffered: SubscriptionMessage[] = [];
  private caughtUp = false;
  private closed = false;
  private skipped = 0;
  private cancelWait: (() => void) | undefined;
  private wakeWaiter: (() => void) | undefined;
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly log: SubscribedLog,
    private readonly start: Promise<number>,
    private readonly matches: RecordMatcher,
    private readonly checkpointEvery: number | undefined,
  ) {
    // A failed start is reported by next(); keep it from becoming an unhandled rejection.
    start.catch(() => undefined);
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    return this;
  }

  /** Delivers the next message; calls are served one at a time, in order. */
  next(): Promise<IteratorResult<SubscriptionMessage>> {
    const result = this.turn.then(() => this.produce());
    this.turn = result.catch(() => undefined);
    return result;
  }

  async return(): Promise<IteratorResult<SubscriptionMessage>> {
    await this.unsubscribe();
    return DONE;
  }

  /** Ends the subscription: a pending or later `next()` reports done. */
  async unsubscribe(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.buffered = [];
    this.cancelWait?.();
    this.wakeWaiter?.();
    this.log.ended(this);
  }

  private async produce(): Promise<IteratorResult<SubscriptionMessage>> {
    this.cursor ??= await this.start;
    for (;;) {
      if (this.closed) return DONE;
      const message = this.buffered.shift();
      if (message !== undefined) return { done: false, value: message };
      const limit = this.log.durableEnd();
      if (this.cursor < limit) {
        const { records, next } = await this.log.readForward(this.cursor, limit);
        if (this.closed) return DONE;
        this.cursor = next;
        this.collect(records);
      } else if (!this.caughtUp) {
        this.caughtUp = true;
        const last = this.log.lastRecordPosition();
        return { done: false, value: { kind: 'caughtUp', position: last < 0 ? null : BigInt(last) } };
      } else {
        await new Promise<void>((resolve) => {
          this.wakeWaiter = resolve;
          this.cancelWait = this.log.onNextCommit(resolve);
        });
        this.wakeWaiter = undefined;
        this.cancelWait = undefined;
      }
    }
  }

  private collect(records: RecordRef[]): void {
    for (const record of records) {
      if (this.matches(record.buffer, record.offset)) {
        this.skipped = 0;
        this.buffered.push({ kind: 'event', event: this.log.toRecordedEvent(record) });
      } else if (this.checkpointEvery !== undefined && ++this.skipped >= this.checkpointEvery) {
        this.skipped = 0;
        this.buffered.push({ kind: 'checkpoint', position: BigInt(record.position) });
      }
    }
  }
}
