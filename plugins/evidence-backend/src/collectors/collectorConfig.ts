import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { readSchedulerServiceTaskScheduleDefinitionFromConfig } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import {
  readConfigDuration,
  readConfigDurationMs,
  readConfigNumber,
} from '@internal/suite-node';
import {
  defaultPresenceQuery,
  defaultPrometheusSettings,
  defaultSloQueries,
  PrometheusCollectorSettings,
} from './prometheus/PrometheusCollector';
import { assertNoUrlCredentials } from './prometheus/PrometheusClient';
import { repoGlobs } from '@internal/plugin-evidence-common';
import {
  entryEntityRef,
  entryName,
  entryString,
  readConfigMap,
} from '../service/configMaps';

type Schedule = Pick<
  SchedulerServiceTaskScheduleDefinition,
  'frequency' | 'timeout' | 'initialDelay'
>;

/** `evidence.repo.*` after defaults (§10). */
export interface RepoCollectorConfig {
  enabled: boolean;
  schedule: Schedule;
  paths: string[];
  kinds: string[];
  requestsPerMinute: number;
  concurrency: number;
  timeoutMs: number;
}

/** `evidence.prometheus.*` after defaults; `settings` undefined = disabled (no baseUrl). */
export interface PrometheusCollectorConfig {
  enabled: boolean;
  schedule: Schedule;
  settings?: PrometheusCollectorSettings;
}

/**
 * Reads a schedule: a duration (`6h`, `PT6H`, `{ hours: 6 }`) is the frequency and keeps the
 * default timeout and initial delay; an object with `frequency` is a full schedule definition.
 * A frequency or timeout of zero or less stops start-up naming the key: Backstage's scheduler
 * runs a task whose frequency is 0 back to back (a collector rereading every repository without
 * pause), and a zero timeout fails every run.
 */
function readSchedule(
  config: Config,
  key: string,
  defaults: Schedule,
): Schedule {
  if (!config.has(key)) return defaults;
  const value = config.get(key);
  if (typeof value === 'object' && value !== null && 'frequency' in value) {
    const def = readSchedulerServiceTaskScheduleDefinitionFromConfig(
      config.getConfig(key),
    );
    // a cron expression or a manual trigger is the scheduler's to check
    const frequency = isDuration(config.get(`${key}.frequency`))
      ? readConfigDuration(
          config,
          `${key}.frequency`,
          defaults.frequency as HumanDuration,
        )
      : def.frequency;
    return {
      frequency,
      timeout: readConfigDuration(
        config,
        `${key}.timeout`,
        defaults.timeout as HumanDuration,
      ),
      initialDelay: def.initialDelay ?? defaults.initialDelay,
    };
  }
  return {
    ...defaults,
    frequency: readConfigDuration(
      config,
      key,
      defaults.frequency as HumanDuration,
    ),
  };
}

/** A duration as config writes one (text, or an object of duration parts), not `{ cron }`. */
function isDuration(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    (typeof value === 'object' &&
      value !== null &&
      !('cron' in value) &&
      !('trigger' in value))
  );
}

/** Reads `evidence.repo`. */
export function readRepoCollectorConfig(config: Config): RepoCollectorConfig {
  const repo = config.getOptionalConfig('evidence.repo');
  return {
    enabled: repo?.getOptionalBoolean('enabled') ?? true,
    schedule: readSchedule(config, 'evidence.repo.schedule', {
      frequency: { hours: 6 },
      timeout: { hours: 2 },
      initialDelay: { minutes: 2 },
    }),
    paths: repoGlobs({
      paths: repo?.getOptionalStringArray('paths'),
      extraPaths: repo?.getOptionalStringArray('extraPaths'),
    }),
    kinds: repo?.getOptionalStringArray('kinds') ?? ['Component'],
    // 0 = no limit (the collector's own reading of it)
    requestsPerMinute: readConfigNumber(
      config,
      'evidence.repo.requestsPerMinute',
      60,
      { min: 0 },
    ),
    concurrency: readConfigNumber(config, 'evidence.repo.concurrency', 4, {
      min: 1,
      max: 64,
      integer: true,
    }),
    timeoutMs: readConfigDurationMs(config, 'evidence.repo.timeout', 60_000),
  };
}

/**
 * A label that a default query is built from, which puts it in the query as it is: it must be a
 * classic label name there. A label of a query the config gives (a UTF-8 name such as
 * `service.name`, quoted in that query) is only a key of the samples, and is not checked.
 */
function classicLabel(key: string, value: string): string {
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(value)) {
    throw new Error(
      `evidence.prometheus.${key} must be a Prometheus label name such as service_name to build the default queries from (got ${JSON.stringify(
        value,
      )}); give the queries too for another label`,
    );
  }
  return value;
}

/** Reads `evidence.prometheus`; a missing `baseUrl` disables the collector (§4.3). */
export function readPrometheusCollectorConfig(
  config: Config,
): PrometheusCollectorConfig {
  const prom = config.getOptionalConfig('evidence.prometheus');
  const schedule = readSchedule(config, 'evidence.prometheus.schedule', {
    frequency: { minutes: 5 },
    timeout: { minutes: 4 },
    initialDelay: { seconds: 30 },
  });
  const baseUrl = prom?.getOptionalString('baseUrl');
  const asked = prom?.getOptionalBoolean('enabled');
  if (asked === true && !baseUrl) {
    // Typically `baseUrl: ${PROMETHEUS_URL}` with the variable unset: starting with the
    // collector quietly off would leave every telemetry check unknown without a word.
    throw new Error(
      'evidence.prometheus.enabled is true but evidence.prometheus.baseUrl is not set (an unset environment variable?); set baseUrl, or enabled: false',
    );
  }
  const enabled = (asked ?? true) && !!baseUrl;
  if (!prom || !baseUrl) return { enabled: false, schedule };

  assertNoUrlCredentials(baseUrl, 'evidence.prometheus.baseUrl');
  const alertmanagerUrl = prom.getOptionalString('alertmanagerUrl');
  if (alertmanagerUrl) {
    assertNoUrlCredentials(
      alertmanagerUrl,
      'evidence.prometheus.alertmanagerUrl',
    );
  }
  const d = defaultPrometheusSettings(baseUrl);
  const str = (key: string, fallback: string) =>
    prom.getOptionalString(key) ?? fallback;
  const headers = readStringMap(
    config,
    'evidence.prometheus.headers',
    'a map of header name to value',
    'a header value',
  );
  const metric = str('serviceGraph.metric', d.serviceGraph.metric);
  // The default queries group by these labels, so a label set alone changes them too.
  const presenceLabel = str('presence.label', d.presence.label);
  const sloIdLabel = str('slo.idLabel', d.slo.idLabel);
  const sloQuery = (key: keyof ReturnType<typeof defaultSloQueries>) =>
    prom.getOptionalString(`slo.${key}`) ??
    defaultSloQueries(classicLabel('slo.idLabel', sloIdLabel))[key];

  const settings: PrometheusCollectorSettings = {
    baseUrl,
    alertmanagerUrl,
    headers,
    queryTimeoutMs: readConfigDurationMs(
      config,
      'evidence.prometheus.queryTimeout',
      d.queryTimeoutMs,
    ),
    presence: {
      label: presenceLabel,
      query:
        prom.getOptionalString('presence.query') ??
        defaultPresenceQuery(classicLabel('presence.label', presenceLabel)),
    },
    rules: {
      serviceLabel: str('rules.serviceLabel', d.rules.serviceLabel),
      teamLabel: str('rules.teamLabel', d.rules.teamLabel),
      sloIdLabel: str('rules.sloIdLabel', d.rules.sloIdLabel),
    },
    slo: {
      idLabel: sloIdLabel,
      objective: sloQuery('objective'),
      lastSample: sloQuery('lastSample'),
      burnRate1h: sloQuery('burnRate1h'),
      budgetRemaining: sloQuery('budgetRemaining'),
    },
    serviceGraph: {
      metric,
      query: str('serviceGraph.query', metric),
      failedQuery: str(
        'serviceGraph.failedQuery',
        str('serviceGraph.failedMetric', d.serviceGraph.failedQuery),
      ),
      labels: {
        client: str('serviceGraph.labels.client', d.serviceGraph.labels.client),
        server: str('serviceGraph.labels.server', d.serviceGraph.labels.server),
        connectionType: str(
          'serviceGraph.labels.connectionType',
          d.serviceGraph.labels.connectionType,
        ),
      },
      rateWindow: str('serviceGraph.rateWindow', d.serviceGraph.rateWindow),
    },
  };
  return { enabled, schedule, settings: enabled ? settings : undefined };
}

/** `evidence.oncall.*` after defaults (§4.1, §4.4). */
export interface OnCallCollectorConfig {
  enabled: boolean;
  schedule: Schedule;
}

/** Reads `evidence.oncall`: on by default, every 30 min (timeout 10 min, first run after 1 min). */
export function readOnCallCollectorConfig(
  config: Config,
): OnCallCollectorConfig {
  const oncall = config.getOptionalConfig('evidence.oncall');
  return {
    enabled: oncall?.getOptionalBoolean('enabled') ?? true,
    schedule: readSchedule(config, 'evidence.oncall.schedule', {
      frequency: { minutes: 30 },
      timeout: { minutes: 10 },
      initialDelay: { minutes: 1 },
    }),
  };
}

/**
 * A map of text values keyed by names that may hold dots (`api.stripe.com`), read as one value;
 * a value that is not text is refused naming its entry, never repeating it (headers hold tokens).
 */
function readStringMap(
  config: Config,
  key: string,
  expected: string,
  what: string,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of readConfigMap(config, key, expected)) {
    result[name] = entryString(value, entryName(key, name), what);
  }
  return result;
}

/** Reads `evidence.aliases` (telemetry name → full entity ref, lower-cased). */
export function readConfigAliases(config: Config): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of readConfigMap(
    config,
    'evidence.aliases',
    'a map of telemetry name to entity ref',
  )) {
    result[name] = entryEntityRef(value, entryName('evidence.aliases', name));
  }
  return result;
}
