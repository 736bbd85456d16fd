/** Actors, instants, events and commands the domain tests build their stories from. */
import type {
  AddComment,
  AssignTicket,
  CloseTicket,
  CouponRequestForm,
  CreateTicket,
  RequestCouponStatusChange,
} from '../../src/domain/ticket.commands';
import type { TicketEvent } from '../../src/domain/ticket.events';
import type { Actor, EventActor, Resolution, SupportLine } from '../../src/domain/ticket.types';

export const REQUESTER: Actor = { id: 'kassir_5LE', name: 'Анна Кассирова', role: 'REQUESTER' };
export const OTHER_REQUESTER: Actor = { id: 'kassir_9XZ', name: 'Олег Другой', role: 'REQUESTER' };
export const AGENT: Actor = { id: 'agent_1', name: 'Ирина Агентова', role: 'AGENT' };
export const OTHER_AGENT: Actor = { id: 'agent_2', name: 'Пётр Второй', role: 'AGENT' };
export const SUPERVISOR: Actor = { id: 'sup_1', name: 'Светлана Старшая', role: 'SUPERVISOR' };
export const AUDITOR: Actor = { id: 'aud_1', name: 'Аудитор', role: 'AUDITOR' };
export const REPORTER: Actor = { id: 'rep_1', name: 'Отчётов', role: 'REPORTER' };
export const SYSTEM: Actor = { id: 'system', name: null, role: 'SYSTEM' };

export const TICKET_ID = '0b6d3f7e-1c52-4a53-9d0e-3f1f9a1c2b40';
export const T0 = '2026-09-03T08:00:00.000Z';

const HOUR_MS = 3_600_000;
/** The instant `hours` after T0, as a Date (fractions allowed). */
export const hoursAfter = (hours: number): Date => new Date(Date.parse(T0) + hours * HOUR_MS);
/** The instant `hours` after T0, as an ISO string. */
export const isoAfter = (hours: number): string => hoursAfter(hours).toISOString();
export const daysAfter = (days: number): Date => hoursAfter(days * 24);

const by = (actor: Actor): EventActor => ({ id: actor.id, role: actor.role });

export function ticketCreated(
  overrides: Partial<Extract<TicketEvent, { type: 'TicketCreated' }>['data']> = {},
) {
  const event: TicketEvent = {
    type: 'TicketCreated',
    data: {
      occurredAt: T0,
      actor: by(REQUESTER),
      ticketId: TICKET_ID,
      number: 1001,
      requester: { id: REQUESTER.id, name: REQUESTER.name, validatorNumber: '995-4731-7' },
      channel: 'WEB',
      module: 'BONUS',
      category: 'MILES',
      type: 'MILES_ACCRUAL',
      subject: 'Не начислены мили',
      description: 'Мили за перелёт не начислены',
      priority: 'NORMAL',
      pnr: null,
      nearestDepartureAt: null,
      eTicketNumber: null,
      firstResponseDueAt: isoAfter(24),
      resolutionDueAt: isoAfter(72),
      ...overrides,
    },
  };
  return event;
}

export const ticketAssigned = (
  at: number,
  assignee: Actor = AGENT,
  line: SupportLine = 'FIRST',
  previousLine: SupportLine | null = null,
  actor: Actor = SUPERVISOR,
  reason: string | null = null,
): TicketEvent => ({
  type: 'TicketAssigned',
  data: {
    occurredAt: isoAfter(at),
    actor: by(actor),
    assignee: { id: assignee.id, name: assignee.name, line },
    previousLine,
    escalation:
      previousLine !== null &&
      ['FIRST', 'SECOND', 'FIELD'].indexOf(line) > ['FIRST', 'SECOND', 'FIELD'].indexOf(previousLine),
    reason,
  },
});

export const commentAdded = (
  at: number,
  actor: Actor,
  options: { internal?: boolean; requestsReply?: boolean; body?: string; id?: string } = {},
): TicketEvent => ({
  type: 'CommentAdded',
  data: {
    occurredAt: isoAfter(at),
    actor: by(actor),
    commentId: options.id ?? `c-${at}`,
    body: options.body ?? 'Текст комментария',
    internal: options.internal ?? false,
    requestsReply: options.requestsReply ?? false,
  },
});

export const solutionProposed = (
  at: number,
  actor: Actor = AGENT,
  solution = 'Мили начислены вручную',
): TicketEvent => ({
  type: 'SolutionProposed',
  data: { occurredAt: isoAfter(at), actor: by(actor), solution },
});

export const ticketReopened = (at: number, actor: Actor = REQUESTER, reason = 'Не помогло'): TicketEvent => ({
  type: 'TicketReopened',
  data: { occurredAt: isoAfter(at), actor: by(actor), reason },
});

export const ticketClosed = (
  at: number,
  resolution: Resolution = 'CONFIRMED',
  actor: Actor = REQUESTER,
  reason: string | null = null,
): TicketEvent => ({
  type: 'TicketClosed',
  data: { occurredAt: isoAfter(at), actor: by(actor), resolution, reason },
});

export const createTicket = (overrides: Partial<CreateTicket> = {}): CreateTicket => ({
  kind: 'CreateTicket',
  ticketId: TICKET_ID,
  number: 1001,
  requester: { id: REQUESTER.id, name: REQUESTER.name, validatorNumber: '995-4731-7' },
  module: 'BONUS',
  category: 'MILES',
  type: 'MILES_ACCRUAL',
  subject: 'Не начислены мили',
  description: 'Мили за перелёт не начислены',
  ...overrides,
});

export const assign = (
  assignee: Actor = AGENT,
  line?: SupportLine,
  reason?: string | null,
): AssignTicket => ({
  kind: 'AssignTicket',
  assigneeId: assignee.id,
  assigneeName: assignee.name,
  line,
  reason,
});

export const comment = (body = 'Проверяем', options: Partial<AddComment> = {}): AddComment => ({
  kind: 'AddComment',
  commentId: 'comment-1',
  body,
  ...options,
});

export const close = (resolution: Resolution, reason?: string | null): CloseTicket => ({
  kind: 'CloseTicket',
  resolution,
  reason,
});

/** A complete, acceptable coupon request form (UNAVAILABLE_REFUND), to be varied per test. */
export const couponForm = (overrides: Partial<CouponRequestForm> = {}): CouponRequestForm => ({
  pnr: 'a1b2c3',
  eTicketNumber: '4212345678901',
  couponNumbers: [1, 2],
  passengerName: 'IVANOV IVAN',
  scenario: 'UNAVAILABLE_REFUND',
  fromStatus: 'UNAVAILABLE_EXCHANGE_ONLY',
  toStatus: 'OPEN_FOR_USE',
  description: 'После переоформления купоны остались в статусе U, возврат невозможен',
  agent: { lastName: 'Кассирова', firstName: 'Анна', middleName: 'Петровна', referenceNumber: 'REF-77' },
  agency: {
    name: 'ООО Авиакасса',
    validatorNumber: '995-4731-7',
    address: 'Новосибирск, ул. Ленина, 1',
    contacts: '+7 383 000-00-00',
  },
  ...overrides,
});

export const requestCoupon = (form: CouponRequestForm, registrationSeq = 17): RequestCouponStatusChange => ({
  kind: 'RequestCouponStatusChange',
  registrationSeq,
  form,
});
