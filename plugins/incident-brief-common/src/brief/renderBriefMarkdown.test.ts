import { T, at } from '../__fixtures__/demoCatalog';
import { demoBriefInput } from '../__fixtures__/demoBrief';
import { demoOnCall } from '../__fixtures__/demoOnCall';
import { entityLookupOf } from '../ownership/resolveOwnership';
import { assembleBrief } from './assembleBrief';
import { renderBriefMarkdown } from './renderBriefMarkdown';
import { buildGraphIndex } from '../graph/buildGraphIndex';
import { catalog, component } from '../__fixtures__/syntheticCatalog';

// §6.3, verbatim from the design note
const EXPECTED = `### Incident brief: checkout-service
\`component:default/checkout-service\` · tier 1 · customer-facing · production · system checkout · domain commerce · eu-west-1, us-east-1
Incident time 2026-03-14T02:05Z · generated 02:07Z · confidence **medium** (owner high · blast radius medium · changes medium)

**Owner** checkout-team (2 members) · **on call now** Ben Okafor (primary, static:checkout-primary, until Mon 09:00Z)
Escalation: 1. static:checkout-primary → 2. Ana Ruiz → 3. commerce-eng on-call (Fatima Haddad)
Chat #checkout-oncall · [runbook](https://runbooks.shop.example/checkout) · [triage view](https://grafana.shop.example/d/checkout-attempts)

**Blast radius (dependents, 3 hops): 2** · tier 1: 2 · customer-facing: 2 · immediate: 2 · unresolved: 0 · edges confirmed 1/2 (50 %)

| hop | entity | tier | CF | path | edge |
|---|---|---|---|---|---|
| 1 | api-gateway | 1 | yes | checkout-service ← api-gateway | declared+observed (checkout-api), seen 02:04Z |
| 2 | web-storefront | 1 | yes | … ← api-gateway ← web-storefront | declared, unverifiable (no telemetry) |

Entry points: api-gateway api:https://api.shop.example/v1 · web-storefront web:/cart, web:/checkout · checkout-service api:POST /v1/checkout
Regions: eu-west-1 (2), us-east-1 (2) · Data: catalog, session · Teams to notify: platform-team, storefront-team

**Depends on (2 hops)** inventory-service ✓ · order-service ✓ · payment-service ✓ · resource:checkout-db ✓ · pricing-service ⚠ observed, not declared · hop 2: resource:inventory-db ✓, resource:order-events (declared, unverifiable), resource:orders-db ✓, resource:payment-provider ✓, resource:payments-db ✓ · unmapped callee: \`tax-svc\`

**Changes 2026-03-13T02:05Z → 02:05Z (self + dependencies ≤ 2 hops)**

| when | entity | kind | change | actor | status | risk |
|---|---|---|---|---|---|---|
| 01:40Z (−25 m) ⚑ | checkout-service | feature-flag | checkout.split-tender release 0 → 100 % | ana.ruiz | succeeded | Medium 11 |
| 01:15Z (−50 m) ⚑ | inventory-service (hop 1) | config | reservation.hold-ttl 15m → 5m, global | dara.singh | succeeded | High 13 |
| 00:30Z (−95 m) | checkout-service | deploy | 5.8.2 canary → 100 % | ben.okafor | succeeded | Medium 8 |
| 20:05Z (−6 h) | resource:order-events (hop 2) | infra | max delivery count 10 → 5 | platform-bot | succeeded | Medium 11 |
| 16:25Z (−9 h 40 m) | pricing-service (hop 1, observed) | deploy | 1.3.2, rollback of 1.4.0 | deploy-bot | succeeded | Low 4 |
| 16:05Z (−10 h) | pricing-service (hop 1, observed) | deploy | 1.4.0 rolling | deploy-bot | rolled-back | Medium 7 |

Last change: feature-flag checkout.split-tender (01:40Z) · last successful deploy: 5.8.2 (finished 00:45Z)

**Missing evidence**
- EDGE_UNDECLARED checkout-service → pricing-service seen 02:03Z, not in the catalog. Fix: add \`dependsOn: component:default/pricing-service\`, or confirm it is unintended.
- UNMAPPED_TELEMETRY checkout-service calls \`tax-svc\`; no entity has that alias. Fix: add \`ops.example.com/aliases: tax-svc\` to the owning entity.
- EDGE_DECLARED_NOT_OBSERVED order-service → inventory-service (inventory-api) not seen in 30 d although both emit traces.
- EDGE_UNVERIFIABLE web-storefront has no service-graph telemetry (blast radius); resource:order-events has no telemetry alias (dependencies).
- LEDGER_NO_RECENT no changes recorded in 30 d for: order-service, resource:checkout-db, resource:inventory-db, resource:orders-db, resource:payment-provider.
`;

describe('markdown brief of §6.3', () => {
  it('renders the demo brief for checkout-service at T exactly', () => {
    expect(renderBriefMarkdown(assembleBrief(demoBriefInput()))).toBe(EXPECTED);
  });

  it('R19: only the generated line changes with generatedAt; input order does not matter', () => {
    const a = renderBriefMarkdown(assembleBrief(demoBriefInput()));
    const input = demoBriefInput();
    const b = renderBriefMarkdown(
      assembleBrief({
        ...input,
        generatedAt: at(9),
        ledger: [...input.ledger].reverse(),
      }),
    );
    const differing = a
      .split('\n')
      .filter((line, i) => line !== b.split('\n')[i]);
    expect(differing).toEqual([expect.stringContaining('generated 02:07Z')]);
  });
});

describe('R6 markdown of 10,000 dependents', () => {
  it('shows 15 rows then +9,985 more, and reports the truncation', () => {
    const names = Array.from(
      { length: 10000 },
      (_, i) => `d${String(i).padStart(5, '0')}`,
    );
    const entities = catalog(
      component('r'),
      ...names.map(n =>
        component(n, { tier: '3', dependsOn: ['component:r'] }),
      ),
    );
    const index = buildGraphIndex({
      entities,
      observedEdges: [],
      asOf: { catalog: T, observedEdges: T },
    });
    const brief = assembleBrief({
      entityRef: 'component:default/r',
      index,
      lookup: entityLookupOf(entities),
      onCall: demoOnCall,
      ledger: [],
      at: T,
      now: T,
      generatedAt: T,
    });
    const md = renderBriefMarkdown(brief);
    const rows = md.split('\n').filter(l => /^\| 1 \| d\d{5} /.test(l));
    expect(rows).toHaveLength(15);
    expect(rows[0]).toContain('d00000');
    expect(md).toContain('\n+9,985 more\n');
    expect(md).toContain('**Blast radius (dependents, 3 hops): 10,000**');
    expect(brief.missingEvidence.map(m => m.code)).toEqual(
      expect.arrayContaining([
        'BLAST_RADIUS_TRUNCATED',
        'LEDGER_NO_COVERAGE',
        'NO_TELEMETRY',
      ]),
    );
    expect(brief.confidence.blastRadius).toBe('low');
  });
});
