import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  expandPathSteps,
  hasSharedPathSteps,
  hasTabulatedRows,
  untabulateRows,
  type BlastRadiusAnswer,
  type SharedPathSteps,
  type TabulatedRows,
} from '@internal/plugin-incident-brief-common';
import type {
  BlastRadiusQuery,
  BriefQuery,
  BriefResponse,
  ChangesResponse,
  ChangesScope,
  IncidentBriefApi,
  OwnerResponse,
} from './IncidentBriefApi';
import { ownerSectionOf } from './IncidentBriefApi';

/** How long the owner is read from the brief after the backend said it has no `…/owner` route. */
const OWNER_ROUTE_RETRY_MS = 10 * 60_000;

/** Calls `/api/incident-brief` through the app's discovery and (authenticated) fetch APIs. */
export class IncidentBriefClient implements IncidentBriefApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  /**
   * Until when the owner is read from the brief: the backend answered that it has no `…/owner`
   * route (an older backend). Not for good: during a rolling deploy the 404 may come from an old
   * replica, and a portal tab stays open for days.
   */
  private briefForOwnerUntil = 0;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getBrief(entityRef: string, query: BriefQuery = {}) {
    const res = await this.get(entityRef, 'brief', query);
    return (await res.json()) as BriefResponse;
  }

  async getOwner(
    entityRef: string,
    query: Pick<BriefQuery, 'at'> = {},
  ): Promise<OwnerResponse> {
    if (Date.now() >= this.briefForOwnerUntil) {
      try {
        const res = await this.get(entityRef, 'owner', query);
        return (await res.json()) as OwnerResponse;
      } catch (error) {
        // a backend from before `…/owner` has no such route: its brief holds the same section
        // (not asked again for a while: every retry and refresh would cost two requests)
        if (!lacksRoute(error)) throw error;
        this.briefForOwnerUntil = Date.now() + OWNER_ROUTE_RETRY_MS;
      }
    }
    return ownerSectionOf(await this.getBrief(entityRef, query));
  }

  async getBriefMarkdown(entityRef: string, query: BriefQuery = {}) {
    const res = await this.get(entityRef, 'brief.md', query);
    return res.text();
  }

  /**
   * Asks for the wire form `paths=table` (each path step once, rows as arrays of values in named
   * columns: a shared service's 1,000-entity page is ~55 % smaller than the inline form, to send
   * and to parse) and answers the usual form.
   */
  async getBlastRadius(entityRef: string, query: BlastRadiusQuery = {}) {
    let res: Response;
    try {
      res = await this.get(entityRef, 'blast-radius', {
        ...query,
        paths: 'table',
      });
    } catch (error) {
      // a backend from before `paths=table` refuses it (400 naming `paths`): ask the shared form
      if (!refusesForm(error)) throw error;
      res = await this.get(entityRef, 'blast-radius', {
        ...query,
        paths: 'shared',
      });
    }
    const body = (await res.json()) as
      | BlastRadiusAnswer
      | SharedPathSteps<BlastRadiusAnswer>
      | TabulatedRows<BlastRadiusAnswer>;
    if (hasTabulatedRows(body)) return untabulateRows(body);
    // a backend from before `paths=` ignores the parameter and answers inline
    return hasSharedPathSteps(body) ? expandPathSteps(body) : body;
  }

  async getChanges(
    entityRef: string,
    query: BriefQuery & { scope?: ChangesScope } = {},
  ) {
    const res = await this.get(entityRef, 'changes', query);
    return (await res.json()) as ChangesResponse;
  }

  private async get(
    entityRef: string,
    resource: string,
    query: object,
  ): Promise<Response> {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    const baseUrl = await this.discoveryApi.getBaseUrl('incident-brief');
    const path = [kind, namespace, name]
      .map(part => encodeURIComponent(part.toLocaleLowerCase('en-US')))
      .join('/');
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') {
        params.set(key, String(value));
      }
    }
    const search = params.toString();
    const res = await this.fetchApi.fetch(
      `${baseUrl}/entities/${path}/${resource}${search ? `?${search}` : ''}`,
    );
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return res;
  }
}

/** A 400 refusing the `paths` value: the backend predates the form asked. */
function refusesForm(error: unknown): boolean {
  return (
    error instanceof ResponseError &&
    error.statusCode === 400 &&
    /^paths must be one of /.test(error.body?.error?.message ?? '')
  );
}

/**
 * A 404 that is not about the entity (ours all say `entity … not found`): the backend predates
 * the route asked.
 */
function lacksRoute(error: unknown): boolean {
  return (
    error instanceof ResponseError &&
    error.statusCode === 404 &&
    !/^entity /.test(error.body?.error?.message ?? '')
  );
}
