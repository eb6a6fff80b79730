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
  /**
   * Why the card is on this page, for its header: the trigger in a reader's words (`trigger` is
   * the note's shorthand, e.g. "monthly-spend present", which read as jargon on the card).
   */
  shownBecause: string;
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
    shownBecause:
      'Shown because this resource declares its monthly spend (ops.example.com/monthly-spend).',
    triggerAnnotations: ['monthly-spend'],
  },
  {
    id: 'bigquery',
    title: 'BigQuery',
    calculators: ['bigquery-capacity', 'bigquery-query-guard'],
    kind: 'Resource',
    specTypes: ['bigquery-dataset'],
    trigger: 'spec.type bigquery-dataset or service bigquery',
    shownBecause: 'Shown because this resource is a BigQuery dataset.',
    triggerAnnotations: [],
  },
  {
    id: 'licensing',
    title: 'Licensing & migration',
    calculators: ['db-licensing', 'oss-migration-payback'],
    kind: 'Resource',
    specTypes: ['database'],
    trigger: 'engine is oracle-* or sqlserver-*',
    shownBecause:
      'Shown because this database runs a licensed engine (Oracle or SQL Server).',
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
    shownBecause:
      'Shown because this resource is not in production and has a known cost.',
    triggerAnnotations: [],
  },
  {
    id: 'storage-tiering',
    title: 'Storage tiering',
    calculators: ['storage-tiering'],
    kind: 'Resource',
    specTypes: ['bucket', 'storage'],
    trigger: 'storage-gib present',
    shownBecause:
      'Shown because this resource declares its stored data (ops.example.com/storage-gib).',
    triggerAnnotations: ['storage-gib'],
  },
  {
    id: 'connection-budget',
    title: 'Connection budget',
    calculators: ['connection-budget'],
    kind: 'Resource',
    specTypes: ['database'],
    trigger: 'max-connections present',
    shownBecause:
      'Shown because this database declares its connection limit (ops.example.com/max-connections).',
    triggerAnnotations: ['max-connections'],
  },
  {
    id: 'failover',
    title: 'Failover',
    calculators: ['failover-rto'],
    kind: 'Resource',
    specTypes: ['database'],
    trigger: 'service has failover facts, or rto-seconds present',
    shownBecause:
      "Shown because this database has a failover to plan for (its service's failover facts, or ops.example.com/rto-seconds).",
    triggerAnnotations: [],
  },
  {
    id: 'encryption',
    title: 'Encryption',
    calculators: ['encryption-tier'],
    kind: 'Resource',
    specTypes: ['database'],
    trigger: 'data-classification present',
    shownBecause:
      'Shown because this database declares the classification of its data.',
    triggerAnnotations: ['data-classification'],
  },
  {
    id: 'dr-replica',
    title: 'DR replica',
    calculators: ['cross-region-replica'],
    kind: 'Resource',
    specTypes: ['database'],
    trigger: 'dr-region present',
    shownBecause:
      'Shown because this database declares a disaster-recovery region.',
    triggerAnnotations: ['dr-region'],
  },
  {
    id: 'cache-memory',
    title: 'Cache memory',
    calculators: ['cache-memory-budget'],
    kind: 'Resource',
    specTypes: ['cache'],
    trigger: 'cache-keys present',
    shownBecause: 'Shown because this cache declares how many keys it holds.',
    triggerAnnotations: ['cache-keys'],
  },
  {
    id: 'provisioning-estimate',
    title: 'Provisioning estimate',
    calculators: ['provisioning-estimate'],
    kind: 'Resource',
    specTypes: ['database'],
    trigger: 'database-tier present',
    shownBecause:
      'Shown because this database declares its tier (ops.example.com/database-tier).',
    triggerAnnotations: ['database-tier'],
  },
];
