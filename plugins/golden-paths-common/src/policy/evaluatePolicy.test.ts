import {
  cartApi,
  demoCatalog,
  demoFacts,
  fixtureConfig,
  S0,
  serviceTemplate,
  T,
} from '../__fixtures__/demo';
import { CatalogView } from '../catalog/catalogView';
import { eligibleApprovers } from '../approvals/approvers';
import { pendingApprovalMessage } from '../approvals/classifyTriggers';
import { fingerprintBody } from '../request/requestFingerprint';
import type { LedgerRequestFact, PolicyFacts } from './facts';
import { evaluatePolicy, killSwitchRequestKey } from './evaluatePolicy';

const APPROVAL_ID = 'apr_01JDEMO0000000000000000000';

function validate(
  delta: Record<string, unknown>,
  facts: Partial<PolicyFacts> = {},
) {
  return evaluatePolicy({
    kind: 'service',
    template: serviceTemplate,
    request: { ...S0, ...delta },
    facts: demoFacts(facts),
    config: fixtureConfig,
    now: T,
  });
}

/** The ledger row V1 leaves behind, built from V1's own evaluation. */
function ledgerAfterV1(): LedgerRequestFact {
  const v1 = validate({});
  return {
    requestKey: v1.requestKey!,
    fingerprint: v1.fingerprint!,
    templateRef: 'template:default/service-node-http',
    templateVersion: '1.0.0',
    request: fingerprintBody(v1.request!),
    status: 'succeeded',
    createdBy: 'user:default/ana.ruiz',
    createdAt: T,
  };
}

describe('golden-path policy preflight (§10)', () => {
  it('V1 S0 passes every rule with no trigger and no warning', () => {
    const r = validate({});
    expect(r.decision).toBe('allow');
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.requestKey).toBe('service-node-http:cart-api');
    expect(r.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('V2 S0 again after V1 is a replay: same key and fingerprint, N03 skipped for our own entity', () => {
    const r = validate(
      {},
      { catalog: [...demoCatalog, cartApi], ledger: ledgerAfterV1() },
    );
    expect(r.decision).toBe('allow');
    expect(r.fingerprint).toBe(ledgerAfterV1().fingerprint);
  });

  it('V3 refuses a reused key with a different tier, naming the field only', () => {
    const r = validate(
      { tier: 1 },
      { catalog: [...demoCatalog, cartApi], ledger: ledgerAfterV1() },
    );
    expect(r.decision).toBe('deny');
    expect(r.message).toBe(
      'GP-I02: Idempotency key "service-node-http:cart-api" was used on 2026-11-23 by user:default/ana.ruiz for a different request (differs in: tier). Nothing was changed. Use a new key, or repeat the original inputs to get the original result.',
    );
  });

  it('V4 refuses a name that is not kebab-case and suggests one', () => {
    expect(validate({ name: 'Cart_API' }).message).toBe(
      'GP-N01: Name "Cart_API" is not allowed: use 3–40 lowercase letters, digits and single hyphens, starting with a letter (for example "cart-api").',
    );
  });

  it('V5 refuses a person as owner', () => {
    expect(validate({ owner: 'user:default/ana.ruiz' }).message).toBe(
      'GP-O01: Owner "user:default/ana.ruiz" is a person; golden paths need an owning team. Pick a Group (for example group:default/checkout-team).',
    );
  });

  it('V6 refuses an owner group that is not in the catalog', () => {
    expect(validate({ owner: 'group:default/carts-team' }).message).toBe(
      'GP-O02: Owner group:default/carts-team does not exist in the catalog. Pick an existing team, or ask the platform team to add it first.',
    );
  });

  const v7 = {
    name: 'promo-api',
    owner: 'group:default/storefront-team',
    system: 'system:default/storefront',
    tier: 1,
  };

  it('V7 refuses a tier 1 service without on-call, warning O03 and O04', () => {
    const r = validate(v7);
    expect(r.decision).toBe('deny');
    expect(r.message).toBe(
      "GP-T01: A tier 1 service needs an on-call rotation, but neither this request nor group:default/storefront-team names one (ops.example.com/oncall, PagerDuty or Opsgenie). A rotation inherited from a parent group does not count. Add the team's rotation and run again.",
    );
    expect(r.warnings.map(w => w.message)).toEqual([
      'GP-O03 (warning): You (user:default/ana.ruiz) are not a member of group:default/storefront-team. Ask a member to run this template, or ask to be added to the team.',
      'GP-O04 (warning): group:default/storefront-team has no members in the catalog; nobody there will receive notifications.',
    ]);
  });

  it('V7 with ownerMembership deny (production) refuses O03 too, before T01', () => {
    const r = evaluatePolicy({
      kind: 'service',
      template: serviceTemplate,
      request: { ...S0, ...v7 },
      facts: demoFacts(),
      config: {
        ...fixtureConfig,
        policy: { ...fixtureConfig.policy, ownerMembership: 'deny' },
      },
      now: T,
    });
    expect(r.errors.map(e => e.id)).toEqual(['GP-O03', 'GP-T01']);
    expect(r.errors[0].message).toMatch(
      /^GP-O03: You \(user:default\/ana.ruiz\)/,
    );
  });

  it('V8 needs a tier-1 approval once the request names a rotation', () => {
    const r = validate({ ...v7, oncall: 'static:storefront-primary' });
    expect(r.decision).toBe('needs-approval');
    expect(r.approvalTriggers).toEqual([
      { id: 'tier-1', reasons: ['tier 1 service'] },
    ]);
    expect(
      pendingApprovalMessage(r.approvalTriggers, APPROVAL_ID, fixtureConfig),
    ).toBe(
      `GP-A01: Approval needed before anything is created: tier-1 (tier 1 service). Approval ${APPROVAL_ID} is waiting for group:default/platform-team. When it is approved, press Retry or run the template again with the same inputs.`,
    );
  });

  it('V10 needs an approval nobody but the requester could give (GP-A06)', () => {
    const requester = 'user:default/fatima.haddad';
    const r = validate(
      { ...v7, oncall: 'static:storefront-primary', name: 'promo-admin-api' },
      { requester },
    );
    expect(r.decision).toBe('needs-approval');
    expect(r.approvalTriggers.map(t => t.id)).toEqual(['tier-1']);
    const check = eligibleApprovers(
      new CatalogView(demoCatalog),
      'group:default/platform-team',
      requester,
    );
    expect(check.approvers).toEqual([]);
    expect(check.error).toBe(
      'GP-A06: Nobody other than you can approve this in group:default/platform-team; ask the platform team to add an approver.',
    );
    // Anyone else from platform-team's requests would have fatima.haddad as approver.
    expect(
      eligibleApprovers(
        new CatalogView(demoCatalog),
        'group:default/platform-team',
        'user:default/ana.ruiz',
      ).approvers,
    ).toEqual([requester]);
  });

  it('V11 needs a network approval for public exposure', () => {
    const r = validate({ name: 'wishlist-api', exposure: 'public' });
    expect(r.decision).toBe('needs-approval');
    expect(
      pendingApprovalMessage(r.approvalTriggers, APPROVAL_ID, fixtureConfig),
    ).toContain(
      'Approval needed before anything is created: network (public exposure). ',
    );
  });

  it('V12 refuses a secret in the description without echoing it anywhere', () => {
    const secret = 'AKIAIOSFODNN7EXAMPLE';
    const r = validate({ description: `cart svc, key ${secret}` });
    expect(r.message).toBe(
      'GP-X01: Field "description" looks like it contains a secret (AWS access key id). Remove it: golden paths never take secrets as input; credentials are created in the secrets manager and referenced by name.',
    );
    expect(JSON.stringify(r)).not.toContain(secret);
    expect(r.request).toBeUndefined();
  });

  it('V13 refuses a forbidden region', () => {
    expect(validate({ region: 'us-west-1' }).message).toBe(
      'GP-R02: Region us-west-1 is forbidden for golden paths: no data-residency agreement covers it.',
    );
  });

  it('V14 refuses a system that does not exist', () => {
    expect(validate({ system: 'system:default/checkout-v2' }).message).toBe(
      'GP-S01: System system:default/checkout-v2 does not exist in the catalog. Pick an existing system.',
    );
  });

  // An existing entity of another kind is no System: the descriptor would write it as spec.system.
  it.each([
    [
      'component:default/checkout-service',
      'component:default/checkout-service',
    ],
    ['component:checkout-service', 'component:default/checkout-service'],
    ['group:default/checkout-team', 'group:default/checkout-team'],
  ])(
    'V14 counterpart: refuses system %s, which exists but is not a System',
    (system, ref) => {
      const r = validate({ system });
      expect(r.decision).toBe('deny');
      expect(r.message).toBe(
        `GP-S01: System ${ref} does not exist in the catalog. Pick an existing system.`,
      );
    },
  );

  it('V15 refuses a name already used by a demo component', () => {
    expect(validate({ name: 'checkout-service' }).message).toBe(
      'GP-N03: Name "checkout-service" is already used by component:default/checkout-service (owner group:default/checkout-team). Choose another name, or open component:default/checkout-service if you meant to change it.',
    );
  });

  it('V16 lists every failing rule in rule order', () => {
    const r = validate({ name: 'admin', tier: 1, runbook: 'none' });
    expect(r.message).toBe(
      [
        'GP-N02: Name "admin" is reserved; choose a name that says what the service does.',
        'GP-T02: A tier 1 service needs a runbook. Choose "generate a runbook stub" or link an existing runbook.',
      ].join('\n'),
    );
    // tier 1 on-call passes: checkout-team has its own rotation.
    expect(r.rules.find(x => x.id === 'GP-T01')?.outcome).toBe('pass');
  });

  it('V18 refuses at validate while the template is switched off', () => {
    const r = validate(
      { name: 'basket-api' },
      {
        killSwitches: {
          templates: {
            'service-node-http': {
              disabled: true,
              reason: 'CI workflow v3.4.1 broken (INC-5120)',
              since: '2026-11-23T09:30:00Z',
            },
          },
        },
      },
    );
    expect(r.decision).toBe('deny');
    expect(r.message).toBe(
      'GP-K01: Template "service-node-http" is switched off by the platform team since 2026-11-23 09:30 UTC: CI workflow v3.4.1 broken (INC-5120). Nothing was created.',
    );
  });

  it('V19 (message) an action switched off names the step and the request key', () => {
    const r = validate(
      { name: 'basket-api' },
      {
        // V19's rerun: publish-local is recorded under the key
        stepsRecorded: true,
        killSwitches: {
          actions: {
            'goldenpath:register': {
              disabled: true,
              reason: 'catalog migration',
              since: '2026-11-23T09:45:00Z',
            },
          },
        },
      },
    );
    expect(r.message).toBe(
      'GP-K02: Action goldenpath:register is switched off by the platform team since 2026-11-23 09:45 UTC: catalog migration. Stopped before step "register"; earlier steps are recorded under request "service-node-http:basket-api" and resume when it is switched back on.',
    );
  });
});

describe('preflight phases', () => {
  it('schema problems are GP-V01/V02 lines and stop before fact rules', () => {
    const r = validate({ tier: '4', colour: 'blue', name: 'admin' });
    expect(r.errors.map(e => e.message)).toEqual([
      'GP-V01: Field "tier" must be one of 1, 2, 3 (got "4").',
      'GP-V02: Field "colour" is not part of a service request; remove it.',
    ]);
  });

  it('a 40,000-character description is refused with the value shortened, not echoed whole', () => {
    const r = validate({ description: 'd'.repeat(40_000) });
    expect(r.errors.map(e => e.message)).toEqual([
      `GP-V01: Field "description" must be at most 200 characters (got "${'d'.repeat(
        76,
      )}...).`,
    ]);
  });

  it('an invalid explicit key is GP-I01', () => {
    expect(validate({ idempotencyKey: 'Bad Key' }).message).toBe(
      'GP-I01: Idempotency key "Bad Key" is not valid: use 3–128 characters from a–z, 0–9 and . _ : / - , starting with a letter or digit.',
    );
  });

  it('a fact source that did not answer fails closed (GP-U01)', () => {
    const r = validate(
      {},
      { unavailable: [{ rule: 'GP-N03', source: 'the catalog' }] },
    );
    expect(r.message).toBe(
      'GP-U01: Could not check GP-N03 because the catalog did not answer within 2 s. Nothing was created; try again.',
    );
  });

  it('tier 2 without any rotation up the chain warns GP-T03; an invalid rotation is GP-T05', () => {
    const noRotation = demoCatalog.map(e =>
      e.kind === 'Group'
        ? { ...e, metadata: { ...e.metadata, annotations: {} } }
        : e,
    );
    expect(
      validate({}, { catalog: noRotation }).warnings.map(w => w.id),
    ).toEqual(['GP-T03']);
    expect(validate({ oncall: 'pager:abc' }).message).toBe(
      'GP-T05: On-call "pager:abc" is not recognised; use pagerduty:schedule/<id>, opsgenie:schedule/<name> or static:<name>.',
    );
  });

  it('a running request with the same key is GP-I03', () => {
    const ledger = {
      ...ledgerAfterV1(),
      status: 'running' as const,
      leaseTaskId: 'task-7',
      leaseUntil: '2026-11-23T10:10:00Z',
      leaseStartedAt: '2026-11-23T09:58:00Z',
    };
    expect(validate({}, { ledger }).message).toBe(
      'GP-I03: Request "service-node-http:cart-api" is already running in task task-7 (started 2026-11-23 09:58 UTC). Wait for it to finish; nothing was changed.',
    );
  });

  it('a secret pasted as a field name is refused GP-X01 by its path, never echoed', () => {
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const r = validate({ [token]: 'x', AKIAIOSFODNN7EXAMPLE: 'y' });
    expect(r.errors.map(e => e.message)).toEqual([
      'GP-X01: Field "(field name)" looks like it contains a secret (GitHub token). Remove it: golden paths never take secrets as input; credentials are created in the secrets manager and referenced by name.',
      'GP-X01: Field "(field name)" looks like it contains a secret (AWS access key id). Remove it: golden paths never take secrets as input; credentials are created in the secrets manager and referenced by name.',
    ]);
    expect(JSON.stringify(r)).not.toContain(token.slice(0, 12));
    expect(JSON.stringify(r)).not.toContain('AKIAIOSFODNN');
  });

  it('a derived request key is held to the GP-I01 format too', () => {
    const entity = `component:${'a'.repeat(40)}/${'b'.repeat(63)}`;
    const lifecycle = (extra: Record<string, unknown> = {}) =>
      evaluatePolicy({
        kind: 'lifecycle',
        template: {
          name: 'lifecycle-transition',
          ref: 'template:default/lifecycle-transition',
          version: '1.0.0',
        },
        request: {
          entity,
          transition: 'undeprecate',
          reason: 'back in service again',
          ...extra,
        },
        facts: demoFacts(),
        config: fixtureConfig,
        now: T,
      });
    const derived = `lifecycle:${entity}:undeprecate`;
    expect(derived.length).toBeGreaterThan(128);
    expect(lifecycle().message).toBe(
      `GP-I01: Idempotency key "${derived}" is not valid: use 3–128 characters from a–z, 0–9 and . _ : / - , starting with a letter or digit.`,
    );
    // an explicit key within the limits is the way out
    expect(
      lifecycle({ idempotencyKey: 'lifecycle:undeprecate-b' }).decision,
    ).toBe('allow');
  });

  it('a name that fails GP-N01 is explained by N01, not by the key derived from it', () => {
    expect(validate({ name: 'Cart API' }).errors.map(e => e.id)).toEqual([
      'GP-N01',
    ]);
  });
});

describe('GP-T01 and a blank owner rotation', () => {
  const blankTeam = (oncall: string) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: 'blank-team',
      namespace: 'default',
      annotations: { 'ops.example.com/oncall': oncall },
    },
    spec: { type: 'team', children: [], members: ['user:default/ana.ruiz'] },
  });

  it.each(['   ', '\t\n', ''])(
    'an owner rotation of %j is no rotation',
    oncall => {
      const r = validate(
        { name: 'blank-api', owner: 'group:default/blank-team', tier: 1 },
        { catalog: [...demoCatalog, blankTeam(oncall)] },
      );
      expect(r.message).toBe(
        "GP-T01: A tier 1 service needs an on-call rotation, but neither this request nor group:default/blank-team names one (ops.example.com/oncall, PagerDuty or Opsgenie). A rotation inherited from a parent group does not count. Add the team's rotation and run again.",
      );
    },
  );
});

describe('GP-N03 and the ledger row of this request (§4.3, §4.4, §4.9)', () => {
  const n03 =
    'GP-N03: Name "cart-api" is already used by component:default/cart-api (owner group:default/checkout-team). Choose another name, or open component:default/cart-api if you meant to change it.';
  const afterV1 = (ledger?: Partial<LedgerRequestFact>) => ({
    catalog: [...demoCatalog, cartApi],
    ...(ledger ? { ledger: { ...ledgerAfterV1(), ...ledger } } : {}),
  });
  const n03Outcome = (r: ReturnType<typeof validate>) =>
    r.rules.find(x => x.id === 'GP-N03')?.outcome;

  it('refuses the name once the ledger row has expired (retention), even though the entity carries our key', () => {
    const r = validate({}, afterV1());
    expect(r.decision).toBe('deny');
    expect(r.message).toBe(n03);
  });

  it.each([
    ['succeeded', {}],
    ['failed', {}],
    ['awaiting-approval', {}],
    ['open', {}],
    ['running', { leaseTaskId: 'task-7', leaseUntil: '2026-11-23T09:50:00Z' }],
  ] as const)(
    'skips N03 for our own entity when the row is this request, same fingerprint, %s',
    (status, extra) => {
      const r = validate({}, afterV1({ status, ...extra }));
      expect(r.errors).toEqual([]);
      expect(n03Outcome(r)).toBe('skipped');
    },
  );

  it('leaves a live lease to GP-I03 alone (no N03 line)', () => {
    const r = validate(
      {},
      afterV1({
        status: 'running',
        leaseTaskId: 'task-7',
        leaseUntil: '2026-11-23T10:10:00Z',
        leaseStartedAt: '2026-11-23T09:58:00Z',
      }),
    );
    expect(r.errors.map(e => e.id)).toEqual(['GP-I03']);
  });

  it('V3 names only the changed field against a row as ledger:open stores it (the full normalized request)', () => {
    const stored = validate({ waitMinutes: 5 }).request as unknown as Record<
      string,
      unknown
    >;
    expect(stored.kind).toBe('service');
    const r = validate({ tier: 1 }, afterV1({ request: stored }));
    expect(r.message).toBe(
      'GP-I02: Idempotency key "service-node-http:cart-api" was used on 2026-11-23 by user:default/ana.ruiz for a different request (differs in: tier). Nothing was changed. Use a new key, or repeat the original inputs to get the original result.',
    );
  });

  it.each(['rejected', 'compensated'] as const)(
    'refuses the name when the row is %s: a rerun neither replays nor resumes it',
    status => {
      expect(validate({}, afterV1({ status })).message).toBe(n03);
    },
  );

  it.each(['succeeded', 'failed'] as const)(
    'a %s row with a different fingerprint leaves the refusal to GP-I02 (V3: only the I02 line)',
    status => {
      const r = validate({ tier: 1 }, afterV1({ status }));
      expect(r.errors.map(e => e.id)).toEqual(['GP-I02']);
      expect(r.message).toBe(
        'GP-I02: Idempotency key "service-node-http:cart-api" was used on 2026-11-23 by user:default/ana.ruiz for a different request (differs in: tier). Nothing was changed. Use a new key, or repeat the original inputs to get the original result.',
      );
    },
  );

  // `failed` rows: a `succeeded` one with our fingerprint is a replay, which only warns (§4.9).
  it('a row of another key does not make the entity ours', () => {
    expect(
      validate(
        {},
        afterV1({
          requestKey: 'service-node-http:other-api',
          status: 'failed',
        }),
      ).message,
    ).toBe(n03);
  });

  it('an entity carrying another request key is taken, whatever our ledger row says', () => {
    const r = validate(
      { idempotencyKey: 'api:cart-api/2' },
      afterV1({ requestKey: 'api:cart-api/2', status: 'failed' }),
    );
    expect(r.message).toBe(n03);
  });

  it('a ledger that did not answer fails closed with one GP-U01 line (I02 unknown, no N03 guess)', () => {
    const u01 =
      'GP-U01: Could not check GP-I02 because the golden-paths ledger did not answer within 2 s. Nothing was created; try again.';
    const unavailable = [{ rule: 'GP-I02', source: 'the golden-paths ledger' }];
    const ours = validate({}, { ...afterV1(), unavailable });
    expect(ours.message).toBe(u01);
    expect(n03Outcome(ours)).toBe('unknown');
    expect(validate({ name: 'basket-api' }, { unavailable }).message).toBe(u01);
  });
});

describe('GP-K02 never echoes a secret typed as the name or the key', () => {
  // a resumed run: the text names the request key its recorded steps are under (V19)
  const registerOff = {
    stepsRecorded: true,
    killSwitches: {
      actions: {
        'goldenpath:register': {
          disabled: true,
          reason: 'catalog migration',
          since: '2026-11-23T09:45:00Z',
        },
      },
    },
  };
  const k02 = (key: string) =>
    `GP-K02: Action goldenpath:register is switched off by the platform team since 2026-11-23 09:45 UTC: catalog migration. Stopped before step "register"; earlier steps are recorded under request "${key}" and resume when it is switched back on.`;

  it.each([
    ['the name', { name: 'AKIAIOSFODNN7EXAMPLE' }, 'akiaiosfodnn7example'],
    [
      'the key in the request',
      { idempotencyKey: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' },
      'abcdefghijklmnopqrst',
    ],
    [
      'a password assignment as name',
      { name: 'password=hunter22' },
      'hunter22',
    ],
  ])('%s', (_, delta, leaked) => {
    const r = validate(delta, registerOff);
    expect(r.message).toBe(k02('(not shown: it looks like a secret)'));
    expect(JSON.stringify(r).toLocaleLowerCase('en-US')).not.toContain(
      leaked.toLocaleLowerCase('en-US'),
    );
  });

  it('an explicit key from the API caller', () => {
    const token = 'xoxb-1234567890-abcdefghij';
    const r = evaluatePolicy({
      kind: 'service',
      template: serviceTemplate,
      request: S0,
      idempotencyKey: token,
      facts: demoFacts(registerOff),
      config: fixtureConfig,
      now: T,
    });
    expect(r.message).toBe(k02('(not shown: it looks like a secret)'));
    expect(JSON.stringify(r)).not.toContain(token);
  });

  it('an ordinary key is still named (V19)', () => {
    expect(validate({ name: 'basket-api' }, registerOff).message).toBe(
      k02('service-node-http:basket-api'),
    );
  });

  it('a first run (no steps recorded) names no key: nothing was created', () => {
    const r = validate(
      { name: 'basket-api' },
      { ...registerOff, stepsRecorded: false },
    );
    expect(r.message).toBe(
      'GP-K02: Action goldenpath:register is switched off by the platform team since 2026-11-23 09:45 UTC: catalog migration. Stopped before step "register". Nothing was created.',
    );
  });
});

describe('killSwitchRequestKey', () => {
  const input = (
    request: Record<string, unknown>,
    idempotencyKey?: string,
  ) => ({
    kind: 'service' as const,
    template: serviceTemplate,
    request: { ...S0, ...request },
    ...(idempotencyKey ? { idempotencyKey } : {}),
    config: fixtureConfig,
  });

  it('is the explicit key, else the default key of the request as typed', () => {
    expect(killSwitchRequestKey(input({ name: ' Basket-API ' }))).toBe(
      'service-node-http:basket-api',
    );
    expect(killSwitchRequestKey(input({}, 'my-key-1'))).toBe('my-key-1');
  });

  it('is the key the run records its steps under: the request as parsed, not as typed', () => {
    const lifecycle = {
      kind: 'lifecycle' as const,
      template: { name: 'lifecycle' },
      request: {
        entity: 'Component:Cart-API',
        transition: 'deprecate',
        reason: 'replaced by basket-api',
        replacement: 'component:basket-api',
        sunsetOn: '2027-03-01',
      },
      config: fixtureConfig,
    };
    const run = evaluatePolicy({
      ...lifecycle,
      template: { ...serviceTemplate, name: 'lifecycle' },
      facts: demoFacts(),
      now: T,
    });
    expect(run.requestKey).toBe(
      'lifecycle:component:default/cart-api:deprecate',
    );
    expect(killSwitchRequestKey(lifecycle)).toBe(run.requestKey);
    // a key in the request is trimmed by the schema, as the run's
    expect(killSwitchRequestKey(input({ idempotencyKey: '  my-key-1 ' }))).toBe(
      'my-key-1',
    );
  });

  it('names a request the schema refuses as typed', () => {
    expect(
      killSwitchRequestKey({
        kind: 'lifecycle',
        template: { name: 'lifecycle' },
        request: { entity: 'component:cart-api', transition: 'melt' },
        config: fixtureConfig,
      }),
    ).toBe('lifecycle:component:cart-api:melt');
  });

  it('is undefined for a key built from a secret-looking value', () => {
    expect(
      killSwitchRequestKey(input({ name: 'AKIAIOSFODNN7EXAMPLE' })),
    ).toBeUndefined();
  });
});
