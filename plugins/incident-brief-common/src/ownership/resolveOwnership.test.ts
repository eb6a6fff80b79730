import { Entity } from '@backstage/catalog-model';
import { demoEntities } from '../__fixtures__/demoCatalog';
import { demoOnCall } from '../__fixtures__/demoOnCall';
import { emitRelations } from '../__fixtures__/emitRelations';
import { rateOwnerConfidence } from '../brief/rateSectionConfidence';
import { buildGraphIndex } from '../graph/buildGraphIndex';
import {
  EntityLookup,
  entityLookupOf,
  resolveOwnership,
} from './resolveOwnership';
import { OnCallLookup, OwnershipResolution } from './types';

const entities = demoEntities();
const lookup = entityLookupOf(entities);
const resolve = (ref: string, onCall: OnCallLookup = demoOnCall, lk = lookup) =>
  resolveOwnership(lk(ref)!, lk, onCall);
const codes = (r: ReturnType<typeof resolve>) =>
  r.issues.map(i => `${i.code}:${i.severity}`);

describe('§2.2 owner and on-call resolution', () => {
  it('checkout-service: owner group on-call, escalation expanded, no gaps', () => {
    const r = resolve('component:default/checkout-service');
    expect(r.onCall).toMatchObject({
      source: 'static:checkout-primary',
      primary: 'user:default/ben.okafor',
      step: 2,
    });
    expect(r.escalation).toEqual([
      { type: 'oncall', source: 'static:checkout-primary' },
      { type: 'user', ref: 'user:default/ana.ruiz', name: 'Ana Ruiz' },
      {
        type: 'group',
        ref: 'group:default/commerce-eng',
        onCall: 'Fatima Haddad',
      },
    ]);
    expect(r.issues).toEqual([]);
    expect(rateOwnerConfidence(r.issues, true)).toBe('high');
  });

  it('R20 payment-service: PagerDuty not configured → ONCALL_PROVIDER_UNAVAILABLE, falls back to payments-team', () => {
    const r = resolve('component:default/payment-service');
    expect(r.skipped).toEqual([
      {
        source: 'pagerduty:service/PPAY001',
        reason: 'provider pagerduty not configured',
      },
    ]);
    expect(r.onCall).toMatchObject({
      source: 'static:payments-primary',
      step: 2,
    });
    expect(codes(r)).toContain('ONCALL_PROVIDER_UNAVAILABLE:warn');
    expect(r.incidentLinks).toEqual([{ tool: 'pagerduty', value: 'PPAY001' }]);
  });

  it('R3 storefront-team has no on-call: inherited from commerce-eng, OWNER_GROUP_EMPTY', () => {
    const r = resolve('component:default/pricing-service');
    expect(r.onCall).toMatchObject({
      source: 'static:commerce-escalation',
      step: 3,
      label: 'inherited from group:default/commerce-eng',
    });
    expect(r.onCallResolvedBySteps1to3).toBe(true);
    expect(r.chatChannel).toBe('slack:#commerce-incidents');
    expect(codes(r)).toContain('OWNER_GROUP_EMPTY:warn');
  });

  it('R3 no on-call anywhere → NO_ONCALL, blocking for tier 1 only; a parent cycle stops', () => {
    const cyc = emitRelations([
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'g1' },
        spec: { type: 'team', parent: 'g2', children: [] },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'g2' },
        spec: { type: 'team', parent: 'g1', children: [] },
      },
      ...['1', '3'].map(
        t =>
          ({
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: `svc${t}`,
              labels: { 'ops.example.com/tier': t },
            },
            spec: { type: 'service', owner: 'g1', lifecycle: 'production' },
          } as Entity),
      ),
    ]);
    const lk = entityLookupOf(cyc);
    expect(codes(resolve('component:default/svc1', demoOnCall, lk))).toContain(
      'NO_ONCALL:blocking',
    );
    expect(codes(resolve('component:default/svc3', demoOnCall, lk))).toContain(
      'NO_ONCALL:warn',
    );
  });

  it('R2 notification-worker is owned by a user: on-call from fulfillment-team, OWNER_IS_USER, D7 gap', () => {
    const r = resolve('component:default/notification-worker');
    expect(r.onCall).toMatchObject({
      source: 'static:fulfillment-primary',
      step: 4,
      label: 'via group:default/fulfillment-team',
    });
    expect(r.onCallResolvedBySteps1to3).toBe(false);
    expect(codes(r)).toContain('OWNER_IS_USER:warn');
    expect(rateOwnerConfidence(r.issues, true)).toBe('low');
  });

  it('R1 owner does not resolve: system owner fallback, OWNER_UNRESOLVED blocking', () => {
    const gone = entities.map(e =>
      e.metadata.name === 'inventory-service'
        ? { ...e, spec: { ...e.spec, owner: 'group:default/gone' } }
        : e,
    );
    const lk = entityLookupOf(gone);
    const r = resolve('component:default/inventory-service', demoOnCall, lk);
    expect(r.onCall).toMatchObject({
      source: 'static:fulfillment-primary',
      step: 5,
      label: 'fallback: system owner',
    });
    expect(codes(r)).toContain('OWNER_UNRESOLVED:blocking');
    expect(rateOwnerConfidence(r.issues, true)).toBe('low');
  });

  describe('refs written by people that name no entity become gaps, never exceptions', () => {
    /** The demo catalog with `name`'s entity changed by `change`. */
    const withChange = (name: string, change: (e: Entity) => Entity) =>
      entityLookupOf(
        entities.map(e => (e.metadata.name === name ? change(e) : e)),
      );
    const checkout = 'component:default/checkout-service';

    it('a mistyped escalation item is UNRESOLVED_REF naming it; the other steps still route', () => {
      const lk = withChange('checkout-team', e => ({
        ...e,
        metadata: {
          ...e.metadata,
          annotations: {
            ...e.metadata.annotations,
            'ops.example.com/escalation': 'user:default/ana.ruiz, group:',
          },
        },
      }));
      const r = resolve(checkout, demoOnCall, lk);
      expect(r.escalation).toEqual([
        { type: 'user', ref: 'user:default/ana.ruiz', name: 'Ana Ruiz' },
      ]);
      expect(r.issues).toEqual([
        expect.objectContaining({
          code: 'UNRESOLVED_REF',
          severity: 'warn',
          message:
            'escalation step "group:" is not an entity ref (kind:namespace/name).',
          fix: 'correct ops.example.com/escalation on group:default/checkout-team',
        }),
      ]);
    });

    it.each([
      ['spec.owner', { owner: 'group: ' }],
      ['spec.owner and spec.system', { owner: 'group: ', system: 'system: ' }],
    ])(
      '%s malformed → OWNER_UNRESOLVED, and the graph index still builds',
      (_, spec) => {
        const lk = withChange('checkout-service', e => ({
          ...e,
          spec: { ...e.spec, ...spec },
        }));
        const r = resolve(checkout, demoOnCall, lk);
        expect(codes(r)).toContain('OWNER_UNRESOLVED:blocking');
        expect(r.owner).toMatchObject({ ref: null, resolved: false });
        const changed = entities.map(e =>
          e.metadata.name === 'checkout-service'
            ? { ...e, spec: { ...e.spec, ...spec } }
            : e,
        );
        const index = buildGraphIndex({
          entities: changed,
          observedEdges: [],
          asOf: {
            catalog: '2026-03-14T02:00:00Z',
            observedEdges: '2026-03-14T02:00:00Z',
          },
        });
        expect(index.node(index.idOf(checkout), 0).owner).toBeNull();
      },
    );

    it('a malformed parent ends the walk up the group tree', () => {
      const lk = withChange('storefront-team', e => ({
        ...e,
        spec: { ...e.spec, parent: 'group: ' },
      }));
      const r = resolve('component:default/pricing-service', demoOnCall, lk);
      expect(codes(r)).toContain('NO_ONCALL:warn');
    });
  });

  describe('refs without a namespace resolve in the namespace of the entity that names them', () => {
    const ns = (
      kind: string,
      name: string,
      spec: NonNullable<Entity['spec']>,
      annotations: Record<string, string> = {},
      namespace = 'ns1',
    ): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: { name, namespace, annotations },
      spec,
    });
    const oncall = (source: string) => ({
      'ops.example.com/oncall': source,
    });
    // same names in `default`, with their own rotations: a lookup there would be a wrong answer
    const decoys = [
      ns(
        'Group',
        'team',
        { type: 'team' },
        oncall('static:default-team'),
        'default',
      ),
      ns(
        'Group',
        'eng',
        { type: 'team' },
        oncall('static:default-eng'),
        'default',
      ),
      ns('System', 'shop', { owner: 'eng' }, {}, 'default'),
    ];
    const answers: OnCallLookup = source => ({
      status: 'ok',
      primary: `user:ns1/${source.slice('static:'.length)}`,
      until: '2026-03-16T09:00:00.000Z',
    });
    it.each<[string, Entity[], string, string | undefined, string, string]>([
      [
        'spec.owner: team → group:ns1/team and its rotation',
        [ns('Group', 'team', { type: 'team' }, oncall('static:ns1-team'))],
        'team',
        undefined,
        'group:ns1/team',
        'static:ns1-team',
      ],
      [
        'spec.parent: eng → group:ns1/eng',
        [
          ns('Group', 'team', { type: 'team', parent: 'eng' }),
          ns('Group', 'eng', { type: 'team' }, oncall('static:ns1-eng')),
        ],
        'team',
        undefined,
        'group:ns1/team',
        'static:ns1-eng',
      ],
      [
        'unresolved owner: spec.system: shop → system:ns1/shop, its owner group:ns1/eng',
        [
          ns('System', 'shop', { owner: 'eng' }),
          ns('Group', 'eng', { type: 'team' }, oncall('static:ns1-eng')),
        ],
        'gone',
        'shop',
        'group:ns1/gone',
        'static:ns1-eng',
      ],
    ])('%s', (_name, world, owner, system, ownerRef, source) => {
      const entity = ns('Component', 'svc', {
        type: 'service',
        lifecycle: 'production',
        owner,
        ...(system ? { system } : {}),
      });
      const lk = entityLookupOf(emitRelations([...decoys, ...world, entity]));
      const r = resolveOwnership(entity, lk, answers);
      expect(r.owner.ref).toBe(ownerRef);
      expect(r.onCall?.source).toBe(source);
    });
  });
});

describe('R26: wrongly typed metadata reads as absent, never as an exception', () => {
  /** The demo catalog with `name`'s metadata merged with `metadata` (types deliberately wrong). */
  const withMetadata = (name: string, metadata: Record<string, unknown>) =>
    entityLookupOf(
      entities.map(e =>
        e.metadata.name === name
          ? ({ ...e, metadata: { ...e.metadata, ...metadata } } as Entity)
          : e,
      ),
    );
  const withAnnotation = (name: string, key: string, value: unknown) => {
    const entity = entities.find(e => e.metadata.name === name)!;
    return withMetadata(name, {
      annotations: { ...entity.metadata.annotations, [key]: value },
    });
  };
  const checkout = 'component:default/checkout-service';
  const runbook = 'https://runbooks.shop.example/checkout';

  it.each<
    [string, string, EntityLookup, (r: OwnershipResolution) => unknown, unknown]
  >([
    [
      'a number as the component oncall: the owner group routes',
      checkout,
      withAnnotation('checkout-service', 'ops.example.com/oncall', 42),
      r => [r.onCall?.source, r.onCall?.step, r.skipped],
      ['static:checkout-primary', 2, []],
    ],
    [
      'a number as the PagerDuty service id: no PagerDuty source, no incident link',
      'component:default/payment-service',
      withAnnotation('payment-service', 'pagerduty.com/service-id', 7),
      r => [r.onCall?.source, r.skipped, r.incidentLinks],
      ['static:payments-primary', [], []],
    ],
    [
      'a number as the owner group oncall: inherited from its parent',
      checkout,
      withAnnotation('checkout-team', 'ops.example.com/oncall', 42),
      r => [r.onCall?.source, r.onCall?.label],
      [
        'static:commerce-escalation',
        'inherited from group:default/commerce-eng',
      ],
    ],
    [
      'an object as the owner group oncall: inherited from its parent',
      checkout,
      withAnnotation('checkout-team', 'ops.example.com/oncall', {
        source: 'static:checkout-primary',
      }),
      r => r.onCall?.source,
      'static:commerce-escalation',
    ],
    [
      'a list as the escalation: NO_ESCALATION',
      checkout,
      withAnnotation('checkout-team', 'ops.example.com/escalation', [
        'user:default/ana.ruiz',
      ]),
      r => [r.escalation, codes(r)],
      [[], ['NO_ESCALATION:warn']],
    ],
    [
      'a boolean as the chat channel: NO_CHAT_CHANNEL',
      checkout,
      withAnnotation('checkout-team', 'ops.example.com/chat-channel', true),
      r => [r.chatChannel, codes(r)],
      [null, ['NO_CHAT_CHANNEL:warn']],
    ],
    [
      'a number as the tier label: on-call still resolves',
      checkout,
      withMetadata('checkout-service', {
        labels: { 'ops.example.com/tier': 1 },
      }),
      r => r.onCall?.source,
      'static:checkout-primary',
    ],
    [
      'annotations that are not an object: the owner group routes',
      checkout,
      withMetadata('checkout-service', { annotations: 'oncall' }),
      r => r.onCall?.source,
      'static:checkout-primary',
    ],
    [
      'links as one object, not a list: no links, NO_RUNBOOK',
      checkout,
      withMetadata('checkout-service', {
        links: { type: 'runbook', url: runbook },
      }),
      r => [r.runbook, r.triage, r.dashboards, codes(r)],
      [null, null, [], ['NO_RUNBOOK:warn']],
    ],
    [
      'links as a string: no links, NO_RUNBOOK',
      checkout,
      withMetadata('checkout-service', { links: runbook }),
      r => [r.runbook, codes(r)],
      [null, ['NO_RUNBOOK:warn']],
    ],
    [
      'link entries that are not {type, url} strings are skipped, the rest still read',
      checkout,
      withMetadata('checkout-service', {
        links: [
          null,
          42,
          'runbook',
          { type: 'runbook', url: 42 },
          { type: 7, url: runbook },
          { type: 'dashboard', url: { href: runbook } },
          { type: 'dashboard', url: 'https://grafana.shop.example/d/ok' },
          { type: 'triage', url: 'https://grafana.shop.example/d/triage' },
        ],
      }),
      r => [r.runbook, r.dashboards, r.triage],
      [
        null,
        ['https://grafana.shop.example/d/ok'],
        'https://grafana.shop.example/d/triage',
      ],
    ],
    [
      'a number as a user’s display name: the user’s name is shown',
      checkout,
      entityLookupOf(
        entities.map(e =>
          e.metadata.name === 'ana.ruiz'
            ? ({
                ...e,
                spec: { ...e.spec, profile: { displayName: 42 } },
              } as Entity)
            : e,
        ),
      ),
      r => r.escalation[1],
      { type: 'user', ref: 'user:default/ana.ruiz', name: 'ana.ruiz' },
    ],
  ])('%s', (_name, root, lk, read, expected) => {
    expect(read(resolve(root, demoOnCall, lk))).toEqual(expected);
  });
});

describe('members and escalation steps the catalog relates', () => {
  const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));
  const find = (world: Entity[], kind: string, name: string) =>
    world.find(e => e.kind === kind && e.metadata.name === name)!;
  const resolveIn = (world: Entity[]) =>
    resolveOwnership(
      find(world, 'Component', 'checkout-service'),
      entityLookupOf(world),
      demoOnCall,
    );
  const escalate = (world: Entity[], path: string) => {
    find(world, 'Group', 'checkout-team').metadata.annotations![
      'ops.example.com/escalation'
    ] = path;
  };

  it('counts the members its users name with memberOf, also when spec.members is empty', () => {
    const world = clone(demoEntities());
    const team = find(world, 'Group', 'checkout-team');
    (team.spec as { members: string[] }).members = [];
    // the catalog still relates each user that declares memberOf the group
    expect(team.relations!.filter(r => r.type === 'hasMember')).toHaveLength(2);
    const resolved = resolveIn(world);
    expect(resolved.owner.membersCount).toBe(2);
    expect(resolved.issues.map(i => i.code)).not.toContain('OWNER_GROUP_EMPTY');
  });

  it('expands a group step without a rotation to its members (§2.2)', () => {
    const world = clone(demoEntities());
    escalate(world, 'static:checkout-primary, group:default/payments-team');
    delete find(world, 'Group', 'payments-team').metadata.annotations![
      'ops.example.com/oncall'
    ];
    expect(resolveIn(world).escalation[1]).toEqual({
      type: 'group',
      ref: 'group:default/payments-team',
      onCall: null,
      members: ['Chen Wei'],
    });
  });

  it('lists a step naming no catalog entity as written, and names it as a gap', () => {
    const world = clone(demoEntities());
    escalate(
      world,
      'static:checkout-primary, user:default/left.company, ana.ruiz, group:default/commerce-eng',
    );
    const resolved = resolveIn(world);
    expect(resolved.escalation.map(s => s.type)).toEqual([
      'oncall',
      'user',
      'group',
    ]);
    expect(
      resolved.issues
        .filter(i => i.code === 'UNRESOLVED_REF')
        .map(i => i.message),
    ).toEqual([
      'escalation step "user:default/left.company" names no entity in the catalog.',
      'escalation step "ana.ruiz" is not an entity ref (kind:namespace/name).',
    ]);
  });
});
