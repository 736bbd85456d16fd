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

/** The ticket as the caller sees it at `now`, with the comments they may see (oldest first). */
export function ticketView(
  ticket: Omit<TicketState, 'comments'>,
  comments: readonly TicketComment[],
  principal: Principal,
  now: Date,
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
    commentCount: seesInternal ? ticket.commentCount : visible.length,
    comments: visible,
    solution: ticket.solution,
    couponRequests: ticket.couponRequests.map((request) => ({ ...request })),
  };
}

/**
 * The comments of these tickets the caller may see, by ticket id, oldest first (one read), or none
 * when the caller's selection needs none (`needs`). Tickets
 * whose document counts no comment are not looked up (a new ticket, most of a list page); a comment
 * projected before its ticket's document is left out, as the count shown does not include it yet.
 */
export async function commentsOf(
  store: ReadStore,
  tickets: readonly Pick<TicketDocument, 'id' | 'commentCount'>[],
  principal: Principal,
  needs: CommentsNeeded = ALL_OF_THE_COMMENTS,
): Promise<Map<string, CommentDocument[]>> {
  const byTicket = new Map<string, CommentDocument[]>(tickets.map((ticket) => [ticket.id, []]));
  // Not read when the selection shows none of them (staff's count is the document's own).
  const needed = needs.comments || (needs.commentCount && !canSeeInternalComments(principal));
  if (!needed) return byTicket;
  const ticketIds = tickets.filter((ticket) => ticket.commentCount > 0).map((ticket) => ticket.id);
  if (ticketIds.length === 0) return byTicket;
  const filter = canSeeInternalComments(principal)
    ? { ticketId: { $in: [...ticketIds] } }
    : { ticketId: { $in: [...ticketIds] }, internal: false };
  const docs = (await store.find(TICKET_COMMENTS, filter, {
    sort: { ticketId: 1, revision: 1 },
  })) as CommentDocument[];
  for (const doc of docs) byTicket.get(doc.ticketId)?.push(doc);
  return byTicket;
}
