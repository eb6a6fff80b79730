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
  const id = provisionerId(config);
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

/** What is missing for database requests when `createDatabaseProvisioner` gave none (GP-U03). */
export interface ProvisionerGap {
  /** The setting to name, as the refusal's field. */
  setting: string;
  why: string;
  fix: string;
}

/**
 * Why `createDatabaseProvisioner(config)` gives no provisioner, in GP-U03's words, so that
 * `goldenpath:validate` refuses a database request at preflight — before its request key is
 * claimed — instead of the plan step failing after it.
 */
export function provisionerGap(config: Config): ProvisionerGap {
  const id = provisionerId(config);
  if (id === 'local-postgres') {
    return {
      setting: 'goldenPaths.database.local.connection',
      why: 'the local-postgres provisioner has no server: goldenPaths.database.local.connection is not set',
      fix: 'set it to an admin connection (CREATEDB, CREATEROLE)',
    };
  }
  return {
    setting: 'goldenPaths.database.provisioner',
    why: `goldenPaths.database.provisioner "${id}" is not available in this module`,
    fix: 'set goldenPaths.database.provisioner to local-postgres',
  };
}

function provisionerId(config: Config): string {
  return (
    config.getOptionalString('goldenPaths.database.provisioner') ??
    'local-postgres'
  );
}
