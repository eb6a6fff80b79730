import { ResponseError } from '@backstage/errors';
import { responseError } from '../../__testUtils__/fixtures';
import { describeFailure } from './apiErrors';
import {
  CheckWaiverRules,
  WaiverForm,
  decisionReasonError,
  expiryOf,
  expiryRange,
  maxDaysFor,
  validateWaiverForm,
  waiverRulesOf,
} from './waiverRules';

const NOW = Date.parse('2026-03-14T02:05:00.000Z');
const RULES: CheckWaiverRules = {
  allowed: true,
  maxDays: 90,
  fromStandard: true,
};
const form = (over: Partial<WaiverForm> = {}): WaiverForm => ({
  kind: 'exception',
  reason: 'Repository is moving to the new host this sprint.',
  expiresOn: '2026-04-01',
  ticket: '',
  ...over,
});

describe('waiver rules (§2.8, same limits as the backend)', () => {
  it('reads allowed and maxDays from the standard, defaulting by severity', () => {
    expect(
      waiverRulesOf({ severity: 'high', waiver: { allowed: false } }),
    ).toEqual({ allowed: false, maxDays: 90, fromStandard: true });
    expect(
      waiverRulesOf({ severity: 'critical', waiver: undefined }),
    ).toMatchObject({ allowed: true, maxDays: 30 });
    expect(
      waiverRulesOf({ severity: 'low', waiver: { allowed: true, maxDays: 7 } })
        .maxDays,
    ).toBe(7);
    expect(waiverRulesOf(undefined, 'critical')).toEqual({
      allowed: true,
      maxDays: 30,
      fromStandard: false,
    });
  });

  it('caps false positives at 14 days', () => {
    expect(maxDaysFor(RULES, 'false-positive')).toBe(14);
    expect(maxDaysFor({ ...RULES, maxDays: 5 }, 'false-positive')).toBe(5);
    expect(maxDaysFor(RULES, 'frozen')).toBe(90);
  });

  it('offers dates from tomorrow to now + maxDays (expiry at 00:00 UTC)', () => {
    expect(expiryRange(NOW, 90)).toEqual({
      min: '2026-03-15',
      max: '2026-06-12',
    });
    expect(expiryOf('2026-06-12')).toBe('2026-06-12T00:00:00.000Z');
  });

  it('accepts a valid form', () => {
    expect(validateWaiverForm(form(), RULES, NOW)).toEqual({});
    expect(
      validateWaiverForm(form({ expiresOn: '2026-06-12' }), RULES, NOW),
    ).toEqual({});
  });

  it.each([
    [
      { reason: '  too short  ' },
      'reason',
      'Give a reason of at least 20 characters (9 so far).',
    ],
    [{ expiresOn: '' }, 'expiresOn', 'Pick the date the waiver expires.'],
    [
      { expiresOn: '2026-03-14' },
      'expiresOn',
      'The expiry must be in the future (2026-03-15 or later).',
    ],
    [
      { expiresOn: '2026-06-13' },
      'expiresOn',
      'At most 90 days: pick 2026-06-12 or earlier.',
    ],
    [
      { kind: 'false-positive' as const, expiresOn: '2026-03-29' },
      'expiresOn',
      'At most 14 days for a false positive: pick 2026-03-28 or earlier.',
    ],
    [{ ticket: 'x'.repeat(2049) }, 'ticket', 'At most 2048 characters.'],
  ])('%j → %s error', (over, field, message) => {
    expect(validateWaiverForm(form(over), RULES, NOW)).toEqual({
      [field]: message,
    });
  });
});

describe('decisionReasonError (reject and revoke, same limits as the backend)', () => {
  it('needs 10 to 1000 characters after trimming', () => {
    expect(decisionReasonError('')).toBe(
      'Say why, so the requester knows what to change: at least 10 characters (0 so far).',
    );
    expect(decisionReasonError('   123456789   ')).toBe(
      'Say why, so the requester knows what to change: at least 10 characters (9 so far).',
    );
    expect(decisionReasonError('  1234567890  ')).toBeUndefined();
    expect(decisionReasonError('x'.repeat(1000))).toBeUndefined();
    expect(decisionReasonError('x'.repeat(1001))).toBe(
      'At most 1000 characters (1001 now).',
    );
  });
});

describe('describeFailure', () => {
  it('shows a 403 as "You are not allowed to …" with the permission the server names', async () => {
    const error = await responseError(
      403,
      'scorecards.waiver.approve is not allowed on check branch-protection',
    );
    expect(ResponseError.is(error)).toBe(true);
    expect(
      describeFailure(
        error,
        'approve the waiver on branch-protection',
        'scorecards.waiver.approve',
      ),
    ).toEqual({
      status: 403,
      title:
        'You are not allowed to approve the waiver on branch-protection (permission scorecards.waiver.approve)',
      message:
        'scorecards.waiver.approve is not allowed on check branch-protection',
    });
  });

  it('falls back to the route permission and keeps other messages verbatim', async () => {
    expect(
      describeFailure(
        await responseError(403, 'approver must differ from requester'),
        'approve the waiver on x',
        'scorecards.waiver.approve',
      ).title,
    ).toBe(
      'You are not allowed to approve the waiver on x (permission scorecards.waiver.approve)',
    );
    expect(
      describeFailure(
        await responseError(409, 'a pending waiver already exists', 'Conflict'),
        'request',
        'scorecards.waiver.create',
      ),
    ).toEqual({ status: 409, message: 'a pending waiver already exists' });
    expect(describeFailure(new Error('offline'), 'request', 'p').message).toBe(
      'offline',
    );
  });
});
