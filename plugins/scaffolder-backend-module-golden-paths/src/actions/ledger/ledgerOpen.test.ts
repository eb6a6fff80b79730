import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  actionContext,
  outputOf,
  recordingAuditor,
} from '../../__testUtils__/actionContext';
import { fakeLedger } from '../../__fixtures__/fakeLedger';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createGoldenPathLedgerCloseAction } from './ledgerClose';
import { createGoldenPathLedgerOpenAction } from './ledgerOpen';

const KEY = 'service-node-http:cart-api';
const FP = `sha256:${'b'.repeat(64)}`;

describe('goldenpath:ledger:open (golden-paths.md §4.4)', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-open-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function setup(
    ledgerOpts: Parameters<typeof fakeLedger>[0] = {},
    entities: any[] = [],
    config: object = {},
  ) {
    const { ledger, calls } = fakeLedger(ledgerOpts);
    const { auditor, events } = recordingAuditor();
    const action = createGoldenPathLedgerOpenAction({
      config: new ConfigReader(config),
      ledger,
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      auditor,
    });
    return { action, calls, events };
  }

  const input = (repoUrl = path.join(root, 'cart-api.git')) => ({
    kind: 'service' as const,
    request: { kind: 'service', name: 'cart-api' },
    requestKey: KEY,
    fingerprint: FP,
    planDigest: `sha256:${'c'.repeat(64)}`,
    templateRef: 'template:default/service-node-http',
    templateVersion: '1.0.0',
    publishMode: 'local' as const,
    targets: { entityRef: 'component:default/cart-api', repoUrl },
  });

  it('create: every run flag is true and the claim carries the template for kill switches (V1)', async () => {
    const { action, calls, events } = setup();
    const { c } = actionContext(input());
    await action.handler(c as any);
    expect(outputOf(c, 'mode')).toBe('create');
    expect(outputOf(c, 'run')).toEqual({
      publish: true,
      register: true,
      apply: true,
      lifecycle: true,
    });
    expect(calls[0]).toMatchObject({
      op: 'open',
      key: KEY,
      body: {
        fingerprint: FP,
        taskId: 'task-1',
        createdBy: 'user:default/ana.ruiz',
        template: { name: 'service-node-http' },
        dryRun: false,
      },
    });
    expect(outputOf(c, 'ledgerUrl')).toBe(
      'http://localhost:3000/golden-paths/requests/service-node-http%3Acart-api',
    );
    expect(events.map(e => e.meta.result)).toEqual(['succeeded']);
  });

  it("sends the template's name only and reads nothing from the catalog: the backend checks its runtime action switches on its own cached read of the steps (§4.7)", async () => {
    const catalog = catalogServiceMock.mock();
    const { ledger, calls } = fakeLedger({
      backendSwitches: {
        actions: {
          'goldenpath:register': {
            disabled: true,
            reason: 'catalog migration',
            since: '2026-11-23T09:30:00Z',
          },
        },
      },
      catalogTemplates: {
        'service-node-http': [
          { id: 'open', action: 'goldenpath:ledger:open' },
          { id: 'register', action: 'goldenpath:register' },
        ],
      },
    });
    const action = createGoldenPathLedgerOpenAction({
      config: new ConfigReader({}),
      ledger,
      catalog,
      auth: mockServices.auth(),
    });
    const { c } = actionContext(input());
    await expect(action.handler(c as any)).rejects.toThrow(
      'GP-K02: Action goldenpath:register is switched off by the platform team since 2026-11-23 09:30 UTC: catalog migration. Stopped before step "register". Nothing was created.',
    );
    expect((calls[0].body as any).template).toEqual({
      name: 'service-node-http',
    });
    const reads = [
      catalog.getEntityByRef,
      catalog.getEntitiesByRefs,
      catalog.getEntities,
      catalog.queryEntities,
    ];
    for (const read of reads) expect(read).not.toHaveBeenCalled();
  });

  it('replay: every run flag is false and previous holds the recorded outputs (V2)', async () => {
    const { action, events } = setup({ mode: 'replay' });
    const { c } = actionContext(input());
    await action.handler(c as any);
    expect(outputOf(c, 'mode')).toBe('replay');
    expect(Object.values(outputOf(c, 'run'))).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(outputOf(c, 'previous')).toMatchObject({ commitSha: 'abc' });
    expect(events[0].meta).toMatchObject({
      mode: 'replay',
      result: 'replayed',
    });
  });

  it('resume: published and registered targets are reconciled as done (V19/V20)', async () => {
    const remote = path.join(root, 'cart-api.git');
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-w-'));
    execFileSync('git', ['init', '-q', '--bare', remote]);
    execFileSync('git', ['-C', work, 'init', '-q', '-b', 'main']);
    fs.writeFileSync(
      path.join(work, '.goldenpath.yaml'),
      `requestKey: ${KEY}\n`,
    );
    execFileSync('git', ['-C', work, 'add', '.']);
    execFileSync('git', [
      '-C',
      work,
      '-c',
      'user.name=x',
      '-c',
      'user.email=x@x',
      'commit',
      '-qm',
      'x',
    ]);
    execFileSync('git', ['-C', work, 'push', '-q', remote, 'main']);
    fs.rmSync(work, { recursive: true, force: true });

    const notOurs = setup({ mode: 'resume' });
    const a = actionContext(input());
    await notOurs.action.handler(a.c as any);
    expect(outputOf(a.c, 'run')).toMatchObject({
      publish: false,
      register: true,
    });
    // The skipped publish step's commit, for the close (`… or previous.commitSha`).
    expect(outputOf(a.c, 'previous')).toEqual({
      commitSha: execFileSync('git', ['--git-dir', remote, 'rev-parse', 'main'])
        .toString()
        .trim(),
    });

    const registered = setup({ mode: 'resume' }, [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'cart-api',
          namespace: 'default',
          annotations: { 'ops.example.com/request-key': KEY },
        },
        spec: {},
      },
    ]);
    const b = actionContext(input());
    await registered.action.handler(b.c as any);
    expect(outputOf(b.c, 'run')).toMatchObject({
      publish: false,
      register: false,
    });
  });

  it('resume in github mode reads the marker beside catalogInfoUrl: ours is published, a missing one is not, an unreachable host stops the run', async () => {
    const catalogInfoUrl =
      'https://github.com/acme/cart-api/blob/main/catalog-info.yaml';
    const markerUrl =
      'https://github.com/acme/cart-api/blob/main/.goldenpath.yaml';
    const run = async (readUrl: (url: string) => Promise<unknown>) => {
      const { ledger } = fakeLedger({ mode: 'resume' });
      const action = createGoldenPathLedgerOpenAction({
        config: new ConfigReader({}),
        ledger,
        catalog: catalogServiceMock({ entities: [] }),
        auth: mockServices.auth(),
        urlReader: { readUrl } as any,
      });
      const { c } = actionContext({
        ...input(),
        publishMode: 'github' as const,
        targets: {
          entityRef: 'component:default/cart-api',
          repoUrl: 'github.com?owner=acme&repo=cart-api',
          catalogInfoUrl,
        },
      });
      await action.handler(c as any);
      return outputOf(c, 'run');
    };
    const asked: string[] = [];
    expect(
      await run(async url => {
        asked.push(url);
        return { buffer: async () => Buffer.from(`requestKey: ${KEY}\n`) };
      }),
    ).toMatchObject({ publish: false });
    expect(asked).toEqual([markerUrl]);
    expect(
      await run(async () => {
        throw Object.assign(new Error('no such file'), {
          name: 'NotFoundError',
        });
      }),
    ).toMatchObject({ publish: true });
    await expect(
      run(async () => {
        throw new Error('ECONNRESET');
      }),
    ).rejects.toThrow(
      `cannot tell whether ${markerUrl} was published by this request: ECONNRESET`,
    );
  });

  it('refusals stop the run with the ledger text (GP-I02)', async () => {
    const message =
      'GP-I02: Idempotency key "service-node-http:cart-api" was used on 2026-11-23 by user:default/ana.ruiz for a different request (differs in: tier). Nothing was changed. Use a new key, or repeat the original inputs to get the original result.';
    const { action, events } = setup({
      refuseOpen: { ruleId: 'GP-I02', message },
    });
    await expect(
      action.handler(actionContext(input()).c as any),
    ).rejects.toThrow(message);
    expect(events[0].meta).toMatchObject({
      errorCode: 'GP-I02',
      result: 'failed',
    });
  });

  it('a dry run of a replay says the claim is only replayed, as the real run does (no lease)', async () => {
    const claim = async (isDryRun: boolean) => {
      const { action, events } = setup({ mode: 'replay' });
      const { c } = actionContext(input(), { isDryRun });
      await action.handler(c as any);
      expect(events[0].meta.effects).toEqual(outputOf(c, 'effects'));
      return outputOf(c, 'effects');
    };
    const replayed = [
      { type: 'ledger.claim', target: KEY, result: 'replayed' },
    ];
    expect(await claim(true)).toEqual(replayed);
    expect(await claim(false)).toEqual(replayed);
  });

  it('dry run asks the ledger without claiming', async () => {
    const { action, calls } = setup();
    const { c } = actionContext(input(), { isDryRun: true });
    await action.handler(c as any);
    expect((calls[0].body as any).dryRun).toBe(true);
    expect(outputOf(c, 'dryRun')).toBe(true);
  });

  it('sends the preview digest for the kill-switch screen, and only in the ledger form', async () => {
    const sent = async (planDigest: string | undefined) => {
      const { action, calls } = setup();
      const { c } = actionContext(
        { ...input(), planDigest },
        { isDryRun: true },
      );
      await action.handler(c as any);
      return (calls[0].body as any).planDigest;
    };
    expect(await sent(`sha256:${'c'.repeat(64)}`)).toBe(
      `sha256:${'c'.repeat(64)}`,
    );
    expect(await sent('replay')).toBeUndefined();
    expect(await sent(undefined)).toBeUndefined();
  });

  it('a config kill switch on the action stops it before the claim (GP-K02)', async () => {
    const { action, calls } = setup({}, [], {
      goldenPaths: {
        killSwitch: {
          actions: {
            'goldenpath:ledger:open': {
              disabled: true,
              reason: 'ledger migration (CHG-1)',
              since: '2026-11-23T09:30:00Z',
            },
          },
        },
      },
    });
    await expect(
      action.handler(actionContext(input()).c as any),
    ).rejects.toThrow(
      /^GP-K02: Action goldenpath:ledger:open is switched off by the platform team since 2026-11-23 09:30 UTC: ledger migration \(CHG-1\)\./,
    );
    expect(calls).toHaveLength(0);
  });
});

describe('goldenpath:ledger:close', () => {
  it('stores the outputs a replay returns and audits a replay as replayed', async () => {
    const { ledger, calls } = fakeLedger();
    const { auditor, events } = recordingAuditor();
    const action = createGoldenPathLedgerCloseAction({
      config: new ConfigReader({}),
      ledger,
      auditor,
    });
    const { c } = actionContext({
      requestKey: KEY,
      status: 'succeeded' as const,
      mode: 'replay' as const,
      outputs: {
        entityRef: 'component:default/cart-api',
        commitSha: '',
        repoUrl: undefined,
      },
    });
    await action.handler(c as any);
    expect(calls[0]).toMatchObject({
      op: 'close',
      body: {
        status: 'succeeded',
        outputs: { entityRef: 'component:default/cart-api' },
      },
    });
    expect(events[0].meta.result).toBe('replayed');
  });

  it('dry run closes nothing and writes one low audit record (skipped) (§4.5)', async () => {
    const { ledger, calls } = fakeLedger();
    const { auditor, events } = recordingAuditor();
    const action = createGoldenPathLedgerCloseAction({
      config: new ConfigReader({}),
      ledger,
      auditor,
    });
    const { c } = actionContext(
      { requestKey: KEY, status: 'succeeded' as const },
      { isDryRun: true },
    );
    await action.handler(c as any);
    expect(calls).toHaveLength(0);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ severityLevel: 'low' });
    expect(events[0].meta).toMatchObject({
      action: 'goldenpath:ledger:close',
      result: 'skipped',
      dryRun: true,
      effects: [{ type: 'ledger.close', target: KEY, result: 'would' }],
    });
  });

  it('a replay closes as replayed, and its dry run says replayed too (not would)', async () => {
    const { ledger } = fakeLedger();
    const { auditor, events } = recordingAuditor();
    const action = createGoldenPathLedgerCloseAction({
      config: new ConfigReader({}),
      ledger,
      auditor,
    });
    const replayed = [
      { type: 'ledger.close', target: KEY, result: 'replayed' },
    ];
    const close = { requestKey: KEY, status: 'succeeded' as const };

    const dry = actionContext(
      { ...close, mode: 'replay' as const },
      { isDryRun: true },
    );
    await action.handler(dry.c as any);
    expect(outputOf(dry.c, 'effects')).toEqual(replayed);
    expect(events[0].meta).toMatchObject({ dryRun: true, effects: replayed });
    expect(String((dry.c.logger.info as jest.Mock).mock.calls[0][0])).toBe(
      `${KEY}: would replay: the request is closed already, a real run changes nothing (dry run)`,
    );

    const real = actionContext({ ...close, mode: 'replay' as const });
    await action.handler(real.c as any);
    expect(outputOf(real.c, 'effects')).toEqual(replayed);

    // a resumed run's close still closes: would / done
    const resumed = actionContext(
      { ...close, mode: 'resume' as const },
      { isDryRun: true },
    );
    await action.handler(resumed.c as any);
    expect(outputOf(resumed.c, 'effects')).toEqual([
      { type: 'ledger.close', target: KEY, result: 'would' },
    ]);
  });
});
