import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  compareCodeUnits,
  EdgeInput,
  edgeInputSchema,
  JsonObject,
  normalizeEdge,
  CONNECTION_TYPES,
  ConnectionType,
} from '@internal/plugin-evidence-common';
import { buildAliasMap, CollectorAliasMap } from '../aliasMap';
import type { CollectorEntity, EntityLister } from '../catalogEntities';
import type { CollectorSink } from '../CollectorSink';
import { createAlertRouter, AlertRouting } from './alertmanagerRouting';
import {
  fetchAlertmanagerConfig,
  isValidTimeMs,
  PrometheusClient,
  PrometheusRule,
  VectorSample,
} from './PrometheusClient';

/** Source id of the Prometheus collector (§4.1). */
export const PROMETHEUS_SOURCE = 'prometheus';
export const SLO_IDS_ANNOTATION = 'ops.example.com/slo-ids';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const EDGE_WRITE_CHUNK = 500;
/** edges, presence, rules, slo: the sub-steps that talk to Prometheus itself. */
const PROMETHEUS_STEPS = 4;
const FACT_KINDS_IN_SCOPE = new Set(['component', 'resource']);

/** `evidence.prometheus.*` after defaults (§4.3). */
export interface PrometheusCollectorSettings {
  baseUrl: string;
  alertmanagerUrl?: string;
  headers?: Record<string, string>;
  queryTimeoutMs: number;
  presence: { label: string; query: string };
  rules: { serviceLabel: string; teamLabel: string; sloIdLabel: string };
  slo: {
    idLabel: string;
    objective: string;
    lastSample: string;
    burnRate1h: string;
    budgetRemaining: string;
  };
  serviceGraph: {
    metric: string;
    /** Series selector of the request counter; defaults to the metric name. */
    query: string;
    /** Series selector of the failed-request counter. */
    failedQuery: string;
    labels: { client: string; server: string; connectionType: string };
    rateWindow: string;
  };
}

/** The §4.3 query listing services with telemetry, grouped by the label naming the service. */
export function defaultPresenceQuery(label: string): string {
  return `group by (${label}) (last_over_time({__name__=~"up|target_info", ${label}!=""}[1h]))`;
}

/** The §4.3 SLO queries (Sloth-style recording-rule names), grouped by the SLO id label. */
export function defaultSloQueries(
  idLabel: string,
): Omit<PrometheusCollectorSettings['slo'], 'idLabel'> {
  const by = `max by (${idLabel})`;
  return {
    objective: `${by} (slo:objective:ratio)`,
    lastSample: `${by} (max_over_time(timestamp(slo:sli_error:ratio_rate5m >= 0)[24h:1m]))`,
    burnRate1h: `${by} (slo:sli_error:ratio_rate1h) / on (${idLabel}) (1 - ${by} (slo:objective:ratio))`,
    budgetRemaining: `${by} (slo:period_error_budget_remaining:ratio)`,
  };
}

/** The defaults of §4.3, Sloth-style recording-rule names. */
export function defaultPrometheusSettings(
  baseUrl: string,
): PrometheusCollectorSettings {
  const metric = 'traces_service_graph_request_total';
  return {
    baseUrl,
    queryTimeoutMs: 30_000,
    presence: { label: 'service', query: defaultPresenceQuery('service') },
    rules: { serviceLabel: 'service', teamLabel: 'team', sloIdLabel: 'slo_id' },
    slo: { idLabel: 'slo_id', ...defaultSloQueries('slo_id') },
    serviceGraph: {
      metric,
      query: metric,
      failedQuery: 'traces_service_graph_request_failed_total',
      labels: {
        client: 'client',
        server: 'server',
        connectionType: 'connection_type',
      },
      rateWindow: '5m',
    },
  };
}

/** Options of {@link PrometheusCollector}. */
export interface PrometheusCollectorOptions {
  settings: PrometheusCollectorSettings;
  sink: CollectorSink;
  logger: LoggerService;
  listEntities: EntityLister;
  /** `evidence.aliases`: telemetry name → entity ref, winning over annotations. */
  configAliases?: Record<string, string>;
  now?: () => Date;
  fetch?: typeof fetch;
}

type Step = 'edges' | 'presence' | 'rules' | 'alertmanager' | 'slo';

/** What one run did, for logs and tests. */
export interface PrometheusRunSummary {
  outcome: 'ok' | 'degraded' | 'unavailable';
  failedSteps: Partial<Record<Step, string>>;
  edges: number;
  catchUp: boolean;
  factsWritten: number;
}

interface SloData {
  objective: Map<string, number>;
  lastSample: Map<string, number>;
  burnRate1h: Map<string, number>;
  budgetRemaining: Map<string, number>;
}

/**
 * Collects the Prometheus evidence of §4.3 — observed service-graph edges, `telemetry.presence`,
 * `alerts.rules`, `slo.definitions`/`slo.status`/`slo.alerts` — in five isolated sub-steps.
 * Everything is read before anything is written: a failed sub-step rewrites nothing of its own
 * (EV17: `degraded`), and when every sub-step fails the run records `unavailable` and writes
 * nothing at all (EV16). A run never throws for a Prometheus failure.
 */
export class PrometheusCollector {
  private readonly client: PrometheusClient;
  private readonly now: () => Date;
  private readonly edgeSource: string;
  /**
   * End of this instance's last run whose edge step succeeded. The sink stores it too (read at
   * every run, so a restart or another replica's run does not walk back 30 days); this copy
   * stands in when that read fails.
   */
  private lastEdgeSuccess: Date | undefined;

  constructor(private readonly options: PrometheusCollectorOptions) {
    const { settings } = options;
    this.client = new PrometheusClient({
      baseUrl: settings.baseUrl,
      headers: settings.headers,
      timeoutMs: settings.queryTimeoutMs,
      fetch: options.fetch,
    });
    this.now = options.now ?? (() => new Date());
    this.edgeSource = `prometheus:${settings.serviceGraph.metric}`;
  }

  /** Runs one collection; resolves with what happened, never rejects for a source failure. */
  async run(): Promise<PrometheusRunSummary> {
    const { settings, sink, logger } = this.options;
    const now = this.now();
    const entities = await this.options.listEntities();
    const aliases = buildAliasMap(entities, this.options.configAliases);

    const failedSteps: PrometheusRunSummary['failedSteps'] = {};
    const prometheusFailures: unknown[] = [];
    const attempt = async <T>(step: Step, fn: () => Promise<T>) => {
      try {
        return await fn();
      } catch (error) {
        if (step !== 'alertmanager') prometheusFailures.push(error);
        failedSteps[step] =
          error instanceof Error ? error.message : String(error);
        return undefined;
      }
    };

    const lastEdgeSuccess = await this.readLastEdgeSuccess();
    const catchUp =
      !lastEdgeSuccess || now.getTime() - lastEdgeSuccess.getTime() > HOUR;
    const [edges, presence, rules, routing, slo] = await Promise.all([
      attempt('edges', () => this.collectEdges(now, catchUp, lastEdgeSuccess)),
      attempt('presence', () =>
        this.client.query(settings.presence.query, now),
      ),
      attempt('rules', () => this.client.alertingRules()),
      settings.alertmanagerUrl
        ? attempt('alertmanager', async () =>
            createAlertRouter(
              await fetchAlertmanagerConfig({
                alertmanagerUrl: settings.alertmanagerUrl!,
                headers: settings.headers,
                timeoutMs: settings.queryTimeoutMs,
                fetch: this.options.fetch,
              }),
            ),
          )
        : Promise.resolve(null),
      attempt('slo', () => this.collectSlo(now)),
    ]);

    // Every Prometheus sub-step failed: whatever Alertmanager said, there is nothing to write,
    // and the source is unusable however it failed (down, a 404 on a wrong path, a login page
    // answering every call). `degraded` would count as a success and move lastSuccessAt on.
    if (prometheusFailures.length === PROMETHEUS_STEPS) {
      const outcome = 'unavailable';
      const error = describeFailures(failedSteps);
      logger.warn(
        `prometheus collector: run ${outcome}, nothing written (${error})`,
      );
      await sink.recordSourceRun({
        source: PROMETHEUS_SOURCE,
        outcome,
        at: this.now(),
        error: error.slice(0, 1024),
      });
      return { outcome, failedSteps, edges: 0, catchUp, factsWritten: 0 };
    }

    if (edges) {
      for (let i = 0; i < edges.length; i += EDGE_WRITE_CHUNK) {
        await sink.writeEdges(
          this.edgeSource,
          edges.slice(i, i + EDGE_WRITE_CHUNK),
          now,
        );
      }
      await this.recordEdgeSuccess(now);
    }

    // A routing failure would turn known receivers into unknown ones: keep the old rules fact.
    const rulesUsable = rules && routing !== undefined ? rules : undefined;
    const factsWritten = await this.writeEntityFacts(now, entities, aliases, {
      presence,
      rules: rulesUsable,
      routing: routing ?? undefined,
      slo,
    });

    const outcome = Object.keys(failedSteps).length > 0 ? 'degraded' : 'ok';
    if (outcome === 'degraded') {
      logger.warn(
        `prometheus collector: run degraded (${describeFailures(failedSteps)})`,
      );
    }
    await sink.recordSourceRun({
      source: PROMETHEUS_SOURCE,
      outcome,
      at: this.now(),
      ...(outcome === 'degraded'
        ? { error: `failed: ${Object.keys(failedSteps).join(', ')}` }
        : {}),
    });
    return {
      outcome,
      failedSteps,
      edges: edges?.length ?? 0,
      catchUp,
      factsWritten,
    };
  }

  /** The later of the stored and this instance's last edge success; this one if the read fails. */
  private async readLastEdgeSuccess(): Promise<Date | undefined> {
    const own = this.lastEdgeSuccess;
    try {
      const stored = await this.options.sink.lastEdgeCollection(
        this.edgeSource,
      );
      if (!stored) return own;
      return own && own > stored ? own : stored;
    } catch (error) {
      this.options.logger.warn(
        `prometheus collector: could not read when edges were last collected; using this process's own record`,
        error instanceof Error ? error : new Error(String(error)),
      );
      return own;
    }
  }

  /** Keeps the end of a successful edge step here and in the sink; a failed store only costs a catch-up. */
  private async recordEdgeSuccess(at: Date): Promise<void> {
    this.lastEdgeSuccess = at;
    try {
      await this.options.sink.recordEdgeCollection(this.edgeSource, at);
    } catch (error) {
      this.options.logger.warn(
        `prometheus collector: could not store when edges were last collected; another process's next run walks back up to 30 days`,
        error instanceof Error ? error : new Error(String(error)),
      );
    }
  }

  /** The service-graph series as edges, steady state or catch-up (§4.3). */
  private async collectEdges(
    now: Date,
    catchUp: boolean,
    lastEdgeSuccess: Date | undefined,
  ): Promise<EdgeInput[]> {
    const { serviceGraph } = this.options.settings;
    const { client, server, connectionType } = serviceGraph.labels;
    const by = `sum by (${client}, ${server}, ${connectionType})`;

    const seen = new Map<
      string,
      { labels: Record<string, string>; firstSeen: number; lastSeen: number }
    >();
    if (catchUp) {
      // After a gap the steady window cannot see back far enough: walk the last 30 d hourly.
      const from = Math.max(
        lastEdgeSuccess?.getTime() ?? 0,
        now.getTime() - 30 * DAY,
      );
      const steps = Math.max(1, Math.ceil((now.getTime() - from) / HOUR));
      const matrix = await this.client.queryRange(
        `${by} (increase(${serviceGraph.query}[1h])) > 0`,
        new Date(now.getTime() - steps * HOUR),
        now,
        3600,
      );
      for (const series of matrix) {
        if (series.values.length === 0) continue;
        seen.set(seriesKey(series.metric, serviceGraph.labels), {
          labels: series.metric,
          firstSeen: series.values[0].timestampMs,
          lastSeen: series.values[series.values.length - 1].timestampMs,
        });
      }
    } else {
      const sinceLast = now.getTime() - lastEdgeSuccess!.getTime() + MINUTE;
      const windowSeconds = Math.round(
        Math.min(Math.max(sinceLast, 5 * MINUTE), HOUR) / 1000,
      );
      const vector = await this.client.query(
        `${by} (increase(${serviceGraph.query}[${windowSeconds}s])) > 0`,
        now,
      );
      for (const sample of vector) {
        seen.set(seriesKey(sample.metric, serviceGraph.labels), {
          labels: sample.metric,
          firstSeen: now.getTime(),
          lastSeen: now.getTime(),
        });
      }
    }
    if (seen.size === 0) return [];

    const window = serviceGraph.rateWindow;
    const [rates, failed] = await Promise.all([
      this.client.query(
        `${by} (rate(${serviceGraph.query}[${window}])) * 60`,
        now,
      ),
      this.client.query(
        `${by} (rate(${serviceGraph.failedQuery}[${window}])) * 60`,
        now,
      ),
    ]);
    const rpm = byKey(rates, serviceGraph.labels);
    const failedRpm = byKey(failed, serviceGraph.labels);

    const edges: EdgeInput[] = [];
    let unstorable = 0;
    for (const [key, entry] of seen) {
      const clientName = entry.labels[client] ?? '';
      const serverName = entry.labels[server] ?? '';
      const type = entry.labels[connectionType] ?? '';
      if (!clientName || !serverName) continue;
      if (!(CONNECTION_TYPES as readonly string[]).includes(type)) continue;
      // A raw self-loop is never stored (R15); normalizeEdge owns that rule.
      const directed = normalizeEdge(
        {
          client: clientName,
          server: serverName,
          connectionType: type as ConnectionType,
        },
        () => ({ ref: null }),
      );
      if (!directed) continue;

      const edge: EdgeInput = {
        source: this.edgeSource,
        client: clientName,
        server: serverName,
        connectionType: type as ConnectionType,
        firstSeen: new Date(entry.firstSeen).toISOString(),
        lastSeen: new Date(entry.lastSeen).toISOString(),
      };
      const total = rpm.get(key);
      if (total !== undefined && Number.isFinite(total) && total >= 0) {
        edge.requestsPerMinute = round(total);
        const bad = failedRpm.get(key);
        if (bad !== undefined && total > 0 && Number.isFinite(bad)) {
          edge.errorRatio = round(Math.min(1, Math.max(0, bad / total)));
        }
      }
      // The store refuses what a pushed edge may not carry either (a label over the 255
      // characters of its column): one such series would fail its whole batch, and the facts
      // written after the edges with it.
      if (!edgeInputSchema.safeParse(edge).success) {
        unstorable += 1;
        continue;
      }
      edges.push(edge);
    }
    if (unstorable > 0) {
      this.options.logger.warn(
        `prometheus collector: skipped ${unstorable} observed edge(s) the store cannot hold (label longer than 255 characters or otherwise invalid)`,
      );
    }
    return edges.sort((a, b) =>
      compareCodeUnits(
        `${a.client}|${a.server}|${a.connectionType}`,
        `${b.client}|${b.server}|${b.connectionType}`,
      ),
    );
  }

  private async collectSlo(now: Date): Promise<SloData> {
    const { slo } = this.options.settings;
    const read = async (
      query: string,
      usable: (value: number) => boolean = Number.isFinite,
    ) => {
      const map = new Map<string, number>();
      // Two series of one SLO that disagree (replicas, a custom query over two windows): which
      // one came last is chance, so neither is taken and the value reads as unknown.
      const conflicting = new Set<string>();
      for (const sample of await this.client.query(query, now)) {
        const id = sample.metric[slo.idLabel];
        if (!id || !usable(sample.value) || conflicting.has(id)) continue;
        const seen = map.get(id);
        if (seen !== undefined && seen !== sample.value) {
          map.delete(id);
          conflicting.add(id);
        } else map.set(id, sample.value);
      }
      return map;
    };
    const [objective, lastSample, burnRate1h, budgetRemaining] =
      await Promise.all([
        read(slo.objective),
        // The value is a time in seconds and becomes `lastSampleAt`: one out of the Date range
        // would throw in the middle of the writes, so it reads as unknown instead.
        read(slo.lastSample, value => isValidTimeMs(value * 1000)),
        read(slo.burnRate1h),
        read(slo.budgetRemaining),
      ]);
    return { objective, lastSample, burnRate1h, budgetRemaining };
  }

  private async writeEntityFacts(
    now: Date,
    entities: readonly CollectorEntity[],
    aliases: CollectorAliasMap,
    data: {
      presence?: VectorSample[];
      rules?: PrometheusRule[];
      routing?: ((labels: Record<string, string>) => AlertRouting) | null;
      slo?: SloData;
    },
  ): Promise<number> {
    const { settings, sink } = this.options;
    const provenance = (query?: string) => ({
      url: settings.baseUrl,
      ...(query ? { query } : {}),
    });
    let written = 0;
    const write = async (
      entityRef: string,
      kind: string,
      value: JsonObject,
      query?: string,
    ) => {
      await sink.writeFact({
        entityRef,
        source: PROMETHEUS_SOURCE,
        kind,
        value,
        observedAt: now,
        collectedAt: now,
        provenance: provenance(query),
      });
      written += 1;
    };

    const presenceByAlias = new Map<string, number>();
    for (const sample of data.presence ?? []) {
      const name = sample.metric[settings.presence.label]?.toLowerCase();
      if (name) presenceByAlias.set(name, sample.timestampMs);
    }

    for (const entity of entities) {
      if (!FACT_KINDS_IN_SCOPE.has(entity.kind.toLowerCase())) continue;
      const names = aliases.aliasesOf(entity.ref);
      const sloIds = (entity.annotations[SLO_IDS_ANNOTATION] ?? '')
        .split(',')
        .map(s => s.trim())
        .filter(s => s.length > 0);
      if (names.length === 0 && sloIds.length === 0) {
        await sink.recordCollectionStatus({
          entityRef: entity.ref,
          source: PROMETHEUS_SOURCE,
          at: now,
          succeeded: false,
          error: 'join-key-missing',
          detail: 'no telemetry alias and no ops.example.com/slo-ids',
        });
        continue;
      }
      const before = written;

      if (names.length > 0 && data.presence) {
        // A fresh collection that saw nothing is written as `series: []`: absence with coverage.
        const series = names
          .filter(name => presenceByAlias.has(name))
          .map(name => ({
            alias: name,
            lastSampleAt: new Date(presenceByAlias.get(name)!).toISOString(),
          }));
        await write(
          entity.ref,
          'telemetry.presence',
          { aliases: names, series },
          settings.presence.query,
        );
      }

      if (data.rules) {
        if (names.length > 0) {
          const own = data.rules.filter(rule =>
            names.includes(
              (rule.labels[settings.rules.serviceLabel] ?? '').toLowerCase(),
            ),
          );
          await write(entity.ref, 'alerts.rules', {
            rules: own.map(rule => this.ruleValue(rule, data.routing ?? null)),
          });
        }
        if (sloIds.length > 0) {
          const value: JsonObject = {};
          for (const id of sloIds) {
            const burnRateRules = data.rules.filter(
              rule => rule.labels[settings.rules.sloIdLabel] === id,
            );
            value[id] = {
              burnRateRules: burnRateRules.length,
              names: [...new Set(burnRateRules.map(rule => rule.name))].sort(),
            };
          }
          await write(entity.ref, 'slo.alerts', value);
        }
      }

      if (data.slo && sloIds.length > 0) {
        const slo = data.slo;
        const definitions: JsonObject = {};
        const status: JsonObject = {};
        for (const id of sloIds) {
          if (slo.objective.has(id)) {
            definitions[id] = { objective: slo.objective.get(id)! };
          }
          const known = [
            slo.objective,
            slo.lastSample,
            slo.burnRate1h,
            slo.budgetRemaining,
          ].some(m => m.has(id));
          if (!known) continue;
          const last = slo.lastSample.get(id);
          status[id] = {
            lastSampleAt:
              last === undefined ? null : new Date(last * 1000).toISOString(),
            burnRate1h: slo.burnRate1h.has(id)
              ? round(slo.burnRate1h.get(id)!)
              : null,
            budgetRemaining: slo.budgetRemaining.has(id)
              ? round(slo.budgetRemaining.get(id)!)
              : null,
          };
        }
        await write(
          entity.ref,
          'slo.definitions',
          { ids: definitions },
          settings.slo.objective,
        );
        await write(entity.ref, 'slo.status', status);
      }

      await sink.recordCollectionStatus({
        entityRef: entity.ref,
        source: PROMETHEUS_SOURCE,
        at: now,
        succeeded: written > before,
      });
    }
    return written;
  }

  private ruleValue(
    rule: PrometheusRule,
    routing: ((labels: Record<string, string>) => AlertRouting) | null,
  ): JsonObject {
    const { rules } = this.options.settings;
    const labels: JsonObject = {
      service: rule.labels[rules.serviceLabel] ?? '',
    };
    if (rule.labels[rules.teamLabel])
      labels.team = rule.labels[rules.teamLabel];
    if (rule.labels[rules.sloIdLabel])
      labels.slo_id = rule.labels[rules.sloIdLabel];
    if (rule.labels.severity) labels.severity = rule.labels.severity;
    const routed = routing?.({ ...rule.labels, alertname: rule.name });
    return {
      name: rule.name,
      group: rule.group,
      labels,
      // Without Alertmanager the routing is unknown, never assumed (§4.3).
      receivers: routed ? routed.receivers : null,
      defaultReceiver: routed ? routed.defaultReceiver : null,
    };
  }
}

function describeFailures(failed: Partial<Record<Step, string>>): string {
  return Object.entries(failed)
    .map(([step, message]) => `${step}: ${message}`)
    .join('; ');
}

function seriesKey(
  metric: Record<string, string>,
  labels: { client: string; server: string; connectionType: string },
): string {
  return `${metric[labels.client] ?? ''}\u0000${
    metric[labels.server] ?? ''
  }\u0000${metric[labels.connectionType] ?? ''}`;
}

function byKey(
  samples: VectorSample[],
  labels: { client: string; server: string; connectionType: string },
): Map<string, number> {
  return new Map(samples.map(s => [seriesKey(s.metric, labels), s.value]));
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
