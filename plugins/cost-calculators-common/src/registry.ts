import type { CalculatorId } from './types';
import { CALCULATORS } from './calculators';

import { CARDS } from './cards';

export { CARDS };
export type { CardDefinition } from './cards';

/** One registry row: what the page and the cards need to list a calculator. */
export interface CalculatorRegistryEntry {
  id: CalculatorId;
  title: string;
  question: string;
  sources: string[];
  card: string;
  /** Annotation keys (without prefix) that prefill this calculator. */
  prefillAnnotations: string[];
}

const PREFILL_ANNOTATIONS: Record<CalculatorId, string[]> = {
  'rightsize-p95': ['monthly-spend', 'p95-cpu', 'p95-memory', 'profile-days'],
  'ri-vs-rightsize': [
    'monthly-spend',
    'migrated-on',
    'profile-days',
    'planned-change-on',
  ],
  'commitment-break-even': ['monthly-spend', 'planned-change-on'],
  'bigquery-capacity': [
    'bigquery-etl-tib-month',
    'bigquery-adhoc-tib-month',
    'bigquery-slots',
  ],
  'bigquery-query-guard': [],
  'db-licensing': [
    'provider',
    'service',
    'engine',
    'vcpus',
    'licences-owned',
    'price-book-sku',
  ],
  'oss-migration-payback': [
    'monthly-spend',
    'stored-procedures',
    'commitment-ends-on',
  ],
  'nonprod-schedule': [
    'environment',
    'lifecycle',
    'monthly-spend',
    'price-book-sku',
  ],
  'storage-tiering': ['storage-gib', 'cold-percent'],
  'connection-budget': [
    'max-connections',
    'db-pool-size',
    'max-instances',
    'rollout-surge-percent',
  ],
  'failover-rto': ['service', 'rto-seconds', 'rpo-seconds', 'dr-region'],
  'encryption-tier': ['data-classification', 'crypto-ops-per-second'],
  'cross-region-replica': ['monthly-spend', 'storage-gib', 'rpo-seconds'],
  'cache-memory-budget': ['cache-keys', 'cache-avg-value-bytes'],
  'provisioning-estimate': ['database-tier', 'price-book-sku', 'storage-gib'],
};

/** Every calculator with its id, title, question, article sources, card and prefill annotations. */
export const CALCULATOR_REGISTRY: CalculatorRegistryEntry[] = Object.values(
  CALCULATORS,
).map(c => ({
  id: c.id,
  title: c.title,
  question: c.question,
  sources: c.sources,
  card: CARDS.find(card => card.calculators.includes(c.id))!.id,
  prefillAnnotations: PREFILL_ANNOTATIONS[c.id],
}));
