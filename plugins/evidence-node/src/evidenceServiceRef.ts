import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { EvidenceService } from './EvidenceService';
import { DefaultEvidenceService } from './client/DefaultEvidenceService';
import {
  checkEvidenceClientOptions,
  EVIDENCE_CLIENT_OPTION_KEYS,
  EvidenceClientOptions,
} from './client/clientOptions';
import { readCollectedRepoPaths } from './repo/collectedRepoPaths';

/**
 * Reads `evidence.client.*` (milliseconds, counts); unset keys keep the defaults of evidence
 * §5.4. A value outside its range is refused here, naming the key, so the backend does not
 * start with a client that loops, hangs or times out every call.
 */
export function readEvidenceClientOptions(
  config: Config,
): Partial<EvidenceClientOptions> {
  const client = config.getOptionalConfig('evidence.client');
  if (!client) return {};
  const options: Partial<EvidenceClientOptions> = {};
  for (const key of EVIDENCE_CLIENT_OPTION_KEYS) {
    const value = client.getOptionalNumber(key);
    if (value !== undefined) options[key] = value;
  }
  checkEvidenceClientOptions(options, 'evidence.client.');
  return options;
}

/**
 * The evidence client for backend plugins and catalog modules. The default factory talks to
 * the `evidence` plugin over HTTP with the calling plugin's own service credentials.
 *
 * @public
 */
export const evidenceServiceRef = createServiceRef<EvidenceService>({
  id: 'evidence.client',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      factory({ discovery, auth, config, logger }) {
        const options = readEvidenceClientOptions(config);
        if ((options.ledgerCacheTtlMs ?? 0) > 5_000) {
          logger.warn(
            `evidence.client.ledgerCacheTtlMs ${options.ledgerCacheTtlMs} is above 5000 and is clamped to 5000 so ledger posts show within 5 s`,
          );
        }
        return new DefaultEvidenceService(
          {
            baseUrl: () => discovery.getBaseUrl('evidence'),
            token: async () =>
              (
                await auth.getPluginRequestToken({
                  onBehalfOf: await auth.getOwnServiceCredentials(),
                  targetPluginId: 'evidence',
                })
              ).token,
          },
          { ...options, repoPaths: readCollectedRepoPaths(config), logger },
        );
      },
    }),
});
