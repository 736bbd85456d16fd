/**
 * Read-model documents (or folded states) as the TicketView the API serves: deadlines and `overdue`
 * as of the query's instant (domain sla.ts), comments oldest first and filtered for the caller.
 */
import { effectiveResolutionDueAt, isOverdue } from '../../domain/sla';
import type { TicketComment, TicketState } from '../../domain/ticket';
import { canSeeInternalComments } from '../access';
import type { ReadStore } from '../ports/read-store.port';
import type { Principal } from '../principal';
import { ALL_OF_THE_COMMENTS, type CommentsNeeded } from './ticket-queries';
import type { CommentView, TicketView } from '../views';
import { TICKET_COMMENTS, type CommentDocument, type TicketDocument } from './read-models';

/**
 * The ticket as the caller sees it at `now`, with the comments they may see (oldest first). `visibleCount`:
 * how many of its comments the caller may see, when `comments` are only the latest of them.
 */
export function ticketView(
  ticket: Omit<TicketState, 'comments'>,
  comments: readonly TicketComment[],
  principal: Principal,
  now: Date,
  visibleCount?: number,
): TicketView {
  const seesInternal = canSeeInternalComments(principal);
  const visible: CommentView[] = comments
    .filter((comment) => seesInternal || !comment.internal)
    .map((c) => ({
      id: c.id,
      author: { ...c.author },
      body: c.body,
      internal: c.internal,
      requestsReply: c.requestsReply,
      createdAt: c.createdAt,
    }));
  return {
    id: ticket.id,
    number: ticket.number,
    version: ticket.version,
    status: ticket.status,
    priority: ticket.priority,
    channel: ticket.channel,
    module: ticket.module,
    category: ticket.category,
    type: ticket.type,
    subject: ticket.subject,
    description: ticket.description,
    pnr: ticket.pnr,
    nearestDepartureAt: ticket.nearestDepartureAt,
    eTicketNumber: ticket.eTicketNumber,
    requester: { ...ticket.requester },
    assignee: ticket.assignee ? { ...ticket.assignee } : null,
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    firstResponseDueAt: ticket.firstResponseDueAt,
    firstRespondedAt: ticket.firstRespondedAt,
    resolutionDueAt: effectiveResolutionDueAt(ticket, now),
    overdue: isOverdue(ticket, now),
    closedAt: ticket.closedAt,
    resolution: ticket.resolution,
    reopenCount: ticket.reopenCount,
    // Requesters count only what they can read: a hidden internal comment must not show through.
    commentCount: seesInternal ? ticket.commentCount : (visibleCount ?? visible.length),
    comments: visible,
    solution: ticket.solution,
    couponRequests: ticket.couponRequests.map((request) => ({ ...request })),
  };
}

/**
 * Of a folded ticket's comments (all in memory: a past state, a mutation's payload), those the caller may
 * see and the selection shows (`needs`: none, the latest `last`, or all), counted against the request's
 * budget, and how many the caller may see (a requester's `commentCount`).
 */
export function shownComments(
  comments: readonly TicketComment[],
  principal: Principal,
  needs: CommentsNeeded,
): { shown: readonly TicketComment[]; visibleCount: number } {
  const visible = canSeeInternalComments(principal) ? comments : comments.filter((c) => !c.internal);
  const shown = !needs.comments
    ? []
    : needs.last === null || needs.last === undefined
      ? visible
      : visible.slice(Math.max(0, visible.length - needs.last));
  needs.budget?.reserve(shown.length, 'comments');
  if (needs.bodies !== false) {
    needs.budget?.spendText(
      shown.reduce((sum, comment) => sum + comment.body.length, 0),
      'comments',
    );
  }
  return { shown, visibleCount: visible.length };
}

/** How many comments past those shown a ticket may hold and still be read with the others. */
const PART_READ_MARGIN = 20;

/** The comments read of each ticket, and (when only its latest were read) how many the caller may see. */
export interface CommentsRead {
  byTicket: Map<string, CommentDocument[]>;
  visibleCounts: Map<string, number>;
}

/**
 * The comments of these tickets the caller may see, by ticket id, oldest first, as far as the caller's
 * selection needs them (`needs`): none when it shows none; only the latest `needs.last` of a ticket
 * holding many more (a desk's list showing each ticket's last comment read every comment of every
 * ticket on the page); all of the others in one read (the resolver shows the latest of them). A requester's count of what they may see is then counted
 * apart for the tickets read in part. Tickets whose document counts no comment are not looked up (a new
 * ticket, most of a list page); a comment projected before its ticket's document is left out, as the
 * count shown does not include it yet. What is read is reserved from the request's budget first.
 */
export async function commentsOf(
  store: ReadStore,
  tickets: readonly Pick<TicketDocument, 'id' | 'commentCount'>[],
  principal: Principal,
  needs: CommentsNeeded = ALL_OF_THE_COMMENTS,
): Promise<CommentsRead> {
  const read: CommentsRead = {
    byTicket: new Map(tickets.map((ticket) => [ticket.id, []])),
    visibleCounts: new Map(),
  };
  const seesInternal = canSeeInternalComments(principal);
  // Not read when the selection shows none of them (staff's count is the document's own).
  const countsVisible = needs.commentCount && !seesInternal;
  if (!needs.comments && !countsVisible) return read;
  const last = needs.comments ? (needs.last ?? null) : 0;
  const holding = tickets.filter((ticket) => ticket.commentCount > 0);
  if (holding.length === 0) return read;
  // A read of its own costs more than a few comments too many in the shared read (a page of 100
  // tickets of 20 comments, each read in part: 0.88 ms against 0.50 ms), so only a ticket holding many
  // more than shown is read in part.
  // A requester's count alone is counted by the store, none read (a page of long tickets was refused
  // for reading comments only to count them).
  const inPart = !needs.comments
    ? holding
    : last === null
      ? []
      : holding.filter((ticket) => ticket.commentCount > last + PART_READ_MARGIN);
  const whole = inPart.length === 0 ? holding : holding.filter((ticket) => !inPart.includes(ticket));
  // Reserved from the documents' counts (a requester's include internal ones: a little more than shown).
  needs.budget?.reserve(
    whole.reduce((sum, ticket) => sum + ticket.commentCount, inPart.length * (last ?? 0)),
    'comments',
  );
  const visible = (ticketId: string | { $in: string[] }) =>
    seesInternal ? { ticketId } : { ticketId, internal: false };
  const [all, latest, counts] = await Promise.all([
    whole.length === 0
      ? []
      : store.find(TICKET_COMMENTS, visible({ $in: whole.map((ticket) => ticket.id) }), {
          sort: { ticketId: 1, revision: 1 },
        }),
    Promise.all(
      inPart.map(async (ticket) =>
        last === 0
          ? []
          : (
              await store.find(TICKET_COMMENTS, visible(ticket.id), {
                sort: { revision: -1 },
                limit: last ?? 0,
              })
            ).reverse(),
      ),
    ),
    countsVisible && inPart.length > 0
      ? store.aggregate(TICKET_COMMENTS, [
          { $match: visible({ $in: inPart.map((ticket) => ticket.id) }) },
          { $group: { _id: '$ticketId', count: { $sum: 1 } } },
        ])
      : [],
  ]);
  for (const doc of [...all, ...latest.flat()] as CommentDocument[])
    read.byTicket.get(doc.ticketId)?.push(doc);
  // The text counted is what is shown: a ticket read whole for its latest few counts those few.
  let text = 0;
  for (const comments of needs.bodies === false ? [] : read.byTicket.values()) {
    const shown = last === null ? 0 : Math.max(0, comments.length - last);
    for (let i = shown; i < comments.length; i++) text += comments[i].body.length;
  }
  // A ticket whose comments are all internal has no group: the requester may see none of them.
  for (const ticket of countsVisible ? inPart : []) read.visibleCounts.set(ticket.id, 0);
  for (const group of counts) read.visibleCounts.set(String(group._id), Number(group.count));
  needs.budget?.spendText(text, 'comments');
  return read;
}
