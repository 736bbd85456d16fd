import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, ExpectedRevision, WrongExpectedVersion } from './ports/event-store.port';
import { backoffDelay, sleep } from './retry';

/** Stream of the ticket numbers handed out (domain.md §1). */
export const TICKET_NUMBER_SEQUENCE = 'sequence-ticket-number';
/** Stream of the coupon-request registration numbers `N<k>` handed out (domain.md §3.2). */
export const COUPON_REGISTRATION_SEQUENCE = 'sequence-coupon-registration';
/** Event type of a sequence stream: the numbers `first..last` are taken. */
export const SEQUENCE_NUMBERS_RESERVED = 'SequenceNumbersReserved';

export interface SequenceNumbersReservedData {
  first: number;
  last: number;
}

/** How many times a reservation is tried against writers in other processes before giving up. */
const MAX_RESERVE_ATTEMPTS = 30;

/** At most this many numbers are reserved ahead of the callers waiting (so a restart skips at most this many). */
export const MAX_RESERVED_AHEAD = 64;

interface Waiter {
  resolve(n: number): void;
  reject(error: unknown): void;
}

/**
 * Hands out numbers that are unique across concurrent callers, processes and restarts, and increasing in
 * the order they are asked for (domain.md §1: "unique, increasing").
 *
 * The sequence is a stream whose events record reserved ranges; a reservation is an append with the
 * expected revision of the last one, so two allocators (two processes, or EventStoreDB clients) can
 * never take the same range: the loser re-reads the stream and tries again. Callers waiting in this
 * process are served together by one append. On a store only this process writes (`exclusive`: the
 * embedded one), that append also reserves a block ahead: as many numbers as were handed out since the
 * previous reservation (at most MAX_RESERVED_AHEAD). While the block lasts, a number costs no append —
 * so a steady stream of creates pays one durable write per ticket, not two. On a store other processes
 * may write (EventStoreDB, where several instances run), nothing is reserved ahead: a block held by one
 * instance was handed out after larger numbers of another (a ticket created later got a smaller
 * number), so there each number is reserved when it is asked for.
 *
 * What that means (gaps are allowed, repeats never — domain.md §1):
 * - a restart skips the numbers left in the block (at most MAX_RESERVED_AHEAD);
 * - a number that a refused command took is given back only while no later number was handed out
 *   (`giveBack`); one taken by a command whose append failed is not.
 */
export class SequenceAllocator {
  /** The last number reserved and the stream revision that recorded it; null means "read the stream". */
  private known: { last: number; revision: ExpectedRevision } | null = null;
  private waiting: Waiter[] = [];
  private reserving = false;
  /** Reserved numbers not yet handed out: `next..last` (empty when next > last). */
  private block = { next: 1, last: 0 };
  /** Numbers handed out since the last reservation: the demand the next block is sized on. */
  private handedOut = 0;

  constructor(
    private readonly store: EventStore,
    readonly streamId: string,
  ) {}

  /** The next number of the sequence (the first one is 1). */
  next(): Promise<number> {
    if (this.waiting.length === 0 && this.block.next <= this.block.last) {
      this.handedOut++;
      return Promise.resolve(this.block.next++);
    }
    return new Promise<number>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.reserving) void this.serveWaiting();
    });
  }

  /** A number of the reserved block, at once, or null when it is empty or callers wait (then use next()). */
  take(): number | null {
    if (this.waiting.length > 0 || this.block.next > this.block.last) return null;
    this.handedOut++;
    return this.block.next++;
  }

  /**
   * Gives back a number that nothing recorded (its command was refused), when no number was handed out
   * after it: the next caller gets it, so a refusal leaves no gap. Otherwise it stays a gap.
   */
  giveBack(n: number): void {
    if (n === this.block.next - 1 && this.waiting.length === 0) {
      this.block.next = n;
      this.handedOut--;
    }
  }

  private async serveWaiting(): Promise<void> {
    this.reserving = true;
    try {
      while (this.waiting.length > 0) {
        // Numbers of the block come first; they are lower than any reserved from here on.
        while (this.waiting.length > 0 && this.block.next <= this.block.last) {
          this.handedOut++;
          (this.waiting.shift() as Waiter).resolve(this.block.next++);
        }
        if (this.waiting.length === 0) break;
        const batch = this.waiting.splice(0);
        try {
          const ahead = this.store.exclusive ? Math.min(MAX_RESERVED_AHEAD, this.handedOut) : 0;
          const first = await this.reserve(batch.length + ahead);
          this.handedOut = batch.length;
          batch.forEach((waiter, i) => waiter.resolve(first + i));
          this.block = { next: first + batch.length, last: first + batch.length + ahead - 1 };
        } catch (error) {
          batch.forEach((waiter) => waiter.reject(error));
        }
      }
    } finally {
      this.reserving = false;
    }
  }

  /** Reserves `count` numbers and returns the first of them. */
  private async reserve(count: number): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      const known = this.known ?? (await this.readLast());
      const range: SequenceNumbersReservedData = { first: known.last + 1, last: known.last + count };
      try {
        const appended = await this.store.appendToStream(
          this.streamId,
          [{ id: randomUUID(), type: SEQUENCE_NUMBERS_RESERVED, data: range }],
          known.revision,
        );
        this.known = { last: range.last, revision: appended.nextExpectedRevision };
        return range.first;
      } catch (error) {
        // Whatever went wrong, what this process knows may be stale (or the append may have gone
        // through after all): read the stream again before reserving anything else.
        this.known = null;
        if (!(error instanceof WrongExpectedVersion) || attempt >= MAX_RESERVE_ATTEMPTS) throw error;
        await sleep(backoffDelay(attempt));
      }
    }
  }

  private async readLast(): Promise<{ last: number; revision: ExpectedRevision }> {
    const [latest] = await this.store.readStream(this.streamId, {
      direction: 'backwards',
      fromRevision: 'end',
      maxCount: 1,
    });
    if (latest === undefined) return { last: 0, revision: 'no_stream' };
    const last = (latest.data as Partial<SequenceNumbersReservedData> | null)?.last;
    if (typeof last !== 'number' || !Number.isSafeInteger(last) || last < 0) {
      throw new Error(`Sequence ${this.streamId} is corrupt at revision ${latest.revision}: no valid "last"`);
    }
    return { last, revision: latest.revision };
  }
}

/** The engine's sequences, one allocator each per process (so that waiting callers are coalesced). */
@Injectable()
export class Sequences {
  readonly ticketNumbers: SequenceAllocator;
  readonly couponRegistrations: SequenceAllocator;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.ticketNumbers = new SequenceAllocator(store, TICKET_NUMBER_SEQUENCE);
    this.couponRegistrations = new SequenceAllocator(store, COUPON_REGISTRATION_SEQUENCE);
  }
}
