import { Entity } from '@backstage/catalog-model';
import {
  changeRiskSchema,
  FactRecord,
  StoredChange,
} from '@internal/plugin-evidence-common';
import {
  ChangeRisk,
  RiskDimension,
} from '@internal/plugin-incident-brief-common';
import {
  change,
  demoEntities,
  demoLedger,
  series,
  setSloFacts,
  sloFact,
  T,
  withRelations,
} from '../__fixtures__/demoWorld';
import { briefWorld } from '../__testUtils__/briefWorld';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const c = (n: string) => `component:default/${n}`;
const r = (n: string) => `resource:default/${n}`;
const canary = { from: 0, to: 100, strategy: 'canary', analysis: true };
const passed = { status: 'passed' };
const healthy = { burnRate1h: 0.4, budgetRemaining: 0.8 };

/** The demo world of the router and risk tests, with its fresh, healthy SLO facts. */
function world(options: { entities?: Entity[]; healthGrace?: string } = {}) {
  const clock = { now: Date.now() };
  const { evidence, logger, briefs, writer } = briefWorld({
    entities: options.entities,
    incidentBrief: options.healthGrace
      ? { risk: { healthGrace: options.healthGrace } }
      : {},
    writer: read => ({
      healthGraceMs: read.risk.healthGraceMs,
      now: () => clock.now,
    }),
  });
  const { state } = evidence;
  const find = (id: string) => state.ledger.find(x => x.id === id)!;

  /** The risk the write-back computes for one change. */
  const scored = async (id: string): Promise<ChangeRisk> => {
    const outcome = (await briefs.scoreChanges([find(id)])).get(id);
    if (outcome?.status !== 'scored') {
      throw new Error(`${id} not scored: ${JSON.stringify(outcome)}`);
    }
    return outcome.risk;
  };
  /** The risk the brief of the change's entity shows on read (30-day window). */
  const onRead = async (id: string): Promise<ChangeRisk | null> => {
    const brief = await briefs.brief({
      entityRef: find(id).entityRef!,
      windowMs: 30 * DAY,
    });
    return brief.changes.items.find(i => i.change.id === id)?.risk ?? null;
  };
  /** Scores a change both ways, checks they agree, and returns it. */
  const risk = async (id: string) => {
    const written = await scored(id);
    expect(await onRead(id)).toEqual(written);
    // what PUT /changes/:id/risk accepts (reason ≤ 1,024, evidence ≤ 2,048 characters)
    expect(changeRiskSchema.safeParse(written).success).toBe(true);
    return written;
  };
  const d5 = (x: ChangeRisk): RiskDimension =>
    x.dimensions.find(d => d.id === 'D5')!;
  return {
    evidence,
    state,
    logger,
    briefs,
    writer,
    clock,
    scored,
    onRead,
    risk,
    d5,
  };
}

type World = ReturnType<typeof world>;
const setSlo = (
  w: World,
  name: string,
  value: Parameters<typeof sloFact>[1],
  observedMin = -4,
  freshForSeconds?: number,
) =>
  setSloFacts(
    w.state,
    c(name),
    sloFact(c(name), value, observedMin, freshForSeconds),
  );
const addChange = (w: World, ...changes: StoredChange[]) =>
  w.state.ledger.push(...changes);

/** A canary deploy with passed CI on `entity`, `min` minutes from T. */
const deploy = (id: string, entityRef: string, min = -5) =>
  change(
    id,
    entityRef,
    'deploy',
    id,
    'bot:deploy-bot',
    min,
    min + 1,
    'succeeded',
    {
      artifactDigest: `sha256:${id}`,
      exposure: canary,
      verification: passed,
    },
  );

/** An earlier succeeded deploy of notification-worker (W5: "one earlier succeeded change"). */
const workerEarlier = () =>
  deploy('NW0', c('notification-worker'), (-3 * DAY) / MINUTE);

describe('SLO health in change risk (IB §5 D5) on the demo world', () => {
  // IB §5 worked examples the demo ledger holds; D5 = 0 because every Component has a fresh SLO
  // record with burn rate < 1 and budget > 50 % (IB §7 "Health evidence (demo)")
  it.each<[string, string, number[], number, ChangeRisk['tier'], string[]]>([
    ['W1', 'L2', [3, 3, 1, 1, 0, 0, 0], 8, 'Medium', []],
    ['W2', 'L3', [3, 3, 1, 3, 0, 0, 1], 11, 'Medium', []],
    ['W3', 'L5', [2, 3, 3, 3, 0, 2, 0], 13, 'High', ['F1']],
    ['W6', 'L9', [1, 3, 0, 0, 0, 0, 0], 4, 'Low', []],
    ['W7', 'L8', [1, 3, 1, 2, 0, 0, 0], 7, 'Medium', []],
    ['W9', 'L4', [2, 3, 2, 3, 0, 2, 1], 13, 'High', []],
    ['W10', 'L6', [2, 3, 1, 3, 0, 2, 0], 11, 'Medium', []],
  ])(
    '%s (%s): the note’s vector and tier, on read and written back',
    async (_w, id, dims, score, tier, floors) => {
      const w = world();
      const risk = await w.risk(id);
      expect(risk.dimensions.map(d => d.value)).toEqual(dims);
      expect(risk.score).toBe(score);
      expect(risk.tier).toBe(tier);
      expect(risk.floorsApplied).toEqual(floors);
      expect(w.d5(risk)).toMatchObject({ value: 0, unknown: false });
      expect(w.d5(risk).reason).toMatch(/^healthy \(/);
    },
  );

  it('W1: D5 names the SLO it read, its values and when it was observed', async () => {
    const w = world();
    const d5 = w.d5(await w.risk('L2'));
    expect(d5.evidence).toMatch(
      /^slo\.status observed \S+Z: checkout-service-availability burn rate 0\.4, budget 80 %$/,
    );
    expect(d5.reason).toBe(`healthy (${d5.evidence})`);
  });

  it('W3/W10: a Resource without its own SLO takes the worst of its direct dependents, without naming them', async () => {
    const w = world();
    const l5 = w.d5(await w.risk('L5'));
    expect(l5.evidence).toBe(
      'no SLO of its own; worst of its 1 direct dependent: burn rate 0.4, budget 80 %',
    );
    const l6 = w.d5(await w.risk('L6'));
    expect(l6.evidence).toBe(
      'no SLO of its own; worst of its 2 direct dependents: burn rate 0.4, budget 80 %',
    );

    // order-events is needed by order-service and notification-worker: the worse one counts
    setSlo(w, 'notification-worker', {
      'notification-worker-availability': {
        burnRate1h: 2.5,
        budgetRemaining: 0.9,
      },
    });
    const worse = w.d5(await w.risk('L6'));
    expect(worse).toMatchObject({ value: 2, unknown: false });
    expect(worse.reason).toContain('burn rate 2.5, budget 80 %');
    expect(worse.reason).not.toMatch(/notification-worker|order-service/);
  });

  it('W4: W3 while payment-service’s error budget is exhausted is Critical (F1, F2, F3)', async () => {
    const w = world();
    setSlo(w, 'payment-service', {
      'payment-service-availability': { burnRate1h: 3, budgetRemaining: 0 },
    });
    const risk = await w.risk('L5');
    expect(risk.dimensions.map(d => d.value)).toEqual([2, 3, 3, 3, 3, 2, 0]);
    expect(risk).toMatchObject({
      score: 16,
      tier: 'Critical',
      floorsApplied: ['F1', 'F2', 'F3'],
    });
    expect(w.d5(risk).reason).toContain('error budget exhausted');
    expect(w.d5(risk).reason).toContain('budget 0 % (exhausted)');
  });

  it('a Resource with an SLO of its own is scored by it, not by its dependents', async () => {
    const w = world();
    setSlo(w, 'payment-service', {
      'payment-service-availability': { burnRate1h: 3, budgetRemaining: 0 },
    });
    setSloFacts(
      w.state,
      r('payments-db'),
      sloFact(r('payments-db'), {
        'payments-db-availability': { burnRate1h: 0.1, budgetRemaining: 0.95 },
      }),
    );
    expect(w.d5(await w.risk('L5'))).toMatchObject({ value: 0 });
  });

  it('a Resource dependent without fresh SLO evidence makes the reading incomplete: unknown, not healthy', async () => {
    const w = world();
    setSloFacts(w.state, c('notification-worker'));
    const missing = w.d5(await w.risk('L6'));
    expect(missing).toMatchObject({ value: 2, unknown: true });
    expect(missing.reason).toContain('1 without SLO data');

    // observed 31 h before T: 25 h old at L6 (T−6 h), stale
    setSlo(
      w,
      'notification-worker',
      { 'notification-worker-availability': healthy },
      -31 * 60,
    );
    setSloFacts(w.state, c('order-service'));
    const none = w.d5(await w.risk('L6'));
    expect(none).toMatchObject({ value: 2, unknown: true });
    expect(none.reason).toBe(
      'SLO evidence missing or stale (no SLO of its own; of its 2 direct dependents none has fresh SLO evidence (1 with stale slo.status, 1 without SLO data))',
    );
  });

  it('W5: a kill switch on the user-owned notification-worker is Low (1)', async () => {
    const w = world();
    addChange(
      w,
      workerEarlier(),
      change(
        'W5',
        c('notification-worker'),
        'feature-flag',
        'notify.send ops 100 → 0 %',
        'user:dara.singh',
        -5,
        -5,
        'succeeded',
        {
          flagKey: 'notify.send',
          flagType: 'ops',
          exposure: { from: 100, to: 0 },
        },
      ),
    );
    const risk = await w.risk('W5');
    expect(risk.dimensions.map(d => d.value)).toEqual([0, 0, 0, 0, 0, 0, 1]);
    expect(risk).toMatchObject({ score: 1, tier: 'Low', floorsApplied: [] });
  });

  it('W8: an instrumented entity without tier, SLO, history, exposure or verification is Medium, lowConfidence (F4)', async () => {
    const lonely: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'lonely',
        annotations: { 'ops.example.com/aliases': 'lonely' },
      },
      spec: {
        type: 'service',
        owner: 'group:default/checkout-team',
        lifecycle: 'production',
      },
    };
    const w = world({ entities: withRelations([...demoEntities(), lonely]) });
    w.state.edges.push(
      series('lonely', 'orders', c('lonely'), c('order-service'), 1),
    );
    addChange(
      w,
      change(
        'W8',
        c('lonely'),
        'deploy',
        '0.1.0',
        'bot:deploy-bot',
        -30,
        -29,
        'succeeded',
        {
          artifactDigest: 'sha256:w8',
        },
      ),
    );
    const risk = await w.risk('W8');
    expect(risk.dimensions.map(d => d.value)).toEqual([2, 0, 2, 2, 2, 2, 1]);
    expect(risk).toMatchObject({
      score: 11,
      tier: 'Medium',
      lowConfidence: true,
      floorsApplied: ['F4'],
    });
    expect(w.d5(risk)).toMatchObject({
      unknown: true,
      reason: 'SLO evidence missing or stale (no slo.status fact)',
    });
  });

  it('a stale slo.status scores 2, unknown, and the reason says it is stale and how old', async () => {
    const w = world();
    addChange(w, deploy('L12', c('payment-service')));
    // observed 25 h before T, fresh for 24 h: stale at the change (T−5 m)
    setSlo(
      w,
      'payment-service',
      { 'payment-service-availability': healthy },
      -25 * 60,
    );
    const d5 = w.d5(await w.risk('L12'));
    expect(d5).toMatchObject({ value: 2, unknown: true });
    expect(d5.reason).toMatch(
      /^SLO evidence missing or stale \(slo\.status stale: observed \S+Z, 24 h old, fresh for 24 h\)$/,
    );
    // the brief says so too
    const brief = await w.briefs.brief({ entityRef: c('payment-service') });
    expect(brief.missingEvidence.map(m => m.code)).toContain(
      'SLO_EVIDENCE_MISSING',
    );

    // a record may shorten its window: observed 2 h ago, fresh for 1 h
    setSlo(
      w,
      'payment-service',
      { 'payment-service-availability': healthy },
      -120,
      3600,
    );
    expect(w.d5(await w.risk('L12')).reason).toContain(
      'slo.status stale: observed',
    );
    expect(w.d5(await w.risk('L12')).reason).toContain('fresh for 1 h');

    // freshness is judged as of the change: L1 (three days ago) precedes the fact, which is the
    // nearest evidence there is
    setSlo(
      w,
      'payment-service',
      { 'payment-service-availability': healthy },
      -25 * 60,
    );
    expect(w.d5(await w.risk('L1'))).toMatchObject({
      value: 0,
      unknown: false,
    });
  });

  it('burn rate ≥ 2 scores 2 (known), ≥ 1 scores 1; the worst SLO of the entity counts', async () => {
    const w = world();
    addChange(w, deploy('L12', c('payment-service')));
    setSlo(w, 'payment-service', {
      'payment-service-availability': { burnRate1h: 2.3, budgetRemaining: 0.7 },
    });
    expect(w.d5(await w.risk('L12'))).toMatchObject({
      value: 2,
      unknown: false,
    });

    setSlo(w, 'payment-service', {
      'payment-service-availability': { burnRate1h: 1.2, budgetRemaining: 0.7 },
    });
    expect(w.d5(await w.risk('L12'))).toMatchObject({
      value: 1,
      unknown: false,
    });

    // max burn rate and min budget over the entity's SLOs
    setSlo(w, 'payment-service', {
      'payment-service-availability': { burnRate1h: 1.5, budgetRemaining: 0.9 },
      'payment-service-latency': { burnRate1h: 0.2, budgetRemaining: 0.2 },
    });
    const two = w.d5(await w.risk('L12'));
    expect(two).toMatchObject({ value: 2, unknown: false });
    expect(two.evidence).toContain(
      'payment-service-availability burn rate 1.5, budget 90 %; payment-service-latency burn rate 0.2, budget 20 %',
    );

    // SLO names are data: a long one is cut so that evidence still accepts the risk
    setSlo(w, 'payment-service', {
      [`payment-service-${'x'.repeat(2000)}`]: healthy,
    });
    const long = w.d5(await w.risk('L12'));
    expect(long).toMatchObject({ value: 0 });
    expect(long.evidence!.length).toBeLessThanOrEqual(600);
    expect(long.evidence!.endsWith('…')).toBe(true);

    // an SLO without data is missing evidence: unknown, not healthy
    setSlo(w, 'payment-service', {
      'payment-service-availability': healthy,
      'payment-service-latency': { burnRate1h: null, budgetRemaining: null },
    });
    const partial = w.d5(await w.risk('L12'));
    expect(partial).toMatchObject({ value: 2, unknown: true });
    expect(partial.reason).toContain('payment-service-latency without data');
  });

  // IB §5: a missing input scores 2 and unknown. A number no SLO can report is no reading: it must
  // not be combined with the other SLOs' readings (max burn rate, min budget), where a healthy
  // SLO's values would stand for it.
  it.each<[string, { burnRate1h: number; budgetRemaining: number }, string]>([
    [
      'a budget above 1',
      { burnRate1h: 0.2, budgetRemaining: 7 },
      'budget remaining 7 (above 1)',
    ],
    [
      'a negative burn rate',
      { burnRate1h: -3, budgetRemaining: 0.9 },
      'burn rate -3 (below 0)',
    ],
    [
      'a burn rate that is not a finite number',
      { burnRate1h: Infinity, budgetRemaining: 0.9 },
      'burn rate Infinity (not finite)',
    ],
  ])(
    'an SLO reporting %s is no reading next to a healthy SLO: D5 2 unknown, the value named',
    async (_name, impossible, text) => {
      const w = world();
      addChange(w, deploy('L12', c('payment-service')));
      setSlo(w, 'payment-service', {
        'payment-service-availability': healthy,
        'payment-service-latency': impossible,
      });
      const d5 = w.d5(await w.risk('L12'));
      expect(d5).toMatchObject({ value: 2, unknown: true });
      expect(d5.reason).toContain(`ignored payment-service-latency ${text}`);

      // alone, it is no SLO data at all
      setSlo(w, 'payment-service', { 'payment-service-latency': impossible });
      const alone = w.d5(await w.risk('L12'));
      expect(alone).toMatchObject({ value: 2, unknown: true });
      expect(alone.reason).toContain(`ignored payment-service-latency ${text}`);

      // on a Resource's dependent: counted, not named
      setSlo(w, 'payment-service', {
        'payment-service-availability': healthy,
        'payment-service-latency': impossible,
      });
      const resource = w.d5(await w.risk('L5'));
      expect(resource).toMatchObject({ value: 2, unknown: true });
      expect(resource.reason).toContain('1 with impossible SLO values');
      expect(resource.reason).not.toContain('payment-service');
    },
  );

  it('an overspent budget (below 0) is a reading: 3, known', async () => {
    const w = world();
    addChange(w, deploy('L12', c('payment-service')));
    setSlo(w, 'payment-service', {
      'payment-service-availability': healthy,
      'payment-service-latency': { burnRate1h: 4, budgetRemaining: -0.5 },
    });
    expect(w.d5(await w.risk('L12'))).toMatchObject({
      value: 3,
      unknown: false,
    });
  });

  it('budget ≤ 0 scores 3 and F2 lifts the change to at least High; a remediation is capped at 1', async () => {
    const w = world();
    addChange(w, workerEarlier(), deploy('NW1', c('notification-worker')));
    setSlo(w, 'notification-worker', {
      'notification-worker-availability': {
        burnRate1h: 0.9,
        budgetRemaining: -0.05,
      },
    });
    const risk = await w.risk('NW1');
    // tier 3 worker, no dependents, canary with analysis: 6 would be Low
    expect(risk.dimensions.map(d => d.value)).toEqual([0, 0, 1, 1, 3, 0, 1]);
    expect(risk).toMatchObject({
      score: 6,
      tier: 'High',
      floorsApplied: ['F2'],
    });

    addChange(w, {
      ...deploy('NW2', c('notification-worker'), -3),
      remediationFor: 'INC-7',
    });
    const fix = await w.risk('NW2');
    expect(w.d5(fix)).toMatchObject({ value: 1 });
    expect(fix).toMatchObject({ score: 4, tier: 'Low', floorsApplied: [] });
  });

  it('evidence unavailable: D5 is 2 on read (no crash), the brief says so, the write-back waits', async () => {
    const w = world();
    w.state.factsAvailable = false;

    const brief = await w.briefs.brief({ entityRef: c('checkout-service') });
    expect(brief.evidence.slo).toMatchObject({
      available: false,
      cause: 'timeout',
    });
    const items = brief.changes.items.filter(i => !i.change.risk);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(w.d5(item.risk!)).toMatchObject({ value: 2, unknown: true });
      expect(w.d5(item.risk!).reason).toContain(
        'SLO health unreadable: evidence store timeout',
      );
    }
    // unknown, not missing: no "define an SLO" item
    expect(brief.missingEvidence.map(m => m.code)).not.toContain(
      'SLO_EVIDENCE_MISSING',
    );
    expect(
      await w.briefs.markdown({ entityRef: c('checkout-service') }),
    ).toContain('_SLO health unavailable (timeout since');

    // a risk is stored for good: an outage is a failure to retry, not D5 unknown
    const outcome = (await w.briefs.scoreChanges([w.state.ledger[1]])).get(
      'L2',
    );
    expect(outcome).toMatchObject({ status: 'failed' });
    const summary = await w.writer.processIds(['L2']);
    expect(summary).toMatchObject({ pending: 1, written: 0, failed: 1 });
    expect(w.state.riskWrites).toEqual([]);
    expect(String(w.logger.warn.mock.calls[0][0])).toContain(
      'SLO health unavailable (timeout',
    );

    // back again: the sweep stores it with the health it reads
    w.state.factsAvailable = true;
    await w.writer.sweep();
    const l2 = w.state.ledger.find(x => x.id === 'L2')!.risk!;
    expect(w.d5(l2 as ChangeRisk)).toMatchObject({ value: 0 });
  });

  it('the write-back holds back a risk with unknown health within the health grace, then stores it', async () => {
    const w = world({ healthGrace: '10m' });
    // received a minute ago on an entity whose slo.status has not arrived (yet)
    setSloFacts(w.state, c('payment-service'));
    addChange(w, deploy('L12', c('payment-service'), -3));
    const early = await w.writer.processIds(['L12', 'L2']);
    expect(early).toMatchObject({ pending: 2, written: 1, deferred: 1 });
    expect(w.state.riskWrites.map(x => x.id)).toEqual(['L2']);

    // the collector delivers within the grace: the sweep stores the known health
    setSlo(w, 'payment-service', { 'payment-service-availability': healthy });
    // the other eight demo changes within the 7-day sweep lookback, and L12
    expect(await w.writer.sweep()).toMatchObject({ written: 9, deferred: 0 });
    expect(
      w.d5(w.state.ledger.find(x => x.id === 'L12')!.risk as ChangeRisk),
    ).toMatchObject({
      value: 0,
    });

    // no evidence ever: stored as unknown once the grace has passed
    setSloFacts(w.state, c('payment-service'));
    addChange(w, deploy('L13', c('payment-service'), -2));
    expect(await w.writer.sweep()).toMatchObject({ written: 0, deferred: 1 });
    w.clock.now += 15 * MINUTE;
    expect(await w.writer.sweep()).toMatchObject({ written: 1, deferred: 0 });
    expect(
      w.d5(w.state.ledger.find(x => x.id === 'L13')!.risk as ChangeRisk),
    ).toMatchObject({
      value: 2,
      unknown: true,
    });
  });
});

describe('open incidents and change freezes in D5 (evidence §2.2 incidents.open, change.freeze)', () => {
  /** A pushed fact of `kind` on `entityRef`, observed `observedMin` from T, fresh for 1 h. */
  const pushed = (
    w: World,
    entityRef: string,
    kind: 'incidents.open' | 'change.freeze',
    value: FactRecord['value'],
    observedMin = -10,
  ) => {
    const base = sloFact(entityRef, {}, observedMin, 3600);
    w.state.facts = [
      ...w.state.facts.filter(
        f => !(f.entityRef === entityRef && f.kind === kind),
      ),
      { ...base, id: `${kind}:${entityRef}`, source: 'pagerduty', kind, value },
    ];
  };
  const at = (min: number) => new Date(T + min * MINUTE).toISOString();

  it('an incident on the entity that started before the change scores 3 and is named', async () => {
    const w = world();
    addChange(w, deploy('L12', c('payment-service')));
    pushed(w, c('payment-service'), 'incidents.open', {
      incidents: [{ id: 'INC-9', url: 'https://pd/INC-9', startedAt: at(-30) }],
    });
    const d5 = w.d5(await w.risk('L12'));
    expect(d5).toMatchObject({ value: 3, unknown: false });
    expect(d5.reason).toMatch(
      /^open incident on the entity \(open incident INC-9; slo\.status observed/,
    );
  });

  it('an incident that started after the change does not count against it', async () => {
    const w = world();
    addChange(w, deploy('L12', c('payment-service'), -5));
    pushed(w, c('payment-service'), 'incidents.open', {
      incidents: [{ id: 'INC-9', startedAt: at(-2) }],
    });
    expect(w.d5(await w.risk('L12'))).toMatchObject({ value: 0 });
  });

  it('reads a start time without a zone as no start time (the server zone would decide it)', async () => {
    const d5Of = async (incident: Record<string, string>) => {
      const w = world();
      // the change at −20 min; the incident observed at −10 min, after it
      addChange(w, deploy('L12', c('payment-service'), -20));
      pushed(w, c('payment-service'), 'incidents.open', {
        incidents: [incident],
      });
      return w.d5(await w.risk('L12'));
    };
    const zoneless = at(-30).replace(/\.000Z$/, '');
    expect(zoneless).toMatch(/T\d\d:\d\d:\d\d$/);
    expect(await d5Of({ id: 'INC-9', startedAt: zoneless })).toEqual(
      await d5Of({ id: 'INC-9' }),
    );
    expect(await d5Of({ id: 'INC-9', startedAt: zoneless })).not.toEqual(
      await d5Of({ id: 'INC-9', startedAt: at(-30) }),
    );
  });

  it('a stale incidents.open fact says nothing (the integration is optional), the SLO decides', async () => {
    const w = world();
    addChange(w, deploy('L12', c('payment-service')));
    pushed(
      w,
      c('payment-service'),
      'incidents.open',
      { incidents: [{ id: 'INC-9', startedAt: at(-300) }] },
      -200,
    );
    expect(w.d5(await w.risk('L12'))).toMatchObject({
      value: 0,
      unknown: false,
    });
  });

  it('an active freeze scores 3 until its end; after `until` it no longer counts', async () => {
    const w = world();
    addChange(w, deploy('L12', c('payment-service')));
    pushed(w, c('payment-service'), 'change.freeze', {
      active: true,
      until: at(60),
      reason: 'peak sale',
    });
    const d5 = w.d5(await w.risk('L12'));
    expect(d5).toMatchObject({ value: 3, unknown: false });
    expect(d5.reason).toContain(
      'change freeze active (change.freeze active until',
    );
    expect(d5.reason).toContain('(peak sale)');
    pushed(w, c('payment-service'), 'change.freeze', {
      active: true,
      until: at(-6),
    });
    expect(w.d5(await w.risk('L12'))).toMatchObject({ value: 0 });
    pushed(w, c('payment-service'), 'change.freeze', { active: false });
    expect(w.d5(await w.risk('L12'))).toMatchObject({ value: 0 });
  });

  it('a freeze until a calendar date covers that whole day in UTC; a time without a zone is no end', async () => {
    const w = world();
    addChange(w, deploy('L12', c('payment-service')));
    // the day the deploy took effect (T − 5 min): T's day before, in T's first 5 minutes of a
    // UTC day (T is the minute the suite runs; T's own day made this fail just after midnight)
    const changeDay = at(-5).slice(0, 10);
    pushed(w, c('payment-service'), 'change.freeze', {
      active: true,
      until: changeDay,
    });
    expect(w.d5(await w.risk('L12'))).toMatchObject({ value: 3 });
    const dayBefore = new Date(Date.parse(changeDay) - 86_400_000)
      .toISOString()
      .slice(0, 10);
    pushed(w, c('payment-service'), 'change.freeze', {
      active: true,
      until: dayBefore,
    });
    expect(w.d5(await w.risk('L12'))).toMatchObject({ value: 0 });
    // Read in the server's zone this could end hours early or late: it holds instead.
    pushed(w, c('payment-service'), 'change.freeze', {
      active: true,
      until: at(-60).slice(0, 19),
    });
    expect(w.d5(await w.risk('L12'))).toMatchObject({ value: 3 });
  });

  it('an incident on a direct dependency scores 2 and is counted, not named', async () => {
    const w = world();
    addChange(w, deploy('L12', c('checkout-service')));
    pushed(w, r('checkout-db'), 'incidents.open', {
      incidents: [{ id: 'INC-DB-1', startedAt: at(-60) }],
    });
    const d5 = w.d5(await w.risk('L12'));
    expect(d5).toMatchObject({ value: 2, unknown: false });
    expect(d5.reason).toContain('open incident on 1 direct dependency');
    expect(d5.reason).not.toContain('INC-DB-1');
    expect(d5.reason).not.toContain('checkout-db');
  });

  it('with SLO evidence missing, an open incident still scores a known 3', async () => {
    const w = world();
    addChange(w, deploy('L12', c('payment-service')));
    setSloFacts(w.state, c('payment-service'));
    pushed(w, c('payment-service'), 'incidents.open', {
      incidents: [{ id: 'INC-9', startedAt: at(-30) }],
    });
    const d5 = w.d5(await w.risk('L12'));
    expect(d5).toMatchObject({ value: 3, unknown: false });
    expect(d5.reason).toContain('open incident INC-9; no slo.status fact');
  });
});

describe('SLO health reads are batched per answer', () => {
  it('the write-back reads every subject, its direct dependencies and the dependents of its Resources in one uncached call', async () => {
    const w = world();
    const outcomes = await w.briefs.scoreChanges(demoLedger());
    expect([...outcomes.values()].every(o => o.status === 'scored')).toBe(true);
    expect(w.state.readEntitiesCalls).toHaveLength(1);
    const [call] = w.state.readEntitiesCalls;
    expect(call.options).toEqual({
      include: ['facts'],
      kinds: ['slo.status', 'incidents.open', 'change.freeze'],
      cache: false,
    });
    expect(call.refs).toEqual(
      [
        c('checkout-service'),
        c('inventory-service'),
        c('payment-service'),
        c('pricing-service'),
        r('order-events'),
        r('payments-db'),
        // direct dependents of the Resources
        c('order-service'),
        c('notification-worker'),
        // direct dependencies of the subjects (open incidents on them)
        r('checkout-db'),
        r('inventory-db'),
        r('payment-provider'),
      ].sort(),
    );
  });

  it('a brief reads once; a changes answer over dependencies and dependents reads once', async () => {
    const w = world();
    await w.briefs.brief({ entityRef: c('checkout-service') });
    expect(w.state.readEntitiesCalls).toHaveLength(1);
    expect(w.state.readEntitiesCalls[0].options).toEqual({
      include: ['facts'],
      kinds: ['slo.status', 'incidents.open', 'change.freeze'],
    });

    w.state.readEntitiesCalls = [];
    const answer = await w.briefs.changes({
      entityRef: c('payment-service'),
      scope: 'both',
      windowMs: DAY,
    });
    // checkout-service's L2 and L3 are dependents' changes scored on read, payments-db's L5
    // (two days ago) is outside the window
    const dependent = answer.items.filter(i => i.relation === 'dependent');
    expect(dependent.map(i => i.change.id).sort()).toEqual(['L2', 'L3']);
    for (const item of dependent) {
      expect(w.d5(item.risk as ChangeRisk)).toMatchObject({ value: 0 });
    }
    expect(w.state.readEntitiesCalls).toHaveLength(1);
    expect(w.state.readEntitiesCalls[0].refs).toEqual(
      expect.arrayContaining([c('payment-service'), c('checkout-service')]),
    );
  });
});
