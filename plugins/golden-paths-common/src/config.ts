import type { DatabaseTier } from './constants';
import type { ApprovalTriggerId } from './approvals/triggerIds';

/** One switch of `goldenPaths.killSwitch` or of the runtime table (§4.7). @public */
export interface KillSwitchState {
  disabled: boolean;
  reason?: string;
  /** ISO instant the switch was thrown. */
  since?: string;
}

/**
 * The merged kill switches (config OR runtime table; the backend merges them, §4.7).
 *
 * @public
 */
export interface KillSwitches {
  all?: KillSwitchState;
  templates?: Record<string, KillSwitchState>;
  actions?: Record<string, KillSwitchState>;
}

/** `goldenPaths.policy` (§9). @public */
export interface GoldenPathsPolicyConfig {
  version: string;
  ownerMembership: 'warn' | 'deny';
  reservedNames: readonly string[];
  regions: {
    offered: readonly string[];
    forbidden: readonly { region: string; reason: string }[];
    residency: Partial<
      Record<'critical-pii' | 'pci-regulated', readonly string[]>
    >;
  };
}

/** One row of `goldenPaths.database.tiers` (§9). @public */
export interface DatabaseTierConfig {
  sizes: readonly string[];
  storage: readonly [number, number];
  /** Hard limit (GP-D06), USD per month. */
  maxMonthly: number;
}

/** `goldenPaths.database` (§9). @public */
export interface GoldenPathsDatabaseConfig {
  engineVersions: readonly string[];
  sizes: readonly { id: string; priceBookSku: string }[];
  tiers: Record<DatabaseTier, DatabaseTierConfig>;
}

/** `goldenPaths.lifecycle` (§9). @public */
export interface GoldenPathsLifecycleConfig {
  promote: { minLevel: string; stagingDeployWithinDays: number };
  archive: { quietDays: number };
  delete: { minArchivedDays: number };
}

/**
 * The slice of `goldenPaths` config the pure rules read. The backend reads app-config and passes
 * this object; nothing here reads config itself.
 *
 * @public
 */
export interface GoldenPathsConfig {
  policy: GoldenPathsPolicyConfig;
  database: GoldenPathsDatabaseConfig;
  approvals: {
    expiresAfterDays: number;
    routes: Record<ApprovalTriggerId, readonly string[]>;
    breakGlassGroup: string;
  };
  lifecycle: GoldenPathsLifecycleConfig;
  /** Ordered level ids, lowest first (scorecards §2.2). */
  levels?: readonly string[];
}

/** The §9 values: what every consumer falls back to when `goldenPaths` config leaves a key out. */
export const DEFAULT_GOLDEN_PATHS_CONFIG: GoldenPathsConfig = {
  policy: {
    version: '2026.11.0',
    ownerMembership: 'warn',
    reservedNames: [
      'admin',
      'api',
      'app',
      'backstage',
      'default',
      'internal',
      'platform',
      'root',
      'service',
      'system',
      'test',
    ],
    regions: {
      offered: ['eu-central-1', 'eu-west-1', 'us-east-1'],
      forbidden: [
        {
          region: 'us-west-1',
          reason: 'no data-residency agreement covers it',
        },
      ],
      residency: {
        'critical-pii': ['eu-central-1', 'eu-west-1'],
        'pci-regulated': ['eu-central-1'],
      },
    },
  },
  database: {
    engineVersions: ['15', '16', '17'],
    sizes: [
      { id: 's', priceBookSku: 'example.rds-postgres.s' },
      { id: 'm', priceBookSku: 'example.rds-postgres.m' },
      { id: 'l', priceBookSku: 'example.rds-postgres.l' },
      { id: 'xl', priceBookSku: 'example.rds-postgres.xl' },
      { id: '2xl', priceBookSku: 'example.rds-postgres.2xl' },
    ],
    tiers: {
      dev: { sizes: ['s', 'm', 'l'], storage: [20, 100], maxMonthly: 2000 },
      staging: { sizes: ['s', 'm', 'l'], storage: [20, 500], maxMonthly: 4000 },
      'production-standard': {
        sizes: ['m', 'l', 'xl', '2xl'],
        storage: [20, 2048],
        maxMonthly: 8000,
      },
      'production-critical': {
        sizes: ['l', 'xl', '2xl'],
        storage: [20, 4096],
        maxMonthly: 20000,
      },
    },
  },
  approvals: {
    expiresAfterDays: 7,
    routes: {
      'production-data': ['group:default/platform-team'],
      iam: ['group:default/platform-team'],
      network: ['group:default/platform-team'],
      cost: ['group:default/platform-team'],
      'tier-1': ['group:default/platform-team'],
      destructive: ['group:default/platform-team'],
      exception: ['group:default/platform-team'],
    },
    breakGlassGroup: 'group:default/platform-team',
  },
  lifecycle: {
    promote: { minLevel: 'L2', stagingDeployWithinDays: 30 },
    archive: { quietDays: 14 },
    delete: { minArchivedDays: 30 },
  },
};
