import { LevelId } from '../model/levels';

/** A platform capability some checks depend on (scorecards §2.9). */
export interface PlatformCapability {
  id: string;
  owner: string;
  /** Runtimes (annotation `ops.example.com/runtime`) the capability exists for; absent = everywhere. */
  availableFor?: { runtimes?: string[] };
  issue?: string;
}

/** Engine configuration (`scorecards.*` in app-config, scorecards §7.6); all fields have defaults. */
export interface ScorecardsConfig {
  lifecycles: string[];
  ratedLifecycles: string[];
  expectedLevels: {
    tier1: LevelId;
    tier2: LevelId;
    tier3: LevelId;
    unknown: LevelId;
    experimental: LevelId;
  };
  /** Per evidence kind, a window in seconds; it may only shorten the record's own window. */
  evidenceWindows: Record<string, number>;
  /** Which source produces a kind, used to name the source of evidence that is absent. */
  evidenceSources: Record<string, string>;
  platformCapabilities: PlatformCapability[];
  catalogFreshForSeconds: number;
  observedEdgeFreshForSeconds: number;
  maxClockSkewSeconds: number;
  /** Hosts the link checker may call; when set, a link elsewhere is unknown and platform-owned. */
  linkCheckAllowedHosts?: string[];
  waivers: { expiryWarningDays: number[]; falsePositiveMaxDays: number };
}

/** Defaults of scorecards §2.1, §2.5, §2.7, §2.8 (values marked `ours` in the note). */
export const DEFAULT_SCORECARDS_CONFIG: ScorecardsConfig = {
  lifecycles: ['experimental', 'production', 'deprecated', 'archived'],
  ratedLifecycles: ['experimental', 'production'],
  expectedLevels: {
    tier1: 'L3',
    tier2: 'L2',
    tier3: 'L1',
    unknown: 'L1',
    experimental: 'L1',
  },
  evidenceWindows: {},
  evidenceSources: {
    'repo.files': 'repo',
    'repo.settings': 'repo-host',
    'ci.summary': 'ci',
    'ci.security': 'ci-security',
    'oncall.schedule': 'oncall',
    'telemetry.presence': 'prometheus',
    'alerts.rules': 'prometheus',
    'slo.definitions': 'prometheus',
    'slo.status': 'prometheus',
    'slo.alerts': 'prometheus',
    'observed.edges': 'prometheus',
    'link.status': 'linkcheck',
    'vulns.summary': 'scanner',
    'backup.status': 'backup',
    'rollback.drill': 'drill',
    'cost.tagging': 'cost',
    'cost.monthly': 'cost',
    ledger: 'ledger',
  },
  platformCapabilities: [],
  catalogFreshForSeconds: 600,
  observedEdgeFreshForSeconds: 86400,
  maxClockSkewSeconds: 300,
  waivers: { expiryWarningDays: [14, 3], falsePositiveMaxDays: 14 },
};

/** Fills a partial configuration with the defaults. */
export function resolveScorecardsConfig(
  partial: Partial<ScorecardsConfig> = {},
): ScorecardsConfig {
  return {
    ...DEFAULT_SCORECARDS_CONFIG,
    ...partial,
    expectedLevels: {
      ...DEFAULT_SCORECARDS_CONFIG.expectedLevels,
      ...partial.expectedLevels,
    },
    evidenceSources: {
      ...DEFAULT_SCORECARDS_CONFIG.evidenceSources,
      ...partial.evidenceSources,
    },
    waivers: { ...DEFAULT_SCORECARDS_CONFIG.waivers, ...partial.waivers },
  };
}
