import { acceptCouponRequest, isSystemFailureOnly } from '../../src/domain/coupon-request.rules';
import { InvalidInput } from '../../src/domain/domain.errors';
import { foldEntries } from '../../src/domain/ticket';
import { utf8Length } from '../../src/domain/field-checks';
import { MAX_COUPON_REQUESTS_PER_TICKET } from '../../src/domain/ticket.decide';
import {
  AGENT,
  AUDITOR,
  OTHER_REQUESTER,
  REPORTER,
  REQUESTER,
  SUPERVISOR,
  SYSTEM,
  TICKET_ID,
  couponForm,
  isoAfter,
  requestCoupon,
  solutionProposed,
  ticketAssigned,
  ticketClosed,
} from './fixtures';
import { accept, asRequester, created, now } from './coupon-helpers';
import { given } from './given-when-then';

describe('§3 CouponStatusChangeRequested', () => {
  it('§3 CouponStatusChangeRequested: a complete request is recorded with its registration, remark and retention', () => {
    given(created)
      .when(requestCoupon(couponForm()), asRequester)
      .then([
        {
          type: 'CouponStatusChangeRequested',
          data: {
            occurredAt: isoAfter(1),
            actor: { id: REQUESTER.id, role: 'REQUESTER' },
            registrationNumber: 'N17',
            registrationSeq: 17,
            pnr: 'A1B2C3',
            eTicketNumber: '4212345678901',
            couponNumbers: [1, 2],
            passengerName: 'IVANOV IVAN',
            scenario: 'UNAVAILABLE_REFUND',
            fromStatus: 'UNAVAILABLE_EXCHANGE_ONLY',
            toStatus: 'OPEN_FOR_USE',
            description: 'После переоформления купоны остались в статусе U, возврат невозможен',
            agent: {
              lastName: 'Кассирова',
              firstName: 'Анна',
              middleName: 'Петровна',
              referenceNumber: 'REF-77',
            },
            agency: {
              name: 'ООО Авиакасса',
              validatorNumber: '995-4731-7',
              address: 'Новосибирск, ул. Ленина, 1',
              contacts: '+7 383 000-00-00',
            },
            mcoNumber: null,
            fareClasses: null,
            boardingPass: null,
            remark: 'RQST N17 FR 3/09/26',
            salesControlViolation: false,
            deferredUntilFlown: false,
            retainUntil: '2027-09-03T09:00:00.000Z',
          },
        },
      ]);
  });

  it('§3 CouponStatusChangeRequested leaves the ticket status unchanged and lists the request on the ticket', () => {
    const history = [created, ticketAssigned(0.5)];
    const [event] = given(...history)
      .when(requestCoupon(couponForm()), { now, actor: AGENT })
      .thenEvents();
    const state = foldEntries([
      ...history.map((e) => ({ event: e })),
      { event, meta: { actorName: AGENT.name } },
    ]);
    expect(state?.status).toBe('ASSIGNED');
    expect(state?.version).toBe(2);
    expect(state?.couponRequests).toHaveLength(1);
    expect(state?.couponRequests[0]).toMatchObject({
      registrationNumber: 'N17',
      ticketId: TICKET_ID,
      ticketNumber: 1001,
      requestedBy: { id: AGENT.id, role: 'AGENT', name: AGENT.name },
      registeredAt: isoAfter(1),
      remark: 'RQST N17 FR 3/09/26',
    });
    expect(state?.couponRequests[0]).not.toHaveProperty('registrationSeq');
  });

  it('§3 a request is possible in any status but CLOSED', () => {
    given(created, ticketAssigned(0.5), solutionProposed(0.7))
      .when(requestCoupon(couponForm()), asRequester)
      .thenEvents();
    given(created, ticketClosed(0.5, 'WITHDRAWN'))
      .when(requestCoupon(couponForm()), asRequester)
      .thenRuleViolated('ticket.closed');
  });

  it('refuses a 101st request on one ticket with guidance (its read model must stay storable)', () => {
    const [first] = given(created).when(requestCoupon(couponForm()), asRequester).thenEvents();
    const requests = (count: number) =>
      Array.from({ length: count }, (_, i) => ({
        ...first,
        data: { ...first.data, registrationNumber: `N${i + 1}`, registrationSeq: i + 1 },
      })) as (typeof first)[];
    given(created, ...requests(MAX_COUPON_REQUESTS_PER_TICKET - 1))
      .when(requestCoupon(couponForm()), asRequester)
      .thenEvents();
    given(created, ...requests(MAX_COUPON_REQUESTS_PER_TICKET))
      .when(requestCoupon(couponForm()), asRequester)
      .thenRuleViolated('coupon.too-many-on-ticket', 'open a new ticket for the further requests');
  });

  it('refuses a request that would take the ticket past 8 MB of requests (4-byte characters count 4)', () => {
    const [first] = given(created).when(requestCoupon(couponForm()), asRequester).thenEvents();
    // 200 KB each in characters outside the BMP (U+20000: 4 bytes in UTF-8, 2 units in JavaScript).
    const heavy = '\u{20000}'.repeat(50_000);
    const requests = (count: number) =>
      Array.from({ length: count }, (_, i) => ({
        ...first,
        data: { ...first.data, description: heavy, registrationNumber: `N${i + 1}`, registrationSeq: i + 1 },
      })) as (typeof first)[];
    given(created, ...requests(30))
      .when(requestCoupon(couponForm()), asRequester)
      .thenEvents();
    given(created, ...requests(45))
      .when(requestCoupon(couponForm()), asRequester)
      .thenRuleViolated('coupon.too-many-on-ticket', 'open a new ticket for the further requests');
  });

  it('counts UTF-8 bytes as stored', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('жё')).toBe(4);
    expect(utf8Length('中')).toBe(3);
    expect(utf8Length('\u{20000}😀')).toBe(8);
    expect(utf8Length('\ud800x')).toBe(4);
    for (const text of ['plain', 'Кассир', '中文', '😀 \u{20000}', 'mixed ж 中 😀']) {
      expect(utf8Length(text)).toBe(Buffer.byteLength(text));
    }
  });

  it("§6 agents and supervisors request on a requester's behalf", () => {
    for (const actor of [AGENT, SUPERVISOR]) {
      expect(accept(couponForm(), { now, actor }).actor).toEqual({ id: actor.id, role: actor.role });
    }
  });

  it('§6 a requester requests only on their own ticket (ticket.not-owner)', () => {
    given(created)
      .when(requestCoupon(couponForm()), { now, actor: OTHER_REQUESTER })
      .thenRuleViolated('ticket.not-owner');
  });

  it.each([AUDITOR, REPORTER, SYSTEM].map((actor) => ({ role: actor.role, actor })))(
    '§6 a $role cannot request coupon changes (coupon.role)',
    ({ actor }) => {
      given(created).when(requestCoupon(couponForm()), { now, actor }).thenRuleViolated('coupon.role');
    },
  );
});

describe('§3 required fields, every one reported at once', () => {
  const COMMON_PATHS = [
    'pnr',
    'eTicketNumber',
    'couponNumbers',
    'passengerName',
    'description',
    'agent.lastName',
    'agent.firstName',
    'agent.referenceNumber',
    'agency.name',
    'agency.validatorNumber',
    'agency.address',
    'agency.contacts',
  ];

  it('§3 an empty form lists every missing field, scenario and statuses included', () => {
    given(created)
      .when(requestCoupon({}), asRequester)
      .thenInvalidInput([...COMMON_PATHS, 'scenario', 'fromStatus', 'toStatus']);
  });

  it.each([
    [
      'blank texts and empty nested objects',
      { pnr: ' ', eTicketNumber: '', passengerName: '  ', description: '   ' },
      { lastName: '', firstName: ' ' },
      {},
    ],
    [
      'texts of invisible characters only (zero-width spaces, direction marks, lone accents)',
      { pnr: '\u200b', eTicketNumber: '\u2060', passengerName: '\u200b\u200b', description: '\u202e\u202e' },
      { lastName: '\u200b', firstName: '\u0301' },
      { name: '\u200c', validatorNumber: '\u200d', address: '\u00a0', contacts: '\ufeff' },
    ],
  ])('§3 %s count as missing', (_case, texts, agent, agency) => {
    given(created)
      .when(
        requestCoupon({
          scenario: 'UNAVAILABLE_REFUND',
          fromStatus: 'UNAVAILABLE_EXCHANGE_ONLY',
          toStatus: 'OPEN_FOR_USE',
          couponNumbers: [],
          ...texts,
          agent: { ...agent, middleName: '', referenceNumber: null },
          agency,
        }),
        asRequester,
      )
      .thenInvalidInput(COMMON_PATHS);
  });

  it("numbers and codes are on one line, names' line breaks become a space; address, contacts and description keep theirs", () => {
    const form = couponForm({
      passengerName: 'IVANOV\nIVAN',
      agent: {
        lastName: 'Кассирова',
        firstName: 'Анна\t',
        middleName: 'Ив\nановна',
        referenceNumber: 'R\r1',
      },
      agency: {
        name: 'Агентство\u2028Восток',
        validatorNumber: '995\t4731',
        address: 'Москва,\nул. Тверская, 1',
        contacts: '+7 495 000-00-00\ninfo@example.ru',
      },
      boardingPass: { checkInNumber: '0\n42', seat: '12\tA', other: 'line 1\nline 2' },
      scenario: 'CHECKIN_STATUS_NOT_UPDATED',
      fromStatus: 'OPEN_FOR_USE',
      toStatus: 'SUSPENDED',
    });
    const refused = given(created)
      .when(requestCoupon(form), asRequester)
      .thenInvalidInput([
        'agency.validatorNumber',
        'agent.referenceNumber',
        'boardingPass.checkInNumber',
        'boardingPass.seat',
      ]);
    expect(refused.fields[0].message).toBe('must be on one line: no line breaks or tabs');
    const request = accept({
      ...form,
      agent: { ...form.agent, referenceNumber: 'R1' },
      agency: { ...form.agency, validatorNumber: '995-4731' },
      boardingPass: { checkInNumber: '042', seat: '12A', other: 'line 1\nline 2' },
    });
    expect(request).toMatchObject({
      passengerName: 'IVANOV IVAN',
      agent: { firstName: 'Анна', middleName: 'Ив ановна' },
      agency: { name: 'Агентство Восток', address: 'Москва,\nул. Тверская, 1' },
      boardingPass: { other: 'line 1\nline 2' },
    });
  });

  it('§3 middleName may be empty', () => {
    expect(
      accept(
        couponForm({
          agent: { lastName: 'Кассирова', firstName: 'Анна', middleName: '', referenceNumber: 'R1' },
        }),
      ).agent.middleName,
    ).toBeNull();
  });

  it('§3 DOWNGRADE_FARE_DIFFERENCE also requires mcoNumber and fareClasses.from/to', () => {
    given(created)
      .when(
        requestCoupon({ scenario: 'DOWNGRADE_FARE_DIFFERENCE', fromStatus: 'FLOWN', toStatus: 'CLOSED' }),
        asRequester,
      )
      .thenInvalidInput([...COMMON_PATHS, 'mcoNumber', 'fareClasses.from', 'fareClasses.to']);
  });

  it('§3 CHECKIN_STATUS_NOT_UPDATED also requires boardingPass', () => {
    given(created)
      .when(
        requestCoupon({
          scenario: 'CHECKIN_STATUS_NOT_UPDATED',
          fromStatus: 'OPEN_FOR_USE',
          toStatus: 'SUSPENDED',
        }),
        asRequester,
      )
      .thenInvalidInput([...COMMON_PATHS, 'boardingPass']);
  });

  it("§3 PNR and e-ticket number are checked like the ticket's (5–6 letters/digits; 13 digits)", () => {
    given(created)
      .when(requestCoupon(couponForm({ pnr: 'AB', eTicketNumber: '12345' })), asRequester)
      .thenInvalidInput(['pnr', 'eTicketNumber']);
    expect(accept(couponForm({ pnr: 'жк4шп9' })).pnr).toBe('ЖК4ШП9');
  });

  it.each([
    { couponNumbers: [0], why: 'below 1', paths: ['couponNumbers[0]'] },
    { couponNumbers: [5], why: 'above 4', paths: ['couponNumbers[0]'] },
    { couponNumbers: [1, 1], why: 'repeated', paths: ['couponNumbers[1]'] },
    { couponNumbers: [1, 2, 3, 4, 2], why: 'more than four', paths: ['couponNumbers', 'couponNumbers[4]'] },
    { couponNumbers: [1.5], why: 'not whole', paths: ['couponNumbers[0]'] },
  ])(
    '§3 couponNumbers are one to four distinct numbers 1–4: $couponNumbers ($why) is refused',
    ({ couponNumbers, paths }) => {
      given(created)
        .when(requestCoupon(couponForm({ couponNumbers })), asRequester)
        .thenInvalidInput(paths);
    },
  );

  it('§3 couponNumbers: every problem of the list is named at once, each coupon by its place ([0, 5, 1, 1, 2])', () => {
    let thrown: unknown;
    try {
      acceptCouponRequest(couponForm({ couponNumbers: [0, 5, 1, 1, 2] }), 1, now);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidInput);
    expect((thrown as InvalidInput).fields).toEqual([
      { path: 'couponNumbers', message: 'must list at most four coupons (5 given)' },
      { path: 'couponNumbers[0]', message: 'must be a coupon number from 1 to 4' },
      { path: 'couponNumbers[1]', message: 'must be a coupon number from 1 to 4' },
      { path: 'couponNumbers[3]', message: 'repeats coupon 1' },
    ]);
  });

  it('§3 couponNumbers: only the segments that need it, e.g. [4] or all four', () => {
    expect(accept(couponForm({ couponNumbers: [4] })).couponNumbers).toEqual([4]);
    expect(accept(couponForm({ couponNumbers: [3, 1, 4, 2] })).couponNumbers).toEqual([3, 1, 4, 2]);
  });

  it('§3 unknown scenario or statuses are bad input', () => {
    given(created)
      .when(
        requestCoupon(
          couponForm({ scenario: 'MAGIC' as never, fromStatus: 'LOST' as never, toStatus: 'FOUND' as never }),
        ),
        asRequester,
      )
      .thenInvalidInput(['scenario', 'fromStatus', 'toStatus']);
  });
});

describe('§3 description: at least 20 characters and not merely "system failure"', () => {
  it('§3 a description shorter than 20 characters (after trimming) is refused', () => {
    given(created)
      .when(requestCoupon(couponForm({ description: '  Купон не открылся  ' })), asRequester)
      .thenInvalidInput(['description']);
    expect(accept(couponForm({ description: ' Купон 2 не открылся! ' })).description).toBe(
      'Купон 2 не открылся!',
    );
  });

  it('§3 characters are counted as a person counts them: ten emoji are ten characters, not twenty', () => {
    const error = given(created)
      .when(requestCoupon(couponForm({ description: '🛩🛫🛬🧳🎫💺🛂🛃🌍🕑' })), asRequester)
      .thenInvalidInput(['description']);
    expect(error.fields[0].message).toMatch(/at least 20 characters/);
  });

  it.each([
    'сбой в системе',
    'Сбой в системе.',
    'СБОЙ СИСТЕМЫ!!!',
    '  сбой  ',
    'Сбой...',
    'System failure',
    'SYSTEM FAILURE!',
    'system-error',
    'System error.',
    '«Сбой в системе»!!!!!!!!!!!!!!!!!',
    'System   failure ... !!! ??? ... !!!',
  ])('§3 the description %p is merely "system failure" and refused as such', (description) => {
    const error = given(created)
      .when(requestCoupon(couponForm({ description })), asRequester)
      .thenInvalidInput(['description']);
    expect(error.fields[0].message).toMatch(/system failure/i);
  });

  it.each([
    ['zero-width spaces padding it to 20 characters', 'Сбой в системе\u200b\u200b\u200b\u200b\u200b\u200b'],
    ['a decomposed й', 'Сбои\u0306 в системе!!!!!!!'],
    ['a Latin C in Сбой', 'Cбой в системе!!!!!!!'],
    ['Latin look-alikes throughout', 'CБOЙ B CИCTEME!!!!!!!'],
    ['a Cyrillic е and о in "system error"', 'systеm errоr!!!!!!!!!!'],
    ['full-width letters', 'ｓｙｓｔｅｍ ｆａｉｌｕｒｅ!!!!!!'],
  ])('§3 "system failure" with %s is still merely "system failure"', (_, description) => {
    const error = given(created)
      .when(requestCoupon(couponForm({ description })), asRequester)
      .thenInvalidInput(['description']);
    expect(error.fields[0].message).toMatch(/system failure/i);
  });

  it('§3 invisible characters do not count toward the 20 characters', () => {
    const error = given(created)
      .when(
        requestCoupon(couponForm({ description: 'Купон не открылся\u200b\u200b\u200b\u200b' })),
        asRequester,
      )
      .thenInvalidInput(['description']);
    expect(error.fields[0].message).toMatch(/at least 20 visible characters \(17 given\)/);
  });

  it('§3 a description that explains the failure in 20+ characters is accepted even if it mentions one', () => {
    accept(couponForm({ description: 'Сбой в системе при обмене: купон 2 остался OPEN FOR USE' }));
    expect(isSystemFailureOnly('System failure during the exchange of coupon 2')).toBe(false);
  });
});
