import type { Output } from '../types';

/** An amount in the book's currency: "$1,286.50", "-$12.00", or "1,286.50 EUR". */
function money(display: string, currency: string): string {
  if (currency !== 'USD') return `${display} ${currency}`;
  return display.startsWith('-') ? `-$${display.slice(1)}` : `$${display}`;
}

/**
 * A yes/no output in words: the calculators keep `true`/`false` as the exact value (T54's
 * `needsApproval true`), which read as code on the card ("Needs extra approval false").
 */
const YES_NO: Record<string, string> = { true: 'yes', false: 'no' };

/**
 * An output's display value with its unit, as the card and the markdown export show it:
 * "$5,000.00", "$1,286.50/month", "44.0 %", "2.40 TiB", "18 months". Rounding is the
 * calculator's (`display`). A monthly amount whose label does not say so ("Total",
 * "Instances", "All hot") carries "/month", so it cannot be read as a one-off cost; one whose
 * label does ("Effective monthly", "Monthly saving") is shown as §5's markdown example shows it.
 */
export function formatOutputValue(output: Output, currency: string): string {
  if (output.exact === null) return output.display;
  switch (output.unit) {
    case 'money':
      return money(output.display, currency);
    case 'money/month':
      return /month/i.test(output.label)
        ? money(output.display, currency)
        : `${money(output.display, currency)}/month`;
    case 'percent':
      return `${output.display} %`;
    case 'TiB':
    case 'GiB':
      return `${output.display} ${output.unit}`;
    case 'seconds':
      return `${output.display} s`;
    case 'months':
      return `${output.display} months`;
    case 'bool':
      return YES_NO[output.display] ?? output.display;
    default:
      return output.display;
  }
}
