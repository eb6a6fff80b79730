import { readConfigNumber } from '@internal/suite-node';
import type { Config } from '@backstage/config';
import {
  approvalTriggerOf,
  DEFAULT_GOLDEN_PATHS_CONFIG,
  GoldenPathsConfig,
  KillSwitches,
  readConfigKillSwitches,
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
    routeOverrides[approvalTriggerOf(key, 'goldenPaths.approvals.routes')] =
      routes!.getStringArray(key);
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

/**
 * The config kill switches (§4.7): `goldenPaths.killSwitch` as the note names it, and the plural
 * `goldenPaths.killSwitches` as an alias; a switch that is off in either source is off. Read by
 * golden-paths-common's `readConfigKillSwitches`, the reader golden-paths-backend uses too, so
 * both enforce the same switches: template names and action ids are read as plain map keys
 * (`node.v2`, `2fa-service`, `goldenpath:register`), and a malformed entry is an error naming
 * its config path — at startup through `checkGoldenPathsConfig`, and in the run that reads a
 * reloaded one.
 */
export function readKillSwitches(root: Config): KillSwitches {
  return readConfigKillSwitches(root);
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
    // register's own input range: 0 fails before the local catalog scan can see the entity, a
    // huge value holds the task for hours
    registerWaitSeconds: readConfigNumber(
      root,
      'goldenPaths.register.waitSeconds',
      20,
      { integer: true, min: 1, max: 300 },
    ),
  };
}

/**
 * `goldenPaths.serviceRequesters`: the User a service's token runs golden paths as, by the
 * token's subject (`external:release-bot` for a static external-access token, `plugin:<id>` for
 * a plugin). golden-paths.md §1.1 has machines (CI, other portals) call the scaffolder API with
 * the same validation as the form; the form's rules name a user (GP-O03 membership, approver ≠
 * requester, `ledger:open`'s `createdBy`), so a machine runs as a User entity the platform team
 * registers for it (a bot account in the owning team) — never as a guest. A subject without an
 * entry is refused (GP-O05). Refused at start: an entry without a subject, a user that is not a
 * full `user:<namespace>/<name>` ref, a subject listed twice.
 */
export function readServiceRequesters(root: Config): Map<string, string> {
  const { bySubject, errors } = readServiceRequestersLeniently(root);
  if (errors.length > 0) throw new Error(errors[0]);
  return bySubject;
}

/**
 * `readServiceRequesters` for a run: the valid entries, and what is wrong with the others. A
 * reloaded config with one bad entry must not stop every other service's task (nor leave their
 * invocations without an audit record); the run logs it instead.
 */
export function readServiceRequestersLeniently(root: Config): {
  bySubject: Map<string, string>;
  errors: string[];
} {
  const bySubject = new Map<string, string>();
  const errors: string[] = [];
  let entries: Config[];
  try {
    entries =
      root.getOptionalConfigArray('goldenPaths.serviceRequesters') ?? [];
  } catch (error) {
    return { bySubject, errors: [String((error as Error)?.message ?? error)] };
  }
  entries.forEach((entry, i) => {
    try {
      readEntry(entry, i);
    } catch (error) {
      errors.push(String((error as Error)?.message ?? error));
    }
  });
  return { bySubject, errors };

  function readEntry(entry: Config, i: number) {
    const key = `goldenPaths.serviceRequesters[${i}]`;
    const subject = entry.getString('subject').trim();
    const user = entry.getString('user').trim().toLocaleLowerCase('en-US');
    if (!subject) throw new Error(`${key}.subject must not be empty`);
    if (!/^user:[^/:\s]+\/[^/:\s]+$/.test(user)) {
      throw new Error(
        `${key}.user must be a full User entity ref like user:default/release-bot (got "${entry.getString(
          'user',
        )}")`,
      );
    }
    if (bySubject.has(subject)) {
      throw new Error(`${key}.subject "${subject}" is listed twice`);
    }
    bySubject.set(subject, user);
  }
}
