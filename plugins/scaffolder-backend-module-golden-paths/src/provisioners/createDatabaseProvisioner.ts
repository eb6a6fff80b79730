import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { DatabaseProvisioner } from './DatabaseProvisioner';
import { LocalPostgresProvisioner } from './localPostgres/LocalPostgresProvisioner';

/**
 * The provisioner `goldenPaths.database.provisioner` names (§9; default `local-postgres`), or
 * undefined when it is not configured or not available here: the database actions then refuse
 * with a message naming the missing setting, and every other golden path keeps working.
 */
export function createDatabaseProvisioner(
  config: Config,
  logger?: LoggerService,
): DatabaseProvisioner | undefined {
  const id =
    config.getOptionalString('goldenPaths.database.provisioner') ??
    'local-postgres';
  if (id === 'local-postgres') {
    const provisioner = LocalPostgresProvisioner.fromConfig(config);
    if (!provisioner) {
      logger?.info(
        'goldenpath:database:* disabled: goldenPaths.database.local.connection is not set',
      );
    }
    return provisioner;
  }
  logger?.warn(
    `goldenPaths.database.provisioner "${id}" is not available in this module; goldenpath:database:* will refuse`,
  );
  return undefined;
}
