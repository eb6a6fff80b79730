import type { Output } from '@internal/plugin-cost-calculators-common';

/** An output's display value with its unit ("$5,000.00", "44.0 %", "2.40 TiB"); rounding is the common package's. */
export function formatOutput(output: Output, currency: string): string {
  if (output.exact === null) return output.display;
  switch (output.unit) {
    case 'money':
    case 'money/month': {
      if (currency !== 'USD') return `${output.display} ${currency}`;
      return output.display.startsWith('-')
        ? `-$${output.display.slice(1)}`
        : `$${output.display}`;
    }
    case 'percent':
      return `${output.display} %`;
    case 'TiB':
    case 'GiB':
      return `${output.display} ${output.unit}`;
    case 'seconds':
      return `${output.display} s`;
    case 'months':
      return `${output.display} months`;
    default:
      return output.display;
  }
}
