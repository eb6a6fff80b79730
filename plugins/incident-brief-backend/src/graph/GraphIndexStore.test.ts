import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { computeBlastRadius } from '@internal/plugin-incident-brief-common';
import {
  at,
  demoEntities,
  demoObservedEdges,
  fakeEvidence,
  withRelations,
} from '../__fixtures__/demoWorld';
import { GraphIndexStore } from './GraphIndexStore';

const ROOT = 'component:default/checkout-service';
const MIN = 60_000;

/** A catalog whose contents the test edits between passes, counting full reads. */
function editableCatalog(initial: Entity[]) {
  let raw = initial;
  let current = catalogServiceMock({ entities: withRelations(raw) });
  const calls = { fullReads: 0, scans: 0, fetched: [] as string[] };
  const catalog = {
    async queryEntities(req: any, opts: any) {
      if (!req?.cursor) {
        if (req?.fields) calls.scans++;
        else calls.fullReads++;
      }
      return current.queryEntities(req, opts);
    },
    async getEntitiesByRefs(req: any, opts: any) {
      calls.fetched.push(...req.entityRefs);
      return current.getEntitiesByRefs(req, opts);
    },
  } as unknown as CatalogService;
  const edit = (fn: (entities: Entity[]) => Entity[]) => {
    raw = fn(raw.map(e => ({ ...e, relations: undefined })));
    current = catalogServiceMock({ entities: withRelations(raw) });
    calls.fetched = [];
  };
  return { catalog, calls, edit };
}

function setup(pageSize = 7, initialEntities = demoEntities()) {
  const evidence = fakeEvidence();
  const cat = editableCatalog(initialEntities);
  let clock = Date.parse(at(0));
  const logger = mockServices.logger.mock();
  const store = new GraphIndexStore({
    catalog: cat.catalog,
    auth: mockServices.auth(),
    evidence: evidence.service,
    logger,
    graph: {},
    fullSyncIntervalMs: 10 * MIN,
    pageSize,
    now: () => clock,
  });
  const tick = (ms: number) => {
    clock += ms;
  };
  const radius = async (ref = ROOT, hops = 3) =>
    computeBlastRadius(
      await store.current(),
      [ref],
      { hops },
      new Date(clock).toISOString(),
    ).impacted.map(i => i.ref);
  return { store, evidence, cat, tick, radius, logger };
}

const newDependent: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'mobile-bff', namespace: 'default' },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/checkout-team',
    dependsOn: ['component:default/checkout-service'],
  },
};

describe('GraphIndexStore', () => {
  it('builds once from a paged catalog read and the edge feed', async () => {
    const { store, cat, evidence, radius } = setup();
    expect(await radius()).toEqual([
      'component:default/api-gateway',
      'component:default/web-storefront',
    ]);
    await store.current();
    expect(cat.calls.fullReads).toBe(1);
    expect(evidence.state.edgeReads).toBeGreaterThan(0);
  });

  it('R25: a new dependsOn on the root is in the next radius after one incremental pass, no rebuild', async () => {
    const { store, cat, tick, radius } = setup();
    await store.current();
    cat.edit(entities => [...entities, newDependent]);
    tick(MIN);
    await store.refresh();
    expect(cat.calls.fullReads).toBe(1); // incremental: etag scan, no full read
    expect(cat.calls.scans).toBe(1);
    // only the changed entities were fetched in full: the new one and the root (dependencyOf)
    expect(cat.calls.fetched.sort()).toEqual([
      'component:default/checkout-service',
      'component:default/mobile-bff',
    ]);
    expect(await radius()).toContain('component:default/mobile-bff');
  });

  it('a ref the index does not know yet triggers one incremental pass, at most every 5 s', async () => {
    const { store, cat, tick } = setup();
    await store.current();
    cat.edit(entities => [...entities, newDependent]);
    const ref = 'component:default/mobile-bff';

    const index = await store.currentFor(ref);
    expect(index.inCatalog(index.idOf(ref))).toBe(true);
    // Only the two entities whose relations changed are fetched, not the whole catalog.
    expect([...cat.calls.fetched].sort()).toEqual([ROOT, ref]);

    // Further misses within 5 s of that pass are answered from the index as it is: no scan.
    const scans = cat.calls.scans;
    const unknown = 'component:default/never-registered';
    await store.currentFor(unknown);
    expect(cat.calls.scans).toBe(scans);
    tick(5_000);
    await store.currentFor(unknown);
    await store.currentFor(unknown);
    expect(cat.calls.scans).toBe(scans + 1);
    tick(1_000);
    await store.currentFor(unknown);
    expect(cat.calls.scans).toBe(scans + 1);
    tick(5_000);
    await store.currentFor(unknown);
    expect(cat.calls.scans).toBe(scans + 2);
  });

  it('maps observed edges that arrived before their entities once the entities are registered', async () => {
    // The portal's start-up race: the index is built while the catalog is still empty and the
    // evidence feed already holds the demo edges, which then name no entity.
    const { store, cat, radius } = setup(7, []);
    const empty = await store.current();
    expect(empty.nodeCount).toBe(0);

    cat.edit(() => demoEntities());
    await store.incrementalSync();

    // pricing-service's dependents include checkout-service only through the observed edge E15.
    expect(await radius('component:default/pricing-service', 1)).toEqual(
      expect.arrayContaining(['component:default/checkout-service']),
    );
  });

  it('R25: a deleted dependent leaves the radius on the next pass', async () => {
    const { store, cat, tick, radius } = setup();
    await store.current();
    cat.edit(entities =>
      entities
        .filter(e => e.metadata.name !== 'web-storefront')
        .map(e =>
          e.metadata.name === 'api-gateway'
            ? { ...e, metadata: { ...e.metadata } }
            : e,
        ),
    );
    tick(MIN);
    await store.refresh();
    expect(await radius()).toEqual(['component:default/api-gateway']);
  });

  it('a renamed entity is not left behind as an observed dependent under its old ref', async () => {
    const { store, cat, tick, radius } = setup();
    expect(await radius('component:default/payment-service', 1)).toContain(
      ROOT,
    );
    // checkout-service becomes checkout-v2, keeping its telemetry aliases
    cat.edit(entities =>
      entities.map(e =>
        e.metadata.name === 'checkout-service'
          ? { ...e, metadata: { ...e.metadata, name: 'checkout-v2' } }
          : e,
      ),
    );
    tick(MIN);
    await store.refresh();
    const after = await radius('component:default/payment-service', 1);
    expect(after).toContain('component:default/checkout-v2');
    expect(after).not.toContain(ROOT);
  });

  it('maps edges seen before their entities even when the pass that met the entities could not read the feed', async () => {
    const { store, evidence, cat, radius } = setup(7, []);
    await store.current();
    cat.edit(() => demoEntities());
    evidence.state.available = false;
    await store.incrementalSync();
    evidence.state.available = true;
    await store.incrementalSync();
    await store.incrementalSync();
    expect(await radius('component:default/pricing-service', 1)).toEqual(
      expect.arrayContaining(['component:default/checkout-service']),
    );
  });

  it('logs an evidence outage of the edge feed as it starts, not on every pass, and its end once', async () => {
    const { store, evidence, tick, logger } = setup();
    await store.current();
    evidence.state.available = false;
    for (let pass = 0; pass < 10; pass++) {
      tick(MIN);
      await store.incrementalSync();
    }
    const feedLines = (calls: unknown[][]) =>
      calls.map(([m]) => String(m)).filter(m => m.includes('observed edges'));
    expect(feedLines(logger.warn.mock.calls)).toEqual([
      `observed edges not refreshed: evidence timeout since ${at(-5)}`,
    ]);
    evidence.state.available = true;
    tick(MIN);
    await store.incrementalSync();
    expect(feedLines(logger.info.mock.calls)).toEqual([
      'observed edges refreshed again (after 10 min)',
    ]);
  });

  it('drops edges the evidence store removed (a purge), not at the next scheduled rebuild', async () => {
    const { store, evidence, tick, radius } = setup();
    expect(await radius('component:default/pricing-service', 1)).toContain(
      ROOT,
    );
    // checkout-service depends on pricing-service only through the observed E15
    evidence.state.edges = evidence.state.edges.filter(
      e => e.id !== 'checkout->pricing',
    );
    evidence.state.removedNext = ['checkout->pricing'];
    tick(MIN);
    await store.refresh();
    expect(await radius('component:default/pricing-service', 1)).not.toContain(
      ROOT,
    );
  });

  it('does not rebuild for the tombstones a replay of the feed lists, only for removals read from a cursor', async () => {
    const { store, evidence, cat, tick } = setup();
    await store.current();
    const fullReads = cat.calls.fullReads;
    // days of retention tombstones, listed again whenever the feed is read from its start
    evidence.state.removalsPage = ['old-edge-1', 'old-edge-2'];
    for (const name of ['mobile-bff', 'tablet-bff', 'kiosk-bff']) {
      cat.edit(entities => [
        ...entities,
        { ...newDependent, metadata: { ...newDependent.metadata, name } },
      ]);
      tick(MIN);
      await store.refresh();
    }
    expect(cat.calls.fullReads).toBe(fullReads);
  });

  it('rebuilds for an edge removed since the last read even when new aliases replay the feed', async () => {
    const { store, evidence, cat, tick, radius } = setup();
    expect(await radius('component:default/pricing-service', 1)).toContain(
      ROOT,
    );
    const fullReads = cat.calls.fullReads;
    evidence.state.removalsPage = ['old-edge-1']; // tombstones a replay lists again
    evidence.state.edges = evidence.state.edges.filter(
      e => e.id !== 'checkout->pricing',
    );
    evidence.state.removedNext = ['checkout->pricing'];
    cat.edit(entities => [...entities, newDependent]); // a new name: the feed is replayed
    tick(MIN);
    await store.refresh();
    expect(cat.calls.fullReads).toBe(fullReads + 1);
    expect(await radius('component:default/pricing-service', 1)).not.toContain(
      ROOT,
    );
  });

  it('resolves an alias registered while the evidence store is down', async () => {
    const { store, evidence, cat, tick } = setup();
    await store.current();
    evidence.state.available = false;
    cat.edit(entities => [
      ...entities,
      {
        ...newDependent,
        metadata: {
          ...newDependent.metadata,
          annotations: { 'ops.example.com/aliases': 'mbff' },
        },
      },
    ]);
    tick(MIN);
    await store.refresh();
    expect(store.resolveAlias('mbff')).toBe('component:default/mobile-bff');
  });

  it('resolves a Kubernetes id added on the next incremental pass, as an alias annotation would', async () => {
    const { store, cat, tick } = setup();
    await store.current();
    const fullReads = cat.calls.fullReads;
    cat.edit(entities =>
      entities.map(e =>
        e.metadata.name === 'checkout-service'
          ? {
              ...e,
              metadata: {
                ...e.metadata,
                etag: 'k8s-id-added',
                annotations: {
                  ...e.metadata.annotations,
                  'backstage.io/kubernetes-id': 'checkout-k8s',
                },
              },
            }
          : e,
      ),
    );
    tick(MIN);
    await store.incrementalSync();
    expect(store.resolveAlias('checkout-k8s')).toBe(
      'component:default/checkout-service',
    );
    expect(cat.calls.fullReads).toBe(fullReads);
  });

  it('merges new observed edges from the feed cursor', async () => {
    const { store, evidence, tick, radius } = setup();
    expect(await radius('component:default/pricing-service', 1)).toEqual([
      'component:default/checkout-service',
      'component:default/web-storefront',
    ]);
    const gatewayToPricing = {
      ...demoObservedEdges()[0],
      id: 'gateway->pricing',
      server: 'pricing',
      dependencyRef: 'component:default/pricing-service',
      serverRef: 'component:default/pricing-service',
    };
    evidence.state.edges.push(gatewayToPricing);
    tick(MIN);
    await store.refresh();
    expect(await radius('component:default/pricing-service', 1)).toEqual([
      'component:default/api-gateway',
      'component:default/checkout-service',
      'component:default/web-storefront',
    ]);
  });

  describe('R14: an alias that stops naming an entity takes its observed edges along at once', () => {
    const PRICING = 'component:default/pricing-service';
    const CHECKOUT = 'component:default/checkout-service';
    const claiming = (name: string, aliases: string): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace: 'default',
        annotations: { 'ops.example.com/aliases': aliases },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: 'group:default/storefront-team',
      },
    });
    const withoutAlias = (e: Entity): Entity =>
      e.metadata.name === 'pricing-service'
        ? {
            ...e,
            metadata: {
              ...e.metadata,
              annotations: Object.fromEntries(
                Object.entries(e.metadata.annotations ?? {}).filter(
                  ([key]) => key !== 'ops.example.com/aliases',
                ),
              ),
            },
          }
        : e;

    it('a second claim voids `pricing`: checkout-service is no longer an observed dependent of pricing-service', async () => {
      const { store, cat, tick, radius } = setup();
      // E15: checkout-service calls `pricing`, never declared
      expect(await radius(PRICING, 1)).toContain(CHECKOUT);
      cat.edit(entities => [
        ...entities,
        claiming('pricing-legacy', 'pricing'),
      ]);
      tick(MIN);
      await store.refresh();
      const incremental = await radius(PRICING, 1);
      expect(incremental).not.toContain(CHECKOUT);
      expect((await store.current()).aliasConflicts).toEqual([
        {
          alias: 'pricing',
          refs: ['component:default/pricing-legacy', PRICING],
        },
      ]);
      // what the next full sync would answer, now
      await store.fullSync();
      expect(await radius(PRICING, 1)).toEqual(incremental);
    });

    it('`pricing` moves to pricing-v2: checkout-service is an observed dependent of pricing-v2 only', async () => {
      const { store, cat, tick, radius } = setup();
      await store.current();
      cat.edit(entities => [
        ...entities.map(withoutAlias),
        claiming('pricing-v2', 'pricing'),
      ]);
      tick(MIN);
      await store.refresh();
      expect(await radius(PRICING, 1)).not.toContain(CHECKOUT);
      expect(await radius('component:default/pricing-v2', 1)).toEqual([
        CHECKOUT,
      ]);
    });

    it('a new alias for an unmapped name maps its edges and drops the unmapped note; a new name alone needs no full read', async () => {
      const { store, cat, tick, radius } = setup();
      const unmapped = async () => {
        const index = await store.current();
        return index.unmappedOf(index.idOf(CHECKOUT)).map(u => u.name);
      };
      expect(await unmapped()).toEqual(['tax-svc']);
      cat.edit(entities => [...entities, claiming('tax-service', 'tax-svc')]);
      tick(MIN);
      await store.refresh();
      expect(await unmapped()).toEqual([]);
      expect(await radius('component:default/tax-service', 1)).toEqual([
        CHECKOUT,
      ]);

      // a name nothing was seen under only adds: the incremental pass, no full catalog read
      const fullReads = cat.calls.fullReads;
      cat.edit(entities => [...entities, claiming('search-service', 'search')]);
      tick(MIN);
      await store.refresh();
      expect(cat.calls.fullReads).toBe(fullReads);
      expect(
        (await store.current()).idOf('component:default/search-service'),
      ).toBeGreaterThanOrEqual(0);
    });
  });

  it('follows the edge feed past a page of removals only, at the build and at every full sync', async () => {
    const observed = async (store: GraphIndexStore) => {
      const index = await store.current();
      const { edgeStats } = computeBlastRadius(
        index,
        [ROOT],
        { hops: 3 },
        at(0),
      );
      return { confirmed: edgeStats.confirmed, asOf: index.asOf.observedEdges };
    };
    const plain = setup();
    const expected = await observed(plain.store);
    expect(expected.confirmed).toBeGreaterThan(0);

    const { store, evidence, cat, tick } = setup();
    evidence.state.removalsPage = Array.from(
      { length: 5000 },
      (_, i) => `e${i}`,
    );
    expect(await observed(store)).toEqual(expected);
    tick(10 * MIN);
    await store.refresh();
    expect(cat.calls.fullReads).toBe(2);
    expect(await observed(store)).toEqual(expected);
  });

  it('rebuilds when the edge feed resets, and every fullSyncInterval', async () => {
    const { store, evidence, cat, tick } = setup();
    await store.current();
    evidence.state.resetNext = true;
    tick(MIN);
    await store.refresh();
    expect(cat.calls.fullReads).toBe(2);
    tick(10 * MIN);
    await store.refresh();
    expect(cat.calls.fullReads).toBe(3);
  });

  it('R17: evidence down at start-up: declared edges answer; observed edges arrive when it is back', async () => {
    const { store, evidence, tick, radius } = setup();
    evidence.state.available = false;
    expect(await radius('component:default/pricing-service', 1)).toEqual([
      'component:default/web-storefront',
    ]);
    expect((await store.current()).asOf.observedEdges).toBe('');
    evidence.state.available = true;
    tick(MIN);
    await store.refresh();
    expect(await radius('component:default/pricing-service', 1)).toEqual([
      'component:default/checkout-service',
      'component:default/web-storefront',
    ]);
  });

  it('R17: evidence down during a scheduled full sync: observed edges keep their last state, age by lastSeen, and declared data is rebuilt', async () => {
    const { store, evidence, cat, tick, radius } = setup();
    const PRICING = 'component:default/pricing-service';
    const CHECKOUT = 'component:default/checkout-service';
    const newest = new Date(
      Math.max(...evidence.state.edges.map(e => Date.parse(e.lastSeen))),
    ).toISOString();
    let clock = Date.parse(at(0));
    const later = (ms: number) => {
      tick(ms);
      clock += ms;
    };
    const pricingStep = async () => {
      const r = computeBlastRadius(
        await store.current(),
        [PRICING],
        { hops: 1 },
        new Date(clock).toISOString(),
      );
      return r.impacted.find(i => i.ref === CHECKOUT)?.path[0].observation;
    };
    expect(await radius(PRICING, 1)).toEqual([
      CHECKOUT,
      'component:default/web-storefront',
    ]);

    evidence.state.available = false;
    cat.edit(entities => [...entities, newDependent]);
    later(10 * MIN);
    await store.refresh();
    expect(cat.calls.fullReads).toBe(2);
    const index = await store.current();
    // declared data is rebuilt from the catalog …
    expect(await radius(CHECKOUT, 1)).toContain('component:default/mobile-bff');
    // … while the observed edge E15, its telemetry presence and unmapped names stay as last read
    expect(await radius(PRICING, 1)).toEqual([
      CHECKOUT,
      'component:default/web-storefront',
    ]);
    expect(await pricingStep()).toBe('fresh');
    expect(index.hasPresence(index.idOf(CHECKOUT), clock)).toBe(true);
    expect(index.unmappedOf(index.idOf(CHECKOUT)).map(u => u.name)).toEqual([
      'tax-svc',
    ]);
    expect(index.asOf.observedEdges).toBe(newest);

    // still down a day later: stale, not gone, and as old as the newest sighting
    later(24 * 60 * MIN);
    await store.refresh();
    expect(cat.calls.fullReads).toBe(3);
    expect(await pricingStep()).toBe('stale');
    expect((await store.current()).asOf.observedEdges).toBe(newest);
    // past retention (30 d) it drops out
    later(30 * 24 * 60 * MIN);
    await store.refresh();
    expect(await radius(PRICING, 1)).toEqual([
      'component:default/web-storefront',
    ]);

    // evidence back: the next pass rebuilds from the whole feed
    evidence.state.available = true;
    evidence.state.edges = evidence.state.edges.map(e => ({
      ...e,
      lastSeen: new Date(clock - MIN).toISOString(),
    }));
    later(MIN);
    await store.refresh();
    expect(cat.calls.fullReads).toBe(5);
    expect(await pricingStep()).toBe('fresh');
    expect((await store.current()).asOf.observedEdges).toBe(
      new Date(clock - 2 * MIN).toISOString(),
    );
  });

  it('R17: observed edges are as old as their newest sighting, not the last successful feed read', async () => {
    const { store, evidence, tick } = setup();
    const newest = () =>
      new Date(
        Math.max(...evidence.state.edges.map(e => Date.parse(e.lastSeen))),
      ).toISOString();
    const asOf = async () => (await store.current()).asOf.observedEdges;
    expect(await asOf()).toBe(newest());
    expect(await asOf()).not.toBe(at(0));
    // the evidence store answers but its collector stopped: an hour of empty feed reads
    tick(60 * MIN);
    await store.refresh();
    expect(await asOf()).toBe(newest());
    // a full rebuild reads the same sightings and keeps their age
    tick(10 * MIN);
    await store.refresh();
    expect(await asOf()).toBe(newest());
    // the collector is back: the new sighting advances the age
    evidence.state.edges.push({
      ...demoObservedEdges()[0],
      id: 'gateway->pricing',
      server: 'pricing',
      dependencyRef: 'component:default/pricing-service',
      serverRef: 'component:default/pricing-service',
      lastSeen: at(69),
    });
    tick(MIN);
    await store.refresh();
    expect(await asOf()).toBe(at(69));
  });
});
