import { Entity } from '@backstage/catalog-model';
import { demoEntities } from '../__fixtures__/demoCatalog';
import {
  DEMO_REFRESHED_AT,
  demoEvaluator,
} from '../__fixtures__/demoEvaluator';
import { CatalogIndex, catalogReadsOf, indexCatalog } from './catalogIndex';
import {
  CatalogRead,
  collectCatalogReads,
  flattenCatalogReads,
  noteCatalogRead,
  someCatalogRead,
} from './catalogReads';
import { entityRefOf } from './entityRefs';
import { withArrivals } from './withArrivals';

const { evaluateIn } = demoEvaluator();
const index = (entities: Entity[]) =>
  indexCatalog({ entities, refreshedAt: DEMO_REFRESHED_AT });

/** The demo evaluation of an entity against a snapshot, and the lookups it made. */
const evaluate = (entity: Entity, catalog: CatalogIndex) =>
  collectCatalogReads(() => evaluateIn(entity, catalog));

const scored = (entities: Entity[]) =>
  entities.filter(e =>
    ['Component', 'Resource', 'API', 'System'].includes(e.kind),
  );

describe('catalog reads', () => {
  it('collects nested collections into the outer one, and nothing outside one', () => {
    noteCatalogRead('g', 'component:default/ignored');
    const outer = collectCatalogReads(() => {
      noteCatalogRead('g', 'component:default/a');
      const inner = collectCatalogReads(() => {
        noteCatalogRead('a', 'group:default/team');
        return 1;
      });
      expect(inner.reads).toEqual(['agroup:default/team']);
      return inner.value + 1;
    });
    expect(outer.value).toBe(2);
    expect([...flattenCatalogReads(outer.reads)]).toEqual([
      'gcomponent:default/a',
      'agroup:default/team',
    ]);
  });

  it('leaves the collection when the computation throws, giving what it read to the outer one', () => {
    const outer = collectCatalogReads(() => {
      expect(() =>
        collectCatalogReads(() => {
          noteCatalogRead('a', 'group:default/team');
          throw new Error('boom');
        }),
      ).toThrow('boom');
    });
    // A check that threw turns unknown from what it had read: the evaluation counts those reads.
    expect([...flattenCatalogReads(outer.reads)]).toEqual([
      'agroup:default/team',
    ]);
    noteCatalogRead('g', 'component:default/after');
    expect(collectCatalogReads(() => 0).reads).toEqual([]);
  });

  it('an evaluation served from the snapshot memo reads what a cold one reads', () => {
    const entities = demoEntities();
    // One index for all: owner chains, member counts and owner resolutions come from the memo
    // (and the last lookups kept beside it) for every entity after the first of its team.
    const shared = index(entities);
    for (const entity of scored(entities)) {
      const warm = flattenCatalogReads(evaluate(entity, shared).reads);
      const cold = flattenCatalogReads(evaluate(entity, index(entities)).reads);
      // No memo at all: every lookup goes to the index.
      const unmemoized = flattenCatalogReads(
        evaluate(
          entity,
          withArrivals(index(entities), () => undefined),
        ).reads,
      );
      expect({ ref: entityRefOf(entity), reads: [...warm].sort() }).toEqual({
        ref: entityRefOf(entity),
        reads: [...cold].sort(),
      });
      expect([...unmemoized].sort()).toEqual([...cold].sort());
      expect(warm.has(`g${entityRefOf(entity)}`) || warm.size > 0).toBe(true);
    }
  });

  const ns = 'default';
  const edit =
    (ref: string, change: (entity: Entity) => Entity) => (entities: Entity[]) =>
      entities.map(e =>
        entityRefOf(e) === ref ? change(structuredClone(e)) : e,
      );
  const remove = (ref: string) => (entities: Entity[]) =>
    entities.filter(e => entityRefOf(e) !== ref);
  const add = (entity: Entity) => (entities: Entity[]) => [...entities, entity];
  const spec = (e: Entity) => e.spec as Record<string, any>;

  /** Changes to the catalog around the scored entities, each of a different lookup. */
  const mutations: [string, (entities: Entity[]) => Entity[]][] = [
    [
      'a member joins the team without members',
      entities =>
        add({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'User',
          metadata: { name: 'eve.new', namespace: ns },
          spec: { memberOf: ['group:default/storefront-team'] },
        })(entities),
    ],
    [
      'a child group with a member appears under the team without members',
      add({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'storefront-web', namespace: ns },
        spec: {
          type: 'team',
          parent: 'group:default/storefront-team',
          members: ['user:default/ana.ruiz'],
          children: [],
        },
      }),
    ],
    [
      'a team loses its parent',
      edit(`group:${ns}/payments-team`, e => {
        delete spec(e).parent;
        return e;
      }),
    ],
    [
      "the parent group's on-call annotation goes",
      edit(`group:${ns}/commerce-eng`, e => {
        delete e.metadata.annotations!['ops.example.com/oncall'];
        return e;
      }),
    ],
    [
      'a provider is deprecated',
      edit(`component:${ns}/payment-service`, e => {
        spec(e).lifecycle = 'deprecated';
        return e;
      }),
    ],
    ['a dependency is removed', remove(`resource:${ns}/order-events`)],
    ['a team is removed', remove(`group:${ns}/checkout-team`)],
    [
      'a new dependent appears',
      add({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'new-consumer', namespace: ns },
        spec: {
          type: 'service',
          lifecycle: 'production',
          owner: 'group:default/platform-team',
          dependsOn: ['component:default/inventory-service'],
          consumesApis: ['api:default/order-api'],
        },
      }),
    ],
    [
      "an API's definition changes",
      edit(`api:${ns}/checkout-api`, e => {
        spec(e).definition = '';
        return e;
      }),
    ],
    ['a System is removed', remove(`system:${ns}/payments`)],
    [
      'a member moves between teams',
      edit(`group:${ns}/fulfillment-team`, e => {
        spec(e).members = [];
        return e;
      }),
    ],
    [
      'an unrelated group gains a URL with credentials',
      add({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: {
          name: 'elsewhere',
          namespace: ns,
          annotations: {
            'ops.example.com/runbook': 'https://u:secret@wiki.example.com/x',
          },
        },
        spec: { type: 'team', children: [] },
      }),
    ],
  ];

  const UNREAD = new Set([
    'a new dependent appears',
    'an unrelated group gains a URL with credentials',
  ]);

  /** The reads whose answers differ between the two catalogs (what the catalog module computes). */
  function changedReads(before: Entity[], after: Entity[]): Set<CatalogRead> {
    const old = new Map(before.map(e => [entityRefOf(e), e]));
    const now = new Map(after.map(e => [entityRefOf(e), e]));
    const changed = new Set<CatalogRead>();
    for (const ref of new Set([...old.keys(), ...now.keys()])) {
      const a = old.get(ref);
      const b = now.get(ref);
      if (a && b && JSON.stringify(a) === JSON.stringify(b)) continue;
      for (const e of [a, b])
        if (e) for (const r of catalogReadsOf(e)) changed.add(r);
    }
    return changed;
  }

  it.each(mutations)(
    'an evaluation whose reads did not change is the same after: %s',
    (name, mutate) => {
      const before = demoEntities();
      const after = mutate(demoEntities());
      const changed = changedReads(before, after);
      const beforeIndex = index(before);
      const afterIndex = index(after);
      const afterByRef = new Map(after.map(e => [entityRefOf(e), e]));
      const keptButChanged: string[] = [];
      let kept = 0;
      let differing = 0;
      for (const entity of scored(before)) {
        const ref = entityRefOf(entity);
        const next = afterByRef.get(ref);
        // The entity itself changed or went: its own YAML is in the reuse key.
        if (!next || JSON.stringify(next) !== JSON.stringify(entity)) continue;
        const { value: was, reads } = evaluate(entity, beforeIndex);
        const { value: is } = evaluate(entity, afterIndex);
        const affected = someCatalogRead(reads, read => changed.has(read));
        const same = JSON.stringify(is) === JSON.stringify(was);
        if (!affected) {
          kept += 1;
          if (!same) keptButChanged.push(ref);
        } else if (!same) differing += 1;
      }
      // Sound: an evaluation that read nothing the change touched is the same after it.
      expect(keptButChanged).toEqual([]);
      // Reuse happens: most entities read nothing the change touched.
      expect(kept).toBeGreaterThan(0);
      // The change matters to some evaluation, except where none reads what changed: no check
      // reads the dependents of a production entity, and credentials elsewhere change nothing.
      expect(differing > 0).toBe(!UNREAD.has(name));
    },
  );

  it('names every answer an entity takes part in', () => {
    const group: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'team', namespace: 'default' },
      spec: { parent: 'org', members: ['ana'] },
    };
    expect(catalogReadsOf(group).sort()).toEqual(
      [
        'ggroup:default/team',
        'mgroup:default/team',
        'agroup:default/team',
        'kgroup:default/org',
      ].sort(),
    );
    const component: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'svc', namespace: 'default' },
      spec: {
        dependsOn: ['resource:db'],
        consumesApis: ['pay'],
        providesApis: ['api:default/own'],
      },
    };
    expect(catalogReadsOf(component).sort()).toEqual(
      [
        'gcomponent:default/svc',
        'dresource:default/db',
        'capi:default/pay',
        'papi:default/own',
      ].sort(),
    );
  });
});
