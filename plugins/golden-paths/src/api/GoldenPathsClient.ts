import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { Transition } from '@internal/plugin-golden-paths-common';
import type {
  Approval,
  ApprovalsInbox,
  CompensateInput,
  CompensationReport,
  DecisionInput,
  DecisionResult,
  GoldenPathsApi,
  KillSwitchInput,
  KillSwitchScope,
  KillSwitchView,
  LastDryRunAnswer,
  LifecycleGatesAnswer,
  RequestDetail,
  RequestsPage,
  RequestsQuery,
  StepRepairInput,
  StepRepairResult,
} from './GoldenPathsApi';

/** Calls `/api/golden-paths` through the app's discovery and (authenticated) fetch APIs. */
export class GoldenPathsClient implements GoldenPathsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getApprovalsInbox(): Promise<ApprovalsInbox> {
    // Not `mine=true`: that drops the caller's own requests, which the inbox lists separately
    // (break-glass, §6.2 rule 8).
    const body = await this.request<{ items: Approval[]; truncated?: boolean }>(
      'approvals',
      { query: { status: 'pending' } },
    );
    // A backend before `truncated` answered up to 500 without saying whether there were more.
    return { items: body.items, truncated: body.truncated === true };
  }

  async decide(
    approvalId: string,
    input: DecisionInput,
  ): Promise<DecisionResult> {
    return this.request<DecisionResult>(
      `approvals/${encodeURIComponent(approvalId)}/decisions`,
      { method: 'POST', body: input },
    );
  }

  async getRequests(query: RequestsQuery = {}): Promise<RequestsPage> {
    // The backend answers one page (100 by default) with `nextCursor` when more follow.
    const body = await this.request<RequestsPage>('requests', {
      query: { ...query },
    });
    return {
      items: body.items,
      ...(body.nextCursor ? { nextCursor: body.nextCursor } : {}),
    };
  }

  async getRequest(requestKey: string): Promise<RequestDetail> {
    return this.request<RequestDetail>(
      `requests/${encodeURIComponent(requestKey)}`,
    );
  }

  async getLifecycleGates(
    entityRef: string,
    transition: Transition,
  ): Promise<LifecycleGatesAnswer> {
    return this.request<LifecycleGatesAnswer>('lifecycle/gates', {
      query: {
        entityRef: entityRef.toLocaleLowerCase('en-US'),
        to: transition,
      },
    });
  }

  async compensate(
    requestKey: string,
    input: CompensateInput,
  ): Promise<CompensationReport> {
    // The backend treats a bare POST as a dry run; say which one is meant either way.
    return this.request<CompensationReport>(
      `requests/${encodeURIComponent(requestKey)}/compensate`,
      {
        method: 'POST',
        query: { dryRun: String(input.dryRun) },
        body: {
          ...(input.reason ? { reason: input.reason } : {}),
          ...(input.planDigest ? { planDigest: input.planDigest } : {}),
        },
      },
    );
  }

  async repairStep(
    requestKey: string,
    stepId: string,
    input: StepRepairInput,
  ): Promise<StepRepairResult> {
    return this.request<StepRepairResult>(
      `requests/${encodeURIComponent(requestKey)}/steps/${encodeURIComponent(
        stepId,
      )}/repair`,
      { method: 'POST', body: input },
    );
  }

  async getKillSwitches(): Promise<KillSwitchView> {
    return this.request<KillSwitchView>('kill-switches');
  }

  async setKillSwitch(
    scope: KillSwitchScope,
    id: string,
    input: KillSwitchInput,
  ): Promise<KillSwitchView> {
    // `all` has no id of its own: the route ignores the segment, so send the scope again.
    const segment = scope === 'all' ? 'all' : encodeURIComponent(id);
    return this.request<KillSwitchView>(`kill-switches/${scope}/${segment}`, {
      method: 'PUT',
      body: input,
    });
  }

  async getLastDryRun(
    scope: KillSwitchScope,
    id: string,
  ): Promise<LastDryRunAnswer> {
    const segment = scope === 'all' ? 'all' : encodeURIComponent(id);
    return this.request<LastDryRunAnswer>(
      `kill-switches/${scope}/${segment}/last-dry-run`,
    );
  }

  private async request<T>(
    path: string,
    options: {
      method?: 'GET' | 'POST' | 'PUT';
      query?: Record<string, string | undefined>;
      body?: unknown;
    } = {},
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('golden-paths');
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== '') params.set(key, value);
    }
    const search = params.toString();
    const res = await this.fetchApi.fetch(
      `${baseUrl}/${path}${search ? `?${search}` : ''}`,
      options.body === undefined
        ? { method: options.method ?? 'GET' }
        : {
            method: options.method ?? 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(options.body),
          },
    );
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }
}

/**
 * The message to show for a failed call: the server's own text for a 4xx/5xx answer (the
 * backend's GP-xxx refusals and field errors, verbatim), else the error's message.
 */
export function errorMessage(error: unknown): string {
  if (ResponseError.is(error)) {
    const cause = error.cause?.message ?? '';
    // Bodies without the `response` member arrive as raw text after the status line.
    const raw = /^Request failed with status \d+[^,]*, (\{.*\})$/s.exec(cause);
    if (raw) {
      try {
        const body = JSON.parse(raw[1]) as { error?: { message?: unknown } };
        if (typeof body.error?.message === 'string') return body.error.message;
      } catch {
        // not JSON: show the text as it came
      }
    }
    return cause || error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * {@link errorMessage} for an action a permission gates: a 403's own text only says the permission
 * "is not allowed", so it also names the permission to ask for and what it would have allowed
 * (`You need goldenpaths.request.compensate to repair a step (…).`).
 */
export function refusalMessage(
  error: unknown,
  permission: string,
  action: string,
): string {
  const message = errorMessage(error);
  if (ResponseError.is(error) && error.statusCode === 403) {
    return `You need ${permission} to ${action} (${message}).`;
  }
  return message;
}
