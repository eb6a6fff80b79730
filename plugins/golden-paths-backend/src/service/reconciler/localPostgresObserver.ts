import { databaseOwnershipMarker } from '@internal/plugin-golden-paths-common';
import { Client } from 'pg';
import type { DatabaseObserver } from './observers';

/**
 * Whether the `local-postgres` provisioner's database of a request still exists (§8 step 4:
 * "database exists (`find`)"): the database carrying the request's ownership marker, read over
 * the provisioner's own admin connection (`goldenPaths.database.local.connection`). Only reads:
 * one `pg_database` query per request, a fresh connection each (a reconciler run visits few
 * databases, every 10 minutes). A server that does not answer throws, which the reconciler
 * records as `unknown`.
 */
export function localPostgresObserver(connection: string): DatabaseObserver {
  return {
    provisioner: 'local-postgres',
    async find(requestKey) {
      const client = new Client({
        connectionString: connection,
        connectionTimeoutMillis: 5_000,
        statement_timeout: 5_000,
      });
      try {
        await client.connect();
        const found = await client.query(
          `SELECT 1 FROM pg_database d
            WHERE shobj_description(d.oid, 'pg_database') = $1
            LIMIT 1`,
          [databaseOwnershipMarker(requestKey)],
        );
        return found.rowCount ? { state: 'present' } : { state: 'absent' };
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  };
}
