import type { Output } from '../types';
import { formatOutputValue } from './outputValue';

const output = (over: Partial<Output>): Output => ({
  id: 'x',
  label: 'Total',
  unit: 'money/month',
  exact: '1286.5',
  display: '1,286.50',
  ...over,
});

describe('formatOutputValue', () => {
  it.each([
    // A monthly amount whose label does not say so could be read as a one-off cost.
    [{ label: 'Total' }, 'USD', '$1,286.50/month'],
    [{ label: 'All hot' }, 'EUR', '1,286.50 EUR/month'],
    [{ label: 'Total added', display: '-12.00' }, 'USD', '-$12.00/month'],
    // §5's markdown example: "| Effective monthly | $5,000.00 |".
    [{ label: 'Effective monthly' }, 'USD', '$1,286.50'],
    [{ label: 'Monthly saving' }, 'USD', '$1,286.50'],
    [{ label: 'Upfront', unit: 'money' }, 'USD', '$1,286.50'],
    [{ unit: 'percent', display: '44.0' }, 'USD', '44.0 %'],
    [{ unit: 'TiB', display: '2.40' }, 'USD', '2.40 TiB'],
    [{ unit: 'seconds', display: '90' }, 'USD', '90 s'],
    [{ unit: 'months', display: '18' }, 'USD', '18 months'],
    [{ unit: 'count', display: '4' }, 'USD', '4'],
    // A yes/no output in words, not as code ("Needs extra approval false").
    [{ unit: 'bool', exact: 'true', display: 'true' }, 'USD', 'yes'],
    [{ unit: 'bool', exact: 'false', display: 'false' }, 'USD', 'no'],
    [{ unit: 'text', exact: 'final', display: 'final' }, 'USD', 'final'],
    // No figure (e.g. no break-even): the calculator's text as it is.
    [{ exact: null, display: 'never' }, 'USD', 'never'],
  ] as [Partial<Output>, string, string][])(
    '%j in %s → %s',
    (over, currency, shown) => {
      expect(formatOutputValue(output(over), currency)).toBe(shown);
    },
  );
});
