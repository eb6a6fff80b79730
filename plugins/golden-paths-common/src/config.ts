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
