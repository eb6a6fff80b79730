import { Entity } from '@backstage/catalog-model';
import { demoBriefInput } from '../__fixtures__/demoBrief';
import { emitRelations } from '../__fixtures__/emitRelations';
import { buildGraphIndex } from '../graph/buildGraphIndex';
import { entityLookupOf } from '../ownership/resolveOwnership';
import { T, at, demoEntities, ref } from '../__fixtures__/demoCatalog';
import { demoOnCall } from '../__fixtures__/demoOnCall';
import { BlastRadiusInputError } from '../blastRadius/BlastRadiusInputError';
import { OnCallLookup } from '../ownership/types';
import { assembleBrief, BriefInput } from './assembleBrief';
import { renderBriefMarkdown } from './renderBriefMarkdown';
import { IncidentBrief } from './types';

const briefOf = (edit: Partial<BriefInput> = {}) =>
  assembleBrief({ ...demoBriefInput(), ...edit });
const codesOf = (b: IncidentBrief) => b.missingEvidence.map(m => m.code);

describe('R18, §4.4, §6.5: the brief of a System joins the changes of its members at hop 0', () => {
  const system = () => briefOf({ entityRef: 'system:default/checkout' });

  it.each<[string, (b: IncidentBrief) => unknown, unknown]>([
    [
      'changes in window: the members’ own at hop 0, their dependencies’ as for a member (V7)',
      b => b.changes.items.map(i => [i.change.id, i.entityRef, i.hop]),
      [
        ['L3', ref('checkout-service'), 0],
        ['L4', ref('inventory-service'), 1],
        ['L2', ref('checkout-service'), 0],
        ['L6', ref('order-events'), 2],
        ['L9', ref('pricing-service'), 1],
        ['L8', ref('pricing-service'), 1],
      ],
    ],
    ['risk of the members’ changes', b => b.changes.items[0].risk?.score, 11],
    [
      'last change: the latest of any member',
      b => b.changes.lastChange?.id,
      'L3',
    ],
    [
      'last successful deploy: the latest of any member',
      b => b.changes.lastSuccessfulDeploy?.id,
      'L2',
    ],
    [
      'no LEDGER_NO_COVERAGE: its members have records',
      b => codesOf(b).includes('LEDGER_NO_COVERAGE'),
      false,
    ],
    [
      'members without a recent record are listed with the dependencies',
      b => b.missingEvidence.find(m => m.code === 'LEDGER_NO_RECENT')?.message,
      'no changes recorded in 30 d for: resource:checkout-db, order-service, resource:inventory-db, resource:orders-db, resource:payment-provider.',
    ],
    [
      'no NO_TELEMETRY: a member has service-graph telemetry',
      b => codesOf(b).includes('NO_TELEMETRY'),
      false,
    ],
    [
      'unmapped telemetry of a member is reported',
      b => b.unmappedTelemetry,
      [{ ref: ref('checkout-service'), name: 'tax-svc', role: 'callee' }],
    ],
    [
      'changes confidence: members covered, some dependencies not',
      b => b.confidence.changes,
      'medium',
    ],
    [
      'members stay out of the blast radius and the dependency list (R18)',
      b =>
        [...b.blastRadius.impacted, ...b.dependencies.impacted]
          .map(i => i.ref)
          .filter(
            r => r === ref('checkout-service') || r === ref('checkout-db'),
          ),
      [],
    ],
  ])('%s', (_name, read, expected) => {
    expect(read(system())).toEqual(expected);
  });

  it('a System none of whose members has records is LEDGER_NO_COVERAGE and NO_TELEMETRY only when no member has telemetry', () => {
    const b = briefOf({ entityRef: 'system:default/checkout', ledger: [] });
    expect(codesOf(b)).toContain('LEDGER_NO_COVERAGE');
    expect(codesOf(b)).not.toContain('NO_TELEMETRY');
    expect(b.changes.lastChange).toBeNull();
    expect(b.confidence.changes).toBe('low');
  });
});

describe('the brief of an API reads its providers at hop 0, as a System its members', () => {
  const api = (edit: Partial<BriefInput> = {}) =>
    briefOf({ entityRef: 'api:default/checkout-api', ...edit });

  it.each<[string, (b: IncidentBrief) => unknown, unknown]>([
    [
      'changes in window: the provider’s own, at hop 0',
      b => b.changes.items.map(i => [i.change.id, i.entityRef, i.hop]),
      [
        ['L3', ref('checkout-service'), 0],
        ['L2', ref('checkout-service'), 0],
      ],
    ],
    ['last change: the provider’s', b => b.changes.lastChange?.id, 'L3'],
    [
      'last successful deploy: the provider’s',
      b => b.changes.lastSuccessfulDeploy?.id,
      'L2',
    ],
    [
      'no LEDGER_NO_COVERAGE or NO_TELEMETRY: its provider has records and telemetry',
      b =>
        codesOf(b).filter(c =>
          ['LEDGER_NO_COVERAGE', 'LEDGER_NO_RECENT', 'NO_TELEMETRY'].includes(
            c,
          ),
        ),
      [],
    ],
    ['changes confidence', b => b.confidence.changes, 'high'],
    [
      'hop 1 of its blast radius is still its consumers',
      b => b.blastRadius.impacted.map(i => [i.ref, i.hop]),
      [
        [ref('api-gateway'), 1],
        [ref('web-storefront'), 2],
      ],
    ],
  ])('%s', (_name, read, expected) => {
    expect(read(api())).toEqual(expected);
  });

  it('a provider without records or telemetry is named as the API’s provider, never "instrument the service"', () => {
    const b = api({
      ledger: [],
      index: buildGraphIndex({
        entities: demoEntities(),
        observedEdges: [],
        asOf: { catalog: T, observedEdges: T },
      }),
    });
    const item = (code: string) => b.missingEvidence.find(m => m.code === code);
    expect(item('LEDGER_NO_COVERAGE')?.message).toBe(
      'api:checkout-api and its providers never had a ledger record.',
    );
    expect(item('NO_TELEMETRY')).toMatchObject({
      message:
        'no provider of api:checkout-api has fresh service-graph telemetry.',
      fix: 'instrument its providers or add their telemetry names as aliases',
    });
  });
});

describe('§6.2 owner confidence: a declared rotation whose provider does not answer is medium, not NO_ONCALL', () => {
  const answering =
    (answer: ReturnType<OnCallLookup>): OnCallLookup =>
    source =>
      source.startsWith('static:') ? answer : demoOnCall(source);
  it.each<[string, OnCallLookup, string, string[], string[]]>([
    [
      'provider answers → high',
      demoOnCall,
      'high',
      [],
      ['NO_ONCALL', 'ONCALL_PROVIDER_UNAVAILABLE'],
    ],
    [
      'provider unavailable for every declared rotation → medium',
      answering({ status: 'unavailable', reason: 'timeout after 2000 ms' }),
      'medium',
      ['ONCALL_PROVIDER_UNAVAILABLE'],
      ['NO_ONCALL'],
    ],
    [
      'nobody on call in any declared rotation → medium',
      answering({ status: 'none' }),
      'medium',
      [],
      ['NO_ONCALL'],
    ],
  ])('%s', (_name, onCall, level, present, absent) => {
    const b = briefOf({ onCall });
    expect(b.confidence.owner).toBe(level);
    for (const code of present) expect(codesOf(b)).toContain(code);
    for (const code of absent) expect(codesOf(b)).not.toContain(code);
  });
});

describe('incident time, now and generatedAt must be ISO-8601 instants with a zone', () => {
  it.each<[keyof BriefInput, string]>([
    ['at', 'yesterday'],
    ['at', 'March 14, 2026'],
    ['at', '2026-03-14T02:05:00'],
    ['now', '2026-02-30T00:00:00Z'],
    ['now', ''],
    ['generatedAt', 'now'],
  ])('%s = %j → BlastRadiusInputError 400 naming the field', (field, value) => {
    let error: unknown;
    try {
      briefOf({ [field]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BlastRadiusInputError);
    expect((error as BlastRadiusInputError).status).toBe(400);
    expect((error as Error).message).toBe(
      `${field} must be an ISO-8601 timestamp with a zone on a day that exists, like 2026-03-14T02:05:00Z (got ${JSON.stringify(
        value,
      )})`,
    );
  });

  it.each(['2026-03-14T02:05Z', '2026-03-14T03:05:00+01:00'])(
    'accepts %j',
    value => {
      expect(briefOf({ at: value, now: value }).header.incidentTime).toBe(
        value,
      );
    },
  );
});

describe('§6.1 item 2: the on-call answer carries when it was fetched', () => {
  it.each<[string, string | undefined, string | null]>([
    ['a provider that says when', at(-3), at(-3)],
    ['a provider that does not', undefined, null],
  ])('%s', (_name, fetchedAt, expected) => {
    const onCall: OnCallLookup = source => {
      const answer = demoOnCall(source);
      return answer.status === 'ok' && fetchedAt
        ? { ...answer, fetchedAt }
        : answer;
    };
    expect(briefOf({ onCall }).owner.onCall?.fetchedAt).toBe(expected);
  });

  it('the brief says at which `now` it evaluated freshness and ages', () => {
    expect(briefOf({ now: at(1) }).header.evaluatedAt).toBe(at(1));
    expect(briefOf().header.evaluatedAt).toBe(T);
  });
});

describe('refs without a namespace are read in the namespace of the entity that writes them', () => {
  const inNs1 = (
    kind: string,
    name: string,
    spec: NonNullable<Entity['spec']>,
  ): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'ns1',
      annotations:
        kind === 'Group' ? { 'ops.example.com/oncall': 'static:ns1' } : {},
    },
    spec,
  });
  const entities = emitRelations([
    inNs1('Component', 'svc', {
      type: 'service',
      lifecycle: 'production',
      owner: 'team',
      system: 'shop',
    }),
    inNs1('System', 'shop', { owner: 'team', domain: 'd' }),
    inNs1('Domain', 'd', { owner: 'team' }),
    inNs1('Group', 'team', { type: 'team', children: [], members: [] }),
  ]);
  const brief = () =>
    assembleBrief({
      entityRef: 'component:ns1/svc',
      index: buildGraphIndex({
        entities,
        observedEdges: [],
        asOf: { catalog: T, observedEdges: T },
      }),
      lookup: entityLookupOf(entities),
      onCall: () => ({ status: 'ok', primary: 'Ann', until: T }),
      ledger: [],
      at: T,
      now: T,
      generatedAt: T,
    });
  it.each<[string, (b: IncidentBrief) => unknown, unknown]>([
    [
      'owner',
      b => [b.owner.owner.ref, b.owner.owner.resolved],
      ['group:ns1/team', true],
    ],
    ['system', b => b.header.system, 'system:ns1/shop'],
    ['domain of the system', b => b.header.domain, 'domain:ns1/d'],
    ['on-call of the owner group', b => b.owner.onCall?.source, 'static:ns1'],
  ])('%s', (_name, read, expected) => {
    expect(read(brief())).toEqual(expected);
  });
});

describe('R26: a root with wrongly typed metadata still briefs, its gaps as data', () => {
  const P = 'ops.example.com/';
  const mistyped = () =>
    demoEntities().map(e =>
      e.metadata.name === 'checkout-service'
        ? ({
            ...e,
            metadata: {
              ...e.metadata,
              title: 42,
              labels: { [`${P}tier`]: 1, [`${P}customer-facing`]: true },
              annotations: {
                [`${P}oncall`]: 42,
                [`${P}aliases`]: ['checkout'],
                [`${P}regions`]: { eu: true },
              },
              links: { type: 'runbook', url: 'https://runbooks.example' },
            },
          } as unknown as Entity)
        : e,
    );
  const brief = () => {
    const entities = mistyped();
    return assembleBrief({
      ...demoBriefInput(),
      index: buildGraphIndex({
        entities,
        observedEdges: [],
        asOf: { catalog: T, observedEdges: T },
      }),
      lookup: entityLookupOf(entities),
    });
  };

  it.each<[string, (b: IncidentBrief) => unknown, unknown]>([
    [
      'header: the name as title, tier and customer-facing unknown, no regions',
      b => [
        b.header.title,
        b.header.tier,
        b.header.customerFacing,
        b.header.regions,
      ],
      ['checkout-service', null, null, []],
    ],
    [
      'the mistyped values are gaps, as missing ones',
      codesOf,
      expect.arrayContaining([
        'TIER_MISSING',
        'CUSTOMER_FACING_MISSING',
        'NO_RUNBOOK',
      ]),
    ],
    [
      'on-call from the owner group',
      b => b.owner.onCall?.source,
      'static:checkout-primary',
    ],
    [
      'the markdown renders',
      b => renderBriefMarkdown(b).split('\n')[0],
      '### Incident brief: checkout-service',
    ],
  ])('%s', (_name, read, expected) => {
    expect(read(brief())).toEqual(expected);
  });
});
