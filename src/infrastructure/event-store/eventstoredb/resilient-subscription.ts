import { Logger } from '@nestjs/common';
import type { AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import type { Subscription, SubscriptionMessage } from '../../../application/ports/event-store.port';
import type { ConnectionHealth } from './connection-health';
import { isSystemEvent, toRecordedEvent } from './eventstoredb-mapping';

/** Messages held for a slow consumer before the gRPC stream is paused (HTTP/2 then holds the server). */
const HIGH_WATER = 256;
const LOW_WATER = 64;
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

/** Opens a client subscription after `from` (exclusive); `onCheckpoint` gets filtered-scan checkpoints. */
export type OpenClientSubscription = (
  from: bigint | 'start',
  onCheckpoint: (position: bigint) => void,
) => AllStreamSubscription;

export interface ResilientSubscriptionOptions {
  fromPosition: bigint | 'start';
  /** Pass checkpoints on (only when the caller asked for a filter). */
  forwardCheckpoints: boolean;
  open: OpenClientSubscription;
  health: ConnectionHealth;
  /** Name under which this subscription reports to the health tracker. */
  healthSource: string;
  onClosed(): void;
}

type Waiter = (result: IteratorResult<SubscriptionMessage>) => void;

const logger = new Logger('EventStoreDB');
/**
 * A `$all` catch-up subscription that survives connection and subscription drops: it remembers
 * the position of the last message handed to the consumer and, after a drop, throws away what
 * was received but not handed over and subscribes again from that position (exclusive), with
 * exponential backoff. So every event reaches the consumer once, in order, across outages.
 *
 * The client reports `caughtUp` as an event and checkpoints through a callback, outside its
 * data stream; both are placed in the queue after the events the client pushed before them
 * (those handed over plus those still in its readable buffer), so the order is the server's.
 */
export class ResilientSubscription implements Subscription {
  private readonly queue: SubscriptionMessage[] = [];
  private waiter: Waiter | null = null;
  private lastHandedOver: bigint | 'start';
  /** The last event handed over (a checkpoint handed over after it does not move this). */
  private lastHandedOverEvent: bigint | 'start';
  private lastQueued: bigint | 'start';
  /** The last event queued: what a repeated event is told by (a checkpoint never hides an event). */
  private lastQueuedEvent: bigint | 'start';
  private current: AllStreamSubscription | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;

  constructor(private readonly options: ResilientSubscriptionOptions) {
    this.lastHandedOver = options.fromPosition;
    this.lastHandedOverEvent = options.fromPosition;
    this.lastQueued = options.fromPosition;
    this.lastQueuedEvent = options.fromPosition;
    this.attach();
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.unsubscribe();
        return { done: true, value: undefined };
      },
    };
  }

  async unsubscribe(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.queue.length = 0;
    this.waiter?.({ done: true, value: undefined });
    this.waiter = null;
    this.options.health.forget(this.options.healthSource);
    const subscription = this.current;
    this.current = null;
    if (subscription) await this.release(subscription);
    this.options.onClosed();
  }

  private next(): Promise<IteratorResult<SubscriptionMessage>> {
    const message = this.queue.shift();
    if (message) {
      this.handOver(message);
      if (this.queue.length <= LOW_WATER && this.current?.isPaused()) this.current.resume();
      return Promise.resolve({ done: false, value: message });
    }
    if (this.closed) return Promise.resolve({ done: true, value: undefined });
    return new Promise<IteratorResult<SubscriptionMessage>>((resolve) => {
      this.waiter = resolve;
    });
  }

  private handOver(message: SubscriptionMessage): void {
    if (message.kind === 'event') this.lastHandedOver = this.lastHandedOverEvent = message.event.position;
    else if (message.kind === 'checkpoint') this.lastHandedOver = message.position;
  }

  private enqueue(message: SubscriptionMessage): void {
    if (message.kind === 'event') this.lastQueued = this.lastQueuedEvent = message.event.position;
    else if (
      message.kind === 'checkpoint' &&
      (this.lastQueued === 'start' || message.position > this.lastQueued)
    ) {
      this.lastQueued = message.position;
    }
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = null;
      this.handOver(message);
      waiter({ done: false, value: message });
      return;
    }
    // Checkpoints in a row say no more than the last of them: a consumer that stalls while the server
    // scans past other streams holds one, not one per 32 events scanned.
    if (message.kind === 'checkpoint' && this.queue.at(-1)?.kind === 'checkpoint') {
      this.queue[this.queue.length - 1] = message;
      return;
    }
    this.queue.push(message);
    if (this.queue.length >= HIGH_WATER) this.current?.pause();
  }

  private attach(): void {
    if (this.closed) return;
    let delivered = 0;
    // Markers wait for the events the client pushed before them; built when placed, so that
    // `caughtUp` carries the position reached by then.
    const pendingMarkers: Array<{ at: number; checkpoint: boolean; build: () => SubscriptionMessage }> = [];
    const mine = () => this.current === subscription && !this.closed;
    const placeMarker = (build: () => SubscriptionMessage, checkpoint = false) => {
      if (!mine()) return;
      const at = delivered + subscription.readableLength;
      if (at <= delivered) return this.enqueue(build());
      const last = pendingMarkers.at(-1);
      // A later checkpoint at the same place replaces the earlier one (see enqueue).
      if (checkpoint && last?.checkpoint && last.at === at) last.build = build;
      else pendingMarkers.push({ at, checkpoint, build });
    };
    const subscription = this.options.open(this.lastHandedOver, (position) => {
      if (this.options.forwardCheckpoints) placeMarker(() => ({ kind: 'checkpoint', position }), true);
    });
    this.current = subscription;
    subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      if (!mine()) return;
      delivered++;
      const event = toRecordedEvent(resolved);
      const isNew =
        event !== undefined && (this.lastQueuedEvent === 'start' || event.position > this.lastQueuedEvent);
      if (event && isNew && !isSystemEvent(event)) this.enqueue({ kind: 'event', event });
      while (pendingMarkers.length > 0 && pendingMarkers[0].at <= delivered) {
        this.enqueue((pendingMarkers.shift() as { build: () => SubscriptionMessage }).build());
      }
    });
    subscription.on('caughtUp', () =>
      placeMarker(() => ({
        kind: 'caughtUp',
        position: this.lastQueued === 'start' ? null : this.lastQueued,
      })),
    );
    subscription.on('confirmation', () => {
      if (!mine()) return;
      if (this.failures > 0) logger.log('EventStoreDB subscription restored');
      this.failures = 0;
      this.options.health.up(this.options.healthSource);
    });
    subscription.on('error', (error: Error) => this.dropped(subscription, error.message));
    subscription.on('close', () => this.dropped(subscription, 'the server ended the subscription'));
  }

  private dropped(subscription: AllStreamSubscription, reason: string): void {
    if (this.current !== subscription || this.closed) return;
    this.current = null;
    void this.release(subscription);
    // What was received but not handed over comes again from the new subscription.
    this.queue.length = 0;
    this.lastQueued = this.lastHandedOver;
    this.lastQueuedEvent = this.lastHandedOverEvent;
    this.options.health.down(this.options.healthSource, `EventStoreDB subscription dropped: ${reason}`);
    // Once per outage: the retries that follow are quiet until it is restored.
    if (this.failures === 0) logger.warn(`EventStoreDB subscription dropped (${reason}); reconnecting`);
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.failures++);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.attach();
    }, delay);
  }

  /** Cancels the gRPC call; a late error from it must not surface as an unhandled 'error'. */
  private async release(subscription: AllStreamSubscription): Promise<void> {
    subscription.on('error', () => undefined);
    subscription.resume();
    try {
      await subscription.unsubscribe();
    } catch {
      // The call never started (the connection was refused): nothing to cancel.
    }
  }
}
