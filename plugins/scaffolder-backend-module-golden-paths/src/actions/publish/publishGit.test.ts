import type { AuditorService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ServiceUnavailableError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DEFAULT_GOLDEN_PATHS_CONFIG,
  parseRequest,
  requestFingerprint,
} from '@internal/plugin-golden-paths-common';
import { fakeLedger } from '../../__fixtures__/fakeLedger';
import { recordingAuditor } from '../../__testUtils__/actionContext';
import { S0 } from '../../__fixtures__/world';
import { buildServicePlan } from '../preview/buildPlan';
import { createGoldenPathPublishGitAction } from './publishGit';

const KEY = 'service-node-http:cart-api';
const TEMPLATE = 'template:default/service-node-http';
const CREATED = '2026-11-23T10:00:00Z';

/** A request as validate outputs it, its fingerprint, and the preview's plan of it. */
function validated(raw: Record<string, unknown>) {
  const parsed = parseRequest('service', raw, DEFAULT_GOLDEN_PATHS_CONFIG);
  if (!parsed.ok) throw new Error('the request must parse');
  const fingerprint = requestFingerprint(TEMPLATE, parsed.request);
  return {
    request: parsed.request as unknown as Record<string, unknown>,
    fingerprint,
    templateRef: TEMPLATE,
    plan: (triggers: { id: string; reasons: string[] }[]) =>
      buildServicePlan({
        requestKey: KEY,
        fingerprint,
        template: { ref: TEMPLATE, version: '1.0.0' },
        policyVersion: '2026.11.0',
        approvalTriggers: triggers as any,
        names: { entityRef: 'component:default/cart-api' },
        publishMode: 'local',
      }),
  };
}

const S0_VALIDATED = validated(S0);
const FP = S0_VALIDATED.fingerprint;

function git(args: string[]) {
  return execFileSync('git', args, { encoding: 'utf8' }).trim();
}

describe('goldenpath:publish:git (golden-paths.md §4.9)', () => {
  let root: string;
  let workspace: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-root-'));
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-ws-'));
    fs.mkdirSync(path.join(workspace, 'docs'));
    fs.writeFileSync(path.join(workspace, 'README.md'), '# cart-api\n');
    fs.writeFileSync(path.join(workspace, 'docs/runbook.md'), 'stub\n');
    fs.writeFileSync(
      path.join(workspace, '.goldenpath.yaml'),
      `requestKey: ${KEY}\nfingerprint: ${FP}\n`,
    );
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  function setup(
    ledger = fakeLedger().ledger,
    allowedRemotes?: string[],
    auditor?: AuditorService,
  ) {
    const config = new ConfigReader({
      goldenPaths: {
        publish: {
          local: { root },
          ...(allowedRemotes ? { git: { allowedRemotes } } : {}),
        },
      },
    });
    return createGoldenPathPublishGitAction({ config, ledger, auditor });
  }

  function ctx(
    extra: {
      isDryRun?: boolean;
      remote?: string;
      taskId?: string;
      /** The request, fingerprint, template ref and plan the template passes (default: S0's). */
      checked?: Record<string, unknown>;
    } = {},
  ) {
    const checkpoints = new Map<string, unknown>();
    // `any`: the request and plan are not JsonObject-typed, and the handler takes its own input type
    const c: any = createMockActionContext({
      input: {
        remoteUrl: extra.remote ?? path.join(root, 'cart-api.git'),
        requestKey: KEY,
        fingerprint: FP,
        request: S0_VALIDATED.request,
        templateRef: TEMPLATE,
        plan: S0_VALIDATED.plan([]).plan as unknown as Record<string, unknown>,
        createdAt: CREATED,
        mode: 'create' as const,
        ...extra.checked,
      } as any,
      workspacePath: workspace,
      isDryRun: extra.isDryRun,
      logger: mockServices.logger.mock(),
    });
    // A checkpoint store like the scaffolder's: a recorded key is returned, not re-run.
    (c as any).checkpoint = async ({ key, fn }: any) => {
      if (checkpoints.has(key)) return checkpoints.get(key);
      const v = await fn();
      checkpoints.set(key, v);
      return v;
    };
    (c as any).task = { id: extra.taskId ?? 'task-1' };
    (c as any).isDryRun = extra.isDryRun === true;
    return { c, checkpoints };
  }

  it('creates the bare repository with one reproducible commit (V1)', async () => {
    const { c } = ctx();
    await setup().handler(c);
    const remote = path.join(root, 'cart-api.git');
    expect(git(['--git-dir', remote, 'rev-list', '--count', 'main'])).toBe('1');
    expect(
      git(['--git-dir', remote, 'ls-tree', '-r', '--name-only', 'main']).split(
        '\n',
      ),
    ).toEqual(['.goldenpath.yaml', 'README.md', 'docs/runbook.md']);
    expect(
      git(['--git-dir', remote, 'log', '-1', '--format=%aI %an', 'main']),
    ).toBe('2026-11-23T10:00:00+00:00 Golden Paths');
    const sha = git(['--git-dir', remote, 'rev-parse', 'main']);
    expect(c.output).toHaveBeenCalledWith('commitSha', sha);
    expect(c.output).toHaveBeenCalledWith('created', true);
    expect(c.output).toHaveBeenCalledWith('replayed', false);
  });

  it('dry run reports the same tree and commit without creating anything (V17)', async () => {
    const dry = ctx({ isDryRun: true });
    await setup().handler(dry.c);
    expect(fs.existsSync(path.join(root, 'cart-api.git'))).toBe(false);
    const real = ctx();
    await setup().handler(real.c);
    const out = (c: any, name: string) =>
      c.output.mock.calls.find((x: any[]) => x[0] === name)[1];
    expect(out(dry.c, 'treeSha')).toBe(out(real.c, 'treeSha'));
    expect(out(dry.c, 'commitSha')).toBe(out(real.c, 'commitSha'));
    expect(out(dry.c, 'dryRun')).toBe(true);
  });

  it('a rerun in a new task with the same request pushes nothing (ledger replay, V2)', async () => {
    const { ledger } = fakeLedger();
    await setup(ledger).handler(ctx().c);
    const again = ctx({ taskId: 'task-2' });
    await setup(ledger).handler(again.c);
    expect(
      git([
        '--git-dir',
        path.join(root, 'cart-api.git'),
        'rev-list',
        '--count',
        'main',
      ]),
    ).toBe('1');
    expect(again.c.output).toHaveBeenCalledWith('replayed', true);
  });

  it('a dry run of a rerun says the publish is only replayed, as the real rerun does', async () => {
    const { ledger } = fakeLedger();
    await setup(ledger).handler(ctx().c);
    const effectOf = async (isDryRun: boolean) => {
      const again = ctx({ taskId: 'task-2', isDryRun });
      await setup(ledger).handler(again.c);
      expect(again.c.output).toHaveBeenCalledWith('replayed', true);
      const call = (again.c.output as jest.Mock).mock.calls.find(
        x => x[0] === 'effects',
      );
      return call[1].map((e: { type: string; result: string }) => [
        e.type,
        e.result,
      ]);
    };
    expect(await effectOf(true)).toEqual([['repo.create', 'replayed']]);
    expect(await effectOf(false)).toEqual([['repo.create', 'replayed']]);
  });

  it('the remote itself is recognised when the ledger lost its record (resume)', async () => {
    await setup().handler(ctx().c);
    const again = ctx({ taskId: 'task-2' });
    await setup(fakeLedger().ledger).handler(again.c);
    expect(again.c.output).toHaveBeenCalledWith('replayed', true);
  });

  it('a task retry after the push does not push again (checkpoint, V22)', async () => {
    const { ledger, calls } = fakeLedger();
    const first = ctx();
    // The task crashes after the push, before the step was recorded as done.
    const failingLedger = {
      ...ledger,
      completeStep: jest
        .fn()
        .mockRejectedValueOnce(new Error('crash'))
        .mockImplementation(ledger.completeStep),
    };
    await expect(setup(failingLedger as any).handler(first.c)).rejects.toThrow(
      'crash',
    );
    const pushes = first.checkpoints.size;
    expect(pushes).toBe(1);
    // Retry of the same task: the checkpoint answers, the push is not repeated.
    await setup(ledger).handler(first.c);
    expect(first.checkpoints.size).toBe(1);
    expect(
      git([
        '--git-dir',
        path.join(root, 'cart-api.git'),
        'rev-list',
        '--count',
        'main',
      ]),
    ).toBe('1');
    expect(calls.filter(c => c.op === 'claim')).toHaveLength(2);
  });

  /** Runs `fn` with every push refused by the receiving side (a pre-receive hook that fails). */
  async function withPushesRefused(fn: () => Promise<void>) {
    const hooks = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-hooks-'));
    fs.writeFileSync(path.join(hooks, 'pre-receive'), '#!/bin/sh\nexit 1\n', {
      mode: 0o755,
    });
    // The receiving side of a local push drops GIT_CONFIG_COUNT but reads the global config.
    const globalConfig = path.join(hooks, 'gitconfig');
    fs.writeFileSync(globalConfig, `[core]\n\thooksPath = ${hooks}\n`);
    process.env.GIT_CONFIG_GLOBAL = globalConfig;
    try {
      await fn();
    } finally {
      delete process.env.GIT_CONFIG_GLOBAL;
      fs.rmSync(hooks, { recursive: true, force: true });
    }
  }

  it('a push refused after the repository was created leaves no repository, so the retry creates it', async () => {
    const remote = path.join(root, 'cart-api.git');
    const action = setup();
    await withPushesRefused(() =>
      expect(action.handler(ctx().c as any)).rejects.toThrow(/git push failed/),
    );
    expect(fs.existsSync(remote)).toBe(false);
    const { c } = ctx({ taskId: 'task-2' });
    await action.handler(c as any);
    expect(c.output).toHaveBeenCalledWith('created', true);
    expect(git(['--git-dir', remote, 'rev-list', '--count', 'main'])).toBe('1');
  });

  it('refuses a repository that is not this request’s (GP-N04)', async () => {
    const remote = path.join(root, 'cart-api.git');
    git(['init', '-q', '--bare', remote]);
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-other-'));
    git(['-C', other, 'init', '-q', '-b', 'main']);
    fs.writeFileSync(path.join(other, 'x.txt'), 'x');
    git(['-C', other, 'add', '.']);
    git([
      '-C',
      other,
      '-c',
      'user.name=x',
      '-c',
      'user.email=x@x',
      'commit',
      '-qm',
      'x',
    ]);
    git(['-C', other, 'push', '-q', remote, 'main']);
    await expect(setup().handler(ctx().c)).rejects.toThrow(
      `GP-N04: Repository ${remote} already exists and was not created by this request. Choose another name; nothing was created.`,
    );
    fs.rmSync(other, { recursive: true, force: true });
  });

  describe('an existing repository without a commit on the branch is not this request’s (GP-N04)', () => {
    /** A repository at `remote` whose only content is a commit on `master`. */
    function withMasterOnly(remote: string) {
      git(['init', '-q', '--bare', '--initial-branch=master', remote]);
      const other = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-other-'));
      try {
        git(['-C', other, 'init', '-q', '-b', 'master']);
        fs.writeFileSync(path.join(other, 'x.txt'), 'x');
        git(['-C', other, 'add', '.']);
        git([
          '-C',
          other,
          '-c',
          'user.name=x',
          '-c',
          'user.email=x@x',
          'commit',
          '-qm',
          'x',
        ]);
        git(['-C', other, 'push', '-q', remote, 'master']);
      } finally {
        fs.rmSync(other, { recursive: true, force: true });
      }
      return git(['--git-dir', remote, 'rev-parse', 'master']);
    }
    const branches = (remote: string) =>
      git(['--git-dir', remote, 'for-each-ref', '--format=%(refname)']);

    it('a local repository with content only on master', async () => {
      const remote = path.join(root, 'cart-api.git');
      const master = withMasterOnly(remote);
      await expect(setup().handler(ctx().c)).rejects.toThrow(
        `GP-N04: Repository ${remote} already exists and was not created by this request. Choose another name; nothing was created.`,
      );
      expect(branches(remote)).toBe('refs/heads/master');
      expect(git(['--git-dir', remote, 'rev-parse', 'master'])).toBe(master);
    });

    it('an empty local repository someone else made', async () => {
      const remote = path.join(root, 'cart-api.git');
      git(['init', '-q', '--bare', '--initial-branch=main', remote]);
      await expect(setup().handler(ctx().c)).rejects.toThrow(/^GP-N04: /);
      expect(branches(remote)).toBe('');
    });

    it('a remote named by URL with content only on master (an empty one is still published to)', async () => {
      const server = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-server-'));
      try {
        const bare = path.join(server, 'cart-api.git');
        withMasterOnly(bare);
        const url = `file://${bare}`;
        await expect(
          setup(fakeLedger().ledger, [`file://${server}/`]).handler(
            ctx({ remote: url }).c,
          ),
        ).rejects.toThrow(
          `GP-N04: Repository ${url} already exists and was not created by this request.`,
        );
        expect(branches(bare)).toBe('refs/heads/master');
      } finally {
        fs.rmSync(server, { recursive: true, force: true });
      }
    });
  });

  it('refuses the same request with a different tree (GP-I05)', async () => {
    await setup().handler(ctx().c);
    fs.writeFileSync(path.join(workspace, 'README.md'), '# changed\n');
    await expect(setup().handler(ctx({ taskId: 'task-2' }).c)).rejects.toThrow(
      /^GP-I05: Step "[^"]+" of request "service-node-http:cart-api" already ran with different input/,
    );
  });

  it('an audit log that fails too does not replace the refusal the task shows (GP-I05), and the log says so once', async () => {
    await setup().handler(ctx().c);
    fs.writeFileSync(path.join(workspace, 'README.md'), '# changed\n');
    const auditor = {
      createEvent: jest.fn(async () => {
        throw new Error('audit log unavailable');
      }),
    } as unknown as AuditorService;
    const { c } = ctx({ taskId: 'task-2' });
    await expect(
      setup(undefined, undefined, auditor).handler(c),
    ).rejects.toThrow(/^GP-I05: /);
    expect(c.logger.error.mock.calls).toEqual([
      [
        'goldenpath:publish:git: could not write the audit record of this failed invocation: audit log unavailable',
      ],
    ]);
  });

  it('a failed push whose audit record cannot be written either: the push error surfaces, the log says why the record is missing', async () => {
    // the auditor opens the record, then cannot mark it failed
    const opened: { result?: unknown }[] = [];
    const auditor: AuditorService = {
      createEvent: async event => {
        opened.push(event.meta as { result?: unknown });
        return {
          success: async () => {},
          fail: async () => {
            throw new Error('audit log unavailable');
          },
        };
      },
    };
    const { c } = ctx();
    await withPushesRefused(() =>
      expect(setup(undefined, undefined, auditor).handler(c)).rejects.toThrow(
        /^git push failed/,
      ),
    );
    expect(c.logger.error.mock.calls).toEqual([
      [
        'goldenpath:publish:git: could not write the audit record of this failed invocation: audit log unavailable',
      ],
    ]);
    // the one record is the push's own (not a second one after it)
    expect(opened.map(m => m.result)).toEqual(['failed']);
  });

  it('refuses remotes outside the configured root', async () => {
    await expect(
      setup().handler(ctx({ remote: '/tmp/elsewhere/cart-api.git' }).c),
    ).rejects.toThrow(
      /must be a <name>\.git repository under goldenPaths\.publish\.local\.root/,
    );
    await expect(
      setup().handler(ctx({ remote: 'https://evil.example.com/x.git' }).c),
    ).rejects.toThrow(/not on goldenPaths\.publish\.git\.allowedRemotes/);
  });

  it('publishes to an existing allowed remote named by URL, recognises it on a replay, and creates nothing locally', async () => {
    const server = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-server-'));
    try {
      const bare = path.join(server, 'cart-api.git');
      git(['init', '-q', '--bare', '--initial-branch=main', bare]);
      const url = `file://${bare}`;
      const allowed = [`file://${server}/`];
      const first = ctx({ remote: url });
      await setup(fakeLedger().ledger, allowed).handler(first.c);
      expect(git(['--git-dir', bare, 'rev-list', '--count', 'main'])).toBe('1');
      expect(first.c.output).toHaveBeenCalledWith('repoContentsUrl', url);
      // a new task whose ledger lost the record reads the remote's HEAD over its URL
      const again = ctx({ remote: url, taskId: 'task-2' });
      await setup(fakeLedger().ledger, allowed).handler(again.c);
      expect(again.c.output).toHaveBeenCalledWith('replayed', true);
      // a URL is never a local path: no directory named after it
      expect(fs.existsSync(path.resolve('file:'))).toBe(false);

      // a remote is named without the credentials in its URL
      const withToken = `file://bot:ghp_abcdefghijklmnopqrstuvwxyz0123456789@${server}/absent.git`;
      const refused = await setup(fakeLedger().ledger, ['file://bot:'])
        .handler(ctx({ remote: withToken, taskId: 'task-4' }).c)
        .then(
          () => 'published',
          (error: Error) => error.message,
        );
      expect(refused).toContain(`remoteUrl file://***@${server}/absent.git`);
      expect(refused).not.toContain('ghp_');

      await expect(
        setup(fakeLedger().ledger, allowed).handler(
          ctx({ remote: `file://${server}/absent.git`, taskId: 'task-3' }).c,
        ),
      ).rejects.toThrow(
        `remoteUrl file://${server}/absent.git cannot be read; create the repository on its server first`,
      );
      expect(fs.existsSync(path.join(server, 'absent.git'))).toBe(false);
    } finally {
      fs.rmSync(server, { recursive: true, force: true });
    }
  });

  it('posts the repository-file evidence of a local publish, per Component, once per commit (§2.3)', async () => {
    fs.mkdirSync(path.join(workspace, 'slo'));
    fs.writeFileSync(
      path.join(workspace, 'slo/cart-api.yaml'),
      'apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: cart-api-availability\n',
    );
    fs.writeFileSync(
      path.join(workspace, 'docs/runbook.md'),
      '<!-- golden-path:stub -->\n# Runbook\n',
    );
    fs.writeFileSync(
      path.join(workspace, 'catalog-info.yaml'),
      'kind: Component\nmetadata:\n  name: cart-api\n---\nkind: API\nmetadata:\n  name: cart-api\n',
    );
    const writeFacts = jest.fn(async () => ({
      results: [],
      summary: { created: 1, updated: 0, unchanged: 0, replayed: 0, failed: 0 },
    }));
    const config = new ConfigReader({
      goldenPaths: { publish: { local: { root } } },
    });
    const action = createGoldenPathPublishGitAction({
      config,
      ledger: fakeLedger().ledger,
      evidence: { writeFacts } as any,
    });
    await action.handler(ctx().c);
    expect(writeFacts).toHaveBeenCalledTimes(1);
    const [items] = writeFacts.mock.calls[0] as any;
    expect(items).toHaveLength(1);
    const sha = git([
      '--git-dir',
      path.join(root, 'cart-api.git'),
      'rev-parse',
      'main',
    ]);
    expect(items[0]).toMatchObject({
      entityRef: 'component:default/cart-api',
      source: 'golden-paths',
      kind: 'repo.files',
      idempotencyKey: `gp:${KEY}:repo-files:${sha}:component:default/cart-api`,
      value: {
        commitSha: sha,
        ref: 'main',
        openSlo: [{ path: 'slo/cart-api.yaml', id: 'cart-api-availability' }],
        stubMarkers: ['docs/runbook.md'],
      },
    });
    expect(items[0].value.paths).toContain('catalog-info.yaml');
  });

  it('a failing evidence layer does not fail the publish', async () => {
    const action = createGoldenPathPublishGitAction({
      config: new ConfigReader({
        goldenPaths: { publish: { local: { root } } },
      }),
      ledger: fakeLedger().ledger,
      evidence: {
        writeFacts: jest.fn().mockRejectedValue(new Error('evidence down')),
      } as any,
    });
    const { c } = ctx();
    await action.handler(c);
    expect(c.output).toHaveBeenCalledWith('created', true);
  });

  it('a runtime kill switch refused at the claim stops before the push and releases the request (V19)', async () => {
    const { ledger, calls } = fakeLedger();
    const k02 =
      'GP-K02: Action goldenpath:publish:git is switched off by the platform team since 2026-11-23 09:30 UTC: broken (INC-1). Stopped before step "publish-local"; earlier steps are recorded under request "service-node-http:cart-api" and resume when it is switched back on.';
    const refusing = {
      ...ledger,
      claimStep: async () => ({
        refused: true as const,
        ruleId: 'GP-K02',
        message: k02,
      }),
    };
    await expect(setup(refusing as any).handler(ctx().c)).rejects.toThrow(k02);
    expect(fs.existsSync(path.join(root, 'cart-api.git'))).toBe(false);
    expect(calls.at(-1)).toMatchObject({
      op: 'close',
      body: { status: 'failed', errorCode: 'GP-K02' },
    });
  });
  it('a template switched off after the run started stops it before the push (GP-K01), and releases the request', async () => {
    const { ledger, calls } = fakeLedger();
    const action = createGoldenPathPublishGitAction({
      config: new ConfigReader({
        goldenPaths: {
          publish: { local: { root } },
          killSwitch: {
            templates: {
              'service-node-http': {
                disabled: true,
                reason: 'CI workflow v3.4.1 broken (INC-5120)',
                since: '2026-11-23T09:30:00Z',
              },
            },
          },
        },
      }),
      ledger,
    });
    const { c } = ctx();
    c.step = { id: 'publish-local' };
    // the name as the catalog spells it may carry capitals; the switch is still its own
    c.templateInfo = { entityRef: 'template:default/Service-Node-HTTP' };
    await expect(action.handler(c)).rejects.toThrow(
      'GP-K01: Template "Service-Node-HTTP" is switched off by the platform team since 2026-11-23 09:30 UTC: CI workflow v3.4.1 broken (INC-5120). Stopped before step "publish-local"; earlier steps are recorded under request "service-node-http:cart-api" and resume when it is switched back on.',
    );
    expect(fs.existsSync(path.join(root, 'cart-api.git'))).toBe(false);
    expect(calls.filter(x => x.op === 'claim')).toEqual([]);
    expect(calls.at(-1)).toMatchObject({
      op: 'close',
      body: { status: 'failed', errorCode: 'GP-K01' },
    });
  });

  describe('the approval a new repository needs, from the ledger (§6)', () => {
    // A tier 1 service: trigger tier-1, whatever the template passed its approve step.
    const TIER1 = validated({ ...S0, tier: '1', sloAvailability: '99.9' });
    const TRIGGERS = [{ id: 'tier-1', reasons: ['tier 1 service'] }];
    const bound = TIER1.plan(TRIGGERS);
    const tier1 = (plan = bound.plan) => ({
      request: TIER1.request,
      fingerprint: TIER1.fingerprint,
      plan: plan as unknown as Record<string, unknown>,
    });
    const approved = {
      status: 'approved' as const,
      approval: {
        id: 'apr_01',
        planDigest: bound.planDigest,
        routes: [{ group: 'group:default/platform-team' }],
        decisions: [
          {
            approver: 'user:default/fatima.haddad',
            decidedAt: '2026-11-23T10:05:00Z',
            breakGlass: false,
          },
        ],
        decidedAt: '2026-11-23T10:05:00Z',
      },
    };
    /** A ledger whose only approved approval is the one of `bound`'s digest. */
    const ledgerApproving = () => {
      const fake = fakeLedger();
      const ledger = {
        ...fake.ledger,
        openApproval: async (key: string, input: any) => {
          await fake.ledger.openApproval(key, input);
          return input.planDigest === bound.planDigest
            ? approved
            : {
                status: 'pending' as const,
                approval: {
                  id: 'apr_02',
                  planDigest: input.planDigest,
                  routes: [{ group: 'group:default/platform-team' }],
                },
              };
        },
      };
      return { ...fake, ledger };
    };
    const repo = () => path.join(root, 'cart-api.git');

    it('refuses a tier 1 service the ledger holds no approval for, though the template skipped the approve step (GP-A01), and creates nothing', async () => {
      const { ledger, calls } = fakeLedger();
      await expect(
        setup(ledger).handler(ctx({ checked: tier1() }).c),
      ).rejects.toThrow(
        'GP-A01: Approval needed before anything is created: tier-1 (tier 1 service). Approval (none) is waiting for group:default/platform-team.',
      );
      expect(fs.existsSync(repo())).toBe(false);
      expect(calls.filter(c => c.op === 'claim')).toHaveLength(0);
      expect(calls.find(c => c.op === 'approval')?.body).toMatchObject({
        planDigest: bound.planDigest,
        triggers: TRIGGERS,
        action: 'goldenpath:publish:git',
      });
      // the rerun after the decision resumes instead of meeting this task's lease
      expect(calls.at(-1)).toMatchObject({
        op: 'close',
        body: { status: 'failed', errorCode: 'GP-A01' },
      });
    });

    it('the backend down at the approval lookup (before the claim) still leaves the invocation its one failed record (§4.5)', async () => {
      const fake = fakeLedger();
      const error = new ServiceUnavailableError('golden-paths backend down');
      const ledger = {
        ...fake.ledger,
        openApproval: async () => {
          throw error;
        },
      };
      const { auditor, events } = recordingAuditor();
      await expect(
        setup(ledger, undefined, auditor).handler(ctx({ checked: tier1() }).c),
      ).rejects.toBe(error);
      expect(fs.existsSync(repo())).toBe(false);
      expect(events).toHaveLength(1);
      expect(events[0].severityLevel).toBe('medium');
      expect(events[0].meta).toMatchObject({
        action: 'goldenpath:publish:git',
        requestKey: KEY,
        fingerprint: TIER1.fingerprint,
        result: 'failed',
        errorName: 'ServiceUnavailableError',
      });
    });

    it('recomputes the triggers from the request: a plan passed without them still needs the approval of the plan with them', async () => {
      // the template's preview was given no triggers (`triggers: []` → approve not-required, so
      // nobody was asked); the ledger holds no approval
      const { ledger, calls } = fakeLedger();
      const unbound = TIER1.plan([]);
      await expect(
        setup(ledger).handler(ctx({ checked: tier1(unbound.plan) }).c),
      ).rejects.toThrow(
        /^GP-A01: Approval needed before anything is created: tier-1 \(tier 1 service\)/,
      );
      expect(fs.existsSync(repo())).toBe(false);
      // the digest asked for is the plan's with the request's own trigger, not the one passed
      const asked = calls.find(c => c.op === 'approval')?.body as any;
      expect(asked.planDigest).toBe(bound.planDigest);
      expect(asked.planDigest).not.toBe(unbound.planDigest);
      expect(asked.triggers).toEqual(TRIGGERS);
    });

    it('creates the repository once the ledger holds the approval of the plan digest (V9)', async () => {
      const { ledger } = ledgerApproving();
      const { c } = ctx({ checked: tier1() });
      await setup(ledger as any).handler(c);
      expect(c.output).toHaveBeenCalledWith('created', true);
      expect(git(['--git-dir', repo(), 'rev-list', '--count', 'main'])).toBe(
        '1',
      );
    });

    it('asks for no approval when the request needs none (S0, tier 2)', async () => {
      const { ledger, calls } = fakeLedger();
      await setup(ledger).handler(ctx().c);
      expect(calls.some(c => c.op === 'approval')).toBe(false);
      expect(fs.existsSync(repo())).toBe(true);
    });

    it('refuses a create without the request, or with a request that is not the one validate checked', async () => {
      await expect(
        setup().handler(ctx({ checked: { request: undefined } }).c),
      ).rejects.toThrow(
        "goldenpath:publish:git in create mode needs request (goldenpath:validate's request and templateRef, goldenpath:preview's plan) to check the approval the request needs; pass them as the golden-path templates do. Nothing was pushed.",
      );
      await expect(
        setup().handler(
          ctx({
            checked: { request: { ...S0_VALIDATED.request, tier: 3 } },
          }).c,
        ),
      ).rejects.toThrow(/^request does not match fingerprint/);
      expect(fs.existsSync(repo())).toBe(false);
    });
  });

  /**
   * A shared infrastructure repository at commit A (resources/a-dev.yaml), and the workspace as
   * database:descriptor builds it on A: A plus this request's resources/b-dev.yaml.
   * `commitOther` commits a file on the repository's HEAD as another request would.
   */
  function infraRepository() {
    const remote = path.join(root, 'infra.git');
    git(['init', '-q', '--bare', '-b', 'main', remote]);
    const seed = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-seed-'));
    const gitIn = (args: string[]) =>
      execFileSync(
        'git',
        ['-c', 'user.name=t', '-c', 'user.email=t@x', '-C', seed, ...args],
        { encoding: 'utf8' },
      ).trim();
    gitIn(['init', '-q', '-b', 'main']);
    fs.mkdirSync(path.join(seed, 'resources'));
    const commitOther = (file: string, content: string, message: string) => {
      if (git(['--git-dir', remote, 'branch', '--list', 'main'])) {
        gitIn(['pull', '-q', remote, 'main']);
      }
      fs.writeFileSync(path.join(seed, file), content);
      gitIn(['add', '-A']);
      gitIn(['commit', '-q', '-m', message]);
      gitIn(['push', '-q', remote, 'main']);
      return git(['--git-dir', remote, 'rev-parse', 'main']);
    };
    const a = commitOther('resources/a-dev.yaml', 'a: 1\n', 'A');
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.mkdirSync(path.join(workspace, 'resources'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'resources/a-dev.yaml'), 'a: 1\n');
    fs.writeFileSync(path.join(workspace, 'resources/b-dev.yaml'), 'b: 1\n');
    return {
      remote,
      a,
      commitOther,
      cleanup: () => fs.rmSync(seed, { recursive: true, force: true }),
    };
  }

  describe('a workspace that lost what earlier steps wrote (a task resumed by scaffolder.taskRecovery)', () => {
    it.each([
      ['empty', () => {}, /found no \.goldenpath\.yaml of request/],
      [
        'only the descriptor, no skeleton',
        () =>
          fs.writeFileSync(
            path.join(workspace, 'catalog-info.yaml'),
            'kind: Component\n',
          ),
        /found only the catalog descriptor in its workspace, no skeleton/,
      ],
    ])(
      'create mode refuses a workspace holding %s, creates no repository and ends the lease',
      async (_, arrange, message) => {
        for (const name of fs.readdirSync(workspace)) {
          if (name !== '.goldenpath.yaml' || _ === 'empty')
            fs.rmSync(path.join(workspace, name), { recursive: true });
        }
        arrange();
        const run = ctx();
        const { ledger, calls } = fakeLedger();
        await expect(setup(ledger).handler(run.c)).rejects.toThrow(message);
        expect(fs.existsSync(path.join(root, 'cart-api.git'))).toBe(false);
        expect(calls.filter(x => x.op === 'close')).toEqual([
          expect.objectContaining({
            body: expect.objectContaining({ status: 'failed' }),
          }),
        ]);
      },
    );

    it('update mode refuses a commit that would delete files of the shared repository', async () => {
      const { remote, a, cleanup } = infraRepository();
      try {
        // resumed after database:descriptor: its files (and the clone of HEAD) are gone
        fs.rmSync(path.join(workspace, 'resources'), { recursive: true });
        fs.writeFileSync(path.join(workspace, 'README.md'), 'x\n');
        const run = ctx({ remote });
        (run.c as any).input = {
          ...run.c.input,
          mode: 'update',
          baseCommit: a,
        };
        await expect(setup().handler(run.c)).rejects.toThrow(
          `goldenpath:publish:git would delete 1 file(s) of ${remote} (resources/a-dev.yaml); an update only adds this request's files to what is there`,
        );
        expect(git(['--git-dir', remote, 'rev-parse', 'main'])).toBe(a);
      } finally {
        cleanup();
      }
    });
  });

  it('update mode refuses to re-parent a workspace built from an older HEAD (GP-E01, no lost files)', async () => {
    // the infrastructure repository at A; the workspace A plus b-dev
    const { remote, a, commitOther, cleanup } = infraRepository();
    try {
      // another request pushes C adding c-dev
      const c = commitOther('resources/c-dev.yaml', 'c: 1\n', 'C');

      const run = ctx({ remote });
      (run.c as any).input = {
        ...run.c.input,
        mode: 'update',
        baseCommit: a,
      };
      const first = fakeLedger();
      const { auditor, events } = recordingAuditor();
      await expect(
        setup(first.ledger, undefined, auditor).handler(run.c),
      ).rejects.toThrow(
        `GP-E01: The push to ${remote} was rejected twice; someone else is writing to it. Run again with the same key to resume.`,
      );
      // The stop is audited and ends this task's lease, so "run again" resumes (not GP-I03).
      expect(events.map(e => e.meta)).toEqual([
        expect.objectContaining({ result: 'failed', errorCode: 'GP-E01' }),
      ]);
      expect(first.calls.filter(x => x.op === 'close')).toEqual([
        expect.objectContaining({
          body: expect.objectContaining({
            status: 'failed',
            errorCode: 'GP-E01',
          }),
        }),
      ]);
      expect(git(['--git-dir', remote, 'rev-parse', 'main'])).toBe(c);
      expect(
        git(['--git-dir', remote, 'ls-tree', '-r', '--name-only', 'main']),
      ).toContain('resources/c-dev.yaml');

      // rebuilt from the new HEAD (what the re-run does), the same update publishes
      fs.writeFileSync(path.join(workspace, 'resources/c-dev.yaml'), 'c: 1\n');
      const again = ctx({ remote, taskId: 'task-2' });
      (again.c as any).input = {
        ...again.c.input,
        mode: 'update',
        baseCommit: c,
      };
      await setup().handler(again.c);
      expect(
        git([
          '--git-dir',
          remote,
          'ls-tree',
          '-r',
          '--name-only',
          'main',
        ]).split('\n'),
      ).toEqual([
        'resources/a-dev.yaml',
        'resources/b-dev.yaml',
        'resources/c-dev.yaml',
      ]);
    } finally {
      cleanup();
    }
  });

  it('update mode resumes a publish that was done before others committed to the shared repository (no GP-I05)', async () => {
    const { remote, a, commitOther, cleanup } = infraRepository();
    try {
      // this request publishes b-dev on top of A: the step is done in the ledger
      const { ledger } = fakeLedger();
      const first = ctx({ remote });
      const update = (base: string, contentDigest: string) => ({
        mode: 'update',
        baseCommit: base,
        contentDigest,
      });
      (first.c as any).input = {
        ...first.c.input,
        ...update(a, 'sha256:b-dev-1'),
      };
      await setup(ledger).handler(first.c);
      const published = git(['--git-dir', remote, 'rev-parse', 'main']);
      // a later step failed; meanwhile another request committed c-dev
      const c = commitOther('resources/c-dev.yaml', 'c: 1\n', 'C');

      // the rerun rebuilds its workspace from the new HEAD: its tree is another one
      fs.writeFileSync(path.join(workspace, 'resources/c-dev.yaml'), 'c: 1\n');
      const again = ctx({ remote, taskId: 'task-2' });
      (again.c as any).input = {
        ...again.c.input,
        ...update(c, 'sha256:b-dev-1'),
      };
      await setup(ledger).handler(again.c);
      const out = (name: string) =>
        again.c.output.mock.calls.find((x: any[]) => x[0] === name)?.[1];
      expect(out('replayed')).toBe(true);
      expect(out('commitSha')).toBe(published);
      // nothing pushed over the other request's commit
      expect(git(['--git-dir', remote, 'rev-parse', 'main'])).toBe(c);

      // its own file changed since (another owner, say): not a silent replay of the old one
      fs.writeFileSync(path.join(workspace, 'resources/b-dev.yaml'), 'b: 2\n');
      const changed = ctx({ remote, taskId: 'task-3' });
      (changed.c as any).input = {
        ...changed.c.input,
        ...update(c, 'sha256:b-dev-2'),
      };
      const { auditor, events } = recordingAuditor();
      await expect(
        setup(ledger, undefined, auditor).handler(changed.c),
      ).rejects.toThrow(/^GP-I05/);
      // the refused claim leaves this invocation's audit record (§4.5)
      expect(events.map(e => e.meta)).toEqual([
        expect.objectContaining({ result: 'failed', errorCode: 'GP-I05' }),
      ]);
    } finally {
      cleanup();
    }
  });
});
