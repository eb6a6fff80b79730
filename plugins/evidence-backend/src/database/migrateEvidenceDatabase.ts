import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-evidence-backend',
  'migrations',
);

/** Brings the evidence schema (§2.8) up to date; safe to call on every start and replica. */
export async function migrateEvidenceDatabase(knex: Knex): Promise<void> {
  await knex.migrate.latest({
    directory: migrationsDir,
    tableName: 'evidence_knex_migrations',
  });
}
