import {
  planDigest,
  requestFingerprint,
} from '@internal/plugin-golden-paths-common';
import fs from 'node:fs';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  COST_CENTER_PATTERN,
  DATABASE_TIERS,
  ENVIRONMENTS,
  NAME_LENGTH,
  NAME_PATTERN,
  REQUEST_KEY_PATTERN,
  databaseRequestSchema,
} from '@internal/plugin-golden-paths-common';
import { fakeLedger } from './__fixtures__/fakeLedger';
import {
  loadTemplate,
  TEMPLATES_DIR,
  requestProperties,
} from './__fixtures__/templates';
import { formErrors } from './__testUtils__/formErrors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { demoCatalog, fakeCatalog, T } from './__fixtures__/world';
import {
  cartApi,
  D0,
  fingerprintOf,
  keyOf,
  normalized,
  PG_TEMPLATE,
  V24,
} from './actions/database/testing/databaseWorld';
import { FakeDatabaseProvisioner } from './actions/database/testing/FakeDatabaseProvisioner';
import { createGoldenPathApproveAction } from './actions/approve/approve';
import { createGoldenPathDatabaseApplyAction } from './actions/database/databaseApply';
import { createGoldenPathDatabaseDescriptorAction } from './actions/database/databaseDescriptor';
import { createGoldenPathDatabasePlanAction } from './actions/database/databasePlan';
import { createGoldenPathLedgerCloseAction } from './actions/ledger/ledgerClose';
import { createGoldenPathLedgerOpenAction } from './actions/ledger/ledgerOpen';
import { createGoldenPathPreviewAction } from './actions/preview/preview';
import { createGoldenPathPublishGitAction } from './actions/publish/publishGit';
import { createGoldenPathRegisterAction } from './actions/register/register';
import { createGoldenPathValidateAction } from './actions/validate/validate';

type Props = Record<
  string,
  {
    pattern?: string;
    'ui:field'?: string;
    default?: unknown;
    enum?: unknown[];
    maxLength?: number;
    minLength?: number;
  }
>;

function parameterProperties(spec: any): Props {
  return requestProperties(spec);
}

describe('templates/postgres-database (golden-paths.md §3.3)', () => {
  const template = loadTemplate('postgres-database/template.yaml');
  const spec = template.spec as any;
  const props = parameterProperties(spec);
  const step = (id: string) => spec.steps.find((s: any) => s.id === id);

  it('is a v1beta3 golden-path template owned by the platform team', () => {
    expect(template.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
    expect(template.metadata.name).toBe('postgres-database');
    expect(template.metadata.tags).toContain('golden-path');
    expect(template.metadata.annotations?.['ops.example.com/version']).toBe(
      '1.0.0',
    );
    expect(spec.owner).toBe('group:default/platform-team');
  });

  it('runs the T3 steps in their exact order', () => {
    expect(spec.steps.map((s: any) => `${s.id}=${s.action}`)).toEqual([
      'validate=goldenpath:validate',
      'preview=goldenpath:preview',
      'open=goldenpath:ledger:open',
      'plan=goldenpath:database:plan',
      'approve=goldenpath:approve',
      'apply=goldenpath:database:apply',
      'descriptor=goldenpath:database:descriptor',
      'publish-local=goldenpath:publish:git',
      'register=goldenpath:register',
      'close=goldenpath:ledger:close',
    ]);
    for (const id of ['validate', 'preview', 'open']) {
      expect(step(id).input.kind).toBe('database');
    }
  });

  it('binds the approval to the plan digest and hands the decision to apply', () => {
    expect(step('approve').input).toMatchObject({
      planDigest: '${{ steps.plan.output.planDigest }}',
      triggers: '${{ steps.plan.output.approvalTriggers }}',
      mode: '${{ steps.open.output.mode }}',
    });
    expect(step('apply').input).toMatchObject({
      planDigest: '${{ steps.plan.output.planDigest }}',
      plan: '${{ steps.plan.output.plan }}',
      approvalDecision: '${{ steps.approve.output.decision }}',
    });
    // The plan always runs (read-only; replay plans nothing), the effects are guarded (§4.4).
    expect(step('plan').if).toBeUndefined();
    expect(step('apply').if).toBe('${{ steps.open.output.run.apply }}');
    expect(step('descriptor').if).toBe('${{ steps.open.output.run.publish }}');
    expect(step('publish-local').if).toMatch(
      /steps\.open\.output\.run\.publish/,
    );
    expect(step('register').if).toBe('${{ steps.open.output.run.register }}');
    expect(step('publish-local').input).toMatchObject({
      remoteUrl: '${{ steps.descriptor.output.infraRepoUrl }}',
      mode: 'update',
    });
  });

  it('shows the approver the plan: effects, markdown and estimate, bound to the plan digest (§6.3)', async () => {
    // The approval view of the database plan, not the raw provider plan (which has resources
    // but no effects or markdown); apply still gets the raw plan it re-plans and compares.
    expect(step('approve').input.plan).toBe(
      '${{ steps.plan.output.approvalPlan }}',
    );
    expect(step('apply').input.plan).toBe('${{ steps.plan.output.plan }}');

    // Run the plan step as the template wires it and read the outputs the approve step names.
    const plan = createGoldenPathDatabasePlanAction({
      config: new ConfigReader({}),
      ledger: fakeLedger().ledger,
      provisioner: new FakeDatabaseProvisioner(() => new Date(T)),
      catalog: fakeCatalog([...demoCatalog, cartApi]),
      auth: mockServices.auth(),
    });
    const request = normalized(V24);
    const ctx = createMockActionContext({
      input: {
        request,
        requestKey: keyOf(request),
        fingerprint: fingerprintOf(request),
        templateRef: PG_TEMPLATE,
        mode: 'create',
      } as any,
      logger: mockServices.logger.mock(),
    });
    await plan.handler(ctx as any);
    const out = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    const outputOf = (expression: string) =>
      out[/^\$\{\{ steps\.plan\.output\.(\w+) \}\}$/.exec(expression)![1]];

    const shown = outputOf(step('approve').input.plan);
    expect(shown.effects).toEqual([
      {
        step: 'apply',
        type: 'db.apply',
        target: 'postgresql_role.cart_db_prod_app',
        reversibility: 'compensating',
      },
      {
        step: 'apply',
        type: 'db.apply',
        target: 'postgresql_database.cart_db_prod',
        reversibility: 'irreversible',
      },
    ]);
    expect(shown.estimate).toMatchObject({
      total: '910.50',
      priceBookVersion: '2026.11.0',
    });
    expect(shown.markdown).toContain('production-data');
    expect(shown.markdown).toContain(
      '| postgresql_database.cart_db_prod | create | irreversible |',
    );
    // The digest the approval binds to is still the provider plan's, the one apply checks.
    const bound = outputOf(step('approve').input.planDigest);
    expect(bound).toBe(planDigest(out.plan));
    expect(bound).toBe(outputOf(step('apply').input.planDigest));
    expect(shown.planDigest).toBe(bound);
  });

  it('asks exactly the fields of the database request schema: intent only', () => {
    expect(Object.keys(props).sort()).toEqual(
      Object.keys(databaseRequestSchema.shape).sort(),
    );
    for (const moduleField of [
      'publicAccess',
      'encrypted',
      'backupRetentionDays',
      'deletionProtection',
      'subnetGroup',
      'parameterGroup',
    ]) {
      expect(props[moduleField]).toBeUndefined();
    }
    expect(props.environment.enum).toEqual([...ENVIRONMENTS]);
    expect(props.environment.default).toBe('dev');
    expect(props.databaseTier.enum).toEqual([...DATABASE_TIERS]);
    expect(props.storageGiB.default).toBe(20);
    expect(props.extraReadReplicas.default).toBe(0);
    expect(props.component['ui:field']).toBe('EntityPicker');
  });

  it('uses the patterns and lengths exported by golden-paths-common (§3)', () => {
    expect(props.name.pattern).toBe(NAME_PATTERN);
    expect(props.name.minLength).toBe(NAME_LENGTH.database.min);
    expect(props.name.maxLength).toBe(NAME_LENGTH.database.max);
    expect(props.costCenter.pattern).toBe(COST_CENTER_PATTERN);
    expect(props.idempotencyKey.pattern).toBe(REQUEST_KEY_PATTERN);
  });

  it('collects no secrets (GP-X02) and ships no skeleton', () => {
    const secretName =
      /(pass(word|wd)?|secret|token|api[-_]?key|private[-_]?key|credential)/i;
    for (const [name, schema] of Object.entries(props)) {
      expect(secretName.test(name)).toBe(false);
      expect(schema['ui:field']).not.toBe('Secret');
    }
    expect(
      fs.existsSync(path.join(TEMPLATES_DIR, 'postgres-database/skeleton')),
    ).toBe(false);
  });

  it('every golden-path step passes the inputs its action declares', () => {
    const config = new ConfigReader({});
    const catalog = fakeCatalog([]);
    const auth = mockServices.auth();
    const { ledger } = fakeLedger();
    const db = { config, ledger, provisioner: undefined, catalog, auth };
    const actions = [
      createGoldenPathValidateAction({
        catalog,
        config,
        auth,
        permissions: mockServices.permissions(),
      }),
      createGoldenPathPreviewAction({ config, ledger }),
      createGoldenPathLedgerOpenAction({ config, ledger, catalog, auth }),
      createGoldenPathDatabasePlanAction(db),
      createGoldenPathApproveAction({ config, ledger, catalog, auth }),
      createGoldenPathDatabaseApplyAction(db),
      createGoldenPathDatabaseDescriptorAction(db),
      createGoldenPathPublishGitAction({ config, ledger }),
      createGoldenPathRegisterAction({ config, ledger, catalog, auth }),
      createGoldenPathLedgerCloseAction({ config, ledger }),
    ];
    for (const s of spec.steps) {
      const action = actions.find(a => a.id === s.action);
      expect(action).toBeDefined();
      const schema = action!.schema!.input as {
        properties: Record<string, unknown>;
        required?: string[];
      };
      const given = Object.keys(s.input ?? {});
      expect({
        step: s.id,
        unknown: given.filter(k => !(k in schema.properties)),
      }).toEqual({
        step: s.id,
        unknown: [],
      });
      expect({
        step: s.id,
        missing: (schema.required ?? []).filter(k => !given.includes(k)),
      }).toEqual({ step: s.id, missing: [] });
    }
  });

  async function validate(request: Record<string, unknown>) {
    const defaults = Object.fromEntries(
      Object.entries(props)
        .filter(([, p]) => p.default !== undefined)
        .map(([k, p]) => [k, p.default]),
    );
    const action = createGoldenPathValidateAction({
      catalog: fakeCatalog([...demoCatalog, cartApi, template]),
      config: new ConfigReader({}),
      auth: mockServices.auth(),
      permissions: mockServices.permissions(),
      now: () => new Date(T),
    });
    const ctx = createMockActionContext({
      input: { kind: 'database', request: { ...defaults, ...request } } as any,
      logger: mockServices.logger.mock(),
      templateInfo: {
        entityRef: 'template:default/postgres-database',
        entity: { metadata: template.metadata },
      },
      user: { ref: 'user:default/ana.ruiz' },
    });
    await action.handler(ctx as any);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  it('asks a dev database for its expiry in the form (GP-D07), so a retry on another day is the same request', () => {
    const { expiresOn: _expiresOn, ...withoutExpiry } = D0;
    expect(formErrors(spec, D0)).toEqual([]);
    expect(formErrors(spec, withoutExpiry)).toEqual([
      "/ must have required property 'expiresOn'",
      '/ must match "then" schema',
    ]);
    // staging and prod may leave it empty
    expect(
      formErrors(spec, {
        ...withoutExpiry,
        ...V24,
        component: D0.component,
      }),
    ).toEqual([]);
  });

  it('D0 through the form passes goldenpath:validate with the names T3 uses', async () => {
    const out = await validate(D0);
    expect(out.requestKey).toBe('postgres-database:cart-db:dev');
    expect(out.decision).toBe('allow');
    expect(out.names).toEqual({
      entityRef: 'resource:default/cart-db-dev',
      resourceName: 'cart-db-dev',
      pgIdentifier: 'cart_db_dev',
    });
    expect(out.request).toMatchObject({
      kind: 'database',
      extraReadReplicas: 0,
      additionalAccess: [],
    });
  });

  it("validate's request output matches its fingerprint, which the descriptor checks", async () => {
    const out = await validate(D0);
    expect(requestFingerprint(out.templateRef, out.request)).toBe(
      out.fingerprint,
    );
  });

  it('V27 is refused by validate before anything is planned (GP-D04)', async () => {
    await expect(
      validate({
        ...D0,
        environment: 'staging',
        databaseTier: 'staging',
        size: 'xl',
      }),
    ).rejects.toThrow(
      'GP-D04: Size xl is not offered for tier staging (offered: s, m, l).',
    );
  });

  it('is listed in templates/all.yaml', () => {
    const location = loadTemplate('all.yaml');
    expect((location.spec as any).targets).toContain(
      './postgres-database/template.yaml',
    );
  });
});
