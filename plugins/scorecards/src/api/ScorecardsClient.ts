import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type { RollupRow } from '@internal/plugin-scorecards-common';
import type {
  EntityScorecardResponse,
  RollupGroupBy,
  ScorecardHistory,
  ScorecardHistoryQuery,
  ScorecardsApi,
} from './ScorecardsApi';

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

  async getRollups(groupBy: RollupGroupBy) {
    const res = await this.get('rollups', { groupBy, format: 'json' });
    const body = (await res.json()) as { items: RollupRow[] };
    return body.items;
  }

  async getRollupsCsv(groupBy: RollupGroupBy) {
    const res = await this.get('rollups', { groupBy, format: 'csv' });
    return res.text();
  }

  private async get(path: string, query: object = {}): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('scorecards');
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') {
        params.set(key, String(value));
      }
    }
    const search = params.toString();
    const res = await this.fetchApi.fetch(
      `${baseUrl}/${path}${search ? `?${search}` : ''}`,
    );
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
