import { demoBrief, demoBriefInput } from '../../__fixtures__/demoBrief';
import { T } from '../../__fixtures__/demoCatalog';
import { demoOnCall } from '../../__fixtures__/demoOnCall';
import { catalog, component } from '../../__fixtures__/syntheticCatalog';
import { ImpactedEntity } from '../../blastRadius/types';
import { buildGraphIndex } from '../../graph/buildGraphIndex';
import { entityLookupOf } from '../../ownership/resolveOwnership';
import { displayRef } from '../../refs/entityRefs';
import { assembleBrief } from '../assembleBrief';
import { IncidentBrief } from '../types';
import { FIX_NOTE_PLACEHOLDERS, renderFixNote } from './renderFixNote';
import { FixNoteBrief } from './types';

const line = (note: string, label: string) =>
  note.split('\n').find(l => l.startsWith(label)) ?? '';
const checkboxes = (note: string) =>
  note.split('\n').filter(l => l.startsWith('- [ ] '));

// The demo vector of IB §6.4. Where the spec's prose cannot be produced from the data, the
// expected text is ours (package README, "Fix note"): D1/D2 and the risk tier are named because
// the frame asks for "risk tier and the dimensions that scored 3"; changed entities keep their
// display refs and kinds; substrate owners are appended because the frame lists them.
const DEMO = `## Fix note: <title>
Failure mode category: <configuration rollout | data freshness | build dependency | live workflow | operational dashboard | other>
**Constraint** — why this fix was dangerous or pressing: checkout.split-tender went 0 → 100 % in one step on a tier-1 customer-facing service (Medium 11: D1 = 3, D2 = 3, D4 = 3, no guardrail)
**Signal** — the measurement that showed customers were affected, and later that they no longer were: <SLO / alert / business metric; link>
**Boundary** — which team or subsystem held each piece of the fix: checkout-team (service and flag); dependencies changed in the window: fulfillment-team (inventory-service config), platform-team (resource:order-events infra apply), storefront-team (pricing-service deploys); substrate owners: checkout-team (resource:checkout-db), fulfillment-team (resource:inventory-db, resource:orders-db), payments-team (resource:payment-provider, resource:payments-db), platform-team (resource:order-events)
**Operating rule** — the rule that makes the next fix of this kind simpler: <rule>; catalog corrections:

- [ ] declare checkout-service → pricing-service
- [ ] alias tax-svc
- [ ] review order-service → inventory-service

Technical change: <new pattern / interface / test / operational improvement> · Validation: <customer-visible signal / automated check / observation during rollout>
`;

describe('renderFixNote: the demo vector of IB §6.4', () => {
  const note = renderFixNote(demoBrief());

  it('renders the §6.4 frame prefilled from the demo brief of §6.3', () => {
    expect(note).toBe(DEMO);
  });

  it.each([
    [
      '**Constraint**',
      'checkout.split-tender went 0 → 100 % in one step on a tier-1 customer-facing service',
    ],
    ['**Constraint**', 'D4 = 3'],
    ['**Constraint**', 'no guardrail'],
    [
      '**Boundary**',
      'checkout-team (service and flag); dependencies changed in the window: fulfillment-team (inventory',
    ],
    ['**Boundary**', 'platform-team (resource:order-events'],
    ['**Boundary**', 'storefront-team (pricing-service deploys)'],
    ['- [ ] declare', 'declare checkout-service → pricing-service'],
    ['- [ ] alias', 'alias tax-svc'],
    ['- [ ] review', 'review order-service → inventory-service'],
  ])('%s carries the spec wording "%s"', (label, wording) => {
    expect(line(note, label)).toContain(wording);
  });

  it('keeps every placeholder the author writes, and never generates an operating rule', () => {
    for (const placeholder of Object.values(FIX_NOTE_PLACEHOLDERS)) {
      expect(note).toContain(placeholder);
    }
    expect(line(note, '**Operating rule**')).toContain(': <rule>;');
  });

  it('lists only catalog corrections, not evidence-pipeline gaps', () => {
    const codes = demoBrief().missingEvidence.map(m => m.code);
    expect(codes).toEqual(
      expect.arrayContaining(['EDGE_UNVERIFIABLE', 'LEDGER_NO_RECENT']),
    );
    expect(checkboxes(note)).toHaveLength(3);
    expect(note).not.toMatch(/web-storefront|LEDGER|telemetry alias/);
  });

  it('is deterministic: generatedAt and ledger order do not change it', () => {
    const input = demoBriefInput();
    const other = assembleBrief({
      ...input,
      generatedAt: '2026-03-14T05:00:00.000Z',
      ledger: [...input.ledger].reverse(),
    });
    expect(renderFixNote(other)).toBe(note);
  });

  it.each([
    [' Split tender `flag` | rollout ', 'Split tender \\`flag\\` \\| rollout'],
    // a trailing `#` run would close the heading; an entity would render as `&`
    ['Checkout #', 'Checkout \\#'],
    ['Tom &amp; Jerry', 'Tom \\&amp; Jerry'],
  ])('uses a given title %j, escaped to render literally', (title, shown) => {
    const titled = renderFixNote(demoBrief(), { title });
    expect(titled.split('\n')[0]).toBe(`## Fix note: ${shown}`);
  });
});

describe('renderFixNote: a brief with no changes', () => {
  it('keeps the change placeholders and still says what the brief knows', () => {
    const note = renderFixNote(
      assembleBrief({ ...demoBriefInput(), ledger: [] }),
    );
    expect(line(note, '**Constraint**')).toBe(
      '**Constraint** — why this fix was dangerous or pressing: <implicated change(s) with risk tier and the dimensions that scored 3>; checkout-service is a tier-1 customer-facing service',
    );
    expect(line(note, '**Boundary**')).toMatch(
      /: checkout-team \(service\); dependencies changed in the window: none; substrate owners: checkout-team \(resource:checkout-db\), /,
    );
  });

  it('keeps the changed-owner placeholder when the ledger could not be read', () => {
    const note = renderFixNote(
      assembleBrief({ ...demoBriefInput(), ledger: [] }),
      { ledgerAvailable: false },
    );
    expect(line(note, '**Boundary**')).toContain(
      'dependencies changed in the window: <owners of dependencies that changed in the window>',
    );
  });

  it('describes an unclassified, unowned service and turns its gaps into corrections', () => {
    const entities = catalog(component('lonely'));
    const brief = assembleBrief({
      entityRef: 'component:default/lonely',
      index: buildGraphIndex({
        entities,
        observedEdges: [],
        asOf: { catalog: T, observedEdges: T },
      }),
      lookup: entityLookupOf(entities),
      onCall: demoOnCall,
      ledger: [],
      at: T,
      now: T,
      generatedAt: T,
    });
    const note = renderFixNote(brief);
    expect(line(note, '**Constraint**')).toContain(
      '<implicated change(s) with risk tier and the dimensions that scored 3>; lonely is a service of unknown tier, customer-facing unknown',
    );
    expect(line(note, '**Boundary**')).toBe(
      '**Boundary** — which team or subsystem held each piece of the fix: team (unresolved) (service); dependencies changed in the window: none',
    );
    const corrections = checkboxes(note);
    expect(corrections).toContain(
      '- [ ] lonely: set spec.owner to an existing group (owner group:default/team does not resolve)',
    );
    expect(corrections).toContain(
      '- [ ] lonely: add label ops.example.com/tier (lonely has no tier label)',
    );
    // no telemetry and no ledger coverage are evidence gaps, not catalog corrections
    expect(note).not.toMatch(/NO_TELEMETRY|instrument|ledger record/);
  });
});

describe('renderFixNote: implicated changes', () => {
  it('implicates flagged dependency changes when the service itself has none', () => {
    const brief = demoBrief();
    brief.changes.items = brief.changes.items.filter(
      i => i.change.kind !== 'feature-flag',
    );
    const note = renderFixNote(brief);
    expect(line(note, '**Constraint**')).toBe(
      '**Constraint** — why this fix was dangerous or pressing: config reservation.hold-ttl 15m → 5m, global on inventory-service (dependency, hop 1) (High 13: D2 = 3, D4 = 3, no passed verification); checkout-service is a tier-1 customer-facing service',
    );
    expect(line(note, '**Boundary**')).toContain(': checkout-team (service);');
  });

  it('names the status of a change that did not succeed', () => {
    const brief = demoBrief();
    const flag = brief.changes.items.find(
      i => i.change.kind === 'feature-flag',
    )!;
    flag.change = { ...flag.change, status: 'rolled-back' };
    expect(line(renderFixNote(brief), '**Constraint**')).toContain(
      'went 0 → 100 % in one step, rolled-back on a tier-1',
    );
  });
});

/**
 * The brief as a caller who may not read `denied` sees it, redacted the way
 * incident-brief-backend's `restrictBrief` does (IB §6.5): impacted entities listed as
 * `restricted`, their changes omitted and counted, missing evidence naming them redacted,
 * substrate owners and unmapped telemetry of them dropped.
 */
function restricted(brief: IncidentBrief, denied: string[]): FixNoteBrief {
  const names = denied.flatMap(ref => [ref, displayRef(ref)]);
  const naming = (s: string | null) =>
    s !== null && names.some(n => s.includes(n));
  const hide = (i: ImpactedEntity): ImpactedEntity & { restricted?: true } =>
    denied.includes(i.ref)
      ? {
          ...i,
          ref: 'restricted',
          title: 'restricted',
          path: [],
          owner: null,
          system: null,
          tier: null,
          customerFacing: null,
          lifecycle: null,
          restricted: true,
        }
      : i;
  const items = brief.changes.items.filter(i => !denied.includes(i.entityRef));
  return {
    ...brief,
    blastRadius: {
      ...brief.blastRadius,
      impacted: brief.blastRadius.impacted.map(hide),
    },
    dependencies: {
      ...brief.dependencies,
      impacted: brief.dependencies.impacted.map(hide),
    },
    changes: {
      ...brief.changes,
      items,
      restricted: brief.changes.items.length - items.length,
    },
    missingEvidence: brief.missingEvidence.map(m =>
      denied.includes(m.subject) || naming(m.message) || naming(m.fix)
        ? {
            ...m,
            subject: 'restricted',
            message: 'about an entity you may not read',
            fix: null,
          }
        : m,
    ),
    owner: {
      ...brief.owner,
      substrateOwners: brief.owner.substrateOwners.filter(
        s => !denied.includes(s.ref),
      ),
    },
    unmappedTelemetry: brief.unmappedTelemetry.filter(
      u => !denied.includes(u.ref),
    ),
  };
}

describe('renderFixNote: restricted entities and changes', () => {
  const denied = [
    'component:default/pricing-service',
    'component:default/inventory-service',
  ];
  const note = renderFixNote(restricted(demoBrief(), denied));

  it('never names them or their changes', () => {
    for (const name of [
      'pricing',
      'inventory-service',
      'reservation.hold-ttl',
      'storefront-team',
    ]) {
      expect(note).not.toContain(name);
    }
  });

  it('counts withheld changes and corrections instead', () => {
    expect(line(note, '**Boundary**')).toContain(
      'dependencies changed in the window: platform-team (resource:order-events infra apply), 3 changes of entities you may not read (not named);',
    );
    expect(checkboxes(note)).toEqual([
      '- [ ] alias tax-svc',
      '- [ ] 2 corrections about entities you may not read (not named; ask the owning team)',
    ]);
    expect(line(note, '**Constraint**')).toContain(
      'checkout.split-tender went 0 → 100 % in one step',
    );
  });

  it('does not implicate or name a change the brief marks restricted in place', () => {
    const brief = demoBrief();
    brief.changes.items = brief.changes.items
      .filter(i => i.hop > 0)
      .map(i =>
        i.entityRef === 'component:default/inventory-service'
          ? {
              ...i,
              entityRef: 'restricted',
              change: { ...i.change, entityRef: 'restricted' },
            }
          : i,
      );
    const marked = renderFixNote(brief);
    expect(marked).not.toContain('reservation.hold-ttl');
    expect(line(marked, '**Constraint**')).toContain(
      ': <implicated change(s) with risk tier and the dimensions that scored 3>; checkout-service is',
    );
    expect(line(marked, '**Boundary**')).toContain(
      ', 1 change of an entity you may not read (not named);',
    );
  });
});
