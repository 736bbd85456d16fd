import { parseIsoDateTime } from '../../src/domain/field-checks';
import { DEFAULT_POLICY } from '../../src/domain/ticket.commands';
import type { TicketEvent } from '../../src/domain/ticket.events';
import {
  AGENT,
  AUDITOR,
  OTHER_REQUESTER,
  REPORTER,
  REQUESTER,
  SUPERVISOR,
  SYSTEM,
  T0,
  TICKET_ID,
  createTicket,
  hoursAfter,
  isoAfter,
  ticketCreated,
} from './fixtures';
import { given } from './given-when-then';

const atCreation = { now: hoursAfter(0), actor: REQUESTER };
const created = (events: TicketEvent[]) => {
  const [event] = events;
  if (event.type !== 'TicketCreated') throw new Error(`expected TicketCreated, got ${event.type}`);
  return event.data;
};

describe('§1/§2 TicketCreated', () => {
  it('§2 TicketCreated: a requester creates their own ticket, NEW, with channel WEB and priority NORMAL by default', () => {
    given().when(createTicket(), atCreation).then([ticketCreated()]);
    const state = given().when(createTicket(), atCreation).thenState();
    expect(state).toMatchObject({
      id: TICKET_ID,
      number: 1001,
      status: 'NEW',
      version: 0,
      createdAt: T0,
      updatedAt: T0,
    });
  });

  it('§1 subject and description are stored trimmed; channel and priority as given', () => {
    const data = created(
      given()
        .when(
          createTicket({
            subject: '  Мили  ',
            description: '\n Подробно \n',
            channel: 'TELEGRAM',
            priority: 'HIGH',
          }),
          atCreation,
        )
        .thenEvents(),
    );
    expect(data).toMatchObject({
      subject: 'Мили',
      description: 'Подробно',
      channel: 'TELEGRAM',
      priority: 'HIGH',
    });
  });

  it("§6 an agent or supervisor creates a ticket on a requester's behalf; the requester is who it is for", () => {
    for (const actor of [AGENT, SUPERVISOR]) {
      const data = created(
        given()
          .when(createTicket({ channel: 'PHONE' }), { now: hoursAfter(0), actor })
          .thenEvents(),
      );
      expect(data.requester).toEqual({
        id: REQUESTER.id,
        name: REQUESTER.name,
        validatorNumber: '995-4731-7',
      });
      expect(data.actor).toEqual({ id: actor.id, role: actor.role });
    }
  });

  it('§6 a requester cannot create a ticket for someone else (create.requester-not-self)', () => {
    given()
      .when(createTicket({ requester: { id: OTHER_REQUESTER.id } }), atCreation)
      .thenRuleViolated('create.requester-not-self');
  });

  it("§6 a requester's own name is taken from who they act as when the command leaves it out", () => {
    const data = created(
      given()
        .when(createTicket({ requester: { id: REQUESTER.id } }), atCreation)
        .thenEvents(),
    );
    expect(data.requester).toEqual({ id: REQUESTER.id, name: REQUESTER.name, validatorNumber: null });
  });

  it.each([AUDITOR, REPORTER, SYSTEM].map((actor) => ({ role: actor.role, actor })))(
    '§6 a $role cannot create tickets (create.role)',
    ({ actor }) => {
      given()
        .when(createTicket(), { now: hoursAfter(0), actor })
        .thenRuleViolated('create.role');
    },
  );

  it('§2 TicketCreated on an existing stream is refused (ticket.already-exists)', () => {
    given(ticketCreated()).when(createTicket(), atCreation).thenRuleViolated('ticket.already-exists');
  });

  it('§1 subject is 1–200 characters after trimming', () => {
    given()
      .when(createTicket({ subject: '   ' }), atCreation)
      .thenInvalidInput(['subject']);
    given()
      .when(createTicket({ subject: 'x'.repeat(201) }), atCreation)
      .thenInvalidInput(['subject']);
    expect(
      created(
        given()
          .when(createTicket({ subject: ` ${'x'.repeat(200)} ` }), atCreation)
          .thenEvents(),
      ).subject,
    ).toHaveLength(200);
  });

  it.each([
    ['zero-width spaces', '\u200b\u200b\u200b'],
    ['direction marks', '\u202e\u200f'],
    ['accents with no letter', '\u0301\u0301\u0301'],
    ['NUL characters', '\u0000\u0000'],
    ['a byte-order mark and a no-break space', '\ufeff\u00a0'],
  ])('§1 subject and description made only of %s are missing, as if blank', (_case, invisible) => {
    given()
      .when(createTicket({ subject: invisible, description: `${invisible} ` }), atCreation)
      .thenInvalidInput(['subject', 'description']);
    // Visible text with such characters in it is text (an accent on a letter, a mark between words).
    expect(
      created(
        given()
          .when(createTicket({ subject: 'e\u0301te\u200b ok' }), atCreation)
          .thenEvents(),
      ).subject,
    ).toBe('e\u0301te\u200b ok');
  });

  it('ids and numbers are on one line (a token cannot name a requester id with a line break)', () => {
    const refused = given()
      .when(
        createTicket({
          requester: { id: 'kassir\n1', name: REQUESTER.name, validatorNumber: '995\u20284731' },
        }),
        { now: hoursAfter(0), actor: AGENT },
      )
      .thenInvalidInput(['requester.id', 'requester.validatorNumber']);
    expect(new Set(refused.fields.map((f) => f.message))).toEqual(
      new Set(['must be on one line: no line breaks or tabs']),
    );
  });

  it("a subject's and a name's line breaks and tabs become one space (a mail gateway folds a long subject)", () => {
    const data = created(
      given()
        .when(
          createTicket({
            subject: 'Miles not credited\r\n\tfor flight SU100',
            description: 'Line one\n\tLine two',
            requester: { id: REQUESTER.id, name: 'Anna\n Petrova', validatorNumber: null },
          }),
          { now: hoursAfter(0), actor: AGENT },
        )
        .thenEvents(),
    );
    expect(data.subject).toBe('Miles not credited for flight SU100');
    expect(data.requester.name).toBe('Anna Petrova');
    expect(data.description).toBe('Line one\n\tLine two');
  });

  it('§1 an optional field of invisible characters only is given, and refused (not silently dropped)', () => {
    given()
      .when(
        createTicket({
          pnr: '\u200b',
          eTicketNumber: '\u0301',
          nearestDepartureAt: '\u0000',
          requester: { id: REQUESTER.id, name: '\u200b\u200b', validatorNumber: null },
        }),
        atCreation,
      )
      .thenInvalidInput(['eTicketNumber', 'nearestDepartureAt', 'pnr', 'requester.name']);
  });

  it('§1 subject length counts characters, not UTF-16 units: 200 emoji fit, 201 do not', () => {
    const plane1 = '🛫'; // two UTF-16 units, one character
    expect(
      created(
        given()
          .when(createTicket({ subject: plane1.repeat(200) }), atCreation)
          .thenEvents(),
      ).subject,
    ).toBe(plane1.repeat(200));
    const error = given()
      .when(createTicket({ subject: plane1.repeat(201) }), atCreation)
      .thenInvalidInput(['subject']);
    expect(error.fields[0].message).toBe('must be at most 200 characters (201 given)');
  });

  it('§1 description is 1–10,000 characters', () => {
    given()
      .when(createTicket({ description: '' }), atCreation)
      .thenInvalidInput(['description']);
    given()
      .when(createTicket({ description: 'я'.repeat(10_001) }), atCreation)
      .thenInvalidInput(['description']);
    given()
      .when(createTicket({ description: 'я'.repeat(10_000) }), atCreation)
      .thenEvents();
  });

  it('§1 channel and priority must be known values', () => {
    given()
      .when(createTicket({ channel: 'FAX' as never, priority: 'URGENT' as never }), atCreation)
      .thenInvalidInput(['channel', 'priority']);
  });

  it('§1 PNR is 5–6 Latin or Cyrillic letters or digits, stored upper-cased', () => {
    expect(
      created(
        given()
          .when(createTicket({ pnr: 'ab12c' }), atCreation)
          .thenEvents(),
      ).pnr,
    ).toBe('AB12C');
    expect(
      created(
        given()
          .when(createTicket({ pnr: 'жк4шп9' }), atCreation)
          .thenEvents(),
      ).pnr,
    ).toBe('ЖК4ШП9');
    expect(
      created(
        given()
          .when(createTicket({ pnr: 'іабвг' }), atCreation)
          .thenEvents(),
      ).pnr,
    ).toBe('ІАБВГ');
    for (const bad of ['ABCD', 'ABCDEFG', 'AB-12C', 'AB 12', 'ÉCOLE', 'ΑΒΓΔΕ']) {
      given()
        .when(createTicket({ pnr: bad }), atCreation)
        .thenInvalidInput(['pnr']);
    }
  });

  it('§1 PNR is checked as typed: letters that grow when upper-cased (ß, ﬃ, ſ, ı) are not Latin letters', () => {
    // Upper-cased first, these would read as valid PNRs: FFI12, SSAB12, SABCD, IABCD.
    for (const bad of ['ﬃ12', 'ßAB12', 'ſabcd', 'ıabcd']) {
      given()
        .when(createTicket({ pnr: bad }), atCreation)
        .thenInvalidInput(['pnr']);
    }
  });

  it('§1 e-ticket number is 13 digits (spaces and hyphens as typed are dropped)', () => {
    expect(
      created(
        given()
          .when(createTicket({ eTicketNumber: '421-2345678901' }), atCreation)
          .thenEvents(),
      ).eTicketNumber,
    ).toBe('4212345678901');
    for (const bad of ['421234567890', '42123456789012', '42123456789O1']) {
      given()
        .when(createTicket({ eTicketNumber: bad }), atCreation)
        .thenInvalidInput(['eTicketNumber']);
    }
  });

  it('§1 nearest departure is an ISO date-time, stored in UTC', () => {
    const data = created(
      given()
        .when(createTicket({ nearestDepartureAt: '2026-09-05T10:15:00+07:00' }), atCreation)
        .thenEvents(),
    );
    expect(data.nearestDepartureAt).toBe('2026-09-05T03:15:00.000Z');
    given()
      .when(createTicket({ nearestDepartureAt: 'tomorrow' }), atCreation)
      .thenInvalidInput(['nearestDepartureAt']);
  });

  it.each([
    ['30 February', '2026-02-30T10:00:00Z'],
    ['31 April', '2026-04-31T10:00:00Z'],
    ['29 February of a common year', '2027-02-29T10:00:00Z'],
    ['hour 24', '2026-09-03T24:00:00Z'],
    ['minute 60', '2026-09-03T10:60:00Z'],
    ['no time zone', '2026-09-03T10:00:00'],
  ])('§1 nearest departure names a real instant: %s is refused, not shifted', (_case, text) => {
    given()
      .when(createTicket({ nearestDepartureAt: text }), atCreation)
      .thenInvalidInput(['nearestDepartureAt']);
  });

  it('date-times count leap years as the Gregorian calendar does in every year, also 0–99', () => {
    expect(parseIsoDateTime('0004-02-29T00:00:00Z')).toBe(Date.parse('0004-02-29T00:00:00Z'));
    expect(parseIsoDateTime('0000-02-29T00:00:00Z')).toBe(Date.parse('0000-02-29T00:00:00Z'));
    expect(parseIsoDateTime('0100-02-29T00:00:00Z')).toBeNull(); // 100 is not a leap year
    expect(parseIsoDateTime('0099-02-29T00:00:00Z')).toBeNull();
  });

  it('date-times must fall in the years 0000–9999 once the offset is applied (their ISO text sorts as time)', () => {
    expect(parseIsoDateTime('9999-12-31T23:59:59Z')).toBe(Date.parse('9999-12-31T23:59:59Z'));
    expect(parseIsoDateTime('9999-12-31T23:00:00+05:00')).toBe(Date.parse('9999-12-31T18:00:00Z'));
    expect(parseIsoDateTime('9999-12-31T23:00:00-05:00')).toBeNull(); // the year 10000 in UTC
    expect(parseIsoDateTime('0000-01-01T00:00:00-01:00')).toBe(Date.parse('0000-01-01T01:00:00Z'));
    expect(parseIsoDateTime('0000-01-01T00:30:00+01:00')).toBeNull(); // the year −1 in UTC
    given()
      .when(createTicket({ nearestDepartureAt: '9999-12-31T23:59:59-23:59' }), atCreation)
      .thenInvalidInput(['nearestDepartureAt']);
  });

  it('§1 nearest departure on 29 February of a leap year is accepted', () => {
    const data = created(
      given()
        .when(createTicket({ nearestDepartureAt: '2028-02-29T23:30:00-01:00' }), atCreation)
        .thenEvents(),
    );
    expect(data.nearestDepartureAt).toBe('2028-03-01T00:30:00.000Z');
  });

  it('§1 every bad field is reported at once', () => {
    given()
      .when(
        createTicket({
          requester: { id: ' ' },
          subject: '',
          description: '',
          pnr: '1',
          eTicketNumber: '2',
          nearestDepartureAt: 'x',
        }),
        { now: hoursAfter(0), actor: AGENT },
      )
      .thenInvalidInput([
        'requester.id',
        'subject',
        'description',
        'pnr',
        'eTicketNumber',
        'nearestDepartureAt',
      ]);
  });
});

describe('§5 catalog checks on creation', () => {
  it('§5 an unknown module is refused', () => {
    given()
      .when(createTicket({ module: 'LUGGAGE', category: null, type: null }), atCreation)
      .thenInvalidInput(['module']);
  });

  it('§5 a missing module is refused', () => {
    given()
      .when(createTicket({ module: '', category: null, type: null }), atCreation)
      .thenInvalidInput(['module']);
  });

  it("§5 a category must belong to the module; the refusal says what the code is and lists the module's", () => {
    const message = (category: string) =>
      given()
        .when(createTicket({ module: 'BONUS', category, type: null }), atCreation)
        .thenInvalidInput(['category']).fields[0].message;
    expect(message('REFUND')).toBe(
      'REFUND is not a category of module BONUS (it is a category of module SMART_TICKETING); known: MILES, ACCOUNT',
    );
    expect(message('MILES_ACCRUAL')).toBe(
      'MILES_ACCRUAL is not a category of module BONUS (it is a type of module BONUS, in category MILES); known: MILES, ACCOUNT',
    );
    expect(message('NOTHING')).toBe('NOTHING is not a category of module BONUS; known: MILES, ACCOUNT');
  });

  it("§5 a type must belong to the module; the refusal says what the code is and lists the module's", () => {
    const message = (module: string, type: string) =>
      given()
        .when(createTicket({ module, category: null, type }), atCreation)
        .thenInvalidInput(['type']).fields[0].message;
    expect(message('BONUS', 'TICKET_REFUND')).toBe(
      'TICKET_REFUND is not a type of module BONUS (it is a type of module SMART_TICKETING); known: MILES_ACCRUAL, PERSONAL_ACCOUNT',
    );
    // It said "(it belongs to module SMART_TICKETING)" of SMART_TICKETING's own category.
    expect(message('SMART_TICKETING', 'REFUND')).toBe(
      'REFUND is not a type of module SMART_TICKETING (it is a category of module SMART_TICKETING, not a type); ' +
        'known: TICKET_REFUND, TICKET_EXCHANGE, TICKET_ISSUANCE, EMD_ISSUANCE, COUPON_STATUS_CHANGE',
    );
  });

  it('§5 a type must belong to the category given', () => {
    given()
      .when(createTicket({ module: 'BONUS', category: 'ACCOUNT', type: 'MILES_ACCRUAL' }), atCreation)
      .thenInvalidInput(['type']);
  });

  it('§5 a type left without its category gets the category it belongs to', () => {
    expect(
      created(
        given()
          .when(createTicket({ category: null, type: 'MILES_ACCRUAL' }), atCreation)
          .thenEvents(),
      ).category,
    ).toBe('MILES');
  });

  it('§5 in SMART_TICKETING a type is required', () => {
    given()
      .when(createTicket({ module: 'SMART_TICKETING', category: 'REFUND', type: null }), atCreation)
      .thenInvalidInput(['type']);
  });

  it('§5 outside SMART_TICKETING the type may be omitted', () => {
    for (const module of ['BONUS', 'TECHNOLOGIES', 'MOBILE_CHECKIN']) {
      const data = created(
        given()
          .when(createTicket({ module, category: null, type: null }), atCreation)
          .thenEvents(),
      );
      expect(data).toMatchObject({ module, category: null, type: null });
    }
  });

  it.each([
    { type: 'TICKET_REFUND', category: 'REFUND', fields: ['pnr', 'nearestDepartureAt'] },
    { type: 'TICKET_EXCHANGE', category: 'EXCHANGE', fields: ['pnr', 'nearestDepartureAt'] },
    { type: 'TICKET_ISSUANCE', category: 'ISSUANCE', fields: ['pnr'] },
    { type: 'EMD_ISSUANCE', category: 'ISSUANCE', fields: ['pnr'] },
    { type: 'COUPON_STATUS_CHANGE', category: 'FAILURES', fields: ['pnr', 'eTicketNumber'] },
  ])(
    '§5 SMART_TICKETING type $type requires $fields (each reported when missing)',
    ({ type, category, fields }) => {
      given()
        .when(createTicket({ module: 'SMART_TICKETING', category, type }), atCreation)
        .thenInvalidInput(fields);
      const complete = { pnr: 'ABC123', nearestDepartureAt: isoAfter(48), eTicketNumber: '4212345678901' };
      given()
        .when(createTicket({ module: 'SMART_TICKETING', category, type, ...complete }), atCreation)
        .thenEvents();
    },
  );

  it('§5 MOBILE_CHECKIN ANCILLARY_ERROR requires a PNR', () => {
    given()
      .when(
        createTicket({ module: 'MOBILE_CHECKIN', category: 'ANCILLARIES', type: 'ANCILLARY_ERROR' }),
        atCreation,
      )
      .thenInvalidInput(['pnr']);
  });

  it('§5 a catalog passed in the context replaces the default', () => {
    const catalog = {
      modules: [{ code: 'CARGO', name: { ru: 'Грузы', en: 'Cargo' }, typeRequired: false, categories: [] }],
    };
    given()
      .when(createTicket({ module: 'CARGO', category: null, type: null }), { ...atCreation, catalog })
      .thenEvents();
    given()
      .when(createTicket(), { ...atCreation, catalog })
      .thenInvalidInput(['module']);
  });
});

describe('§4 SLA due times on creation', () => {
  it.each([
    ['CRITICAL', 4],
    ['HIGH', 24],
    ['NORMAL', 72],
    ['LOW', 120],
  ] as const)('§4 priority %s: first response due in 24 h, resolution in %i h', (priority, hours) => {
    const data = created(given().when(createTicket({ priority }), atCreation).thenEvents());
    expect(data.firstResponseDueAt).toBe(isoAfter(24));
    expect(data.resolutionDueAt).toBe(isoAfter(hours));
  });

  it('§4 durations come from the configured policy', () => {
    const policy = {
      ...DEFAULT_POLICY,
      firstResponseHours: 8,
      resolutionHours: { ...DEFAULT_POLICY.resolutionHours, NORMAL: 48 },
    };
    const data = created(
      given()
        .when(createTicket(), { ...atCreation, policy })
        .thenEvents(),
    );
    expect(data.firstResponseDueAt).toBe(isoAfter(8));
    expect(data.resolutionDueAt).toBe(isoAfter(48));
  });
});
