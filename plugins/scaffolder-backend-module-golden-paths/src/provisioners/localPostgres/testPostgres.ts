/**
 * The PostgreSQL the `local-postgres` tests run against: `GOLDEN_PATHS_TEST_PG_URL`, else the
 * server CI starts for the unit stage (`BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING`,
 * `.ci/test-all.sh`). Undefined when neither is set: those tests are skipped with a reason.
 */
export function testPostgresUrl(): string | undefined {
  return (
    process.env.GOLDEN_PATHS_TEST_PG_URL ||
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ||
    undefined
  );
}

/** Says why a PostgreSQL suite is skipped; returns whether it runs. */
export function postgresAvailable(suite: string): boolean {
  if (testPostgresUrl()) return true;
  // eslint-disable-next-line no-console
  console.info(
    `Skipping "${suite}": no PostgreSQL configured (set GOLDEN_PATHS_TEST_PG_URL or BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING).`,
  );
  return false;
}
