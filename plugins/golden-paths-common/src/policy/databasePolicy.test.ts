import {
  cartApi,
  D0,
  databaseTemplate,
  demoCatalog,
  demoFacts,
  fixtureConfig,
  fixturePrices,
  T,
} from '../__fixtures__/demo';
import { describeTrigger } from '../approvals/classifyTriggers';
import { estimateDatabase } from '../estimate/databaseEstimate';
import type { PolicyFacts } from './facts';
import { evaluatePolicy } from './evaluatePolicy';

// "after V1": cart-api exists.
function validate(
  delta: Record<string, unknown>,
  facts: Partial<PolicyFacts> = {},
) {
  return evaluatePolicy({
    kind: 'database',
    template: databaseTemplate,
    request: { ...D0, ...delta },
    facts: demoFacts({ catalog: [...demoCatalog, cartApi], ...facts }),
    config: fixtureConfig,
    now: T,
  });
}

const v24 = {
  environment: 'prod',
  databaseTier: 'production-standard',
  size: 'l',
  storageGiB: 100,
  dataClassification: 'critical-pii',
  expiresOn: undefined,
};
const v25 = { ...v24, size: '2xl', storageGiB: 500 };
const v26 = { ...v25, storageGiB: 2048, extraReadReplicas: 3 };

describe('database requests (§10 V23–V29)', () => {
  it('V23 D0 is allowed with a $148.30 estimate and no trigger', () => {
    const r = validate({});
    expect(r.decision).toBe('allow');
    expect(r.requestKey).toBe('postgres-database:cart-db:dev');
    expect(r.estimate).toMatchObject({
      ok: true,
      computeMonthly: '146.00',
      storageMonthly: '2.30',
      total: '148.30',
    });
    expect(r.approvalTriggers).toEqual([]);
  });

  it('V24 prod + critical-pii needs production-data only; $910.50 stays under $2,000', () => {
    const r = validate(v24);
    expect(r.decision).toBe('needs-approval');
    expect(r.estimate).toMatchObject({
      instances: 3,
      computeMonthly: '876.00',
      storageMonthly: '34.50',
      total: '910.50',
    });
    expect(r.approvalTriggers.map(describeTrigger)).toEqual([
      'production-data (database in prod; critical-pii data)',
    ]);
  });

  it('V25 2xl/500 GiB adds the cost trigger with the C15 sentence', () => {
    const r = validate(v25);
    expect(r.decision).toBe('needs-approval');
    expect(r.estimate).toMatchObject({
      computeMonthly: '3504.00',
      storageMonthly: '172.50',
      total: '3676.50',
    });
    expect(r.approvalTriggers.map(t => t.id)).toEqual([
      'production-data',
      'cost',
    ]);
    expect(r.approvalTriggers[1].reasons).toEqual([
      'Estimated $3,676.50/month is above the production-standard threshold of $2,000.00: an extra approval is required.',
    ]);
  });

  it('V26 refuses an estimate above the tier limit (GP-D06)', () => {
    const r = validate(v26);
    expect(r.decision).toBe('deny');
    expect(r.estimate).toMatchObject({
      instances: 6,
      computeMonthly: '7008.00',
      storageMonthly: '1413.12',
      total: '8421.12',
    });
    expect(r.message).toBe(
      'GP-D06: Estimated $8,421.12/month exceeds the production-standard limit of $8,000.00/month. Choose a smaller size, less storage or fewer replicas, or ask the platform team about a larger tier.',
    );
  });

  it('V27 refuses a size the tier does not offer', () => {
    expect(
      validate({ environment: 'staging', databaseTier: 'staging', size: 'xl' })
        .message,
    ).toBe(
      'GP-D04: Size xl is not offered for tier staging (offered: s, m, l).',
    );
  });

  it('V28 refuses a dev expiry more than 90 days ahead', () => {
    expect(validate({ expiresOn: '2027-03-23' }).message).toBe(
      'GP-D07: Development databases need an expiry date at most 90 days ahead (got 2027-03-23, 120 days). They are deleted after that date unless renewed.',
    );
  });

  it('V29 refuses critical-pii data outside the residency regions', () => {
    expect(
      validate({ dataClassification: 'critical-pii', region: 'us-east-1' })
        .message,
    ).toBe(
      'GP-R03: critical-pii data must stay in eu-central-1, eu-west-1 (got us-east-1).',
    );
  });
});

describe('database rules beyond the vectors', () => {
  it('a dev database without expiry, a wrong tier and replicas on dev are each refused', () => {
    const r = validate({
      expiresOn: undefined,
      databaseTier: 'staging',
      extraReadReplicas: 1,
      engineVersion: '14',
    });
    expect(r.errors.map(e => e.id)).toEqual([
      'GP-D03',
      'GP-D07',
      'GP-D08',
      'GP-D11',
    ]);
    expect(r.errors[1].message).toContain('(got none)');
  });

  it('refuses a dev expiry today, which the reconciler would flag as expired at once; tomorrow passes', () => {
    const today = T.slice(0, 10);
    const tomorrow = new Date(Date.parse(T) + 86_400_000)
      .toISOString()
      .slice(0, 10);
    expect(validate({ expiresOn: today }).message).toBe(
      `GP-D07: Development databases need an expiry date from tomorrow up to 90 days ahead (got ${today}, 0 days). They are deleted after that date unless renewed.`,
    );
    expect(
      validate({ expiresOn: tomorrow }).errors.map(e => e.id),
    ).not.toContain('GP-D07');
  });

  it('storage outside the tier range is GP-D05; a public-access field is GP-D09', () => {
    expect(validate({ storageGiB: 200 }).message).toBe(
      'GP-D05: Storage 200 GiB is outside 20–100 GiB for tier dev.',
    );
    expect(validate({ publicAccess: true }).message).toBe(
      'GP-D09: Databases are never reachable from the internet; remove "publicAccess".',
    );
  });

  it('a missing component is GP-D01; extra access fires iam', () => {
    expect(
      validate({ component: 'component:default/nope' }).errors.map(e => e.id),
    ).toContain('GP-D01');
    const r = validate({ additionalAccess: ['component:checkout-service'] });
    expect(r.approvalTriggers.map(describeTrigger)).toEqual([
      'iam (grants access to component:default/checkout-service)',
    ]);
  });

  // A database belongs to a Component; an existing entity of another kind is refused as missing.
  it.each([
    ['system:default/checkout', 'system:default/checkout'],
    ['group:checkout-team', 'group:default/checkout-team'],
  ])('a component ref %s of another kind is GP-D01', (component, ref) => {
    const r = validate({ component });
    expect(r.decision).toBe('deny');
    expect(r.errors.map(e => e.message)).toEqual([
      `GP-D01: Component ${ref} does not exist in the catalog; a database must belong to a component.`,
    ]);
  });

  // The catalog's rules (kind letters/digits; namespace a DNS label; name 1–63 of [A-Za-z0-9]
  // separated by - _ .): a malformed ref would otherwise reach the iam trigger reason.
  it.each([
    'not a ref!!',
    'component:default/checkout service',
    'component:default/-checkout',
    'component:default/',
    'component:team a/checkout-service',
    '9kind:default/checkout-service',
    `component:default/${'a'.repeat(64)}`,
  ])('additionalAccess refuses the malformed ref %j (GP-V01)', bad => {
    const r = validate({
      additionalAccess: ['component:default/checkout-service', bad],
    });
    expect(r.decision).toBe('deny');
    expect(r.errors.map(e => e.id)).toEqual(['GP-V01']);
    expect(r.message).toMatch(
      /^GP-V01: Field "additionalAccess\.1" must be an entity ref like component:default\/<name> /,
    );
  });

  it('additionalAccess names the index of the malformed ref and echoes it', () => {
    expect(validate({ additionalAccess: ['not a ref!!'] }).message).toBe(
      'GP-V01: Field "additionalAccess.0" must be an entity ref like component:default/<name> (got "not a ref!!").',
    );
  });

  it('additionalAccess keeps accepting well-formed refs in any case and short forms', () => {
    const r = validate({
      additionalAccess: [
        'Component:Default/Checkout-Service',
        'payment-service',
        'component:order_service.v2',
      ],
    });
    expect(r.errors).toEqual([]);
    expect(r.request).toMatchObject({
      additionalAccess: [
        'component:default/checkout-service',
        'component:default/order_service.v2',
        'component:default/payment-service',
      ],
    });
  });

  it('region and classification default to the component, cost centre to the owner chain', () => {
    const r = validate({
      region: undefined,
      dataClassification: undefined,
      costCenter: undefined,
    });
    expect(r.request).toMatchObject({
      region: 'eu-west-1',
      dataClassification: 'low',
      costCenter: 'CC-1000',
    });
  });

  it('a missing price-book entry is GP-U02', () => {
    const prices = { ...fixturePrices, hourly: {} };
    const e = estimateDatabase(
      { size: 'm', databaseTier: 'dev', storageGiB: 20, extraReadReplicas: 0 },
      prices,
      fixtureConfig,
    );
    expect(e).toEqual({ ok: false, missingSku: 'example.rds-postgres.m' });
  });

  it('money is exact: 0.1 + 0.2 style sums carry no float error', () => {
    const e = estimateDatabase(
      { size: 's', databaseTier: 'dev', storageGiB: 33, extraReadReplicas: 0 },
      fixturePrices,
      fixtureConfig,
    );
    // 0.10 × 730 = 73.00; 33 × 0.115 = 3.795 → total 76.795 → 76.80 (half-up at the cent)
    expect(e).toMatchObject({ computeMonthly: '73.00', total: '76.80' });
  });

  // Unknown is not pass (GP-U01/U02): without the price book nothing bounds the cost, so
  // neither the limit (D06) nor the threshold (cost trigger) may pass silently.
  it.each([
    ['D0', {}, 'example.rds-postgres.m'],
    ['V25', v25, 'example.rds-postgres.2xl'],
    ['V26', v26, 'example.rds-postgres.2xl'],
  ])('%s without a price book is refused GP-U02', (_, delta, sku) => {
    const r = validate(delta, { prices: undefined });
    expect(r.decision).toBe('deny');
    expect(r.message).toBe(
      `GP-U02: Cannot estimate cost: price-book entry ${sku} is missing. Nothing was created; the platform team has to add it.`,
    );
    expect(r.estimate).toBeUndefined();
  });
});
