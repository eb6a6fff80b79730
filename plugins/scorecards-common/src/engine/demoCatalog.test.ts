import { entityRefOf } from '../catalog/entityRefs';
import { demoEvaluator } from '../__fixtures__/demoEvaluator';
import { T } from '../__fixtures__/time';
import { decideGate } from '../gates/decideGate';
import { EntityEvaluation } from '../model/resultModel';
import { validateWaiverRequest } from '../waivers/validateWaiver';

/** Scorecards §6.3: expected levels of the demo catalog. */

const { standard, entities, evaluate: evaluateDemo } = demoEvaluator();

function evaluate(ref: string): EntityEvaluation {
  const entity = entities.find(e => entityRefOf(e) === ref)!;
  const result = evaluateDemo(entity);
  if (!result.scored) throw new Error('not scored');
  return result;
}

const nextBlockers = (e: EntityEvaluation) =>
  e.blockers
    .filter(b => b.level === e.nextLevel)
    .map(b => `${b.checkId}:${b.state}`);

describe('scorecards §6.3 demo catalog', () => {
  it('has the 34 demo entities', () => {
    expect(entities).toHaveLength(34);
  });

  it.each([
    ['component:default/payment-service', 'L3', 'L3', []],
    [
      'component:default/api-gateway',
      'L1',
      'L3',
      ['data-classification-declared:fail'],
    ],
    [
      'component:default/order-service',
      'L2',
      'L3',
      ['rollback-exercised:fail'],
    ],
    [
      'component:default/checkout-service',
      'L1',
      'L3',
      ['dependencies-match-observed:fail'],
    ],
    [
      'component:default/inventory-service',
      'L1',
      'L3',
      [
        'deploy-immutable-artifact:unknown',
        'deploy-recent:unknown',
        'rollback-ready:unknown',
      ],
    ],
    [
      'component:default/pricing-service',
      'L0',
      'L2',
      ['owner-group-active:fail'],
    ],
    [
      'component:default/web-storefront',
      'L0',
      'L3',
      ['owner-group-active:fail', 'telemetry-present:fail'],
    ],
    [
      'component:default/notification-worker',
      'none',
      'L1',
      ['owner-resolves:fail'],
    ],
    ['resource:default/checkout-db', 'L2', 'L2', []],
    ['resource:default/orders-db', 'L2', 'L2', []],
    ['resource:default/order-events', 'L2', 'L2', []],
    ['resource:default/payment-provider', 'L2', 'L2', []],
    [
      'resource:default/payments-db',
      'L1',
      'L2',
      ['backup-restore-tested:fail'],
    ],
    [
      'resource:default/inventory-db',
      'L1',
      'L2',
      ['backup-restore-tested:unknown'],
    ],
    ...['checkout-api', 'payment-api', 'inventory-api', 'order-api'].map(n => [
      `api:default/${n}`,
      'L0',
      'L0',
      [],
    ]),
    ...['storefront', 'checkout', 'payments', 'fulfillment'].map(n => [
      `system:default/${n}`,
      'L0',
      'L0',
      [],
    ]),
  ] as [string, string, string, string[]][])(
    '%s is %s (expected %s)',
    (ref, level, expected, blockers) => {
      const e = evaluate(ref);
      expect(e.level).toBe(level);
      expect(e.expectedLevel).toBe(expected);
      expect(nextBlockers(e)).toEqual(blockers);
    },
  );

  it('payment-service: waived burn alert, PagerDuty skipped, vulns check applies, no progressive delivery', () => {
    const results = new Map(
      evaluate('component:default/payment-service').results.map(r => [
        r.checkId,
        r,
      ]),
    );
    expect(results.get('slo-burn-alert')).toMatchObject({
      state: 'waived',
      rawState: 'fail',
    });
    expect(results.get('oncall-routed')!.state).toBe('pass');
    expect(results.get('oncall-routed')!.notes.join(' ')).toContain(
      'ONCALL_PROVIDER_UNAVAILABLE',
    );
    expect(results.get('critical-vulns-triaged')).toMatchObject({
      state: 'pass',
      phase: 'enforce-new',
    });
    expect(results.get('progressive-delivery')).toMatchObject({
      state: 'not-applicable',
      reason: 'CONTEXT_NOT_MATCHED',
    });
  });

  it('api-gateway already passes everything at L3', () => {
    const e = evaluate('component:default/api-gateway');
    expect(
      e.results
        .filter(r => r.level === 'L3' && r.state !== 'not-applicable')
        .every(r => r.state === 'pass'),
    ).toBe(true);
  });

  it('checkout-service notes the unmapped tax-svc and is then blocked at L3 by rollback-exercised', () => {
    const e = evaluate('component:default/checkout-service');
    expect(
      e.results.find(r => r.checkId === 'dependencies-match-observed')!.notes,
    ).toContain('unmapped callee tax-svc');
    expect(
      e.blockers.filter(b => b.level === 'L3').map(b => b.checkId),
    ).toEqual(['rollback-exercised']);
  });

  it('order-service: E14 (declared, not observed) is not a failure', () => {
    expect(
      evaluate('component:default/order-service').results.find(
        r => r.checkId === 'dependencies-match-observed',
      )!.state,
    ).toBe('pass');
  });

  it('inventory-service: ledger unknowns are LEDGER_NO_COVERAGE; contextual checks do not apply', () => {
    const results = new Map(
      evaluate('component:default/inventory-service').results.map(r => [
        r.checkId,
        r,
      ]),
    );
    expect(results.get('deploy-recent')!.reason).toBe('LEDGER_NO_COVERAGE');
    expect(results.get('progressive-delivery')!.state).toBe('not-applicable');
    expect(results.get('critical-vulns-triaged')!.state).toBe('not-applicable');
  });

  it('pricing-service inherits on-call from commerce-eng', () => {
    const r = evaluate('component:default/pricing-service').results.find(
      x => x.checkId === 'oncall-routed',
    )!;
    expect(r.state).toBe('pass');
    expect(r.message).toContain('static:commerce-escalation');
  });

  it('the deploy gate blocks notification-worker (owner-resolves in gate) and its waiver is refused', () => {
    const e = evaluate('component:default/notification-worker');
    const { decision } = decideGate({
      evaluation: e,
      standard,
      stage: 'deploy',
      firstSeenAt: '2025-06-01T00:00:00Z',
    });
    expect(decision.decision).toBe('block');
    expect(decision.reasons.map(r => r.checkId)).toContain('owner-resolves');
    const refused = validateWaiverRequest(
      {
        entityRef: e.entityRef,
        checkId: 'owner-resolves',
        kind: 'exception',
        reason: 'Team reorganisation pending, owner moves next sprint.',
        owner: 'group:default/fulfillment-team',
        requestedBy: 'user:default/dara.singh',
        expiresAt: '2026-03-30T00:00:00Z',
      },
      standard,
      [],
      T,
    );
    expect(refused).toEqual({
      ok: false,
      status: 400,
      message: 'check owner-resolves cannot be waived',
    });
  });

  it('cloud-resources-tagged is a preview in observe', () => {
    const r = evaluate('resource:default/checkout-db').results.find(
      x => x.checkId === 'cloud-resources-tagged',
    )!;
    expect(r).toMatchObject({ phase: 'observe', gating: false });
  });
});
