import { OPS_ANNOTATION_PREFIX as P } from '@internal/plugin-incident-brief-common';
import { CheckDefinitionInput, StandardFile } from './standardSchema';

const OWNER = 'group:default/platform-team';
const DOCS =
  'https://portal.example.com/docs/default/component/platform-docs/scorecards';
const DAY = 86400;
const SERVICES = {
  kinds: ['Component' as const],
  types: ['service', 'website'],
};
const COMPONENTS = { kinds: ['Component' as const] };
const COMPONENTS_RESOURCES = {
  kinds: ['Component' as const, 'Resource' as const],
};

/**
 * Scorecards §4 "suggested first wave": ten deterministic checks count first; every other check
 * observes for 30 days (the §2.4 guidance) before it counts. Both waves have been counting since
 * early 2026, so today's levels are those of an all-remediate standard, and the checks page shows
 * how each check was rolled out instead of warning that none was observed.
 */
const FIRST_WAVE = new Set([
  'owner-resolves',
  'system-assigned',
  'lifecycle-valid',
  'tier-declared',
  'owner-group-active',
  'oncall-routed',
  'runbook-present',
  'source-location-set',
  'ci-present',
  'deploy-recent',
]);
const FIRST_WAVE_ROLLOUT: CheckDefinitionInput['rollout'] = [
  { phase: 'observe', from: '2025-12-01' },
  { phase: 'remediate', from: '2026-01-01' },
];
const LATER_ROLLOUT: CheckDefinitionInput['rollout'] = [
  { phase: 'observe', from: '2026-01-05' },
  { phase: 'remediate', from: '2026-02-04' },
];

type Spec = Omit<
  CheckDefinitionInput,
  'version' | 'owner' | 'severity' | 'rollout' | 'remediation' | 'waiver'
> & {
  fix: string;
  version?: number;
  severity?: CheckDefinitionInput['severity'];
  waiver?: CheckDefinitionInput['waiver'];
};

/** Severities of the default standard: L0 critical, L1 high, L2/L3 medium, recommended low, lifecycle-only high. */
function defaultSeverity(
  spec: Spec,
  lifecycleOnly: boolean,
): CheckDefinitionInput['severity'] {
  if (spec.class === 'recommended') return 'low';
  if (lifecycleOnly || spec.level === 'L1') return 'high';
  return spec.level === 'L0' ? 'critical' : 'medium';
}

/** Fills the defaults of the default standard (scorecards §2.2): owner, severity by level, rollout. */
function check(spec: Spec): CheckDefinitionInput {
  const { fix, ...rest } = spec;
  const lifecycleOnly = !spec.level && spec.class !== 'recommended';
  const severity = spec.severity ?? defaultSeverity(spec, lifecycleOnly);
  return {
    version: 1,
    owner: OWNER,
    severity,
    rollout: FIRST_WAVE.has(spec.id) ? FIRST_WAVE_ROLLOUT : LATER_ROLLOUT,
    waiver: { allowed: true, maxDays: severity === 'critical' ? 30 : 90 },
    remediation: { summary: fix, url: `${DOCS}#${spec.id}` },
    ...rest,
  };
}

const repoFile = (paths: string[]) => ({
  type: 'repo-file',
  params: { paths, mode: 'any' },
});
const fact = (params: Record<string, unknown>) => ({ type: 'fact', params });

/** The 45 checks of scorecards §4, in catalogue order. */
export const defaultChecks: CheckDefinitionInput[] = [
  // Ownership & metadata
  check({
    id: 'owner-resolves',
    title: 'Owner is an existing Group',
    theme: 'ownership',
    rationale:
      'Ownership is the prerequisite of every other control; individuals leave, groups stay (48, 50).',
    evidence: ['catalog'],
    type: 'entity-ref',
    params: {
      path: 'spec.owner',
      kinds: ['Group'],
      forbidKinds: [{ kind: 'User', reason: 'OWNER_IS_USER' }],
      missingReason: 'OWNER_NOT_FOUND',
      notFoundReason: 'OWNER_NOT_FOUND',
      wrongKindReason: 'OWNER_WRONG_KIND',
    },
    class: 'required',
    level: 'L0',
    appliesTo: { kinds: ['Component', 'Resource', 'API', 'System'] },
    waiver: { allowed: false, maxDays: 30 },
    fix: 'Set spec.owner to an existing group, e.g. group:default/<team>.',
  }),
  check({
    id: 'system-assigned',
    title: 'Part of a System (Systems: of a Domain)',
    theme: 'ownership',
    rationale:
      'Aggregation, blast radius and rollups need every entity placed in a System (46, 54).',
    evidence: ['catalog'],
    type: 'entity-ref',
    params: {
      path: 'spec.system',
      kinds: ['System'],
      byEntityKind: { System: { path: 'spec.domain', kinds: ['Domain'] } },
    },
    class: 'required',
    level: 'L0',
    appliesTo: { kinds: ['Component', 'Resource', 'API', 'System'] },
    fix: 'Set spec.system to an existing System (for a System, spec.domain to a Domain).',
  }),
  check({
    id: 'owner-group-active',
    title: 'Owner group has members',
    theme: 'ownership',
    rationale: 'An owner group without people routes incidents to nobody (48).',
    evidence: ['catalog'],
    type: 'owner-group',
    params: { minMembers: 1, childDepth: 5 },
    class: 'required',
    level: 'L1',
    appliesTo: COMPONENTS_RESOURCES,
    fix: 'Add at least one User to the owner group (spec.members or the user’s memberOf).',
  }),
  check({
    id: 'tier-declared',
    title: 'Service tier declared',
    theme: 'ownership',
    rationale:
      'Vague tiers hide which services need the strongest controls (30, 54, 83).',
    evidence: ['catalog'],
    type: 'entity-field',
    params: { path: `label:${P}tier`, op: 'in', value: ['1', '2', '3'] },
    class: 'required',
    level: 'L1',
    appliesTo: COMPONENTS_RESOURCES,
    fix: `Add the label ${P}tier with 1, 2 or 3.`,
  }),
  check({
    id: 'customer-facing-declared',
    title: 'Customer exposure declared',
    theme: 'ownership',
    rationale: 'Missing exposure data must not be read as low risk (34).',
    evidence: ['catalog'],
    type: 'entity-field',
    params: {
      path: `label:${P}customer-facing`,
      op: 'in',
      value: ['true', 'false'],
    },
    class: 'required',
    level: 'L1',
    appliesTo: COMPONENTS,
    fix: `Add the label ${P}customer-facing with true or false.`,
  }),
  check({
    id: 'source-location-set',
    title: 'Source repository known',
    theme: 'ownership',
    rationale:
      'The repository is the join key for every repository-based check (39).',
    evidence: ['catalog'],
    type: 'any-of',
    params: {
      of: [
        {
          type: 'entity-field',
          params: {
            path: 'annotation:backstage.io/source-location',
            op: 'matches',
            value: '^url:',
          },
        },
        {
          type: 'entity-field',
          params: {
            path: 'annotation:github.com/project-slug',
            op: 'nonEmpty',
          },
        },
      ],
    },
    class: 'required',
    level: 'L1',
    appliesTo: COMPONENTS,
    fix: 'Set backstage.io/source-location (url:…) or github.com/project-slug.',
  }),
  check({
    id: 'codeowners-present',
    title: 'CODEOWNERS file present',
    theme: 'ownership',
    rationale: 'Reviews must reach the owning team (50, 39).',
    evidence: ['repo.files'],
    ...repoFile(['CODEOWNERS', '.github/CODEOWNERS', 'docs/CODEOWNERS']),
    class: 'required',
    level: 'L2',
    appliesTo: COMPONENTS,
    fix: 'Commit a CODEOWNERS file naming the owning team.',
  }),
  // On-call & incident readiness
  check({
    id: 'oncall-routed',
    title: 'Someone is paged',
    theme: 'incident',
    rationale: 'Alerts without a routed on-call reach nobody at 2 AM (48, 34).',
    evidence: ['catalog', 'oncall.schedule'],
    type: 'oncall-route',
    params: { steps: 3 },
    class: 'required',
    level: 'L1',
    appliesTo: COMPONENTS_RESOURCES,
    fix: `Set ${P}oncall on the owner group (or a PagerDuty/Opsgenie annotation on the entity).`,
  }),
  check({
    id: 'runbook-present',
    title: 'Runbook reachable from the service page',
    theme: 'incident',
    rationale:
      'Responders must find first steps without asking in chat; stale runbooks were found during incidents (30, 48, 54).',
    evidence: ['catalog', 'repo.files'],
    type: 'any-of',
    params: {
      of: [
        { type: 'entity-link', params: { linkTypes: ['runbook'] } },
        {
          type: 'repo-file',
          params: { paths: ['docs/runbook.md', 'RUNBOOK.md'] },
        },
      ],
    },
    class: 'required',
    level: 'L1',
    appliesTo: COMPONENTS,
    fix: 'Add a `runbook` entry to metadata.links, or commit docs/runbook.md.',
  }),
  check({
    id: 'escalation-path',
    title: 'Escalation path with two steps',
    theme: 'incident',
    rationale: 'A single pager with no escalation stalls incidents (48).',
    evidence: ['catalog', 'oncall.schedule'],
    type: 'owner-group',
    params: {
      annotation: `${P}escalation`,
      minSteps: 2,
      parentDepth: 5,
      orRouteEscalationLevels: true,
      failReason: 'NO_ESCALATION',
    },
    class: 'required',
    level: 'L2',
    appliesTo: COMPONENTS,
    fix: `Set ${P}escalation on the owner group with at least two steps.`,
  }),
  check({
    id: 'runbook-link-valid',
    title: 'Runbook link answers',
    theme: 'incident',
    rationale:
      'Links that fail validation for weeks were found during incidents (30).',
    evidence: ['link.status', 'repo.files'],
    type: 'any-of',
    params: {
      of: [
        {
          type: 'entity-link',
          params: { linkTypes: ['runbook'], validated: true },
        },
        {
          type: 'repo-file',
          params: { paths: ['docs/runbook.md', 'RUNBOOK.md'] },
        },
      ],
    },
    class: 'required',
    level: 'L2',
    appliesTo: COMPONENTS,
    fix: 'Fix or replace the runbook link so it answers 2xx.',
  }),
  check({
    id: 'chat-channel',
    title: 'Incident chat channel',
    theme: 'incident',
    rationale: 'Responders need a known place to coordinate (48).',
    evidence: ['catalog'],
    type: 'entity-field',
    params: {
      path: `annotation:${P}chat-channel`,
      op: 'nonEmpty',
      inherit: ['owner', 'owner-parents'],
    },
    class: 'recommended',
    appliesTo: COMPONENTS,
    fix: `Set ${P}chat-channel on the owner group.`,
  }),
  // Observability & SLO
  check({
    id: 'telemetry-present',
    title: 'Telemetry present',
    theme: 'observability',
    rationale: 'A service nobody can see cannot be operated (50, 32).',
    evidence: ['telemetry.presence', 'observed.edges'],
    type: 'telemetry',
    params: {},
    class: 'required',
    level: 'L1',
    appliesTo: SERVICES,
    fix: `Emit metrics or traces under the entity name or one of ${P}aliases.`,
  }),
  check({
    id: 'dashboard-linked',
    title: 'Dashboard linked',
    theme: 'observability',
    rationale: 'Responders need the service dashboard one click away (48).',
    evidence: ['catalog'],
    type: 'entity-link',
    params: { linkTypes: ['dashboard'] },
    class: 'required',
    level: 'L1',
    appliesTo: COMPONENTS,
    fix: 'Add a `dashboard` entry to metadata.links.',
  }),
  check({
    id: 'alerts-defined',
    title: 'Production alerts present',
    theme: 'observability',
    rationale: 'Without alerts, customers find outages first (39).',
    evidence: ['alerts.rules'],
    type: 'alerts',
    params: {},
    class: 'required',
    level: 'L1',
    appliesTo: COMPONENTS,
    fix: 'Add a Prometheus alerting rule labelled service=<alias>.',
  }),
  check({
    id: 'alerts-route-to-owner',
    title: 'Alerts page the owner',
    theme: 'observability',
    rationale: 'Page the owner, not a global channel (48).',
    evidence: ['alerts.rules', 'catalog'],
    type: 'alerts',
    params: { requireTeamLabel: true, requireRoute: true },
    class: 'required',
    level: 'L2',
    appliesTo: COMPONENTS,
    fix: 'Label every rule team=<owner group> and route it to the team’s receiver.',
  }),
  check({
    id: 'slo-defined',
    title: 'SLO defined',
    theme: 'observability',
    rationale:
      'An SLO identifier in catalog metadata, confirmed by the observability system (50).',
    evidence: ['catalog', 'slo.definitions', 'repo.files'],
    type: 'slo',
    params: { require: 'defined' },
    class: 'required',
    level: 'L2',
    appliesTo: COMPONENTS,
    fix: `List SLO ids in ${P}slo-ids and define them in Prometheus or as OpenSLO files under slo/.`,
  }),
  check({
    id: 'slo-has-traffic',
    title: 'SLO has traffic',
    theme: 'observability',
    rationale: 'An SLO without traffic behind it measures nothing (50).',
    evidence: ['slo.status'],
    type: 'slo',
    params: { require: 'traffic', trafficWithinSeconds: DAY },
    class: 'required',
    level: 'L2',
    appliesTo: COMPONENTS,
    fix: 'Make sure the SLI query returns samples for the listed SLO.',
  }),
  check({
    id: 'slo-burn-alert',
    title: 'Burn-rate alerting',
    theme: 'observability',
    rationale:
      'Error-budget burn alerts catch slow and fast outages (52, 14, 12).',
    evidence: ['slo.alerts'],
    type: 'slo',
    params: { require: 'burnAlert' },
    class: 'required',
    level: 'L3',
    appliesTo: COMPONENTS,
    fix: 'Add multi-window burn-rate alerting rules labelled slo_id.',
  }),
  // Delivery & CI
  check({
    id: 'ci-present',
    title: 'Continuous integration',
    theme: 'delivery',
    rationale: 'Changes must be built and tested before they ship (37, 16).',
    evidence: ['repo.files', 'ci.summary'],
    type: 'any-of',
    params: {
      of: [
        repoFile([
          '.github/workflows/*.yml',
          '.github/workflows/*.yaml',
          '.gitlab-ci.yml',
          'Jenkinsfile',
        ]),
        fact({
          kind: 'ci.summary',
          path: 'runs',
          op: 'gte',
          value: 1,
          label: 'default-branch CI runs in 30 d',
        }),
      ],
    },
    class: 'required',
    level: 'L1',
    appliesTo: COMPONENTS,
    fix: 'Add a CI workflow that runs on the default branch.',
  }),
  check({
    id: 'deploy-recent',
    title: 'Deployed recently',
    theme: 'delivery',
    rationale:
      'Services not deployed for months cannot be fixed quickly (41, 37).',
    evidence: ['ledger'],
    type: 'ledger',
    params: { rule: 'recent', withinDays: 90 },
    class: 'required',
    level: 'L2',
    appliesTo: SERVICES,
    fix: 'Deploy through the platform deploy workflow, which reports to the change ledger.',
  }),
  check({
    id: 'deploy-immutable-artifact',
    title: 'Immutable artifacts',
    theme: 'delivery',
    rationale: 'Promote the same digest, never a moving tag (31, 35, 29).',
    evidence: ['ledger'],
    type: 'ledger',
    params: { rule: 'digest' },
    class: 'required',
    level: 'L2',
    appliesTo: SERVICES,
    fix: 'Deploy by image digest (sha256:…).',
  }),
  check({
    id: 'rollback-ready',
    title: 'Rollback target exists',
    theme: 'delivery',
    rationale:
      'A known previous artifact is what makes a rollback possible (35, 41).',
    evidence: ['ledger'],
    type: 'ledger',
    params: { rule: 'distinctVersions', count: 2, withinDays: 365 },
    class: 'required',
    level: 'L2',
    appliesTo: SERVICES,
    fix: 'Keep deploying through the ledger-reporting workflow so a previous artifact is known.',
  }),
  check({
    id: 'rollback-exercised',
    title: 'Rollback exercised',
    theme: 'delivery',
    rationale: 'Untested rollback is not a rollback (14, 35, 77).',
    evidence: ['ledger', 'rollback.drill'],
    type: 'ledger',
    params: { rule: 'rollback', withinDays: 180 },
    class: 'required',
    level: 'L3',
    appliesTo: SERVICES,
    fix: 'Run a rollback drill (or roll back for real) and report it.',
  }),
  check({
    id: 'progressive-delivery',
    title: 'Progressive delivery',
    theme: 'delivery',
    rationale:
      'Staged exposure with analysis limits the blast radius of a bad deploy (14).',
    evidence: ['ledger'],
    type: 'ledger',
    params: { rule: 'exposure', withinDays: 180, count: 3 },
    class: 'contextual',
    level: 'L3',
    appliesTo: SERVICES,
    context: { anyOf: [{ customerFacing: true }] },
    fix: 'Deploy with canary, blue-green or progressive exposure and automated analysis.',
  }),
  check({
    id: 'ci-pass-rate',
    title: 'CI pass rate',
    theme: 'delivery',
    rationale: 'A red default branch slows every change (16).',
    evidence: ['ci.summary'],
    ...fact({
      kind: 'ci.summary',
      path: 'passRate',
      op: 'gte',
      value: 0.9,
      minSample: { path: 'runs', value: 5 },
      label: 'default-branch pass rate',
    }),
    class: 'recommended',
    appliesTo: COMPONENTS,
    fix: 'Fix failing default-branch builds.',
  }),
  check({
    id: 'ci-flake-rate',
    title: 'CI flake rate',
    theme: 'delivery',
    rationale: 'Flaky pipelines teach people to ignore red builds (16, 81).',
    evidence: ['ci.summary'],
    ...fact({
      kind: 'ci.summary',
      path: 'flakeRate',
      op: 'lte',
      value: 0.05,
      minSample: { path: 'runs', value: 5 },
      label: 'flake rate',
    }),
    class: 'recommended',
    appliesTo: COMPONENTS,
    fix: 'Quarantine or fix flaky tests.',
  }),
  // Security & secrets
  check({
    id: 'branch-protection',
    title: 'Default branch protected',
    theme: 'security',
    rationale:
      'OpenSSF-style repository checks: protected branch, review, status checks (50, 39).',
    evidence: ['repo.settings'],
    type: 'all-of',
    params: {
      of: [
        fact({
          kind: 'repo.settings',
          path: 'protected',
          op: 'eq',
          value: true,
          label: 'default branch protected',
        }),
        fact({
          kind: 'repo.settings',
          path: 'requiredReviews',
          op: 'gte',
          value: 1,
          label: 'required reviews',
        }),
        fact({
          kind: 'repo.settings',
          path: 'requiredStatusChecks',
          op: 'eq',
          value: true,
          label: 'required status checks',
        }),
      ],
    },
    class: 'required',
    level: 'L2',
    appliesTo: COMPONENTS,
    fix: 'Protect the default branch with at least one required review and required status checks.',
  }),
  check({
    id: 'dependency-update-policy',
    title: 'Dependency updates automated',
    theme: 'security',
    rationale:
      'Unpatched dependencies are the common path to compromise (50, 39).',
    evidence: ['repo.files'],
    ...repoFile([
      '.github/dependabot.yml',
      'renovate.json',
      '.renovaterc',
      '.renovaterc.json',
      '.github/renovate.json',
    ]),
    class: 'required',
    level: 'L2',
    appliesTo: COMPONENTS,
    fix: 'Commit a Dependabot or Renovate configuration.',
  }),
  check({
    id: 'critical-vulns-triaged',
    title: 'Critical vulnerabilities triaged',
    theme: 'security',
    rationale:
      'Exposed or sensitive services cannot carry old critical findings (50, 32).',
    evidence: ['vulns.summary'],
    ...fact({
      kind: 'vulns.summary',
      path: 'openCritical',
      op: 'noneOlderThan',
      value: 14 * DAY,
      itemDatePath: 'firstSeenAt',
      label: 'open critical findings',
    }),
    class: 'contextual',
    level: 'L2',
    appliesTo: COMPONENTS,
    context: {
      anyOf: [{ customerFacing: true }, { dataDomains: ['pii', 'payments'] }],
    },
    fix: 'Fix or triage open critical findings within 14 days.',
  }),
  check({
    id: 'ci-no-static-cloud-keys',
    title: 'No static cloud keys in CI',
    theme: 'security',
    rationale:
      'Long-lived cloud keys in CI are the usual leak; use OIDC (21, 29, 10).',
    evidence: ['ci.security'],
    type: 'all-of',
    params: {
      of: [
        fact({
          kind: 'ci.security',
          path: 'oidc',
          op: 'eq',
          value: true,
          label: 'deploy job uses OIDC',
        }),
        fact({
          kind: 'ci.security',
          path: 'staticKeySecretNames',
          op: 'noneMatch',
          value: [
            'AWS_ACCESS_KEY_ID',
            'AWS_SECRET_ACCESS_KEY',
            'AZURE_CLIENT_SECRET',
            'GOOGLE_CREDENTIALS',
            '*_SERVICE_ACCOUNT_KEY',
          ],
          label: 'static cloud key secrets',
        }),
      ],
    },
    class: 'required',
    level: 'L3',
    appliesTo: COMPONENTS,
    fix: 'Obtain cloud credentials through OIDC and delete static key secrets.',
  }),
  check({
    id: 'prod-deploy-protected',
    title: 'Protected production deploys',
    theme: 'security',
    rationale:
      'Production deploys go through a protected environment and a pinned platform workflow (21, 29).',
    evidence: ['ci.security'],
    type: 'all-of',
    params: {
      of: [
        fact({
          kind: 'ci.security',
          path: 'productionEnvironment.protected',
          op: 'eq',
          value: true,
          label: 'production environment protected',
        }),
        fact({
          kind: 'ci.security',
          path: 'deployWorkflow.pinned',
          op: 'eq',
          value: true,
          label: 'deploy workflow pinned',
        }),
      ],
    },
    class: 'required',
    level: 'L3',
    appliesTo: COMPONENTS,
    fix: 'Deploy through the platform workflow pinned to a tag or SHA, in a protected production environment.',
  }),
  // Dependencies & data
  check({
    id: 'dependencies-match-observed',
    title: 'Declared dependencies match traffic',
    theme: 'dependencies',
    rationale: 'Traffic the catalog does not know is a drift finding (46).',
    evidence: ['catalog', 'observed.edges'],
    type: 'dependency-drift',
    params: { fail: ['undeclared'], unmapped: 'note' },
    class: 'required',
    level: 'L2',
    appliesTo: COMPONENTS,
    fix: 'Declare the dependency in spec.dependsOn / consumesApis, or confirm the call is wrong.',
  }),
  check({
    id: 'data-classification-declared',
    title: 'Data domains declared',
    theme: 'dependencies',
    rationale:
      'Incident and audit scope depend on knowing which data is at risk (50, 83, 30).',
    evidence: ['catalog'],
    type: 'entity-field',
    params: { path: `annotation:${P}data-domains`, op: 'minItems', value: 1 },
    class: 'required',
    level: 'L2',
    appliesTo: COMPONENTS_RESOURCES,
    fix: `Set ${P}data-domains (or none).`,
  }),
  check({
    id: 'api-contract-registered',
    title: 'API contracts registered',
    theme: 'dependencies',
    rationale: 'Register the API and attach the real contract (54).',
    evidence: ['catalog'],
    type: 'api-definitions',
    params: {},
    class: 'contextual',
    level: 'L2',
    appliesTo: COMPONENTS,
    context: { anyOf: [{ providesApis: true }] },
    fix: 'Register each provided API with its definition.',
  }),
  check({
    id: 'backup-restore-tested',
    // 2: also reads the restore test's outcome (a failed test no longer passes).
    version: 2,
    title: 'Backups proven by restore',
    theme: 'dependencies',
    rationale: 'Backups are proven only by a restore (68).',
    evidence: ['backup.status'],
    type: 'all-of',
    params: {
      of: [
        fact({
          kind: 'backup.status',
          path: 'enabled',
          op: 'eq',
          value: true,
          label: 'backups enabled',
        }),
        fact({
          kind: 'backup.status',
          path: 'lastRestoreTestAt',
          op: 'within',
          value: 90 * DAY,
          label: 'last restore test',
        }),
        // "a successful restore test": a recent one that failed proves nothing (68).
        fact({
          kind: 'backup.status',
          path: 'lastRestoreTestOutcome',
          op: 'eq',
          value: 'succeeded',
          label: 'last restore test outcome',
        }),
      ],
    },
    class: 'contextual',
    level: 'L2',
    appliesTo: { kinds: ['Resource'] },
    context: { anyOf: [{ resourceTypes: ['database'] }] },
    fix: 'Run and report a restore test at least every 90 days.',
  }),
  check({
    id: 'no-deprecated-dependencies',
    title: 'No deprecated dependencies',
    theme: 'dependencies',
    rationale:
      'Deprecated dependencies are retirement risk for their callers (41, 46).',
    evidence: ['catalog', 'observed.edges'],
    type: 'dependency-lifecycle',
    params: { forbid: ['deprecated'] },
    class: 'recommended',
    appliesTo: COMPONENTS,
    fix: 'Migrate to the replacement named by the dependency’s replaced-by annotation.',
  }),
  // Lifecycle & docs
  check({
    id: 'lifecycle-valid',
    title: 'Lifecycle is a known value',
    theme: 'lifecycle',
    rationale:
      'Lifecycle drives scope and retirement; an unknown value hides both (41, 54).',
    evidence: ['catalog'],
    type: 'entity-field',
    // The configured set (scorecards.lifecycles, §2.1), not a copy of its default: an adopter
    // who adds or drops a lifecycle changes what is valid, and the check applies to all of them.
    params: {
      path: 'spec.lifecycle',
      op: 'in',
      valueFrom: { config: 'lifecycles' },
    },
    class: 'required',
    level: 'L0',
    appliesTo: { kinds: ['Component', 'API'], lifecycles: ['*'] },
    fix: 'Set spec.lifecycle to one of the configured lifecycles (scorecards.lifecycles; by default experimental, production, deprecated, archived).',
  }),
  check({
    id: 'techdocs-present',
    title: 'Docs like code',
    theme: 'lifecycle',
    rationale: 'Docs next to the code stay current (47).',
    evidence: ['catalog', 'repo.files'],
    type: 'all-of',
    params: {
      of: [
        {
          type: 'entity-field',
          params: {
            path: 'annotation:backstage.io/techdocs-ref',
            op: 'nonEmpty',
          },
        },
        {
          type: 'repo-file',
          params: {
            paths: ['mkdocs.yml', 'mkdocs.yaml'],
            onlyIf: {
              path: 'annotation:backstage.io/techdocs-ref',
              startsWith: 'dir:',
            },
          },
        },
      ],
    },
    class: 'required',
    level: 'L2',
    appliesTo: COMPONENTS,
    fix: 'Set backstage.io/techdocs-ref (dir:.) and commit mkdocs.yml.',
  }),
  check({
    id: 'deprecation-plan',
    title: 'Deprecation plan',
    theme: 'lifecycle',
    rationale: 'Migration owner, retirement date and replacement path (54).',
    evidence: ['catalog'],
    type: 'lifecycle-plan',
    params: {},
    class: 'required',
    appliesTo: {
      kinds: ['Component', 'API'],
      lifecycles: ['deprecated', 'archived'],
    },
    fix: `Set ${P}replaced-by and ${P}retire-by.`,
  }),
  check({
    id: 'retirement-on-track',
    title: 'Retirement on track',
    theme: 'lifecycle',
    rationale:
      'The deprecation window is when remaining consumers get identified (41).',
    evidence: ['catalog', 'observed.edges'],
    type: 'retirement',
    params: {},
    class: 'required',
    appliesTo: { kinds: ['Component', 'API'], lifecycles: ['deprecated'] },
    fix: 'Migrate the remaining consumers, or move the retirement date with a reason.',
  }),
  check({
    id: 'archived-no-activity',
    title: 'Archived means inactive',
    theme: 'lifecycle',
    rationale:
      'Archive only once traffic is gone; deploying an archived service means the catalog controls nothing (41).',
    evidence: ['observed.edges', 'ledger'],
    type: 'archived-activity',
    params: { windowDays: 30 },
    class: 'required',
    appliesTo: { kinds: ['Component'], lifecycles: ['archived'] },
    fix: 'Stop the remaining traffic and deploys, or restore the lifecycle.',
  }),
  // Cost
  check({
    id: 'cost-center-set',
    title: 'Cost center known',
    theme: 'cost',
    rationale: 'Spend must land on someone’s budget (44, 63).',
    evidence: ['catalog'],
    type: 'entity-field',
    params: {
      path: `annotation:${P}cost-center`,
      op: 'matches',
      value: '^CC-\\d{4}$',
      inherit: ['system', 'owner', 'owner-parents'],
    },
    class: 'required',
    level: 'L2',
    appliesTo: COMPONENTS_RESOURCES,
    fix: `Set ${P}cost-center (CC-1234) on the entity, its System or its owner group.`,
  }),
  check({
    id: 'cloud-resources-tagged',
    title: 'Cloud resources tagged',
    theme: 'cost',
    rationale: 'Tag drift makes spend unattributable (48, 63).',
    evidence: ['cost.tagging'],
    ...fact({
      kind: 'cost.tagging',
      path: 'untagged',
      op: 'empty',
      label: 'untagged cloud resources',
    }),
    class: 'recommended',
    appliesTo: COMPONENTS_RESOURCES,
    fix: 'Tag every cloud resource with owner and cost-center.',
  }),
  check({
    id: 'budget-signal',
    title: 'Budget signal',
    theme: 'cost',
    rationale: 'Services with no budget signal grow unnoticed (79).',
    evidence: ['catalog', 'cost.monthly'],
    ...fact({
      kind: 'cost.monthly',
      path: 'amountUsd',
      op: 'lte',
      valueFrom: { annotation: `${P}monthly-budget-usd`, factor: 1.2 },
      label: 'latest monthly spend (USD)',
    }),
    class: 'recommended',
    appliesTo: COMPONENTS,
    fix: `Set ${P}monthly-budget-usd and keep spend within 120 % of it.`,
  }),
];

/** The default standard (scorecards §4), `default@7`; adopters copy it into their own file. */
export const defaultStandardFile: StandardFile = {
  standard: { id: 'default', version: 7, owner: OWNER },
  levels: [
    {
      id: 'L0',
      title: 'Registered',
      summary: 'Identity and accountable owner resolve in the catalog.',
    },
    {
      id: 'L1',
      title: 'Operable',
      summary:
        'Someone is paged; runbook, dashboard, alerts, telemetry and CI exist.',
    },
    {
      id: 'L2',
      title: 'Production-ready',
      summary:
        'Ownership and routing verified end to end, SLO with traffic, recent immutable deploys with a rollback target, repository hygiene, dependencies match reality.',
    },
    {
      id: 'L3',
      title: 'Tier-1 ready',
      summary:
        'Burn-rate alerting, rollback exercised, progressive delivery where customers are exposed, protected short-lived deploy credentials.',
    },
  ],
  checks: defaultChecks,
  changelog: [],
};
