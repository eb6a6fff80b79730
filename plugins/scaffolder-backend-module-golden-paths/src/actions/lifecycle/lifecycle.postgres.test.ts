import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { DatabasePlanRequest } from '../../provisioners/DatabaseProvisioner';
import { LocalPostgresProvisioner } from '../../provisioners/localPostgres/LocalPostgresProvisioner';
import {
  postgresAvailable,
  testPostgresUrl,
} from '../../provisioners/localPostgres/testPostgres';
import {
  deleteFlow,
  infraWorld,
  requestKeyOf,
  type ResourceSpec,
} from '../../__testUtils__/databaseDeleteWorld';

// CREATE/DROP DATABASE with fsync on takes seconds on a loaded 2-core machine.
jest.setTimeout(60_000);

const SUITE =
  'deleting a database Resource through local-postgres on a real PostgreSQL (golden-paths.md §7.1)';
const describePg = postgresAvailable(SUITE) ? describe : describe.skip;

const LOCAL = { provider: 'local', service: 'postgres' };

describePg(SUITE, () => {
  const url = testPostgresUrl()!;
  let admin: Client;
  let secretsDir: string;
  let world: Awaited<ReturnType<typeof infraWorld>> | undefined;
  const created: string[] = [];

  beforeAll(async () => {
    admin = new Client({ connectionString: url });
    await admin.connect();
    secretsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-destroy-secrets-'));
  });
  afterEach(() => world?.cleanup());
  afterAll(async () => {
    for (const id of created) {
      await admin.query(`DROP DATABASE IF EXISTS "${id}"`);
      await admin.query(`DROP ROLE IF EXISTS "${id}_app"`);
    }
    await admin.end();
    fs.rmSync(secretsDir, { recursive: true, force: true });
  });

  const provisioner = (moduleVersion = '1.0.0') =>
    new LocalPostgresProvisioner({
      connection: url,
      secretsDir,
      moduleVersion,
    });

  /** A Resource whose database local-postgres created for its request (fresh names per test). */
  async function provisioned(environment: 'dev' | 'prod') {
    const name = `t${randomBytes(4).toString('hex')}-db`;
    const resource: ResourceSpec = {
      name: `${name}-${environment}`,
      environment,
      hosting: LOCAL,
    };
    const id = resource.name.replace(/-/g, '_');
    created.push(id);
    const req: DatabasePlanRequest = {
      requestKey: requestKeyOf(resource),
      resourceName: resource.name,
      owner: 'group:default/checkout-team',
      estimate: {
        sku: 'example.rds-postgres.m',
        instances: 1,
        computeMonthly: '146.00',
        storageMonthly: '2.30',
        total: '148.30',
        threshold: '500.00',
        maxMonthly: '2000.00',
        overThreshold: false,
        overLimit: false,
        priceBookVersion: '2026.11.0',
      },
      request: {
        name,
        component: 'component:default/cart-api',
        environment,
        databaseTier: environment === 'prod' ? 'production-standard' : 'dev',
        size: 'm',
        storageGiB: 20,
        extraReadReplicas: 0,
        engineVersion: '16',
        region: 'eu-west-1',
        dataClassification: 'low',
        costCenter: 'CC-1042',
        purpose: 'Cart line items and guest sessions.',
        additionalAccess: [],
      },
    };
    const p = provisioner();
    await p.apply(await p.plan(req, { dryRun: false }), {
      dryRun: false,
      requestKey: req.requestKey,
    });
    return { resource, id };
  }

  const exists = async (id: string) => ({
    database:
      (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [id]))
        .rowCount === 1,
    role:
      (
        await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [
          `${id}_app`,
        ])
      ).rowCount === 1,
  });

  it('delete drops the database and its role, then the Resource leaves the repository', async () => {
    const { resource, id } = await provisioned('dev');
    world = await infraWorld([resource]);
    const flow = deleteFlow({ world, provisioner: provisioner() });
    const shown = await flow.preview(resource.name);
    expect(shown.plan.changes).toEqual({
      add: 0,
      change: 0,
      destroy: 2,
      replace: 0,
    });
    flow.approvals.approve(shown.planDigest);
    await flow.lifecycle(resource.name, shown.planDigest);
    expect(await exists(id)).toEqual({ database: false, role: false });
    expect(
      fs.existsSync(path.join(secretsDir, 'gp', resource.name, 'app.json')),
    ).toBe(false);
    expect(world.files()).toEqual(['catalog-info.yaml']);
    expect(flow.doneSteps()).toEqual(['lifecycle:destroy', 'lifecycle']);
    expect(flow.changes[0].attributes.plan).toEqual({
      add: 0,
      change: 0,
      destroy: 2,
      replace: 0,
    });
  });

  it('dry run drops nothing', async () => {
    const { resource, id } = await provisioned('dev');
    world = await infraWorld([resource]);
    const flow = deleteFlow({ world, provisioner: provisioner() });
    const shown = await flow.preview(resource.name, { isDryRun: true });
    await flow.lifecycle(resource.name, shown.planDigest, { isDryRun: true });
    expect(await exists(id)).toEqual({ database: true, role: true });
    expect(world.commits()).toBe('1');
  });

  it('a destroy plan whose digest changed since approval is GP-A03; nothing is dropped', async () => {
    const { resource, id } = await provisioned('dev');
    world = await infraWorld([resource]);
    const flow = deleteFlow({
      world,
      provisioner: provisioner('1.0.0'),
      // the module was upgraded between approval and apply
      lifecycleProvisioner: provisioner('1.1.0'),
    });
    const shown = await flow.preview(resource.name);
    flow.approvals.approve(shown.planDigest);
    await expect(
      flow.lifecycle(resource.name, shown.planDigest),
    ).rejects.toThrow(/^GP-A03: /);
    expect(await exists(id)).toEqual({ database: true, role: true });
    expect(world.commits()).toBe('1');
  });

  it("a role left behind by another request (the database gone) is not this Resource's to drop; nothing is dropped or unregistered", async () => {
    const { resource, id } = await provisioned('dev');
    world = await infraWorld([resource]);
    await admin.query(`DROP DATABASE "${id}"`);
    await admin.query(
      `COMMENT ON ROLE "${id}_app" IS 'gp:request=postgres-database:other:dev'`,
    );
    const flow = deleteFlow({ world, provisioner: provisioner() });
    const refusal = `resource:default/${
      resource.name
    }: database ${id} was created by request "postgres-database:other:dev", not by this Resource's request "${requestKeyOf(
      resource,
    )}". Nothing was changed.`;
    await expect(flow.preview(resource.name)).rejects.toThrow(refusal);
    await expect(flow.lifecycle(resource.name, undefined)).rejects.toThrow(
      refusal,
    );
    expect(await exists(id)).toEqual({ database: false, role: true });
    expect(world.commits()).toBe('1');
    expect(flow.approvals.opened).toEqual([]);
  });

  it('prod is refused (local-postgres takes no final snapshot) with nothing dropped', async () => {
    const { resource, id } = await provisioned('prod');
    world = await infraWorld([resource]);
    const flow = deleteFlow({ world, provisioner: provisioner() });
    await expect(flow.preview(resource.name)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('local-postgres takes no snapshots'),
    });
    await expect(
      flow.lifecycle(resource.name, undefined),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('Nothing was dropped.'),
    });
    expect(await exists(id)).toEqual({ database: true, role: true });
    expect(world.commits()).toBe('1');
    expect(flow.approvals.opened).toEqual([]);
  });

  it('a rerun after a failure converges: the database is gone, the second destroy plans no-op, the Resource leaves', async () => {
    const { resource, id } = await provisioned('dev');
    world = await infraWorld([resource]);
    const flow = deleteFlow({ world, provisioner: provisioner() });
    const shown = await flow.preview(resource.name);
    flow.approvals.approve(shown.planDigest);
    // dropped, then the ledger never hears that the step is done
    const complete = flow.ledger.ledger.completeStep.bind(flow.ledger.ledger);
    flow.ledger.ledger.completeStep = async (key, stepId, body) => {
      if (body.taskId === 'task-1' && body.status === 'done')
        throw new Error('ledger unavailable');
      return complete(key, stepId, body);
    };
    await expect(
      flow.lifecycle(resource.name, shown.planDigest, { taskId: 'task-1' }),
    ).rejects.toThrow('ledger unavailable');
    expect(await exists(id)).toEqual({ database: false, role: false });
    expect(world.files()).toContain(`resources/${resource.name}.yaml`);

    await flow.lifecycle(resource.name, shown.planDigest, {
      taskId: 'task-2',
      mode: 'resume',
    });
    expect(await exists(id)).toEqual({ database: false, role: false });
    expect(world.files()).toEqual(['catalog-info.yaml']);
    expect(flow.changes.map(c => c.attributes.plan.destroy)).toEqual([2, 0]);
  });
});
