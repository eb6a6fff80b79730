/**
 * A deterministic synthetic catalog and evidence set for the scorecards benchmarks, shaped like
 * the §6.1 reference world (`ref-api`): per scored entity ~15 facts, 5 ledger records, 1–3
 * observed edges, 13 source-health rows; owner groups with on-call facts; a mix of passing,
 * failing, stale and missing evidence so every check type runs its real branches.
 */
import { Entity } from '@backstage/catalog-model';
import type {
  EvidenceFact,
  LedgerRecord,
  ObservedEdge,
  SourceHealth,
  Waiver,
} from '@internal/plugin-scorecards-common';

/** The clock of the synthetic world (every check is in `remediate` since 2026-01-01). */
export const NOW = '2026-03-14T02:05:00Z';
const NOW_MS = Date.parse(NOW);
const DAY = 86400;

/** mulberry32: a small seeded PRNG so every run sees the same world. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const before = (seconds: number) =>
  new Date(NOW_MS - seconds * 1000).toISOString();

export const SOURCES = [
  'repo',
  'repo-host',
  'ci',
  'ci-security',
  'oncall',
  'static',
  'prometheus',
  'linkcheck',
  'scanner',
  'backup',
  'drill',
  'cost',
  'ledger',
];

export interface ScoredWorld {
  /** Scored entities (Component, Resource, API, System) first, then groups, users, domains. */
  entities: Entity[];
  scored: Entity[];
  /** Evidence per lower-case ref (the scored entity's and its owner group's). */
  facts: Map<string, EvidenceFact[]>;
  ledger: Map<string, LedgerRecord[]>;
  edges: Map<string, ObservedEdge[]>;
  sourceHealth: SourceHealth[];
  waivers: Waiver[];
}

function fact(
  entityRef: string,
  source: string,
  kind: string,
  ageSeconds: number,
  freshForSeconds: number,
  value: unknown,
  key?: string,
): EvidenceFact {
  const at = before(ageSeconds);
  return {
    entityRef,
    source,
    kind,
    observedAt: at,
    collectedAt: at,
    freshForSeconds,
    value,
    ...(key ? { key } : {}),
  };
}

/**
 * Builds `count` scored entities (80 % Component, 10 % Resource, 5 % API, 5 % System) with
 * `count / 20` owner groups, 2 users per group, `count / 50` systems and 10 domains.
 */
export function syntheticWorld(count: number, seed = 42): ScoredWorld {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const chance = (p: number) => rnd() < p;
  const groups = Math.max(2, Math.floor(count / 20));
  const systems = Math.max(1, Math.floor(count / 50));
  const others: Entity[] = [];
  const facts = new Map<string, EvidenceFact[]>();
  const ledger = new Map<string, LedgerRecord[]>();
  const edges = new Map<string, ObservedEdge[]>();
  const addTo = <T>(map: Map<string, T[]>, ref: string, item: T) => {
    const list = map.get(ref);
    if (list) list.push(item);
    else map.set(ref, [item]);
  };

  for (let d = 0; d < 10; d++) {
    others.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Domain',
      metadata: { name: `domain-${d}`, namespace: 'default' },
      spec: { owner: `group:default/team-${d}` },
    });
  }
  for (let g = 0; g < groups; g++) {
    const name = `team-${g}`;
    const ref = `group:default/${name}`;
    others.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: {
        name,
        namespace: 'default',
        annotations: chance(0.9)
          ? {
              'ops.example.com/oncall': `static:${name}-primary`,
              'ops.example.com/escalation': `static:${name}-primary, group:default/org-${
                g % 10
              }`,
              'ops.example.com/chat-channel': `slack:#${name}`,
              'ops.example.com/cost-center': `CC-${1000 + g}`,
            }
          : {},
      },
      spec: {
        type: 'team',
        parent: `group:default/org-${g % 10}`,
        children: [],
        members: chance(0.95)
          ? [`user:default/${name}-a`, `user:default/${name}-b`]
          : [],
      },
    });
    for (const s of ['a', 'b']) {
      others.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name: `${name}-${s}`, namespace: 'default' },
        spec: { memberOf: [ref] },
      });
    }
    addTo(
      facts,
      ref,
      fact(
        ref,
        'oncall',
        'oncall.schedule',
        chance(0.9) ? 600 : 3 * DAY,
        DAY,
        {
          provider: 'static',
          exists: true,
          onCallNow: [{ userRef: `user:default/${name}-a`, level: 1 }],
          escalationLevels: chance(0.8) ? 2 : 1,
        },
        `static:${name}-primary`,
      ),
    );
  }
  for (let o = 0; o < 10; o++) {
    others.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: `org-${o}`, namespace: 'default' },
      spec: { type: 'department', children: [] },
    });
  }

  const scored: Entity[] = [];
  const names: string[] = [];
  for (let i = 0; i < count; i++) names.push(`svc-${i}`);
  for (let i = 0; i < count; i++) {
    const r = i % 20;
    const kind =
      r < 16 ? 'Component' : r < 18 ? 'Resource' : r < 19 ? 'API' : 'System';
    const name = kind === 'System' ? `system-${i}` : names[i];
    const ref = `${kind.toLowerCase()}:default/${name}`;
    const team = `team-${Math.floor(rnd() * groups)}`;
    const owner = chance(0.97)
      ? `group:default/${team}`
      : 'user:default/nobody';
    const system = `system:default/system-${
      Math.floor(rnd() * systems) * 20 + 19
    }`;
    const tier = pick(['1', '2', '3', '3', undefined]);
    const lifecycle = pick([
      'production',
      'production',
      'production',
      'experimental',
      'deprecated',
    ]);
    const alias = `svc${i}`;
    const labels: Record<string, string> = {};
    if (tier) labels['ops.example.com/tier'] = tier;
    if (chance(0.7))
      labels['ops.example.com/customer-facing'] = chance(0.4)
        ? 'true'
        : 'false';
    const annotations: Record<string, string> = {
      'ops.example.com/aliases': alias,
      'ops.example.com/runtime': pick(['kubernetes', 'kubernetes', 'lambda']),
    };
    if (chance(0.9))
      annotations[
        'backstage.io/source-location'
      ] = `url:https://github.com/example/${name}/`;
    if (chance(0.7)) annotations['backstage.io/techdocs-ref'] = 'dir:.';
    if (chance(0.6))
      annotations['ops.example.com/data-domains'] = pick([
        'orders',
        'payments',
        'none',
      ]);
    if (chance(0.6)) annotations['ops.example.com/slo-ids'] = `${name}-avail`;
    if (chance(0.8)) annotations['ops.example.com/cost-center'] = 'CC-1042';
    if (chance(0.5))
      annotations['ops.example.com/monthly-budget-usd'] = String(
        1000 + Math.floor(rnd() * 9000),
      );
    const links = [];
    if (chance(0.7))
      links.push({
        url: `https://runbooks.example.com/${name}`,
        type: 'runbook',
      });
    if (chance(0.7))
      links.push({
        url: `https://grafana.example.com/d/${name}`,
        type: 'dashboard',
      });
    const deps: string[] = [];
    for (let k = 0, n = Math.floor(rnd() * 4); k < n; k++) {
      const j = Math.floor(rnd() * count);
      const jk = j % 20 < 16 ? 'component' : j % 20 < 18 ? 'resource' : null;
      if (jk && j !== i) deps.push(`${jk}:default/svc-${j}`);
    }
    let spec: Record<string, unknown>;
    if (kind === 'System') {
      spec = { owner, domain: `domain:default/domain-${i % 10}` };
    } else if (kind === 'API') {
      spec = {
        type: 'openapi',
        lifecycle,
        owner,
        system,
        definition: `openapi: 3.0.0\ninfo: { title: ${name}, version: 1.0.0 }\npaths: {}\n`,
      };
    } else if (kind === 'Resource') {
      spec = {
        type: pick(['database', 'database', 'queue', 's3-bucket']),
        owner,
        system,
        ...(deps.length ? { dependsOn: deps } : {}),
      };
    } else {
      const apiIdx = i - (i % 20) + 18;
      spec = {
        type: pick(['service', 'service', 'website', 'library']),
        lifecycle,
        owner,
        system,
        ...(chance(0.3) && apiIdx < count
          ? { providesApis: [`api:default/svc-${apiIdx}`] }
          : {}),
        ...(chance(0.3) && apiIdx < count
          ? { consumesApis: [`api:default/svc-${apiIdx}`] }
          : {}),
        ...(deps.length ? { dependsOn: deps } : {}),
      };
    }
    if (lifecycle === 'deprecated' && kind === 'Component') {
      annotations['ops.example.com/deprecation-date'] = '2026-06-30';
      if (chance(0.5))
        annotations['ops.example.com/replaced-by'] = `component:default/svc-${
          (i + 1) % count
        }`;
    }
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: {
        name,
        namespace: 'default',
        ...(chance(0.8) ? { description: `Synthetic ${kind} ${i}.` } : {}),
        labels,
        annotations,
        ...(links.length ? { links } : {}),
      },
      spec: spec as Entity['spec'],
    };
    scored.push(entity);

    // Evidence: fresh most of the time, sometimes stale, sometimes missing or failing.
    const age = (fresh: number, window: number) =>
      chance(0.85) ? fresh : chance(0.5) ? window * 2 : -1;
    const add = (
      source: string,
      kind_: string,
      fresh: number,
      window: number,
      value: unknown,
      key?: string,
    ) => {
      const a = age(fresh, window);
      if (a >= 0)
        addTo(facts, ref, fact(ref, source, kind_, a, window, value, key));
    };
    const repo = `github.com/example/${name}`;
    const paths = ['README.md', '.github/workflows/ci.yml'];
    if (chance(0.8)) paths.push('.github/CODEOWNERS');
    if (chance(0.7)) paths.push('mkdocs.yml');
    if (chance(0.7)) paths.push('.github/dependabot.yml');
    if (chance(0.5)) paths.push(`slo/${name}.yaml`);
    for (let p = 0; p < 20; p++) paths.push(`src/module${p}/index.ts`);
    add('repo', 'repo.files', 7200, 7 * DAY, {
      repository: repo,
      ref: 'main',
      paths,
      openSlo: paths.includes(`slo/${name}.yaml`)
        ? [{ path: `slo/${name}.yaml`, id: `${name}-avail` }]
        : [],
    });
    add('repo-host', 'repo.settings', 21600, 7 * DAY, {
      defaultBranch: 'main',
      protected: chance(0.85),
      requiredReviews: chance(0.8) ? 1 : 0,
      requiredStatusChecks: chance(0.9),
    });
    const runs = 40 + Math.floor(rnd() * 40);
    const passed = runs - Math.floor(rnd() * 10);
    const flaky = Math.floor(rnd() * 5);
    add('ci', 'ci.summary', 3600, 30 * DAY, {
      windowDays: 30,
      runs,
      passed,
      failed: runs - passed,
      flaky,
      passRate: passed / runs,
      flakeRate: flaky / runs,
    });
    add('ci-security', 'ci.security', 3600, 7 * DAY, {
      oidc: chance(0.8),
      staticKeySecretNames: chance(0.9) ? [] : ['AWS_SECRET_ACCESS_KEY'],
      productionEnvironment: {
        exists: true,
        protected: chance(0.8),
        requiredReviewers: 1,
      },
      deployWorkflow: {
        ref: 'example/platform-workflows/.github/workflows/deploy.yml@v3.2.0',
        pinned: chance(0.8),
      },
    });
    add('prometheus', 'telemetry.presence', 240, DAY, {
      aliases: [name, alias],
      series: chance(0.9) ? [{ alias, lastSampleAt: before(240) }] : [],
    });
    add('prometheus', 'alerts.rules', 240, DAY, {
      rules: ['HighErrorRate', 'HighLatency', 'Down'].map(n => ({
        name: `${alias}${n}`,
        group: alias,
        labels: { service: alias, team, severity: 'page' },
        receivers: [chance(0.85) ? `${team}-pager` : 'default'],
        defaultReceiver: false,
      })),
    });
    add('prometheus', 'slo.definitions', 240, DAY, {
      ids: { [`${name}-avail`]: { objective: 0.999 } },
    });
    add('prometheus', 'slo.status', 240, DAY, {
      [`${name}-avail`]: {
        lastSampleAt: before(60),
        burnRate1h: rnd(),
        budgetRemaining: rnd(),
      },
    });
    add('prometheus', 'slo.alerts', 240, DAY, {
      [`${name}-avail`]: {
        burnRateRules: chance(0.8) ? 2 : 0,
        names: ['BurnFast', 'BurnSlow'],
      },
    });
    for (const l of links) {
      add(
        'linkcheck',
        'link.status',
        10800,
        7 * DAY,
        { status: chance(0.9) ? 200 : 404, redirects: 0 },
        l.url,
      );
    }
    add('scanner', 'vulns.summary', DAY, 7 * DAY, {
      openCritical: chance(0.9)
        ? []
        : [{ id: `CVE-2026-${i}`, firstSeenAt: before(20 * DAY) }],
    });
    add('cost', 'cost.tagging', DAY, 7 * DAY, {
      tagged: 12,
      total: 12,
      untagged: chance(0.9) ? [] : ['i-123'],
    });
    addTo(
      facts,
      ref,
      fact(ref, 'cost', 'cost.monthly', 12 * DAY, 35 * DAY, {
        month: '2026-02',
        amountUsd: String(500 + Math.floor(rnd() * 9000)),
      }),
    );
    if (kind === 'Resource')
      add('backup', 'backup.status', DAY, 7 * DAY, {
        enabled: chance(0.9),
        lastRestoreTestAt: before(30 * DAY),
        lastRestoreTestOutcome: 'succeeded',
      });

    // Ledger: 4 deploys and a rollback, most canary with analysis.
    if (kind === 'Component' && chance(0.9)) {
      const deploys = [2, 9, 30, 41].map(d => d + Math.floor(rnd() * 5));
      deploys.forEach((d, n) => {
        const strategy = chance(0.7) ? 'canary' : 'rolling';
        const startedAt = before(d * DAY);
        addTo(ledger, ref, {
          id: `D${i}-${n}`,
          entityRef: ref,
          kind: 'deploy',
          environment: 'production',
          status: n === 3 ? 'rolled-back' : 'succeeded',
          version: `1.${9 - n}.0`,
          startedAt,
          finishedAt: new Date(Date.parse(startedAt) + 900000).toISOString(),
          attributes: {
            artifactDigest: `sha256:${(i * 8 + n)
              .toString(16)
              .padStart(64, 'a')}`,
            exposure: {
              from: 0,
              to: 100,
              strategy,
              analysis: strategy === 'canary',
            },
          },
        });
      });
      if (chance(0.6))
        addTo(ledger, ref, {
          id: `R${i}`,
          entityRef: ref,
          kind: 'deploy',
          environment: 'production',
          status: 'succeeded',
          version: '1.5.9',
          rollbackOf: `D${i}-3`,
          startedAt: before(40 * DAY),
          finishedAt: before(40 * DAY - 900),
          attributes: {
            artifactDigest: `sha256:${(i * 8 + 7)
              .toString(16)
              .padStart(64, 'a')}`,
            exposure: {
              from: 0,
              to: 100,
              strategy: 'rolling',
              analysis: false,
            },
          },
        });
    }
    // Observed edges: mostly matching the declared dependencies, some undeclared.
    for (const dep of deps) {
      if (chance(0.8))
        addTo(edges, ref, {
          from: ref,
          to: dep,
          fromName: alias,
          toName: `svc${dep.split('-').pop()}`,
          interaction: 'sync',
          lastSeen: before(chance(0.9) ? 240 : 3 * DAY),
          source: 'prometheus',
        });
    }
    if (chance(0.2)) {
      const j = Math.floor(rnd() * count);
      addTo(edges, ref, {
        from: ref,
        to: `component:default/svc-${j}`,
        fromName: alias,
        toName: `svc${j}`,
        interaction: 'sync',
        lastSeen: before(240),
        source: 'prometheus',
      });
    }
  }
  // Systems referenced by components must exist.
  const waivers: Waiver[] = [];
  for (let w = 0; w < count / 100; w++) {
    const i = Math.floor(rnd() * count);
    waivers.push({
      id: `w-${w}`,
      entityRef: entityRefOfScored(scored[i]),
      checkId: pick(['ci-flake-rate', 'critical-vulns-triaged', 'slo-defined']),
      kind: 'exception',
      status: 'active',
      owner: 'group:default/team-0',
      reason: 'synthetic',
      requestedBy: 'user:default/a',
      approvedBy: 'user:default/b',
      createdAt: before(10 * DAY),
      approvedAt: before(10 * DAY),
      expiresAt: new Date(NOW_MS + 20 * DAY * 1000).toISOString(),
    });
  }
  const sourceHealth: SourceHealth[] = SOURCES.map(source => ({
    source,
    status: 'ok' as const,
    since: '2026-01-01T00:00:00Z',
    lastSuccessAt: before(60),
  }));
  return {
    entities: [...scored, ...others],
    scored,
    facts,
    ledger,
    edges,
    sourceHealth,
    waivers,
  };
}

function entityRefOfScored(e: Entity): string {
  return `${e.kind.toLowerCase()}:default/${e.metadata.name}`;
}

/** The lower-case ref of a synthetic entity. */
export const refOf = entityRefOfScored;
