import { compileWith } from '../__fixtures__/standards';
import { T } from '../__fixtures__/time';
import { closeRetiredWaivers } from './closeRetiredWaivers';
import {
  isWaiverRequester,
  wasWithdrawn,
  validateWaiverApproval,
  validateWaiverRequest,
  waiverDaysLeft,
  waiverExpiryWarning,
  waiverExpiryWindows,
  WaiverRequest,
} from './validateWaiver';
import { Waiver } from './waiverTypes';

const standard = compileWith();
const request: WaiverRequest = {
  entityRef: 'component:default/ref-api',
  checkId: 'slo-burn-alert',
  kind: 'exception',
  reason: 'Burn-rate alerting waits for the new stack.',
  owner: 'group:default/ref-team',
  requestedBy: 'user:default/ref-a',
  expiresAt: '2026-04-01T00:00:00Z',
};
const existing: Waiver = {
  ...request,
  id: 'W9',
  createdAt: T,
  expiresAt: '2026-04-01T00:00:00Z',
  status: 'pending',
};

describe('SR16 creating a waiver', () => {
  it.each<[string, Partial<WaiverRequest>, unknown]>([
    ['valid', {}, { ok: true }],
    [
      'missing expiry',
      { expiresAt: undefined },
      { ok: false, status: 400, message: 'expiresAt is required' },
    ],
    [
      'beyond the check limit',
      { expiresAt: '2026-07-12T02:05:00Z' },
      {
        ok: false,
        status: 400,
        message:
          'expiresAt must be at most 90 days after now for check slo-burn-alert (got 120 days)',
      },
    ],
    [
      'reason too short',
      { reason: 'because' },
      {
        ok: false,
        status: 400,
        message: 'reason must be at least 20 characters (got 7)',
      },
    ],
    [
      'owner-resolves',
      { checkId: 'owner-resolves' },
      {
        ok: false,
        status: 400,
        message: 'check owner-resolves cannot be waived',
      },
    ],
    [
      'false-positive beyond 14 days',
      { kind: 'false-positive', expiresAt: '2026-03-30T00:00:00Z' },
      {
        ok: false,
        status: 400,
        message:
          'expiresAt must be at most 14 days after now for check slo-burn-alert (got 16 days)',
      },
    ],
  ])('%s', (_label, change, expected) => {
    expect(
      validateWaiverRequest({ ...request, ...change }, standard, [], T),
    ).toEqual(expected);
  });

  // The route normalizes what it accepts, but the rule is this function's: a day that does not
  // exist, free text or a time without a zone would otherwise be stored as some other instant.
  it.each([
    ['a day that does not exist', '2026-04-31T00:00:00Z'],
    ['free text', 'April 20 2026'],
    ['a date-time without a zone', '2026-04-01T00:00'],
    ['a date without a time', '2026-04-01'],
    ['a check id in the wrong field', 'owner-resolves'],
  ])('refuses an expiry that is %s', (_label, expiresAt) => {
    expect(
      validateWaiverRequest({ ...request, expiresAt }, standard, [], T),
    ).toEqual({
      ok: false,
      status: 400,
      message: `expiresAt must be an ISO-8601 UTC timestamp (got "${expiresAt}")`,
    });
  });

  it.each(['2026-04-01T00:00:00Z', '2026-04-01T02:00:00.000+02:00'])(
    'accepts an expiry with a zone: %s',
    expiresAt => {
      expect(
        validateWaiverRequest({ ...request, expiresAt }, standard, [], T),
      ).toEqual({ ok: true });
    },
  );

  it('a second pending or active waiver for the same pair is 409 naming the existing id', () => {
    const conflict = {
      ok: false,
      status: 409,
      message:
        'a pending waiver already exists for component:default/ref-api and slo-burn-alert: W9',
    };
    const second = {
      ...request,
      requestedBy: 'user:default/ref-b',
      reason: 'Another team member asks for the same waiver.',
    };
    expect(validateWaiverRequest(second, standard, [existing], T)).toEqual(
      conflict,
    );
    // The stored request itself again is a retry, not a second waiver: the same 409, with the
    // waiver the caller answers it with.
    expect(validateWaiverRequest(request, standard, [existing], T)).toEqual({
      ...conflict,
      retryOf: existing,
    });
    expect(
      validateWaiverRequest(
        request,
        standard,
        [{ ...existing, status: 'rejected' }],
        T,
      ),
    ).toEqual({ ok: true });
  });
});

describe('a waiver that could never count is refused (§2.1, §2.3)', () => {
  it.each<[string, Partial<WaiverRequest>, unknown]>([
    [
      'an entity of a kind that is never scored',
      { entityRef: 'group:default/checkout-team', checkId: 'tier-declared' },
      {
        ok: false,
        status: 400,
        message:
          'entityRef group:default/checkout-team is a group, which is not scored; waivers apply to Component, Resource, API, System',
      },
    ],
    [
      'a check whose appliesTo.kinds leaves the kind out',
      { entityRef: 'system:default/checkout' },
      {
        ok: false,
        status: 400,
        message:
          'check slo-burn-alert does not apply to system:default/checkout: its appliesTo.kinds is Component, so a waiver on it would never count',
      },
    ],
    [
      'a check whose appliesTo.kinds holds the kind, ref in other case',
      { entityRef: 'Resource:default/orders-db', checkId: 'tier-declared' },
      { ok: true },
    ],
  ])('%s', (_label, change, expected) => {
    expect(
      validateWaiverRequest({ ...request, ...change }, standard, [], T),
    ).toEqual(expected);
  });
});

describe('one open waiver per (entity, check), refs compared normalized', () => {
  it.each<[string, Partial<Waiver>, Partial<WaiverRequest>]>([
    ['same text', {}, {}],
    [
      'the existing ref in other case',
      { entityRef: 'Component:default/Ref-API' },
      {},
    ],
    [
      'the request in other case',
      {},
      { entityRef: 'component:Default/REF-api' },
    ],
    [
      'the request without its namespace',
      {},
      { entityRef: 'component:ref-api' },
    ],
    ['surrounding spaces', { entityRef: ' component:default/ref-api ' }, {}],
  ])('%s → 409', (_label, stored, asked) => {
    expect(
      validateWaiverRequest(
        { ...request, ...asked },
        standard,
        [{ ...existing, ...stored }],
        T,
      ),
    ).toMatchObject({ ok: false, status: 409 });
  });

  it('another entity is no duplicate', () => {
    expect(
      validateWaiverRequest(
        { ...request, entityRef: 'component:default/ref-api-v2' },
        standard,
        [existing],
        T,
      ),
    ).toEqual({ ok: true });
  });
});

describe('a waiver on a retired check is refused', () => {
  it.each<[string, string, unknown]>([
    [
      'retired before now',
      '2026-03-01',
      {
        ok: false,
        status: 400,
        message:
          'check slo-burn-alert retired at 2026-03-01 and is no longer evaluated; it cannot be waived',
      },
    ],
    [
      'retiring at this instant (SR30: retiresAt ≤ now)',
      T,
      {
        ok: false,
        status: 400,
        message: `check slo-burn-alert retired at ${T} and is no longer evaluated; it cannot be waived`,
      },
    ],
    ['retiring later', '2026-06-01', { ok: true }],
  ])('%s', (_label, retiresAt, expected) => {
    const retiring = compileWith({ 'slo-burn-alert': { retiresAt } });
    expect(validateWaiverRequest(request, retiring, [], T)).toEqual(expected);
  });
});

describe('a retried request is answered before the rules that move with the clock', () => {
  const stored: Waiver = {
    ...existing,
    status: 'active',
    approvedBy: 'user:default/ref-b',
  };
  const conflict = {
    ok: false,
    status: 409,
    message:
      'an active waiver already exists for component:default/ref-api and slo-burn-alert: W9',
  };

  it('after its check retired: the 409 naming the stored waiver, with the waiver to answer the retry with, not the 400 of a new request', () => {
    const retired = compileWith({
      'slo-burn-alert': { retiresAt: '2026-03-01' },
    });
    expect(validateWaiverRequest(request, retired, [stored], T)).toEqual({
      ...conflict,
      retryOf: stored,
    });
    // The same body with the ref written another way is the same request.
    expect(
      validateWaiverRequest(
        {
          ...request,
          entityRef: 'Component:Ref-API',
          reason: ` ${request.reason} `,
        },
        retired,
        [stored],
        T,
      ),
    ).toMatchObject({ ok: false, status: 409, retryOf: stored });
  });

  it('another request for an open pair is the 409 of SR16 without a waiver to answer with', () => {
    const verdict = validateWaiverRequest(
      { ...request, reason: 'Another reason, long enough to be a reason.' },
      standard,
      [stored],
      T,
    );
    expect(verdict).toEqual(conflict);
  });

  it('another body for the pair still meets the rules first', () => {
    const retired = compileWith({
      'slo-burn-alert': { retiresAt: '2026-03-01' },
    });
    for (const changed of [
      { reason: 'Another reason, long enough to be a reason.' },
      { expiresAt: '2026-03-30T00:00:00Z' },
      { requestedBy: 'user:default/ref-c' },
      { ticket: 'OPS-1' },
    ]) {
      expect(
        validateWaiverRequest({ ...request, ...changed }, retired, [stored], T),
      ).toMatchObject({ ok: false, status: 400 });
    }
  });

  it('a stored waiver that is no longer open does not hold the request', () => {
    const retired = compileWith({
      'slo-burn-alert': { retiresAt: '2026-03-01' },
    });
    expect(
      validateWaiverRequest(
        request,
        retired,
        [{ ...stored, status: 'revoked' }],
        T,
      ),
    ).toMatchObject({ ok: false, status: 400 });
  });
});

describe('SR17 approving', () => {
  it('approving one’s own request is 403', () => {
    expect(validateWaiverApproval(existing, 'user:default/ref-a', T)).toEqual({
      ok: false,
      status: 403,
      message: 'approver must differ from requester',
    });
    expect(
      validateWaiverApproval(existing, 'user:default/plat-lead', T),
    ).toEqual({ ok: true });
  });

  it('the requester spelt in other case is still the requester (refs are case-insensitive)', () => {
    expect(existing.requestedBy).toBe('user:default/ref-a');
    expect(validateWaiverApproval(existing, 'User:Default/Ref-A', T)).toEqual({
      ok: false,
      status: 403,
      message: 'approver must differ from requester',
    });
  });
});

describe('the requester of a waiver (who may withdraw it while pending)', () => {
  it('is named by its ref in any case; nobody else is', () => {
    expect(isWaiverRequester(existing, 'user:default/ref-a')).toBe(true);
    expect(isWaiverRequester(existing, 'User:Default/Ref-A')).toBe(true);
    expect(isWaiverRequester(existing, 'user:default/plat-lead')).toBe(false);
    // a service's subject, or a principal named only by its type, is not the user
    expect(isWaiverRequester(existing, 'plugin:catalog')).toBe(false);
    expect(isWaiverRequester(existing, 'user')).toBe(false);
  });

  it.each([
    [
      'revoked by its requester (any case) before approval',
      { revokedBy: 'User:Default/Ref-A' },
      true,
    ],
    [
      'revoked by someone else before approval',
      { revokedBy: 'user:default/plat-lead' },
      false,
    ],
    [
      'revoked by its requester after approval',
      {
        revokedBy: 'user:default/ref-a',
        approvedBy: 'user:default/plat-lead',
        approvedAt: T,
      },
      false,
    ],
    ['pending', { status: 'pending' as const }, false],
  ])('a waiver %s (%j) counts as withdrawn: %s', (_, overrides, expected) => {
    const w = {
      ...existing,
      status: 'revoked' as const,
      approvedBy: undefined,
      approvedAt: undefined,
      ...overrides,
    };
    expect(wasWithdrawn(w)).toBe(expected);
  });
});

describe('waiver countdown', () => {
  it('SC6: expires in 17 days, no warning yet; amber within 14 d, red within 3 d', () => {
    const w = { ...existing, status: 'active' as const };
    expect(waiverDaysLeft(w, T)).toBe(17);
    expect(waiverExpiryWarning(w, T)).toBe('none');
    expect(waiverExpiryWarning(w, '2026-03-20T00:00:00Z')).toBe('amber');
    expect(waiverExpiryWarning(w, '2026-03-29T00:00:00Z')).toBe('red');
  });

  // scorecards.waivers.expiryWarningDays with one value: the amber window, red stays at 3 d.
  it.each([
    // [configured, days left, warning]
    [[30], 20, 'amber'],
    [[30], 3, 'red'],
    [[30], 31, 'none'],
    [[7], 5, 'amber'],
    [[2], 2, 'red'],
    [[2], 3, 'none'],
    [[30, 7], 6, 'red'],
    [[7, 30], 20, 'amber'],
  ] as const)(
    'configured %j, %i days before expiry: %s',
    (configured, daysLeft, warning) => {
      const w = {
        ...existing,
        status: 'active' as const,
        expiresAt: new Date(Date.parse(T) + daysLeft * 86400000).toISOString(),
      };
      expect(waiverExpiryWarning(w, T, configured)).toBe(warning);
    },
  );

  it('reads one configured value as the amber window with red at 3 days inside it', () => {
    expect(waiverExpiryWindows([30])).toEqual({ amberDays: 30, redDays: 3 });
    expect(waiverExpiryWindows([2])).toEqual({ amberDays: 2, redDays: 2 });
    expect(waiverExpiryWindows([3, 14])).toEqual({ amberDays: 14, redDays: 3 });
  });
});

describe('SR30 retired checks close their waivers', () => {
  it('revokes open waivers of a retired check with reason check retired', () => {
    const retired = compileWith({
      'slo-burn-alert': { retiresAt: '2026-03-01' },
    });
    const closed = closeRetiredWaivers(
      [
        { ...existing, status: 'active' },
        { ...existing, id: 'other', checkId: 'chat-channel' },
      ],
      retired,
      T,
    );
    expect(closed.map(w => [w.id, w.status, w.closeReason])).toEqual([
      ['W9', 'revoked', 'check retired'],
    ]);
  });

  it('leaves the waivers of a check the standard does not define (a rename) as they are', () => {
    expect(
      closeRetiredWaivers(
        [{ ...existing, status: 'active', checkId: 'slo-burn-alerts' }],
        compileWith(),
        T,
      ),
    ).toEqual([]);
  });
});

describe('a pending waiver whose expiry passed before anyone decided', () => {
  // requested at T−10 d for 9 days, never approved or rejected
  const lapsed: Waiver = {
    ...existing,
    id: 'W-lapsed',
    createdAt: '2026-03-04T02:05:00Z',
    expiresAt: '2026-03-13T02:05:00Z',
  };

  it('no longer blocks a new request for the pair (it is expired, not open)', () => {
    expect(validateWaiverRequest(request, standard, [lapsed], T)).toEqual({
      ok: true,
    });
    // at the instant of its expiry already (exclusive end)
    expect(
      validateWaiverRequest(
        { ...request, expiresAt: '2026-03-20T00:00:00Z' },
        standard,
        [lapsed],
        lapsed.expiresAt,
      ),
    ).toEqual({ ok: true });
    // one minute before its expiry it still blocks
    expect(
      validateWaiverRequest(
        { ...request, expiresAt: '2026-03-20T00:00:00Z' },
        standard,
        [lapsed],
        '2026-03-13T02:04:00Z',
      ),
    ).toMatchObject({ ok: false, status: 409 });
  });

  it('cannot be approved or rejected any more: 409 naming that it expired undecided', () => {
    expect(validateWaiverApproval(lapsed, 'user:default/plat-lead', T)).toEqual(
      {
        ok: false,
        status: 409,
        message:
          'waiver W-lapsed expired before it was decided (expiresAt 2026-03-13T02:05:00Z); request a new one',
      },
    );
    // an approved waiver that expired keeps its message
    expect(
      validateWaiverApproval(
        { ...lapsed, status: 'active', approvedBy: 'user:default/plat-lead' },
        'user:default/plat-lead',
        T,
      ),
    ).toEqual({
      ok: false,
      status: 409,
      message: 'waiver W-lapsed is expired, not pending',
    });
  });
});
