import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { execFileSync } from 'node:child_process';
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
import type { LifecycleGatesAnswer } from '@internal/plugin-golden-paths-common';
import { createGoldenPathLifecycleAction } from './lifecycle';

const git = (args: string[], cwd?: string) =>
  execFileSync('git', args, { encoding: 'utf8', cwd }).trim();
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

describe('goldenpath:lifecycle (golden-paths.md §7, local mode)', () => {
  let root: string;
  let remote: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-life-'));
    remote = path.join(root, 'cart-api.git');
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-life-w-'));
    git(['init', '-q', '--bare', '--initial-branch=main', remote]);
    git(['init', '-q', '-b', 'main'], work);
    fs.writeFileSync(path.join(work, 'catalog-info.yaml'), DESCRIPTOR);
    git(['add', '.'], work);
    git(
      ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'create'],
      work,
    );
    git(['push', '-q', remote, 'main'], work);
    fs.rmSync(work, { recursive: true, force: true });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  /** A catalog that reflects the repository: the entity as HEAD describes it, or absent. */
  function catalogFromRepo() {
    return catalogServiceMock.mock({
      getEntityByRef: jest.fn(async () => {
        if (!fs.existsSync(remote)) return undefined;
        const doc = parseAllDocuments(
          git(['--git-dir', remote, 'show', 'main:catalog-info.yaml']),
        )[0].toJS();
        doc.metadata.namespace = 'default';
        doc.metadata.annotations[
          'backstage.io/managed-by-location'
        ] = `golden-paths-local:${remote}`;
        return doc;
      }),
    });
  }

  function setup(
    g: ReturnType<typeof gates>,
    permissions = permissionsAnswering('ALLOW').permissions,
  ) {
    const { ledger, calls } = fakeLedger({ gates: g });
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
    return { action, calls, events };
  }

  const input = (transition: string, extra: object = {}) => ({
    requestKey: `lifecycle:component:default/cart-api:${transition}`,
    fingerprint: `sha256:${'9'.repeat(64)}`,
    entityRef: 'component:default/cart-api',
    transition,
    reason: 'Folded into basket-api next quarter.',
    mode: 'create',
    ...extra,
  });

  it('deprecate commits the lifecycle and the deprecation annotations, then sees the catalog follow', async () => {
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
    expect(events[0]).toMatchObject({ severityLevel: 'high' });
    expect(events[0].meta.result).toBe('succeeded');
  });

  it('refuses with the gate texts and changes nothing (V31)', async () => {
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
  });

  it('archive makes the repository read-only; unarchive makes it writable again', async () => {
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
    await setup(gates('allow', 'archived', 'deprecated')).action.handler(
      actionContext(input('unarchive')).c,
    );
    expect(fs.existsSync(path.join(remote, 'hooks', 'pre-receive'))).toBe(
      false,
    );
  });

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
    if (from === 'deprecated') return gates('allow', 'deprecated', 'archived');
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

  it('resumes a partial archive: gates its own change now fails do not refuse it, done steps are not repeated', async () => {
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

    // The cause is repaired; the rerun (a new task) resumes the request.
    fs.rmSync(hook, { force: true });
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
    const first = actionContext(input('archive'), { taskId: 'task-1' }).c;
    first.step = { id: 'lifecycle' };
    await expect(action.handler(first)).rejects.toThrow('ledger unavailable');
    const archivedOn = () =>
      parseAllDocuments(
        git(['--git-dir', remote, 'show', 'main:catalog-info.yaml']),
      )[0].toJS().metadata.annotations['ops.example.com/archived-on'];
    const day = archivedOn();

    // Only Date is faked: git and the polling keep their real timers.
    jest.useFakeTimers({
      now: Date.parse(`${day}T00:00:00Z`) + 3 * 86_400_000,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    try {
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
    } finally {
      jest.useRealTimers();
    }
    expect(git(['--git-dir', remote, 'rev-list', '--count', 'main'])).toBe('3');
    expect(archivedOn()).toBe(day);
  });

  it('a resume whose first attempt never changed the entity still meets the gates', async () => {
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
    const { action, events } = setup(gates('allow', 'archived', 'deleted'));
    await action.handler(actionContext(input('delete')).c);
    expect(fs.existsSync(remote)).toBe(false);
    expect(fs.existsSync(path.join(root, '.deleted', 'cart-api.git'))).toBe(
      true,
    );
    expect(events[0]).toMatchObject({ severityLevel: 'critical' });
  });

  it('a replay changes nothing', async () => {
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
    expect(calls).toHaveLength(0);
    expect(git(['--git-dir', remote, 'rev-list', '--count', 'main'])).toBe('1');
    expect(events[0]).toMatchObject({
      severityLevel: 'high',
      meta: { decision: 'deny', result: 'failed' },
    });
  });

  it('checks goldenpaths.lifecycle.transition with the initiator, not the scaffolder, before it changes anything', async () => {
    const { permissions, asked } = permissionsAnswering('ALLOW');
    const { action } = setup(
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
    expect(git(['--git-dir', remote, 'rev-list', '--count', 'main'])).toBe('2');
  });
});
