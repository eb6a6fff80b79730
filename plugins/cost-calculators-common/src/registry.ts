import type { CalculatorId } from './types';
import { CALCULATORS } from './calculators';

/** Which entities a card applies to and which annotation triggers it (§1). */
export interface CardDefinition {
  id: string;
  title: string;
  calculators: CalculatorId[];
  kind: 'Resource';
  /** `spec.type` values the card applies to; empty = any Resource. */
  specTypes: string[];
  /** Human-readable trigger, as in the note's card table. */
  trigger: string;
  /** Annotation keys (without the prefix) that must be present; see `shouldRenderCard` for the composite rules. */
  triggerAnnotations: string[];
}

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

/** The cards of §1, in the note's order. */
export const CARDS: CardDefinition[] = [
  {
    id: 'commitment',
    title: 'Commitment',
    calculators: ['rightsize-p95', 'ri-vs-rightsize', 'commitment-break-even'],
    kind: 'Resource',
    specTypes: ['database', 'cache'],
    trigger: 'monthly-spend present',
    triggerAnnotations: ['monthly-spend'],
  },
  {
    id: 'bigquery',
    title: 'BigQuery',
    calculators: ['bigquery-capacity', 'bigquery-query-guard'],
    kind: 'Resource',
    specTypes: ['bigquery-dataset'],
    trigger: 'spec.type bigquery-dataset or service bigquery',
    triggerAnnotations: [],
  },
  {
    id: 'licensing',
    title: 'Licensing & migration',
    calculators: ['db-licensing', 'oss-migration-payback'],
    kind: 'Resource',
    specTypes: ['database'],
    trigger: 'engine is oracle-* or sqlserver-*',
    triggerAnnotations: ['engine'],
  },
  {
    id: 'schedule',
    title: 'Schedule',
    calculators: ['nonprod-schedule'],
    kind: 'Resource',
    specTypes: [],
    trigger:
      'environment resolves to non-prod and (monthly-spend or price-book-sku)',
    triggerAnnotations: [],
  },
  {
    id: 'storage-tiering',
    title: 'Storage tiering',
    calculators: ['storage-tiering'],
    kind: 'Resource',
    specTypes: ['bucket', 'storage'],
    trigger: 'storage-gib present',
    triggerAnnotations: ['storage-gib'],
  },
  {
    id: 'connection-budget',
    title: 'Connection budget',
    calculators: ['connection-budget'],
    kind: 'Resource',
    specTypes: ['database'],
    trigger: 'max-connections present',
    triggerAnnotations: ['max-connections'],
  },
  {
    id: 'failover',
    title: 'Failover',
    calculators: ['failover-rto'],
    kind: 'Resource',
    specTypes: ['database'],
    trigger: 'service has failover facts, or rto-seconds present',
    triggerAnnotations: [],
  },
  {
    id: 'encryption',
    title: 'Encryption',
    calculators: ['encryption-tier'],
    kind: 'Resource',
    specTypes: ['database'],
    trigger: 'data-classification present',
    triggerAnnotations: ['data-classification'],
  },
  {
    id: 'dr-replica',
    title: 'DR replica',
    calculators: ['cross-region-replica'],
    kind: 'Resource',
    specTypes: ['database'],
    trigger: 'dr-region present',
    triggerAnnotations: ['dr-region'],
  },
  {
    id: 'cache-memory',
    title: 'Cache memory',
    calculators: ['cache-memory-budget'],
    kind: 'Resource',
    specTypes: ['cache'],
    trigger: 'cache-keys present',
    triggerAnnotations: ['cache-keys'],
  },
  {
    id: 'provisioning-estimate',
    title: 'Provisioning estimate',
    calculators: ['provisioning-estimate'],
    kind: 'Resource',
    specTypes: ['database'],
    trigger: 'database-tier present',
    triggerAnnotations: ['database-tier'],
  },
];

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
  'provisioning-estimate': ['database-tier', 'price-book-sku'],
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
