import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import {
  mergeSwitchMaps,
  mergeSwitchStates,
  templateStepsOf,
  type KillSwitches,
} from '@internal/plugin-golden-paths-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fakeLedger } from '../__fixtures__/fakeLedger';
import { loadTemplate } from '../__fixtures__/templates';
import { demoCatalog, fakeCatalog, S0, T } from '../__fixtures__/world';
import {
  actionContext,
  outputOf,
  recordingAuditor,
} from '../__testUtils__/actionContext';
import { permissionsAnswering } from '../__testUtils__/permissions';
import { createGoldenPathApproveAction } from './approve/approve';
import { createGoldenPathDescriptorAction } from './descriptor/descriptor';
import { createGoldenPathLedgerCloseAction } from './ledger/ledgerClose';
import { createGoldenPathLedgerOpenAction } from './ledger/ledgerOpen';
import { createGoldenPathPreviewAction } from './preview/preview';
import { createGoldenPathPublishGitAction } from './publish/publishGit';
import { createGoldenPathRegisterAction } from './register/register';

import { createGoldenPathValidateAction } from './validate/validate';

// §4.7: "the operator is shown the last dry run of the affected template and SHOULD run one
// first". A dry run therefore runs through the kill switches: every place a real run is refused
// reports that refusal (`wouldBeRefusedBy`) and the dry run goes on, writing nothing. Real runs
// are refused (V18) and stopped (V19) exactly as before.

const template = loadTemplate('service-node-http/template.yaml');
const REQUEST = { ...S0, name: 'basket-api' };
const KEY = 'service-node-http:basket-api';
const SINCE = '2026-11-23T09:30:00Z';
const REASON = 'CI workflow v3.4.1 broken (INC-5120)';

const K01 = `GP-K01: Template "service-node-http" is switched off by the platform team since 2026-11-23 09:30 UTC: ${REASON}. Nothing was created.`;
/** The template switch met by an action's own check, mid-run (earlier steps resume, as V19). */
const K01_MID_RUN = (step: string) =>
  `GP-K01: Template "service-node-http" is switched off by the platform team since 2026-11-23 09:30 UTC: ${REASON}. Stopped before step "${step}"; earlier steps are recorded under request "service-node-http:basket-api" and resume when it is switched back on.`;
const K02 = (action: string, step: string) =>
  `GP-K02: Action ${action} is switched off by the platform team since 2026-11-23 09:30 UTC: ${REASON}. Stopped before step "${step}"; earlier steps are recorded under request "${KEY}" and resume when it is switched back on.`;
/** GP-K02 of a run refused before any step recorded anything (validate, ledger:open). */
const K02_NOTHING_CREATED = (action: string, step: string) =>
  `GP-K02: Action ${action} is switched off by the platform team since 2026-11-23 09:30 UTC: ${REASON}. Stopped before step "${step}". Nothing was created.`;
const K03 = `GP-K03: Golden paths are switched off by the platform team since 2026-11-23 09:30 UTC: ${REASON}. Nothing was created.`;

const off = { disabled: true, reason: REASON, since: SINCE };

/** The switches the backend enforces: its config's and its runtime table's (either off is off). */
function mergedSwitches(
  config: KillSwitches,
  runtime: KillSwitches,
): KillSwitches {
  return {
    all: mergeSwitchStates(runtime.all, config.all),
    templates: mergeSwitchMaps(config.templates ?? {}, runtime.templates ?? {}),
    actions: mergeSwitchMaps(config.actions ?? {}, runtime.actions ?? {}),
  };
}

/** The golden-path steps of service-node-http (§3.1), in order, as the template wires them. */
const STEPS = [
  'validate',
  'preview',
  'open',
  'approve',
  'descriptor',
  'publish-local',
  'register',
  'close',
] as const;
type StepId = (typeof STEPS)[number];

describe('a dry run runs through the kill switches (§4.6, §4.7)', () => {
  let root: string;
  let workspace: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-switch-root-'));
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-switch-ws-'));
    // what the template's skeleton step (fetch:template) renders before the descriptor
    fs.writeFileSync(path.join(workspace, 'README.md'), '# basket-api\n');
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  /**
   * Runs S0 (`basket-api`) through the template's golden-path steps with `killSwitch` in config
   * and `runtime` in the backend's table (`PUT /kill-switches`). The fake backend sees both, as
   * golden-paths-backend does (it reads the same config and merges its table), and matches them
   * with the router's functions at ledger:open and at each step claim.
   * Stops at the first step that throws, as the scaffolder does.
   */
  async function run(opts: {
    dryRun: boolean;
    killSwitch: KillSwitches;
    runtime?: KillSwitches;
  }) {
    const config = new ConfigReader({
      goldenPaths: {
        killSwitch: opts.killSwitch as JsonObject,
        publish: { local: { root } },
      },
    });
    const catalog = fakeCatalog([...demoCatalog, template]);
    const auth = mockServices.auth();
    const { auditor, events } = recordingAuditor();
    const fake = fakeLedger({
      backendSwitches: mergedSwitches(opts.killSwitch, opts.runtime ?? {}),
      // the backend's cached catalog read of the template's steps
      catalogTemplates: { 'service-node-http': templateStepsOf(template)! },
    });
    const ledger = fake.ledger;
    const actions = {
      validate: createGoldenPathValidateAction({
        catalog,
        config,
        auth,
        permissions: permissionsAnswering('ALLOW').permissions,
        auditor,
        ledger,
        now: () => new Date(T),
      }),
      preview: createGoldenPathPreviewAction({ config, ledger, auditor }),
      open: createGoldenPathLedgerOpenAction({
        config,
        ledger,
        catalog,
        auth,
        auditor,
      }),
      approve: createGoldenPathApproveAction({
        config,
        ledger,
        catalog,
        auth,
        auditor,
      }),
      descriptor: createGoldenPathDescriptorAction({ config, auditor, ledger }),
      'publish-local': createGoldenPathPublishGitAction({
        config,
        ledger,
        auditor,
      }),
      register: createGoldenPathRegisterAction({
        config,
        ledger,
        catalog,
        auth,
        auditor,
      }),
      close: createGoldenPathLedgerCloseAction({ config, ledger, auditor }),
    };
    const out: Partial<Record<StepId, Record<string, any>>> = {};
    const logs: string[] = [];
    const v = () => out.validate!;
    const inputs: Record<StepId, () => Record<string, unknown>> = {
      validate: () => ({ kind: 'service', request: REQUEST }),
      preview: () => ({
        kind: 'service',
        request: v().request,
        requestKey: v().requestKey,
        fingerprint: v().fingerprint,
        templateRef: v().templateRef,
        templateVersion: v().templateVersion,
        policyVersion: v().policyVersion,
        approvalTriggers: v().approvalTriggers,
        names: v().names,
        publishMode: v().publishMode,
      }),
      open: () => ({
        kind: 'service',
        request: v().request,
        requestKey: v().requestKey,
        fingerprint: v().fingerprint,
        planDigest: out.preview!.planDigest,
        templateRef: v().templateRef,
        templateVersion: v().templateVersion,
        publishMode: v().publishMode,
        targets: v().names,
      }),
      approve: () => ({
        requestKey: v().requestKey,
        planDigest: out.preview!.planDigest,
        triggers: out.preview!.approvalTriggers,
        plan: out.preview!.plan,
        mode: out.open!.mode,
        waitMinutes: 0,
      }),
      descriptor: () => ({
        request: v().request,
        requestKey: v().requestKey,
        fingerprint: v().fingerprint,
        templateRef: v().templateRef,
        templateVersion: v().templateVersion,
        createdAt: out.open!.createdAt,
        names: v().names,
        publishMode: v().publishMode,
        ownerRotation: v().ownerRotation,
      }),
      'publish-local': () => ({
        remoteUrl: v().names.repoUrl,
        requestKey: v().requestKey,
        fingerprint: v().fingerprint,
        request: v().request,
        templateRef: v().templateRef,
        plan: out.preview!.plan,
        createdAt: out.open!.createdAt,
        mode: 'create',
      }),
      register: () => ({
        requestKey: v().requestKey,
        fingerprint: v().fingerprint,
        entityRef: v().names.entityRef,
        publishMode: v().publishMode,
      }),
      close: () => ({
        requestKey: v().requestKey,
        status: 'succeeded',
        mode: out.open!.mode,
        outputs: { entityRef: v().names.entityRef },
      }),
    };
    let error: Error | undefined;
    for (const step of STEPS) {
      const { c } = actionContext(inputs[step](), {
        isDryRun: opts.dryRun,
        workspacePath: workspace,
      });
      c.step = { id: step };
      c.templateInfo = {
        entityRef: 'template:default/service-node-http',
        entity: { metadata: template.metadata },
      };
      try {
        await (actions[step] as any).handler(c);
      } catch (e) {
        error = e as Error;
      }
      out[step] = Object.fromEntries(
        (c.output as jest.Mock).mock.calls.map(([k, val]) => [k, val]),
      );
      logs.push(
        ...(c.logger.warn as jest.Mock).mock.calls.map(x => String(x[0])),
      );
      expect(outputOf(c, 'wouldBeRefusedBy')).toEqual(
        out[step]!.wouldBeRefusedBy,
      );
      if (error) return { error, failedAt: step, out, events, logs, fake };
    }
    return { error, failedAt: undefined, out, events, logs, fake };
  }

  /** What every dry run through a switch must show: it completed and wrote nothing. */
  function expectCompletedWritingNothing(r: Awaited<ReturnType<typeof run>>) {
    expect(r.error).toBeUndefined();
    expect(Object.keys(r.out)).toEqual([...STEPS]);
    // one audit record per golden-path step, each a dry run
    expect(r.events.map(e => e.meta.action)).toEqual([
      'goldenpath:validate',
      'goldenpath:preview',
      'goldenpath:ledger:open',
      'goldenpath:approve',
      'goldenpath:descriptor',
      'goldenpath:publish:git',
      'goldenpath:register',
      'goldenpath:ledger:close',
    ]);
    expect(r.events.every(e => e.meta.dryRun === true)).toBe(true);
    expect(r.events.map(e => e.meta.decision)).not.toContain('deny');
    for (const step of [
      'validate',
      'preview',
      'open',
      'publish-local',
      'close',
    ] as const) {
      expect(r.out[step]!.dryRun).toBe(true);
    }
    const effects = r.events.flatMap(e => e.meta.effects ?? []);
    expect(effects.map((e: any) => `${e.type}=${e.result}`)).toEqual(
      expect.arrayContaining(['repo.create=would', 'catalog.register=would']),
    );
    // every effect outside the task's workspace is only `would` (the descriptor writes its
    // files into the workspace in a dry run too: they are the dry run's contents, §4.9)
    expect(
      effects
        .filter((e: any) => e.type !== 'workspace.write')
        .every((e: any) => e.result === 'would'),
    ).toBe(true);
    // ledger:open reports the mode a real run would take, and nothing was claimed or written
    expect(r.out.open!.mode).toBe('create');
    for (const op of ['claim', 'complete', 'close', 'approval']) {
      expect(r.fake.calls.filter(x => x.op === op)).toEqual([]);
    }
    expect(r.fake.calls.find(x => x.op === 'open')?.body).toMatchObject({
      dryRun: true,
    });
    expect(fs.existsSync(path.join(root, 'basket-api.git'))).toBe(false);
  }

  it('template switch (GP-K01): completes; validate and ledger:open carry the V18 refusal, each later action its mid-run stop', async () => {
    const k01 = { ruleId: 'GP-K01', message: K01 };
    const r = await run({
      dryRun: true,
      killSwitch: { templates: { 'service-node-http': off } },
    });
    expectCompletedWritingNothing(r);
    expect(r.out.validate!.wouldBeRefusedBy).toEqual(k01);
    expect(r.out.validate!.decision).toBe('allow');
    expect(r.out.open!.wouldBeRefusedBy).toEqual(k01);
    // every later action checks the run's template too (a switch thrown mid-run stops the run
    // before its next effect): each reports the mid-run stop its own check would give
    for (const step of [
      'preview',
      'approve',
      'descriptor',
      'publish-local',
      'register',
      'close',
    ]) {
      expect([step, r.out[step as StepId]!.wouldBeRefusedBy]).toEqual([
        step,
        { ruleId: 'GP-K01', message: K01_MID_RUN(step) },
      ]);
    }
    const byAction = (a: string) => r.events.find(e => e.meta.action === a)!;
    expect(byAction('goldenpath:validate').meta.wouldBeRefusedBy).toEqual(k01);
    expect(byAction('goldenpath:ledger:open').meta).toMatchObject({
      mode: 'create',
      decision: 'allow',
      wouldBeRefusedBy: k01,
    });
    expect(r.logs.join('\n')).toContain(K01);
    expect(r.logs.join('\n')).toContain(
      'a real run would take mode create, but is blocked by the kill switch now (GP-K01)',
    );
  });

  it('action switch (GP-K02): completes; validate, ledger:open and the action itself carry the refusal', async () => {
    const r = await run({
      dryRun: true,
      killSwitch: { actions: { 'goldenpath:register': off } },
    });
    expectCompletedWritingNothing(r);
    // a first run: validate and ledger:open refuse it before anything is created
    const k02 = {
      ruleId: 'GP-K02',
      message: K02_NOTHING_CREATED('goldenpath:register', 'register'),
    };
    expect(r.out.validate!.wouldBeRefusedBy).toEqual(k02);
    // the backend reads the same config and its own read of the template's steps at open
    expect(r.out.open!.wouldBeRefusedBy).toEqual(k02);
    // the action's own check is a mid-run stop: earlier steps are recorded by then (V19)
    const midRun = {
      ruleId: 'GP-K02',
      message: K02('goldenpath:register', 'register'),
    };
    expect(r.out.register!.wouldBeRefusedBy).toEqual(midRun);
    expect(r.out.register!.registered).toBe(false);
    expect(
      r.events.find(e => e.meta.action === 'goldenpath:register')!.meta,
    ).toMatchObject({ wouldBeRefusedBy: midRun, result: 'skipped' });
    for (const step of ['preview', 'publish-local', 'close']) {
      expect(r.out[step as StepId]).not.toHaveProperty('wouldBeRefusedBy');
    }
  });

  it('all (GP-K03): completes, and every action reports the refusal its own check would give', async () => {
    const k03 = { ruleId: 'GP-K03', message: K03 };
    const r = await run({
      dryRun: true,
      killSwitch: { all: off },
    });
    expectCompletedWritingNothing(r);
    for (const step of STEPS) {
      expect([step, r.out[step]!.wouldBeRefusedBy]).toEqual([step, k03]);
    }
    expect(r.events.map(e => e.meta.wouldBeRefusedBy)).toEqual(
      STEPS.map(() => k03),
    );
  });

  it('a real run is still refused at validate with the exact V18 text, before anything', async () => {
    const r = await run({
      dryRun: false,
      killSwitch: { templates: { 'service-node-http': off } },
    });
    expect(r.failedAt).toBe('validate');
    expect(r.error?.message).toBe(K01);
    expect(r.out.validate).toEqual({});
    expect(r.events.map(e => [e.meta.action, e.meta.decision])).toEqual([
      ['goldenpath:validate', 'deny'],
    ]);
    expect(r.fake.calls.filter(x => x.op !== 'get')).toEqual([]);
  });

  // A runtime switch (the production path, PUT /kill-switches) is the backend's alone: validate
  // and each action's own check read the config. The backend checks it at ledger:open on the
  // template's steps from its own cached catalog read; without that a dry run (which claims no
  // step) said nothing.
  describe('runtime action switch (GP-K02) on goldenpath:register', () => {
    const runtime = { actions: { 'goldenpath:register': off } };
    const k02 = {
      ruleId: 'GP-K02',
      message: K02_NOTHING_CREATED('goldenpath:register', 'register'),
    };

    it('a dry run completes, and ledger:open reports the refusal a real run gets', async () => {
      const r = await run({ dryRun: true, killSwitch: {}, runtime });
      expectCompletedWritingNothing(r);
      expect(r.out.open!.wouldBeRefusedBy).toEqual(k02);
      expect(
        r.events.find(e => e.meta.action === 'goldenpath:ledger:open')!.meta,
      ).toMatchObject({
        mode: 'create',
        decision: 'allow',
        wouldBeRefusedBy: k02,
      });
      expect(r.logs.join('\n')).toContain(
        'a real run would take mode create, but is blocked by the kill switch now (GP-K02)',
      );
      // what ledger:open sent (preview's read-only open, before it, sends no template): the
      // template's name; its steps are the backend's own read
      expect(
        (r.fake.calls.filter(x => x.op === 'open').at(-1)?.body as any)
          .template,
      ).toEqual({ name: 'service-node-http' });
    });

    it('a real run is refused at ledger:open with that text, before anything is created', async () => {
      const r = await run({ dryRun: false, killSwitch: {}, runtime });
      expect(r.failedAt).toBe('open');
      expect(r.error?.message).toBe(k02.message);
      expect(r.fake.calls.filter(x => x.op === 'claim')).toEqual([]);
      expect(fs.existsSync(path.join(root, 'basket-api.git'))).toBe(false);
    });
  });

  // V19 (a real run stopped at register by a switch set mid-run, request released) is
  // register.test.ts's and publishGit.test.ts's, unchanged.
});
