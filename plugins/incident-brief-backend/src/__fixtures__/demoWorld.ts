import { createServiceFactory } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { parseEntityYaml } from '@backstage/plugin-catalog-node';
import type {
  FactRecord,
  ObservedEdge,
  StoredChange,
} from '@internal/plugin-evidence-common';
import {
  EntityEvidence,
  EvidenceService,
  LedgerSummary,
  evidenceServiceRef,
} from '@internal/plugin-evidence-node';
import {
  ChangeRecord,
  compareChanges,
} from '@internal/plugin-incident-brief-common';
import fs from 'fs';
import path from 'path';

// test fixture only: reads the repository's demo catalog, never part of a build
// eslint-disable-next-line no-restricted-syntax
const DEMO_DIR = path.resolve(__dirname, '../../../../catalog/demo');
const FILES = [
  'org.yaml',
  'systems.yaml',
  'components.yaml',
  'apis.yaml',
  'resources.yaml',
];

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Incident time of the fixtures: now, to the minute (the demo seeder also works from start-up). */
export const T = Math.floor(Date.now() / MINUTE) * MINUTE;
/** ISO time `minutes` after T (negative: before). */
export const at = (minutes: number) =>
  new Date(T + minutes * MINUTE).toISOString();

/** The Monday 09:00Z hand-off on or before T: Ben Okafor's turn on checkout-primary. */
export const handoff = (() => {
  const d = new Date(T);
  d.setUTCHours(9, 0, 0, 0);
  while (d.getUTCDay() !== 1 || d.getTime() > T) {
    d.setTime(d.getTime() - DAY);
    d.setUTCHours(9, 0, 0, 0);
  }
  return d.toISOString();
})();

/** Static schedules of IB §7 with the hand-off above. */
export const demoOnCallConfig = {
  incidentBrief: {
    onCall: {
      static: {
        schedules: {
          'checkout-primary': {
            members: ['user:default/ben.okafor', 'user:default/ana.ruiz'],
            rotation: 'weekly',
            handoff,
          },
          'payments-primary': { members: ['user:default/chen.wei'] },
          'fulfillment-primary': { members: ['user:default/dara.singh'] },
          'platform-primary': { members: ['user:default/fatima.haddad'] },
          'commerce-escalation': {
            members: ['user:default/fatima.haddad', 'user:default/ana.ruiz'],
          },
        },
      },
    },
  },
};

const refOf = (e: Entity) =>
  `${e.kind.toLowerCase()}:${e.metadata.namespace ?? 'default'}/${
    e.metadata.name
  }`;
const asRef = (raw: string, kind: string) => {
  const withKind = raw.includes(':') ? raw : `${kind}:${raw}`;
  const [k, rest] = withKind.split(':');
  return `${k.toLowerCase()}:${rest.includes('/') ? rest : `default/${rest}`}`;
};

/**
 * Adds the relations the catalog's built-in processor emits (both directions) and an etag, so the
 * fixtures look like entities read from the catalog API.
 */
export function withRelations(entities: Entity[]): Entity[] {
  const relations = new Map<string, { type: string; targetRef: string }[]>();
  const add = (source: string, type: string, target: string) => {
    const list = relations.get(source) ?? [];
    if (!list.some(r => r.type === type && r.targetRef === target)) {
      list.push({ type, targetRef: target });
    }
    relations.set(source, list);
  };
  const pair = (s: string, type: string, t: string, reverse: string) => {
    add(s, type, t);
    add(t, reverse, s);
  };
  for (const e of entities) {
    const self = refOf(e);
    const spec = (e.spec ?? {}) as Record<string, unknown>;
    const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);
    for (const d of list(spec.dependsOn))
      pair(self, 'dependsOn', asRef(d, 'component'), 'dependencyOf');
    for (const d of list(spec.dependencyOf))
      pair(self, 'dependencyOf', asRef(d, 'component'), 'dependsOn');
    for (const a of list(spec.consumesApis))
      pair(self, 'consumesApi', asRef(a, 'api'), 'apiConsumedBy');
    for (const a of list(spec.providesApis))
      pair(self, 'providesApi', asRef(a, 'api'), 'apiProvidedBy');
    if (typeof spec.owner === 'string')
      pair(self, 'ownedBy', asRef(spec.owner, 'group'), 'ownerOf');
    if (typeof spec.system === 'string')
      pair(self, 'partOf', asRef(spec.system, 'system'), 'hasPart');
    if (typeof spec.domain === 'string')
      pair(self, 'partOf', asRef(spec.domain, 'domain'), 'hasPart');
    if (typeof spec.parent === 'string')
      pair(self, 'childOf', asRef(spec.parent, 'group'), 'parentOf');
    for (const m of list(spec.members))
      pair(self, 'hasMember', asRef(m, 'user'), 'memberOf');
  }
  return entities.map(e => ({
    ...e,
    metadata: {
      ...e.metadata,
      namespace: e.metadata.namespace ?? 'default',
      etag: JSON.stringify([e.spec, relations.get(refOf(e))]).length.toString(
        36,
      ),
    },
    relations: relations.get(refOf(e)) ?? [],
  }));
}

/** The demo catalog of IB §7 read from `catalog/demo/*.yaml`, with relations. */
export function demoEntities(): Entity[] {
  const location = { type: 'file', target: DEMO_DIR };
  const out: Entity[] = [];
  for (const file of FILES) {
    const data = fs.readFileSync(path.join(DEMO_DIR, file));
    for (const result of parseEntityYaml(data, location)) {
      if (result.type === 'entity') out.push(result.entity);
    }
  }
  return withRelations(out);
}

/** An observed service-graph series `client → server`, last seen `minutesAgo` before T. */
export function series(
  client: string,
  server: string,
  dependentRef: string | null,
  dependencyRef: string | null,
  minutesAgo: number,
  connectionType: ObservedEdge['connectionType'] = '',
): ObservedEdge {
  return {
    id: `${client}->${server}`,
    client,
    server,
    connectionType,
    firstSeen: at(-20 * 24 * 60),
    lastSeen: at(-minutesAgo),
    source: 'prometheus:traces_service_graph_request_total',
    clientRef:
      connectionType === 'messaging_system' ? dependencyRef : dependentRef,
    serverRef:
      connectionType === 'messaging_system' ? dependentRef : dependencyRef,
    dependentRef,
    dependencyRef,
    interaction: connectionType === 'messaging_system' ? 'async' : 'sync',
    observation: 'fresh',
    unmapped: [
      ...(dependentRef ? [] : (['client'] as const)),
      ...(dependencyRef ? [] : (['server'] as const)),
    ],
    aliasConflict: false,
    collectedAt: at(-minutesAgo),
    demo: true,
  };
}

const c = (n: string) => `component:default/${n}`;
const r = (n: string) => `resource:default/${n}`;

/** Observed series of IB §7 (E3–E11, E15, E16, tax-svc), all seen within 5 min of T. */
export function demoObservedEdges(): ObservedEdge[] {
  return [
    series('gateway', 'checkout', c('api-gateway'), c('checkout-service'), 1),
    series(
      'checkout',
      'payments',
      c('checkout-service'),
      c('payment-service'),
      1,
    ),
    series(
      'checkout',
      'inventory',
      c('checkout-service'),
      c('inventory-service'),
      1,
    ),
    series('checkout', 'orders', c('checkout-service'), c('order-service'), 1),
    series(
      'checkout',
      'checkout_pg',
      c('checkout-service'),
      r('checkout-db'),
      1,
      'database',
    ),
    series(
      'payments',
      'payments_pg',
      c('payment-service'),
      r('payments-db'),
      2,
      'database',
    ),
    series(
      'payments',
      'api.stripe.com',
      c('payment-service'),
      r('payment-provider'),
      2,
      'virtual_node',
    ),
    series(
      'inventory',
      'inventory-spanner',
      c('inventory-service'),
      r('inventory-db'),
      2,
      'database',
    ),
    series(
      'orders',
      'orders_sql',
      c('order-service'),
      r('orders-db'),
      2,
      'database',
    ),
    series(
      'checkout',
      'pricing',
      c('checkout-service'),
      c('pricing-service'),
      2,
    ),
    series(
      'orders',
      'notifier',
      c('notification-worker'),
      c('order-service'),
      3,
      'messaging_system',
    ),
    series('checkout', 'tax-svc', c('checkout-service'), null, 2),
  ];
}

let seq = 0;
/** A stored ledger change `startedMin` minutes from T (IB §7 ledger). */
export function change(
  id: string,
  entityRef: string,
  kind: StoredChange['kind'],
  summary: string,
  actor: string,
  startedMin: number,
  finishedMin: number,
  status: StoredChange['status'],
  attributes: any,
  extra: Partial<StoredChange> = {},
): StoredChange {
  seq++;
  return {
    id,
    entityRef,
    subject: entityRef,
    resolution: 'resolved',
    environment: 'production',
    ref: summary,
    summary,
    actor: {
      type: actor.startsWith('bot') ? 'bot' : 'user',
      id: actor.replace(/^\w+:/, ''),
    },
    source: { system: 'fixture', externalId: `${id}-${seq}` },
    startedAt: at(startedMin),
    finishedAt: at(finishedMin),
    status,
    receivedAt: at(finishedMin + 1),
    effectiveAt: at(startedMin),
    updatedAt: at(finishedMin + 1),
    flags: [],
    idempotencyKey: `fixture:${id}`,
    warnings: [],
    demo: true,
    risk: null,
    kind,
    attributes,
    ...extra,
  } as StoredChange;
}

const canary = { from: 0, to: 100, strategy: 'canary', analysis: true };
const passed = { status: 'passed' };
const H = 60;
const D = 24 * H;

/** Ledger L1–L9 and L11 of IB §7 (L10 is unresolved and never returned for an entity). */
export function demoLedger(): StoredChange[] {
  return [
    change(
      'L1',
      c('payment-service'),
      'deploy',
      '2.14.0 canary → 100 %',
      'bot:deploy-bot',
      -3 * D,
      -3 * D + 20,
      'succeeded',
      { artifactDigest: 'sha256:l1', exposure: canary, verification: passed },
    ),
    change(
      'L2',
      c('checkout-service'),
      'deploy',
      '5.8.2 canary → 100 %',
      'user:ben.okafor',
      -95,
      -80,
      'succeeded',
      { artifactDigest: 'sha256:l2', exposure: canary, verification: passed },
      { version: '5.8.2' },
    ),
    change(
      'L3',
      c('checkout-service'),
      'feature-flag',
      'checkout.split-tender release 0 → 100 %',
      'user:ana.ruiz',
      -25,
      -25,
      'succeeded',
      {
        flagKey: 'checkout.split-tender',
        flagType: 'release',
        exposure: { from: 0, to: 100 },
      },
    ),
    change(
      'L4',
      c('inventory-service'),
      'config',
      'reservation.hold-ttl 15m → 5m, global',
      'user:dara.singh',
      -50,
      -49,
      'succeeded',
      { keys: ['reservation.hold-ttl'], scope: 'global' },
    ),
    change(
      'L5',
      r('payments-db'),
      'schema-migration',
      'V2026_03_12__drop_legacy_card_col',
      'bot:migrator',
      -2 * D,
      -2 * D + 4,
      'succeeded',
      {
        version: 'V2026_03_12',
        phase: 'contract',
        reversible: false,
        destructive: true,
        verification: passed,
      },
    ),
    change(
      'L6',
      r('order-events'),
      'infra',
      'max delivery count 10 → 5',
      'bot:platform-bot',
      -6 * H,
      -6 * H + 2,
      'succeeded',
      {
        workspace: 'order-events',
        plan: { add: 0, change: 1, destroy: 0, replace: 0 },
        verification: passed,
      },
    ),
    change(
      'L7',
      c('checkout-service'),
      'deploy',
      '5.8.1 canary → 100 %',
      'bot:deploy-bot',
      -2 * D,
      -2 * D + 15,
      'succeeded',
      { artifactDigest: 'sha256:l7', exposure: canary },
    ),
    change(
      'L8',
      c('pricing-service'),
      'deploy',
      '1.4.0 rolling',
      'bot:deploy-bot',
      -10 * H,
      -10 * H + 10,
      'rolled-back',
      {
        artifactDigest: 'sha256:l8',
        exposure: { from: 0, to: 100, strategy: 'rolling' },
        verification: passed,
      },
    ),
    change(
      'L9',
      c('pricing-service'),
      'deploy',
      '1.3.2, rollback of 1.4.0',
      'bot:deploy-bot',
      -9 * H - 40,
      -9 * H - 35,
      'succeeded',
      { artifactDigest: 'sha256:l11' },
      { rollbackOf: 'L8' },
    ),
    change(
      'L11',
      c('pricing-service'),
      'deploy',
      '1.3.2 rolling',
      'bot:deploy-bot',
      -12 * D,
      -12 * D + 6,
      'succeeded',
      {
        artifactDigest: 'sha256:l11',
        exposure: { from: 0, to: 100, strategy: 'rolling' },
        verification: passed,
      },
    ),
  ];
}

/** The eight demo Components of IB §7, each with one SLO `<name>-availability`. */
export const DEMO_COMPONENTS = [
  'web-storefront',
  'api-gateway',
  'checkout-service',
  'payment-service',
  'inventory-service',
  'order-service',
  'pricing-service',
  'notification-worker',
] as const;

/**
 * A stored `slo.status` fact (source `prometheus`, evidence §2.2) of `entityRef`, observed
 * `observedMin` minutes from T; `value` maps SLO names to `{ lastSampleAt, burnRate1h,
 * budgetRemaining }` (budget as a fraction: 1 = untouched, 0 = exhausted).
 */
export function sloFact(
  entityRef: string,
  value: Record<
    string,
    {
      lastSampleAt?: string | null;
      burnRate1h: number | null;
      budgetRemaining: number | null;
    }
  >,
  observedMin = -4,
  freshForSeconds = 24 * 3600,
): FactRecord {
  const observedAt = at(observedMin);
  return {
    id: `slo:${entityRef}:${observedMin}`,
    entityRef,
    subject: entityRef,
    resolution: 'resolved',
    source: 'prometheus',
    kind: 'slo.status',
    key: '',
    value: Object.fromEntries(
      Object.entries(value).map(([name, v]) => [
        name,
        { lastSampleAt: at(observedMin + 3), ...v },
      ]),
    ),
    valueFingerprint: `sha256:${entityRef}:${observedMin}`,
    observedAt,
    collectedAt: observedAt,
    freshForSeconds,
    expiresAt: new Date(
      Date.parse(observedAt) + freshForSeconds * 1000,
    ).toISOString(),
    provenance: { collector: 'prometheus' },
    flags: [],
    demo: true,
  };
}

/**
 * The demo's health evidence (IB §7, evidence §7.1): every Component has a fresh `slo.status`,
 * observed at T−4 m, burn rate 0.4 and 80 % of its budget left (D5 = 0); Resources have none.
 */
export function demoSloFacts(): FactRecord[] {
  return DEMO_COMPONENTS.map(name =>
    sloFact(`component:default/${name}`, {
      [`${name}-availability`]: { burnRate1h: 0.4, budgetRemaining: 0.8 },
    }),
  );
}

/** Replaces the `slo.status` facts of `entityRef` in a fake evidence state. */
export function setSloFacts(
  state: { facts: FactRecord[] },
  entityRef: string,
  ...facts: FactRecord[]
) {
  state.facts = [
    ...state.facts.filter(
      f => !(f.entityRef === entityRef && f.kind === 'slo.status'),
    ),
    ...facts,
  ];
}

/** An error shaped like the evidence client's `EvidenceHttpError` (it is not exported). */
export function evidenceHttpError(status: number, message: string) {
  return Object.assign(
    new Error(`evidence backend answered ${status} to PUT: ${message}`),
    {
      name: 'EvidenceHttpError',
      status,
      cause: status >= 500 ? 'server-error' : 'client-error',
    },
  );
}

/**
 * A unit-level fake of the evidence client over the demo edges, facts and ledger: `edgeChanges`
 * is a cursor feed over `state.edges`, `readEntities` answers `state.facts` of the kinds asked
 * (recording each call in `state.readEntitiesCalls`; `state.factsAvailable = false` makes only
 * this read fail), `queryChanges` filters `state.ledger` by ref and interval,
 * `setChangeRisk` records every call in `state.riskWrites` and stores the risk write-once like
 * evidence-backend (identical → ok, different → 409 `RISK_ALREADY_SET`, unknown id → 404);
 * `state.failRiskWrite` makes chosen calls fail first.
 */
export function fakeEvidence() {
  const state = {
    available: true,
    edges: demoObservedEdges(),
    ledger: demoLedger(),
    facts: demoSloFacts(),
    factsAvailable: true,
    readEntitiesCalls: [] as {
      refs: string[];
      options: Parameters<EvidenceService['readEntities']>[1];
    }[],
    resetNext: false,
    /**
     * Removals the feed serves on a page of their own before every read from the start, with
     * `hasMore` (evidence-backend after a retention delete of ≥ 5,000 edges).
     */
    removalsPage: [] as string[],
    /** Edge ids the next read from a cursor lists as removed (a purge, a retention delete). */
    removedNext: [] as string[],
    edgeReads: 0,
    queryChangesCalls: 0,
    riskWrites: [] as { id: string; risk: StoredChange['risk'] }[],
    failRiskWrite: undefined as ((id: string) => Error | undefined) | undefined,
  };
  const down = () => ({
    available: false as const,
    cause: 'timeout' as const,
    since: at(-5),
  });
  const service: EvidenceService = {
    async readEntities(refs, options) {
      state.readEntitiesCalls.push({ refs: [...refs], options });
      if (!state.available || !state.factsAvailable) return down();
      const kinds = options?.kinds;
      const data = new Map<string, EntityEvidence>(
        refs.map(raw => {
          const ref = raw.toLocaleLowerCase('en-US');
          const facts = state.facts.filter(
            f => f.entityRef === ref && (!kinds || kinds.includes(f.kind)),
          );
          return [ref, { facts, collection: [] }];
        }),
      );
      return { available: true, asOf: new Date().toISOString(), data };
    },
    async queryChanges(query) {
      state.queryChangesCalls++;
      if (!state.available) return down();
      const from = Date.parse(query.from);
      const to = Date.parse(query.to);
      const data = state.ledger.filter(
        ch =>
          ch.entityRef !== null &&
          query.entityRefs.includes(ch.entityRef) &&
          Date.parse(ch.effectiveAt) <= to &&
          Date.parse(ch.finishedAt ?? new Date().toISOString()) >= from,
      );
      return { available: true, asOf: new Date().toISOString(), data };
    },
    // The store's ledger summary over every record it holds (its coverage outlives the window
    // a brief reads), of one environment: coverage per kind, last change, last succeeded deploy.
    async changeSummary(refs, options) {
      if (!state.available) return down();
      const environment = options?.environment ?? 'production';
      const latest = (records: StoredChange[]) =>
        [...records].sort((a, b) =>
          compareChanges(
            a as unknown as ChangeRecord,
            b as unknown as ChangeRecord,
          ),
        )[0] ?? null;
      const data = new Map<string, LedgerSummary>();
      for (const raw of refs) {
        const ref = raw.toLocaleLowerCase('en-US');
        const records = state.ledger.filter(
          ch => ch.entityRef === ref && ch.environment === environment,
        );
        if (records.length === 0) continue;
        const coverage: LedgerSummary['coverage'] = {};
        for (const ch of records) {
          const seen = coverage[ch.kind];
          coverage[ch.kind] = {
            firstAt:
              seen && seen.firstAt < ch.effectiveAt
                ? seen.firstAt
                : ch.effectiveAt,
            lastAt:
              seen && seen.lastAt > ch.effectiveAt
                ? seen.lastAt
                : ch.effectiveAt,
            count: (seen?.count ?? 0) + 1,
          };
        }
        // as of `at` (default now), as the store answers
        const atMs = options?.at ? Date.parse(options.at) : Date.now();
        data.set(ref, {
          coverage,
          lastChange: latest(
            records.filter(
              ch =>
                ch.status !== 'cancelled' && Date.parse(ch.effectiveAt) <= atMs,
            ),
          ),
          lastSucceededDeploy: latest(
            records.filter(
              ch =>
                ch.kind === 'deploy' &&
                ch.status === 'succeeded' &&
                Date.parse(ch.finishedAt ?? ch.effectiveAt) <= atMs,
            ),
          ),
          recent30d: 0,
        });
      }
      return { available: true, asOf: new Date().toISOString(), data };
    },
    collectedRepoPaths() {
      return [];
    },
    async observedEdges() {
      return down();
    },
    async edgeChanges(cursor) {
      state.edgeReads++;
      if (!state.available) return down();
      if (state.resetNext) {
        state.resetNext = false;
        return {
          available: true,
          asOf: new Date().toISOString(),
          data: {
            edges: [],
            removed: [],
            cursor: '',
            hasMore: false,
            reset: true,
          },
        };
      }
      if (cursor === undefined && state.removalsPage.length > 0) {
        return {
          available: true,
          asOf: new Date().toISOString(),
          data: {
            edges: [],
            removed: state.removalsPage,
            cursor: '0',
            hasMore: true,
            reset: false,
          },
        };
      }
      const from = Number(cursor ?? 0);
      return {
        available: true,
        asOf: new Date().toISOString(),
        data: {
          edges: state.edges.slice(from),
          removed: cursor === undefined ? [] : state.removedNext.splice(0),
          cursor: String(state.edges.length),
          hasMore: false,
          reset: false,
        },
      };
    },
    async sourceHealth() {
      return down();
    },
    async writeFacts() {
      throw new Error('not used');
    },
    async writeChanges() {
      throw new Error('not used');
    },
    async setChangeRisk(id, risk) {
      state.riskWrites.push({ id, risk });
      const failure = state.failRiskWrite?.(id);
      if (failure) throw failure;
      const record = state.ledger.find(ch => ch.id === id);
      if (!record) throw evidenceHttpError(404, `change ${id} not found`);
      if (record.risk && JSON.stringify(record.risk) !== JSON.stringify(risk)) {
        throw evidenceHttpError(409, `RISK_ALREADY_SET: ${id}`);
      }
      record.risk = risk;
    },
  };
  return {
    service,
    state,
    factory: createServiceFactory({
      service: evidenceServiceRef,
      deps: {},
      factory: () => service,
    }),
  };
}
