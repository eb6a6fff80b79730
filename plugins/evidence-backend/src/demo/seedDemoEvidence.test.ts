import { Entity } from '@backstage/catalog-model';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { EvidenceReader } from '../database/EvidenceReader';
import { EvidenceStore } from '../database/EvidenceStore';
import { AliasResolver } from '../service/AliasResolver';
import { readEvidenceOptions } from '../service/evidenceConfig';
import { DEMO_EDGE_FIRST_SEEN_OFFSET, DEMO_EDGES } from './demoEdges';
import { DEMO_FACTS, DEMO_RESOURCES } from './demoFacts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './demoClock';
import { DEMO_LEDGER } from './demoLedger';
import { DemoRepository } from './DemoRepository';
import { DEMO_SERVICES } from './demoTelemetry';
import { refreshDemoEvidence, seedDemoEvidence } from './seedDemoEvidence';

jest.setTimeout(120_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

/** The suite's vector clock (evidence.md); `now` carries seconds so truncation shows. */
const T = Date.parse('2026-03-14T02:05:00.000Z');
const NOW = new Date(T + 37_000);

const RESOURCE_ALIASES: Record<string, string | undefined> = {
  'checkout-db': 'checkout_pg',
  'payments-db': 'payments_pg',
  'inventory-db': 'inventory-spanner',
  'orders-db': 'orders_sql',
  'order-events': undefined,
  'payment-provider': 'api.stripe.com',
};

/** The software entities of the demo catalog with the aliases its telemetry uses. */
function demoSoftwareEntities(): Entity[] {
  const make = (kind: string, name: string, alias?: string): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      annotations: alias ? { 'ops.example.com/aliases': alias } : {},
    },
    spec: {},
  });
  return [
    ...DEMO_SERVICES.map(s =>
      make('Component', s.entity, s.alias === s.entity ? undefined : s.alias),
    ),
    ...DEMO_RESOURCES.map(name =>
      make('Resource', name, RESOURCE_ALIASES[name]),
    ),
  ];
}

const DEMO_FLAGGED_TABLES = [
  'evidence_facts',
  'evidence_fact_history',
  'evidence_changes',
  'evidence_edges',
  'evidence_source_health',
];
const ALL_TABLES = [
  ...DEMO_FLAGGED_TABLES,
  'evidence_change_coverage',
  'evidence_idempotency',
  'evidence_edge_tombstones',
  'evidence_source_health_log',
];

async function counts(knex: Knex): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of ALL_TABLES) {
    const row = await knex(table).count({ n: '*' }).first();
    result[table] = Number(row?.n);
  }
  return result;
}

const truthy = (v: unknown) => v === true || Number(v) === 1;

async function setup(
  databaseId: Parameters<typeof databases.init>[0],
  demo = true,
) {
  const knex = await databases.init(databaseId);
  const options = readEvidenceOptions(
    new ConfigReader({ evidence: { demo: { enabled: demo } } }),
  );
  const resolver = new AliasResolver(options.aliases);
  resolver.rebuild(demoSoftwareEntities());
  const clock = { now: NOW };
  const logger = mockServices.logger.mock();
  const store = await EvidenceStore.create({
    database: mockServices.database({ knex }),
    resolver,
    options,
    logger,
    clock: () => clock.now,
  });
  return { knex, store, clock, logger, repository: new DemoRepository(knex) };
}

describe('seedDemoEvidence (EV44)', () => {
  it.each(databases.eachSupportedId())(
    'seeds the ledger, edges, facts and health on an empty %s database',
    async databaseId => {
      const { knex, store, logger } = await setup(databaseId);
      const summary = await seedDemoEvidence({ store, now: NOW, logger });
      expect(summary).toMatchObject({
        anchor: new Date(T).toISOString(),
        failed: 0,
      });
      expect(summary.created).toBe(summaryKeyed());

      // Ledger: L1–L11 and LS1–LS5, posted in startedAt order.
      const changes = await knex('evidence_changes').orderBy('received_ms');
      expect(changes).toHaveLength(16);
      const byId = new Map(
        changes.map(row => [String(row.external_id).slice(5), row]),
      );
      expect([...byId.keys()].sort()).toEqual(
        DEMO_LEDGER.map(e => e.id).sort(),
      );
      const started = DEMO_LEDGER.map(e => Number(byId.get(e.id).started_ms));
      expect(started).toEqual([...started].sort((a, b) => a - b));
      for (const entry of DEMO_LEDGER) {
        const row = byId.get(entry.id);
        expect(row.idempotency_key).toBe(`demo:${entry.id}`);
        expect(row.source_system).toBe(entry.system);
        expect(row.environment).toBe('production');
        expect(Number(row.started_ms)).toBe(T + entry.startedMin * MINUTE_MS);
        expect(Number(row.finished_ms)).toBe(T + entry.finishedMin * MINUTE_MS);
        // Finished more than 24 h before T (the receipt time) → LATE.
        expect(String(row.flags).includes('LATE')).toBe(
          entry.finishedMin * MINUTE_MS < -DAY_MS,
        );
      }
      expect(byId.get('L8').status).toBe('rolled-back');
      expect(byId.get('L9')).toMatchObject({
        status: 'succeeded',
        rollback_of: byId.get('L8').id,
      });
      expect(byId.get('L10')).toMatchObject({
        resolution: 'unresolved',
        entity_ref: 'component:default/promo-engine',
      });
      expect(changes.filter(row => row.resolution === 'resolved')).toHaveLength(
        15,
      );
      expect(JSON.parse(byId.get('L2').attributes_json)).toEqual({
        artifactDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        exposure: { from: 0, to: 100, strategy: 'canary', analysis: true },
        verification: { status: 'passed' },
      });
      expect(JSON.parse(byId.get('L3').attributes_json)).toEqual({
        flagKey: 'checkout.split-tender',
        flagType: 'release',
        exposure: { from: 0, to: 100 },
      });

      // The 12 observed series with their lastSeen offsets.
      const edges = await knex('evidence_edges');
      expect(edges).toHaveLength(12);
      const lastSeen = Object.fromEntries(
        edges.map(e => [
          `${e.client}->${e.server}`,
          (Number(e.last_seen_ms) - T) / MINUTE_MS,
        ]),
      );
      expect(lastSeen['gateway->checkout']).toBe(-1);
      expect(lastSeen['checkout->pricing']).toBe(-2);
      expect(lastSeen['checkout->payments']).toBe(-4);
      expect(lastSeen['checkout->tax-svc']).toBe(-4);
      for (const e of edges) {
        expect(Number(e.first_seen_ms)).toBe(T + DEMO_EDGE_FIRST_SEEN_OFFSET);
        expect(Number(e.rpm)).toBe(60);
        expect(Number(e.error_ratio)).toBe(0);
      }
      const notifier = edges.find(e => e.server === 'notifier');
      expect(notifier).toMatchObject({
        dependent_ref: 'component:default/notification-worker',
        dependency_ref: 'component:default/order-service',
        interaction: 'async',
      });
      const tax = edges.find(e => e.server === 'tax-svc');
      expect(tax.server_ref).toBeNull();
      expect(tax.client_ref).toBe('component:default/checkout-service');

      // Facts per Component (profile plus deltas) and per Resource.
      const facts = await knex('evidence_facts');
      expect(facts).toHaveLength(DEMO_FACTS.length);
      const factsOf = (ref: string) =>
        facts.filter(f => f.entity_ref === ref).map(f => f.kind);
      const profile = [
        'repo.files',
        'repo.settings',
        'ci.summary',
        'ci.security',
        'telemetry.presence',
        'alerts.rules',
        'slo.definitions',
        'slo.status',
        'slo.alerts',
        'link.status',
        'link.status',
        'vulns.summary',
        'cost.tagging',
        'cost.monthly',
      ].sort();
      expect(factsOf('component:default/inventory-service').sort()).toEqual(
        profile,
      );
      expect(factsOf('component:default/checkout-service')).toHaveLength(
        profile.length + 1,
      );
      expect(factsOf('component:default/payment-service').sort()).toEqual(
        [...profile, 'rollback.drill'].sort(),
      );
      expect(factsOf('resource:default/payments-db').sort()).toEqual([
        'backup.status',
        'cost.tagging',
      ]);
      expect(factsOf('resource:default/inventory-db')).toEqual([
        'cost.tagging',
      ]);
      const fact = (name: string, kind: string) =>
        facts.find(
          f => f.entity_ref === `component:default/${name}` && f.kind === kind,
        );
      expect(Number(fact('order-service', 'repo.files').observed_ms)).toBe(
        T - 2 * HOUR_MS,
      );
      expect(fact('order-service', 'repo.files').source).toBe('repo');
      expect(
        JSON.parse(fact('web-storefront', 'telemetry.presence').value_json),
      ).toEqual({ aliases: ['web-storefront'], series: [] });
      expect(
        JSON.parse(fact('payment-service', 'slo.alerts').value_json),
      ).toEqual({
        'payment-service-availability': { burnRateRules: 0, names: [] },
      });
      expect(
        JSON.parse(fact('pricing-service', 'slo.definitions').value_json),
      ).toEqual({
        ids: { 'pricing-service-availability': { objective: 0.995 } },
      });
      expect(Number(fact('api-gateway', 'rollback.drill').observed_ms)).toBe(
        T - 30 * DAY_MS,
      );

      // Health ok for the collectors the demo stands in for.
      const health = await knex('evidence_source_health').whereIn('source', [
        'repo',
        'prometheus',
      ]);
      expect(health.map(h => [h.source, h.status]).sort()).toEqual([
        ['prometheus', 'ok'],
        ['repo', 'ok'],
      ]);

      // Every seeded row is a demo row.
      for (const table of DEMO_FLAGGED_TABLES) {
        const rows = await knex(table).select('demo');
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every(r => truthy(r.demo))).toBe(true);
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'replays a reseed without adding a row on %s',
    async databaseId => {
      const { knex, store, logger } = await setup(databaseId);
      await seedDemoEvidence({ store, now: NOW, logger });
      const before = await counts(knex);
      const again = await seedDemoEvidence({ store, now: NOW, logger });
      expect(again).toMatchObject({ created: 0, updated: 0, failed: 0 });
      expect(again.replayed).toBe(summaryKeyed());
      expect(await counts(knex)).toEqual(before);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the ledger and re-confirms facts and edges an hour later on %s',
    async databaseId => {
      const { knex, store, clock, logger } = await setup(databaseId);
      await seedDemoEvidence({ store, now: NOW, logger });
      const ledger = await knex('evidence_changes').orderBy('id');
      const later = new Date(T + HOUR_MS + 5_000);
      clock.now = later;
      const summary = await refreshDemoEvidence({ store, now: later, logger });
      expect(summary?.at).toBe(new Date(T + HOUR_MS).toISOString());
      expect(await knex('evidence_changes').orderBy('id')).toEqual(ledger);
      expect(await knex('evidence_facts')).toHaveLength(DEMO_FACTS.length);
      const edges = await knex('evidence_edges');
      expect(edges).toHaveLength(12);
      const e3 = edges.find(e => e.client === 'gateway');
      expect(Number(e3.last_seen_ms)).toBe(T + HOUR_MS - MINUTE_MS);
      expect(Number(e3.first_seen_ms)).toBe(T + DEMO_EDGE_FIRST_SEEN_OFFSET);
      const settings = await knex('evidence_facts')
        .where({ kind: 'repo.settings' })
        .first();
      expect(Number(settings.observed_ms)).toBe(T + HOUR_MS - 6 * HOUR_MS);

      // A reseed after a restart keeps the first T for the ledger: nothing is refused.
      const reseed = await seedDemoEvidence({ store, now: later, logger });
      expect(reseed).toMatchObject({
        anchor: new Date(T).toISOString(),
        created: 0,
        failed: 0,
      });
      expect(await knex('evidence_changes').orderBy('id')).toEqual(ledger);
    },
  );

  it.each(databases.eachSupportedId())(
    'DELETE removes every demo row and a reseed writes again on %s',
    async databaseId => {
      const { knex, store, logger, repository } = await setup(databaseId);
      await seedDemoEvidence({ store, now: NOW, logger, repository });
      const seeded = await counts(knex);
      // the clock moves on while the deletes run (a large demo): the feed's stamp is the end's
      let tick = T;
      const deleted = await repository.deleteAll(() => {
        const now = tick;
        tick += 60_000;
        return now;
      });
      expect(deleted).toBe(
        DEMO_FLAGGED_TABLES.reduce((sum, table) => sum + seeded[table], 0),
      );
      const after = await counts(knex);
      for (const table of DEMO_FLAGGED_TABLES) expect(after[table]).toBe(0);
      expect(after.evidence_change_coverage).toBe(0);
      expect(after.evidence_idempotency).toBe(0);
      expect(after.evidence_edge_tombstones).toBe(12);
      // the entities that lost demo evidence are in the change feed (mirrors re-read them)
      const options = readEvidenceOptions(new ConfigReader({}));
      const reader = new EvidenceReader(
        knex,
        new AliasResolver(options.aliases),
        options,
      );
      const changed = await reader.changedEntityRefs(T + 60_000 - 1);
      expect(changed).toEqual(
        expect.arrayContaining([
          'component:default/checkout-service',
          'resource:default/payments-db',
        ]),
      );
      // tombstones are dated when the purge began
      expect(
        (await knex('evidence_edge_tombstones')).every(
          r => Number(r.removed_ms) === T,
        ),
      ).toBe(true);

      expect(
        await refreshDemoEvidence({ store, now: NOW, logger, repository }),
      ).toBeUndefined();
      expect((await counts(knex)).evidence_facts).toBe(0);

      const reseeded = await seedDemoEvidence({
        store,
        now: NOW,
        logger,
        repository,
      });
      expect(reseeded.created).toBeGreaterThan(0);
      expect((await counts(knex)).evidence_changes).toBe(16);
    },
  );

  it('seeds nothing with the demo disabled', async () => {
    const { knex, store, logger } = await setup('SQLITE_3', false);
    await expect(seedDemoEvidence({ store, now: NOW, logger })).rejects.toThrow(
      'evidence.demo.enabled is not true',
    );
    for (const table of ALL_TABLES) {
      expect((await counts(knex))[table]).toBe(0);
    }
  });
});

/** Keyed items of a seed: the ledger, pushed facts and edges. */
function summaryKeyed(): number {
  return (
    DEMO_LEDGER.length +
    DEMO_EDGES.length +
    DEMO_FACTS.filter(f => !['repo', 'prometheus', 'ci'].includes(f.source))
      .length
  );
}
