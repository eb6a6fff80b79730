import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type {
  RestrictedWaiver,
  Waiver,
} from '@internal/plugin-scorecards-common';
import type {
  CampaignList,
  CampaignSummaryList,
  CampaignWithProgress,
  NewCampaignBody,
  CheckSummary,
  StandardSummary,
  EntityScorecardResponse,
  RollupGroupBy,
  RollupList,
  RollupOptions,
  RollupHistoryPoint,
  RollupHistoryQuery,
  ScorecardHistory,
  ScorecardHistoryQuery,
  ScorecardsApi,
  WaiverList,
  WaiverQuery,
  WaiverRequestBody,
} from './ScorecardsApi';

/** What a route that takes no query parameters answers `fields` with. */
const TAKES_NONE = /^unknown query parameter fields; this route takes none$/;
/** What `GET /rollups` from before `fields` answers it with. */
const TAKES_OTHERS = /^unknown query parameter fields; /;

/** `includeChildGroups=true` only where the backend takes it (owner rollups). */
function childGroupsParam(groupBy: RollupGroupBy, options: RollupOptions) {
  return groupBy === 'owner' && options.includeChildGroups
    ? { includeChildGroups: 'true' }
    : {};
}

/** The entity filters that are set, as query parameters (unset ones are left out). */
function filterParams(options: RollupOptions): Record<string, string> {
  return Object.fromEntries(
    Object.entries(options.filter ?? {}).filter(
      (e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '',
    ),
  );
}

/** Calls `/api/scorecards` through the app's discovery and (authenticated) fetch APIs. */
export class ScorecardsClient implements ScorecardsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getEntityScorecard(entityRef: string) {
    const res = await this.get(`entities/${entityPath(entityRef)}`);
    return (await res.json()) as EntityScorecardResponse;
  }

  async getHistory(entityRef: string, query: ScorecardHistoryQuery = {}) {
    const res = await this.get(
      `entities/${entityPath(entityRef)}/history`,
      query,
    );
    return (await res.json()) as ScorecardHistory;
  }

  async getRollups(groupBy: RollupGroupBy, options: RollupOptions = {}) {
    const query = {
      groupBy,
      format: 'json',
      ...childGroupsParam(groupBy, options),
      ...filterParams(options),
    };
    let res: Response;
    try {
      res = await this.get('rollups', {
        ...query,
        ...(options.checkCounts === false ? { fields: 'summary' } : {}),
      });
    } catch (error) {
      // a backend from before `fields` refuses it: the rows with their counts, then
      if (!refusesFields(error, TAKES_OTHERS)) throw error;
      res = await this.get('rollups', query);
    }
    const body = (await res.json()) as RollupList;
    return {
      items:
        options.checkCounts === false
          ? body.items.map(row => ({ ...row, checks: {} }))
          : body.items,
      ...(typeof body.waiversExpiringWithinDays === 'number'
        ? { waiversExpiringWithinDays: body.waiversExpiringWithinDays }
        : {}),
    };
  }

  async getRollupsCsv(groupBy: RollupGroupBy, options: RollupOptions = {}) {
    const res = await this.get('rollups', {
      groupBy,
      format: 'csv',
      ...childGroupsParam(groupBy, options),
      ...filterParams(options),
    });
    return res.text();
  }

  async getRollupHistory(
    groupBy: RollupGroupBy,
    key: string,
    query: RollupHistoryQuery = {},
  ) {
    const res = await this.get('rollups/history', { groupBy, key, ...query });
    const body = (await res.json()) as { points: RollupHistoryPoint[] };
    return body.points;
  }

  async getChecks() {
    const res = await this.get('checks');
    const body = (await res.json()) as { items: CheckSummary[] };
    return body.items;
  }

  async getCheckDefinitions() {
    try {
      const res = await this.get('checks', { fields: 'definition' });
      const body = (await res.json()) as {
        items: Pick<CheckSummary, 'definition'>[];
      };
      return body.items.map(c => c.definition);
    } catch (error) {
      // a backend from before `fields` refuses any query parameter on GET /checks
      if (!refusesFields(error, TAKES_NONE)) throw error;
      return (await this.getChecks()).map(c => c.definition);
    }
  }

  async getStandard() {
    const res = await this.get('standard');
    return (await res.json()) as StandardSummary;
  }

  async getCampaigns() {
    const res = await this.get('campaigns');
    const body = (await res.json()) as Partial<CampaignList>;
    // a backend older than `canCreate` offers no creation
    return { items: body.items ?? [], canCreate: body.canCreate === true };
  }

  async getCampaignSummaries(): Promise<CampaignSummaryList> {
    try {
      const res = await this.get('campaigns', { fields: 'summary' });
      const body = (await res.json()) as Partial<CampaignSummaryList>;
      return { items: body.items ?? [], canCreate: body.canCreate === true };
    } catch (error) {
      // a backend from before `fields` refuses any query parameter on GET /campaigns
      if (!refusesFields(error, TAKES_NONE)) throw error;
      return this.getCampaigns();
    }
  }

  async createCampaign(body: NewCampaignBody) {
    const res = await this.post('campaigns', body);
    return (await res.json()) as CampaignWithProgress;
  }

  async getCampaign(id: string) {
    const res = await this.get(`campaigns/${encodeURIComponent(id)}`);
    return (await res.json()) as CampaignWithProgress;
  }

  async listWaivers(query: WaiverQuery = {}) {
    const res = await this.get('waivers', query);
    const body = (await res.json()) as WaiverList;
    const list: WaiverList = { items: body.items };
    // Only a paged read with more to come answers a cursor.
    if (typeof body.nextCursor === 'string') list.nextCursor = body.nextCursor;
    // A backend older than the field answers none: the table then warns at [14, 3].
    if (Array.isArray(body.waiverExpiryWarningDays))
      list.waiverExpiryWarningDays = body.waiverExpiryWarningDays;
    return list;
  }

  async requestWaiver(request: WaiverRequestBody) {
    const res = await this.post('waivers', request);
    return (await res.json()) as Waiver;
  }

  async approveWaiver(id: string, options: { reason?: string } = {}) {
    const res = await this.post(
      `waivers/${encodeURIComponent(id)}/approve`,
      options.reason ? { reason: options.reason } : {},
    );
    return (await res.json()) as Waiver | RestrictedWaiver;
  }

  // The reason is sent as given (an empty one too): the backend answers 400 naming the rule.
  async rejectWaiver(id: string, options: { reason: string }) {
    const res = await this.post(`waivers/${encodeURIComponent(id)}/reject`, {
      reason: options?.reason,
    });
    return (await res.json()) as Waiver | RestrictedWaiver;
  }

  async revokeWaiver(id: string, options: { reason: string }) {
    const res = await this.post(`waivers/${encodeURIComponent(id)}/revoke`, {
      reason: options?.reason,
    });
    return (await res.json()) as Waiver | RestrictedWaiver;
  }

  private async get(path: string, query: object = {}): Promise<Response> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') {
        params.set(key, String(value));
      }
    }
    const search = params.toString();
    return this.send(`${path}${search ? `?${search}` : ''}`);
  }

  private async post(path: string, body: object): Promise<Response> {
    return this.send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  /** Calls the backend; a non-2xx answer becomes a `ResponseError` carrying the server's message. */
  private async send(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('scorecards');
    const url = `${baseUrl}/${path}`;
    const res = await (init
      ? this.fetchApi.fetch(url, init)
      : this.fetchApi.fetch(url));
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return res;
  }
}

function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return [kind, namespace, name]
    .map(part => encodeURIComponent(part.toLocaleLowerCase('en-US')))
    .join('/');
}

/**
 * The 400 of a backend from before `fields`, whose route answers `message` for it: `GET /checks`
 * and `GET /campaigns` take no parameters then, `GET /rollups` others.
 */
function refusesFields(error: unknown, message: RegExp): boolean {
  return (
    error instanceof ResponseError &&
    error.statusCode === 400 &&
    message.test(error.body?.error?.message ?? '')
  );
}
