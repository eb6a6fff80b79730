import type { CalculatorId } from './types';

// The card table lives apart from the calculator registry: the app's entity-card filters import
// it on every page load, and importing the registry would pull every calculator and decimal.js
// into the app's main bundle (docs/benchmarks.md, "Bundle size").

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
