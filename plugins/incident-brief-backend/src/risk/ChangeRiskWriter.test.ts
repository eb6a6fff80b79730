import {
  isUtcTimestamp,
  type StoredChange,
} from '@internal/plugin-evidence-common';
import { ChangeRisk } from '@internal/plugin-incident-brief-common';
import { change, evidenceHttpError } from '../__fixtures__/demoWorld';
import { briefWorld } from '../__testUtils__/briefWorld';
import { EVIDENCE_CHANGES_TOPIC, EVENT_LOOKUP_MS } from './ChangeRiskWriter';

const DAY = 24 * 3600_000;
const c = (n: string) => `component:default/${n}`;
const r = (n: string) => `resource:default/${n}`;

/** Entities with ledger records in the demo world, and the ids of those records. */
const SUBJECTS = [
  c('checkout-service'),
  c('payment-service'),
  c('inventory-service'),
  c('pricing-service'),
  r('payments-db'),
  r('order-events'),
];
const DEMO_IDS = ['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'L8', 'L9', 'L11'];

/** The demo world; `sweepLookback` is `incidentBrief.risk.sweep.lookback` (default 7d). */
function world(sweepLookback?: string) {
  const { evidence, logger, briefs, writer } = briefWorld({
    incidentBrief: sweepLookback
      ? { risk: { sweep: { lookback: sweepLookback } } }
      : {},
  });

  /** Risk per change id as the brief shows it (the read path), over every subject's 30 days. */
  const readPathRisks = async (refs = SUBJECTS) => {
    const risks = new Map<string, ChangeRisk | null>();
    for (const entityRef of refs) {
      const brief = await briefs.brief({ entityRef, windowMs: 30 * DAY });
      for (const item of brief.changes.items) {
        risks.set(item.change.id, item.risk);
      }
    }
    return risks;
  };
  const event = (ids: unknown) =>
    writer.onEvent({ topic: EVIDENCE_CHANGES_TOPIC, eventPayload: { ids } });
  const stored = (id: string) =>
    evidence.state.ledger.find(ch => ch.id === id)!.risk;
  const warnings = () =>
    logger.warn.mock.calls.map(call => String(call[0])).join('\n');
  return {
    evidence,
    logger,
    briefs,
    writer,
    readPathRisks,
    event,
    stored,
    warnings,
  };
}

describe('ChangeRiskWriter: evidence.changes subscriber', () => {
  it('writes each change risk once, equal to the risk the brief computes on read', async () => {
    // 30 d: L11 (12 d ago) is within reach too; L1, L5, L7 and L11 are older than the first
    // event lookup (25 h) and are found by the second one
    const w = world('30d');
    const before = await w.readPathRisks();
    expect([...before.keys()].sort()).toEqual([...DEMO_IDS].sort());
    for (const id of DEMO_IDS) expect(before.get(id)).not.toBeNull();

    // the handler only queues: it returns before anything is scored or written
    await expect(w.event(['L2'])).resolves.toBeUndefined();
    expect(w.evidence.state.riskWrites).toEqual([]);
    await w.writer.idle();
    // one event per ingestion request: each change is scored on its own, its history read
    // from the ledger; an id repeated in an event is written once
    for (const id of DEMO_IDS.filter(x => x !== 'L2')) {
      await w.event([id, id]);
      await w.writer.idle();
    }

    const writes = w.evidence.state.riskWrites;
    expect(writes.map(x => x.id).sort()).toEqual([...DEMO_IDS].sort());
    for (const { id, risk } of writes) {
      expect(risk).toEqual(before.get(id));
      expect(w.stored(id)).toEqual(before.get(id));
    }
    // the V7 mix, Medium and High tiers among them, not one tier for everything
    expect(new Set(writes.map(x => x.risk!.tier)).size).toBeGreaterThan(1);

    // an event for changes whose risk is stored (an update, a rollback target) writes nothing
    await w.event(['L2', 'L8']);
    await w.writer.idle();
    expect(w.evidence.state.riskWrites).toHaveLength(DEMO_IDS.length);

    // and the brief shows the same risk, now the stored one
    expect(await w.readPathRisks()).toEqual(before);
    expect(w.warnings()).toBe('');
  });

  it('scores with the ledger as it stood at the change, like the brief: history counts', async () => {
    const w = world();
    // separate events: L2's history (L7, two days earlier) must come from the ledger read
    await w.event(['L2']);
    await w.writer.idle();
    await w.event(['L7']);
    await w.writer.idle();
    const d6 = (id: string) =>
      w.stored(id)!.dimensions.find(d => d.id === 'D6')!;
    // L7 is checkout-service's first ledger record, L2 has L7 before it (IB §5 W1: D6 0)
    expect(d6('L7')).toMatchObject({ value: 2, unknown: true });
    expect(d6('L2')).toMatchObject({ value: 0, unknown: false });
    // and L2 is a deploy with an earlier succeeded deploy to roll back to (W1: D3 1)
    expect(w.stored('L2')!.dimensions.find(d => d.id === 'D3')!.value).toBe(1);
  });

  it('coalesces events that arrive while a round is running', async () => {
    const w = world();
    await Promise.all([w.event(['L2']), w.event(['L3']), w.event(['L4'])]);
    await w.writer.idle();
    expect(w.evidence.state.riskWrites.map(x => x.id).sort()).toEqual([
      'L2',
      'L3',
      'L4',
    ]);
  });

  it('ignores payloads without ids and never rejects', async () => {
    const w = world();
    await expect(
      w.writer.onEvent({ topic: EVIDENCE_CHANGES_TOPIC, eventPayload: null }),
    ).resolves.toBeUndefined();
    await expect(w.event('L2')).resolves.toBeUndefined();
    await expect(w.event([42, null])).resolves.toBeUndefined();
    await w.writer.idle();
    expect(w.evidence.state.riskWrites).toEqual([]);
    expect(w.evidence.state.queryChangesCalls).toBe(0);
  });

  it('logs a failing setChangeRisk without secrets, does not throw, and leaves it for the sweep', async () => {
    const w = world();
    const before = await w.readPathRisks([c('checkout-service')]);
    w.evidence.state.failRiskWrite = id =>
      id === 'L2'
        ? evidenceHttpError(
            503,
            'gateway said Authorization: Bearer eyJhbGciOi.payload.sig token=s3cr3t',
          )
        : undefined;
    await expect(w.event(['L2', 'L3'])).resolves.toBeUndefined();
    await w.writer.idle();

    expect(w.stored('L2')).toBeNull();
    const warned = w.warnings();
    expect(w.logger.warn).toHaveBeenCalledTimes(1);
    expect(warned).toContain('could not store the risk of');
    expect(warned).toContain('(L2');
    expect(warned).toContain('503');
    expect(warned).toContain('left for the risk sweep');
    expect(warned).not.toContain('eyJhbGciOi');
    expect(warned).not.toContain('s3cr3t');

    // once evidence answers again the sweep stores it
    w.evidence.state.failRiskWrite = undefined;
    const summary = await w.writer.sweep();
    expect(summary.failed).toBe(0);
    expect(w.stored('L2')).toEqual(before.get('L2'));
    expect(w.evidence.state.riskWrites.filter(x => x.id === 'L2')).toHaveLength(
      2,
    );
  });

  it('stops writing for the pass when evidence fails (5xx, timeout), not on a refused item', async () => {
    const w = world();
    w.evidence.state.failRiskWrite = () =>
      evidenceHttpError(503, 'unavailable');
    const down = await w.writer.processIds(['L2', 'L3', 'L4']);
    expect(down).toMatchObject({ pending: 3, written: 0, failed: 3 });
    expect(w.evidence.state.riskWrites).toHaveLength(1);
    expect(w.warnings()).toContain('could not store the risk of 3 changes');

    w.evidence.state.riskWrites = [];
    w.evidence.state.failRiskWrite = id =>
      id === 'L2' ? evidenceHttpError(400, 'risk is invalid') : undefined;
    const refused = await w.writer.processIds(['L2', 'L3', 'L4']);
    expect(refused).toMatchObject({ pending: 3, written: 2, failed: 1 });
    expect(w.evidence.state.riskWrites).toHaveLength(3);
  });

  it('treats 409 (risk already set by another writer) as done', async () => {
    const w = world();
    w.evidence.state.failRiskWrite = () =>
      evidenceHttpError(409, 'RISK_ALREADY_SET');
    const summary = await w.writer.processIds(['L2']);
    expect(summary).toMatchObject({
      pending: 1,
      written: 0,
      alreadySet: 1,
      failed: 0,
    });
    expect(w.logger.warn).not.toHaveBeenCalled();
  });

  it('writes nothing and does not throw while the ledger cannot be read', async () => {
    const w = world();
    w.evidence.state.available = false;
    await expect(w.event(['L2'])).resolves.toBeUndefined();
    await w.writer.idle();
    expect(w.evidence.state.riskWrites).toEqual([]);
    expect(w.warnings()).toContain('evidence ledger unavailable (timeout)');
  });

  it('does not score with a missing history: a failed ledger read of the subject is a failure, not "no record"', async () => {
    const w = world();
    const service = w.evidence.service;
    const real = service.queryChanges.bind(service);
    // the lookup across all entities works, the subject's own history read does not
    service.queryChanges = async q =>
      q.entityRefs.length === 1
        ? {
            available: false,
            cause: 'timeout',
            since: new Date().toISOString(),
          }
        : real(q);
    const summary = await w.writer.processIds(['L2']);
    expect(summary).toMatchObject({ pending: 1, written: 0, failed: 1 });
    expect(w.evidence.state.riskWrites).toEqual([]);
    expect(w.warnings()).toContain('could not score 1 change (L2)');
  });
  it('scores the changes of an entity whose ledger holds one dated year 0000 (a backfill the ledger accepts)', async () => {
    const w = world();
    const service = w.evidence.service;
    const real = service.queryChanges.bind(service);
    // as evidence-backend answers: a bound that is no RFC 3339 timestamp is a 400 (client-error)
    service.queryChanges = async q =>
      isUtcTimestamp(q.from) && isUtcTimestamp(q.to)
        ? real(q)
        : {
            available: false,
            cause: 'client-error',
            since: new Date().toISOString(),
          };
    const ancient = '0000-01-03T00:00:00.000Z';
    w.evidence.state.ledger.push(
      change(
        'L0',
        c('checkout-service'),
        'deploy',
        '0.0.1',
        'bot:deploy-bot',
        -3,
        -1,
        'succeeded',
        { artifactDigest: 'sha256:l0' },
        { startedAt: ancient, effectiveAt: ancient },
      ),
    );
    // its lookback started at year -1, which no ledger query can name: the whole group failed
    const summary = await w.writer.processIds(['L0', 'L2']);
    expect(summary).toMatchObject({ written: 2, failed: 0 });
    expect(w.warnings()).toBe('');
  });
});

describe('ChangeRiskWriter: sweep', () => {
  it('picks up a change that missed its event, with the risk the brief shows', async () => {
    const w = world();
    await w.event(DEMO_IDS);
    await w.writer.idle();
    const writes = w.evidence.state.riskWrites.length;

    // a deploy posted while incident-brief was down: no event ever reached us
    w.evidence.state.ledger.push(
      change(
        'L12',
        c('payment-service'),
        'deploy',
        '2.15.0',
        'bot:deploy-bot',
        -3,
        -1,
        'succeeded',
        { artifactDigest: 'sha256:l12', exposure: { from: 0, to: 100 } },
      ),
    );
    const shown = (await w.readPathRisks([c('payment-service')])).get('L12');
    expect(shown).not.toBeNull();

    const summary = await w.writer.sweep();
    expect(summary).toMatchObject({ pending: 1, written: 1, failed: 0 });
    const l12 = w.evidence.state.riskWrites.filter(x => x.id === 'L12');
    expect(l12).toHaveLength(1);
    expect(l12[0].risk).toEqual(shown);
    expect(w.evidence.state.riskWrites).toHaveLength(writes + 1);

    // nothing left: the next sweep writes nothing
    expect(await w.writer.sweep()).toMatchObject({ pending: 0, written: 0 });
    expect(w.evidence.state.riskWrites).toHaveLength(writes + 1);
  });

  it('leaves changes beyond its lookback to scoring on read', async () => {
    const w = world();
    // L1 finished 3 days ago: outside the first event lookup, within the default 7 d lookback;
    // L11 finished 12 days ago: beyond it
    expect(EVENT_LOOKUP_MS).toBeLessThan(3 * DAY);
    const byEvent = await w.writer.processIds(['L1', 'L11']);
    expect(byEvent).toMatchObject({ pending: 1, written: 1, notFound: 1 });
    // the sweep stores the other eight demo changes, not L11
    const swept = await w.writer.sweep();
    expect(swept).toMatchObject({ pending: 8, written: 8, failed: 0 });
    const ids = w.evidence.state.riskWrites.map(x => x.id);
    expect(ids.sort()).toEqual(DEMO_IDS.filter(id => id !== 'L11').sort());
    // the brief still shows a risk for L11, scored on read
    const shown = await w.readPathRisks([c('pricing-service')]);
    expect(shown.get('L11')).not.toBeNull();
    expect(w.stored('L11')).toBeNull();
  });

  it('scores every pending change once even when events and the sweep overlap', async () => {
    const w = world();
    await w.event(DEMO_IDS);
    await Promise.all([w.writer.sweep(), w.writer.idle()]);
    const counts = new Map<string, number>();
    for (const { id } of w.evidence.state.riskWrites) {
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect([...counts.values()].every(n => n === 1)).toBe(true);
  });

  it('never rejects; an unreadable ledger is a warning', async () => {
    const w = world();
    w.evidence.state.available = false;
    await expect(w.writer.sweep()).resolves.toMatchObject({ written: 0 });
    expect(w.warnings()).toContain('risk sweep skipped');
  });
});

describe('BriefService.scoreChanges', () => {
  it('leaves changes the brief cannot score either (unknown subject) unscored', async () => {
    const w = world();
    const promo = change(
      'L10',
      c('promo-engine'),
      'deploy',
      '0.1.0',
      'bot:deploy-bot',
      -30,
      -29,
      'succeeded',
      { artifactDigest: 'sha256:l10' },
    );
    const unresolved: StoredChange = {
      ...promo,
      id: 'L13',
      entityRef: null,
      alias: 'nobody-knows',
      resolution: 'unresolved',
    };
    const outcomes = await w.briefs.scoreChanges([promo, unresolved]);
    expect(outcomes.get('L10')).toMatchObject({ status: 'unscorable' });
    expect(outcomes.get('L13')).toMatchObject({ status: 'unscorable' });
  });
});
