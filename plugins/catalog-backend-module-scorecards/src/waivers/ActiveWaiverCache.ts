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
 * stamped level agrees with the API. A failed read keeps the previous list; before the first
 * read there are none, which can only make a level lower, never higher.
 */
export class ActiveWaiverCache {
  private waivers: Waiver[] = [];
  private contentVersion = '[]';

  constructor(private readonly load: () => Promise<Waiver[]>) {}

  /** Waivers of the last successful read. */
  current(): readonly Waiver[] {
    return this.waivers;
  }

  /** Changes exactly when the list does (to reuse evaluations across unchanged reads). */
  version(): string {
    return this.contentVersion;
  }

  /** Replaces the list; rejects when the backend cannot be read. */
  async refresh(): Promise<number> {
    this.waivers = await this.load();
    this.contentVersion = createHash('sha1')
      .update(JSON.stringify(this.waivers))
      .digest('base64');
    return this.waivers.length;
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
