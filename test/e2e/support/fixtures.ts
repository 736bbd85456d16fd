/** Callers, selections and inputs the e2e suites share. */
import { randomUUID } from 'node:crypto';
import type { Caller } from './test-app';

/** Distinct callers for one suite run, so suites sharing external stores never see each other's tickets. */
export function callers(tag: string = randomUUID().slice(0, 8)) {
  return {
    requester: {
      sub: `kassir_${tag}`,
      roles: ['REQUESTER'],
      name: 'Anna Petrova',
      validatorNumber: '995-4731-7',
    } satisfies Caller,
    otherRequester: {
      sub: `kassir_other_${tag}`,
      roles: ['REQUESTER'],
      name: 'Ivan Sidorov',
    } satisfies Caller,
    agent: { sub: `agent_${tag}`, roles: ['AGENT'], name: 'Olga Agent' } satisfies Caller,
    secondLine: { sub: `agent2_${tag}`, roles: ['AGENT'], name: 'Pavel Second' } satisfies Caller,
    supervisor: { sub: `super_${tag}`, roles: ['SUPERVISOR'], name: 'Sergey Supervisor' } satisfies Caller,
    auditor: { sub: `auditor_${tag}`, roles: ['AUDITOR'], name: 'Alla Auditor' } satisfies Caller,
    reporter: { sub: `reporter_${tag}`, roles: ['REPORTER'], name: 'Roman Reporter' } satisfies Caller,
  };
}

export const TICKET_FIELDS = `
  id number version status priority channel module category type subject description
  pnr nearestDepartureAt eTicketNumber
  requester { id name validatorNumber }
  assignee { id name line }
  createdAt updatedAt firstResponseDueAt firstRespondedAt resolutionDueAt overdue closedAt resolution
  reopenCount commentCount solution
  comments { id author { id name role } body internal requestsReply createdAt }
  couponRequests { registrationNumber remark scenario fromStatus toStatus salesControlViolation }
`;

export const CREATE_TICKET = `mutation Create($input: CreateTicketInput!) {
  createTicket(input: $input) { commandId ticket { ${TICKET_FIELDS} } }
}`;

export const GET_TICKET = `query Get($id: ID, $number: Int) { ticket(id: $id, number: $number) { ${TICKET_FIELDS} } }`;

/** A ticket a requester would file about miles (no fields required by its type). */
export function milesTicket(subject = 'Miles not credited'): Record<string, unknown> {
  return {
    module: 'BONUS',
    category: 'MILES',
    type: 'MILES_ACCRUAL',
    subject,
    description: 'Flight SU100 on 3 September: miles were not credited to the account.',
  };
}

/** A refund ticket (its type requires pnr and nearestDepartureAt). */
export function refundTicket(): Record<string, unknown> {
  return {
    module: 'SMART_TICKETING',
    category: 'REFUND',
    type: 'TICKET_REFUND',
    subject: 'Refund blocked',
    description: 'The refund of the ticket fails: coupons are in status U after a rebooking.',
    priority: 'HIGH',
    pnr: 'ab12cd',
    nearestDepartureAt: '2026-12-01T09:30:00Z',
    eTicketNumber: '4212345678901',
  };
}

/** A complete coupon request form for UNAVAILABLE_REFUND (U → OPEN_FOR_USE). */
export function couponForm(ticketId: string): Record<string, unknown> {
  return {
    ticketId,
    pnr: 'AB12CD',
    eTicketNumber: '4212345678901',
    couponNumbers: [1, 2],
    passengerName: 'PETROVA/ANNA MS',
    scenario: 'UNAVAILABLE_REFUND',
    fromStatus: 'UNAVAILABLE_EXCHANGE_ONLY',
    toStatus: 'OPEN_FOR_USE',
    description: 'Coupons were set to U after the rebooking and the refund is refused by the system.',
    agent: { lastName: 'Petrova', firstName: 'Anna', middleName: 'Sergeevna', referenceNumber: 'REF-5LE' },
    agency: {
      name: 'Sky Travel',
      validatorNumber: '995-4731-7',
      address: 'Novosibirsk, Lenina 1',
      contacts: '+7 383 000 00 00',
    },
  };
}

export const REQUEST_COUPON = `mutation Coupon($input: RequestCouponStatusChangeInput!) {
  requestCouponStatusChange(input: $input) {
    ticket { id version couponRequests { registrationNumber } }
    request {
      registrationNumber ticketId ticketNumber pnr eTicketNumber couponNumbers passengerName scenario
      fromStatus toStatus description remark salesControlViolation deferredUntilFlown registeredAt retainUntil
      agent { lastName firstName middleName referenceNumber }
      agency { name validatorNumber address contacts }
      mcoNumber fareClasses { from to } boardingPass { checkInNumber seat other }
      requestedBy { id name role }
    }
  }
}`;
