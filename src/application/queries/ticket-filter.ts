/**
 * The ticket filter document for a caller and a TicketFilter (schema.graphql), in MongoDB's query
 * language. Requesters see only their own tickets; `overdue` is evaluated against `now` from the stored
 * due times; `search` text is only ever a value (words, a number, a PNR), never an operator.
 */
import { documentNumber, storedPnr } from '../../domain/field-checks';
import { CHANNELS, PRIORITIES, SUPPORT_LINES, TICKET_STATUSES } from '../../domain/ticket.types';
import { canReadAllTickets, theRolesOf } from '../access';
import { Forbidden } from '../errors';
import type { Filter } from '../ports/read-store.port';
import type { Principal } from '../principal';
import type { TicketFilterInput } from '../views';
import { InputChecks, present } from './input-checks';
import { overdueAt } from './overdue';
import { searchTerms } from './search-words';

/** The caller's own tickets only, unless their role reads every ticket; callers with neither are refused. */
export function visibleTickets(principal: Principal): Filter {
  if (canReadAllTickets(principal)) return {};
  if (principal.roles.includes('REQUESTER')) return { 'requester.id': principal.id };
  throw new Forbidden(`${theRolesOf(principal)} may not read tickets`);
}

/**
 * Search (schema: TicketFilter.search): every word in the subject or description, or the text is exactly
 * a ticket number (`5`, `#5`, `№5`), a PNR or an e-ticket number. Text without a single letter or digit matches nothing.
 */
export function searchFilter(text: string): Filter {
  const trimmed = text.trim();
  // `#5` and `№ 5` are how people write a ticket number, and only that: not also the word "5".
  const marked = /^[#№]\s*(\d{1,15})$/u.exec(trimmed);
  if (marked) return { number: Number(marked[1]) };
  const branches: Filter[] = [];
  const words = searchTerms(trimmed);
  if (words.length > 0) branches.push({ searchWords: { $all: words } });
  // A number, PNR or e-ticket number pasted with the punctuation around it ("AB12C," or "(5)") is
  // still that, as a word is found without its comma.
  const bare = trimmed.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  if (/^\d{1,15}$/.test(bare)) branches.push({ number: Number(bare) });
  // A PNR or an e-ticket number, the ticket's own or one of its coupon requests' (lookupKeys).
  const pnrText = storedPnr(bare);
  if (/^[\p{L}\p{N}]{5,6}$/u.test(pnrText)) branches.push({ lookupKeys: pnrText });
  const digits = documentNumber(bare);
  if (/^\d{13}$/.test(digits)) branches.push({ lookupKeys: digits });
  if (branches.length === 0) return { _id: { $in: [] } };
  return branches.length === 1 ? branches[0] : { $or: branches };
}

/** The filter document: the caller's visibility and every given filter, all of which must hold. */
export function ticketFilter(principal: Principal, input: TicketFilterInput | null, now: Date): Filter {
  const clauses: Filter[] = [visibleTickets(principal)];
  const f = input ?? {};
  const check = new InputChecks();
  const anyOf = (field: string, values: unknown[]): void => {
    clauses.push({ [field]: { $in: values } });
  };
  if (present(f.status)) anyOf('status', check.oneOf(f.status, TICKET_STATUSES, 'status'));
  if (present(f.priority)) anyOf('priority', check.oneOf(f.priority, PRIORITIES, 'priority'));
  if (present(f.channel)) anyOf('channel', check.oneOf(f.channel, CHANNELS, 'channel'));
  if (present(f.line)) anyOf('assignee.line', check.oneOf(f.line, SUPPORT_LINES, 'line'));
  if (present(f.module)) anyOf('module', check.texts(f.module, 'module'));
  if (present(f.category)) anyOf('category', check.texts(f.category, 'category'));
  if (present(f.type)) anyOf('type', check.texts(f.type, 'type'));
  if (present(f.requesterId)) clauses.push({ 'requester.id': check.text(f.requesterId, 'requesterId') });
  if (present(f.validatorNumber)) {
    clauses.push({ 'requester.validatorNumber': check.text(f.validatorNumber, 'validatorNumber') });
  }
  if (present(f.assigneeId)) clauses.push({ 'assignee.id': check.text(f.assigneeId, 'assigneeId') });
  if (present(f.assigned)) clauses.push(assignedFilter(check.flag(f.assigned, 'assigned')));
  clauses.push(check.timeRange('createdAt', f.createdFrom, f.createdTo, ['createdFrom', 'createdTo']));
  clauses.push(check.timeRange('updatedAt', f.updatedFrom, f.updatedTo, ['updatedFrom', 'updatedTo']));
  if (present(f.hasCouponRequests)) {
    clauses.push({ hasCouponRequests: check.flag(f.hasCouponRequests, 'hasCouponRequests') });
  }
  if (present(f.overdue)) {
    const overdue = check.flag(f.overdue, 'overdue');
    clauses.push(overdue ? overdueAt(now) : { $nor: [overdueAt(now)] });
  }
  if (present(f.search)) {
    clauses.push(searchFilter(check.text(f.search, 'search')));
  }
  check.done();
  return and(clauses);
}

/**
 * Tickets someone is assigned to, or (false) the queue nobody has taken, whatever their status: an
 * agent's request for a reply leaves a ticket unassigned. Every assignment has a line, so both are
 * equality on `assignee.line` (null: no assignee), which the list indexes serve as they serve the `line`
 * filter; `assignee.id: { $ne: null }` would be a range MongoDB cannot walk in the list's order.
 */
function assignedFilter(assigned: boolean): Filter {
  return { 'assignee.line': assigned ? { $in: [...SUPPORT_LINES] } : null };
}

/** All clauses must hold (empty clauses dropped). */
export function and(clauses: Filter[]): Filter {
  const kept = clauses.filter((clause) => Object.keys(clause).length > 0);
  if (kept.length === 0) return {};
  return kept.length === 1 ? kept[0] : { $and: kept };
}
