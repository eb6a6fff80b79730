import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { evidenceServiceRef } from '@internal/plugin-evidence-node';
import { goldenPathsServiceRef } from '@internal/plugin-golden-paths-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fakeLedger } from '../__fixtures__/fakeLedger';
import { loadTemplate } from '../__fixtures__/templates';
import { demoCatalog, fakeCatalog, S0, T } from '../__fixtures__/world';
import { actionContext } from '../__testUtils__/actionContext';
import { withLifecycleRequest } from '../__testUtils__/lifecycleRequest';
import { permissionsAnswering } from '../__testUtils__/permissions';
import { scaffolderModuleGoldenPaths } from '../module';
import { createGoldenPathApproveAction } from './approve/approve';
import { createGoldenPathDatabaseApplyAction } from './database/databaseApply';
import { createGoldenPathDatabaseDescriptorAction } from './database/databaseDescriptor';
import { createGoldenPathDatabasePlanAction } from './database/databasePlan';
import { FakeDatabaseProvisioner } from './database/testing/FakeDatabaseProvisioner';
import {
  cartApi,
  fingerprintOf,
  keyOf,
  normalized,
  PG_TEMPLATE,
} from './database/testing/databaseWorld';
import { createGoldenPathDescriptorAction } from './descriptor/descriptor';
import { createGoldenPathLedgerCloseAction } from './ledger/ledgerClose';
import { createGoldenPathLedgerOpenAction } from './ledger/ledgerOpen';
import { createGoldenPathLifecycleAction } from './lifecycle/lifecycle';
import { createGoldenPathPreviewAction } from './preview/preview';
import { createGoldenPathPublishGitAction } from './publish/publishGit';
import { createGoldenPathRegisterAction } from './register/register';
import { WORKSPACE_EFFECT_TYPES } from './shared/stepOutputs';
import { createGoldenPathValidateAction } from './validate/validate';

// §4.6: in a dry run "every output gains `dryRun: true` and `effects[]` with result `would`", so a
// template author can tell from `steps.<id>.output` that nothing happened. The table runs every
// action module.ts registers: an action added there without a dry-run case here fails.

type Outputs = Record<string, any>;

/** The actions module.ts registers, as the scaffolder receives them. */
async function registeredActions(): Promise<TemplateAction<any, any, any>[]> {
  const addActions = jest.fn();
  const backend = await startTestBackend({
    extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
    features: [
      scaffolderModuleGoldenPaths,
      mockServices.rootConfig.factory({ data: {} }),
      catalogServiceMock.factory(),
      createServiceFactory({
        service: goldenPathsServiceRef,
        deps: {},
        factory: () => ({} as any),
      }),
      createServiceFactory({
        service: evidenceServiceRef,
        deps: {},
        factory: () => ({} as any),
      }),
    ],
  });
  await backend.stop();
  return addActions.mock.calls.flat();
}

const template = loadTemplate('service-node-http/template.yaml');
const REQUEST = { ...S0, name: 'basket-api' };
const DB_REQUEST = normalized();

describe('every golden-path action says in its outputs that a dry run changed nothing (§4.6)', () => {
  let root: string;
  let workspace: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-dry-root-'));
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-dry-ws-'));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  /** Runs `action` in a dry run (or a real one) with `input`; its outputs by name. */
  async function run(
    action: TemplateAction<any, any, any>,
    input: Record<string, unknown>,
    isDryRun = true,
  ): Promise<Outputs> {
    const { c } = actionContext(input, { isDryRun, workspacePath: workspace });
    c.templateInfo = {
      entityRef: 'template:default/service-node-http',
      entity: { metadata: template.metadata },
    };
    await action.handler(c);
    return Object.fromEntries(
      (c.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
    );
  }

  /** The actions with working fakes: the service world of S0 and the database world of D0. */
  function world() {
    const config = new ConfigReader({
      goldenPaths: { publish: { local: { root } } },
    });
    const catalog = fakeCatalog([...demoCatalog, template, cartApi]);
    const auth = mockServices.auth();
    const { ledger } = fakeLedger({
      gates: {
        entityRef: 'component:default/cart-api',
        from: 'experimental',
        transition: 'deprecate',
        to: 'deprecated',
        allowed: [],
        decision: 'allow',
        gates: [{ gate: 'G-D1', title: '', status: 'pass', message: 'ok' }],
        evaluation: { decision: 'allow', errors: [], approvalTriggers: [] },
      } as any,
    });
    const now = () => new Date(T);
    const provisioner = new FakeDatabaseProvisioner(now);
    const database = { config, ledger, provisioner, catalog, auth, now };
    return {
      validate: createGoldenPathValidateAction({
        catalog,
        config,
        auth,
        permissions: permissionsAnswering('ALLOW').permissions,
        ledger,
        now: () => new Date(T),
      }),
      preview: createGoldenPathPreviewAction({ config, ledger }),
      open: createGoldenPathLedgerOpenAction({ config, ledger, catalog, auth }),
      approve: createGoldenPathApproveAction({ config, ledger, catalog, auth }),
      descriptor: createGoldenPathDescriptorAction({ config, ledger }),
      publish: createGoldenPathPublishGitAction({ config, ledger }),
      register: createGoldenPathRegisterAction({
        config,
        ledger,
        catalog,
        auth,
      }),
      close: createGoldenPathLedgerCloseAction({ config, ledger }),
      dbPlan: createGoldenPathDatabasePlanAction(database),
      dbApply: createGoldenPathDatabaseApplyAction(database),
      dbDescriptor: createGoldenPathDatabaseDescriptorAction({
        config,
        ledger,
        catalog,
        auth,
      }),
      lifecycle: createGoldenPathLifecycleAction({
        config,
        ledger,
        catalog,
        auth,
        permissions: permissionsAnswering('ALLOW').permissions,
      }),
    };
  }

  /** The S0 service request through validate and preview, as the template wires the later steps. */
  async function servicePrelude(w: ReturnType<typeof world>, isDryRun = true) {
    const v = await run(
      w.validate,
      { kind: 'service', request: REQUEST },
      isDryRun,
    );
    const p = await run(
      w.preview,
      {
        kind: 'service',
        request: v.request,
        requestKey: v.requestKey,
        fingerprint: v.fingerprint,
        templateRef: v.templateRef,
        templateVersion: v.templateVersion,
        policyVersion: v.policyVersion,
        approvalTriggers: v.approvalTriggers,
        names: v.names,
        publishMode: v.publishMode,
      },
      isDryRun,
    );
    return { v, p };
  }

  /**
   * One dry run per registered action id, and the effects it must report (type=result). A new
   * action in module.ts needs a case here.
   */
  const cases: Record<
    string,
    {
      run: (w: ReturnType<typeof world>, isDryRun: boolean) => Promise<Outputs>;
      effects: string[];
      /** A real run's effects, where the fakes carry one through (the rest have their own tests). */
      realEffects?: string[];
    }
  > = {
    'goldenpath:validate': {
      run: async (w, isDryRun) => (await servicePrelude(w, isDryRun)).v,
      effects: [],
      realEffects: [],
    },
    'goldenpath:preview': {
      run: async (w, isDryRun) => (await servicePrelude(w, isDryRun)).p,
      effects: [],
      realEffects: [],
    },
    'goldenpath:ledger:open': {
      run: async (w, isDryRun) => {
        const { v, p } = await servicePrelude(w);
        return run(
          w.open,
          {
            kind: 'service',
            request: v.request,
            requestKey: v.requestKey,
            fingerprint: v.fingerprint,
            planDigest: p.planDigest,
            templateRef: v.templateRef,
            templateVersion: v.templateVersion,
            publishMode: v.publishMode,
            targets: v.names,
          },
          isDryRun,
        );
      },
      effects: ['ledger.claim=would'],
      realEffects: ['ledger.claim=done'],
    },
    'goldenpath:approve': {
      run: async (w, isDryRun) => {
        const { v, p } = await servicePrelude(w);
        return run(
          w.approve,
          {
            requestKey: v.requestKey,
            planDigest: p.planDigest,
            triggers: [{ id: 'tier-1', reasons: ['tier 1 service'] }],
            mode: 'create',
            waitMinutes: 0,
          },
          isDryRun,
        );
      },
      effects: ['approval.request=would'],
    },
    'goldenpath:descriptor': {
      run: async (w, isDryRun) => {
        const { v } = await servicePrelude(w);
        return run(
          w.descriptor,
          {
            request: v.request,
            requestKey: v.requestKey,
            fingerprint: v.fingerprint,
            templateRef: v.templateRef,
            templateVersion: v.templateVersion,
            createdAt: T,
            names: v.names,
            publishMode: v.publishMode,
          },
          isDryRun,
        );
      },
      // the descriptor's files are the dry run's contents, written into the workspace (§4.9)
      effects: ['workspace.write=done', 'workspace.write=done'],
      realEffects: ['workspace.write=done', 'workspace.write=done'],
    },
    'goldenpath:publish:git': {
      run: async (w, isDryRun) => {
        const { v, p } = await servicePrelude(w);
        fs.writeFileSync(path.join(workspace, 'README.md'), '# basket-api\n');
        // what goldenpath:descriptor writes before it
        fs.writeFileSync(
          path.join(workspace, '.goldenpath.yaml'),
          `requestKey: ${v.requestKey}\n`,
        );
        return run(
          w.publish,
          {
            remoteUrl: v.names.repoUrl,
            requestKey: v.requestKey,
            fingerprint: v.fingerprint,
            request: v.request,
            templateRef: v.templateRef,
            plan: p.plan,
            createdAt: T,
            mode: 'create',
          },
          isDryRun,
        );
      },
      effects: ['repo.create=would'],
      realEffects: ['repo.create=done'],
    },
    'goldenpath:register': {
      run: async (w, isDryRun) => {
        const { v } = await servicePrelude(w);
        return run(
          w.register,
          {
            requestKey: v.requestKey,
            fingerprint: v.fingerprint,
            entityRef: v.names.entityRef,
            publishMode: v.publishMode,
          },
          isDryRun,
        );
      },
      effects: ['catalog.register=would'],
    },
    'goldenpath:ledger:close': {
      run: (w, isDryRun) =>
        run(
          w.close,
          {
            requestKey: 'service-node-http:basket-api',
            status: 'succeeded',
            mode: 'create',
          },
          isDryRun,
        ),
      effects: ['ledger.close=would'],
      realEffects: ['ledger.close=done'],
    },
    'goldenpath:database:plan': {
      run: (w, isDryRun) =>
        run(
          w.dbPlan,
          {
            request: DB_REQUEST,
            requestKey: keyOf(DB_REQUEST),
            fingerprint: fingerprintOf(DB_REQUEST),
            templateRef: PG_TEMPLATE,
          },
          isDryRun,
        ),
      effects: [],
      realEffects: [],
    },
    'goldenpath:database:apply': {
      run: async (w, isDryRun) => {
        const plan = await run(w.dbPlan, {
          request: DB_REQUEST,
          requestKey: keyOf(DB_REQUEST),
          fingerprint: fingerprintOf(DB_REQUEST),
          templateRef: PG_TEMPLATE,
        });
        return run(
          w.dbApply,
          {
            request: DB_REQUEST,
            requestKey: keyOf(DB_REQUEST),
            fingerprint: fingerprintOf(DB_REQUEST),
            templateRef: PG_TEMPLATE,
            planDigest: plan.planDigest,
            plan: plan.plan,
            approvalDecision: 'not-required',
          },
          isDryRun,
        );
      },
      effects: ['db.apply=would'],
    },
    'goldenpath:database:descriptor': {
      run: (w, isDryRun) =>
        run(
          w.dbDescriptor,
          {
            request: DB_REQUEST,
            requestKey: keyOf(DB_REQUEST),
            fingerprint: fingerprintOf(DB_REQUEST),
            templateRef: PG_TEMPLATE,
            templateVersion: '1.0.0',
            createdAt: T,
            publishMode: 'local',
            secretRef: 'local-secret://gp/cart-db-dev/app',
            provisioner: 'local-postgres',
          },
          isDryRun,
        ),
      effects: ['workspace.write=done'],
      realEffects: ['workspace.write=done'],
    },
    'goldenpath:lifecycle': {
      run: (w, isDryRun) =>
        run(
          w.lifecycle,
          withLifecycleRequest({
            requestKey: 'lifecycle:component:default/cart-api:deprecate',
            entityRef: 'component:default/cart-api',
            transition: 'deprecate',
            reason: 'Folded into basket-api next quarter.',
            mode: 'create',
          }),
          isDryRun,
        ),
      effects: ['lifecycle.set=would'],
    },
  };

  let actions: TemplateAction<any, any, any>[];
  beforeAll(async () => {
    actions = await registeredActions();
  });

  it('registers one dry-run case per action, and no case for an action it does not register', () => {
    expect(actions.map(a => a.id).sort()).toEqual(Object.keys(cases).sort());
  });

  it.each(Object.keys(cases))(
    '%s declares dryRun and effects among its outputs',
    id => {
      const output = actions.find(a => a.id === id)?.schema?.output as any;
      expect(Object.keys(output?.properties ?? {})).toEqual(
        expect.arrayContaining(['dryRun', 'effects']),
      );
      expect(output.required).toEqual(
        expect.arrayContaining(['dryRun', 'effects']),
      );
    },
  );

  it.each(Object.keys(cases))(
    '%s in a dry run outputs dryRun: true and only `would` effects',
    async id => {
      const out = await cases[id].run(world(), true);
      expect(out.dryRun).toBe(true);
      expect(out.effects.map((e: any) => `${e.type}=${e.result}`)).toEqual(
        cases[id].effects,
      );
      // nothing outside the workspace happened: every other effect is only `would`
      const outside = out.effects.filter(
        (e: any) => !WORKSPACE_EFFECT_TYPES.includes(e.type),
      );
      expect(outside.map((e: any) => e.result)).toEqual(
        outside.map(() => 'would'),
      );
      expect(out.effects.map((e: any) => typeof e.target)).toEqual(
        out.effects.map(() => 'string'),
      );
    },
  );

  const withRealRun = Object.keys(cases).filter(id => cases[id].realEffects);

  it.each(withRealRun)(
    '%s in a real run outputs dryRun: false and what it did',
    async id => {
      const out = await cases[id].run(world(), false);
      expect(out.dryRun).toBe(false);
      expect(out.effects.map((e: any) => `${e.type}=${e.result}`)).toEqual(
        cases[id].realEffects,
      );
    },
  );
});
