import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type {
  BlastRadiusAnswer,
  ChangeRecord,
  ImpactedEntity,
  PathStep,
} from '@internal/plugin-incident-brief-common';
import type {
  BlastRadiusQuery,
  BriefResponse,
  ChangesResponse,
  IncidentBriefApi,
} from '../api';
import { ownerSectionOf } from '../api';

/** Incident time of the demo vectors (IB §7). */
export const T = '2026-03-14T02:05:00.000Z';
const at = (minutesBefore: number) =>
  new Date(Date.parse(T) - minutesBefore * 60_000).toISOString();

export const CHECKOUT = 'component:default/checkout-service';

/**
 * A link target no card may turn into a link (Backstage's `Link` throws on it): entity links, the
 * on-call provider and ledger records are written by others and may hold one.
 */
// eslint-disable-next-line no-script-url -- the refused value is the point of the fixture
export const SCRIPT_URL = 'javascript:alert(1)';

/** The demo catalog's checkout-service (catalog/demo/components.yaml). */
export const checkoutService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-service', namespace: 'default' },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/checkout-team',
    system: 'system:default/checkout',
  },
};

/** The demo's checkout-team group, with its members as relations. */
export const checkoutTeam: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'checkout-team', namespace: 'default' },
  spec: { type: 'team', children: [] },
  relations: [
    { type: 'hasMember', targetRef: 'user:default/ana.ruiz' },
    { type: 'hasMember', targetRef: 'user:default/ben.okafor' },
  ],
};

const E3: PathStep = {
  from: 'component:default/api-gateway',
  to: CHECKOUT,
  reasons: ['consumesApi:api:default/checkout-api', 'observed'],
  evidence: 'both',
  observation: 'fresh',
  interaction: 'sync',
  lastSeen: at(1),
  drift: null,
};
const E1: PathStep = {
  from: 'component:default/web-storefront',
  to: 'component:default/api-gateway',
  reasons: ['dependsOn'],
  evidence: 'declared',
  observation: 'unverifiable',
  interaction: 'sync',
  drift: null,
};
const E15: PathStep = {
  from: CHECKOUT,
  to: 'component:default/pricing-service',
  reasons: ['observed'],
  evidence: 'observed',
  observation: 'fresh',
  interaction: 'sync',
  lastSeen: at(2),
  drift: 'undeclared',
};

function impacted(
  ref: string,
  hop: number,
  path: PathStep[],
  extra: Partial<ImpactedEntity> = {},
): ImpactedEntity {
  return {
    ref,
    kind: ref.slice(0, ref.indexOf(':')),
    title: ref.slice(ref.lastIndexOf('/') + 1),
    hop,
    path,
    tier: 1,
    customerFacing: true,
    owner: null,
    system: null,
    lifecycle: 'production',
    immediate: true,
    resolved: true,
    deprecated: false,
    ...extra,
  };
}

function emptyCounts(): BlastRadiusAnswer['counts'] {
  return {
    total: 0,
    byHop: {},
    byTier: { 1: 0, 2: 0, 3: 0, unknown: 0 },
    customerFacing: 0,
    immediate: 0,
    deferred: 0,
    unresolved: 0,
    byKind: {},
    byOwner: {},
    bySystem: {},
    regions: {},
    dataDomains: {},
  };
}

/** A blast-radius result with the given impacted entities and counts. */
export function blastRadius(
  overrides: Partial<BlastRadiusAnswer> = {},
): BlastRadiusAnswer {
  return {
    roots: [CHECKOUT],
    hops: 3,
    edges: 'all',
    direction: 'dependents',
    impacted: [],
    truncated: false,
    counts: emptyCounts(),
    entryPoints: [],
    edgeStats: {
      examined: 0,
      confirmed: 0,
      declaredOnly: 0,
      observedOnly: 0,
      both: 0,
      stale: 0,
      unverifiable: 0,
      driftUndeclared: 0,
      driftUnobserved: 0,
    },
    confidence: { ratio: null, level: 'unknown' },
    cycles: [],
    unresolved: [],
    beyondLimit: 0,
    asOf: { catalog: T, observedEdges: T },
    ...overrides,
  };
}

/** V1 of IB §7.1: checkout-service, 3 hops — api-gateway at 1, web-storefront at 2. */
export const v1BlastRadius: BlastRadiusAnswer = blastRadius({
  impacted: [
    impacted('component:default/api-gateway', 1, [E3], {
      owner: 'group:default/platform-team',
    }),
    impacted('component:default/web-storefront', 2, [E3, E1], {
      owner: 'group:default/storefront-team',
    }),
  ],
  counts: {
    ...emptyCounts(),
    total: 2,
    byHop: { 1: 1, 2: 1 },
    byTier: { 1: 2, 2: 0, 3: 0, unknown: 0 },
    customerFacing: 2,
    immediate: 2,
    byOwner: {
      'group:default/platform-team': 1,
      'group:default/storefront-team': 1,
    },
  },
  edgeStats: {
    examined: 2,
    confirmed: 1,
    declaredOnly: 1,
    observedOnly: 0,
    both: 1,
    stale: 0,
    unverifiable: 1,
    driftUndeclared: 0,
    driftUnobserved: 0,
  },
  confidence: { ratio: 0.5, level: 'medium' },
  entryPoints: [
    {
      ref: 'component:default/api-gateway',
      entryPoint: 'api:https://api.shop.example/v1',
    },
  ],
});

/**
 * An impacted entity the caller may not read, as the backend lists it (IB §6.5: counted, never
 * named — `restrictUnreadable` in incident-brief-backend): every one has the ref `restricted`.
 */
export function restrictedEntity(
  hop: number,
): ImpactedEntity & { restricted: true } {
  return {
    ref: 'restricted',
    kind: 'component',
    title: 'restricted',
    hop,
    path: [],
    tier: null,
    customerFacing: null,
    owner: null,
    system: null,
    lifecycle: null,
    immediate: true,
    resolved: true,
    deprecated: false,
    restricted: true,
  };
}

/**
 * web-storefront of V1 reached through an api-gateway the caller may not read: the steps name it
 * `restricted`, and so the API and the Resource that explain the first step.
 */
export const storefrontBehindRestricted: ImpactedEntity = {
  ...v1BlastRadius.impacted[1],
  path: [
    {
      ...E3,
      from: 'restricted',
      reasons: ['consumesApi:restricted', 'observed'],
      explainedBy: 'restricted',
    },
    { ...E1, to: 'restricted' },
  ],
};

/** `n` impacted entities fanning out from the root, for the graph cap. */
export function wideBlastRadius(n: number): BlastRadiusAnswer {
  const list: ImpactedEntity[] = [];
  for (let i = 0; i < n; i++) {
    const hop = i < 100 ? 1 : 2;
    const ref = `component:default/svc-${String(i).padStart(5, '0')}`;
    const parent =
      hop === 1
        ? CHECKOUT
        : `component:default/svc-${String(i % 100).padStart(5, '0')}`;
    const first: PathStep = { ...E3, from: parent, to: CHECKOUT };
    const path =
      hop === 1
        ? [{ ...E3, from: ref, to: CHECKOUT }]
        : [first, { ...E1, from: ref, to: parent }];
    list.push(impacted(ref, hop, path, { tier: ((i % 3) + 1) as 1 | 2 | 3 }));
  }
  return blastRadius({
    impacted: list,
    counts: {
      ...emptyCounts(),
      total: n,
      byTier: { 1: n, 2: 0, 3: 0, unknown: 0 },
    },
    confidence: { ratio: 1, level: 'high' },
  });
}

/**
 * Answers like the API for {@link wideBlastRadius}(n): `limit` entities from the cursor's offset,
 * `truncated` and an opaque `nextCursor` while more remain; counts always over the full set.
 */
export function pagedRadius(
  n: number,
): (q: BlastRadiusQuery) => BlastRadiusAnswer {
  const all = wideBlastRadius(n);
  return q => {
    const offset = q.cursor ? Number(q.cursor.replace(/^offset:/, '')) : 0;
    const end = offset + (q.limit ?? 200);
    return {
      ...all,
      impacted: all.impacted.slice(offset, end),
      truncated: end < n,
      nextCursor: end < n ? `offset:${end}` : undefined,
    };
  };
}

function change(
  id: string,
  entityRef: string,
  kind: ChangeRecord['kind'],
  summary: string,
  actor: string,
  minutesBefore: number,
): ChangeRecord {
  return {
    id,
    entityRef,
    resolution: 'resolved',
    kind,
    environment: 'production',
    ref: id,
    summary,
    actor: { type: 'user', id: actor },
    source: { system: 'argocd', externalId: id },
    startedAt: at(minutesBefore),
    finishedAt: at(minutesBefore - 1),
    status: 'succeeded',
    attributes: { artifactDigest: 'sha256:0' },
    receivedAt: at(minutesBefore - 1),
    effectiveAt: at(minutesBefore),
    flags: [],
  };
}

const L3 = change(
  'L3',
  CHECKOUT,
  'feature-flag',
  'checkout.split-tender release 0 → 100 %',
  'user:default/ana.ruiz',
  25,
);
const L4 = change(
  'L4',
  'component:default/inventory-service',
  'config',
  'reservation.hold-ttl 15m → 5m, global',
  'user:default/dara.singh',
  50,
);
const L2 = change(
  'L2',
  CHECKOUT,
  'deploy',
  '5.8.2 canary → 100 %',
  'user:default/ben.okafor',
  95,
);

const risk = (tier: 'Medium' | 'High', score: number) => ({
  modelVersion: 'risk/1' as const,
  score,
  tier,
  lowConfidence: false,
  dimensions: [],
  floorsApplied: [],
});

/** Changes in window for checkout-service (the first three of V7). */
export const v7Changes: ChangesResponse = {
  entityRef: CHECKOUT,
  window: { from: at(24 * 60), to: T },
  dependencyHops: 2,
  items: [
    {
      change: L3,
      entityRef: CHECKOUT,
      hop: 0,
      path: [],
      viaObservedOnly: false,
      highlighted: true,
      inProgress: false,
      runningAtT: false,
      risk: risk('Medium', 11),
    },
    {
      change: L4,
      entityRef: 'component:default/inventory-service',
      hop: 1,
      path: [],
      viaObservedOnly: false,
      highlighted: true,
      inProgress: false,
      runningAtT: false,
      risk: risk('High', 13),
    },
    {
      change: L2,
      entityRef: CHECKOUT,
      hop: 0,
      path: [],
      viaObservedOnly: false,
      highlighted: false,
      inProgress: false,
      runningAtT: false,
      risk: risk('Medium', 8),
    },
  ],
  lastChange: L3,
  lastSuccessfulDeploy: L2,
  ledger: { available: true, asOf: T },
};

/** The demo brief of checkout-service at T (IB §6.3), trimmed to what the cards read. */
export const checkoutBrief: BriefResponse = {
  header: {
    title: 'checkout-service',
    ref: CHECKOUT,
    aliasMatched: null,
    tier: 1,
    customerFacing: true,
    lifecycle: 'production',
    system: 'system:default/checkout',
    domain: 'domain:default/commerce',
    regions: ['eu-west-1', 'us-east-1'],
    generatedAt: at(-2),
    incidentTime: T,
    evaluatedAt: T,
  },
  owner: {
    owner: {
      ref: 'group:default/checkout-team',
      kind: 'group',
      resolved: true,
      membersCount: 2,
    },
    onCall: {
      source: 'static:checkout-primary',
      primary: 'user:default/ben.okafor',
      secondary: 'user:default/ana.ruiz',
      until: '2026-03-16T09:00:00.000Z',
      fetchedAt: null,
      step: 2,
    },
    onCallResolvedBySteps1to3: true,
    skipped: [],
    escalation: [
      { type: 'oncall', source: 'static:checkout-primary' },
      { type: 'user', ref: 'user:default/ana.ruiz', name: 'Ana Ruiz' },
      {
        type: 'group',
        ref: 'group:default/commerce-eng',
        onCall: 'Fatima Haddad',
      },
    ],
    chatChannel: 'slack:#checkout-oncall',
    runbook: 'https://runbooks.shop.example/checkout',
    dashboards: [],
    triage: 'https://grafana.shop.example/d/checkout-attempts',
    incidentLinks: [],
    issues: [],
    substrateOwners: [],
    onCallNames: { primary: 'Ben Okafor', secondary: 'Ana Ruiz' },
  },
  blastRadius: v1BlastRadius,
  dependencies: blastRadius({
    direction: 'dependencies',
    hops: 2,
    impacted: [
      impacted('component:default/pricing-service', 1, [E15], {
        customerFacing: false,
        tier: 2,
      }),
    ],
    counts: { ...emptyCounts(), total: 1 },
    confidence: { ratio: 1, level: 'high' },
  }),
  unmappedTelemetry: [{ ref: CHECKOUT, name: 'tax-svc', role: 'callee' }],
  changes: {
    window: v7Changes.window,
    dependencyHops: 2,
    items: v7Changes.items,
    lastChange: L3,
    lastSuccessfulDeploy: L2,
  },
  missingEvidence: [
    {
      code: 'EDGE_UNDECLARED',
      severity: 'warn',
      subject: CHECKOUT,
      message:
        'checkout-service → pricing-service seen 02:03Z, not in the catalog.',
      fix: 'add `dependsOn: component:default/pricing-service`, or confirm it is unintended.',
    },
    {
      code: 'UNMAPPED_TELEMETRY',
      severity: 'info',
      subject: CHECKOUT,
      message: 'checkout-service calls `tax-svc`; no entity has that alias.',
      fix: 'add `ops.example.com/aliases: tax-svc` to the owning entity.',
    },
  ],
  confidence: {
    owner: 'high',
    blastRadius: 'medium',
    changes: 'medium',
    overall: 'medium',
  },
  evidence: {
    ledger: { available: true, asOf: T },
    catalogAsOf: T,
    observedEdgesAsOf: T,
  },
};

/** The markdown the backend serves for the demo brief (first lines of IB §6.3). */
export const checkoutMarkdown = [
  '### Incident brief: checkout-service',
  '`component:default/checkout-service` · tier 1 · customer-facing · production · system checkout · domain commerce · eu-west-1, us-east-1',
  '**Owner** checkout-team (2 members) · **on call now** Ben Okafor (primary, static:checkout-primary, until Mon 09:00Z)',
].join('\n');

/** A fake {@link IncidentBriefApi} answering from fixtures; every call is recorded. */
export class FakeIncidentBriefApi implements IncidentBriefApi {
  readonly calls: { method: string; entityRef: string; query?: object }[] = [];
  brief: BriefResponse | Error = checkoutBrief;
  markdown: string | Error = checkoutMarkdown;
  radius: ((q: BlastRadiusQuery) => BlastRadiusAnswer) | Error = () =>
    v1BlastRadius;
  changes: ChangesResponse | Error = v7Changes;

  private answer<T>(value: T | Error): Promise<T> {
    return value instanceof Error
      ? Promise.reject(value)
      : Promise.resolve(value);
  }

  getBrief(entityRef: string, query?: object) {
    this.calls.push({ method: 'getBrief', entityRef, query });
    return this.answer(this.brief);
  }
  /** The owner section of {@link brief}, as the backend's `…/owner` answers it. */
  getOwner(entityRef: string, query?: object) {
    this.calls.push({ method: 'getOwner', entityRef, query });
    const brief = this.brief;
    return this.answer(brief instanceof Error ? brief : ownerSectionOf(brief));
  }
  getBriefMarkdown(entityRef: string, query?: object) {
    this.calls.push({ method: 'getBriefMarkdown', entityRef, query });
    return this.answer(this.markdown);
  }
  getBlastRadius(entityRef: string, query: BlastRadiusQuery = {}) {
    this.calls.push({ method: 'getBlastRadius', entityRef, query });
    const radius = this.radius;
    return this.answer(radius instanceof Error ? radius : radius(query));
  }
  getChanges(entityRef: string, query?: object) {
    this.calls.push({ method: 'getChanges', entityRef, query });
    return this.answer(this.changes);
  }
}

/** What the client throws for an error answer (`ResponseError.fromResponse`): the reason is the cause. */
export function responseError(
  status: number,
  statusText: string,
  reason: string,
): Promise<ResponseError> {
  const body = {
    error: { name: 'Error', message: reason },
    response: { statusCode: status },
  };
  return ResponseError.fromResponse({
    status,
    statusText,
    headers: new Headers({ 'content-type': 'application/json' }),
    text: async () => JSON.stringify(body),
  } as Response);
}

/** Replaces the clipboard and returns what was written to it. */
export function captureClipboard(): { texts: string[] } {
  const captured = { texts: [] as string[] };
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: {
      writeText: async (text: string) => {
        captured.texts.push(text);
      },
    },
  });
  return captured;
}
