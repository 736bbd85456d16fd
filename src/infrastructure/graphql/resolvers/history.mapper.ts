import type { HistoryEventView } from '../../../application/views';
import type { Actor } from '../../../domain/ticket.types';

/** A history event as the GraphQL event types read it: the view, its data's fields, and nested objects. */
export type HistoryEventModel = Record<string, unknown> & HistoryEventView;

/**
 * Shapes one stored event for its `XEvent` GraphQL type. The data's own fields (`solution`, `reason`,
 * `assignee`, …) sit beside the view's (revision, actor with name, position); a comment and a coupon
 * request become the nested objects the schema names.
 */
export function toHistoryEventModel(
  view: HistoryEventView,
  ticket: { id: string; number: number },
): HistoryEventModel {
  const { data, ...common } = view;
  const model: HistoryEventModel = { ...data, ...common, data };
  if (view.eventType === 'CommentAdded') {
    model.comment = {
      id: data.commentId,
      author: view.actor,
      body: data.body,
      internal: data.internal,
      requestsReply: data.requestsReply,
      createdAt: view.occurredAt,
    };
  } else if (view.eventType === 'CouponStatusChangeRequested') {
    model.request = couponRequestOf(data, view.actor, view.occurredAt, ticket);
  }
  return model;
}

function couponRequestOf(
  data: Record<string, unknown>,
  requestedBy: Actor,
  registeredAt: string,
  ticket: { id: string; number: number },
): Record<string, unknown> {
  const { occurredAt: _occurredAt, actor: _actor, registrationSeq: _seq, ...request } = data;
  return { ...request, ticketId: ticket.id, ticketNumber: ticket.number, requestedBy, registeredAt };
}
