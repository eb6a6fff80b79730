import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { parse as parseYaml } from 'yaml';
import { requestFingerprint } from '@internal/plugin-golden-paths-common';
import { fakeLedger } from '../../__fixtures__/fakeLedger';
import { demoCatalog, fakeCatalog } from '../../__fixtures__/world';
import { LocalPostgresProvisioner } from '../../provisioners/localPostgres/LocalPostgresProvisioner';
import {
  postgresAvailable,
  testPostgresUrl,
} from '../../provisioners/localPostgres/testPostgres';
import { createGoldenPathPublishGitAction } from '../publish/publishGit';
import { createGoldenPathDatabaseApplyAction } from './databaseApply';
import { createGoldenPathDatabaseDescriptorAction } from './databaseDescriptor';
import { createGoldenPathDatabasePlanAction } from './databasePlan';
import {
  cartApi,
  FP,
  fingerprintOf,
  PG_TEMPLATE,
  normalized,
  recordingAuditor,
  T,
} from './testing/databaseWorld';

// CREATE/DROP DATABASE with fsync on takes seconds on a loaded 2-core machine (jest's default
// 5 s timed out in the provisioner's own suite).
jest.setTimeout(60_000);

const SUITE = 'V23 through the database actions on a real PostgreSQL';
const describePg = postgresAvailable(SUITE) ? describe : describe.skip;

describePg(SUITE, () => {
  const url = testPostgresUrl()!;
  const KEY = 'postgres-database:cart-db:dev';
  let admin: Client;
  let dir: string;

  async function dropCartDb() {
    await admin.query('DROP DATABASE IF EXISTS cart_db_dev');
    await admin.query('DROP ROLE IF EXISTS cart_db_dev_app');
  }

  beforeAll(async () => {
    admin = new Client({ connectionString: url });
    await admin.connect();
    await dropCartDb();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-v23-'));
  });
  afterAll(async () => {
    await dropCartDb();
    await admin.end();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates cart_db_dev, cart_db_dev_app, the marker and resource:default/cart-db-dev; no password anywhere; a rerun creates nothing', async () => {
    const config = new ConfigReader({
      goldenPaths: {
        publish: { local: { root: path.join(dir, 'repos') } },
        secrets: { local: { dir: path.join(dir, 'secrets') } },
        database: { local: { connection: url } },
      },
    });
    const provisioner = LocalPostgresProvisioner.fromConfig(config)!;
    const { ledger, calls } = fakeLedger();
    const { auditor, events } = recordingAuditor();
    const catalog = fakeCatalog([...demoCatalog, cartApi]);
    const auth = mockServices.auth();
    const now = () => new Date(T);
    const options = {
      config,
      ledger,
      provisioner,
      catalog,
      auth,
      auditor,
      now,
    };
    const plan = createGoldenPathDatabasePlanAction(options);
    const apply = createGoldenPathDatabaseApplyAction(options);
    const descriptor = createGoldenPathDatabaseDescriptorAction(options);
    const publish = createGoldenPathPublishGitAction({
      config,
      ledger,
      auditor,
    });
    const contexts: any[] = [];
    const context = (
      input: Record<string, unknown>,
      step: string,
      taskId = 'task-1',
    ) => {
      const workspace = path.join(dir, `ws-${taskId}`);
      fs.mkdirSync(workspace, { recursive: true });
      const c: any = createMockActionContext({
        input: input as any,
        workspacePath: workspace,
        logger: mockServices.logger.mock(),
        user: { ref: 'user:default/ana.ruiz' },
      });
      const checkpoints = new Map<string, unknown>();
      c.checkpoint = async ({ key, fn }: any) => {
        if (!checkpoints.has(key)) checkpoints.set(key, await fn());
        return checkpoints.get(key);
      };
      c.task = { id: taskId };
      c.step = { id: step };
      contexts.push(c);
      return c;
    };
    const out = (c: any) => Object.fromEntries(c.output.mock.calls);

    const request = normalized();
    const run = async (taskId: string) => {
      const p = context(
        {
          request,
          requestKey: KEY,
          fingerprint: fingerprintOf(request),
          templateRef: PG_TEMPLATE,
        },
        'plan',
        taskId,
      );
      await plan.handler(p);
      const planned = out(p);
      const a = context(
        {
          request,
          requestKey: KEY,
          fingerprint: fingerprintOf(request),
          templateRef: PG_TEMPLATE,
          planDigest: planned.planDigest,
          plan: planned.plan,
          approvalDecision: 'not-required',
        },
        'apply',
        taskId,
      );
      await apply.handler(a);
      const applied = out(a);
      const d = context(
        {
          request,
          requestKey: KEY,
          fingerprint: requestFingerprint(
            'template:default/postgres-database',
            request as any,
          ),
          templateRef: 'template:default/postgres-database',
          templateVersion: '1.0.0',
          createdAt: T,
          publishMode: 'local',
          secretRef: applied.secretRef,
          provisioner: planned.provisioner,
        },
        'descriptor',
        taskId,
      );
      await descriptor.handler(d);
      const pub = context(
        {
          remoteUrl: out(d).infraRepoUrl,
          requestKey: KEY,
          fingerprint: FP,
          createdAt: T,
          mode: 'update',
          baseCommit: out(d).baseCommit,
        },
        'publish-local',
        taskId,
      );
      await publish.handler(pub);
      return { planned, applied, published: out(pub) };
    };

    const first = await run('task-1');
    expect(first.planned.estimate.total).toBe('148.30');
    expect(first.planned.approvalTriggers).toEqual([]);
    expect(first.applied).toMatchObject({
      resourceRef: 'resource:default/cart-db-dev',
      database: 'cart_db_dev',
      role: 'cart_db_dev_app',
      secretRef: 'local-secret://gp/cart-db-dev/app',
      provisioner: 'local-postgres',
      replayed: false,
    });

    const db = await admin.query(
      `SELECT pg_get_userbyid(datdba) AS owner, shobj_description(oid, 'pg_database') AS comment
         FROM pg_database WHERE datname = 'cart_db_dev'`,
    );
    expect(db.rows).toEqual([
      {
        owner: 'cart_db_dev_app',
        comment: 'gp:request=postgres-database:cart-db:dev',
      },
    ]);

    const remote = path.join(dir, 'repos', 'platform-infra.git');
    const resource = parseYaml(
      execFileSync(
        'git',
        ['--git-dir', remote, 'show', 'main:resources/cart-db-dev.yaml'],
        {
          encoding: 'utf8',
        },
      ),
    );
    expect(resource.metadata.name).toBe('cart-db-dev');
    expect(resource.metadata.annotations['ops.example.com/lifecycle']).toBe(
      'experimental',
    );
    expect(resource.metadata.annotations['ops.example.com/secret-ref']).toBe(
      'local-secret://gp/cart-db-dev/app',
    );
    expect(resource.spec.dependencyOf).toEqual(['component:default/cart-api']);

    // The password exists in exactly one place: the 0600 secret file.
    const secretFile = path.join(
      dir,
      'secrets',
      'gp',
      'cart-db-dev',
      'app.json',
    );
    expect(fs.statSync(secretFile).mode & 0o777).toBe(0o600);
    const { password } = JSON.parse(fs.readFileSync(secretFile, 'utf8'));
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const everything = JSON.stringify({
      outputs: contexts.map(c => c.output.mock.calls),
      logs: contexts.map(c =>
        Object.values(c.logger)
          .filter((f: any) => typeof f?.mock === 'object')
          .map((f: any) => f.mock.calls),
      ),
      audit: events,
      ledger: calls,
    });
    expect(everything).not.toContain(password);
    const grep = spawnSync('git', [
      '--git-dir',
      remote,
      'grep',
      '-q',
      '-F',
      // -e: a generated password may start with "-" and must not be read as an option.
      '-e',
      password,
      'main',
    ]);
    expect(grep.status).toBe(1); // 1 = not found

    // Rerun with the same inputs in a new task: one database, one commit.
    const second = await run('task-2');
    expect(second.applied.replayed).toBe(true);
    expect(second.applied.resourceRef).toBe('resource:default/cart-db-dev');
    expect(second.published.replayed).toBe(true);
    const count = await admin.query(
      `SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE 'cart_db_dev%'`,
    );
    expect(count.rows[0].n).toBe(1);
    expect(
      execFileSync(
        'git',
        ['--git-dir', remote, 'rev-list', '--count', 'main'],
        {
          encoding: 'utf8',
        },
      ).trim(),
    ).toBe('1');
    expect(JSON.parse(fs.readFileSync(secretFile, 'utf8')).password).toBe(
      password,
    );
  });
});
