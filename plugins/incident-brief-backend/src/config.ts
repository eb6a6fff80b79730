import { Config, readDurationFromConfig } from '@backstage/config';
import { GraphIndexOptions } from '@internal/plugin-incident-brief-common';

/** Settings of the incident-brief backend (`incidentBrief.*`, IB §6.5). */
export interface IncidentBriefOptions {
  graph: Required<GraphIndexOptions>;
  blastRadius: { defaultHops: number; listLimit: number };
  changes: { windowMs: number; dependencyHops: number; lookbackMs: number };
  onCall: { timeoutMs: number; cacheTtlMs: number };
  index: { refreshIntervalMs: number; fullSyncIntervalMs: number };
  /** Risk write-back (evidence §3.5, §11 R-13): the sweep that scores changes still without risk. */
  risk: {
    sweep: { frequencyMs: number; lookbackMs: number };
    /** how long a risk with unknown SLO health (D5) is held back after the change's receipt */
    healthGraceMs: number;
  };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Reads a duration (`'24h'`, `'PT2S'` or `{ hours: 24 }`) in milliseconds, or the default. */
export function readDurationMs(
  config: Config | undefined,
  key: string,
  fallbackMs: number,
): number {
  if (!config?.has(key)) return fallbackMs;
  const d = readDurationFromConfig(config, { key });
  return (
    (d.years ?? 0) * 365 * DAY +
    (d.months ?? 0) * 30 * DAY +
    (d.weeks ?? 0) * 7 * DAY +
    (d.days ?? 0) * DAY +
    (d.hours ?? 0) * HOUR +
    (d.minutes ?? 0) * MINUTE +
    (d.seconds ?? 0) * SECOND +
    (d.milliseconds ?? 0)
  );
}

/** Reads `incidentBrief.*` with the defaults of IB §6.5 (`ours`). */
export function readIncidentBriefOptions(root: Config): IncidentBriefOptions {
  const c = root.getOptionalConfig('incidentBrief');
  return {
    graph: {
      freshForMs: readDurationMs(c, 'observedEdges.freshFor', DAY),
      retainForMs: readDurationMs(c, 'observedEdges.retainFor', 30 * DAY),
      asyncResourceTypes: c?.getOptionalStringArray('asyncResourceTypes') ?? [
        'queue',
        'topic',
        'stream',
      ],
    },
    blastRadius: {
      defaultHops: c?.getOptionalNumber('blastRadius.defaultHops') ?? 3,
      listLimit: c?.getOptionalNumber('blastRadius.listLimit') ?? 200,
    },
    changes: {
      windowMs: readDurationMs(c, 'changes.window', DAY),
      dependencyHops: c?.getOptionalNumber('changes.dependencyHops') ?? 2,
      // ledger read behind each brief: coverage (30 d), history (7 d) and the window itself
      lookbackMs: readDurationMs(c, 'changes.lookback', 30 * DAY),
    },
    onCall: {
      timeoutMs: readDurationMs(c, 'onCall.timeout', 2 * SECOND),
      cacheTtlMs: readDurationMs(c, 'onCall.cacheTtl', 60 * SECOND),
    },
    index: {
      refreshIntervalMs: readDurationMs(c, 'index.refreshInterval', MINUTE),
      fullSyncIntervalMs: readDurationMs(
        c,
        'index.fullSyncInterval',
        10 * MINUTE,
      ),
    },
    risk: {
      sweep: {
        frequencyMs: readDurationMs(c, 'risk.sweep.frequency', 5 * MINUTE),
        lookbackMs: readDurationMs(c, 'risk.sweep.lookback', 7 * DAY),
      },
      healthGraceMs: readDurationMs(c, 'risk.healthGrace', 10 * MINUTE),
    },
  };
}
