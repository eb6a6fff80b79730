import type { ChangeInput } from '@internal/plugin-evidence-common';
import { demoDigest, demoTime, MINUTE_MS } from './demoClock';

const H = 60;
const D = 24 * H;

const c = (name: string) => `component:default/${name}`;
const r = (name: string) => `resource:default/${name}`;

type Attributes = ChangeInput['attributes'];

const canary = {
  from: 0,
  to: 100,
  strategy: 'canary',
  analysis: true,
} as const;
const rolling = {
  from: 0,
  to: 100,
  strategy: 'rolling',
  analysis: false,
} as const;
const passed = { status: 'passed' } as const;

/** One demo ledger record: times in minutes from `T`, everything else as the tables give it. */
export interface DemoLedgerEntry {
  id: string;
  entityRef: string;
  kind: ChangeInput['kind'];
  ref: string;
  version?: string;
  summary: string;
  /** `bot:<id>` or `user:<id>`; the prefix is the actor type. */
  actor: string;
  /** `source.system`, the natural key's first half. */
  system: string;
  startedMin: number;
  finishedMin: number;
  /** Demo id of the change this one rolls back (sent as its natural key). */
  rollbackOf?: string;
  attributes: Attributes;
}

function deploy(
  id: string,
  entityRef: string,
  version: string,
  summary: string,
  actor: string,
  system: string,
  startedMin: number,
  durationMin: number,
  extra: Partial<Omit<DemoLedgerEntry, 'attributes'>> & {
    exposure?: typeof canary | typeof rolling;
    ciPassed?: boolean;
  } = {},
): DemoLedgerEntry {
  const { exposure, ciPassed, ...rest } = extra;
  return {
    id,
    entityRef,
    kind: 'deploy',
    ref: version,
    version,
    summary,
    actor,
    system,
    startedMin,
    finishedMin: startedMin + durationMin,
    attributes: {
      artifactDigest: demoDigest(id),
      ...(exposure ? { exposure: { ...exposure } } : {}),
      ...(ciPassed ? { verification: { ...passed } } : {}),
    },
    ...rest,
  };
}

/**
 * The demo ledger: incident-brief §7 L1–L11 and scorecards §6.3 LS1–LS5, in the `startedAt`
 * order evidence §7.1 posts them (so risk history holds). LS durations are not given by the
 * specs; they follow the L records of the same strategy (canary 15 min, rolling 6 min).
 */
export const DEMO_LEDGER: readonly DemoLedgerEntry[] = [
  deploy(
    'LS5',
    c('order-service'),
    '3.1.4',
    'order-service 3.1.4 rolling',
    'bot:deploy-bot',
    'github-actions',
    -100 * D,
    6,
    { exposure: rolling },
  ),
  deploy(
    'LS4',
    c('order-service'),
    '3.2.0',
    'order-service 3.2.0 rolling',
    'bot:deploy-bot',
    'github-actions',
    -45 * D,
    6,
    { exposure: rolling },
  ),
  deploy(
    'LS1',
    c('payment-service'),
    '2.13.4',
    'payment-service 2.13.4 canary → 100 %',
    'bot:deploy-bot',
    'argocd',
    -25 * D,
    15,
    { exposure: canary },
  ),
  deploy(
    'LS3',
    c('api-gateway'),
    '3.4.0',
    'api-gateway 3.4.0 canary → 100 %',
    'bot:deploy-bot',
    'argocd',
    -19 * D,
    15,
    { exposure: canary },
  ),
  deploy(
    'L11',
    c('pricing-service'),
    '1.3.2',
    'pricing-service 1.3.2 rolling',
    'bot:deploy-bot',
    'github-actions',
    -12 * D,
    6,
    { exposure: rolling, ciPassed: true },
  ),
  deploy(
    'LS2',
    c('api-gateway'),
    '3.4.1',
    'api-gateway 3.4.1 canary → 100 %',
    'bot:deploy-bot',
    'argocd',
    -5 * D,
    15,
    { exposure: canary },
  ),
  deploy(
    'L1',
    c('payment-service'),
    '2.14.0',
    'payment-service 2.14.0 canary → 100 %',
    'bot:deploy-bot',
    'argocd',
    -3 * D,
    20,
    { exposure: canary, ciPassed: true },
  ),
  {
    id: 'L5',
    entityRef: r('payments-db'),
    kind: 'schema-migration',
    ref: 'V2026_03_12__drop_legacy_card_col',
    version: 'V2026_03_12__drop_legacy_card_col',
    summary: 'V2026_03_12__drop_legacy_card_col (contract, destructive)',
    actor: 'bot:migrator',
    system: 'flyway',
    startedMin: -2 * D,
    finishedMin: -2 * D + 4,
    attributes: {
      version: 'V2026_03_12__drop_legacy_card_col',
      phase: 'contract',
      reversible: false,
      destructive: true,
      verification: { ...passed },
    },
  },
  deploy(
    'L7',
    c('checkout-service'),
    '5.8.1',
    'checkout-service 5.8.1 canary → 100 %',
    'bot:deploy-bot',
    'argocd',
    -2 * D,
    15,
    { exposure: canary },
  ),
  // Posted `succeeded`; L9 sets it `rolled-back` through the ingestion rollback rule.
  deploy(
    'L8',
    c('pricing-service'),
    '1.4.0',
    'pricing-service 1.4.0 rolling',
    'bot:deploy-bot',
    'github-actions',
    -10 * H,
    10,
    { exposure: rolling, ciPassed: true },
  ),
  deploy(
    'L9',
    c('pricing-service'),
    '1.3.2',
    'pricing-service 1.3.2, rollback of 1.4.0',
    'bot:deploy-bot',
    'github-actions',
    -9 * H - 40,
    5,
    { rollbackOf: 'L8' },
  ),
  {
    id: 'L6',
    entityRef: r('order-events'),
    kind: 'infra',
    ref: 'order-events max delivery count 10 → 5',
    summary: 'order-events max delivery count 10 → 5',
    actor: 'bot:platform-bot',
    system: 'terraform',
    startedMin: -6 * H,
    finishedMin: -6 * H + 2,
    attributes: {
      workspace: 'order-events',
      plan: { add: 0, change: 1, destroy: 0, replace: 0 },
      verification: { ...passed },
    },
  },
  // Not in the catalog: stays unresolved (incident-brief R7).
  deploy(
    'L10',
    c('promo-engine'),
    '0.3.0',
    'promo-engine 0.3.0',
    'bot:deploy-bot',
    'github-actions',
    -4 * H,
    5,
  ),
  deploy(
    'L2',
    c('checkout-service'),
    '5.8.2',
    'checkout-service 5.8.2 canary → 100 %',
    'user:ben.okafor',
    'argocd',
    -95,
    15,
    { exposure: canary, ciPassed: true },
  ),
  {
    id: 'L4',
    entityRef: c('inventory-service'),
    kind: 'config',
    ref: 'reservation.hold-ttl',
    summary: 'reservation.hold-ttl 15m → 5m (global)',
    actor: 'user:dara.singh',
    system: 'config-repo',
    startedMin: -50,
    finishedMin: -49,
    attributes: { keys: ['reservation.hold-ttl'], scope: 'global' },
  },
  {
    id: 'L3',
    entityRef: c('checkout-service'),
    kind: 'feature-flag',
    ref: 'checkout.split-tender@on',
    summary: 'checkout.split-tender release 0 → 100 %',
    actor: 'user:ana.ruiz',
    system: 'flag-service',
    startedMin: -25,
    finishedMin: -25,
    attributes: {
      flagKey: 'checkout.split-tender',
      flagType: 'release',
      exposure: { from: 0, to: 100 },
    },
  },
];

/** The natural key of a demo record: `{ system: <source>, externalId: 'demo-<id>' }`. */
export function demoNaturalKey(entry: DemoLedgerEntry): {
  system: string;
  externalId: string;
} {
  return { system: entry.system, externalId: `demo-${entry.id}` };
}

/** The ingestion body of one demo ledger record with `T` at epoch ms `t`. */
export function demoChangeInput(
  entry: DemoLedgerEntry,
  t: number,
): ChangeInput {
  const [actorType, actorId] = entry.actor.split(':');
  const rollbackTarget = entry.rollbackOf
    ? DEMO_LEDGER.find(e => e.id === entry.rollbackOf)
    : undefined;
  return {
    entityRef: entry.entityRef,
    kind: entry.kind,
    environment: 'production',
    ref: entry.ref,
    ...(entry.version ? { version: entry.version } : {}),
    summary: entry.summary,
    actor: { type: actorType === 'user' ? 'user' : 'bot', id: actorId },
    source: demoNaturalKey(entry),
    startedAt: demoTime(t, entry.startedMin * MINUTE_MS),
    finishedAt: demoTime(t, entry.finishedMin * MINUTE_MS),
    status: 'succeeded',
    ...(rollbackTarget ? { rollbackOf: demoNaturalKey(rollbackTarget) } : {}),
    attributes: entry.attributes,
  } as ChangeInput;
}
