import { Client } from 'pg';
import { localPostgresObserver } from './localPostgresObserver';

// Against a real PostgreSQL: the one CI starts for the unit stage (TestDatabases' variable), or
// GOLDEN_PATHS_TEST_PG_URL. Skipped with a reason when neither is set.
const url =
  process.env.GOLDEN_PATHS_TEST_PG_URL ||
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
if (!url) {
  // eslint-disable-next-line no-console
  console.info(
    'Skipping localPostgresObserver: no PostgreSQL configured (set GOLDEN_PATHS_TEST_PG_URL or BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING).',
  );
}
const describeWithPostgres = url ? describe : describe.skip;

jest.setTimeout(30_000);

describeWithPostgres('localPostgresObserver (§8 step 4)', () => {
  const database = `gp_observer_${process.pid}_${Date.now()}`;
  const KEY = `postgres-database:${database}:dev`;
  const admin = () => new Client({ connectionString: url });

  beforeAll(async () => {
    const c = admin();
    await c.connect();
    try {
      await c.query(`CREATE DATABASE ${database}`);
      // what the provisioner's apply writes (LocalPostgresProvisioner)
      await c.query(`COMMENT ON DATABASE ${database} IS 'gp:request=${KEY}'`);
    } finally {
      await c.end();
    }
  });

  afterAll(async () => {
    const c = admin();
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS ${database}`);
    } finally {
      await c.end();
    }
  });

  it('finds the database carrying the request’s marker, and no other request’s', async () => {
    const observer = localPostgresObserver(url!);
    expect(observer.provisioner).toBe('local-postgres');
    await expect(observer.find(KEY)).resolves.toEqual({ state: 'present' });
    await expect(observer.find(`${KEY}x`)).resolves.toEqual({
      state: 'absent',
    });
  });

  it('sees a database dropped by hand as absent', async () => {
    const other = `${database}_gone`;
    const c = admin();
    await c.connect();
    try {
      await c.query(`CREATE DATABASE ${other}`);
      await c.query(`COMMENT ON DATABASE ${other} IS 'gp:request=${KEY}:gone'`);
      const observer = localPostgresObserver(url!);
      await expect(observer.find(`${KEY}:gone`)).resolves.toEqual({
        state: 'present',
      });
      await c.query(`DROP DATABASE ${other}`);
      await expect(observer.find(`${KEY}:gone`)).resolves.toEqual({
        state: 'absent',
      });
    } finally {
      await c.query(`DROP DATABASE IF EXISTS ${other}`);
      await c.end();
    }
  });
});

describe('localPostgresObserver without a server', () => {
  it('throws, which the reconciler records as unknown', async () => {
    await expect(
      localPostgresObserver('postgresql://nobody@127.0.0.1:1/postgres').find(
        'postgres-database:x:dev',
      ),
    ).rejects.toThrow();
  });
});
