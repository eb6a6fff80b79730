import { renderMarkdown } from './renderMarkdown';
import { riVsRightsize } from '../calculators/riVsRightsize';
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
    expect(md).toContain(
      '| currentMonthly | 10000 | annotation ops.example.com/monthly-spend (2026-09-15) |',
    );
    expect(md).toContain('| rightSizedMonthly | 4000 | you |');
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
