import { ConfigReader } from '@backstage/config';
import { createDatabaseProvisioner } from './createDatabaseProvisioner';

describe('createDatabaseProvisioner (goldenPaths.database, §9)', () => {
  it('is undefined without an admin connection', () => {
    expect(createDatabaseProvisioner(new ConfigReader({}))).toBeUndefined();
  });

  it('builds local-postgres from goldenPaths.database.local.connection', () => {
    const p = createDatabaseProvisioner(
      new ConfigReader({
        goldenPaths: {
          database: {
            local: {
              connection: 'postgresql://gp_admin:pw@db.internal:6543/postgres',
            },
          },
          secrets: { local: { dir: '/tmp/gp-secrets' } },
        },
      }),
    );
    expect(p?.id).toBe('local-postgres');
    expect(p?.executionIdentity).toBe('provisioner:local-postgres:gp_admin');
    expect((p as any).endpoint).toBe('db.internal:6543');
  });

  it('is undefined for a provisioner this module does not have', () => {
    expect(
      createDatabaseProvisioner(
        new ConfigReader({
          goldenPaths: { database: { provisioner: 'github-terraform' } },
        }),
      ),
    ).toBeUndefined();
  });
});
