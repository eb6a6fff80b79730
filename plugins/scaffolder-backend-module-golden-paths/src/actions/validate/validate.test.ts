import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader, type Config } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import path from 'node:path';
import type {
  AuditorService,
  AuthService,
} from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { demoCatalog, fakeCatalog, S0, T } from '../../__fixtures__/world';
import { loadTemplate } from '../../__fixtures__/templates';
import { fakeLedger } from '../../__fixtures__/fakeLedger';
import type { LedgerStep } from '@internal/plugin-golden-paths-node';
import { permissionsAnswering } from '../../__testUtils__/permissions';
// component:default/cart-api as V1 leaves it: carries the request-key annotation of S0
import { cartApi, D0 } from '../database/testing/databaseWorld';
import { createGoldenPathValidateAction } from './validate';
import {
  provisionerGap,
  type ProvisionerGap,
} from '../../provisioners/createDatabaseProvisioner';

const template = loadTemplate('service-node-http/template.yaml');

/** A valid request of each other golden-path template (T2 worker, T3 database, T5 lifecycle). */
const WORKER_REQUEST = {
  name: 'cart-expiry',
  description: 'Expires abandoned guest carts every hour.',
  owner: 'group:default/checkout-team',
  system: 'system:default/checkout',
};
// The database world's D0 for a component that exists before any golden path has run.
const DATABASE_REQUEST = {
  ...D0,
  component: 'component:default/checkout-service',
};
const LIFECYCLE_REQUEST = {
  entity: 'component:cart-api',
  transition: 'deprecate',
  reason: 'Folded into basket-api next quarter.',
  replacement: 'component:default/basket-api',
  sunsetOn: '2027-01-30',
};

/** A Config whose data can be swapped between runs, like a reloading config source. */
function swappableConfig(data: object) {
  const holder = { current: new ConfigReader(data) };
  const config = new Proxy({} as Config, {
    get: (_, prop) => {
      const value = (holder.current as any)[prop];
      return typeof value === 'function' ? value.bind(holder.current) : value;
    },
  });
  return { config, set: (d: object) => (holder.current = new ConfigReader(d)) };
}

function setup(
  opts: {
    entities?: Entity[];
    config?: object;
    failRefs?: boolean;
    ledger?: ReturnType<typeof fakeLedger>;
    permissions?: ReturnType<typeof permissionsAnswering>['permissions'];
    auth?: AuthService;
    noProvisioner?: ProvisionerGap;
  } = {},
) {
  const catalog = fakeCatalog(opts.entities ?? [...demoCatalog, template], {
    failRefs: opts.failRefs,
  });
  const cfg = swappableConfig(opts.config ?? {});
  const auditEvents: unknown[] = [];
  const auditor: AuditorService = {
    createEvent: async event => {
      auditEvents.push(event);
      return { success: async () => {}, fail: async () => {} };
    },
  };
  const action = createGoldenPathValidateAction({
    catalog,
    config: cfg.config,
    auth: opts.auth ?? mockServices.auth(),
    permissions: opts.permissions ?? permissionsAnswering('ALLOW').permissions,
    auditor,
    ...(opts.ledger ? { ledger: opts.ledger.ledger } : {}),
    noProvisioner: opts.noProvisioner,
    now: () => new Date(T),
  });
  return { action, catalog, cfg, auditEvents };
}

function context(
  request: Record<string, unknown>,
  extra: { isDryRun?: boolean; user?: string; idempotencyKey?: string } = {},
) {
  const logger = mockServices.logger.mock();
  const base = createMockActionContext({
    input: {
      kind: 'service',
      request,
      ...(extra.idempotencyKey ? { idempotencyKey: extra.idempotencyKey } : {}),
    } as any,
    logger,
    templateInfo: {
      entityRef: 'template:default/service-node-http',
      entity: { metadata: template.metadata },
    },
    user: { ref: extra.user ?? 'user:default/ana.ruiz' },
  });
  // createMockActionContext does not carry isDryRun over; the scaffolder sets it per step.
  const ctx = { ...base, isDryRun: extra.isDryRun };
  return { ctx, logger };
}

function outputs(ctx: { output: unknown }) {
  return Object.fromEntries(
    (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
  );
}

function logText(logger: ReturnType<typeof mockServices.logger.mock>) {
  return [logger.info, logger.warn, logger.error, logger.debug]
    .flatMap(fn => (fn as jest.Mock).mock.calls)
    .map(call => JSON.stringify(call))
    .join('\n');
}

async function refusal(
  request: Record<string, unknown>,
  config?: object,
  ledger?: ReturnType<typeof fakeLedger>,
) {
  const { action } = setup({ config, ledger });
  const { ctx, logger } = context(request);
  const error = await action.handler(ctx as any).then(
    () => undefined,
    e => e as Error,
  );
  expect(error?.name).toBe('InputError');
  expect(ctx.output).not.toHaveBeenCalled();
  return { message: error!.message, logger };
}

describe('goldenpath:validate', () => {
  it('S0 (V1 policy part): allows and outputs key, fingerprint, names, no triggers', async () => {
    const { action, catalog } = setup();
    const { ctx } = context(S0);
    await action.handler(ctx as any);
    const out = outputs(ctx);
    expect(out.requestKey).toBe('service-node-http:cart-api');
    expect(out.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(out.decision).toBe('allow');
    expect(out.approvalTriggers).toEqual([]);
    expect(out.warnings).toEqual([]);
    expect(out.names).toEqual({
      entityRef: 'component:default/cart-api',
      repoUrl: './.data/golden-paths/repos/cart-api.git',
    });
    expect(out.publishMode).toBe('local');
    expect(out.existing).toBe('none');
    expect(out.policyVersion).toBe('2026.11.0');
    expect(out.templateRef).toBe('template:default/service-node-http');
    expect(out.templateVersion).toBe('1.0.0');
    // checkout-team's own rotation, for the descriptor to leave out when requested again (§2.1).
    expect(out.ownerRotation).toBe('static:checkout-primary');
    expect(out.dryRun).toBe(false);
    expect(out.request).toMatchObject({
      kind: 'service',
      name: 'cart-api',
      owner: 'group:default/checkout-team',
      tier: 2,
      sloAvailability: '99.5',
    });
    // The template (kill-switch phase), then the facts in ≤ 2 batched catalog calls (§4.9).
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1);
    expect(catalog.getEntitiesByRefs).toHaveBeenCalledTimes(1);
    expect(catalog.getEntities).toHaveBeenCalledTimes(1);
  });

  it('dry run takes the same path and reports dryRun: true (V17 validate part)', async () => {
    const { action } = setup();
    const real = context(S0);
    const dry = context(S0, { isDryRun: true });
    await action.handler(real.ctx as any);
    await action.handler(dry.ctx as any);
    const a = outputs(real.ctx);
    const b = outputs(dry.ctx);
    expect(b.dryRun).toBe(true);
    expect({ ...b, dryRun: false }).toEqual(a);
  });

  it('ownerRotation is empty for an owner group without a rotation of its own (V9 writes it)', async () => {
    const { action } = setup();
    const { ctx } = context({
      ...S0,
      name: 'promo-api',
      owner: 'group:default/storefront-team',
      system: 'system:default/storefront',
    });
    await action.handler(ctx as any);
    expect(outputs(ctx).ownerRotation).toBe('');
  });

  it("names the owner group for CODEOWNERS as GitHub does: the group's team slug, else the configured organisation and the group", async () => {
    const checkout = demoCatalog.find(
      e => e.kind === 'Group' && e.metadata.name === 'checkout-team',
    )!;
    const withSlug = {
      ...checkout,
      metadata: {
        ...checkout.metadata,
        annotations: {
          ...checkout.metadata.annotations,
          'github.com/team-slug': 'shop-example/checkout',
        },
      },
    };
    const codeOwner = async (entities: Entity[], config?: object) => {
      const { action } = setup({ entities: [...entities, template], config });
      const { ctx } = context(S0);
      await action.handler(ctx as any);
      return outputs(ctx).codeOwner;
    };
    expect(
      await codeOwner(demoCatalog.map(e => (e === checkout ? withSlug : e))),
    ).toBe('@shop-example/checkout');
    expect(
      await codeOwner(demoCatalog, {
        goldenPaths: { publish: { github: { org: 'shop-example' } } },
      }),
    ).toBe('@shop-example/checkout-team');
    // local mode without an organisation: the group's name, never a made-up organisation
    expect(await codeOwner(demoCatalog)).toBe('@checkout-team');
  });

  it('V4: GP-N01 for Cart_API', async () => {
    const { message } = await refusal({ ...S0, name: 'Cart_API' });
    expect(message).toBe(
      'GP-N01: Name "Cart_API" is not allowed: use 3–40 lowercase letters, digits and single hyphens, starting with a letter (for example "cart-api").',
    );
  });

  it('V5: GP-O01 for a person as owner', async () => {
    const { message } = await refusal({
      ...S0,
      owner: 'user:default/ana.ruiz',
    });
    expect(message).toBe(
      'GP-O01: Owner "user:default/ana.ruiz" is a person; golden paths need an owning team. Pick a Group (for example group:default/checkout-team).',
    );
  });

  it('V6: GP-O02 for an unknown group', async () => {
    const { message } = await refusal({
      ...S0,
      owner: 'group:default/carts-team',
    });
    expect(message).toBe(
      'GP-O02: Owner group:default/carts-team does not exist in the catalog. Pick an existing team, or ask the platform team to add it first.',
    );
  });

  it('V7: GP-T01 for tier 1 without a rotation; O03 and O04 warnings in the log', async () => {
    const { message, logger } = await refusal({
      ...S0,
      name: 'promo-api',
      owner: 'group:default/storefront-team',
      system: 'system:default/storefront',
      tier: '1',
    });
    expect(message).toBe(
      "GP-T01: A tier 1 service needs an on-call rotation, but neither this request nor group:default/storefront-team names one (ops.example.com/oncall, PagerDuty or Opsgenie). A rotation inherited from a parent group does not count. Add the team's rotation and run again.",
    );
    const warned = (logger.warn as jest.Mock).mock.calls.map(c => c[0]);
    expect(warned).toEqual([
      'GP-O03 (warning): You (user:default/ana.ruiz) are not a member of group:default/storefront-team. Ask a member to run this template, or ask to be added to the team.',
      'GP-O04 (warning): group:default/storefront-team has no members in the catalog; nobody there will receive notifications.',
    ]);
  });

  it('V11: public exposure passes with the network approval trigger', async () => {
    const { action } = setup();
    const { ctx } = context({
      ...S0,
      name: 'wishlist-api',
      exposure: 'public',
    });
    await action.handler(ctx as any);
    const out = outputs(ctx);
    expect(out.decision).toBe('needs-approval');
    expect(out.approvalTriggers).toEqual([
      { id: 'network', reasons: ['public exposure'] },
    ]);
  });

  it('V12: GP-X01 names the detector and never echoes the secret', async () => {
    const secret = 'AKIAIOSFODNN7EXAMPLE';
    const { action, auditEvents } = setup();
    const { ctx, logger } = context({
      ...S0,
      description: `cart svc, key ${secret}`,
    });
    const error = await action.handler(ctx as any).catch(e => e as Error);
    expect(error?.message).toBe(
      'GP-X01: Field "description" looks like it contains a secret (AWS access key id). Remove it: golden paths never take secrets as input; credentials are created in the secrets manager and referenced by name.',
    );
    expect(ctx.output).not.toHaveBeenCalled();
    expect(logText(logger)).not.toContain(secret);
    expect(JSON.stringify(auditEvents)).not.toContain(secret);
    expect(JSON.stringify(auditEvents)).toContain('"redaction":"applied"');
  });

  it('refuses a request carrying a secret before any of it reaches the catalog (§4.9 order)', async () => {
    const secret = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const { action, catalog } = setup();
    const { ctx } = context({
      ...S0,
      owner: `group:default/${secret}`,
      description: `cart svc, token ${secret}`,
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(/^GP-X01/);
    // No fact call: those carry refs built from the request (owner, system, name).
    expect(catalog.getEntitiesByRefs).not.toHaveBeenCalled();
    expect(catalog.getEntities).not.toHaveBeenCalled();
    // The one read before the secret scan is the template (its steps for K02, its parameters
    // for X02), keyed by the template ref alone.
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1);
    expect((catalog.getEntityByRef as jest.Mock).mock.calls[0][0]).toBe(
      'template:default/service-node-http',
    );
    const sent = JSON.stringify(
      Object.values(catalog).flatMap(fn =>
        jest.isMockFunction(fn) ? fn.mock.calls : [],
      ),
    );
    expect(sent).not.toContain(secret);
  });

  it('refuses a malformed request (V, I01) before any fact call', async () => {
    const { action, catalog } = setup();
    const bad = context({ ...S0, region: 42, colour: 'blue' });
    await expect(action.handler(bad.ctx as any)).rejects.toThrow(/^GP-V0/);
    const badKey = context(S0, { idempotencyKey: 'Bad Key' });
    await expect(action.handler(badKey.ctx as any)).rejects.toThrow(/^GP-I01/);
    expect(catalog.getEntitiesByRefs).not.toHaveBeenCalled();
    expect(catalog.getEntities).not.toHaveBeenCalled();
  });

  it('V13: GP-R02 for a forbidden region', async () => {
    const { message } = await refusal({ ...S0, region: 'us-west-1' });
    expect(message).toBe(
      'GP-R02: Region us-west-1 is forbidden for golden paths: no data-residency agreement covers it.',
    );
  });

  it('V14: GP-S01 for an unknown system', async () => {
    const { message } = await refusal({
      ...S0,
      system: 'system:default/checkout-v2',
    });
    expect(message).toBe(
      'GP-S01: System system:default/checkout-v2 does not exist in the catalog. Pick an existing system.',
    );
  });

  it('V15: GP-N03 for a taken name', async () => {
    const { message } = await refusal({ ...S0, name: 'checkout-service' });
    expect(message).toBe(
      'GP-N03: Name "checkout-service" is already used by component:default/checkout-service (owner group:default/checkout-team). Choose another name, or open component:default/checkout-service if you meant to change it.',
    );
  });

  it('V16: GP-N02 and GP-T02 as two lines in rule order', async () => {
    const { message } = await refusal({
      ...S0,
      name: 'admin',
      tier: '1',
      runbook: 'none',
    });
    expect(message).toBe(
      [
        'GP-N02: Name "admin" is reserved; choose a name that says what the service does.',
        'GP-T02: A tier 1 service needs a runbook. Choose "generate a runbook stub" or link an existing runbook.',
      ].join('\n'),
    );
  });

  const v18Switch = {
    goldenPaths: {
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
  };

  it('V18: GP-K01 from the config kill switch', async () => {
    const { message } = await refusal({ ...S0, name: 'basket-api' }, v18Switch);
    expect(message).toBe(
      'GP-K01: Template "service-node-http" is switched off by the platform team since 2026-11-23 09:30 UTC: CI workflow v3.4.1 broken (INC-5120). Nothing was created.',
    );
  });

  it('re-reads the kill switches on every run (no deploy needed)', async () => {
    const { action, cfg } = setup();
    const first = context({ ...S0, name: 'basket-api' });
    await action.handler(first.ctx as any);
    expect(outputs(first.ctx).decision).toBe('allow');

    cfg.set(v18Switch);
    const second = context({ ...S0, name: 'basket-api' });
    await expect(action.handler(second.ctx as any)).rejects.toThrow(/^GP-K01/);

    cfg.set({
      goldenPaths: { killSwitches: v18Switch.goldenPaths.killSwitch },
    });
    const third = context({ ...S0, name: 'basket-api' });
    await expect(action.handler(third.ctx as any)).rejects.toThrow(/^GP-K01/);
  });

  it('GP-K02 names the template step whose action is switched off', async () => {
    const { message } = await refusal(
      { ...S0, name: 'basket-api' },
      {
        goldenPaths: {
          killSwitch: {
            actions: {
              'fetch:template': {
                disabled: true,
                reason: 'skeleton fetch broken',
                since: '2026-11-23T09:30:00Z',
              },
            },
          },
        },
      },
      fakeLedger(),
    );
    // a first run: the ledger holds nothing under the key
    expect(message).toBe(
      'GP-K02: Action fetch:template is switched off by the platform team since 2026-11-23 09:30 UTC: skeleton fetch broken. Stopped before step "skeleton". Nothing was created.',
    );
  });

  describe('GP-K02 tells a first run from a resumed one by the ledger steps of the key', () => {
    const registerOff = {
      goldenPaths: {
        killSwitch: {
          actions: {
            'goldenpath:register': {
              disabled: true,
              reason: 'catalog migration',
              since: '2026-11-23T09:30:00Z',
            },
          },
        },
      },
    };
    const KEY = 'service-node-http:basket-api';
    const FIRST =
      'GP-K02: Action goldenpath:register is switched off by the platform team since 2026-11-23 09:30 UTC: catalog migration. Stopped before step "register". Nothing was created.';
    const RESUMED = `GP-K02: Action goldenpath:register is switched off by the platform team since 2026-11-23 09:30 UTC: catalog migration. Stopped before step "register"; earlier steps are recorded under request "${KEY}" and resume when it is switched back on.`;
    const run = async (ledger: ReturnType<typeof fakeLedger>) => {
      const { action } = setup({ config: registerOff, ledger });
      const { ctx } = context({ ...S0, name: 'basket-api' });
      return action.handler(ctx as any).catch(e => e as Error);
    };

    it('a first run: the ledger holds no step of the key, nothing was created', async () => {
      const ledger = fakeLedger();
      expect((await run(ledger))?.message).toBe(FIRST);
      expect(ledger.calls).toEqual([{ op: 'steps', key: KEY }]);
    });

    it("a rerun whose publish the ledger recorded keeps V19's text", async () => {
      const ledger = fakeLedger();
      ledger.steps.set(`${KEY}/publish-local`, {
        requestKey: KEY,
        stepId: 'publish-local',
        fingerprint: 'sha256:p',
        status: 'done',
        attempt: 1,
      });
      expect((await run(ledger))?.message).toBe(RESUMED);
    });

    it("a ledger that does not answer keeps V19's text (nothing created may be untrue)", async () => {
      const ledger = fakeLedger({ failGet: new Error('connection refused') });
      expect((await run(ledger))?.message).toBe(RESUMED);
    });

    it("no ledger client keeps V19's text: whether anything was created cannot be told", async () => {
      const { action } = setup({ config: registerOff });
      const { ctx } = context({ ...S0, name: 'basket-api' });
      const error = await action.handler(ctx as any).catch(e => e as Error);
      expect(error?.message).toBe(RESUMED);
    });

    const seeded = (...statuses: LedgerStep['status'][]) => {
      const ledger = fakeLedger();
      statuses.forEach((status, i) =>
        ledger.steps.set(`${KEY}/step-${i}`, {
          requestKey: KEY,
          stepId: `step-${i}`,
          fingerprint: 'sha256:p',
          status,
          attempt: 1,
        }),
      );
      return ledger;
    };

    it('steps that left no effect (failed, compensated): nothing was created', async () => {
      expect((await run(seeded('failed', 'compensated')))?.message).toBe(FIRST);
    });

    it("a step claimed and never finished may have had its effect: V19's text", async () => {
      expect((await run(seeded('failed', 'claimed')))?.message).toBe(RESUMED);
    });

    it('a dry run reports the same text as the refusal a real run gets', async () => {
      const ledger = fakeLedger();
      const { action } = setup({ config: registerOff, ledger });
      const { ctx } = context(
        { ...S0, name: 'basket-api' },
        { isDryRun: true },
      );
      await action.handler(ctx as any);
      expect(outputs(ctx).wouldBeRefusedBy).toEqual({
        ruleId: 'GP-K02',
        message: FIRST,
      });
    });
  });

  it('GP-K02 for a switched-off goldenpath:validate even when the catalog lacks the template (§4.7)', async () => {
    const { action } = setup({
      ledger: fakeLedger(),
      entities: [...demoCatalog],
      config: {
        goldenPaths: {
          killSwitch: {
            actions: {
              'goldenpath:validate': {
                disabled: true,
                reason: 'policy engine broken',
                since: '2026-11-23T09:30:00Z',
              },
            },
          },
        },
      },
    });
    const { ctx } = context({ ...S0, name: 'basket-api' });
    (ctx as any).step = { id: 'validate' };
    const error = await action.handler(ctx as any).catch(e => e as Error);
    expect(error?.message).toBe(
      'GP-K02: Action goldenpath:validate is switched off by the platform team since 2026-11-23 09:30 UTC: policy engine broken. Stopped before step "validate". Nothing was created.',
    );
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('GP-U01 when the catalog does not answer (fails closed)', async () => {
    const { action } = setup({ failRefs: true });
    const { ctx } = context(S0);
    await expect(action.handler(ctx as any)).rejects.toThrow(
      /^GP-U01: Could not check GP-N03 because the catalog did not answer within 2 s\./,
    );
  });

  it('GP-X02 when the task carries secrets other than the portal token', async () => {
    const { action } = setup();
    const { ctx } = context(S0);
    (ctx as any).secrets = { backstageToken: 'x', dbPassword: 'hunter22' };
    await expect(action.handler(ctx as any)).rejects.toThrow(
      'GP-X02: Template "service-node-http" collects "dbPassword", which looks like a secret. Golden-path templates may not collect secrets; remove the parameter.',
    );
  });

  it('honours an explicit idempotency key and refuses a malformed one (GP-I01)', async () => {
    const { action } = setup();
    const ok = context(S0, { idempotencyKey: 'api:cart-api/1' });
    await action.handler(ok.ctx as any);
    expect(outputs(ok.ctx).requestKey).toBe('api:cart-api/1');

    const bad = context(S0, { idempotencyKey: 'Bad Key' });
    await expect(action.handler(bad.ctx as any)).rejects.toThrow(
      'GP-I01: Idempotency key "Bad Key" is not valid: use 3–128 characters from a–z, 0–9 and . _ : / - , starting with a letter or digit.',
    );
  });
});

describe('goldenpath:validate — an error it does not expect leaves a record naming the request (§4.5)', () => {
  // The record withInvocationAudit writes: validate's input has no requestKey, so it used to
  // record '' and an auditor could not tell which request failed.

  /** The auth backend down: validate cannot get the credentials of its catalog reads. */
  const authDown = () =>
    mockServices.auth.mock({
      getOwnServiceCredentials: async () => {
        throw new ServiceUnavailableError('auth backend is not answering');
      },
    });

  /** The failed record of a validate run whose auth backend is down. */
  async function failedRecord(
    request: Record<string, unknown>,
    extra: { idempotencyKey?: string } = {},
  ) {
    const { action, auditEvents } = setup({ auth: authDown() });
    const { ctx } = context(request, extra);
    await expect(action.handler(ctx as any)).rejects.toThrow(
      ServiceUnavailableError,
    );
    expect(auditEvents).toHaveLength(1);
    return (auditEvents[0] as { meta: Record<string, unknown> }).meta;
  }

  it('records the key the request runs under, derived from its input', async () => {
    expect(await failedRecord(S0)).toMatchObject({
      action: 'goldenpath:validate',
      requestKey: 'service-node-http:cart-api',
      result: 'failed',
      errorName: 'ServiceUnavailableError',
    });
  });

  it('records the explicit idempotency key the request runs under', async () => {
    const meta = await failedRecord(S0, { idempotencyKey: 'api:cart-api/1' });
    expect(meta.requestKey).toBe('api:cart-api/1');
  });

  it('records a lifecycle key with the entity ref normalized, as the run records its steps', async () => {
    const lifecycleTemplate = loadTemplate(
      'lifecycle-transition/template.yaml',
    );
    // the permission backend down at the §6.4 check, after the request was screened
    const permissions = mockServices.permissions.mock({
      authorize: async () => {
        throw new ServiceUnavailableError(
          'permission backend is not answering',
        );
      },
    });
    const { action, auditEvents } = setup({
      entities: [...demoCatalog, lifecycleTemplate, cartApi],
      permissions,
    });
    const { ctx } = context(LIFECYCLE_REQUEST);
    (ctx as any).input = { kind: 'lifecycle', request: LIFECYCLE_REQUEST };
    (ctx as any).templateInfo = {
      entityRef: 'template:default/lifecycle-transition',
      entity: { metadata: lifecycleTemplate.metadata },
    };
    await expect(action.handler(ctx as any)).rejects.toThrow(
      ServiceUnavailableError,
    );
    expect(auditEvents).toEqual([
      expect.objectContaining({
        meta: expect.objectContaining({
          result: 'failed',
          requestKey: 'lifecycle:component:default/cart-api:deprecate',
        }),
      }),
    ]);
  });

  it('says the key is unknown when it cannot be told: never built from a secret, never a malformed one', async () => {
    const secret = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const secretName = await failedRecord({ ...S0, name: secret });
    expect(secretName.requestKey).toBe('(unknown)');
    expect(JSON.stringify(secretName)).not.toContain(secret);

    const malformed = await failedRecord(S0, { idempotencyKey: 'Bad Key' });
    expect(malformed.requestKey).toBe('(unknown)');
  });
});

describe('goldenpath:validate — database requests (T3)', () => {
  // The file's database request without its expiry date: these tests start from the default.
  const { expiresOn: _expiresOn, ...D } = DATABASE_REQUEST;

  function databaseContext(request: Record<string, unknown>) {
    const { ctx, logger } = context(request);
    (ctx as any).input = { kind: 'database', request };
    return { ctx, logger };
  }

  it('a dev database without expiresOn expires 30 days from today (§3.3 default)', async () => {
    const { action } = setup();
    const { ctx } = databaseContext(D);
    await action.handler(ctx as any);
    expect(outputs(ctx).request.expiresOn).toBe('2026-12-23');
  });

  it('reports the cost limit at validate, before any plan (V26, GP-D06)', async () => {
    const { action } = setup();
    const { ctx } = databaseContext({
      ...D,
      environment: 'prod',
      databaseTier: 'production-standard',
      size: '2xl',
      storageGiB: 2048,
      extraReadReplicas: 3,
      dataClassification: 'critical-pii',
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(
      'GP-D06: Estimated $8,421.12/month exceeds the production-standard limit of $8,000.00/month. Choose a smaller size, less storage or fewer replicas, or ask the platform team about a larger tier.',
    );
  });
});

describe('goldenpath:validate — the ledger row of this request (§4.3, §4.9)', () => {
  const KEY = 'service-node-http:cart-api';
  const afterV1 = [...demoCatalog, template, cartApi];
  const n03 =
    'GP-N03: Name "cart-api" is already used by component:default/cart-api (owner group:default/checkout-team). Choose another name, or open component:default/cart-api if you meant to change it.';

  /** The row V1 leaves behind, from V1's own validate outputs. */
  async function rowAfterV1(status = 'succeeded') {
    const { action } = setup();
    const { ctx } = context(S0);
    await action.handler(ctx as any);
    const out = outputs(ctx);
    return {
      requestKey: out.requestKey,
      fingerprint: out.fingerprint,
      request: out.request,
      templateRef: out.templateRef,
      templateVersion: out.templateVersion,
      kind: 'service',
      status,
      createdBy: 'user:default/ana.ruiz',
      createdAt: '2026-11-23T09:00:00.000Z',
      updatedAt: '2026-11-23T09:05:00.000Z',
      attempts: 1,
    };
  }

  it('V2: a rerun of the same request passes (replay), looking the row up read-only', async () => {
    const ledger = fakeLedger({ requests: [await rowAfterV1()] });
    const { action } = setup({ entities: afterV1, ledger });
    const { ctx } = context(S0);
    await action.handler(ctx as any);
    const out = outputs(ctx);
    expect(out.decision).toBe('allow');
    expect(out.requestKey).toBe(KEY);
    expect(out.existing).toBe('replay');
    expect(ledger.calls).toEqual([{ op: 'get', key: KEY }]);
  });

  it('a failed earlier run of the same request is resumed, not refused GP-N03', async () => {
    const ledger = fakeLedger({ requests: [await rowAfterV1('failed')] });
    const { action } = setup({ entities: afterV1, ledger });
    const { ctx } = context(S0);
    await action.handler(ctx as any);
    expect(outputs(ctx).existing).toBe('resume');
  });

  it('refuses GP-N03 once the ledger row has expired (retention), though the entity carries our key', async () => {
    const ledger = fakeLedger();
    const { action } = setup({ entities: afterV1, ledger });
    const { ctx } = context(S0);
    await expect(action.handler(ctx as any)).rejects.toThrow(n03);
    expect(ledger.calls).toEqual([{ op: 'get', key: KEY }]);
  });

  it('V3: a changed request under the same key is only GP-I02', async () => {
    const ledger = fakeLedger({ requests: [await rowAfterV1()] });
    const { action } = setup({ entities: afterV1, ledger });
    const { ctx } = context({ ...S0, tier: '1' });
    const error = await action.handler(ctx as any).catch(e => e as Error);
    expect(error?.message).toBe(
      'GP-I02: Idempotency key "service-node-http:cart-api" was used on 2026-11-23 by user:default/ana.ruiz for a different request (differs in: tier). Nothing was changed. Use a new key, or repeat the original inputs to get the original result.',
    );
  });

  it('a ledger that does not answer fails closed (GP-U01) instead of crashing', async () => {
    const ledger = fakeLedger({
      failGet: new Error('connect ECONNREFUSED 127.0.0.1:7007'),
    });
    const { action } = setup({ entities: afterV1, ledger });
    const { ctx, logger } = context(S0);
    const error = await action.handler(ctx as any).catch(e => e as Error);
    expect(error?.name).toBe('InputError');
    expect(error?.message).toBe(
      'GP-U01: Could not check GP-I02 because the golden-paths ledger did not answer within 2 s. Nothing was created; try again.',
    );
    expect(logText(logger)).toContain('ledger lookup failed');
  });

  /** The row of a run in progress whose lease `taskId` holds for ten more minutes. */
  async function leasedRow(taskId: string) {
    return {
      ...(await rowAfterV1('running')),
      leaseTaskId: taskId,
      leaseStartedAt: '2026-11-23T09:59:00.000Z',
      leaseUntil: new Date(Date.parse(T) + 10 * 60_000).toISOString(),
    };
  }

  it('a Backstage retry of the same task resumes: its own live lease is no GP-I03', async () => {
    const { ctx } = context(S0);
    const ledger = fakeLedger({ requests: [await leasedRow(ctx.task.id)] });
    const { action } = setup({ entities: afterV1, ledger });
    await action.handler(ctx as any);
    expect(outputs(ctx).existing).toBe('resume');
  });

  it('a live lease held by another task is GP-I03', async () => {
    const { ctx } = context(S0);
    const ledger = fakeLedger({ requests: [await leasedRow('task-other')] });
    const { action } = setup({ entities: afterV1, ledger });
    await expect(action.handler(ctx as any)).rejects.toThrow(
      /^GP-I03: Request "service-node-http:cart-api" is already running in task task-other/,
    );
  });

  it('does not look up a derived key that only the name makes invalid (GP-N01 says why)', async () => {
    const ledger = fakeLedger();
    const { action } = setup({ ledger });
    const { ctx } = context({ ...S0, name: 'Cart API' });
    const error = await action.handler(ctx as any).catch(e => e as Error);
    expect(error?.message).toMatch(/^GP-N01/);
    expect(error?.message).not.toContain('GP-U01');
    expect(ledger.calls).toEqual([]);
  });

  it('never looks up a key refused before the fact phase (a secret key never leaves validate)', async () => {
    const ledger = fakeLedger();
    const { action } = setup({ ledger });
    const { ctx } = context(S0, {
      idempotencyKey: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(/^GP-X01/);
    expect(ledger.calls).toEqual([]);
  });
});

describe('goldenpath:validate — lifecycle requests (T5, §6.4)', () => {
  const lifecycleTemplate = loadTemplate('lifecycle-transition/template.yaml');
  const L = LIFECYCLE_REQUEST;

  function lifecycleContext(
    extra: { isDryRun?: boolean } = {},
    request: Record<string, unknown> = L,
  ) {
    const { ctx, logger } = context(request, extra);
    (ctx as any).input = { kind: 'lifecycle', request };
    (ctx as any).templateInfo = {
      entityRef: 'template:default/lifecycle-transition',
      entity: { metadata: lifecycleTemplate.metadata },
    };
    return { ctx, logger };
  }

  it.each([false, true])(
    'refuses an initiator without goldenpaths.lifecycle.transition at preflight, before any fact or ledger read (dry run: %s)',
    async isDryRun => {
      const { permissions, asked } = permissionsAnswering('DENY');
      const ledger = fakeLedger();
      const { action, catalog, auditEvents } = setup({
        entities: [...demoCatalog, lifecycleTemplate, cartApi],
        permissions,
        ledger,
      });
      const { ctx } = lifecycleContext({ isDryRun });
      const initiator = await ctx.getInitiatorCredentials();
      await expect(action.handler(ctx as any)).rejects.toMatchObject({
        name: 'NotAllowedError',
        // the text goldenpath:lifecycle refuses with, so the requester sees it before approval
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
      expect(catalog.getEntitiesByRefs).not.toHaveBeenCalled();
      expect(catalog.getEntities).not.toHaveBeenCalled();
      expect(ledger.calls).toEqual([]);
      expect(ctx.output).not.toHaveBeenCalled();
      expect(auditEvents).toEqual([
        expect.objectContaining({
          meta: expect.objectContaining({
            decision: 'deny',
            requestKey: 'lifecycle:component:default/cart-api:deprecate',
          }),
        }),
      ]);
    },
  );

  it.each([
    [{ sunsetOn: '2026-12-03' }, 'got 2026-12-03, 10 days'],
    [{ sunsetOn: '2028-01-01' }, 'got 2028-01-01, 404 days'],
  ])(
    "refuses a deprecation's own fields (%j: GP-L05) at preflight, before ledger:open claims the key a corrected request would need",
    async (fields, got) => {
      const { permissions } = permissionsAnswering('ALLOW');
      const ledger = fakeLedger();
      const { action, auditEvents } = setup({
        entities: [...demoCatalog, lifecycleTemplate, cartApi],
        permissions,
        ledger,
      });
      const { ctx } = lifecycleContext({}, { ...L, ...fields });
      await expect(action.handler(ctx as any)).rejects.toThrow(
        `GP-L05: Deprecation needs a replacement (an entity, or "none" with a reason) and a sunset date 30–365 days ahead (${got}).`,
      );
      expect(ledger.calls).toEqual([]);
      expect(ctx.output).not.toHaveBeenCalled();
      expect(auditEvents).toEqual([
        expect.objectContaining({
          meta: expect.objectContaining({ decision: 'deny' }),
        }),
      ]);
    },
  );

  it("passes an initiator who holds it, asking once with the initiator's credentials", async () => {
    const { permissions, asked } = permissionsAnswering('ALLOW');
    const { action } = setup({
      entities: [...demoCatalog, lifecycleTemplate, cartApi],
      permissions,
    });
    const { ctx } = lifecycleContext();
    await action.handler(ctx as any);
    expect(outputs(ctx).requestKey).toBe(
      'lifecycle:component:default/cart-api:deprecate',
    );
    expect(asked).toEqual([
      {
        permission: 'goldenpaths.lifecycle.transition',
        resourceRef: 'component:default/cart-api',
        credentials: await ctx.getInitiatorCredentials(),
      },
    ]);
  });

  it('GP-K02 looks the ledger up under the key the run records steps under (the ref normalized)', async () => {
    const KEY = 'lifecycle:component:default/cart-api:deprecate';
    const ledger = fakeLedger();
    ledger.steps.set(`${KEY}/lifecycle`, {
      requestKey: KEY,
      stepId: 'lifecycle',
      fingerprint: 'sha256:l',
      status: 'done',
      attempt: 1,
    });
    const { action } = setup({
      entities: [...demoCatalog, lifecycleTemplate, cartApi],
      ledger,
      config: {
        goldenPaths: {
          killSwitch: {
            actions: {
              'goldenpath:ledger:close': {
                disabled: true,
                reason: 'ledger migration',
                since: '2026-11-23T09:30:00Z',
              },
            },
          },
        },
      },
    });
    // `entity` is typed `component:cart-api`, without the namespace
    const { ctx } = lifecycleContext();
    const error = await action.handler(ctx as any).catch(e => e as Error);
    expect(ledger.calls).toEqual([{ op: 'steps', key: KEY }]);
    expect(error?.message).toBe(
      `GP-K02: Action goldenpath:ledger:close is switched off by the platform team since 2026-11-23 09:30 UTC: ledger migration. Stopped before step "close"; earlier steps are recorded under request "${KEY}" and resume when it is switched back on.`,
    );
  });

  it('does not ask for create requests', async () => {
    const { permissions, asked } = permissionsAnswering('DENY');
    const { action } = setup({ permissions });
    const { ctx } = context(S0);
    await action.handler(ctx as any);
    expect(asked).toEqual([]);
  });
});

describe('goldenpath:validate — publish settings (§3, §9)', () => {
  const dbTemplate = loadTemplate('postgres-database/template.yaml');
  const workerTemplate = loadTemplate('worker-node/template.yaml');
  const D = DATABASE_REQUEST;
  const W = WORKER_REQUEST;

  /** A context for `kind`, with the template the task would carry. */
  function kindContext(
    kind: 'service' | 'worker' | 'database',
    request: Record<string, unknown>,
    isDryRun = false,
  ) {
    const { ctx } = context(request, { isDryRun });
    const t = {
      service: template,
      worker: workerTemplate,
      database: dbTemplate,
    }[kind];
    (ctx as any).input = { kind, request };
    (ctx as any).templateInfo = {
      entityRef: `template:default/${t.metadata.name}`,
      entity: { metadata: t.metadata },
    };
    return ctx;
  }

  const U03_GITHUB_ORG =
    'GP-U03: Cannot publish a service in goldenPaths.publish.mode github: goldenPaths.publish.github.org is not set. Nothing was created; the platform team has to set it.';
  const u03Gitlab = (kind: string) =>
    `GP-U03: Cannot publish a ${kind} in goldenPaths.publish.mode gitlab: no golden-path template has a GitLab publish step yet. Nothing was created; the platform team has to set goldenPaths.publish.mode to local or github.`;
  const U03_DATABASE_GITHUB =
    'GP-U03: Cannot publish a database in goldenPaths.publish.mode github: its Resource travels in the infrastructure pull request of the github-terraform provisioner, which is not built yet. Nothing was created; the platform team has to set goldenPaths.publish.mode to local.';

  it.each([
    ['service', { mode: 'github' }, false, S0, U03_GITHUB_ORG],
    ['service', { mode: 'github' }, true, S0, U03_GITHUB_ORG],
    [
      'service',
      { mode: 'gitlab', gitlab: { group: 'acme' } },
      false,
      S0,
      u03Gitlab('service'),
    ],
    ['worker', { mode: 'gitlab' }, false, W, u03Gitlab('worker')],
    ['database', { mode: 'gitlab' }, false, D, u03Gitlab('database')],
    [
      'database',
      { mode: 'github', github: { org: 'acme' } },
      false,
      D,
      U03_DATABASE_GITHUB,
    ],
  ] as const)(
    'refuses a %s request with goldenPaths.publish %j (dry run: %s) before any fact or ledger read (GP-U03)',
    async (kind, publish, isDryRun, request, message) => {
      const ledger = fakeLedger();
      const { action, catalog, auditEvents } = setup({
        entities: [...demoCatalog, template, workerTemplate, dbTemplate],
        config: { goldenPaths: { publish } },
        ledger,
      });
      const ctx = kindContext(kind, request, isDryRun);
      await expect(action.handler(ctx as any)).rejects.toMatchObject({
        name: 'InputError',
        message,
      });
      expect(catalog.getEntitiesByRefs).not.toHaveBeenCalled();
      expect(ledger.calls).toEqual([]);
      expect(ctx.output).not.toHaveBeenCalled();
      expect(auditEvents).toEqual([
        expect.objectContaining({
          meta: expect.objectContaining({
            decision: 'deny',
            rules: expect.arrayContaining([{ id: 'GP-U03', outcome: 'deny' }]),
          }),
        }),
      ]);
    },
  );

  it.each([
    [
      {},
      'GP-U03: Cannot publish a database in goldenPaths.publish.mode local: the local-postgres provisioner has no server: goldenPaths.database.local.connection is not set. Nothing was created; the platform team has to set it to an admin connection (CREATEDB, CREATEROLE).',
    ],
    [
      { database: { provisioner: 'github-terraform' } },
      'GP-U03: Cannot publish a database in goldenPaths.publish.mode local: goldenPaths.database.provisioner "github-terraform" is not available in this module. Nothing was created; the platform team has to set goldenPaths.database.provisioner to local-postgres.',
    ],
  ])(
    'refuses a database request when the module has no provisioner (%j) before its key is claimed (GP-U03), not at the plan step',
    async (goldenPaths, message) => {
      const ledger = fakeLedger();
      const { action, catalog, auditEvents } = setup({
        entities: [...demoCatalog, template, workerTemplate, dbTemplate],
        config: { goldenPaths },
        ledger,
        noProvisioner: provisionerGap(new ConfigReader({ goldenPaths })),
      });
      const ctx = kindContext('database', D);
      await expect(action.handler(ctx as any)).rejects.toMatchObject({
        name: 'InputError',
        message,
      });
      expect(catalog.getEntitiesByRefs).not.toHaveBeenCalled();
      expect(ledger.calls).toEqual([]);
      expect(auditEvents).toEqual([
        expect.objectContaining({
          meta: expect.objectContaining({
            decision: 'deny',
            rules: expect.arrayContaining([
              expect.objectContaining({ id: 'GP-U03', outcome: 'deny' }),
            ]),
          }),
        }),
      ]);
    },
  );

  it('refuses only database requests for a missing provisioner: a service still passes', async () => {
    const { action } = setup({
      noProvisioner: provisionerGap(new ConfigReader({})),
    });
    const ctx = kindContext('service', S0);
    await action.handler(ctx as any);
    expect(outputs(ctx).requestKey).toBeDefined();
  });

  it('outputs the branch, visibility and repository link the templates publish with (local mode)', async () => {
    const { action } = setup();
    const ctx = kindContext('service', S0);
    await action.handler(ctx as any);
    expect(outputs(ctx).publish).toEqual({
      defaultBranch: 'main',
      repoVisibility: 'internal',
      repositoryUrl: `file://${path.resolve(
        './.data/golden-paths/repos/cart-api.git',
      )}`,
      // what the templates show as text (a browser opens no file:// link from the portal)
      repositoryPath: path.resolve('./.data/golden-paths/repos/cart-api.git'),
    });
  });

  it('outputs them from goldenPaths.publish in GitHub mode, so publish:github creates the branch the descriptor links to', async () => {
    const { action } = setup({
      config: {
        goldenPaths: {
          publish: {
            mode: 'github',
            github: { org: 'acme', visibility: 'private' },
            git: { defaultBranch: 'trunk' },
          },
        },
      },
    });
    const ctx = kindContext('worker', W);
    await action.handler(ctx as any);
    const out = outputs(ctx);
    expect(out.publishMode).toBe('github');
    expect(out.names.repoUrl).toBe('github.com?owner=acme&repo=cart-expiry');
    // named before anything is published: register and a resumed open read it
    expect(out.names.catalogInfoUrl).toBe(
      'https://github.com/acme/cart-expiry/blob/trunk/catalog-info.yaml',
    );
    expect(out.publish).toEqual({
      defaultBranch: 'trunk',
      repoVisibility: 'private',
      repositoryUrl: 'https://github.com/acme/cart-expiry',
    });
  });

  it('a database request has no repository of its own to link', async () => {
    const { action } = setup();
    const ctx = kindContext('database', D);
    await action.handler(ctx as any);
    expect(outputs(ctx).publish).toEqual({
      defaultBranch: 'main',
      repoVisibility: 'internal',
    });
  });
});

describe('goldenpath:validate — deleting a Resource of the shared infrastructure repository (§7.1)', () => {
  const lifecycleTemplate = loadTemplate('lifecycle-transition/template.yaml');
  /** goldenPaths.publish.local.root as validate reads it (the default). */
  const root = path.resolve('./.data/golden-paths/repos');
  // as the local provider writes it: the repository's name under the root (golden-paths.md §4.9)
  const resource = (
    name: string,
    type: string,
    location = 'golden-paths-local:platform-infra.git',
  ): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'ops.example.com/lifecycle': 'archived',
        'ops.example.com/request-key': `postgres-database:${name}`,
        'backstage.io/managed-by-location': location,
      },
    },
    spec: {
      type,
      owner: 'group:default/checkout-team',
      dependencyOf: ['component:default/cart-api'],
    },
  });

  async function validateDelete(entity: Entity) {
    const ledger = fakeLedger();
    const { action, auditEvents } = setup({
      entities: [...demoCatalog, lifecycleTemplate, entity],
      ledger,
    });
    const request = {
      entity: `resource:default/${entity.metadata.name}`,
      transition: 'delete',
      reason: 'The cart rewrite keeps carts in the session store.',
    };
    const { ctx } = context(request);
    (ctx as any).input = { kind: 'lifecycle', request };
    (ctx as any).templateInfo = {
      entityRef: 'template:default/lifecycle-transition',
      entity: { metadata: lifecycleTemplate.metadata },
    };
    const error = await action.handler(ctx as any).then(
      () => undefined,
      e => e as Error,
    );
    return { error, ctx, ledger, auditEvents };
  }

  it('lets a database Resource through to its destroy plan (preview shows it, approval binds to it)', async () => {
    const { error, ctx } = await validateDelete(
      resource('cart-db-dev', 'database'),
    );
    expect(error).toBeUndefined();
    expect(outputs(ctx).request).toMatchObject({
      kind: 'lifecycle',
      transition: 'delete',
      entity: 'resource:default/cart-db-dev',
    });
  });

  it('refuses any other Resource of it at preflight, before approval is requested, with the text goldenpath:lifecycle gives', async () => {
    const { error, ctx, ledger, auditEvents } = await validateDelete(
      resource('orders-queue-dev', 'queue'),
    );
    expect(error).toMatchObject({
      name: 'InputError',
      message:
        'resource:default/orders-queue-dev is described in the shared infrastructure repository, next to other entities; goldenpath:lifecycle deletes only entities with a repository of their own, and database Resources. Nothing was changed.',
    });
    // only validate's read-only lookup of the row: nothing opened, claimed or approved
    expect(ledger.calls.map(x => x.op)).toEqual(['get']);
    expect(ctx.output).not.toHaveBeenCalled();
    expect(auditEvents).toEqual([
      expect.objectContaining({
        meta: expect.objectContaining({ decision: 'deny' }),
      }),
    ]);
  });

  it('still recognises it by the absolute path an older provider wrote (a repository directly under the root)', async () => {
    const { error } = await validateDelete(
      resource(
        'orders-queue-dev',
        'queue',
        `golden-paths-local:${root}/platform-infra.git`,
      ),
    );
    expect(error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'is described in the shared infrastructure repository',
      ),
    });
  });

  it('refuses a golden-paths-local:<repo> that leaves goldenPaths.publish.local.root, or a path outside it', async () => {
    for (const location of [
      'golden-paths-local:../platform-infra.git',
      'golden-paths-local:../x.git',
      `golden-paths-local:${path.dirname(root)}/platform-infra.git`,
      `golden-paths-local:${root}/../repos/platform-infra.git`,
      'golden-paths-local:a/platform-infra.git',
    ]) {
      const { error, ledger } = await validateDelete(
        resource('orders-queue-dev', 'queue', location),
      );
      expect(error).toMatchObject({
        name: 'InputError',
        message: `resource:default/orders-queue-dev is not in a locally published repository (${location} does not name a repository under goldenPaths.publish.local.root). Nothing was changed.`,
      });
      expect(ledger.calls.map(x => x.op)).toEqual(['get']);
    }
  });
});

describe('goldenpath:validate — display-only parameters (GoldenPathAvailability)', () => {
  const templates = {
    service: template,
    worker: loadTemplate('worker-node/template.yaml'),
    database: loadTemplate('postgres-database/template.yaml'),
    lifecycle: loadTemplate('lifecycle-transition/template.yaml'),
  };
  const requests = {
    service: S0,
    worker: WORKER_REQUEST,
    database: DATABASE_REQUEST,
    lifecycle: LIFECYCLE_REQUEST,
  };
  type Kind = keyof typeof templates;

  /**
   * Runs validate on `request` as the scaffolder would for the template of `kind`; with
   * `templatesInCatalog: false` the catalog does not hold the templates (validate's read of
   * the template finds nothing).
   */
  async function validate(
    kind: Kind,
    request: Record<string, unknown>,
    { templatesInCatalog = true } = {},
  ) {
    const { action } = setup({
      // a lifecycle request moves an existing entity; the others create cart-* names
      entities: [
        ...demoCatalog,
        ...(templatesInCatalog ? Object.values(templates) : []),
        ...(kind === 'lifecycle' ? [cartApi] : []),
      ],
    });
    const { ctx } = context(request);
    (ctx as any).input = { kind, request };
    (ctx as any).templateInfo = {
      entityRef: `template:default/${templates[kind].metadata.name}`,
      entity: { metadata: templates[kind].metadata },
    };
    const error = await action.handler(ctx as any).then(
      () => undefined,
      e => e as Error,
    );
    return { error, out: outputs(ctx) };
  }

  it.each(Object.keys(templates) as Kind[])(
    "a %s run whose form set availability: null (the field not registered: rjsf's null field) is not refused, and validates as without it",
    async kind => {
      const without = await validate(kind, requests[kind]);
      const withNull = await validate(kind, {
        ...requests[kind],
        availability: null,
      });
      expect(without.error).toBeUndefined();
      expect(withNull.error).toBeUndefined();
      expect(withNull.out.request).not.toHaveProperty('availability');
      expect(withNull.out.fingerprint).toBe(without.out.fingerprint);
      expect(withNull.out.requestKey).toBe(without.out.requestKey);
    },
  );

  it('still refuses a key the template does not declare (GP-V02)', async () => {
    const { error } = await validate('service', {
      ...S0,
      availability: null,
      banner: null,
    });
    expect(error?.message).toBe(
      'GP-V02: Field "banner" is not part of a service request; remove it.',
    );
  });

  describe('when the template cannot be read from the catalog', () => {
    it.each(Object.keys(templates) as Kind[])(
      'a %s run with availability: null is not refused for it, and validates as without it',
      async kind => {
        const opts = { templatesInCatalog: false };
        const without = await validate(kind, requests[kind], opts);
        const withNull = await validate(
          kind,
          { ...requests[kind], availability: null },
          opts,
        );
        expect(without.error).toBeUndefined();
        expect(withNull.error).toBeUndefined();
        expect(withNull.out.request).not.toHaveProperty('availability');
        expect(withNull.out.requestKey).toBe(without.out.requestKey);
        expect(withNull.out.fingerprint).toBe(without.out.fingerprint);
      },
    );

    it.each([
      [
        'an unknown key that holds a value (GP-V02)',
        'service',
        { ...S0, availability: null, banner: 'hello' },
        'GP-V02: Field "banner" is not part of a service request; remove it.',
      ],
      [
        'an unknown key that holds null (GP-V02), as with the template read',
        'service',
        { ...S0, availability: null, banner: null },
        'GP-V02: Field "banner" is not part of a service request; remove it.',
      ],
      [
        "a database's network-exposure field that holds null (GP-D09)",
        'database',
        { ...DATABASE_REQUEST, availability: null, publicAccess: null },
        'GP-D09: Databases are never reachable from the internet; remove "publicAccess".',
      ],
    ] as const)('still refuses %s', async (_, kind, request, message) => {
      const { error } = await validate(kind, request, {
        templatesInCatalog: false,
      });
      expect(error?.message).toBe(message);
    });

    it('still refuses a request field set to null (GP-V01)', async () => {
      const { error } = await validate(
        'service',
        { ...S0, description: null },
        { templatesInCatalog: false },
      );
      expect(error?.message).toMatch(
        /^GP-V01: Field "description" .*\(got null\)\.$/,
      );
    });
  });

  it('still validates a declared field that holds a value, even a null one', async () => {
    const { error } = await validate('service', {
      ...S0,
      availability: null,
      description: null,
    });
    expect(error?.name).toBe('InputError');
    expect(error?.message).toMatch(
      /^GP-V01: Field "description" .*\(got null\)\.$/,
    );
  });
});

describe('goldenpath:validate in a scaffolder dry run (POST /v2/dry-run, §4.6)', () => {
  /** The context the scaffolder's dry-run endpoint gives: its own ref, the template's metadata. */
  function dryRunContext(request: Record<string, unknown>) {
    const { ctx, logger } = context(request, { isDryRun: true });
    (ctx as any).templateInfo = {
      entityRef: 'template:default/dry-run',
      entity: { metadata: template.metadata },
    };
    return { ctx, logger };
  }
  const BASKET = { ...S0, name: 'basket-api' };

  it('computes the request key, fingerprint and template ref of the template it runs, as the real run does (V17)', async () => {
    const real = context(BASKET);
    await setup().action.handler(real.ctx as any);
    const dry = dryRunContext(BASKET);
    await setup().action.handler(dry.ctx as any);
    const realOut = outputs(real.ctx);
    const dryOut = outputs(dry.ctx);
    expect(dryOut.templateRef).toBe('template:default/service-node-http');
    expect(dryOut.requestKey).toBe('service-node-http:basket-api');
    expect(dryOut.requestKey).toBe(realOut.requestKey);
    expect(dryOut.fingerprint).toBe(realOut.fingerprint);
  });

  it("shows the template's kill switch a real run is refused by (GP-K01, V18)", async () => {
    const { action } = setup({
      config: {
        goldenPaths: {
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
      },
    });
    const { ctx } = dryRunContext(BASKET);
    await action.handler(ctx as any);
    expect(outputs(ctx).wouldBeRefusedBy).toEqual({
      ruleId: 'GP-K01',
      message:
        'GP-K01: Template "service-node-http" is switched off by the platform team since 2026-11-23 09:30 UTC: CI workflow v3.4.1 broken (INC-5120). Nothing was created.',
    });
  });
});
