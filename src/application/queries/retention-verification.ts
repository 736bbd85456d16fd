/**
 * Verifies the coupon requests read model against the record (domain.md §3.2): every
 * CouponStatusChangeRequested event in the event store (read with a filtered `$all` read) must have
 * its row, every row its event, and each row must be, field by field, what the event makes of it: the
 * request as the ticket's events folded up to it record it (`requestedBy`, `ticketNumber`…), with the
 * ticket's requester (who may see it) and the registration sequence (its order). Each ticket holding
 * requests is read once.
 *
 * The audit is as of an instant, so the check is too: `eventCount` counts the events registered at
 * or before `asOf`, and a discrepancy is listed when either side (the event's `occurredAt` or the
 * row's `registeredAt`) puts the request at or before `asOf`. With nothing listed, `eventCount`
 * therefore equals `retainedCount + expiredCount` at every instant, not only now.
 */
import { evolveFold, type TicketState } from '../../domain/ticket';
import type { CouponStatusChangeRequestedData } from '../../domain/ticket.events';
import { TICKET_STREAM_PREFIX } from '../../domain/ticket.events';
import { canonicalJson } from '../command-request';
import type { EventStore, RecordedEvent } from '../ports/event-store.port';
import type { ProjectionHealth } from '../ports/projection-status.port';
import { toTicketEntry } from '../recorded-events';
import type { ReadStore } from '../ports/read-store.port';
import type { RetentionAuditView } from '../views';
import { COUPON_REQUESTS, type CouponRequestDocument } from './read-models';

type Discrepancy = RetentionAuditView['discrepancies'][number];

/** A ticket's events, folded as far as the verification has read its requests. */
interface TicketFold {
  events: RecordedEvent[];
  next: number;
  state: TicketState | null;
}

/** The row the projection makes of a request event, from the ticket's events up to it. */
async function expectedRow(
  events: EventStore,
  folds: Map<string, TicketFold>,
  ticketId: string,
  event: RecordedEvent,
): Promise<Record<string, unknown> | null> {
  let fold = folds.get(ticketId);
  if (!fold) {
    fold = { events: await events.readStream(event.streamId), next: 0, state: null };
    folds.set(ticketId, fold);
  }
  while (fold.next < fold.events.length && fold.events[fold.next].revision <= event.revision) {
    const { event: typed, meta } = toTicketEntry(fold.events[fold.next++]);
    fold.state = evolveFold(fold.state, typed, meta);
  }
  const data = event.data as CouponStatusChangeRequestedData;
  const request = fold.state?.couponRequests.find((r) => r.registrationNumber === data.registrationNumber);
  if (!fold.state || !request) return null;
  return { ...request, requesterId: fold.state.requester.id, registrationSeq: data.registrationSeq };
}

/** Fields of the row and of what it should be that differ (`_id` and `revision` are the row's key). */
function differingFields(row: CouponRequestDocument, expected: Record<string, unknown>): string[] {
  const actual = row as unknown as Record<string, unknown>;
  const fields = new Set([...Object.keys(actual), ...Object.keys(expected)]);
  fields.delete('_id');
  fields.delete('revision');
  return [...fields].filter((field) => canonicalJson(actual[field]) !== canonicalJson(expected[field]));
}

/**
 * `upTo`: the event store's head when the verification began (the read models were let catch up to it);
 * a request stored after it is left out on both sides, as it may not be projected yet. `lag`: the
 * projection's state when the read models did not reach `upTo` in time; a missing row of an event they
 * have not applied says so.
 */
export async function verifyAgainstEventStore(
  events: EventStore,
  store: ReadStore,
  asOf: string,
  upTo: bigint | null = null,
  lag: ProjectionHealth | null = null,
): Promise<{ eventCount: number; discrepancies: Discrepancy[] }> {
  const appliedUpTo = lag?.checkpoint ? BigInt(lag.checkpoint) : null;
  const notApplied = (position: bigint): string =>
    lag === null || (appliedUpTo !== null && position <= appliedUpTo)
      ? ''
      : `; the read models have not applied it yet: they are at position ${lag.checkpoint ?? 'none'} ` +
        `(${lag.status}${lag.reason ? `: ${lag.reason}` : ''}); verify again once GET /health answers 200`;
  const rows = new Map<string, CouponRequestDocument>();
  for (const doc of (await store.find(COUPON_REQUESTS, {})) as CouponRequestDocument[])
    rows.set(doc._id, doc);
  const discrepancies: Discrepancy[] = [];
  const folds = new Map<string, TicketFold>();
  let eventCount = 0;
  for await (const event of events.readAll({ filter: { eventTypes: ['CouponStatusChangeRequested'] } })) {
    if (!event.streamId.startsWith(TICKET_STREAM_PREFIX)) continue;
    const ticketId = event.streamId.slice(TICKET_STREAM_PREFIX.length);
    const data = event.data as CouponStatusChangeRequestedData;
    const key = `${ticketId}:${event.revision}`;
    const row = rows.get(key);
    rows.delete(key);
    if (upTo !== null && event.position > upTo) continue;
    // ISO-8601 instants in UTC with milliseconds compare as text.
    const eventInScope = data.occurredAt <= asOf;
    if (eventInScope) eventCount++;
    else if (!row || row.registeredAt > asOf) continue; // registered after the audit's instant, by both accounts
    if (!row) {
      discrepancies.push({
        kind: 'MISSING_IN_READ_MODEL',
        ticketId,
        registrationNumber: data.registrationNumber,
        detail: `Event ${event.streamId}@${event.revision} (position ${event.position}) has no read-model row${notApplied(event.position)}`,
      });
      continue;
    }
    const expected = await expectedRow(events, folds, ticketId, event);
    const differing =
      expected === null ? ['(the ticket does not record it)'] : differingFields(row, expected);
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
