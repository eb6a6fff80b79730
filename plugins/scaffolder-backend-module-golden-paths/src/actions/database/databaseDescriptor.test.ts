import { requestFingerprint } from '@internal/plugin-golden-paths-common';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { fakeLedger } from '../../__fixtures__/fakeLedger';
import { demoCatalog, fakeCatalog } from '../../__fixtures__/world';
import { assertValidEntity } from '../descriptor/validateEntity';
import { createGoldenPathPublishGitAction } from '../publish/publishGit';
import { buildResourceDescriptor } from './buildResourceDescriptor';
import { createGoldenPathDatabaseDescriptorAction } from './databaseDescriptor';
import {
  cartApi,
  FP,
  keyOf,
  normalized,
  T,
  V24,
} from './testing/databaseWorld';

const PG_TEMPLATE = 'template:default/postgres-database';

const git = (args: string[]) =>
  execFileSync('git', args, { encoding: 'utf8' }).trim();

describe('the Resource of a database request (golden-paths.md §3.3)', () => {
  it('V24 in GitHub mode gives the §3.3 example Resource', async () => {
    const entity = buildResourceDescriptor({
      request: normalized(V24) as any,
      requestKey: 'postgres-database:cart-db:prod',
      templateRef: 'template:default/postgres-database',
      templateVersion: '1.0.0',
      owner: 'group:default/checkout-team',
      system: 'system:default/checkout',
      componentTier: '2',
      secretRef: 'secretsmanager://gp/cart-db-prod/app',
      priceBookSku: 'example.rds-postgres.l',
      provisioner: 'github-terraform',
    });
    expect(entity).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'cart-db-prod',
        description:
          'PostgreSQL 16 for component:default/cart-api (production-standard)',
        labels: { 'ops.example.com/tier': '2' },
        annotations: {
          'ops.example.com/lifecycle': 'production',
          'ops.example.com/regions': 'eu-west-1',
          'ops.example.com/aliases': 'cart_db_prod',
          'ops.example.com/provider': 'aws',
          'ops.example.com/service': 'rds',
          'ops.example.com/engine': 'postgres',
          'ops.example.com/engine-version': '16',
          'ops.example.com/environment': 'prod',
          'ops.example.com/database-tier': 'production-standard',
          'ops.example.com/price-book-sku': 'example.rds-postgres.l',
          'ops.example.com/storage-gib': '100',
          'ops.example.com/data-classification': 'critical-pii',
          'ops.example.com/request-key': 'postgres-database:cart-db:prod',
          'ops.example.com/template': 'template:default/postgres-database',
          'ops.example.com/template-version': '1.0.0',
          'ops.example.com/secret-ref': 'secretsmanager://gp/cart-db-prod/app',
          'ops.example.com/cost-center': 'CC-1042',
        },
        tags: ['golden-path', 'postgres'],
      },
      spec: {
        type: 'database',
        owner: 'group:default/checkout-team',
        system: 'system:default/checkout',
        dependencyOf: ['component:default/cart-api'],
      },
    });
    await expect(
      assertValidEntity(entity as unknown as Entity),
    ).resolves.toBeUndefined();
  });
});

describe('goldenpath:database:descriptor + goldenpath:publish:git (local infrastructure repository)', () => {
  let root: string;
  let workspaces: string[];

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-root-'));
    workspaces = [];
  });
  afterEach(() => {
    for (const d of [root, ...workspaces])
      fs.rmSync(d, { recursive: true, force: true });
  });

  const config = () =>
    new ConfigReader({
      goldenPaths: {
        publish: { local: { root, infraRepo: 'platform-infra' } },
      },
    });

  function context(input: Record<string, unknown>, taskId = 'task-1') {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-ws-'));
    workspaces.push(workspace);
    const c = createMockActionContext({
      input: input as any,
      workspacePath: workspace,
      logger: mockServices.logger.mock(),
      user: { ref: 'user:default/ana.ruiz' },
    });
    const checkpoints = new Map<string, unknown>();
    (c as any).checkpoint = async ({ key, fn }: any) => {
      if (checkpoints.has(key)) return checkpoints.get(key);
      const v = await fn();
      checkpoints.set(key, v);
      return v;
    };
    (c as any).task = { id: taskId };
    return { c, workspace };
  }

  const outputOf = (c: any, name: string) =>
    c.output.mock.calls.find((x: any[]) => x[0] === name)?.[1];

  /** descriptor → publish:git mode update, as the template runs them. */
  async function describeAndPublish(
    request: Record<string, unknown>,
    ledger = fakeLedger().ledger,
    taskId = 'task-1',
  ) {
    const descriptor = createGoldenPathDatabaseDescriptorAction({
      config: config(),
      catalog: fakeCatalog([...demoCatalog, cartApi]),
      auth: mockServices.auth(),
    });
    const d = context(
      {
        request,
        requestKey: keyOf(request),
        fingerprint: requestFingerprint(PG_TEMPLATE, request as any),
        templateRef: 'template:default/postgres-database',
        templateVersion: '1.0.0',
        createdAt: T,
        publishMode: 'local',
        secretRef: `local-secret://gp/${request.name}-${request.environment}/app`,
        provisioner: 'local-postgres',
      },
      taskId,
    );
    await descriptor.handler(d.c as any);
    const publish = createGoldenPathPublishGitAction({
      config: config(),
      ledger,
    });
    const p = context(
      {
        remoteUrl: outputOf(d.c, 'infraRepoUrl'),
        requestKey: keyOf(request),
        fingerprint: FP,
        createdAt: T,
        mode: 'update',
        baseCommit: outputOf(d.c, 'baseCommit'),
        commitMessage: `Add resource ${request.name}-${request.environment}`,
      },
      taskId,
    );
    // publish:git publishes its own workspace: hand it the descriptor's.
    fs.rmSync(p.workspace, { recursive: true, force: true });
    fs.cpSync(d.workspace, p.workspace, { recursive: true });
    await publish.handler(p.c as any);
    return { d: d.c, p: p.c };
  }

  it('V23: commits resources/cart-db-dev.yaml and a catalog-info.yaml the local provider reads', async () => {
    const { d, p } = await describeAndPublish(normalized());
    const remote = path.join(root, 'platform-infra.git');
    expect(outputOf(d, 'infraRepoUrl')).toBe(remote);
    expect(outputOf(d, 'entityRef')).toBe('resource:default/cart-db-dev');
    expect(outputOf(p, 'created')).toBe(true);
    expect(
      git(['--git-dir', remote, 'ls-tree', '-r', '--name-only', 'main']).split(
        '\n',
      ),
    ).toEqual(['catalog-info.yaml', 'resources/cart-db-dev.yaml']);
    const resource = parseYaml(
      git(['--git-dir', remote, 'show', 'main:resources/cart-db-dev.yaml']),
    );
    expect(resource.metadata.annotations).toMatchObject({
      'ops.example.com/lifecycle': 'experimental',
      'ops.example.com/secret-ref': 'local-secret://gp/cart-db-dev/app',
      'ops.example.com/request-key': 'postgres-database:cart-db:dev',
      'ops.example.com/provider': 'local',
      'ops.example.com/service': 'postgres',
      'ops.example.com/expires-on': '2026-12-23',
      'ops.example.com/created-at': T,
    });
    expect(resource.spec).toEqual({
      type: 'database',
      owner: 'group:default/checkout-team',
      system: 'system:default/checkout',
      dependencyOf: ['component:default/cart-api'],
    });
    const catalogInfo = parseAllDocuments(
      git(['--git-dir', remote, 'show', 'main:catalog-info.yaml']),
    ).map(doc => doc.toJS());
    expect(catalogInfo).toEqual([resource]);
  });

  it('a second database is one more commit that keeps the first; a rerun commits nothing', async () => {
    const remote = path.join(root, 'platform-infra.git');
    const ledger = fakeLedger().ledger;
    const first = await describeAndPublish(normalized(), ledger);
    // the infrastructure repository had no commit yet
    expect(outputOf(first.d, 'baseCommit')).toBe('');
    const head1 = git(['--git-dir', remote, 'rev-parse', 'main']);
    const staging = normalized({
      environment: 'staging',
      databaseTier: 'staging',
      expiresOn: undefined,
    });
    const second = await describeAndPublish(staging, ledger);
    // the commit the workspace was copied from, which publish:git builds on
    expect(outputOf(second.d, 'baseCommit')).toBe(head1);
    expect(git(['--git-dir', remote, 'rev-parse', 'main^'])).toBe(head1);
    expect(git(['--git-dir', remote, 'rev-list', '--count', 'main'])).toBe('2');
    expect(
      git(['--git-dir', remote, 'ls-tree', '-r', '--name-only', 'main']).split(
        '\n',
      ),
    ).toEqual([
      'catalog-info.yaml',
      'resources/cart-db-dev.yaml',
      'resources/cart-db-staging.yaml',
    ]);
    const names = parseAllDocuments(
      git(['--git-dir', remote, 'show', 'main:catalog-info.yaml']),
    ).map(doc => doc.toJS().metadata.name);
    expect(names).toEqual(['cart-db-dev', 'cart-db-staging']);

    // Rerun of the staging request in a new task: HEAD already holds it.
    const { p } = await describeAndPublish(staging, ledger, 'task-9');
    expect(outputOf(p, 'replayed')).toBe(true);
    expect(git(['--git-dir', remote, 'rev-list', '--count', 'main'])).toBe('2');
  });

  it('refuses a resource file of that name written for another request (GP-N03)', async () => {
    await describeAndPublish(normalized(), fakeLedger().ledger);
    const other = { ...normalized() };
    const descriptor = createGoldenPathDatabaseDescriptorAction({
      config: config(),
      catalog: fakeCatalog([...demoCatalog, cartApi]),
      auth: mockServices.auth(),
    });
    const d = context({
      request: other,
      requestKey: 'team-x:cart-db',
      fingerprint: requestFingerprint(PG_TEMPLATE, other as any),
      templateRef: 'template:default/postgres-database',
      templateVersion: '1.0.0',
      publishMode: 'local',
      secretRef: 'local-secret://gp/cart-db-dev/app',
    });
    await expect(descriptor.handler(d.c as any)).rejects.toThrow(
      'GP-N03: Name "cart-db-dev" is already used by resource:default/cart-db-dev (owner group:default/checkout-team). Choose another name, or open resource:default/cart-db-dev if you meant to change it.',
    );
  });

  it.each([
    [
      { secretRef: 'hunter2-not-a-reference' },
      /secretRef must be a secret reference/,
    ],
    [
      {
        secretRef:
          'postgresql://cart_app:S3cr3tPassw0rd!@db.internal:5432/cart',
      },
      /^secretRef carries a secret \(credentials in a URL\)/,
    ],
    [
      { provisioner: 'local-postgress' },
      'provisioner must be one of github-terraform, local-postgres (got "local-postgress")',
    ],
    [
      { targetPath: '../elsewhere' },
      'targetPath must stay inside the workspace',
    ],
    // a request changed after validate (here: production, which validate would route to approval)
    [
      { request: { ...normalized(), environment: 'prod' } },
      'request does not match fingerprint: pass goldenpath:validate outputs request, fingerprint and templateRef unchanged',
    ],
  ])('%j → 400 before anything is written', async (extra, message) => {
    const descriptor = createGoldenPathDatabaseDescriptorAction({
      config: config(),
      catalog: fakeCatalog([...demoCatalog, cartApi]),
      auth: mockServices.auth(),
    });
    const d = context({
      request: normalized(),
      requestKey: 'postgres-database:cart-db:dev',
      fingerprint: requestFingerprint(PG_TEMPLATE, normalized() as any),
      templateRef: 'template:default/postgres-database',
      templateVersion: '1.0.0',
      publishMode: 'local',
      secretRef: 'local-secret://gp/cart-db-dev/app',
      ...extra,
    });
    await expect(descriptor.handler(d.c as any)).rejects.toThrow(message);
    expect(fs.readdirSync(d.workspace)).toEqual([]);
  });
});
