import { createHash } from 'node:crypto';
import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Waiver } from '@internal/plugin-scorecards-common';
import { parseActiveWaivers } from './parseActiveWaivers';

/**
 * Active waivers as last read from the scorecards backend (§7.5: read every 60 s), so the
 * stamped level agrees with the API. A failed read keeps the previous list. Before the first
 * successful read the list is unknown (`current()` is undefined), not empty: evaluated as if
 * there were none, every waived entity dropped a level after each restart until the backend
 * answered, and history recorded the drop as the team's regression.
 */
export class ActiveWaiverCache {
  private waivers: Waiver[] | undefined;
  private contentVersion = '';
  /** Refreshes started, and the latest of them that applied its list. */
  private started = 0;
  private applied = 0;

  constructor(private readonly load: () => Promise<Waiver[]>) {}

  /** Waivers of the last successful read; undefined before the first one. */
  current(): readonly Waiver[] | undefined {
    return this.waivers;
  }

  /** Changes exactly when the list does (to reuse evaluations across unchanged reads). */
  version(): string {
    return this.contentVersion;
  }

  /**
   * Replaces the list; rejects when the backend cannot be read. A refresh that a later one
   * overtook (a read answering after the task's timeout, and the next run's after it) applies
   * nothing: its list is older than the one held.
   */
  async refresh(): Promise<number> {
    const refresh = ++this.started;
    const waivers = await this.load();
    if (this.applied > refresh) return this.waivers?.length ?? 0;
    this.applied = refresh;
    this.waivers = waivers;
    this.contentVersion = createHash('sha1')
      .update(JSON.stringify(waivers))
      .digest('base64');
    return waivers.length;
  }

  /** Reads `GET /api/scorecards/waivers?status=active` with the module's own credentials. */
  static fromBackend(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    logger?: LoggerService;
  }): ActiveWaiverCache {
    return new ActiveWaiverCache(async () => {
      const baseUrl = await options.discovery.getBaseUrl('scorecards');
      const { token } = await options.auth.getPluginRequestToken({
        onBehalfOf: await options.auth.getOwnServiceCredentials(),
        targetPluginId: 'scorecards',
      });
      const response = await fetch(`${baseUrl}/waivers?status=active`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) {
        throw new Error(
          `GET ${baseUrl}/waivers answered ${response.status} ${response.statusText}`,
        );
      }
      const { waivers, dropped } = parseActiveWaivers(await response.json());
      if (dropped > 0) {
        options.logger?.warn(
          `scorecards: left out ${dropped} malformed waiver(s) of GET ${baseUrl}/waivers`,
        );
      }
      return waivers;
    });
  }
}
