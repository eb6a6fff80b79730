import { buildDemoIndex } from '../__fixtures__/buildDemoIndex';
import { T, at, demoEntities, demoLedger } from '../__fixtures__/demoCatalog';
import { demoOnCall } from '../__fixtures__/demoOnCall';
import { entityLookupOf } from '../ownership/resolveOwnership';
import { assembleBrief } from '../brief/assembleBrief';
import { deriveClockFields } from './deriveClockFields';
import {
  compareChanges,
  findLastChange,
  findLastSuccessfulDeploy,
} from './orderChanges';
import { selectChangesInWindow } from './selectChangesInWindow';
import { ChangeRecord } from './types';

const healthy = () => ({
  fresh: true,
  burnRate1h: 0.4,
  budgetRemaining: 0.8,
  openIncidentOnEntity: false,
  openIncidentOnDependency: false,
  freezeActive: false,
});
const briefOf = (
  ledger: ChangeRecord[],
  entities = demoEntities(),
  resolveAlias?: (alias: string) => string | null,
) =>
  assembleBrief({
    resolveAlias,
    entityRef: 'component:default/checkout-service',
    index: buildDemoIndex(),
    lookup: entityLookupOf(entities),
    onCall: demoOnCall,
    ledger,
    at: T,
    now: T,
    generatedAt: T,
    healthOf: healthy,
  });

describe('V7 changes in window for checkout-service', () => {
  const brief = briefOf(demoLedger());
  it('lists exactly L3, L4, L2, L6, L9, L8 with their risk scores', () => {
    expect(brief.changes.items.map(i => [i.change.id, i.risk?.score])).toEqual([
      ['L3', 11],
      ['L4', 13],
      ['L2', 8],
      ['L6', 11],
      ['L9', 4],
      ['L8', 7],
    ]);
  });
  it('carries hop and path of dependencies', () => {
    expect(brief.changes.items.map(i => i.hop)).toEqual([0, 1, 0, 2, 1, 1]);
    expect(
      brief.changes.items.find(i => i.change.id === 'L6')!.path,
    ).toHaveLength(2);
  });
  it('last change is L3 and last successful deploy is L2', () => {
    expect(brief.changes.lastChange?.id).toBe('L3');
    expect(brief.changes.lastSuccessfulDeploy?.id).toBe('L2');
  });
  it('a new deploy for payment-service at T−1 m appears first on the next read', () => {
    const fresh: ChangeRecord = {
      ...demoLedger()[0],
      id: 'NEW',
      startedAt: at(-1),
      effectiveAt: at(-1),
      finishedAt: undefined,
      status: 'started',
      receivedAt: at(-1),
    };
    const next = briefOf([...demoLedger(), fresh]);
    expect(next.changes.items[0]).toMatchObject({
      change: { id: 'NEW' },
      hop: 1,
      highlighted: true,
      inProgress: true,
    });
  });
  it('R7: an unresolved record appears on no brief until its entity exists', () => {
    const all = brief.changes.items.map(i => i.change.id);
    expect(all).not.toContain('L10');
    const scope = new Map([
      ['component:default/promo-engine', { hop: 0, path: [] }],
    ]);
    expect(
      selectChangesInWindow({
        records: demoLedger(),
        scope,
        at: T,
        now: T,
      }).map(i => i.change.id),
    ).toEqual(['L10']);
  });
  it('a long rollout that started before the window but ended inside it is included', () => {
    const long: ChangeRecord = {
      ...demoLedger()[1],
      id: 'LONG',
      startedAt: at(-30 * 60),
      effectiveAt: at(-30 * 60),
      finishedAt: at(-60),
    };
    const scope = new Map([
      ['component:default/checkout-service', { hop: 0, path: [] }],
    ]);
    expect(
      selectChangesInWindow({ records: [long], scope, at: T, now: T }).map(
        i => i.change.id,
      ),
    ).toEqual(['LONG']);
  });
});

describe('⚑ highlighting (§4.4) with T in the past', () => {
  const scope = new Map([
    ['component:default/checkout-service', { hop: 0, path: [] }],
  ]);
  const rollout = (id: string, from: number, to?: number): ChangeRecord => ({
    ...demoLedger()[1],
    id,
    startedAt: at(from),
    effectiveAt: at(from),
    finishedAt: to === undefined ? undefined : at(to),
    status: to === undefined ? 'started' : 'succeeded',
  });
  it('marks a rollout that was running at T though it finished since, and says which', () => {
    // T is an alert's startsAt; the brief is read 25 minutes later.
    const items = selectChangesInWindow({
      records: [
        rollout('RAN', -120, 10),
        rollout('ENDED', -120, -10),
        rollout('RECENT', -30, -20),
        rollout('RUNNING', -120),
      ],
      scope,
      at: T,
      now: at(25),
    });
    const flags = Object.fromEntries(
      items.map(i => [
        i.change.id,
        [i.highlighted, i.inProgress, i.runningAtT],
      ]),
    );
    expect(flags).toEqual({
      RAN: [true, false, true],
      ENDED: [false, false, false],
      RECENT: [true, false, false],
      RUNNING: [true, true, true],
    });
  });
});

describe('§4.3 ordering and R9 clock rules', () => {
  const base = demoLedger()[1];
  it('orders by effectiveAt desc, in-progress first, finishedAt, receivedAt, id desc', () => {
    const same = { effectiveAt: at(-10) };
    const records: ChangeRecord[] = [
      {
        ...base,
        ...same,
        id: 'a',
        status: 'succeeded',
        finishedAt: at(-5),
        receivedAt: at(-4),
      },
      { ...base, ...same, id: 'b', status: 'started', finishedAt: undefined },
      {
        ...base,
        ...same,
        id: 'c',
        status: 'succeeded',
        finishedAt: at(-2),
        receivedAt: at(-1),
      },
      {
        ...base,
        ...same,
        id: 'd',
        status: 'succeeded',
        finishedAt: at(-5),
        receivedAt: at(-3),
      },
      {
        ...base,
        ...same,
        id: 'e',
        status: 'succeeded',
        finishedAt: at(-5),
        receivedAt: at(-3),
      },
      { ...base, id: 'f', effectiveAt: at(-1) },
    ];
    expect([...records].sort(compareChanges).map(r => r.id)).toEqual([
      'f',
      'b',
      'c',
      'e',
      'd',
      'a',
    ]);
  });
  it.each<[string, Partial<ChangeRecord>, Partial<ChangeRecord>]>([
    [
      'finishedAt written with an offset (06:00Z) is later than 02:00Z',
      { finishedAt: '2026-03-14T01:00:00-05:00' },
      { finishedAt: '2026-03-14T02:00:00Z' },
    ],
    [
      'finishedAt 02:00:00.500Z is later than 02:00:00Z',
      { finishedAt: '2026-03-14T02:00:00.500Z' },
      { finishedAt: '2026-03-14T02:00:00Z' },
    ],
    [
      'receivedAt written with an offset',
      { receivedAt: '2026-03-14T01:00:00-05:00' },
      { receivedAt: '2026-03-14T02:00:00Z' },
    ],
    [
      'receivedAt with and without fractions',
      { receivedAt: '2026-03-14T02:00:00.500Z' },
      { receivedAt: '2026-03-14T02:00:00Z' },
    ],
  ])('compares instants, not strings: %s', (_n, later, earlier) => {
    const same = {
      effectiveAt: at(-600),
      status: 'succeeded' as const,
      finishedAt: at(-10),
      receivedAt: at(-5),
    };
    const records: ChangeRecord[] = [
      { ...base, ...same, ...earlier, id: 'z-earlier' },
      { ...base, ...same, ...later, id: 'a-later' },
    ];
    for (const order of [records, [...records].reverse()]) {
      expect([...order].sort(compareChanges).map(r => r.id)).toEqual([
        'a-later',
        'z-earlier',
      ]);
    }
  });
  it.each(['yesterday', '2026-03-14T02:05:00'])(
    'an incident time %j that is no instant with a zone is refused',
    value => {
      expect(() =>
        selectChangesInWindow({
          records: demoLedger(),
          scope: new Map(),
          at: value,
          now: T,
        }),
      ).toThrow(
        `at must be an ISO-8601 timestamp with a zone on a day that exists, like 2026-03-14T02:05:00Z (got ${JSON.stringify(
          value,
        )})`,
      );
    },
  );
  it.each<[string, number, number | undefined, number, string, string[]]>([
    [
      '10 min in the future → SKEWED, effectiveAt = receivedAt',
      10,
      undefined,
      0,
      'received',
      ['SKEWED'],
    ],
    ['4 min in the future → no flag', 4, undefined, 0, 'started', []],
    [
      'received 3 days after it finished → LATE',
      -3 * 24 * 60 - 10,
      -3 * 24 * 60,
      0,
      'started',
      ['LATE'],
    ],
  ])('%s', (_n, startMin, finishMin, receivedMin, effective, flags) => {
    const r = {
      startedAt: at(startMin),
      finishedAt: finishMin === undefined ? undefined : at(finishMin),
      receivedAt: at(receivedMin),
    };
    const out = deriveClockFields(r);
    expect(out.flags).toEqual(flags);
    expect(out.effectiveAt).toBe(
      effective === 'received' ? r.receivedAt : r.startedAt,
    );
  });
  it('finishedAt before startedAt is refused', () => {
    expect(() =>
      deriveClockFields({
        startedAt: at(0),
        finishedAt: at(-1),
        receivedAt: at(0),
      }),
    ).toThrow();
  });
});

describe('the last successful deploy at T is one that had succeeded by T', () => {
  const CHECKOUT = 'component:default/checkout-service';
  // started 2 min before T, succeeded 13 min after it: running at T
  const running: ChangeRecord = {
    ...demoLedger().find(r => r.id === 'L2')!,
    id: 'LY',
    source: { system: 'argocd', externalId: 'ly' },
    startedAt: at(-2),
    effectiveAt: at(-2),
    finishedAt: at(13),
    receivedAt: at(14),
    status: 'succeeded',
  };
  const ledger = [...demoLedger(), running];

  it('names the deploy finished before T, and the running one as the last change', () => {
    expect(
      findLastSuccessfulDeploy(
        ledger,
        CHECKOUT,
        'production',
        undefined,
        Date.parse(T),
      )?.id,
    ).toBe('L2');
    // without an instant: the latest that succeeded, whenever
    expect(findLastSuccessfulDeploy(ledger, CHECKOUT)?.id).toBe('LY');
    const brief = briefOf(ledger);
    expect(brief.changes.lastSuccessfulDeploy?.id).toBe('L2');
    expect(brief.changes.lastChange?.id).toBe('LY');
  });
});

describe('R7: a record posted by alias counts for the entity the alias names (§4.4)', () => {
  const CHECKOUT = 'component:default/checkout-service';
  const resolveAlias = (alias: string) =>
    alias === 'checkout' ? CHECKOUT : null;
  // a deploy of checkout-service 5 min before T, posted with the alias only
  const byAlias: ChangeRecord = {
    ...demoLedger().find(r => r.id === 'L2')!,
    id: 'LX',
    entityRef: null,
    alias: 'checkout',
    resolution: 'unresolved',
    source: { system: 'argocd', externalId: 'lx' },
    startedAt: at(-5),
    effectiveAt: at(-5),
    finishedAt: at(-4),
    receivedAt: at(-3),
  };
  const ledger = [...demoLedger(), byAlias];

  it.each<[string, () => string | undefined]>([
    [
      'findLastChange',
      () => findLastChange(ledger, CHECKOUT, 'production', resolveAlias)?.id,
    ],
    [
      'findLastSuccessfulDeploy',
      () =>
        findLastSuccessfulDeploy(ledger, CHECKOUT, 'production', resolveAlias)
          ?.id,
    ],
    [
      'brief: last change',
      () => briefOf(ledger, undefined, resolveAlias).changes.lastChange?.id,
    ],
    [
      'brief: last successful deploy',
      () =>
        briefOf(ledger, undefined, resolveAlias).changes.lastSuccessfulDeploy
          ?.id,
    ],
    [
      'brief: first change in window',
      () => briefOf(ledger, undefined, resolveAlias).changes.items[0].change.id,
    ],
  ])('%s', (_name, read) => {
    expect(read()).toBe('LX');
  });

  it('without an alias map the record stays unresolved and is not the last change', () => {
    expect(findLastChange(ledger, CHECKOUT)?.id).toBe('L3');
    expect(briefOf(ledger).changes.lastSuccessfulDeploy?.id).toBe('L2');
  });
});
