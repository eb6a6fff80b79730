import type { Config } from '@backstage/config';
import {
  DEFAULT_GOLDEN_PATHS_CONFIG,
  GoldenPathsConfig,
  KillSwitches,
  KillSwitchState,
} from '@internal/plugin-golden-paths-common';

// Reads the `goldenPaths` app-config block (design note §9) into the shapes the pure policy
// engine takes. Every value has the note's default, so the module works with no config at all.
// Read on every action invocation: a config source that reloads (file watch, remote config)
// takes effect on the next run without a deploy.

/** The publish modes of §9; `gitlab` is read, and refused at validate (no template publishes there). */
export const PUBLISH_MODES = ['local', 'github', 'gitlab'] as const;
/** `publish:github`'s `repoVisibility` values. */
export const GITHUB_VISIBILITIES = ['private', 'internal', 'public'] as const;
/** GP-O03 outcomes (§5). */
export const OWNER_MEMBERSHIP = ['warn', 'deny'] as const;

/** Publish settings the validate action needs to name the repository (§9 `goldenPaths.publish`). */
export interface PublishSettings {
  mode: (typeof PUBLISH_MODES)[number];
  localRoot: string;
  githubOrg?: string;
  /** `goldenPaths.publish.github.visibility` (default internal), what `publish:github` creates. */
  githubVisibility: (typeof GITHUB_VISIBILITIES)[number];
  gitlabGroup?: string;
  allowedRemotes: string[];
  author: { name: string; email: string };
  defaultBranch: string;
}

/** Values the skeleton and descriptor take from config, never from the form (§3, 49). */
export interface GenerationSettings {
  ciWorkflow: string;
  ciVersion: string;
  deployWorkflow: string;
  nodeBaseImage: string;
  expectedStartLevel: string;
  dashboardUrlTemplate?: string;
  registerWaitSeconds: number;
}

function strings(config: Config | undefined, key: string) {
  return config?.getOptionalStringArray(key);
}

/**
 * An enumerated setting: its default when absent, the value when allowed, and otherwise an error
 * naming the key and the allowed values. A typo (`Deny`, `Github`) used to fall back silently to
 * the default, turning a production `deny` into a demo `warn`; `checkGoldenPathsConfig` reads
 * every such setting at startup, so the backend does not start with one.
 */
function oneOf<T extends string>(
  key: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(
    `${key} must be one of ${allowed.join(', ')} (got ${JSON.stringify(
      value,
    )}); values are case-sensitive`,
  );
}

/** The policy slice of `goldenPaths` with §9 defaults for anything not set. */
export function readGoldenPathsConfig(root: Config): GoldenPathsConfig {
  const d = DEFAULT_GOLDEN_PATHS_CONFIG;
  const gp = root.getOptionalConfig('goldenPaths');
  const policy = gp?.getOptionalConfig('policy');
  const regions = policy?.getOptionalConfig('regions');
  const membership = policy?.getOptionalString('ownerMembership');
  const forbidden = regions?.getOptionalConfigArray('forbidden')?.map(f => ({
    region: f.getString('region'),
    reason: f.getString('reason'),
  }));
  const residency = regions?.getOptionalConfig('residency');
  const routes = gp?.getOptionalConfig('approvals.routes');
  const routeOverrides: Record<string, string[]> = {};
  for (const key of routes?.keys() ?? []) {
    routeOverrides[key] = routes!.getStringArray(key);
  }
  return {
    ...d,
    policy: {
      version: policy?.getOptionalString('version') ?? d.policy.version,
      ownerMembership: oneOf(
        'goldenPaths.policy.ownerMembership',
        membership,
        OWNER_MEMBERSHIP,
        d.policy.ownerMembership,
      ),
      reservedNames: strings(policy, 'reservedNames') ?? d.policy.reservedNames,
      regions: {
        offered: strings(regions, 'offered') ?? d.policy.regions.offered,
        forbidden: forbidden ?? d.policy.regions.forbidden,
        residency: residency
          ? {
              ...(residency.has('critical-pii')
                ? { 'critical-pii': residency.getStringArray('critical-pii') }
                : {}),
              ...(residency.has('pci-regulated')
                ? {
                    'pci-regulated': residency.getStringArray('pci-regulated'),
                  }
                : {}),
            }
          : d.policy.regions.residency,
      },
    },
    approvals: {
      ...d.approvals,
      routes: { ...d.approvals.routes, ...routeOverrides },
    },
  };
}

function readSwitch(value: unknown): KillSwitchState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  let since: string | undefined;
  if (v.since instanceof Date) since = v.since.toISOString();
  else if (typeof v.since === 'string') since = v.since;
  return {
    disabled: v.disabled === true || v.disabled === 'true',
    ...(typeof v.reason === 'string' ? { reason: v.reason } : {}),
    ...(since ? { since } : {}),
  };
}

function readSwitchMap(
  value: unknown,
): Record<string, KillSwitchState> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const out: Record<string, KillSwitchState> = {};
  for (const [k, v] of Object.entries(value)) {
    const s = readSwitch(v);
    if (s) out[k] = s;
  }
  return out;
}

function mergeState(
  a?: KillSwitchState,
  b?: KillSwitchState,
): KillSwitchState | undefined {
  if (a?.disabled) return a;
  if (b?.disabled) return b;
  return a ?? b;
}

function mergeMaps(
  a?: Record<string, KillSwitchState>,
  b?: Record<string, KillSwitchState>,
): Record<string, KillSwitchState> {
  const out: Record<string, KillSwitchState> = { ...b };
  for (const [k, v] of Object.entries(a ?? {})) out[k] = mergeState(v, out[k])!;
  return out;
}

/**
 * The config kill switches (§4.7): `goldenPaths.killSwitch` as the note names it, and the plural
 * `goldenPaths.killSwitches` as an alias; a switch that is off in either source is off.
 * Action ids contain `:`, so the maps are read as plain values, not as nested config keys.
 */
export function readKillSwitches(root: Config): KillSwitches {
  const sources = ['goldenPaths.killSwitch', 'goldenPaths.killSwitches'].map(
    key => root.getOptional(key) as Record<string, unknown> | undefined,
  );
  let all: KillSwitchState | undefined;
  let templates: Record<string, KillSwitchState> = {};
  let actions: Record<string, KillSwitchState> = {};
  for (const s of sources) {
    if (!s) continue;
    all = mergeState(readSwitch(s.all), all);
    templates = mergeMaps(readSwitchMap(s.templates), templates);
    actions = mergeMaps(readSwitchMap(s.actions), actions);
  }
  return { ...(all ? { all } : {}), templates, actions };
}

/** `goldenPaths.publish` (§9), local mode by default. */
export function readPublishSettings(root: Config): PublishSettings {
  const p = root.getOptionalConfig('goldenPaths.publish');
  return {
    mode: oneOf(
      'goldenPaths.publish.mode',
      p?.getOptionalString('mode'),
      PUBLISH_MODES,
      'local',
    ),
    localRoot:
      p?.getOptionalString('local.root') ?? './.data/golden-paths/repos',
    githubOrg: p?.getOptionalString('github.org'),
    githubVisibility: oneOf(
      'goldenPaths.publish.github.visibility',
      p?.getOptionalString('github.visibility'),
      GITHUB_VISIBILITIES,
      'internal',
    ),
    gitlabGroup: p?.getOptionalString('gitlab.group'),
    allowedRemotes: p?.getOptionalStringArray('git.allowedRemotes') ?? [],
    author: {
      name: p?.getOptionalString('git.author.name') ?? 'Golden Paths',
      email:
        p?.getOptionalString('git.author.email') ??
        'golden-paths@platform.example.com',
    },
    defaultBranch: p?.getOptionalString('git.defaultBranch') ?? 'main',
  };
}

/** `goldenPaths.ci`, `baseImages`, `scorecard`, `register` with the note's defaults (§9). */
export function readGenerationSettings(root: Config): GenerationSettings {
  const gp = root.getOptionalConfig('goldenPaths');
  return {
    ciWorkflow:
      gp?.getOptionalString('ci.reusableWorkflow') ??
      'acme/platform-workflows/.github/workflows/node-service-ci.yaml',
    ciVersion: gp?.getOptionalString('ci.version') ?? 'v3.4.1',
    deployWorkflow:
      gp?.getOptionalString('ci.deployWorkflow') ??
      'acme/platform-workflows/.github/workflows/node-service-deploy.yaml',
    nodeBaseImage: gp?.getOptionalString('baseImages.node') ?? 'node:24-slim',
    expectedStartLevel:
      gp?.getOptionalString('scorecard.expectedStartLevel') ?? 'L0',
    dashboardUrlTemplate: gp?.getOptionalString('dashboardUrlTemplate'),
    registerWaitSeconds: gp?.getOptionalNumber('register.waitSeconds') ?? 20,
  };
}
