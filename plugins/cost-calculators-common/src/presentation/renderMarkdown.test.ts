import { renderMarkdown } from './renderMarkdown';
import { riVsRightsize } from '../calculators/riVsRightsize';
import { bigqueryCapacity } from '../calculators/bigqueryCapacity';
import { bigqueryQueryGuard } from '../calculators/bigqueryQueryGuard';
import { failoverRto } from '../calculators/failoverRto';
import { connectionBudget } from '../calculators/connectionBudget';
import { expectOk, vectorContext } from '../testing/vectorContext';

describe('renderMarkdown', () => {
  it('renders the §5 shape for the T06 case', () => {
    const r = expectOk(
      riVsRightsize.compute(
        {
          currentMonthly: '10000',
          rightSizedMonthly: '4000',
          daysSinceMigration: 120,
          profileDays: 90,
        },
        vectorContext({
          sources: {
            currentMonthly: {
              kind: 'annotation',
              key: 'ops.example.com/monthly-spend',
              asOf: '2026-09-15',
              ageDays: 69,
            },
          },
        }),
      ),
    );
    const md = renderMarkdown(r, {
      entityRef: 'resource:default/orders-db',
      link: 'https://portal.example.com/cost-calculators/ri-vs-rightsize?v=1',
    });
    const lines = md.split('\n');
    expect(lines[0]).toBe(
      '### Commit now vs right-size first — resource:default/orders-db',
    );
    expect(lines[1]).toBe(
      '_Computed 2026-11-23 · price book 2026.11.0 (facts only: example.ri-discount-oversized-3y, example.ri-discount-rightsized-1y, policy.ri-wait-days) · ri-vs-rightsize v1_',
    );
    // The note's example rows: inputs by label, values with their unit.
    expect(md).toContain(
      '| Current on-demand cost | $10,000.00/month | annotation ops.example.com/monthly-spend (2026-09-15) |',
    );
    expect(md).toContain(
      '| Right-sized on-demand cost | $4,000.00/month | you |',
    );
    expect(md).not.toMatch(/^\| (currentMonthly|rightSizedMonthly) \|/m);
    expect(md).toContain(
      '| Output | Commit now | Right-size, on demand | Right-size, then commit |',
    );
    expect(md).toContain(
      '| Effective monthly | $5,000.00 | $4,000.00 | $2,800.00 |',
    );
    expect(md).toContain(
      '| 36-month total | $180,000.00 | $144,000.00 | $100,800.00 |',
    );
    expect(md).toContain(
      "**Recommendation:** Right-size to the P95 footprint, then commit for 12 months: $2,200.00/month below committing at today's size ($79,200.00 over 36 months).",
    );
    expect(md).toContain(
      'Rules: R-RI-90D passed (00, 03) · R-RI-CHANGE passed (00) · R-RI-P95 fired (00) · R-RI-NOW passed (00)',
    );
    expect(md).toContain(
      'Amounts are rounded to cents individually; totals may differ from the sum of rounded parts by $0.01.',
    );
    expect(lines[lines.length - 2]).toBe(
      '[Open in the portal](https://portal.example.com/cost-calculators/ri-vs-rightsize?v=1)',
    );
  });
});

describe('renderMarkdown input rows', () => {
  /** The rows of the input table (between its header and the blank line after it). */
  const inputRows = (md: string) => {
    const lines = md.split('\n');
    const start = lines.indexOf('| Input | Value | Source |') + 2;
    return lines.slice(start, lines.indexOf('', start));
  };

  it('writes each input by label with its unit, money padded to cents but never rounded', () => {
    const md = renderMarkdown(
      expectOk(
        bigqueryCapacity.compute(
          { etlTiBPerMonth: 3200, adhocTiBPerMonth: '400.5' },
          vectorContext(),
        ),
      ),
    );
    expect(inputRows(md)).toEqual([
      '| On-demand price per TiB | $6.25/TiB | price book gcp.bigquery.on-demand-analysis |',
      '| Baseline slots | 500 | default |',
      '| Slot-hour price | $0.048/slot-hour | price book gcp.bigquery.slot-hour.enterprise-commit-1y |',
      '| Steady ETL scanned | 3200 TiB/month | you |',
      '| Ad-hoc queries scanned | 400.5 TiB/month | you |',
    ]);
  });

  it('names the input a value was derived from by its label', () => {
    const md = renderMarkdown(
      expectOk(
        riVsRightsize.compute(
          { currentMonthly: '10000', profileDays: 90 },
          vectorContext(),
        ),
      ),
    );
    expect(md).toContain(
      '| Right-sized on-demand cost | $10,000.00/month | from Current on-demand cost |',
    );
    expect(md).toContain('| Discount if committed now | 50 % | price book');
    expect(md).toContain('| Term if committed now | 36 months | default |');
  });

  it('writes money in the book’s currency and leaves text and yes/no as they are', () => {
    const eur = vectorContext();
    const md = renderMarkdown(
      expectOk(
        failoverRto.compute(
          {
            service: 'aurora',
            targetRtoSeconds: 60,
            costPerMinuteDown: 500,
          },
          { ...eur, priceBook: { ...eur.priceBook, currency: 'EUR' } },
        ),
      ),
    );
    expect(md).toContain('| Database service | aurora | you |');
    expect(md).toContain('| Same-IP failover | false | default |');
    expect(md).toContain('| Target RTO | 60 s | you |');
    expect(md).toContain('| Cost per minute down | 500.00 EUR/min | you |');
  });
});

describe('renderMarkdown price-book provenance', () => {
  it('says "age unknown" when the prices were verified after asOf', () => {
    const r = expectOk(
      bigqueryQueryGuard.compute(
        { tableTiB: 80 },
        vectorContext({ asOf: '2026-01-01' }),
      ),
    );
    expect(renderMarkdown(r).split('\n')[1]).toBe(
      '_Computed 2026-01-01 · price book 2026.11.0 (oldest verified 2026-03-18, age unknown: gcp.bigquery.on-demand-analysis) · bigquery-query-guard v1_',
    );
  });
});

describe('renderMarkdown escapes free text', () => {
  /** A C10 result over budget, so the sentence names the client too. */
  const render = (name: string) =>
    renderMarkdown(
      expectOk(
        connectionBudget.compute(
          {
            maxConnections: 100,
            clients: [{ name, maxInstances: 18, poolSize: 5 }],
          },
          vectorContext(),
        ),
      ),
      { entityRef: 'resource:default/orders-db' },
    );
  const unescaped = (text: string, char: string) =>
    (text.match(new RegExp(`(?<!\\\\)\\${char}`, 'g')) ?? []).length;

  it.each([
    // [case, client name, as written in the markdown]
    ['plain', 'web', 'web'],
    ['a newline and a heading', 'web\n### Injected', 'web ### Injected'],
    ['CR, LF and a tab', 'web\r\n\tjob', 'web job'],
    ['a table pipe', 'a|b', 'a\\|b'],
    [
      'HTML',
      '<img src=x onerror=alert(1)>',
      '\\<img src=x onerror=alert(1)\\>',
    ],
    [
      'emphasis, link and code',
      '*x* _y_ [z](http://e.test) `c` ~d~',
      '\\*x\\* \\_y\\_ \\[z\\](http://e.test) \\`c\\` \\~d\\~',
    ],
    ['a backslash before a pipe', 'a\\|b', 'a\\\\\\|b'],
    ['an entity', 'R&amp;D', 'R\\&amp;D'],
  ])('a client name with %s', (_case, name, written) => {
    const md = render(name);
    const lines = md.split('\n');
    // One heading, one input row for the clients, a sentence on one line.
    expect(lines.filter(l => l.startsWith('#'))).toHaveLength(1);
    const row = lines.filter(l => l.startsWith('| Clients |'));
    expect(row).toEqual([`| Clients | ${written}: 18 × 5 (+0%) | you |`]);
    expect(unescaped(row[0], '|')).toBe(4);
    expect(lines.filter(l => l.startsWith('**Recommendation:**'))).toEqual([
      `**Recommendation:** Over budget by 23: cap ${written} at 13 instances or pool 3.`,
    ]);
    expect(unescaped(md, '<')).toBe(0);
  });
});
