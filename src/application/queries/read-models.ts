/**
 * The read models' documents and collections: written by src/projections, read by the query handlers.
 * Times are ISO-8601 UTC strings as the events carry them (`toISOString`, fixed width), so comparing
 * them as strings orders them in time in both the embedded store and MongoDB.
 */
import type { TicketComment, TicketState } from '../../domain/ticket';
import { PRIORITIES, TICKET_STATUSES, type Priority, type TicketStatus } from '../../domain/ticket.types';
import type { IndexSpec, ReadDocument } from '../ports/read-store.port';
import type { CouponRequestView } from '../views';

/**
 * The read models' shape. Bump it when a projector's documents change (a field added or computed
 * differently): the checkpoint is named after it, so the next start finds none and projects every event,
 * and a read store shared by several instances (MongoDB) keeps each version's read models apart
 * (READ_MODEL_NAMESPACE), so a rolling upgrade builds the new ones while the old instances serve theirs.
 * 2: `resolutionSortKey`; search words fold accents and keep combining marks.
 * 3: runs of Chinese, Japanese, Thai, Lao, Khmer and Myanmar are stored as characters and pairs;
 *    `lookupKeys` (the PNRs and e-ticket numbers of the ticket and its coupon requests).
 * 4: `resolutionSortKey` puts tickets with a solution proposed or closed after paused ones.
 */
export const READ_MODEL_VERSION = 4;

/** Where a shared read store keeps this version's collections and checkpoints (MongoDB: `v4.tickets`). */
export const READ_MODEL_NAMESPACE = `v${READ_MODEL_VERSION}`;

/** Collection names (logical: a rebuild writes fresh ones and renames them to these). */
export const TICKETS = 'tickets';
export const TICKET_COMMENTS = 'ticketComments';
export const COUPON_REQUESTS = 'couponRequests';

/**
 * A ticket as the lists and the detail read it: the folded state without its comments (they are the
 * correspondence read model), `revision` = the ticket's version, and fields computed for filters and sorts.
 */
export type TicketDocument = ReadDocument &
  Omit<TicketState, 'comments'> & {
    /** Words of the subject and description (a multikey index in MongoDB). */
    searchWords: string[];
    /**
     * The PNRs and e-ticket numbers a search finds the ticket by: its own and those of its coupon
     * requests (multikey), so an agent who has only the passenger's e-ticket finds the request's ticket.
     */
    lookupKeys: string[];
    /** PRIORITIES order: LOW 0 … CRITICAL 3, so sorting by it sorts by urgency. */
    priorityRank: number;
    /** TICKET_STATUSES order: NEW 0 … CLOSED 5, the ticket's life cycle. */
    statusRank: number;
    hasCouponRequests: boolean;
    /** What RESOLUTION_DUE_AT sorts by (see resolutionSortKey). */
    resolutionSortKey: string;
    /** The instant after which the ticket is overdue unless something happens first (see overdue.ts). */
    overdueFrom: string | null;
    /** When the auto-close clock started (SOLUTION_PROPOSED only), for the auto-close policy's candidates. */
    autoCloseClockStart: string | null;
  };

/** One comment of a ticket's correspondence; `_id` = `<ticketId>:<revision>`, `revision` = the event's. */
export type CommentDocument = ReadDocument & TicketComment & { ticketId: string };

/**
 * One coupon status change request; `_id` = `<ticketId>:<revision>`. `requesterId` narrows the list for
 * requesters; `registrationSeq` (k of N<k>) orders it, newest first.
 */
export type CouponRequestDocument = ReadDocument &
  CouponRequestView & { requesterId: string; registrationSeq: number };

export const priorityRank = (priority: Priority): number => PRIORITIES.indexOf(priority);

/** Sorts after every ISO time ('~' > '9'); the remaining milliseconds follow, offset and zero-padded. */
const PAUSED_PREFIX = '~';
/** Sorts after every paused key ('~~' > '~0'); the deadline follows. */
const MET_PREFIX = '~~';
const REMAINING_OFFSET = 1e15;

/**
 * The key RESOLUTION_DUE_AT sorts by, ascending the desk's most urgent first:
 * - a running deadline is the deadline itself;
 * - while the ticket waits on the requester its clock is paused: the deadline shown moves later with
 *   every moment of the wait (domain.md §4), so no stored time can sort it among running ones. Paused
 *   tickets sort after every running deadline (the requester has the ball), among themselves by the
 *   time they have left, which is the order of the deadlines they show;
 * - a ticket with a solution proposed or closed has met its resolution deadline (domain.md §4: it can
 *   no longer be overdue for it), so it sorts after both, by the deadline it had. Mixed in by that
 *   deadline, closed tickets filled the top of the desk's most-urgent-first list.
 */
export function resolutionSortKey(
  state: Pick<TicketState, 'status' | 'resolutionDueAt' | 'awaitingRequesterSince'>,
): string {
  if (state.status === 'SOLUTION_PROPOSED' || state.status === 'CLOSED') {
    return MET_PREFIX + state.resolutionDueAt;
  }
  const since = state.awaitingRequesterSince;
  if (state.status !== 'AWAITING_REQUESTER' || since === null) return state.resolutionDueAt;
  const remaining = Date.parse(state.resolutionDueAt) - Date.parse(since);
  return PAUSED_PREFIX + String(REMAINING_OFFSET + remaining).padStart(16, '0');
}
export const statusRank = (status: TicketStatus): number => TICKET_STATUSES.indexOf(status);

const sortIndex = (field: string): IndexSpec => ({ key: { [field]: -1, number: -1 } });
const equalityIndex = (field: string): IndexSpec => ({ key: { [field]: 1 } });

/** Ticket fields the lists filter on by equality (`$in` included); `searchWords` is multikey. */
export const TICKET_EQUALITY_FIELDS = [
  'status',
  'priority',
  'channel',
  'module',
  'category',
  'type',
  'requester.id',
  'requester.validatorNumber',
  'assignee.id',
  'assignee.line',
  'hasCouponRequests',
  'searchWords',
] as const;

/**
 * Fields one person's list is fixed on: a requester's own tickets, a specialist's queue. Each leads an
 * index in the lists' default order (newest first), so such a list is one run of index entries and a
 * page starts at its cursor, however many tickets there are (the equality index on the field is its
 * prefix).
 */
const OWNER_FIELDS: readonly string[] = ['requester.id', 'assignee.id'];
const ownerIndex = (field: string): IndexSpec => ({ key: { [field]: 1, createdAt: -1, number: -1 } });

/** Indexes of every read-model collection: one per list sort (with the number as tie-break), one per filter. */
export const READ_MODEL_INDEXES: Record<string, IndexSpec[]> = {
  [TICKETS]: [
    { key: { number: -1 }, unique: true },
    ...['createdAt', 'updatedAt', 'priorityRank', 'statusRank', 'resolutionSortKey'].map(sortIndex),
    ...OWNER_FIELDS.map(ownerIndex),
    ...[...TICKET_EQUALITY_FIELDS, 'lookupKeys', 'overdueFrom', 'autoCloseClockStart']
      .filter((field) => !OWNER_FIELDS.includes(field))
      .map(equalityIndex),
  ],
  [TICKET_COMMENTS]: [{ key: { ticketId: 1, revision: 1 } }],
  [COUPON_REQUESTS]: [
    { key: { registrationSeq: -1 } },
    // A requester's own coupon requests, newest first (see OWNER_FIELDS).
    { key: { requesterId: 1, registrationSeq: -1 } },
    ...['ticketId', 'eTicketNumber', 'pnr', 'scenario', 'registeredAt', 'retainUntil'].map(equalityIndex),
  ],
};
