import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { DatabasePlanRequest } from '../DatabaseProvisioner';
import {
  LocalPostgresProvisioner,
  requestMarker,
} from './LocalPostgresProvisioner';
import { verifierMatches } from './scram';
import { postgresAvailable, testPostgresUrl } from './testPostgres';

// CREATE/DROP DATABASE on a real server with fsync on takes seconds on a loaded 2-core machine
// (a CI run timed out at jest's default 5 s in `destroy` and in afterAll's cleanup).
jest.setTimeout(60_000);

const SUITE = 'local-postgres against a real PostgreSQL (golden-paths.md §4.9)';
const describePg = postgresAvailable(SUITE) ? describe : describe.skip;

const estimate = {
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
};

describePg(SUITE, () => {
  const url = testPostgresUrl()!;
  let admin: Client;
  let secretsDir: string;
  const created: string[] = [];

  /** A fresh request per test: names never collide across tests, runs or parallel workers. */
  function request(): DatabasePlanRequest {
    const name = `t${randomBytes(4).toString('hex')}-db`;
    created.push(`${name}-dev`.replace(/-/g, '_'));
    return {
      requestKey: `postgres-database:${name}:dev`,
      resourceName: `${name}-dev`,
      owner: 'group:default/checkout-team',
      system: 'system:default/checkout',
      estimate,
      request: {
        name,
        component: 'component:default/cart-api',
        environment: 'dev',
        databaseTier: 'dev',
        size: 'm',
        storageGiB: 20,
        extraReadReplicas: 0,
        engineVersion: '16',
        region: 'eu-west-1',
        dataClassification: 'low',
        costCenter: 'CC-1042',
        purpose: 'Cart line items and guest sessions.',
        expiresOn: '2026-12-23',
        additionalAccess: [],
      },
    };
  }

  const provisioner = () =>
    new LocalPostgresProvisioner({ connection: url, secretsDir });

  const dbRow = async (id: string) =>
    (
      await admin.query(
        `SELECT pg_get_userbyid(datdba) AS owner,
                shobj_description(oid, 'pg_database') AS comment
           FROM pg_database WHERE datname = $1`,
        [id],
      )
    ).rows[0];
  const roleRow = async (role: string) =>
    (
      await admin.query(
        `SELECT rolname, rolcanlogin, rolpassword,
                shobj_description(oid, 'pg_authid') AS comment
           FROM pg_authid WHERE rolname = $1`,
        [role],
      )
    ).rows[0];

  beforeAll(async () => {
    admin = new Client({ connectionString: url });
    await admin.connect();
    secretsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-secrets-'));
  });

  afterAll(async () => {
    for (const id of created) {
      await admin.query(`DROP DATABASE IF EXISTS "${id}"`);
      await admin.query(`DROP ROLE IF EXISTS "${id}_app"`);
    }
    await admin.end();
    fs.rmSync(secretsDir, { recursive: true, force: true });
  });

  it('plans two creates on a clean server, every rule passing', async () => {
    const req = request();
    const id = req.resourceName.replace(/-/g, '_');
    const plan = await provisioner().plan(req, { dryRun: false });
    expect(plan.resources).toEqual([
      {
        address: `postgresql_role.${id}_app`,
        type: 'postgresql_role',
        action: 'create',
      },
      {
        address: `postgresql_database.${id}`,
        type: 'postgresql_database',
        action: 'create',
      },
    ]);
    expect(plan.changes).toEqual({ add: 2, change: 0, destroy: 0, replace: 0 });
    expect(plan.policy.every(r => r.outcome === 'pass')).toBe(true);
    expect(plan.expected.secretRef).toBe(
      `local-secret://gp/${req.resourceName}/app`,
    );
    expect(JSON.stringify(plan)).not.toMatch(/password"\s*:/i);
  });

  it('creates role, database, marker and a 0600 secret; the password leaves nowhere else', async () => {
    const req = request();
    const id = req.resourceName.replace(/-/g, '_');
    const p = provisioner();
    const plan = await p.plan(req, { dryRun: false });
    const result = await p.apply(plan, {
      dryRun: false,
      requestKey: req.requestKey,
    });
    expect(result).toMatchObject({
      resourceRef: `resource:default/${req.resourceName}`,
      secretRef: `local-secret://gp/${req.resourceName}/app`,
      database: id,
      role: `${id}_app`,
      replayed: false,
    });
    expect(result.endpoint).toMatch(/^[^:@/]+:\d+$/);

    expect(await dbRow(id)).toEqual({
      owner: `${id}_app`,
      comment: requestMarker(req.requestKey),
    });
    const role = await roleRow(`${id}_app`);
    expect(role.rolcanlogin).toBe(true);
    expect(role.comment).toBe(requestMarker(req.requestKey));

    const file = path.join(secretsDir, 'gp', req.resourceName, 'app.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const secret = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(secret).toMatchObject({ username: `${id}_app`, database: id });
    expect(secret.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    // The server holds a SCRAM verifier of that password, never the password itself.
    expect(role.rolpassword).toMatch(/^SCRAM-SHA-256\$4096:/);
    expect(verifierMatches(role.rolpassword, secret.password)).toBe(true);
    expect(JSON.stringify(result)).not.toContain(secret.password);
    expect(JSON.stringify(plan)).not.toContain(secret.password);

    // The application role owns its database.
    const server = new URL(url);
    const app = new Client({
      host: server.hostname,
      port: Number(server.port || 5432),
      user: secret.username,
      password: secret.password,
      database: secret.database,
    });
    await app.connect();
    const who = await app.query(
      'SELECT current_user AS role, current_database() AS db',
    );
    expect(who.rows[0]).toEqual({ role: `${id}_app`, db: id });
    await app.query('CREATE TABLE cart_lines (id int primary key)');
    await app.end();
  });

  it('applying again creates nothing; find() and a re-plan see the database as done', async () => {
    const req = request();
    const p = provisioner();
    const plan = await p.plan(req, { dryRun: false });
    await p.apply(plan, { dryRun: false, requestKey: req.requestKey });
    const file = path.join(secretsDir, 'gp', req.resourceName, 'app.json');
    const before = fs.readFileSync(file, 'utf8');
    const again = await p.apply(plan, {
      dryRun: false,
      requestKey: req.requestKey,
    });
    expect(again.replayed).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    const count = await admin.query(
      `SELECT count(*)::int AS n FROM pg_database WHERE shobj_description(oid, 'pg_database') = $1`,
      [requestMarker(req.requestKey)],
    );
    expect(count.rows[0].n).toBe(1);
    const replan = await p.plan(req, { dryRun: false });
    expect(replan.resources.map(r => r.action)).toEqual(['no-op', 'no-op']);
    expect(await p.find(req.requestKey)).toMatchObject({
      resourceRef: `resource:default/${req.resourceName}`,
      secretRef: `local-secret://gp/${req.resourceName}/app`,
      replayed: true,
    });
    expect(await p.find('postgres-database:nobody:dev')).toBeUndefined();
  });

  it('20 concurrent applies of one request create one database', async () => {
    const req = request();
    const p = provisioner();
    const plan = await p.plan(req, { dryRun: false });
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        p.apply(plan, { dryRun: false, requestKey: req.requestKey }),
      ),
    );
    expect(results.filter(r => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map(r => r.database)).size).toBe(1);
  });

  it('GP-P08: a database of that name without our marker is refused; nothing is changed', async () => {
    const req = request();
    const id = req.resourceName.replace(/-/g, '_');
    const p = provisioner();
    const plan = await p.plan(req, { dryRun: false });
    await admin.query(`CREATE DATABASE "${id}"`);
    const message = `GP-P08: Database ${id} already exists on ${p.endpoint} and was not created by this request. Nothing was changed.`;
    await expect(p.plan(req, { dryRun: false })).rejects.toThrow(message);
    await expect(
      p.apply(plan, { dryRun: false, requestKey: req.requestKey }),
    ).rejects.toThrow(message);
    expect(await roleRow(`${id}_app`)).toBeUndefined();
    expect((await dbRow(id)).comment).toBeNull();
    expect(
      fs.existsSync(path.join(secretsDir, 'gp', req.resourceName, 'app.json')),
    ).toBe(false);
  });

  it('a crash between CREATE DATABASE and the marker converges: the database owned by our role is ours', async () => {
    const req = request();
    const id = req.resourceName.replace(/-/g, '_');
    await admin.query(`CREATE ROLE "${id}_app" LOGIN`);
    await admin.query(
      `COMMENT ON ROLE "${id}_app" IS '${requestMarker(req.requestKey)}'`,
    );
    await admin.query(`CREATE DATABASE "${id}" OWNER "${id}_app"`);
    const p = provisioner();
    const plan = await p.plan(req, { dryRun: false });
    expect(plan.resources.map(r => r.action)).toEqual(['no-op', 'no-op']);
    const result = await p.apply(plan, {
      dryRun: false,
      requestKey: req.requestKey,
    });
    expect(result.replayed).toBe(true);
    expect((await dbRow(id)).comment).toBe(requestMarker(req.requestKey));
    // The secret was lost with the crash: the role got a new password, written first.
    const secret = JSON.parse(
      fs.readFileSync(
        path.join(secretsDir, 'gp', req.resourceName, 'app.json'),
        'utf8',
      ),
    );
    expect(
      verifierMatches(
        (await roleRow(`${id}_app`)).rolpassword,
        secret.password,
      ),
    ).toBe(true);
  });

  it('a dry-run apply reads and writes nothing', async () => {
    const req = request();
    const id = req.resourceName.replace(/-/g, '_');
    const p = provisioner();
    const plan = await p.plan(req, { dryRun: true });
    const would = await p.apply(plan, {
      dryRun: true,
      requestKey: req.requestKey,
    });
    expect(would).toMatchObject({ database: id, replayed: false });
    expect(await dbRow(id)).toBeUndefined();
    expect(await roleRow(`${id}_app`)).toBeUndefined();
  });

  it('destroy: a dry run plans the deletes, the real one removes database, role and secret', async () => {
    const req = request();
    const id = req.resourceName.replace(/-/g, '_');
    const p = provisioner();
    await p.apply(await p.plan(req, { dryRun: false }), {
      dryRun: false,
      requestKey: req.requestKey,
    });
    const dry = await p.destroy(`resource:default/${req.resourceName}`, {
      dryRun: true,
      finalSnapshot: false,
    });
    expect(dry.resources.map(r => r.action)).toEqual(['delete', 'delete']);
    expect(await dbRow(id)).toBeDefined();
    await p.destroy(`resource:default/${req.resourceName}`, {
      dryRun: false,
      finalSnapshot: false,
    });
    expect(await dbRow(id)).toBeUndefined();
    expect(await roleRow(`${id}_app`)).toBeUndefined();
    expect(await p.find(req.requestKey)).toBeUndefined();
  });

  it('destroy refuses a final snapshot (it takes none), dry run included, and drops nothing', async () => {
    const req = request();
    const id = req.resourceName.replace(/-/g, '_');
    const p = provisioner();
    await p.apply(await p.plan(req, { dryRun: false }), {
      dryRun: false,
      requestKey: req.requestKey,
    });
    for (const dryRun of [true, false]) {
      await expect(
        p.destroy(`resource:default/${req.resourceName}`, {
          dryRun,
          finalSnapshot: true,
        }),
      ).rejects.toThrow(
        `local-postgres takes no snapshots, so it cannot take the final snapshot that destroying ${id} needs (a prod database, golden-paths.md §7.1). Nothing was dropped.`,
      );
    }
    expect(await dbRow(id)).toBeDefined();
    expect(await roleRow(`${id}_app`)).toBeDefined();
  });

  it('GP-P08: destroy refuses a role of that name without a golden-path marker (dry run included) and drops nothing', async () => {
    const req = request();
    const id = req.resourceName.replace(/-/g, '_');
    const p = provisioner();
    // no database (gone, or never made), but a role of the database's role name made by hand
    await admin.query(`CREATE ROLE "${id}_app"`);
    for (const dryRun of [true, false]) {
      await expect(
        p.destroy(`resource:default/${req.resourceName}`, {
          dryRun,
          finalSnapshot: false,
        }),
      ).rejects.toThrow(
        `GP-P08: Database ${id}_app already exists on ${p.endpoint} and was not created by this request. Nothing was changed.`,
      );
    }
    expect(await roleRow(`${id}_app`)).toBeDefined();
  });

  it('destroy of what is gone plans no-op and drops nothing (a rerun converges)', async () => {
    const req = request();
    const p = provisioner();
    const ref = `resource:default/${req.resourceName}`;
    const plan = await p.destroy(ref, { dryRun: false, finalSnapshot: false });
    expect(plan.resources.map(r => r.action)).toEqual(['no-op', 'no-op']);
    expect(plan.changes.destroy).toBe(0);
  });
});
