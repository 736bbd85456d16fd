import { Inject, Optional } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InvalidInput } from '../../domain/domain.errors';
import { TICKET_STREAM_PREFIX } from '../../domain/ticket.events';
import { addCalendarYears } from '../../domain/coupon-registration';
import { canAuditRetention } from '../access';
import { Forbidden } from '../errors';
import { CLOCK, type Clock } from '../ports/clock.port';
import { EVENT_STORE, type EventStore } from '../ports/event-store.port';
import { PROJECTION_STATUS, type ProjectionStatus } from '../ports/projection-status.port';
import { READ_STORE, type Filter, type ReadStore } from '../ports/read-store.port';
import type { Principal } from '../principal';
import type { Connection, CouponRequestView, RetentionAuditView } from '../views';
import { couponRequestPage } from './coupon-request-pages';
import { COUPON_REQUESTS } from './read-models';
import { verifyAgainstEventStore } from './retention-verification';
import { RetentionAuditQuery, RetentionRequestsQuery } from './ticket-queries';

/** The retention window at `asOf` (domain.md §3.2, the contract's `windowStart`): asOf − 1 calendar year. */
export function retentionWindow(asOf: Date): { asOf: string; windowStart: string } {
  return { asOf: asOf.toISOString(), windowStart: addCalendarYears(asOf, -1).toISOString() };
}

/**
 * The requests in one retention state at `asOf`; requests registered after `asOf` are in neither. A
 * request is retained until its own `retainUntil` (registration + 1 calendar year) and expired from then
 * on. That is the window (asOf − 1 year, asOf] on every day but around 29 February, where subtracting a
 * year moves the window start back a day (29 February 2028 − 1 year = 28 February 2027, the same as for
 * 28 February 2028): counting by the window brought requests that had expired back into retention for
 * that day, and counted a request registered on 29 February as retained after the `retainUntil` it shows.
 */
export function retentionFilter(asOf: Date, state: 'RETAINED' | 'EXPIRED'): Filter {
  const at = asOf.toISOString();
  return state === 'RETAINED'
    ? { registeredAt: { $lte: at }, retainUntil: { $gt: at } }
    : { retainUntil: { $lte: at } };
}

function ensureAuditor(principal: Principal): void {
  if (!canAuditRetention(principal)) throw new Forbidden('Only auditors and supervisors audit retention');
}

/** The first instant whose window start (a year earlier) is still a date the API can write: 0000-01-01. */
const EARLIEST_AS_OF = Date.parse('0001-01-01T00:00:00.000Z');

function validInstant(value: Date, path: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new InvalidInput([{ path, message: 'must be a valid date and time' }]);
  }
  if (value.getTime() < EARLIEST_AS_OF) {
    throw new InvalidInput([
      { path, message: 'must be in the year 0001 or later (the window starts a year earlier)' },
    ]);
  }
  return value;
}

/** How long a verification waits for the read models to take in what the event store holds. */
const VERIFY_CATCH_UP_MS = 5_000;

/**
 * `couponRequestRetentionAudit`: counts from the read model; with `verify`, checked against the event
 * store. A verification first notes the event store's head and lets the read models take it in (a
 * request stored a moment ago is lag, not loss), then checks everything up to that head.
 */
@QueryHandler(RetentionAuditQuery)
export class RetentionAuditHandler implements IQueryHandler<RetentionAuditQuery, RetentionAuditView> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(PROJECTION_STATUS) private readonly projections?: ProjectionStatus,
  ) {}

  async execute({ principal, asOf, verify }: RetentionAuditQuery): Promise<RetentionAuditView> {
    ensureAuditor(principal);
    const at = asOf === null || asOf === undefined ? this.clock.now() : validInstant(asOf, 'asOf');
    let head: bigint | null = null;
    if (verify) {
      // The last ticket event: what the read models are fed (a trailing `sequence-*` event is never
      // "reached", so waiting for it would always take the whole wait).
      const lastTicketEvent = this.events.readAll({
        direction: 'backwards',
        maxCount: 1,
        filter: { streamPrefixes: [TICKET_STREAM_PREFIX] },
      });
      for await (const last of lastTicketEvent) head = last.position;
    }
    // When the read models do not take it in (a projection stopped, or far behind), the verification
    // still runs: a row the read model lacks is a discrepancy now, and the audit exists to show it
    // (refusing would hide a projection that stopped); each such row says how far they are.
    const reached =
      head === null ||
      !this.projections ||
      (await this.projections.waitForPosition(head, VERIFY_CATCH_UP_MS));
    const lag = reached || !this.projections ? null : this.projections.health();
    const [retainedCount, expiredCount] = await Promise.all([
      this.store.count(COUPON_REQUESTS, retentionFilter(at, 'RETAINED')),
      this.store.count(COUPON_REQUESTS, retentionFilter(at, 'EXPIRED')),
    ]);
    const window = retentionWindow(at);
    const verification = verify
      ? await verifyAgainstEventStore(this.events, this.store, window.asOf, head, lag)
      : null;
    return {
      ...window,
      retainedCount,
      expiredCount,
      verified: verification !== null,
      eventCount: verification?.eventCount ?? null,
      discrepancies: verification?.discrepancies ?? [],
    };
  }
}

/** `RetentionAudit.requests`: the requests in one retention state, newest first. */
@QueryHandler(RetentionRequestsQuery)
export class RetentionRequestsHandler implements IQueryHandler<
  RetentionRequestsQuery,
  Connection<CouponRequestView>
> {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  async execute({
    principal,
    asOf,
    state,
    first,
    after,
  }: RetentionRequestsQuery): Promise<Connection<CouponRequestView>> {
    ensureAuditor(principal);
    if (state !== 'RETAINED' && state !== 'EXPIRED') {
      throw new InvalidInput([{ path: 'state', message: 'must be RETAINED or EXPIRED' }]);
    }
    return couponRequestPage(
      this.store,
      () => retentionFilter(validInstant(asOf, 'asOf'), state),
      first,
      after,
    );
  }
}
