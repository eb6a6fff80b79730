import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  actionContext,
  outputOf,
  recordingAuditor,
} from '../../__testUtils__/actionContext';
import { fakeLedger } from '../../__fixtures__/fakeLedger';
import { permissionsAnswering } from '../../__testUtils__/permissions';
import { withLifecycleRequest } from '../../__testUtils__/lifecycleRequest';
import type { LifecycleGatesAnswer } from '@internal/plugin-golden-paths-common';
import { writeCatalogInfo } from '../database/infraRepository';
import { buildLifecyclePlan } from '../preview/buildPlan';
import { createGoldenPathLifecycleAction } from './lifecycle';

const git = (args: string[], cwd?: string) =>
  execFileSync('git', args, { encoding: 'utf8', cwd }).trim();

/** Where the delete of component:default/cart-api keeps its repository (named after its key). */
const retiredIn = (root: string) =>
  path.join(
    root,
    '.deleted',
    `cart-api.${createHash('sha256')
      .update('lifecycle:component:default/cart-api:delete')
      .digest('hex')
      .slice(0, 12)}.git`,
  );
const KEY = 'service-node-http:cart-api';

const DESCRIPTOR = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: cart-api
  annotations:
    ops.example.com/request-key: ${KEY}
spec:
  type: service
  lifecycle: experimental
  owner: group:default/checkout-team
`;

function gates(
  decision: 'allow' | 'deny',
  from: string,
  to: string,
  messages: string[] = [],
) {
  return {
    entityRef: 'component:default/cart-api',
    from,
    transition: 'x',
    to,
    allowed: [],
    decision,
    gates: messages.length
      ? messages.map((m, i) => ({
          gate: `G-${i}`,
          title: '',
          status: 'fail' as const,
          message: m,
        }))
      : [{ gate: 'G-D1', title: '', status: 'pass' as const, message: 'ok' }],
    evaluation: { decision, errors: [], approvalTriggers: [] },
  } as unknown as LifecycleGatesAnswer;
}

// Each test runs tens of git processes against real repositories: on a loaded 2-core CI
// machine one took over the default 5 s, and its work, still running after the timeout, archived
// the next test's repository (which a shared `remote` variable, reassigned by the next test's
// beforeEach, then named). So each test makes its own repository (`lifecycleRepo()`): whatever a
// timed-out test leaves running names that test's repository only.
jest.setTimeout(30_000);

describe('goldenpath:lifecycle (golden-paths.md §7, local mode)', () => {
  // Removed after each test, also one that timed out (its leftover work then fails on its own
  // missing repository).
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0))
      fs.rmSync(root, { recursive: true, force: true });
  });

  /**
   * A local root of the calling test's own with `cart-api.git` (one commit of DESCRIPTOR), and the
   * helpers bound to it: a test's leftover work cannot reach another test's repository through
   * them. Each test calls it first.
   */
  function lifecycleRepo() {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-life-'));
    const remote = path.join(root, 'cart-api.git');
    const seed = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-life-w-'));
    git(['init', '-q', '--bare', '--initial-branch=main', remote]);
    git(['init', '-q', '-b', 'main'], seed);
    fs.writeFileSync(path.join(seed, 'catalog-info.yaml'), DESCRIPTOR);
    git(['add', '.'], seed);
    git(
      ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'create'],
      seed,
    );
    git(['push', '-q', remote, 'main'], seed);
    fs.rmSync(seed, { recursive: true, force: true });
    roots.push(root);

    /**
     * `lags`: the catalog still shows a retired repository's entity (its refresh lags behind).
     * `location`: the entity's `backstage.io/managed-by-location`, as the local provider writes it
     * (the repository's name under the root) unless a test says otherwise.
     */
    const catalogState = {
      lags: false,
      location: 'golden-paths-local:cart-api.git',
    };

    /**
     * A catalog that reflects the repository: the entity as HEAD describes it, or absent.
     * `onRead` runs on every lookup (a test's clock that moves as the catalog is asked).
     */
    function catalogFromRepo(onRead?: () => void) {
      let last: unknown;
      return catalogServiceMock.mock({
        getEntityByRef: jest.fn(async () => {
          onRead?.();
          if (!fs.existsSync(remote))
            return catalogState.lags ? last : undefined;
          const doc = parseAllDocuments(
            git(['--git-dir', remote, 'show', 'main:catalog-info.yaml']),
          )[0].toJS();
          doc.metadata.namespace = 'default';
          doc.metadata.annotations['backstage.io/managed-by-location'] =
            catalogState.location;
          last = doc;
          return doc;
        }),
      });
    }

    function setup(
      g: ReturnType<typeof gates>,
      permissions = permissionsAnswering('ALLOW').permissions,
      o: {
        catalog?: ReturnType<typeof catalogFromRepo>;
        now?: () => Date;
        waitSeconds?: number;
        /** The ledger's answers to `openApproval` (default: none given). */
        approvals?: any[];
      } = {},
    ) {
      const { ledger, calls } = fakeLedger({
        gates: g,
        ...(o.approvals ? { approvals: o.approvals } : {}),
      });
      const { auditor, events } = recordingAuditor();
      const action = createGoldenPathLifecycleAction({
        config: new ConfigReader({
          goldenPaths: { publish: { local: { root } } },
        }),
        ledger,
        catalog: o.catalog ?? catalogFromRepo(),
        auth: mockServices.auth(),
        permissions,
        auditor,
        pollMs: 5,
        waitSeconds: o.waitSeconds ?? 2,
        ...(o.now ? { now: o.now } : {}),
      });
      return { action, ledger, calls, events };
    }

    /** The descriptor's lifecycle at the head of the repository. */
    const lifecycleInRepo = () =>
      parseAllDocuments(
        git(['--git-dir', remote, 'show', 'main:catalog-info.yaml']),
      )[0].toJS().spec.lifecycle as string;

    /**
     * The gates as the backend evaluates them, from the entity's current state: archive is
     * allowed from deprecated; from archived it is GP-L01 (what the first attempt's own descriptor
     * change makes the backend answer on a resume).
     */
    function archiveGates(): LifecycleGatesAnswer {
      const from = lifecycleInRepo();
      if (from === 'deprecated')
        return gates('allow', 'deprecated', 'archived');
      const l01 = `GP-L01: component:default/cart-api is ${from}; "archive" is not allowed from there. Allowed next: unarchive, delete.`;
      return {
        entityRef: 'component:default/cart-api',
        from,
        transition: 'archive',
        allowed: ['unarchive', 'delete'],
        decision: 'deny',
        gates: [],
        evaluation: {
          decision: 'deny',
          errors: [{ id: 'GP-L01', outcome: 'deny', message: l01 }],
          approvalTriggers: [],
        },
      } as unknown as LifecycleGatesAnswer;
    }

    function deprecateRepo() {
      const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-life-d-'));
      git(['clone', '-q', remote, work]);
      fs.writeFileSync(
        path.join(work, 'catalog-info.yaml'),
        DESCRIPTOR.replace('lifecycle: experimental', 'lifecycle: deprecated'),
      );
      git(
        ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qam', 'dep'],
        work,
      );
      git(['push', '-q', 'origin', 'main'], work);
      fs.rmSync(work, { recursive: true, force: true });
    }

    return {
      root,
      remote,
      catalogState,
      catalogFromRepo,
      setup,
      lifecycleInRepo,
      archiveGates,
      deprecateRepo,
    };
  }

  /** The backend's gates of an entity the catalog does not have: a 404, as for any other. */
  const goneEntityGates = async (query: { entityRef: string }) => {
    throw new Error(
      `golden-paths GET /lifecycle/gates failed with 404: entity ${query.entityRef} is not in the catalog`,
    );
  };

  const input = (transition: string, extra: object = {}) =>
    withLifecycleRequest({
      requestKey: `lifecycle:component:default/cart-api:${transition}`,
      entityRef: 'component:default/cart-api',
      transition,
      reason: 'Folded into basket-api next quarter.',
      mode: 'create',
      ...extra,
    });

  it('deprecate commits the lifecycle and the deprecation annotations, then sees the catalog follow', async () => {
    const { remote, setup } = lifecycleRepo();
    const { action, events } = setup(
      gates('allow', 'experimental', 'deprecated'),
    );
    const { c } = actionContext(
      input('deprecate', {
        replacement: 'component:default/basket-api',
        sunsetOn: '2027-01-30',
      }),
    );
    await action.handler(c);
    const doc = parseAllDocuments(
      git(['--git-dir', remote, 'show', 'main:catalog-info.yaml']),
    )[0].toJS();
    expect(doc.spec.lifecycle).toBe('deprecated');
    expect(doc.metadata.annotations).toMatchObject({
      'ops.example.com/retire-by': '2027-01-30',
      'ops.example.com/replaced-by': 'component:default/basket-api',
      'ops.example.com/deprecated-reason':
        'Folded into basket-api next quarter.',
    });
    expect(git(['--git-dir', remote, 'rev-list', '--count', 'main'])).toBe('2');
    // a real run says so, and what it did (§4.6), as its audit record does
    expect(outputOf(c, 'dryRun')).toBe(false);
    expect(outputOf(c, 'effects')).toEqual([
      {
        type: 'lifecycle.set',
        target: 'component:default/cart-api',
        result: 'done',
      },
    ]);
    expect(events[0].meta.effects).toEqual(outputOf(c, 'effects'));
    expect(events[0]).toMatchObject({ severityLevel: 'high' });
    expect(events[0].meta.result).toBe('succeeded');
    // §4.5: the record names the request's fingerprint and the ledger mode it ran in
    expect(events[0].meta).toMatchObject({
      fingerprint: input('deprecate', {
        replacement: 'component:default/basket-api',
        sunsetOn: '2027-01-30',
      }).fingerprint,
      mode: 'create',
    });
  });

  describe('the repository named by golden-paths-local:<repo> (golden-paths.md §4.9)', () => {
    it('is resolved under goldenPaths.publish.local.root', async () => {
      const { remote, catalogState, setup } = lifecycleRepo();
      expect(catalogState.location).toBe('golden-paths-local:cart-api.git');
      const { action } = setup(gates('allow', 'experimental', 'deprecated'));
      await action.handler(actionContext(input('deprecate')).c);
      expect(
        git(['--git-dir', remote, 'show', 'main:catalog-info.yaml']),
      ).toContain('lifecycle: deprecated');
    });

    it('still takes the absolute path an older provider wrote when it is a repository directly under the root', async () => {
      const { remote, catalogState, setup } = lifecycleRepo();
      catalogState.location = `golden-paths-local:${remote}`;
      const { action } = setup(gates('allow', 'experimental', 'deprecated'));
      await action.handler(actionContext(input('deprecate')).c);
      expect(git(['--git-dir', remote, 'rev-list', '--count', 'main'])).toBe(
        '2',
      );
    });

    it('refuses a location that leaves the root, another path, or anything but one <name>.git segment; nothing changes', async () => {
      const { root, remote, catalogState, setup } = lifecycleRepo();
      // a repository the old code would have changed: outside the root, under its own path
      const outsideRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-life-o-'));
      roots.push(outsideRoot);
      const outside = path.join(outsideRoot, 'cart-api.git');
      git(['clone', '-q', '--bare', remote, outside]);
      const locations = [
        `golden-paths-local:../${path.basename(outsideRoot)}/cart-api.git`,
        'golden-paths-local:../x.git',
        'golden-paths-local:..',
        'golden-paths-local:sub/cart-api.git',
        'golden-paths-local:sub\\cart-api.git',
        'golden-paths-local:cart\0api.git',
        'golden-paths-local:cart-api',
        'golden-paths-local:',
        `golden-paths-local:${outside}`,
        `golden-paths-local:${root}/../${path.basename(root)}/cart-api.git`,
        `golden-paths-local:${root}/cart-api.git/`,
      ];
      for (const location of locations) {
        catalogState.location = location;
        const { action } = setup(gates('allow', 'experimental', 'deprecated'));
        await expect(
          action.handler(actionContext(input('deprecate')).c),
        ).rejects.toMatchObject({
          name: 'InputError',
          message: `component:default/cart-api is not in a locally published repository (${location} does not name a repository under goldenPaths.publish.local.root). Nothing was changed.`,
        });
      }
      for (const repo of [remote, outside]) {
        expect(git(['--git-dir', repo, 'rev-list', '--count', 'main'])).toBe(
          '1',
        );
      }
    });

    it('refuses a delete whose location leaves the root before any gate', async () => {
      const { remote, catalogState, setup } = lifecycleRepo();
      catalogState.location = 'golden-paths-local:../cart-api.git';
      const { action, calls } = setup(
        gates('allow', 'experimental', 'deleted'),
      );
      await expect(
        action.handler(actionContext(input('delete')).c),
      ).rejects.toMatchObject({
        name: 'InputError',
        message:
          'component:default/cart-api is not in a locally published repository (golden-paths-local:../cart-api.git does not name a repository under goldenPaths.publish.local.root). Nothing was changed.',
      });
      expect(fs.existsSync(remote)).toBe(true);
      expect(calls.some(x => x.op === 'claim')).toBe(false);
    });
  });

  it('refuses with the gate texts and changes nothing (V31)', async () => {
    const { remote, setup } = lifecycleRepo();
    const l02 =
      'GP-L02: Promotion to production needs scorecard level L2; component:default/cart-api is at L0. Blocking: telemetry-present.';
    const l04 =
      'GP-L04: Promotion needs a successful staging deploy in the last 30 days; the change ledger has none for component:default/cart-api.';
    const { action, calls } = setup(
      gates('deny', 'experimental', 'production', [l02, l04]),
    );
    await expect(
      action.handler(actionContext(input('promote')).c),
    ).rejects.toThrow(`${l02}\n${l04}`);
    expect(git(['--git-dir', remote, 'rev-list', '--count', 'main'])).toBe('1');
    expect(calls.some(x => x.op === 'claim')).toBe(false);
    // the request is failed and this task's lease ended: a rerun once the gates pass resumes
    // instead of meeting GP-I03 for 15 minutes
    expect(calls.at(-1)).toMatchObject({
      op: 'close',
      body: { taskId: 'task-1', status: 'failed', errorCode: 'GP-L02' },
    });
  });

  describe('approval and the validated request, checked here rather than by template wiring (§6)', () => {
    const TIER1 = [
      { id: 'tier-1', reasons: ['promotion of a tier 1 component'] },
    ];
    /** Gates that pass a tier 1 promotion, which needs approval. */
    const tier1Promotion = () => {
      const g = gates('allow', 'experimental', 'production') as any;
      g.decision = 'needs-approval';
      g.evaluation = {
        decision: 'needs-approval',
        errors: [],
        approvalTriggers: TIER1,
      };
      return g as LifecycleGatesAnswer;
    };
    /** T5's promote inputs with the preview's plan of it, given `triggers`. */
    const promote = (triggers: typeof TIER1 | [] = TIER1) => {
      const i = input('promote');
      const built = buildLifecyclePlan({
        requestKey: i.requestKey,
        fingerprint: i.fingerprint,
        template: { ref: i.templateRef, version: '1.0.0' },
        policyVersion: '2026.11.0',
        approvalTriggers: triggers as any,
        entityRef: i.entityRef,
        transition: 'promote',
      });
      return {
        ...i,
        plan: built.plan as unknown as Record<string, unknown>,
        digest: built.planDigest,
      };
    };
    const approved = {
      status: 'approved',
      approval: {
        id: 'apr_01',
        planDigest: 'x',
        routes: [{ group: 'group:default/platform-team' }],
        decisions: [
          {
            approver: 'user:default/fatima.haddad',
            decidedAt: '2026-11-23T10:05:00Z',
            breakGlass: false,
          },
        ],
      },
    };

    it('refuses a tier 1 promotion the ledger holds no approval for, though the template skipped the approve step (GP-A01); nothing changes', async () => {
      const { remote, setup, lifecycleInRepo } = lifecycleRepo();
      const { action, calls } = setup(tier1Promotion());
      const { digest, ...i } = promote([]);
      await expect(action.handler(actionContext(i).c)).rejects.toThrow(
        /^GP-A01: Approval needed before anything is created: tier-1 \(promotion of a tier 1 component\)/,
      );
      expect(lifecycleInRepo()).toBe('experimental');
      expect(git(['--git-dir', remote, 'rev-list', '--count', 'main'])).toBe(
        '1',
      );
      expect(calls.some(x => x.op === 'claim')).toBe(false);
      // the digest asked for carries the gates' trigger, whatever the plan passed said
      const asked = calls.find(x => x.op === 'approval')?.body as any;
      expect(asked).toMatchObject({
        planDigest: promote().digest,
        triggers: TIER1,
      });
      expect(asked.planDigest).not.toBe(digest);
    });

    it('applies it once the ledger holds the approval of the preview plan digest, and audits who approved', async () => {
      const { setup, lifecycleInRepo } = lifecycleRepo();
      const { action, calls, events } = setup(tier1Promotion(), undefined, {
        approvals: [approved],
      });
      const { digest, ...i } = promote();
      await action.handler(actionContext(i).c);
      expect(lifecycleInRepo()).toBe('production');
      expect(
        (calls.find(x => x.op === 'approval')?.body as any).planDigest,
      ).toBe(digest);
      expect(events.at(-1)!.meta).toMatchObject({
        decision: 'approved',
        approval: { id: 'apr_01', approvers: ['user:default/fatima.haddad'] },
      });
    });

    it('refuses an entity or transition other than the request validate checked; nothing changes', async () => {
      const { remote, setup } = lifecycleRepo();
      const { action, calls } = setup(
        gates('allow', 'experimental', 'deprecated'),
      );
      const validated = input('deprecate', {
        replacement: 'component:default/basket-api',
        sunsetOn: '2027-01-30',
      });
      await expect(
        action.handler(
          actionContext({
            ...validated,
            entityRef: 'component:default/checkout-service',
          }).c,
        ),
      ).rejects.toThrow(
        "goldenpath:lifecycle was given entityRef other than the request validate checked (deprecate of component:default/cart-api); pass goldenpath:validate's request fields unchanged. Nothing was changed.",
      );
      await expect(
        action.handler(
          actionContext({ ...validated, transition: 'archive' }).c,
        ),
      ).rejects.toThrow(/^goldenpath:lifecycle was given transition other/);
      // another spelling of the same entity is the same entity
      await action.handler(
        actionContext({ ...validated, entityRef: 'Component:cart-api' }).c,
      );
      expect(git(['--git-dir', remote, 'rev-list', '--count', 'main'])).toBe(
        '2',
      );
      expect(calls.filter(x => x.op === 'gates')).toHaveLength(1);
    });

    it('refuses without the request validate checked, or with one that does not match its fingerprint', async () => {
      const { setup } = lifecycleRepo();
      const { action, calls } = setup(
        gates('allow', 'experimental', 'deprecated'),
      );
      const { request, templateRef, ...bare } = input('deprecate');
      await expect(action.handler(actionContext(bare).c)).rejects.toThrow(
        "goldenpath:lifecycle needs request and templateRef (goldenpath:validate's outputs) to prove which entity and transition were validated; pass them as the lifecycle-transition template does. Nothing was changed.",
      );
      await expect(
        action.handler(
          actionContext({
            ...input('deprecate'),
            request: {
              ...request,
              entity: 'component:default/checkout-service',
            },
          }).c,
        ),
      ).rejects.toThrow(/^request does not match fingerprint/);
      // nothing read or claimed; the request is only released (a real run)
      expect(calls.map(x => x.op)).toEqual(['close', 'close']);
    });
  });

  it('archive makes the repository read-only; unarchive makes it writable again', async () => {
    const { remote, setup } = lifecycleRepo();
    await setup(gates('allow', 'deprecated', 'archived')).action.handler(
      actionContext(input('archive')).c,
    );
    expect(fs.existsSync(path.join(remote, 'hooks', 'pre-receive'))).toBe(true);
    const doc = parseAllDocuments(
      git(['--git-dir', remote, 'show', 'main:catalog-info.yaml']),
    )[0].toJS();
    expect(doc.spec.lifecycle).toBe('archived');
    expect(doc.metadata.annotations['ops.example.com/archived-on']).toMatch(
      /^\d{4}-\d{2}-\d{2}$/,
    );
    // a dry run of unarchive lists the repository finalizer first, as the real run runs it
    const dryRun = actionContext(input('unarchive'), { isDryRun: true }).c;
    await setup(gates('allow', 'archived', 'deprecated')).action.handler(
      dryRun,
    );
    expect(outputOf(dryRun, 'effects')).toEqual([
      {
        type: 'finalizer.run',
        target: `repository ${remote}: writable`,
        result: 'would',
      },
      {
        type: 'lifecycle.set',
        target: 'component:default/cart-api',
        result: 'would',
      },
    ]);
    expect(fs.existsSync(path.join(remote, 'hooks', 'pre-receive'))).toBe(true);
    const { c } = actionContext(input('unarchive'));
    await setup(gates('allow', 'archived', 'deprecated')).action.handler(c);
    expect(fs.existsSync(path.join(remote, 'hooks', 'pre-receive'))).toBe(
      false,
    );
    expect(outputOf(c, 'effects')).toEqual(
      outputOf(dryRun, 'effects').map((e: object) => ({
        ...e,
        result: 'done',
      })),
    );
  });

  it('archive pauses a worker (schedules finalizer, §7.3) before the repository turns read-only; unarchive resumes it', async () => {
    const { remote, setup } = lifecycleRepo();
    // the entity becomes a worker
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-life-w-'));
    git(['clone', '-q', remote, work]);
    fs.writeFileSync(
      path.join(work, 'catalog-info.yaml'),
      DESCRIPTOR.replace('type: service', 'type: worker'),
    );
    git(
      ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qam', 'worker'],
      work,
    );
    git(['push', '-q', 'origin', 'main'], work);
    fs.rmSync(work, { recursive: true, force: true });
    const head = () =>
      parseAllDocuments(
        git(['--git-dir', remote, 'show', 'main:catalog-info.yaml']),
      )[0].toJS();

    // A dry run lists every step the real run then runs (the finalizers too), only `would`.
    const dry = setup(gates('allow', 'deprecated', 'archived'));
    const dryRun = actionContext(input('archive'), { isDryRun: true }).c;
    await dry.action.handler(dryRun);
    expect(outputOf(dryRun, 'effects')).toEqual([
      {
        type: 'lifecycle.set',
        target: 'component:default/cart-api',
        result: 'would',
      },
      {
        type: 'finalizer.run',
        target: 'schedules of component:default/cart-api: paused',
        result: 'would',
      },
      {
        type: 'finalizer.run',
        target: `repository ${remote}: read-only`,
        result: 'would',
      },
    ]);
    expect(dry.events[0].meta.effects).toEqual(outputOf(dryRun, 'effects'));
    expect(dry.calls.map(x => x.op)).toEqual(['gates']);
    expect(fs.existsSync(path.join(remote, 'hooks', 'pre-receive'))).toBe(
      false,
    );

    const archive = setup(gates('allow', 'deprecated', 'archived'));
    const { c } = actionContext(input('archive'));
    await archive.action.handler(c);
    expect(outputOf(c, 'effects')).toEqual(
      outputOf(dryRun, 'effects').map((e: object) => ({
        ...e,
        result: 'done',
      })),
    );
    expect(head().spec.lifecycle).toBe('archived');
    expect(head().metadata.annotations['ops.example.com/paused']).toBe('true');
    expect(fs.existsSync(path.join(remote, 'hooks', 'pre-receive'))).toBe(true);
    // each finalizer is its own claimed step, in order
    const claims = archive.calls
      .filter(call => call.op === 'claim')
      .map(call => (call.body as { stepId: string }).stepId);
    expect(claims).toEqual([
      'mock-step-id',
      'mock-step-id:schedules',
      'mock-step-id:repository',
    ]);

    await setup(gates('allow', 'archived', 'deprecated')).action.handler(
      actionContext(input('unarchive')).c,
    );
    expect(head().spec.lifecycle).toBe('deprecated');
    expect(
      head().metadata.annotations['ops.example.com/paused'],
    ).toBeUndefined();
  });

  it('pauses nothing when a service is archived', async () => {
    const { setup } = lifecycleRepo();
    const archive = setup(gates('allow', 'deprecated', 'archived'));
    await archive.action.handler(actionContext(input('archive')).c);
    expect(
      archive.calls
        .filter(call => call.op === 'claim')
        .map(call => (call.body as { stepId: string }).stepId),
    ).toEqual(['mock-step-id', 'mock-step-id:repository']);
  });

  it('resumes a partial archive: gates its own change now fails do not refuse it, done steps are not repeated', async () => {
    const {
      root,
      remote,
      catalogFromRepo,
      lifecycleInRepo,
      archiveGates,
      deprecateRepo,
    } = lifecycleRepo();
    deprecateRepo();
    const { ledger, calls } = fakeLedger();
    ledger.lifecycleGates = async query => {
      calls.push({ op: 'gates', key: query.entityRef, body: query });
      return archiveGates();
    };
    const { auditor, events } = recordingAuditor();
    const action = createGoldenPathLifecycleAction({
      config: new ConfigReader({
        goldenPaths: { publish: { local: { root } } },
      }),
      ledger,
      catalog: catalogFromRepo(),
      auth: mockServices.auth(),
      permissions: permissionsAnswering('ALLOW').permissions,
      auditor,
      pollMs: 5,
      waitSeconds: 2,
    });
    const hook = path.join(remote, 'hooks', 'pre-receive');

    // First attempt: the descriptor change lands, the repository finalizer fails (its hook path
    // is a dangling link: git ignores it, writing through it fails).
    fs.symlinkSync(path.join(root, 'missing', 'pre-receive'), hook);
    const first = actionContext(input('archive'), { taskId: 'task-1' }).c;
    first.step = { id: 'lifecycle' };
    await expect(action.handler(first)).rejects.toThrow(/ENOENT/);
    expect(lifecycleInRepo()).toBe('archived');
    expect(git(['--git-dir', remote, 'rev-list', '--count', 'main'])).toBe('3');

    // The cause is repaired. A dry run of the rerun says what it will do: the done descriptor
    // step is only replayed, the repository finalizer would run; it reads the steps, claims none.
    fs.rmSync(hook, { force: true });
    calls.length = 0;
    const dry = actionContext(input('archive', { mode: 'resume' }), {
      taskId: 'task-2',
      isDryRun: true,
    }).c;
    dry.step = { id: 'lifecycle' };
    await action.handler(dry);
    expect(outputOf(dry, 'effects')).toEqual([
      {
        type: 'lifecycle.set',
        target: 'component:default/cart-api',
        result: 'replayed',
      },
      {
        type: 'finalizer.run',
        target: `repository ${remote}: read-only`,
        result: 'would',
      },
    ]);
    expect(calls.map(x => x.op)).toEqual(['gates', 'step', 'step']);
    expect(fs.existsSync(hook)).toBe(false);

    // The rerun (a new task) resumes the request.
    calls.length = 0;
    const { c } = actionContext(input('archive', { mode: 'resume' }), {
      taskId: 'task-2',
    });
    c.step = { id: 'lifecycle' };
    await action.handler(c);

    expect(fs.statSync(hook).isFile()).toBe(true);
    // one descriptor commit for the request, not a second one
    expect(git(['--git-dir', remote, 'rev-list', '--count', 'main'])).toBe('3');
    // the done descriptor step is answered from the ledger, not run again
    const ran = calls
      .filter(x => x.op === 'complete')
      .map(x => (x.body as { stepId: string; status: string }).stepId);
    expect(ran).toEqual(['lifecycle:repository']);
    expect(outputOf(c, 'from')).toBe('deprecated');
    expect(outputOf(c, 'to')).toBe('archived');
    expect(events.at(-1)?.meta).toMatchObject({
      decision: 'allow',
      result: 'succeeded',
      effects: [
        {
          type: 'lifecycle.set',
          target: 'component:default/cart-api',
          result: 'replayed',
        },
        {
          type: 'finalizer.run',
          target: `repository ${remote}: read-only`,
          result: 'done',
        },
      ],
    });

    // Once more (say the catalog had not caught up): every step is done, none runs again.
    calls.length = 0;
    const again = actionContext(input('archive', { mode: 'resume' }), {
      taskId: 'task-3',
    }).c;
    again.step = { id: 'lifecycle' };
    await action.handler(again);
    expect(calls.filter(x => x.op === 'complete')).toEqual([]);
    expect(outputOf(again, 'replayed')).toBe(true);
    expect(git(['--git-dir', remote, 'rev-list', '--count', 'main'])).toBe('3');
  });

  it('a descriptor change pushed before its step was recorded is not made again on a later day', async () => {
    const { root, remote, catalogFromRepo, archiveGates, deprecateRepo } =
      lifecycleRepo();
    deprecateRepo();
    const { ledger, calls } = fakeLedger();
    ledger.lifecycleGates = async () => archiveGates();
    // The first attempt pushes, then the ledger does not record the step as done.
    const complete = ledger.completeStep.bind(ledger);
    ledger.completeStep = async (key, stepId, body) => {
      if (
        stepId === 'lifecycle' &&
        body.status === 'done' &&
        body.taskId === 'task-1'
      )
        throw new Error('ledger unavailable');
      return complete(key, stepId, body);
    };
    let at = Date.parse('2026-11-23T10:00:00Z');
    const action = createGoldenPathLifecycleAction({
      config: new ConfigReader({
        goldenPaths: { publish: { local: { root } } },
      }),
      ledger,
      catalog: catalogFromRepo(),
      auth: mockServices.auth(),
      permissions: permissionsAnswering('ALLOW').permissions,
      pollMs: 5,
      waitSeconds: 2,
      now: () => new Date(at),
    });
    const first = actionContext(input('archive'), { taskId: 'task-1' }).c;
    first.step = { id: 'lifecycle' };
    await expect(action.handler(first)).rejects.toThrow('ledger unavailable');
    const archivedOn = () =>
      parseAllDocuments(
        git(['--git-dir', remote, 'show', 'main:catalog-info.yaml']),
      )[0].toJS().metadata.annotations['ops.example.com/archived-on'];
    expect(archivedOn()).toBe('2026-11-23');

    at += 3 * 86_400_000; // the rerun, three days later
    calls.length = 0;
    const { c } = actionContext(input('archive', { mode: 'resume' }), {
      taskId: 'task-2',
    });
    c.step = { id: 'lifecycle' };
    await action.handler(c);
    expect(
      calls
        .filter(x => x.op === 'complete')
        .map(x => (x.body as { stepId: string }).stepId),
    ).toEqual(['lifecycle', 'lifecycle:repository']);
    expect(git(['--git-dir', remote, 'rev-list', '--count', 'main'])).toBe('3');
    expect(archivedOn()).toBe('2026-11-23');
  });

  it('a resume whose first attempt never changed the entity still meets the gates', async () => {
    const { root, remote, catalogFromRepo } = lifecycleRepo();
    const { ledger, calls } = fakeLedger({
      gates: gates('deny', 'experimental', 'production', [
        'GP-L04: Promotion needs a successful staging deploy in the last 30 days; the change ledger has none for component:default/cart-api.',
      ]),
    });
    const action = createGoldenPathLifecycleAction({
      config: new ConfigReader({
        goldenPaths: { publish: { local: { root } } },
      }),
      ledger,
      catalog: catalogFromRepo(),
      auth: mockServices.auth(),
      permissions: permissionsAnswering('ALLOW').permissions,
      pollMs: 5,
      waitSeconds: 2,
    });
    await expect(
      action.handler(actionContext(input('promote', { mode: 'resume' })).c),
    ).rejects.toThrow(/^GP-L04/);
    expect(calls.some(x => x.op === 'claim')).toBe(false);
    expect(git(['--git-dir', remote, 'rev-list', '--count', 'main'])).toBe('1');
  });

  it('delete moves the repository out of the provider root and waits until the entity is gone (V34)', async () => {
    const { root, remote, setup } = lifecycleRepo();
    const { action, events } = setup(gates('allow', 'archived', 'deleted'));
    await action.handler(actionContext(input('delete')).c);
    expect(fs.existsSync(remote)).toBe(false);
    expect(fs.existsSync(retiredIn(root))).toBe(true);
    expect(events[0]).toMatchObject({ severityLevel: 'critical' });
  });

  it('a delete whose catalog wait timed out converges on a rerun with the same key: the request is failed (no lease left), the rerun finds the entity gone and its delete step done and succeeds as replayed', async () => {
    const { root, catalogState, setup } = lifecycleRepo();
    const { action, calls, events } = setup(
      gates('allow', 'archived', 'deleted'),
    );
    catalogState.lags = true;
    await expect(
      action.handler(actionContext(input('delete'), { taskId: 'task-1' }).c),
    ).rejects.toThrow(
      /but the catalog does not show component:default\/cart-api as deleted yet; run again with the same key to confirm\.$/,
    );
    expect(fs.existsSync(retiredIn(root))).toBe(true);
    // the rerun it asks for must not meet this task's lease (GP-I03)
    expect(calls.filter(x => x.op === 'close')).toEqual([
      expect.objectContaining({
        body: { taskId: 'task-1', status: 'failed' },
      }),
    ]);

    catalogState.lags = false; // the catalog caught up: the entity is gone
    calls.length = 0;
    const { c } = actionContext(input('delete', { mode: 'resume' }), {
      taskId: 'task-2',
    });
    await action.handler(c);
    expect(outputOf(c, 'replayed')).toBe(true);
    expect(outputOf(c, 'from')).toBe('archived');
    expect(outputOf(c, 'to')).toBe('deleted');
    expect(outputOf(c, 'dryRun')).toBe(false);
    expect(outputOf(c, 'effects')).toEqual([
      {
        type: 'catalog.unregister',
        target: 'component:default/cart-api',
        result: 'replayed',
      },
    ]);
    // the ledger decided: no gates of an absent entity, nothing run or recorded again
    expect(calls.map(x => x.op)).toEqual(['claim']);
    expect(fs.existsSync(retiredIn(root))).toBe(true);
    expect(events.at(-1)).toMatchObject({
      severityLevel: 'critical',
      meta: {
        mode: 'resume',
        result: 'replayed',
        targets: ['component:default/cart-api', retiredIn(root)],
        effects: [
          {
            type: 'catalog.unregister',
            target: 'component:default/cart-api',
            result: 'replayed',
          },
        ],
      },
    });
  });

  it("a dry run of that rerun takes the real run's path: it reads the done delete step (no claim, no write) and reports the replay, not the gates' 404", async () => {
    const { root, catalogState, setup } = lifecycleRepo();
    const { action, ledger, calls, events } = setup(
      gates('allow', 'archived', 'deleted'),
    );
    catalogState.lags = true;
    await expect(
      action.handler(actionContext(input('delete'), { taskId: 'task-1' }).c),
    ).rejects.toThrow('run again with the same key to confirm');
    catalogState.lags = false;
    ledger.lifecycleGates = goneEntityGates;

    calls.length = 0;
    const { c } = actionContext(input('delete', { mode: 'resume' }), {
      taskId: 'task-2',
      isDryRun: true,
    });
    await action.handler(c);
    // what the real rerun outputs
    expect(outputOf(c, 'replayed')).toBe(true);
    expect(outputOf(c, 'from')).toBe('archived');
    expect(outputOf(c, 'to')).toBe('deleted');
    expect(outputOf(c, 'gates')).toEqual([]);
    // ...and, as the real rerun, that the unregistration is only replayed (nothing happens in
    // either run), in the audit record too
    const unregister = {
      type: 'catalog.unregister',
      target: 'component:default/cart-api',
      result: 'replayed',
    };
    expect(outputOf(c, 'dryRun')).toBe(true);
    expect(outputOf(c, 'effects')).toEqual([unregister]);
    // read-only: the step is looked up, not claimed; the request is not touched
    expect(calls.map(x => x.op)).toEqual(['step']);
    expect(events.at(-1)).toMatchObject({
      severityLevel: 'low',
      meta: {
        dryRun: true,
        mode: 'resume',
        result: 'replayed',
        targets: ['component:default/cart-api', retiredIn(root)],
        effects: [unregister],
      },
    });
  });

  it('a dry run of a resumed delete this request never made refuses as the real run does, claiming nothing and leaving the request as it is', async () => {
    const { remote, setup } = lifecycleRepo();
    const { action, ledger, calls, events } = setup(
      gates('allow', 'archived', 'deleted'),
    );
    ledger.lifecycleGates = goneEntityGates;
    fs.renameSync(remote, `${remote}.elsewhere`); // not this request's doing
    await expect(
      action.handler(
        actionContext(input('delete', { mode: 'resume' }), { isDryRun: true })
          .c,
      ),
    ).rejects.toThrow(
      'component:default/cart-api is not in the catalog, and no earlier attempt of lifecycle:component:default/cart-api:delete deleted it; nothing was changed.',
    );
    expect(calls.map(x => x.op)).toEqual(['step']);
    expect(events.at(-1)).toMatchObject({
      severityLevel: 'low',
      meta: { dryRun: true, decision: 'deny', result: 'failed' },
    });
  });

  it('times the catalog wait with the injected clock: a wait of an hour ends when the clock has moved an hour', async () => {
    const { catalogState, catalogFromRepo, setup } = lifecycleRepo();
    let t = Date.parse('2026-11-23T10:00:00Z');
    const start = t;
    catalogState.lags = true;
    const { action, calls } = setup(
      gates('allow', 'archived', 'deleted'),
      undefined,
      {
        // every catalog lookup takes ten minutes by this clock (milliseconds by the machine's)
        catalog: catalogFromRepo(() => {
          t += 10 * 60_000;
        }),
        now: () => new Date(t),
        waitSeconds: 3600,
      },
    );
    await expect(
      action.handler(actionContext(input('delete')).c),
    ).rejects.toThrow(
      'but the catalog does not show component:default/cart-api as deleted yet; run again with the same key to confirm.',
    );
    // the deadline came from the clock: an hour of it (and not a poll more), not an hour of waiting
    expect(t - start).toBeGreaterThanOrEqual(3600_000);
    expect(t - start).toBeLessThan(3600_000 + 3 * 10 * 60_000);
    expect(calls.filter(x => x.op === 'close')).toEqual([
      expect.objectContaining({ body: { taskId: 'task-1', status: 'failed' } }),
    ]);
  });

  it("dates the descriptor commit and archived-on by the injected clock, not the machine's", async () => {
    const { remote, setup } = lifecycleRepo();
    const { action } = setup(
      gates('allow', 'deprecated', 'archived'),
      undefined,
      { now: () => new Date('2026-11-23T10:00:00.000Z') },
    );
    await action.handler(actionContext(input('archive')).c);
    const doc = parseAllDocuments(
      git(['--git-dir', remote, 'show', 'main:catalog-info.yaml']),
    )[0].toJS();
    expect(doc.metadata.annotations['ops.example.com/archived-on']).toBe(
      '2026-11-23',
    );
    expect(
      git(['--git-dir', remote, 'log', '-1', '--format=%aI %cI', 'main']),
    ).toBe('2026-11-23T10:00:00+00:00 2026-11-23T10:00:00+00:00');
  });

  it('a resumed delete of an entity the catalog does not have, which this request never deleted, is refused: the claim is given back failed and nothing changes', async () => {
    const { root, remote, setup } = lifecycleRepo();
    const { action, calls } = setup(gates('allow', 'archived', 'deleted'));
    fs.renameSync(remote, `${remote}.elsewhere`); // not this request's doing
    await expect(
      action.handler(actionContext(input('delete', { mode: 'resume' })).c),
    ).rejects.toThrow(
      'component:default/cart-api is not in the catalog, and no earlier attempt of lifecycle:component:default/cart-api:delete deleted it; nothing was changed.',
    );
    expect(calls.map(x => [x.op, (x.body as any)?.status])).toEqual([
      ['claim', undefined],
      ['complete', 'failed'],
      ['close', 'failed'],
    ]);
    expect(fs.existsSync(path.join(root, '.deleted'))).toBe(false);
  });

  it('a new delete of an entity the catalog does not have is refused by the gates, with no claim (as before)', async () => {
    const { root, remote, catalogFromRepo } = lifecycleRepo();
    const { ledger, calls } = fakeLedger();
    ledger.lifecycleGates = async query => {
      calls.push({ op: 'gates', key: query.entityRef });
      throw new Error(
        'golden-paths GET /lifecycle/gates failed with 404: entity component:default/cart-api is not in the catalog',
      );
    };
    fs.rmSync(remote, { recursive: true, force: true });
    const action = createGoldenPathLifecycleAction({
      config: new ConfigReader({
        goldenPaths: { publish: { local: { root } } },
      }),
      ledger,
      catalog: catalogFromRepo(),
      auth: mockServices.auth(),
      permissions: permissionsAnswering('ALLOW').permissions,
    });
    await expect(
      action.handler(actionContext(input('delete')).c),
    ).rejects.toThrow('failed with 404');
    expect(calls.map(x => x.op)).toEqual(['gates']);
  });

  it('a replay changes nothing', async () => {
    const { remote, setup } = lifecycleRepo();
    const { action, calls } = setup(
      gates('allow', 'experimental', 'deprecated'),
    );
    await action.handler(
      actionContext(input('deprecate', { mode: 'replay' })).c,
    );
    expect(calls).toHaveLength(0);
    expect(git(['--git-dir', remote, 'rev-list', '--count', 'main'])).toBe('1');
  });

  it('dry run evaluates the gates only', async () => {
    const { remote, setup } = lifecycleRepo();
    const { action, calls } = setup(
      gates('allow', 'experimental', 'deprecated'),
    );
    await action.handler(
      actionContext(input('deprecate'), { isDryRun: true }).c,
    );
    expect(calls.map(x => x.op)).toEqual(['gates']);
    expect(git(['--git-dir', remote, 'rev-list', '--count', 'main'])).toBe('1');
  });

  it('dry run writes one low audit record (would, skipped) (§4.5)', async () => {
    const { setup } = lifecycleRepo();
    const { action, events } = setup(
      gates('allow', 'experimental', 'deprecated'),
    );
    await action.handler(
      actionContext(input('deprecate'), { isDryRun: true }).c,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ severityLevel: 'low' });
    expect(events[0].meta).toMatchObject({
      action: 'goldenpath:lifecycle',
      result: 'skipped',
      dryRun: true,
      effects: [
        {
          type: 'lifecycle.set',
          target: 'component:default/cart-api',
          result: 'would',
        },
      ],
    });
  });

  it('refuses an initiator without goldenpaths.lifecycle.transition on the entity before any gate or change (§6.4)', async () => {
    const { root, remote, catalogFromRepo } = lifecycleRepo();
    const { permissions, asked } = permissionsAnswering('DENY');
    const { ledger, calls } = fakeLedger({
      gates: gates('allow', 'experimental', 'deprecated'),
    });
    const { auditor, events } = recordingAuditor();
    const action = createGoldenPathLifecycleAction({
      config: new ConfigReader({
        goldenPaths: { publish: { local: { root } } },
      }),
      ledger,
      catalog: catalogFromRepo(),
      auth: mockServices.auth(),
      permissions,
      auditor,
      pollMs: 5,
      waitSeconds: 2,
    });
    const { c } = actionContext(
      input('deprecate', {
        entityRef: 'component:cart-api',
        replacement: 'component:default/basket-api',
        sunsetOn: '2027-01-30',
      }),
    );
    const initiator = await c.getInitiatorCredentials();
    await expect(action.handler(c)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        'goldenpaths.lifecycle.transition is not allowed for user:default/mock on component:default/cart-api; nothing was changed.',
    });
    expect(asked).toEqual([
      {
        permission: 'goldenpaths.lifecycle.transition',
        resourceRef: 'component:default/cart-api',
        credentials: initiator,
      },
    ]);
    // no gate read, no claim: only the request released (a real run after ledger:open)
    expect(calls.map(x => [x.op, (x.body as any)?.status])).toEqual([
      ['close', 'failed'],
    ]);
    expect(git(['--git-dir', remote, 'rev-list', '--count', 'main'])).toBe('1');
    expect(events[0]).toMatchObject({
      severityLevel: 'high',
      meta: { decision: 'deny', result: 'failed' },
    });
  });

  it('checks goldenpaths.lifecycle.transition with the initiator, not the scaffolder, before it changes anything; asks the gates on their behalf', async () => {
    const { remote, setup } = lifecycleRepo();
    const { permissions, asked } = permissionsAnswering('ALLOW');
    const { action, calls } = setup(
      gates('allow', 'experimental', 'deprecated'),
      permissions,
    );
    const { c } = actionContext(
      input('deprecate', {
        replacement: 'component:default/basket-api',
        sunsetOn: '2027-01-30',
      }),
    );
    await action.handler(c);
    expect(asked).toEqual([
      {
        permission: 'goldenpaths.lifecycle.transition',
        resourceRef: 'component:default/cart-api',
        credentials: await c.getInitiatorCredentials(),
      },
    ]);
    // the gate lines reach the task log: they name only what the initiator may read
    expect(calls.filter(x => x.op === 'gates').map(x => x.credentials)).toEqual(
      [await c.getInitiatorCredentials()],
    );
    expect(git(['--git-dir', remote, 'rev-list', '--count', 'main'])).toBe('2');
  });

  describe('work a test leaves running (as after its timeout)', () => {
    let leftover: { release: () => void; done: Promise<void> } | undefined;

    it('acts on its own repository…', async () => {
      const { remote } = lifecycleRepo();
      let release = () => {};
      const released = new Promise<void>(r => {
        release = r;
      });
      // what the timed-out archive did: make the repository read-only, after the test ended (its
      // own repository is gone by then, so the write fails there)
      const done = released
        .then(() =>
          fs.writeFileSync(
            path.join(remote, 'hooks', 'pre-receive'),
            'exit 1\n',
          ),
        )
        .catch(() => undefined);
      leftover = { release, done };
      expect(fs.existsSync(path.join(remote, 'hooks', 'pre-receive'))).toBe(
        false,
      );
    });

    it('…never on the one the next test made', async () => {
      const { remote } = lifecycleRepo();
      leftover!.release();
      await leftover!.done;
      expect(fs.existsSync(path.join(remote, 'hooks', 'pre-receive'))).toBe(
        false,
      );
    });
  });
});

describe('goldenpath:lifecycle — database Resources in the shared infrastructure repository (§3.3, §7.1)', () => {
  const HEADER =
    '# Platform-owned; written by the postgres-database golden path (golden-paths.md §3.3).\n';
  const resourceFile = (name: string, lifecycle: string) =>
    `${HEADER}apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: ${name}
  annotations:
    ops.example.com/lifecycle: ${lifecycle}
    ops.example.com/request-key: postgres-database:${name.replace(
      /-dev$/,
      '',
    )}:dev
    ops.example.com/template: template:default/postgres-database
spec:
  type: database
  owner: group:default/checkout-team
  dependencyOf:
    - component:default/cart-api
`;
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0))
      fs.rmSync(root, { recursive: true, force: true });
  });

  /**
   * A local root of the test's own (made by the test itself) with `platform-infra.git` (both Resources `experimental`), and
   * the helpers bound to it (see `lifecycleRepo` above for why each test makes its own).
   */
  async function infraRepo() {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-life-infra-'));
    const infra = path.join(root, 'platform-infra.git');
    const seed = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-life-infra-w-'));
    git(['init', '-q', '--bare', '--initial-branch=main', infra]);
    git(['init', '-q', '-b', 'main'], seed);
    fs.mkdirSync(path.join(seed, 'resources'));
    fs.writeFileSync(
      path.join(seed, 'resources', 'cart-db-dev.yaml'),
      resourceFile('cart-db-dev', 'experimental'),
    );
    fs.writeFileSync(
      path.join(seed, 'resources', 'search-db-dev.yaml'),
      resourceFile('search-db-dev', 'experimental'),
    );
    await writeCatalogInfo(seed);
    git(['add', '.'], seed);
    git(
      ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'create'],
      seed,
    );
    git(['push', '-q', infra, 'main'], seed);
    fs.rmSync(seed, { recursive: true, force: true });
    roots.push(root);

    const show = (file: string) =>
      git(['--git-dir', infra, 'show', `main:${file}`]);
    const commits = () =>
      git(['--git-dir', infra, 'rev-list', '--count', 'main']);
    /** Every entity the local provider would read from the repository at HEAD. */
    const catalogInfo = () =>
      parseAllDocuments(show('catalog-info.yaml')).map(d => d.toJS());

    /** A catalog fed by the repository's catalog-info.yaml, as the local provider feeds it. */
    function catalogFromInfra() {
      return catalogServiceMock.mock({
        getEntityByRef: jest.fn(async (ref: any) => {
          if (!fs.existsSync(infra)) return undefined;
          const name = String(ref).slice(String(ref).lastIndexOf('/') + 1);
          const doc = catalogInfo().find(d => d.metadata.name === name);
          if (!doc) return undefined;
          doc.metadata.namespace = 'default';
          doc.metadata.annotations[
            'backstage.io/managed-by-location'
          ] = `golden-paths-local:${path.basename(infra)}`;
          return doc;
        }),
      });
    }

    function setup(ledger = fakeLedger()) {
      const { auditor, events } = recordingAuditor();
      const action = createGoldenPathLifecycleAction({
        config: new ConfigReader({
          goldenPaths: {
            publish: { local: { root, infraRepo: 'platform-infra' } },
          },
        }),
        ledger: ledger.ledger,
        catalog: catalogFromInfra(),
        auth: mockServices.auth(),
        permissions: permissionsAnswering('ALLOW').permissions,
        auditor,
        pollMs: 5,
        waitSeconds: 2,
      });
      return { action, events, calls: ledger.calls, ledger: ledger.ledger };
    }

    /** A push from a clone of the infrastructure repository (what the next database request does). */
    function pushSomething() {
      const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-life-infra-p-'));
      try {
        git(['clone', '-q', infra, work]);
        fs.writeFileSync(path.join(work, 'README.md'), 'infra\n');
        git(['add', '.'], work);
        git(
          [
            '-c',
            'user.name=t',
            '-c',
            'user.email=t@t',
            'commit',
            '-qm',
            'next',
          ],
          work,
        );
        git(['push', '-q', 'origin', 'main'], work);
      } finally {
        fs.rmSync(work, { recursive: true, force: true });
      }
    }

    return { root, infra, show, commits, catalogInfo, setup, pushSomething };
  }

  function gatesFor(
    entityRef: string,
    decision: 'allow' | 'deny',
    from: string,
    to: string,
    errors: { id: string; message: string }[] = [],
  ) {
    return {
      entityRef,
      from,
      transition: 'x',
      to,
      allowed: [],
      decision,
      gates: [{ gate: 'G-A1', title: '', status: 'pass', message: 'ok' }],
      evaluation: {
        decision,
        errors: errors.map(e => ({ ...e, outcome: 'deny' })),
        approvalTriggers: [],
      },
    } as unknown as LifecycleGatesAnswer;
  }

  const input = (name: string, transition: string, extra: object = {}) =>
    withLifecycleRequest({
      requestKey: `lifecycle:resource:default/${name}:${transition}`,
      entityRef: `resource:default/${name}`,
      transition,
      reason: 'The cart rewrite keeps carts in the session store.',
      mode: 'create',
      ...extra,
    });

  it('archive changes only its own Resource file (lifecycle annotation); the other Resource is untouched and the repository stays writable', async () => {
    const { root, infra, show, commits, catalogInfo, setup, pushSomething } =
      await infraRepo();
    const otherBefore = show('resources/search-db-dev.yaml');
    const { action, calls, events } = setup(
      fakeLedger({
        gates: gatesFor(
          'resource:default/cart-db-dev',
          'allow',
          'experimental',
          'archived',
        ),
      }),
    );
    const { c } = actionContext(input('cart-db-dev', 'archive'));
    c.step = { id: 'lifecycle' };
    await action.handler(c);

    const own = show('resources/cart-db-dev.yaml');
    expect(own.startsWith(HEADER.trim())).toBe(true);
    const doc = parseAllDocuments(own)[0].toJS();
    expect(doc.metadata.annotations['ops.example.com/lifecycle']).toBe(
      'archived',
    );
    expect(doc.metadata.annotations['ops.example.com/archived-on']).toMatch(
      /^\d{4}-\d{2}-\d{2}$/,
    );
    // a Resource has no spec.lifecycle (scorecards §2.1)
    expect(doc.spec.lifecycle).toBeUndefined();
    expect(show('resources/search-db-dev.yaml')).toBe(otherBefore);
    // the generated catalog-info.yaml still holds both, the other one unchanged
    const entities = catalogInfo();
    expect(entities.map(e => e.metadata.name)).toEqual([
      'cart-db-dev',
      'search-db-dev',
    ]);
    expect(entities[1]).toEqual(parseAllDocuments(otherBefore)[0].toJS());
    expect(commits()).toBe('2');

    // no repository finalizer ran on the shared repository
    expect(fs.existsSync(path.join(infra, 'hooks', 'pre-receive'))).toBe(false);
    expect(fs.existsSync(path.join(root, '.deleted'))).toBe(false);
    expect(
      calls
        .filter(x => x.op === 'complete')
        .map(x => (x.body as { stepId: string }).stepId),
    ).toEqual(['lifecycle']);
    expect(events.at(-1)?.meta.effects).toEqual([
      {
        type: 'lifecycle.set',
        target: 'resource:default/cart-db-dev',
        result: 'done',
      },
    ]);
    pushSomething();
    expect(commits()).toBe('3');

    // unarchive: the file again, nothing else
    await setup(
      fakeLedger({
        gates: gatesFor(
          'resource:default/cart-db-dev',
          'allow',
          'archived',
          'deprecated',
        ),
      }),
    ).action.handler(actionContext(input('cart-db-dev', 'unarchive')).c);
    const after = parseAllDocuments(
      show('resources/cart-db-dev.yaml'),
    )[0].toJS();
    expect(after.metadata.annotations['ops.example.com/lifecycle']).toBe(
      'deprecated',
    );
    expect(
      after.metadata.annotations['ops.example.com/archived-on'],
    ).toBeUndefined();
    expect(show('resources/search-db-dev.yaml')).toBe(otherBefore);
    expect(commits()).toBe('4');
  });

  it('a resume finds its own change by the Resource file, even after another Resource of the repository changed', async () => {
    const { show, commits, setup } = await infraRepo();
    const ledger = fakeLedger();
    const lifecycleOfCart = () =>
      parseAllDocuments(show('resources/cart-db-dev.yaml'))[0].toJS().metadata
        .annotations['ops.example.com/lifecycle'];
    ledger.ledger.lifecycleGates = async query => {
      if (query.entityRef === 'resource:default/search-db-dev') {
        return gatesFor(query.entityRef, 'allow', 'experimental', 'deprecated');
      }
      // as the backend answers from the entity's current state
      if (lifecycleOfCart() === 'experimental') {
        return gatesFor(query.entityRef, 'allow', 'experimental', 'archived');
      }
      return gatesFor(query.entityRef, 'deny', 'archived', 'archived', [
        {
          id: 'GP-L01',
          message:
            'GP-L01: resource:default/cart-db-dev is archived; "archive" is not allowed from there. Allowed next: unarchive, delete.',
        },
      ]);
    };
    // the first attempt pushes its change, then the ledger does not record the step as done
    const complete = ledger.ledger.completeStep.bind(ledger.ledger);
    ledger.ledger.completeStep = async (key, stepId, body) => {
      if (body.taskId === 'task-1' && body.status === 'done')
        throw new Error('ledger unavailable');
      return complete(key, stepId, body);
    };
    const { action } = setup(ledger);
    const first = actionContext(input('cart-db-dev', 'archive'), {
      taskId: 'task-1',
    }).c;
    await expect(action.handler(first)).rejects.toThrow('ledger unavailable');
    expect(lifecycleOfCart()).toBe('archived');

    // meanwhile another request deprecates the other Resource (a newer catalog-info.yaml commit)
    await action.handler(
      actionContext(
        input('search-db-dev', 'deprecate', {
          replacement: 'none',
          sunsetOn: '2027-01-30',
        }),
        { taskId: 'task-other' },
      ).c,
    );
    expect(commits()).toBe('3');

    const { c } = actionContext(
      input('cart-db-dev', 'archive', { mode: 'resume' }),
      { taskId: 'task-2' },
    );
    await action.handler(c);
    expect(outputOf(c, 'from')).toBe('experimental');
    expect(outputOf(c, 'to')).toBe('archived');
    // no second commit for the same change
    expect(commits()).toBe('3');
  });
});
