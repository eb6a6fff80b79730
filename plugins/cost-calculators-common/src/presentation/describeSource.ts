import type { InputSource } from '../types';

/** The source chip text of §5 ("annotation ops.example.com/monthly-spend (2026-09-15)", "you", …). */
export function describeSource(source: InputSource): string {
  switch (source.kind) {
    case 'user':
      return 'you';
    case 'link':
      return 'link';
    case 'cost-facts': {
      const from = source.label ? `cost facts · ${source.label}` : 'cost facts';
      return source.asOf ? `${from} (${source.asOf})` : `${from} (age unknown)`;
    }
    case 'annotation':
      return source.asOf
        ? `annotation ${source.key} (${source.asOf})`
        : `annotation ${source.key} (age unknown)`;
    case 'price-book':
      return `price book ${source.id}`;
    case 'derived':
      return `from ${source.from}`;
    default:
      return 'default';
  }
}
