/** Why a Prometheus (or Alertmanager) call failed; the first three make a source unavailable. */
export type PrometheusFailure =
  | 'unreachable'
  | 'timeout'
  | 'server-error'
  | 'bad-request'
  | 'bad-response';

/** A failed HTTP API call, classified for source health (§2.6). */
export class PrometheusApiError extends Error {
  readonly name = 'PrometheusApiError';
  constructor(
    readonly failure: PrometheusFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }

  /** Connection errors, timeouts and 5xx say the source is down, not that a query is wrong. */
  get sourceDown(): boolean {
    return (
      this.failure === 'unreachable' ||
      this.failure === 'timeout' ||
      this.failure === 'server-error'
    );
  }
}

/** One series of an instant vector. */
export interface VectorSample {
  metric: Record<string, string>;
  /** Evaluation timestamp in ms. */
  timestampMs: number;
  value: number;
}

/** One series of a range matrix. */
export interface MatrixSeries {
  metric: Record<string, string>;
  values: { timestampMs: number; value: number }[];
}

/** An alerting or recording rule from `/api/v1/rules`. */
export interface PrometheusRule {
  name: string;
  group: string;
  type: 'alerting' | 'recording';
  labels: Record<string, string>;
}

/** Options of {@link PrometheusClient}. */
export interface PrometheusClientOptions {
  baseUrl: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * A small client of the Prometheus HTTP API (`/api/v1/query`, `/api/v1/query_range`,
 * `/api/v1/rules`) and of Alertmanager's `/api/v2/status`, each call bounded by a timeout.
 */
export class PrometheusClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: PrometheusClientOptions) {
    assertNoUrlCredentials(options.baseUrl, 'baseUrl');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** Instant query at `time`. */
  async query(promql: string, time: Date): Promise<VectorSample[]> {
    const data = await this.call<{ resultType: string; result: unknown[] }>(
      '/api/v1/query',
      { query: promql, time: seconds(time) },
    );
    if (data.resultType !== 'vector') {
      throw new PrometheusApiError(
        'bad-response',
        `query returned ${data.resultType}, expected vector: ${promql}`,
      );
    }
    const samples: VectorSample[] = [];
    for (const r of data.result as {
      metric?: Record<string, string>;
      value?: [unknown, unknown];
    }[]) {
      const point = toPoint(r.value);
      if (point) samples.push({ metric: r.metric ?? {}, ...point });
    }
    return samples;
  }

  /** Range query over `[start, end]` with `stepSeconds`. */
  async queryRange(
    promql: string,
    start: Date,
    end: Date,
    stepSeconds: number,
  ): Promise<MatrixSeries[]> {
    const data = await this.call<{ resultType: string; result: unknown[] }>(
      '/api/v1/query_range',
      {
        query: promql,
        start: seconds(start),
        end: seconds(end),
        step: String(stepSeconds),
      },
    );
    if (data.resultType !== 'matrix') {
      throw new PrometheusApiError(
        'bad-response',
        `range query returned ${data.resultType}, expected matrix: ${promql}`,
      );
    }
    return (
      data.result as {
        metric?: Record<string, string>;
        values?: [unknown, unknown][];
      }[]
    ).map(r => ({
      metric: r.metric ?? {},
      values: (r.values ?? []).flatMap(pair => toPoint(pair) ?? []),
    }));
  }

  /** Alerting rules of every rule group. */
  async alertingRules(): Promise<PrometheusRule[]> {
    const data = await this.call<{
      groups: {
        name: string;
        rules: {
          name: string;
          type: string;
          labels?: Record<string, string>;
        }[];
      }[];
    }>('/api/v1/rules', { type: 'alert' });
    const rules: PrometheusRule[] = [];
    for (const group of data.groups ?? []) {
      for (const rule of group.rules ?? []) {
        if (rule.type !== 'alerting') continue;
        rules.push({
          name: rule.name,
          group: group.name,
          type: 'alerting',
          labels: rule.labels ?? {},
        });
      }
    }
    return rules;
  }

  private async call<T>(
    path: string,
    params: Record<string, string>,
  ): Promise<T> {
    const body = await requestJson(
      this.fetchImpl,
      `${this.baseUrl}${path}?${new URLSearchParams(params)}`,
      this.options.headers,
      this.timeoutMs,
    );
    const envelope = body as {
      status?: string;
      data?: T;
      error?: string;
      warnings?: unknown;
    };
    if (envelope.status !== 'success' || envelope.data === undefined) {
      throw new PrometheusApiError(
        'bad-response',
        `${path}: ${envelope.error ?? 'status is not success'}`,
      );
    }
    // Thanos and Cortex answer `success` with what the stores they reached hold, and say so in
    // a warning: taken as complete, a missing rule group or series would read as "none".
    const partial = Array.isArray(envelope.warnings)
      ? envelope.warnings.find(
          (w): w is string => typeof w === 'string' && /partial/i.test(w),
        )
      : undefined;
    if (partial) {
      throw new PrometheusApiError(
        'bad-response',
        `${path}: partial response (${partial.slice(0, 200)})`,
      );
    }
    return envelope.data;
  }
}

/** Reads Alertmanager's running configuration (`GET /api/v2/status` → `config.original`). */
export async function fetchAlertmanagerConfig(options: {
  alertmanagerUrl: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): Promise<string> {
  assertNoUrlCredentials(options.alertmanagerUrl, 'alertmanagerUrl');
  const body = (await requestJson(
    options.fetch ?? fetch,
    `${options.alertmanagerUrl.replace(/\/+$/, '')}/api/v2/status`,
    options.headers,
    options.timeoutMs ?? 30_000,
  )) as { config?: { original?: unknown } };
  if (typeof body.config?.original !== 'string') {
    throw new PrometheusApiError(
      'bad-response',
      'alertmanager /api/v2/status has no config.original',
    );
  }
  return body.config.original;
}

/**
 * Refuses a URL that carries credentials (`http://user:token@host`). The URL is stored as fact
 * provenance and appears in errors that become source health and log lines, so a token in it
 * would leak; credentials belong in `evidence.prometheus.headers`. The message never repeats
 * the URL.
 */
export function assertNoUrlCredentials(url: string, setting: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${setting} is not an absolute URL`);
  }
  if (parsed.username || parsed.password) {
    throw new Error(
      `${setting} must not contain credentials (user:password@); send them as a header in evidence.prometheus.headers, for example Authorization: Bearer \${PROMETHEUS_TOKEN}`,
    );
  }
}

async function requestJson(
  fetchImpl: typeof fetch,
  url: string,
  headers: Record<string, string> | undefined,
  timeoutMs: number,
): Promise<unknown> {
  const { pathname } = new URL(url);
  let response: Response;
  try {
    response = await fetchImpl(url, {
      headers: { accept: 'application/json', ...headers },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const name = (error as Error)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new PrometheusApiError(
        'timeout',
        `${pathname}: no answer within ${timeoutMs} ms`,
      );
    }
    const cause = (error as { cause?: { code?: string } })?.cause?.code;
    throw new PrometheusApiError(
      'unreachable',
      `${pathname}: ${cause ?? (error as Error)?.message ?? String(error)}`,
    );
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new PrometheusApiError(
      'unreachable',
      `${pathname}: ${(error as Error).message}`,
    );
  }
  if (response.status >= 500 || response.status === 429) {
    throw new PrometheusApiError(
      'server-error',
      `${pathname}: HTTP ${response.status} ${text.slice(0, 200)}`,
      response.status,
    );
  }
  if (response.status === 401 || response.status === 403) {
    // An auth failure on every call is the source being unreachable for us (§2.6).
    throw new PrometheusApiError(
      'unreachable',
      `${pathname}: HTTP ${response.status} (check evidence.prometheus.headers)`,
      response.status,
    );
  }
  if (response.status >= 400) {
    throw new PrometheusApiError(
      'bad-request',
      `${pathname}: HTTP ${response.status} ${text.slice(0, 300)}`,
      response.status,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new PrometheusApiError(
      'bad-response',
      `${pathname}: body is not JSON`,
    );
  }
}

/** The largest distance from the epoch a `Date` can hold (ECMAScript time values). */
const MAX_DATE_MS = 8.64e15;

/** Whether `ms` can become a `Date` whose `toISOString()` does not throw. */
export function isValidTimeMs(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS;
}

/**
 * One `[time, "value"]` pair, or undefined when its time is not a usable instant: a sample whose
 * time cannot become a Date would throw `RangeError` later, in the middle of a run's writes.
 * The value is kept as parsed (`NaN`, `±Inf` are real Prometheus values; callers decide).
 */
function toPoint(
  pair: [unknown, unknown] | undefined,
): { timestampMs: number; value: number } | undefined {
  if (!Array.isArray(pair)) return undefined;
  if (typeof pair[0] !== 'number' && typeof pair[0] !== 'string') {
    return undefined;
  }
  const timestampMs = Math.round(Number(pair[0]) * 1000);
  if (!isValidTimeMs(timestampMs)) return undefined;
  return { timestampMs, value: Number(pair[1]) };
}

function seconds(date: Date): string {
  return (date.getTime() / 1000).toFixed(3);
}
