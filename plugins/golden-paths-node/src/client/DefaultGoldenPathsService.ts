import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import type {
  ApprovalStateView,
  GoldenPathsService,
  LedgerRefusal,
  LifecycleGatesAnswer,
  LedgerRequest,
  LedgerStep,
  OpenRequestInput,
  OpenRequestResult,
} from '../GoldenPathsService';
import { isRefusal } from '../GoldenPathsService';
import { asSwitchRefusal } from '@internal/plugin-golden-paths-common';
import { untilAborted } from '@internal/suite-node';

/** What a lifecycle gates answer may decide (`LifecycleGatesAnswer['decision']`). */
const GATE_DECISIONS: ReadonlySet<unknown> = new Set([
  'allow',
  'deny',
  'needs-approval',
  'unknown',
]);

// A scaffolder step waits on the ledger; a backend that accepts the connection and never answers
// would hold the task forever (fetch has no deadline of its own). Ledger calls are small writes
// that answer in milliseconds, so 10 s means the backend is in trouble.

const DEFAULT_TIMEOUT_MS = 10_000;
// Node fires a longer timer at once: every call would fail at once, "after" that deadline.
const MAX_TIMEOUT_MS = 2_147_483_647;

/** Characters of a body that is not JSON kept in an error message (as evidence-node does). */
const MAX_TEXT_IN_MESSAGE = 500;

/**
 * HTTP transport, replaceable in tests. It must honour `signal`: the call's deadline aborts it.
 */
export type GoldenPathsFetch = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string;
    signal?: AbortSignal;
  },
) => Promise<{
  status: number;
  ok: boolean;
  json(): Promise<unknown>;
  text(): Promise<string>;
}>;

/** Talks to the `golden-paths` backend plugin over HTTP with the caller's service token. */
export class DefaultGoldenPathsService implements GoldenPathsService {
  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      /** Portal base URL (`app.baseUrl`) for request links. */
      appBaseUrl: string;
      fetch?: GoldenPathsFetch;
      /**
       * Deadline of one call, answer body included; default 10 s. A call past it rejects with a
       * `ServiceUnavailableError` (`goldenPaths.client.timeoutSeconds` in the default factory).
       */
      timeoutMs?: number;
    },
  ) {}

  /**
   * The client the default factory builds: request links from `app.baseUrl`, the deadline of a
   * call from `goldenPaths.client.timeoutSeconds` (default 10).
   */
  static fromConfig(
    config: RootConfigService,
    deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      fetch?: GoldenPathsFetch;
    },
  ): DefaultGoldenPathsService {
    const key = 'goldenPaths.client.timeoutSeconds';
    const seconds = config.getOptionalNumber(key);
    // A zero or negative deadline would fail every call; say so at startup instead.
    if (seconds !== undefined && !(seconds > 0 && Number.isFinite(seconds))) {
      throw new Error(
        `${key} must be a positive number of seconds (got ${seconds})`,
      );
    }
    if (seconds !== undefined && seconds * 1000 > MAX_TIMEOUT_MS) {
      throw new Error(
        `${key} must be at most ${
          MAX_TIMEOUT_MS / 1000
        } seconds, the longest timer Node keeps (got ${seconds})`,
      );
    }
    return new DefaultGoldenPathsService({
      ...deps,
      appBaseUrl: config.getOptionalString('app.baseUrl') ?? '',
      timeoutMs: seconds === undefined ? undefined : seconds * 1000,
    });
  }

  requestUrl(requestKey: string): string {
    return `${this.deps.appBaseUrl.replace(
      /\/+$/,
      '',
    )}/golden-paths/requests/${encodeURIComponent(requestKey)}`;
  }

  async getRequest(requestKey: string): Promise<LedgerRequest | undefined> {
    const path = `/requests/${enc(requestKey)}`;
    const body = await this.call<{ request: LedgerRequest } | undefined>(
      'GET',
      path,
      undefined,
      { notFoundAsUndefined: true },
    );
    // undefined means "no row": only the backend's 404 may say so, never an answer without one.
    return body === undefined ? undefined : field(body, 'request', 'GET', path);
  }

  async getStep(
    requestKey: string,
    stepId: string,
  ): Promise<LedgerStep | undefined> {
    return (await this.getSteps(requestKey))?.find(s => s.stepId === stepId);
  }

  async getSteps(requestKey: string): Promise<LedgerStep[] | undefined> {
    const path = `/requests/${enc(requestKey)}`;
    const body = await this.call<{ steps: LedgerStep[] } | undefined>(
      'GET',
      path,
      undefined,
      { notFoundAsUndefined: true },
    );
    if (body === undefined) return undefined;
    // an answer without its step list is no answer, not "no steps"
    return field(body, 'steps', 'GET', path);
  }

  async openRequest(
    requestKey: string,
    input: OpenRequestInput,
  ): Promise<OpenRequestResult | LedgerRefusal> {
    const answer: OpenRequestResult | LedgerRefusal = await this.call(
      'POST',
      `/requests/${enc(requestKey)}/open`,
      input,
      { refusalsAsValues: true },
    );
    if (isRefusal(answer) || answer.wouldBeRefusedBy === undefined) {
      return answer;
    }
    // JSON from the backend: only a well-formed refusal reaches the action as one.
    const { wouldBeRefusedBy, ...rest } = answer;
    const refusal = asSwitchRefusal(wouldBeRefusedBy);
    return refusal ? { ...rest, wouldBeRefusedBy: refusal } : rest;
  }

  async claimStep(
    requestKey: string,
    stepId: string,
    input: { fingerprint: string; taskId: string; action?: string },
  ): Promise<{ run: boolean; step: LedgerStep } | LedgerRefusal> {
    const path = `/requests/${enc(requestKey)}/steps/${enc(stepId)}/claim`;
    const answer = await this.call<
      { run: boolean; step: LedgerStep } | LedgerRefusal
    >('POST', path, input, { refusalsAsValues: true });
    if (isRefusal(answer)) return answer;
    // `run: false` replays the step's stored output instead of doing it: only the ledger's own
    // answer may say so.
    field(answer, 'step', 'POST', path);
    if (typeof answer.run !== 'boolean') {
      throw new ServiceUnavailableError(
        `golden-paths POST ${path} answered without "run"; the outcome is unknown: re-read the ledger before retrying`,
      );
    }
    return answer;
  }

  async completeStep(
    requestKey: string,
    stepId: string,
    input: {
      taskId: string;
      status: 'done' | 'failed';
      output?: Record<string, unknown>;
      effectRef?: string;
    },
  ): Promise<LedgerStep> {
    const path = `/requests/${enc(requestKey)}/steps/${enc(stepId)}/complete`;
    const body = await this.call<{ step: LedgerStep }>('POST', path, input);
    return field(body, 'step', 'POST', path);
  }

  async closeRequest(
    requestKey: string,
    input: {
      taskId: string;
      status: 'succeeded' | 'failed';
      outputs?: Record<string, unknown>;
      errorCode?: string;
    },
  ): Promise<LedgerRequest> {
    const path = `/requests/${enc(requestKey)}/close`;
    const body = await this.call<{ request: LedgerRequest }>(
      'POST',
      path,
      input,
    );
    return field(body, 'request', 'POST', path);
  }

  async openApproval(
    requestKey: string,
    input: {
      planDigest: string;
      triggers: { id: string; reasons: readonly string[] }[];
      plan?: Record<string, unknown>;
      action?: string;
    },
  ): Promise<ApprovalStateView> {
    const answer = await this.call<ApprovalStateView | LedgerRefusal>(
      'POST',
      `/requests/${enc(requestKey)}/approvals`,
      input,
      { refusalsAsValues: true },
    );
    // A switch's 409 is the ledger's answer, not a failed call: as a state, every caller stops
    // with its text, audits it and releases the request (a thrown LedgerError did neither).
    return isRefusal(answer)
      ? { status: 'refused', ruleId: answer.ruleId, message: answer.message }
      : answer;
  }

  async lifecycleGates(
    query: {
      entityRef: string;
      to: string;
      replacement?: string;
      sunsetOn?: string;
      reason?: string;
    },
    options?: { credentials?: BackstageCredentials },
  ): Promise<LifecycleGatesAnswer> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v) q.set(k, v);
    const path = `/lifecycle/gates?${q}`;
    const answer = await this.call<LifecycleGatesAnswer>(
      'GET',
      path,
      undefined,
      {
        onBehalfOf: options?.credentials,
      },
    );
    // A transition goes ahead on this answer, so one that does not say what the gates decided
    // is no answer: an object without a decision, gates or approval triggers would otherwise
    // read as "no gate failed, no approval needed".
    const evaluation = answer.evaluation as Partial<
      LifecycleGatesAnswer['evaluation']
    >;
    if (
      !GATE_DECISIONS.has(answer.decision) ||
      !Array.isArray(answer.gates) ||
      typeof evaluation !== 'object' ||
      evaluation === null ||
      !Array.isArray(evaluation.approvalTriggers) ||
      !Array.isArray(evaluation.errors)
    ) {
      throw new ServiceUnavailableError(
        `golden-paths GET ${path} answered without a decision, gates and approval triggers; the gates are unknown, so the transition does not go ahead`,
      );
    }
    return answer;
  }

  private async call<T>(
    method: string,
    path: string,
    body: unknown,
    options: {
      /** A 409 with a rule id is returned as a {@link LedgerRefusal}, not thrown. */
      refusalsAsValues?: boolean;
      /** A 404 is returned as undefined. */
      notFoundAsUndefined?: boolean;
      /** Whose token to send; the plugin's own when not given. */
      onBehalfOf?: BackstageCredentials;
    } = {},
  ): Promise<T> {
    const { refusalsAsValues, notFoundAsUndefined } = options;
    const doFetch = this.deps.fetch ?? (globalThis.fetch as GoldenPathsFetch);
    const timeoutMs = this.deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Discovery and the token are inside the deadline too: a token that never comes would
    // hold the scaffolder task as surely as a backend that never answers.
    const signal = AbortSignal.timeout(timeoutMs);
    let res: Awaited<ReturnType<GoldenPathsFetch>>;
    let text: string;
    let sent = false;
    try {
      const [base, token] = await untilAborted(
        Promise.all([
          this.deps.discovery.getBaseUrl('golden-paths'),
          (options.onBehalfOf
            ? Promise.resolve(options.onBehalfOf)
            : this.deps.auth.getOwnServiceCredentials()
          )
            .then(onBehalfOf =>
              this.deps.auth.getPluginRequestToken({
                onBehalfOf,
                targetPluginId: 'golden-paths',
              }),
            )
            .then(t => t.token),
        ]),
        signal,
      );
      sent = true;
      res = await doFetch(`${base}${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
      text = await res.text();
    } catch (error) {
      if (!signal.aborted) throw error;
      if (!sent) {
        throw new ServiceUnavailableError(
          `golden-paths ${method} ${path} was not sent: no base URL or service token within ` +
            `${timeoutMs} ms; nothing reached the ledger`,
          error,
        );
      }
      // The request may have reached the ledger and been applied before the answer was lost: a
      // retried claim could then find its own claim, so the caller must look before it leaps.
      throw new ServiceUnavailableError(
        `golden-paths ${method} ${path} got no answer within ${timeoutMs} ms; the outcome is ` +
          'unknown (a claim or other write may have landed): re-read the ledger before retrying',
        error,
      );
    }
    let parsed: any;
    let json = true;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      json = false;
      // a proxy's HTML error page: enough to recognise it, not kilobytes of it in a task log
      parsed = {
        error: {
          message:
            text.length > MAX_TEXT_IN_MESSAGE
              ? `${text.slice(0, MAX_TEXT_IN_MESSAGE)}… (${
                  text.length
                } characters)`
              : text,
        },
      };
    }
    if (res.ok) {
      // Every route answers a JSON object; anything else (a proxy's login page) is no answer,
      // not a result (an empty row, a claim granted).
      if (!json || !text || typeof parsed !== 'object' || parsed === null) {
        throw new ServiceUnavailableError(
          `golden-paths ${method} ${path} answered ${res.status} with a body that is not a JSON ` +
            'object; the outcome is unknown: re-read the ledger before retrying',
        );
      }
      return parsed as T;
    }
    // Only the backend's own answer that the thing does not exist: a 404 from a missing route
    // or plugin (no NotFoundError body) is no answer at all and throws below.
    if (
      notFoundAsUndefined &&
      res.status === 404 &&
      parsed?.error?.name === 'NotFoundError'
    ) {
      return undefined as T;
    }
    if (refusalsAsValues && res.status === 409 && parsed?.ruleId) {
      return {
        refused: true,
        ruleId: parsed.ruleId,
        message: parsed.error?.message ?? parsed.ruleId,
      } as T;
    }
    const message = parsed?.error?.message ?? `HTTP ${res.status}`;
    const error = new Error(
      `golden-paths ${method} ${path} failed with ${res.status}: ${message}`,
    );
    error.name = res.status >= 500 ? 'ServiceUnavailableError' : 'LedgerError';
    throw error;
  }
}

function enc(value: string): string {
  return encodeURIComponent(value);
}

/** The named part of a 2xx answer; an answer without it is no answer (a caller would crash). */
function field<T, K extends keyof T>(
  body: T,
  key: K,
  method: string,
  path: string,
): T[K] {
  const value = body[key];
  if (typeof value !== 'object' || value === null) {
    throw new ServiceUnavailableError(
      `golden-paths ${method} ${path} answered without "${String(
        key,
      )}"; the outcome is unknown: re-read the ledger before retrying`,
    );
  }
  return value;
}
