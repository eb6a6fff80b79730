import type { Entity } from '@backstage/catalog-model';
import {
  T,
  at,
  demoEntities,
  demoObservedEdges,
} from '../__fixtures__/demoCatalog';
import { demoBriefInput } from '../__fixtures__/demoBrief';
import { demoOnCall } from '../__fixtures__/demoOnCall';
import { entityLookupOf } from '../ownership/resolveOwnership';
import { assembleBrief } from './assembleBrief';
import { renderBriefMarkdown } from './renderBriefMarkdown';
import { buildGraphIndex } from '../graph/buildGraphIndex';
import { catalog, component } from '../__fixtures__/syntheticCatalog';
import { IncidentBrief } from './types';
import { confidenceLevel } from '../blastRadius/rateConfidence';
import { OnCallLookup } from '../ownership/types';

// §6.3, verbatim from the design note
const SPEC_EXAMPLE = `### Incident brief: checkout-service
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

/**
 * The on-call line names the rotation's secondary, as the card does (README choice 29): the demo
 * rotation (§7: checkout-primary [ben.okafor, ana.ruiz]) answers Ana Ruiz as the secondary, whom
 * §6.3's example leaves out. Nothing else of the example changes.
 */
const SECONDARY = ' · Ana Ruiz (secondary)';
const withSecondary = (ownerLine: string) => `${ownerLine}${SECONDARY}`;
const EXPECTED = SPEC_EXAMPLE.replace(
  'until Mon 09:00Z)\n',
  `${withSecondary('until Mon 09:00Z)')}\n`,
);

/** The demo brief with checkout-service observed calling a telemetry name no entity has. */
function briefWithCallee(name: string): string {
  const index = buildGraphIndex({
    entities: demoEntities(),
    observedEdges: [
      ...demoObservedEdges(),
      {
        client: 'checkout',
        server: name,
        connectionType: '',
        firstSeen: at(-60),
        lastSeen: at(-1),
        source: 'p',
      },
    ],
    asOf: { catalog: T, observedEdges: T },
  });
  return renderBriefMarkdown(assembleBrief({ ...demoBriefInput(), index }));
}

describe('markdown brief of §6.3', () => {
  it('renders the demo brief for checkout-service at T exactly', () => {
    expect(renderBriefMarkdown(assembleBrief(demoBriefInput()))).toBe(EXPECTED);
  });

  it('differs from the example in the secondary on call only', () => {
    const spec = SPEC_EXAMPLE.split('\n');
    const differing = EXPECTED.split('\n').filter((l, i) => l !== spec[i]);
    expect(differing).toEqual([
      withSecondary(
        '**Owner** checkout-team (2 members) · **on call now** Ben Okafor (primary, static:checkout-primary, until Mon 09:00Z)',
      ),
    ]);
  });

  it('says 1 hop, not 1 hops, in every heading that counts hops', () => {
    const md = renderBriefMarkdown(
      assembleBrief({ ...demoBriefInput(), hops: 1, dependencyHops: 1 }),
    );
    expect(md).toContain('(dependents, 1 hop)');
    expect(md).toContain('**Depends on (1 hop)**');
    expect(md).toContain('(self + dependencies ≤ 1 hop)**');
    expect(md).not.toMatch(/\b1 hops\b/);
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

describe('what the markdown lists past its 15 rows', () => {
  const brief = assembleBrief(demoBriefInput());
  const [item] = brief.changes.items;

  it('lists a ⚑ change older than the 15 newest, and counts only the others as more', () => {
    const items = Array.from({ length: 20 }, (_, i) => ({
      ...item,
      highlighted: i === 17,
      change: { ...item.change, id: `c${i}`, summary: `change ${i}` },
    }));
    const md = renderBriefMarkdown({
      ...brief,
      changes: { ...brief.changes, items },
    });
    expect(md).toContain('change 14');
    expect(md).not.toContain('change 15 ');
    expect(md).toMatch(/⚑ \|.*change 17/);
    expect(md).toContain('\n+4 more\n');
  });

  it('lists a warning that 20 notes of stale edges would push past the 15 lines', () => {
    const notes = Array.from({ length: 20 }, (_, i) => ({
      code: 'EDGE_STALE' as const,
      severity: 'info' as const,
      subject: `component:default/s${i}`,
      message: `edge s${i} is stale.`,
      fix: null,
    }));
    const md = renderBriefMarkdown({
      ...brief,
      missingEvidence: [
        ...notes,
        {
          code: 'LEDGER_NO_COVERAGE',
          severity: 'warn',
          subject: 'component:default/checkout-service',
          message: 'no deploy records.',
          fix: null,
        },
      ],
    });
    expect(md).toContain('- LEDGER_NO_COVERAGE no deploy records.');
    // 14 notes and the warning are listed: 6 notes are more
    expect(md).toContain('- +6 more');
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
    // after a blank line: right under the table GFM would render it as one more row
    expect(md).toContain('|\n\n+9,985 more\n');
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

/** The first line of `md` that starts with `prefix`. */
const lineOf = (md: string, prefix: string) =>
  md.split('\n').find(l => l.startsWith(prefix));

describe('§6.3 data is escaped: hostile values stay text in the pasted brief', () => {
  const demo = () => assembleBrief(demoBriefInput());
  const EVIL = '[x](https://evil.example)';

  it.each<{
    field: string;
    edit: (b: IncidentBrief) => IncidentBrief;
    line: string;
    expected: string;
  }>([
    {
      field: 'title: HTML and newlines',
      edit: b => ({
        ...b,
        header: { ...b.header, title: '<img src=x>\n# h' },
      }),
      line: '### ',
      // every `#` of a heading's data is escaped (a trailing run would close the heading)
      expected: '### Incident brief: \\<img src=x\\> \\# h',
    },
    {
      field: 'alias matched: a backtick cannot close the code span early',
      edit: b => ({
        ...b,
        header: { ...b.header, aliasMatched: `a\`${EVIL}` },
      }),
      line: '### ',
      expected: `### Incident brief: checkout-service (via alias \`\`a\`${EVIL}\`\`)`,
    },
    {
      field: 'regions and lifecycle: newline, heading, table, emphasis',
      edit: b => ({
        ...b,
        header: {
          ...b.header,
          lifecycle: '*prod*_x_',
          regions: ['eu-west-1\n# PWNED\n| a | b |'],
        },
      }),
      line: '`component:',
      expected:
        '`component:default/checkout-service` · tier 1 · customer-facing · \\*prod\\*\\_x\\_ · system checkout · domain commerce · eu-west-1 # PWNED \\| a \\| b \\|',
    },
    {
      field: 'chat channel with a link',
      edit: b => ({
        ...b,
        owner: { ...b.owner, chatChannel: `slack:#x ${EVIL}` },
      }),
      line: 'Chat ',
      expected:
        'Chat #x \\[x\\](https://evil.example) · [runbook](https://runbooks.shop.example/checkout) · [triage view](https://grafana.shop.example/d/checkout-attempts)',
    },
    {
      field:
        'runbook not http(s), dashboard and triage with spaces and parentheses',
      edit: b => ({
        ...b,
        owner: {
          ...b.owner,
          // eslint-disable-next-line no-script-url -- a script URL is the input under test
          runbook: 'javascript:alert(1)',
          dashboards: ['https://g.example/d?q=a b)(c'],
          triage: 'HTTPS://t.example/<x>\n[y]',
        },
      }),
      line: 'Chat ',
      expected:
        'Chat #checkout-oncall · runbook javascript:alert(1) · [dashboard](https://g.example/d?q=a%20b%29%28c) · [triage view](HTTPS://t.example/%3Cx%3E%0A[y])',
    },
    {
      field: 'on-call names and escalation',
      edit: b => ({
        ...b,
        owner: {
          ...b.owner,
          escalation: [{ type: 'oncall', source: 'static:<b>' }],
        },
      }),
      line: 'Escalation',
      expected: 'Escalation: 1. static:\\<b\\>',
    },
    {
      field: 'on-call name and source in the owner line',
      edit: b => ({
        ...b,
        owner: {
          ...b.owner,
          onCall: { ...b.owner.onCall!, source: 'static:_a_' },
          onCallNames: { primary: `Ben ${EVIL}` },
        },
      }),
      line: '**Owner**',
      expected:
        '**Owner** checkout-team (2 members) · **on call now** Ben \\[x\\](https://evil.example) (primary, static:\\_a\\_, until Mon 09:00Z)',
    },
    {
      field:
        'a right-to-left override in a name cannot reverse the rest of the line',
      edit: b => ({
        ...b,
        header: { ...b.header, title: 'checkout\u202E-service' },
        owner: { ...b.owner, onCallNames: { primary: 'Ben \u202EOkafor' } },
      }),
      line: '**Owner**',
      expected:
        '**Owner** checkout-team (2 members) · **on call now** Ben Okafor (primary, static:checkout-primary, until Mon 09:00Z)',
    },
  ])('$field', ({ edit, line, expected }) => {
    expect(lineOf(renderBriefMarkdown(edit(demo())), line)).toBe(expected);
  });

  it('a change summary cannot open a table cell, link or emphasis', () => {
    const b = demo();
    const [first, ...rest] = b.changes.items;
    const md = renderBriefMarkdown({
      ...b,
      changes: {
        ...b.changes,
        items: [
          {
            ...first,
            change: { ...first.change, summary: `a | b ${EVIL} **c**\nd` },
          },
          ...rest,
        ],
      },
    });
    expect(lineOf(md, '| 01:40Z')).toBe(
      '| 01:40Z (−25 m) ⚑ | checkout-service | feature-flag | a \\| b \\[x\\](https://evil.example) \\*\\*c\\*\\* d | ana.ruiz | succeeded | Medium 11 |',
    );
  });

  it('a telemetry name cannot close its code span (unmapped callee and its gap)', () => {
    const name = `a\`${EVIL}\``;
    const md = briefWithCallee(name);
    expect(lineOf(md, '**Depends on')).toMatch(
      /unmapped callee: `` a`\[x\]\(https:\/\/evil\.example\)` `` · unmapped callee: `tax-svc`$/,
    );
    expect(
      md
        .split('\n')
        .filter(l => l.includes('evil.example') && l.startsWith('- ')),
    ).toEqual([
      `- UNMAPPED_TELEMETRY checkout-service calls \`\` a\`${EVIL}\` \`\`; no entity has that alias. Fix: add \`\` ops.example.com/aliases: a\`${EVIL}\` \`\` to the owning entity.`,
    ]);
  });

  it('a newline in a telemetry name does not start a line of its own', () => {
    const name = 'x`\n\n[Reset your password](https://evil.example/login)\n`';
    const md = briefWithCallee(name);
    expect(md.split('\n').filter(l => l.startsWith('[Reset'))).toEqual([]);
  });

  it('the ledger source system in the LEDGER_SKEWED fix is text', () => {
    const input = demoBriefInput();
    const l3 = input.ledger.find(r => r.id === 'L3')!;
    const skewed = {
      ...l3,
      id: 'LS',
      flags: ['SKEWED' as const],
      source: { system: `ci\n\n${EVIL}`, externalId: 'ls' },
    };
    const md = renderBriefMarkdown(
      assembleBrief({ ...input, ledger: [...input.ledger, skewed] }),
    );
    expect(lineOf(md, '- LEDGER_SKEWED')).toBe(
      '- LEDGER_SKEWED LS was future-dated; its time is the receipt time. Fix: check the clock of ci \\[x\\](https://evil.example)',
    );
  });
});

describe('§6.3 ≤ 15 rows per list, then +N more', () => {
  const demo = () => assembleBrief(demoBriefInput());
  const names = (n: number, prefix: string) =>
    Array.from(
      { length: n },
      (_, i) => `${prefix}${String(i).padStart(2, '0')}`,
    );

  it.each<{
    list: string;
    edit: (b: IncidentBrief) => IncidentBrief;
    line: string;
    expected: string;
  }>([
    {
      list: 'entry points',
      edit: b => ({
        ...b,
        blastRadius: {
          ...b.blastRadius,
          entryPoints: names(20, 'web:/p').map(entryPoint => ({
            ref: 'component:default/web',
            entryPoint,
          })),
        },
      }),
      line: 'Entry points:',
      expected: `Entry points: web ${names(15, 'web:/p').join(', ')} · +5 more`,
    },
    {
      list: 'entry points of several entities',
      edit: b => ({
        ...b,
        blastRadius: {
          ...b.blastRadius,
          entryPoints: names(17, 'svc').map(r => ({
            ref: `component:default/${r}`,
            entryPoint: 'web:/',
          })),
        },
      }),
      line: 'Entry points:',
      expected: `Entry points: ${names(15, 'svc')
        .map(r => `${r} web:/`)
        .join(' · ')} · +2 more`,
    },
    {
      list: 'teams to notify',
      edit: b => ({
        ...b,
        blastRadius: {
          ...b.blastRadius,
          counts: {
            ...b.blastRadius.counts,
            byOwner: Object.fromEntries(
              names(18, 'team-').map(t => [`group:default/${t}`, 1]),
            ),
          },
        },
      }),
      line: 'Regions:',
      expected: `Regions: eu-west-1 (2), us-east-1 (2) · Data: catalog, session · Teams to notify: ${names(
        15,
        'team-',
      ).join(', ')}, +3 more`,
    },
    {
      list: 'regions and data domains',
      edit: b => ({
        ...b,
        blastRadius: {
          ...b.blastRadius,
          counts: {
            ...b.blastRadius.counts,
            regions: Object.fromEntries(names(16, 'r').map(r => [r, 1])),
            dataDomains: Object.fromEntries(names(16, 'd').map(d => [d, 1])),
            byOwner: {},
          },
        },
      }),
      line: 'Regions:',
      expected: `Regions: ${names(15, 'r')
        .map(r => `${r} (1)`)
        .join(', ')}, +1 more · Data: ${names(15, 'd').join(
        ', ',
      )}, +1 more · Teams to notify: none`,
    },
  ])('$list', ({ edit, line, expected }) => {
    expect(lineOf(renderBriefMarkdown(edit(demo())), line)).toBe(expected);
  });

  it('missing evidence: 15 lines, then +N more counting the items left out', () => {
    const b = demo();
    const items = names(20, 'svc').map(n => ({
      code: 'UNRESOLVED_REF' as const,
      severity: 'warn' as const,
      subject: `component:default/${n}`,
      message: `${n} names resource:default/gone (dependsOn), which is not in the catalog.`,
      fix: null,
    }));
    const md = renderBriefMarkdown({ ...b, missingEvidence: items });
    const section = md.split('**Missing evidence**\n')[1].trimEnd().split('\n');
    expect(section).toHaveLength(16);
    expect(section[14]).toBe(
      '- UNRESOLVED_REF svc14 names resource:default/gone (dependsOn), which is not in the catalog.',
    );
    expect(section[15]).toBe('- +5 more');
  });

  it('R6: the joined EDGE_UNVERIFIABLE line names 15 entities, then +9,985 more', () => {
    const entities = catalog(
      component('r'),
      ...Array.from({ length: 10000 }, (_, i) =>
        component(`d${String(i).padStart(5, '0')}`, {
          tier: '3',
          dependsOn: ['component:r'],
        }),
      ),
    );
    const md = renderBriefMarkdown(
      assembleBrief({
        entityRef: 'component:default/r',
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
      }),
    );
    const line = lineOf(md, '- EDGE_UNVERIFIABLE')!;
    expect(line.split('; ')).toHaveLength(16);
    expect(line).toMatch(
      /^- EDGE_UNVERIFIABLE d00000 has no service-graph telemetry \(blast radius\); .*; d00014 has no service-graph telemetry \(blast radius\); \+9,985 more\.$/,
    );
    expect(md.length).toBeLessThan(10_000);
  });
});

describe('§6.3 confirmed percentage never crosses its confidence level', () => {
  it.each([
    [199, 400, 'low', '49 %'],
    [399, 500, 'medium', '79 %'],
    [4, 5, 'high', '80 %'],
    [1, 2, 'medium', '50 %'],
    [57, 100, 'medium', '57 %'],
    [1, 3, 'low', '33 %'],
    [2, 3, 'medium', '66 %'],
  ])('%i/%i (%s) → %s', (confirmed, examined, level, pct) => {
    const b = assembleBrief(demoBriefInput());
    const ratio = confirmed / examined;
    expect(confidenceLevel(ratio)).toBe(level);
    const md = renderBriefMarkdown({
      ...b,
      blastRadius: {
        ...b.blastRadius,
        edgeStats: { ...b.blastRadius.edgeStats, confirmed, examined },
        confidence: { ratio, level: confidenceLevel(ratio) },
      },
    });
    expect(lineOf(md, '**Blast radius')).toContain(
      `edges confirmed ${confirmed}/${examined} (${pct})`,
    );
  });
});

describe('§6.3 the title renders literally in its heading', () => {
  it.each([
    ['Checkout #', '### Incident brief: Checkout \\#'],
    ['C# service ##', '### Incident brief: C\\# service \\#\\#'],
    ['###', '### Incident brief: \\#\\#\\#'],
    ['Tom &amp; Jerry', '### Incident brief: Tom \\&amp; Jerry'],
    [
      '&copy; &#169; &#xA9; R&D',
      '### Incident brief: \\&copy; \\&\\#169; \\&\\#xA9; R&D',
    ],
  ])('%j', (title, expected) => {
    const b = assembleBrief(demoBriefInput());
    const md = renderBriefMarkdown({ ...b, header: { ...b.header, title } });
    expect(md.split('\n')[0]).toBe(expected);
  });
});

describe('R17 and §0: evidence is shown with its age', () => {
  const briefAt = (now: string, observedEdges: string) => {
    const input = demoBriefInput();
    input.index.asOf = { ...input.index.asOf, observedEdges };
    return assembleBrief({ ...input, now, at: now, generatedAt: now });
  };
  it.each<[string, string, string, string | undefined]>([
    ['collected at now', T, T, undefined],
    ['collected 15 min ago', at(15), T, undefined],
    [
      'collected 16 min ago',
      at(16),
      T,
      'Observed edges last collected 16 m ago (2026-03-14T02:05Z)',
    ],
    [
      'evidence source down for 26 h',
      at(26 * 60),
      T,
      'Observed edges last collected 26 h ago (2026-03-14T02:05Z)',
    ],
    ['never collected', T, '', 'Observed edges never collected'],
  ])('%s', (_name, now, collected, expected) => {
    const md = renderBriefMarkdown(briefAt(now, collected));
    expect(lineOf(md, 'Observed edges')).toBe(expected);
  });

  it('the line sits in the blast-radius section, after its summary lines', () => {
    const md = renderBriefMarkdown(briefAt(at(26 * 60), T));
    const lines = md.split('\n');
    const i = lines.findIndex(l => l.startsWith('Observed edges'));
    expect(lines[i - 1]).toMatch(/^Regions: /);
    expect(lines[i + 1]).toBe('');
  });

  it.each<[string, string | undefined, string]>([
    [
      'fetched for this brief: shown as in §6.3',
      at(2),
      withSecondary(
        '**Owner** checkout-team (2 members) · **on call now** Ben Okafor (primary, static:checkout-primary, until Mon 09:00Z)',
      ),
    ],
    [
      'fetched 5 min before now: its age is shown',
      at(-5),
      withSecondary(
        '**Owner** checkout-team (2 members) · **on call now** Ben Okafor (primary, static:checkout-primary, fetched 5 m ago, until Mon 09:00Z)',
      ),
    ],
    [
      'fetched 30 s before now: live, shown as in §6.3',
      at(-0.5),
      withSecondary(
        '**Owner** checkout-team (2 members) · **on call now** Ben Okafor (primary, static:checkout-primary, until Mon 09:00Z)',
      ),
    ],
    [
      'fetched-at unknown: nothing to show',
      undefined,
      withSecondary(
        '**Owner** checkout-team (2 members) · **on call now** Ben Okafor (primary, static:checkout-primary, until Mon 09:00Z)',
      ),
    ],
  ])('on-call %s', (_name, fetchedAt, expected) => {
    const onCall: OnCallLookup = source => {
      const answer = demoOnCall(source);
      return answer.status === 'ok' && fetchedAt
        ? { ...answer, fetchedAt }
        : answer;
    };
    const md = renderBriefMarkdown(
      assembleBrief({ ...demoBriefInput(), onCall }),
    );
    expect(lineOf(md, '**Owner**')).toBe(expected);
  });
});

describe('§6.3 on-call line: when the shift ends and who is second', () => {
  const OWNER = '**Owner** checkout-team (2 members) · **on call now** ';
  /** The demo brief at incident time `t`, its on-call shift ending at `until`. */
  const ownerLineAt = (
    t: string,
    until: string,
    names: IncidentBrief['owner']['onCallNames'] = {
      primary: 'Ana Ruiz',
      secondary: 'Ben Okafor',
    },
  ) => {
    const b = assembleBrief(demoBriefInput());
    return lineOf(
      renderBriefMarkdown({
        ...b,
        header: { ...b.header, incidentTime: t },
        owner: {
          ...b.owner,
          onCall: { ...b.owner.onCall!, until },
          onCallNames: names,
        },
      }),
      '**Owner**',
    );
  };

  it('a weekly hand-off a week on, pasted that Monday night, shows its date', () => {
    // the walkthrough: Monday 23:33Z; "until Mon 09:00Z" read as over by the morning
    expect(
      ownerLineAt('2026-12-07T23:33:00.000Z', '2026-12-14T09:00:00.000Z'),
    ).toBe(
      `${OWNER}Ana Ruiz (primary, static:checkout-primary, until 2026-12-14T09:00Z) · Ben Okafor (secondary)`,
    );
  });

  it('an end within 6 days after T keeps the weekday of §6.3', () => {
    expect(
      ownerLineAt('2026-12-09T23:33:00.000Z', '2026-12-14T09:00:00.000Z'),
    ).toBe(
      `${OWNER}Ana Ruiz (primary, static:checkout-primary, until Mon 09:00Z) · Ben Okafor (secondary)`,
    );
  });

  it('no secondary on call: nothing after the primary', () => {
    expect(
      ownerLineAt('2026-12-09T23:33:00.000Z', '2026-12-14T09:00:00.000Z', {
        primary: 'Ana Ruiz',
      }),
    ).toBe(
      `${OWNER}Ana Ruiz (primary, static:checkout-primary, until Mon 09:00Z)`,
    );
  });

  it('a secondary name is escaped like the primary', () => {
    expect(
      ownerLineAt('2026-12-09T23:33:00.000Z', '2026-12-14T09:00:00.000Z', {
        primary: 'Ana Ruiz',
        secondary: 'Ben [x](https://evil.example)',
      }),
    ).toBe(
      `${OWNER}Ana Ruiz (primary, static:checkout-primary, until Mon 09:00Z) · Ben \\[x\\](https://evil.example) (secondary)`,
    );
  });
});

describe('§6.3 times next to T: a sighting or last change of another day shows its offset', () => {
  const briefAt = (now: string) =>
    renderBriefMarkdown(
      assembleBrief({ ...demoBriefInput(), now, at: now, generatedAt: now }),
    );
  // three days after §6.3's T: every sighting of the demo (T − 1…3 m) is stale
  const md = briefAt(at(3 * 24 * 60));

  it.each<[string, string, string]>([
    [
      'EDGE_STALE',
      '- EDGE_STALE checkout-service → pricing-service',
      '- EDGE_STALE checkout-service → pricing-service last seen 02:03Z (−3 d); stale evidence does not confirm it.',
    ],
    [
      'EDGE_UNDECLARED',
      '- EDGE_UNDECLARED',
      '- EDGE_UNDECLARED checkout-service → pricing-service seen 02:03Z (−3 d), not in the catalog. Fix: add `dependsOn: component:default/pricing-service`, or confirm it is unintended.',
    ],
    [
      'the edge column of a stale path step',
      '| 1 | api-gateway',
      '| 1 | api-gateway | 1 | yes | checkout-service ← api-gateway | declared+observed (checkout-api), stale (seen 02:04Z, −3 d) |',
    ],
    [
      'the last change and the last successful deploy',
      'Last change:',
      'Last change: feature-flag checkout.split-tender (01:40Z, −3 d) · last successful deploy: 5.8.2 (finished 00:45Z, −3 d)',
    ],
  ])('%s', (_name, prefix, expected) => {
    expect(lineOf(md, prefix)).toBe(expected);
  });

  it('a time earlier on T’s day stays a bare clock, as in §6.3; one after T shows its offset', () => {
    // T = 02:05Z; asked for 01:00Z of the same day, the sightings (02:03Z, 02:04Z) come after it
    const before = briefAt('2026-03-14T01:00:00Z');
    expect(lineOf(before, '- EDGE_UNDECLARED')).toContain(
      'seen 02:03Z (+63 m), not in the catalog.',
    );
    expect(lineOf(briefAt(T), '- EDGE_UNDECLARED')).toContain(
      'seen 02:03Z, not in the catalog.',
    );
  });
});

describe('§0 an empty dependency list says whether it proves anything', () => {
  const withoutDependencies = (level: 'unknown' | 'high') => {
    const b = assembleBrief(demoBriefInput());
    return renderBriefMarkdown({
      ...b,
      unmappedTelemetry: [],
      dependencies: {
        ...b.dependencies,
        impacted: [],
        confidence:
          level === 'unknown'
            ? { ratio: null, level: 'unknown' }
            : { ratio: 1, level: 'high' },
      },
    });
  };

  it('without dependency evidence it proves nothing', () => {
    expect(lineOf(withoutDependencies('unknown'), '**Depends on')).toBe(
      '**Depends on (2 hops)** nothing declared or observed (no dependency evidence: this proves nothing)',
    );
  });

  it('with evidence covering it, it is plainly empty', () => {
    expect(lineOf(withoutDependencies('high'), '**Depends on')).toBe(
      '**Depends on (2 hops)** nothing declared or observed',
    );
  });
});

describe('escalation steps of groups without a rotation', () => {
  it('names the members the step reaches (§2.2)', () => {
    const entities = JSON.parse(JSON.stringify(demoEntities())) as Entity[];
    const group = (name: string) =>
      entities.find(e => e.kind === 'Group' && e.metadata.name === name)!;
    group('checkout-team').metadata.annotations!['ops.example.com/escalation'] =
      'static:checkout-primary, group:default/payments-team';
    delete group('payments-team').metadata.annotations![
      'ops.example.com/oncall'
    ];
    const markdown = renderBriefMarkdown(
      assembleBrief({ ...demoBriefInput(), lookup: entityLookupOf(entities) }),
    );
    expect(markdown.split('\n')).toContain(
      'Escalation: 1. static:checkout-primary → 2. payments-team members (Chen Wei)',
    );
  });
});
