import { buildDemoIndex } from '../__fixtures__/buildDemoIndex';
import { T, at, demoEntities, demoLedger } from '../__fixtures__/demoCatalog';
import { demoOnCall } from '../__fixtures__/demoOnCall';
import { catalog, component } from '../__fixtures__/syntheticCatalog';
import { buildGraphIndex } from '../graph/buildGraphIndex';
import { ChangeRecord } from '../changes/types';
import {
  entityLookupOf,
  resolveOwnership,
} from '../ownership/resolveOwnership';
import { deriveChangeRiskInput } from './deriveChangeRiskInput';
import { scoreChangeRisk } from './scoreChangeRisk';
import { ChangeRiskInput } from './types';

const healthy: ChangeRiskInput['health'] = {
  fresh: true,
  burnRate1h: 0.4,
  budgetRemaining: 0.8,
  openIncidentOnEntity: false,
  openIncidentOnDependency: false,
  freezeActive: false,
};
const exhausted = { ...healthy, budgetRemaining: 0, burnRate1h: 3 };
const entities = demoEntities();
const lookup = entityLookupOf(entities);
const index = buildDemoIndex();
const ledger = demoLedger();

function scoreLedger(
  id: string,
  health = healthy,
  extraLedger: ChangeRecord[] = [],
  change?: ChangeRecord,
) {
  const all = [...ledger, ...extraLedger];
  const record = change ?? all.find(r => r.id === id)!;
  const entity = lookup(record.entityRef!)!;
  return scoreChangeRisk(
    deriveChangeRiskInput({
      change: record,
      index,
      ledger: all,
      ownership: resolveOwnership(entity, lookup, demoOnCall),
      health,
    }),
  );
}

type Row = [
  string,
  () => ReturnType<typeof scoreChangeRisk>,
  number[],
  number,
  string,
  string[],
];

// a kill switch on notification-worker: ops flag 100 → 0, one earlier succeeded change on record
const w5Earlier: ChangeRecord = {
  ...ledger[0],
  id: 'W5-earlier',
  entityRef: 'component:default/notification-worker',
  startedAt: at(-3 * 24 * 60),
  effectiveAt: at(-3 * 24 * 60),
};
const w5: ChangeRecord = {
  ...ledger[2],
  id: 'W5',
  entityRef: 'component:default/notification-worker',
  startedAt: at(-5),
  effectiveAt: at(-5),
  attributes: {
    flagKey: 'notify.send',
    flagType: 'ops',
    exposure: { from: 100, to: 0 },
  },
};

function scoreW8() {
  // an instrumented entity with no dependents, no tier label, owner group with on-call
  const ents = catalog(
    ...entities.filter(e => e.kind === 'Group' || e.kind === 'User'),
    {
      ...component('lonely', { aliases: 'lonely' }),
      spec: {
        type: 'service',
        owner: 'checkout-team',
        lifecycle: 'production',
      },
    },
    component('backend', { aliases: 'backend' }),
  );
  const idx = buildGraphIndex({
    entities: ents,
    observedEdges: [
      {
        client: 'lonely',
        server: 'backend',
        connectionType: '',
        firstSeen: at(-60),
        lastSeen: at(-1),
        source: 't',
      },
    ],
    asOf: { catalog: T, observedEdges: T },
  });
  const change: ChangeRecord = {
    ...ledger[1],
    id: 'W8',
    entityRef: 'component:default/lonely',
    attributes: { artifactDigest: 'sha256:w8' },
  };
  const lk = entityLookupOf(ents);
  return scoreChangeRisk(
    deriveChangeRiskInput({
      change,
      index: idx,
      ledger: [change],
      ownership: resolveOwnership(
        lk('component:default/lonely')!,
        lk,
        demoOnCall,
      ),
      health: {
        ...healthy,
        fresh: false,
        burnRate1h: null,
        budgetRemaining: null,
      },
    }),
  );
}

describe('change risk worked examples W1–W10 (incident-brief §5)', () => {
  it.each<Row>([
    [
      'W1 L2 checkout deploy 5.8.2',
      () => scoreLedger('L2'),
      [3, 3, 1, 1, 0, 0, 0],
      8,
      'Medium',
      [],
    ],
    [
      'W2 L3 split-tender flag',
      () => scoreLedger('L3'),
      [3, 3, 1, 3, 0, 0, 1],
      11,
      'Medium',
      [],
    ],
    [
      'W3 L5 payments-db contract migration',
      () => scoreLedger('L5'),
      [2, 3, 3, 3, 0, 2, 0],
      13,
      'High',
      ['F1'],
    ],
    [
      'W4 W3 with budget exhausted',
      () => scoreLedger('L5', exhausted),
      [2, 3, 3, 3, 3, 2, 0],
      16,
      'Critical',
      ['F1', 'F2', 'F3'],
    ],
    [
      'W5 kill switch on a user-owned worker',
      () => scoreLedger('W5', healthy, [w5Earlier, w5]),
      [0, 0, 0, 0, 0, 0, 1],
      1,
      'Low',
      [],
    ],
    [
      'W6 L9 pricing rollback',
      () => scoreLedger('L9'),
      [1, 3, 0, 0, 0, 0, 0],
      4,
      'Low',
      [],
    ],
    [
      'W7 L8 pricing rolling deploy',
      () => scoreLedger('L8'),
      [1, 3, 1, 2, 0, 0, 0],
      7,
      'Medium',
      [],
    ],
    [
      'W8 unknowns everywhere',
      scoreW8,
      [2, 0, 2, 2, 2, 2, 1],
      11,
      'Medium',
      ['F4'],
    ],
    [
      'W9 L4 inventory global config',
      () => scoreLedger('L4'),
      [2, 3, 2, 3, 0, 2, 1],
      13,
      'High',
      [],
    ],
    [
      'W10 L6 order-events terraform',
      () => scoreLedger('L6'),
      [2, 3, 1, 3, 0, 2, 0],
      11,
      'Medium',
      [],
    ],
  ])('%s', (_name, score, dims, total, tier, floors) => {
    const risk = score();
    expect(risk.dimensions.map(d => d.value)).toEqual(dims);
    expect(risk.score).toBe(total);
    expect(risk.tier).toBe(tier);
    expect(risk.floorsApplied).toEqual(floors);
    expect(risk.lowConfidence).toBe(floors.includes('F4'));
    expect(risk.modelVersion).toBe('risk/1');
    risk.dimensions.forEach(d => expect(d.reason.length).toBeGreaterThan(0));
  });

  it('W6 history excludes the change the rollback reverses, W7 sees L11 as rollback target', () => {
    expect(scoreLedger('L9').dimensions[5]).toMatchObject({
      value: 0,
      unknown: false,
    });
    expect(scoreLedger('L8').dimensions[2].reason).toContain(
      'earlier succeeded deploy',
    );
  });
});

describe('D6 of a rollback (IB §5: a rollback does not count the change it reverses)', () => {
  const withoutL11 = ledger.filter(r => r.id !== 'L11');
  const w6 = (records: ChangeRecord[]) => {
    const l9 = records.find(r => r.id === 'L9')!;
    return scoreChangeRisk(
      deriveChangeRiskInput({
        change: l9,
        index,
        ledger: records,
        ownership: resolveOwnership(lookup(l9.entityRef!)!, lookup, demoOnCall),
        health: healthy,
      }),
    );
  };

  it.each<
    [string, ChangeRecord[], { value: number; unknown: boolean }, number]
  >([
    [
      'W6 as in the demo (L8 and L11 earlier)',
      ledger,
      { value: 0, unknown: false },
      4,
    ],
    // the target is earlier ledger evidence: history is known, only its failure is not counted
    [
      'W6 when its target L8 is the only earlier record',
      withoutL11,
      { value: 0, unknown: false },
      4,
    ],
    [
      'W6 with no earlier record at all',
      withoutL11.filter(r => r.id !== 'L8'),
      { value: 2, unknown: true },
      6,
    ],
  ])('%s', (_name, records, d6, total) => {
    const risk = w6(records);
    expect(risk.dimensions[5]).toMatchObject(d6);
    expect(risk.score).toBe(total);
  });
});

describe('D4 exposure ladder', () => {
  const base = deriveChangeRiskInput({
    change: ledger[1],
    index,
    ledger,
    health: healthy,
    ownership: resolveOwnership(
      lookup('component:default/checkout-service')!,
      lookup,
      demoOnCall,
    ),
  });
  const withExposure = (
    exposure: object | undefined,
    kind: ChangeRecord['kind'] = 'deploy',
  ) =>
    scoreChangeRisk({
      ...base,
      change: {
        ...base.change,
        kind,
        attributes: {
          artifactDigest: 'x',
          keys: [],
          ...(exposure ? { exposure } : {}),
        } as ChangeRecord['attributes'],
      },
    }).dimensions[3];
  it.each<[string, object | undefined, ChangeRecord['kind'], number, boolean]>([
    ['decreasing', { from: 50, to: 10 }, 'deploy', 0, false],
    ['no data, deploy', undefined, 'deploy', 2, true],
    ['no data, config', undefined, 'config', 3, false],
    ['≤ 5 %', { from: 0, to: 5, strategy: 'rolling' }, 'deploy', 0, false],
    [
      'progressive with analysis',
      { from: 0, to: 100, strategy: 'progressive', analysis: true },
      'deploy',
      1,
      false,
    ],
    [
      '≤ 50 %',
      { from: 0, to: 50, strategy: 'all-at-once' },
      'deploy',
      1,
      false,
    ],
    [
      'rolling without analysis',
      { from: 0, to: 100, strategy: 'rolling' },
      'deploy',
      2,
      false,
    ],
    [
      'rolling, analysis false',
      { from: 0, to: 100, strategy: 'rolling', analysis: false },
      'deploy',
      2,
      false,
    ],
    // rules 7/8 read literally: rule 7 is rolling *without* analysis, so with analysis rule 8
    [
      'rolling with analysis to 100 % (rule 8, "otherwise")',
      { from: 0, to: 100, strategy: 'rolling', analysis: true },
      'deploy',
      3,
      false,
    ],
    [
      'rolling with analysis to ≤ 50 % (rule 6)',
      { from: 0, to: 50, strategy: 'rolling', analysis: true },
      'deploy',
      1,
      false,
    ],
    [
      'all at once',
      { from: 0, to: 100, strategy: 'all-at-once' },
      'deploy',
      3,
      false,
    ],
  ])('%s', (_n, exposure, kind, value, unknown) => {
    expect(withExposure(exposure, kind)).toMatchObject({ value, unknown });
  });
});

describe('D5 incomplete health and the evidence it names', () => {
  const d5 = (health: ChangeRiskInput['health'], remediationFor?: string) =>
    scoreLedger('L2', health, [], {
      ...ledger.find(r => r.id === 'L2')!,
      ...(remediationFor ? { remediationFor } : {}),
    }).dimensions[4];

  it('a fresh reading with missing parts scores at least 2, unknown', () => {
    expect(d5({ ...healthy, incomplete: true })).toMatchObject({
      value: 2,
      unknown: true,
      reason: 'SLO evidence missing or stale in part',
    });
    // the fresh part alone scores more: it wins and is known
    expect(d5({ ...exhausted, incomplete: true })).toMatchObject({
      value: 3,
      unknown: false,
    });
    expect(d5({ ...healthy, incomplete: true }, 'INC-1')).toMatchObject({
      value: 1,
      unknown: true,
    });
  });

  // §5: an input that is missing scores 2 and is unknown; NaN or ±Infinity is no reading at all
  it.each<[number | null, number | null, number, boolean]>([
    [0.4, 0.8, 0, false],
    [NaN, NaN, 2, true],
    [Infinity, -Infinity, 2, true],
    [NaN, 0.9, 2, true],
    [0.4, NaN, 2, true],
    [null, 0.9, 2, true],
    [0.4, null, 2, true],
    [Infinity, 0.8, 2, true],
    // the half that is there already scores 2 or 3 on its own: that is known
    [5, null, 2, false],
    [null, 0, 3, false],
  ])(
    'burn rate %p, budget remaining %p → D5 = %p, unknown %p',
    (burnRate1h, budgetRemaining, value, unknown) => {
      expect(d5({ ...healthy, burnRate1h, budgetRemaining })).toMatchObject({
        value,
        unknown,
      });
    },
  );

  // §5: a burn rate is ≥ 0 and the budget a fraction ≤ 1 (≤ 0 = exhausted, an overspent budget
  // goes negative); a number outside that is impossible, so it is no reading: missing, not safety
  it.each<[number | null, number | null, number, boolean]>([
    [-3, 2, 2, true],
    [-3, 0.8, 2, true],
    [-0.1, 0.9, 2, true],
    [0.4, 2, 2, true],
    [0.4, 1.01, 2, true],
    [-3, null, 2, true],
    [null, 2, 2, true],
    // the half that is a reading already scores 2 or 3 on its own: that is known
    [5, 2, 2, false],
    [-3, 0.1, 2, false],
    [-3, 0, 3, false],
    // the edges of the range are readings
    [0, 1, 0, false],
    [0.4, -0.5, 3, false],
  ])(
    'impossible reading: burn rate %p, budget remaining %p → D5 = %p, unknown %p',
    (burnRate1h, budgetRemaining, value, unknown) => {
      expect(d5({ ...healthy, burnRate1h, budgetRemaining })).toMatchObject({
        value,
        unknown,
      });
    },
  );

  it.each<[string, number | null, number | null, string]>([
    [
      'both impossible',
      -3,
      2,
      'SLO evidence missing or stale; ignored burn rate -3 (below 0), budget remaining 2 (above 1)',
    ],
    [
      'one impossible',
      0.4,
      2,
      'SLO evidence missing or stale in part; ignored budget remaining 2 (above 1)',
    ],
    [
      'not a number',
      NaN,
      0.9,
      'SLO evidence missing or stale in part; ignored burn rate NaN (not finite)',
    ],
    ['all readings', 0.4, 0.8, 'healthy'],
  ])(
    'names the readings it ignored (%s)',
    (_name, burnRate1h, budgetRemaining, reason) => {
      expect(d5({ ...healthy, burnRate1h, budgetRemaining }).reason).toBe(
        reason,
      );
    },
  );

  it('names the evidence in the reason and in `evidence`', () => {
    expect(d5({ ...healthy, evidence: 'slo.status of x' })).toEqual({
      id: 'D5',
      value: 0,
      unknown: false,
      reason: 'healthy (slo.status of x)',
      evidence: 'slo.status of x',
    });
    expect(d5(healthy)).not.toHaveProperty('evidence');
  });
});

describe('D5 open incidents and change freezes (IB §5 D5 column 3)', () => {
  const d5 = (health: ChangeRiskInput['health'], remediationFor?: string) =>
    scoreLedger('L2', health, [], {
      ...ledger.find(r => r.id === 'L2')!,
      ...(remediationFor ? { remediationFor } : {}),
    }).dimensions[4];
  const unknownSlo = {
    ...healthy,
    fresh: false,
    burnRate1h: null,
    budgetRemaining: null,
  };

  it.each<
    [string, Partial<ChangeRiskInput['health']>, number, boolean, string]
  >([
    [
      'healthy SLO, open incident on the entity',
      { openIncidentOnEntity: true },
      3,
      false,
      'open incident on the entity',
    ],
    [
      'healthy SLO, freeze active',
      { freezeActive: true },
      3,
      false,
      'change freeze active',
    ],
    [
      'healthy SLO, incident on a dependency',
      { openIncidentOnDependency: true },
      2,
      false,
      'burn rate ≥ 2, budget < 25 % or incident on a dependency',
    ],
    [
      'unknown SLO, open incident on the entity: known 3',
      { ...unknownSlo, openIncidentOnEntity: true },
      3,
      false,
      'open incident on the entity',
    ],
    [
      'unknown SLO, freeze and incident: known 3, both named',
      { ...unknownSlo, freezeActive: true, openIncidentOnEntity: true },
      3,
      false,
      'change freeze active, open incident on the entity',
    ],
    [
      'unknown SLO, incident on a dependency: known 2',
      { ...unknownSlo, openIncidentOnDependency: true },
      2,
      false,
      'incident on a dependency (SLO evidence missing or stale)',
    ],
    [
      'unknown SLO, nothing going on: unknown 2',
      unknownSlo,
      2,
      true,
      'SLO evidence missing or stale',
    ],
  ])('%s', (_name, health, value, unknown, reason) => {
    expect(d5({ ...healthy, ...health })).toMatchObject({
      value,
      unknown,
      reason,
    });
  });

  it('a remediation for an open incident is capped at 1 even during the incident', () => {
    expect(
      d5({ ...healthy, fresh: false, openIncidentOnEntity: true }, 'INC-7'),
    ).toMatchObject({ value: 1 });
  });
});

describe('R7: ledger records posted by alias feed the risk inputs (§4.4, §5)', () => {
  const ALIASES: Record<string, string> = {
    checkout: 'component:default/checkout-service',
    pricing: 'component:default/pricing-service',
  };
  const resolveAlias = (alias: string) => ALIASES[alias] ?? null;
  const byAlias = (id: string, alias: string): ChangeRecord => ({
    ...ledger.find(r => r.id === id)!,
    entityRef: null,
    alias,
    resolution: 'unresolved',
  });
  const score = (id: string, posted: ChangeRecord[]) => {
    const all = [
      ...ledger.filter(r => !posted.some(p => p.id === r.id)),
      ...posted,
    ];
    const change = all.find(r => r.id === id)!;
    const ref = change.entityRef ?? resolveAlias(change.alias!)!;
    return scoreChangeRisk(
      deriveChangeRiskInput({
        change,
        index,
        ledger: all,
        ownership: resolveOwnership(lookup(ref)!, lookup, demoOnCall),
        health: healthy,
        resolveAlias,
      }),
    );
  };

  it.each<[string, string, ChangeRecord[], number[], number]>([
    // L11 is L8's rollback target (D3 = 1) and its only earlier record (D6 known)
    [
      'W7 with L11 posted by alias',
      'L8',
      [byAlias('L11', 'pricing')],
      [1, 3, 1, 2, 0, 0, 0],
      7,
    ],
    // the change itself by alias: its entity, radius and history are still found
    [
      'W1 with L2 posted by alias',
      'L2',
      [byAlias('L2', 'checkout')],
      [3, 3, 1, 1, 0, 0, 0],
      8,
    ],
    [
      'W1 with L2 and its earlier deploy L7 by alias',
      'L2',
      [byAlias('L2', 'checkout'), byAlias('L7', 'checkout')],
      [3, 3, 1, 1, 0, 0, 0],
      8,
    ],
  ])('%s', (_name, id, posted, dims, total) => {
    const risk = score(id, posted);
    expect(risk.dimensions.map(d => d.value)).toEqual(dims);
    expect(risk.score).toBe(total);
  });

  it('does not take a deploy still running when the change took effect for its rollback target (D3, as of effectiveAt)', () => {
    const l8 = ledger.find(r => r.id === 'L8')!;
    const l11 = ledger.find(r => r.id === 'L11')!;
    const stillRunning = {
      ...l11,
      finishedAt: new Date(Date.parse(l8.effectiveAt) + 60_000).toISOString(),
    };
    const d3 = (posted: ChangeRecord[]) =>
      score('L8', posted).dimensions.find(d => d.id === 'D3')!.value;
    expect(d3([l11])).toBe(1);
    expect(d3([stillRunning])).toBe(2);
  });
});

describe('a change to an entity only named by a relation (a placeholder, R4) is scored, not refused', () => {
  const ents = catalog(
    component('app', { dependsOn: ['resource:default/gone-db'] }),
  );
  const idx = buildGraphIndex({
    entities: ents,
    observedEdges: [],
    asOf: { catalog: T, observedEdges: T },
  });
  const lk = entityLookupOf(ents);
  const change: ChangeRecord = {
    ...ledger[1],
    id: 'P1',
    entityRef: 'resource:default/gone-db',
  };
  const input = () =>
    deriveChangeRiskInput({
      change,
      index: idx,
      ledger: [change],
      ownership: resolveOwnership(lk('component:default/app')!, lk, demoOnCall),
      health: healthy,
    });
  it.each<[string, (i: ChangeRiskInput) => unknown, unknown]>([
    ['blast radius unknown', i => i.blastRadius.confidence, 'unknown'],
    ['no ratio', i => i.blastRadius.ratio, null],
    ['nothing counted', i => i.blastRadius.total, 0],
    ['tier unknown', i => i.entity.tier, null],
  ])('%s', (_name, read, expected) => {
    expect(read(input())).toEqual(expected);
  });
  it('D1 and D2 score 2, unknown', () => {
    const risk = scoreChangeRisk(input());
    expect(risk.dimensions.slice(0, 2)).toMatchObject([
      { id: 'D1', value: 2, unknown: true },
      { id: 'D2', value: 2, unknown: true },
    ]);
  });
});
