import { z } from 'zod';
import { DecimalLike, ZERO, dec } from '../money';
import {
  intField,
  optionalDecimalField,
  optionalIntField,
  optionalListField,
  optionalPercentField,
  textField,
} from '../validation/fields';
import {
  defineCalculator,
  out,
  RuleEvaluation,
  InputLabels,
} from './defineCalculator';

/** One client of the database (a Component with `dependsOn` it, or a pooler). */
export const connectionClientSchema = z.object({
  name: textField(),
  maxInstances: intField({ min: 0, max: 10_000 }),
  poolSize: intField({ min: 1, max: 1000 }),
  rolloutSurgePercent: optionalDecimalField({ min: 0, max: 100, unit: '%' }),
});

/** Labels and units of a C10 client row's cells (the form's columns, their messages). */
export const connectionClientInputs: InputLabels<
  typeof connectionClientSchema
> = {
  name: { label: 'Client' },
  maxInstances: { label: 'Max instances' },
  poolSize: { label: 'Pool size' },
  rolloutSurgePercent: { label: 'Rollout surge', unit: '%' },
};

/** Client rows C10 takes (§2 C10: `clients[] (0–50 rows)`). */
export const MAX_CONNECTION_CLIENTS = 50;

/** Inputs of C10. */
export const connectionBudgetSchema = z.object({
  maxConnections: intField({ min: 1, max: 100_000 }),
  superuserReserved: optionalIntField({ min: 0, max: 1000 }),
  operationalReserve: optionalIntField({ min: 0, max: 10_000 }),
  headroomPercent: optionalPercentField(0, 90),
  clients: optionalListField(connectionClientSchema, MAX_CONNECTION_CLIENTS),
});

/** Labels and units of the C10 inputs (the form, its messages and the markdown export read them). */
export const connectionBudgetInputs: InputLabels<
  typeof connectionBudgetSchema
> = {
  maxConnections: { label: 'Connection limit (max_connections)' },
  superuserReserved: { label: 'Superuser-reserved connections' },
  operationalReserve: {
    label: 'Operational reserve (migrations, consoles, maintenance, emergency)',
  },
  headroomPercent: { label: 'Headroom', unit: '%' },
  clients: { label: 'Clients' },
};

/** Raw C10 input. */
export type ConnectionBudgetInput = z.input<typeof connectionBudgetSchema>;

/**
 * Instances at rollout peak: old and new tasks overlap by the surge percentage.
 * Exact decimals (§0): in floats 500 × 32.2 / 100 is 161.00000000000003, which ceil turns into 162.
 */
export function peakInstances(
  instances: number,
  surgePercent: DecimalLike,
): number {
  const surge = dec(instances).times(surgePercent).div(100).ceil();
  return instances + surge.toNumber();
}

/**
 * Connections left for clients: floor(max × (100 − headroom) / 100) minus the reserves.
 * Exact decimals (§0): in floats 500 × (100 − 35.4) / 100 is 322.99999999999994, one short of 323.
 */
export function usableConnections(
  maxConnections: number,
  headroomPercent: DecimalLike,
  reserved: number,
): number {
  const afterHeadroom = dec(maxConnections)
    .times(dec(100).minus(headroomPercent))
    .div(100)
    .floor();
  return afterHeadroom.toNumber() - reserved;
}

/** Largest n ≥ 0 whose peak × pool fits in `budget` (0 when none does). */
export function maxSafeInstances(
  budget: number,
  poolSize: number,
  surgePercent: DecimalLike,
): number {
  if (budget < 0) return 0;
  // Peak is monotone in n, so binary search between 0 and the no-surge bound.
  let lo = 0;
  let hi = Math.floor(budget / poolSize);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (peakInstances(mid, surgePercent) * poolSize <= budget) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** C10 `connection-budget`: whether all clients' pools at full scale-out fit under max_connections. */
export const connectionBudget = defineCalculator({
  id: 'connection-budget',
  version: 1,
  title: 'Connection budget',
  question:
    "At full scale-out, can all clients' pools fit under the database's connection limit with room left for operations?",
  sources: ['55', '67', '59', '51', '68'],
  caveats: [
    'Elastic compute in front of a stateful database needs an explicit cap (55).',
    'Adding tasks adds no database capacity (67).',
    'Failover and maintenance drop connections: clients must reconnect with backoff (55, 67).',
    'Read replicas have their own limits.',
    'max_connections defaults vary with instance memory (vendor-doc).',
    "The superuser reserve defaults to PostgreSQL's superuser_reserved_connections (postgres.superuser-reserved); for another engine enter its own reserve.",
    'A pooler (PgBouncer, RDS Proxy) is modelled as one client with its own pool.',
    'Event-driven consumers (Azure Functions, Cloud Run workers) scale out faster than SQL absorbs: give them explicit concurrency caps and list them as clients (59, 55).',
  ],
  schema: connectionBudgetSchema,
  inputs: connectionBudgetInputs,
  evaluate(input, h) {
    const max = input.maxConnections;
    const su =
      input.superuserReserved ??
      h
        .fact('superuserReserved', undefined, 'postgres.superuser-reserved')
        .toNumber();
    const ops = h.orDefault('operationalReserve', input.operationalReserve, 10);
    const headroom =
      input.headroomPercent ??
      dec(h.orDefault('headroomPercent', undefined, '20'));
    const usable = usableConnections(max, headroom, su + ops);
    if (usable < 0) {
      return {
        errors: [
          {
            input: 'maxConnections',
            code: 'inconsistent',
            message: 'reserves and headroom exceed maxConnections.',
          },
        ],
      };
    }
    const clients = (input.clients ?? []).map(c => {
      const surge = c.rolloutSurgePercent ?? ZERO;
      const peak = peakInstances(c.maxInstances, surge);
      return { ...c, surge, peak, connections: peak * c.poolSize };
    });
    h.given(
      'clients',
      clients.map(c => ({
        name: c.name,
        maxInstances: c.maxInstances,
        poolSize: c.poolSize,
        rolloutSurgePercent: c.surge.toNumber(),
      })),
    );
    const demand = clients.reduce((acc, c) => acc + c.connections, 0);
    const spare = usable - demand;
    const utilisation = dec(demand).div(max).times(100);
    const perClient = clients.map(c => {
      const other = demand - c.connections;
      return {
        ...c,
        maxSafeInstances: maxSafeInstances(usable - other, c.poolSize, c.surge),
        maxSafePool:
          c.peak > 0
            ? Math.max(0, Math.floor((usable - other) / c.peak))
            : null,
      };
    });
    const biggest = perClient.reduce<(typeof perClient)[number] | undefined>(
      (acc, c) => (!acc || c.connections > acc.connections ? c : acc),
      undefined,
    );
    const rules: RuleEvaluation[] = [
      {
        id: 'R-CONN-EXHAUSTION',
        status: demand > max ? 'fired' : 'passed',
        severity: 'blocked',
        sources: ['55'],
        sentence: `Connection exhaustion: at full scale clients can open ${demand} connections against a limit of ${max}.`,
      },
      {
        id: 'R-CONN-OVER-BUDGET',
        status: demand > usable ? 'fired' : 'passed',
        severity: 'avoid',
        sources: ['55', '67'],
        sentence: biggest
          ? `Over budget by ${-spare}: cap ${biggest.name} at ${
              biggest.maxSafeInstances
            } instances or pool ${biggest.maxSafePool ?? 0}.`
          : `Over budget by ${-spare}.`,
      },
      {
        // Without a client, "Fits: 0 of N" would read as an all-clear: say nothing is budgeted.
        id: 'R-CONN-NO-CLIENTS',
        status: clients.length === 0 ? 'fired' : 'passed',
        severity: 'info',
        sources: ['55'],
        sentence: `No clients counted: ${usable} usable connections, none budgeted yet. List each client's pool and instances (on the database's page its dependent Components are added).`,
      },
      {
        id: 'R-CONN-FITS',
        status: clients.length > 0 && demand <= usable ? 'fired' : 'passed',
        severity: 'do',
        sources: ['55'],
        sentence: `Fits: ${demand} of ${usable} usable connections, ${spare} spare.`,
      },
    ];
    return {
      outputs: [
        out('usable', 'Usable connections', 'count', dec(usable)),
        out('demand', 'Demand at full scale', 'count', dec(demand)),
        out('spare', 'Spare', 'count', dec(spare)),
        out(
          'utilisationPercent',
          'Share of max_connections',
          'percent',
          utilisation,
        ),
        ...perClient.flatMap((c, i) => [
          out(
            `clients[${i}].peak`,
            `${c.name}: peak instances during a rollout (max instances + surge)`,
            'count',
            dec(c.peak),
          ),
          out(
            `clients[${i}].connections`,
            `${c.name}: connections`,
            'count',
            dec(c.connections),
          ),
          // maxSafeInstances caps the max-instances setting: the rollout surge comes on top
          // of it (§2 C10), so it is read beside max instances, not beside the peak above.
          out(
            `clients[${i}].maxSafeInstances`,
            `${c.name}: max safe instances (before rollout surge)`,
            'count',
            dec(c.maxSafeInstances),
          ),
          out(
            `clients[${i}].maxSafePool`,
            `${c.name}: max safe pool (at peak instances)`,
            'count',
            c.maxSafePool === null ? null : dec(c.maxSafePool),
          ),
        ]),
      ],
      rules,
      // Connection counts rest on no price.
      pricesNotDecisive: true,
    };
  },
});
