import { Config } from '@backstage/config';
import {
  GraphIndexOptions,
  MAX_HOPS,
  MAX_LIMIT,
} from '@internal/plugin-incident-brief-common';
import { readConfigDurationMs, readConfigNumber } from '@internal/suite-node';

/** Settings of the incident-brief backend (`incidentBrief.*`, IB §6.5). */
export interface IncidentBriefOptions {
  graph: Required<GraphIndexOptions>;
  blastRadius: { defaultHops: number; maxHops: number; listLimit: number };
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

/** Reads `incidentBrief.*` with the defaults of IB §6.5 (`ours`). */
export function readIncidentBriefOptions(root: Config): IncidentBriefOptions {
  // Every value is checked here: a default the API would refuse (hops 12, a page of 10,000)
  // would otherwise fail every request that names none, blaming a parameter nobody sent.
  const duration = (key: string, fallbackMs: number, allowZero = false) =>
    readConfigDurationMs(root, `incidentBrief.${key}`, fallbackMs, {
      allowZero,
    });
  // the most hops a request may ask for; a default above it would fail every request that
  // names none, so the defaults are held to it
  const maxHops = readConfigNumber(
    root,
    'incidentBrief.blastRadius.maxHops',
    MAX_HOPS,
    { integer: true, min: 1, max: MAX_HOPS },
  );
  // the card asks with the default: at 0 nothing is searched and every entity would read
  // "nothing depends on it" (a caller may still ask hops=0 for the root's summary)
  const atLeastOne = (key: string, value: number) => {
    if (value < 1) {
      throw new Error(
        `incidentBrief.${key} must be at least 1: at 0 no dependent is searched (got ${value})`,
      );
    }
    return value;
  };
  const hops = (key: string, fallback: number) => {
    const value = readConfigNumber(root, `incidentBrief.${key}`, fallback, {
      integer: true,
      min: 0,
      max: MAX_HOPS,
    });
    if (value > maxHops) {
      throw new Error(
        `incidentBrief.${key} must be at most incidentBrief.blastRadius.maxHops (${maxHops}) (got ${value})`,
      );
    }
    return value;
  };
  return {
    graph: {
      freshForMs: duration('observedEdges.freshFor', DAY),
      retainForMs: duration('observedEdges.retainFor', 30 * DAY),
      asyncResourceTypes: root.getOptionalStringArray(
        'incidentBrief.asyncResourceTypes',
      ) ?? ['queue', 'topic', 'stream'],
    },
    blastRadius: {
      defaultHops: atLeastOne(
        'blastRadius.defaultHops',
        hops('blastRadius.defaultHops', Math.min(3, maxHops)),
      ),
      maxHops,
      listLimit: readConfigNumber(
        root,
        'incidentBrief.blastRadius.listLimit',
        200,
        { integer: true, min: 1, max: MAX_LIMIT },
      ),
    },
    changes: {
      windowMs: duration('changes.window', DAY),
      dependencyHops: hops('changes.dependencyHops', Math.min(2, maxHops)),
      // ledger read behind each brief: coverage (30 d), history (7 d) and the window itself
      lookbackMs: duration('changes.lookback', 30 * DAY),
    },
    onCall: {
      timeoutMs: duration('onCall.timeout', 2 * SECOND),
      // 0: ask the provider every time (OnCallRouter reuses nothing)
      cacheTtlMs: duration('onCall.cacheTtl', 60 * SECOND, true),
    },
    index: {
      refreshIntervalMs: duration('index.refreshInterval', MINUTE),
      fullSyncIntervalMs: duration('index.fullSyncInterval', 10 * MINUTE),
    },
    risk: {
      sweep: {
        frequencyMs: duration('risk.sweep.frequency', 5 * MINUTE),
        lookbackMs: duration('risk.sweep.lookback', 7 * DAY),
      },
      healthGraceMs: duration('risk.healthGrace', 10 * MINUTE, true),
    },
  };
}
