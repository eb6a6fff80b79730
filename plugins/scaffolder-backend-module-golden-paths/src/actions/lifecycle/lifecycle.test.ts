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
  recordingAuditor,
} from '../../__testUtils__/actionContext';
import { fakeLedger } from '../../__fixtures__/fakeLedger';
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

  /** The permission framework's answer for every request, recording what was asked. */
  function permissionsAnswering(result: 'ALLOW' | 'DENY') {
    const asked: {
      permission: string;
      resourceRef?: string;
      credentials: unknown;
    }[] = [];
    const permissions = mockServices.permissions.mock({
      authorize: async (requests, options) => {
        for (const r of requests) {
          asked.push({
            permission: r.permission.name,
            resourceRef: (r as { resourceRef?: string }).resourceRef,
            credentials: options?.credentials,
          });
        }
        return requests.map(() => ({ result })) as any;
      },
    });
    return { permissions, asked };
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
