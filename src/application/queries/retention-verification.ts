/**
 * Verifies the coupon requests read model against the record (domain.md §3.2): every
 * CouponStatusChangeRequested event in the event store (read with a filtered `$all` read) must have
 * its row, every row its event, and the key fields must agree.
 *
 * The audit is as of an instant, so the check is too: `eventCount` counts the events registered at
 * or before `asOf`, and a discrepancy is listed when either side (the event's `occurredAt` or the
 * row's `registeredAt`) puts the request at or before `asOf`. With nothing listed, `eventCount`
 * therefore equals `retainedCount + expiredCount` at every instant, not only now.
 */
import type { CouponStatusChangeRequestedData } from '../../domain/ticket.events';
import { TICKET_STREAM_PREFIX } from '../../domain/ticket.events';
import type { EventStore } from '../ports/event-store.port';
import type { ReadStore } from '../ports/read-store.port';
import type { RetentionAuditView } from '../views';
import { COUPON_REQUESTS, type CouponRequestDocument } from './read-models';

type Discrepancy = RetentionAuditView['discrepancies'][number];

/** The fields an audit compares, as the event has them and as the row should. */
const KEY_FIELDS = [
  'registrationNumber',
  'pnr',
  'eTicketNumber',
  'couponNumbers',
  'passengerName',
  'scenario',
  'fromStatus',
  'toStatus',
  'remark',
  'salesControlViolation',
  'retainUntil',
] as const;

export async function verifyAgainstEventStore(
  events: EventStore,
  store: ReadStore,
  asOf: string,
): Promise<{ eventCount: number; discrepancies: Discrepancy[] }> {
  const rows = new Map<string, CouponRequestDocument>();
  for (const doc of (await store.find(COUPON_REQUESTS, {})) as CouponRequestDocument[])
    rows.set(doc._id, doc);
  const discrepancies: Discrepancy[] = [];
  let eventCount = 0;
  for await (const event of events.readAll({ filter: { eventTypes: ['CouponStatusChangeRequested'] } })) {
    if (!event.streamId.startsWith(TICKET_STREAM_PREFIX)) continue;
    const ticketId = event.streamId.slice(TICKET_STREAM_PREFIX.length);
    const data = event.data as CouponStatusChangeRequestedData;
    const key = `${ticketId}:${event.revision}`;
    const row = rows.get(key);
    rows.delete(key);
    // ISO-8601 instants in UTC with milliseconds compare as text.
    const eventInScope = data.occurredAt <= asOf;
    if (eventInScope) eventCount++;
    else if (!row || row.registeredAt > asOf) continue; // registered after the audit's instant, by both accounts
    if (!row) {
      discrepancies.push({
        kind: 'MISSING_IN_READ_MODEL',
        ticketId,
        registrationNumber: data.registrationNumber,
        detail: `Event ${event.streamId}@${event.revision} (position ${event.position}) has no read-model row`,
      });
      continue;
    }
    const differing = KEY_FIELDS.filter(
      (field) => JSON.stringify(row[field]) !== JSON.stringify(data[field]),
    );
    if (row.registeredAt !== data.occurredAt) differing.push('registeredAt' as (typeof KEY_FIELDS)[number]);
    if (row.ticketId !== ticketId) differing.push('ticketId' as (typeof KEY_FIELDS)[number]);
    if (differing.length > 0) {
      discrepancies.push({
        kind: 'MISMATCH',
        ticketId,
        registrationNumber: data.registrationNumber,
        detail: `Read model differs from event ${event.streamId}@${event.revision} in: ${differing.join(', ')}`,
      });
    }
  }
  for (const row of rows.values()) {
    if (row.registeredAt > asOf) continue;
    discrepancies.push({
      kind: 'MISSING_IN_EVENT_STORE',
      ticketId: row.ticketId,
      registrationNumber: row.registrationNumber,
      detail: `Read-model row ${row._id} has no CouponStatusChangeRequested event in the event store`,
    });
  }
  return { eventCount, discrepancies };
}
