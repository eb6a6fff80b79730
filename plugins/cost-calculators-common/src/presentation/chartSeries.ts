import { Dec, dec, exactString, maxDec, minDec } from '../money';
import {
  MAX_TIB_PER_MONTH,
  bigqueryCapacity,
} from '../calculators/bigqueryCapacity';
import type { CalcContext, CalcResult, ClientRowValue, Output } from '../types';

/*
 * The series behind the §5 charts that are not cumulative cost (C4, C10, C11). Each is
 * read from a result (or, for C4, from the calculator itself at other volumes), so a chart
 * never restates a formula: what it draws is what the results table says. Values are exact
 * decimal strings or whole counts; the chart turns them into pixels.
 */

function outputOf(result: CalcResult, id: string): Output | undefined {
  return result.outputs.find(o => o.id === id);
}

function exactOf(result: CalcResult, id: string): string | null {
  return outputOf(result, id)?.exact ?? null;
}

function inputOf(result: CalcResult, id: string) {
  return result.inputs[id]?.value;
}

/** One point of the C4 chart: monthly cost of each option at one steady-ETL volume. */
export interface EtlCostPoint {
  etlTiB: string;
  onDemand: string;
  hybrid: string;
}

/** C4 "monthly cost vs ETL TiB … the crossing is marked" (§2). */
export interface EtlCostSeries {
  points: EtlCostPoint[];
  /** ETL volume where the lines cross (`breakEvenEtlTiB`); null when they never do (a free per-TiB price). */
  crossingTiB: string | null;
  /** The ETL volume the result was computed for. */
  currentTiB: string;
}

/** Inputs of C4 that decide the two cost lines (slot-hours only decide the queueing rule). */
const C4_COST_INPUTS = [
  'adhocTiBPerMonth',
  'onDemandPerTiB',
  'baselineSlots',
  'slotHourPrice',
] as const;

/**
 * C4's chart: on-demand and hybrid monthly cost from 0 to 2 × the break-even ETL volume
 * (§2), at `intervals` + 1 evenly spaced volumes, each computed by the calculator with the
 * result's resolved inputs. The range stretches to the current volume when that lies beyond
 * it, so the entity's own point is always on the chart; it stops at the input's maximum.
 * Null for another calculator, or when there is nothing to draw (no volume, no break-even).
 */
export function bigqueryCostByEtlVolume(
  result: CalcResult,
  ctx: Pick<CalcContext, 'asOf' | 'priceBook'>,
  intervals = 8,
): EtlCostSeries | null {
  if (result.calculatorId !== 'bigquery-capacity') return null;
  const current = inputOf(result, 'etlTiBPerMonth');
  if (typeof current !== 'string' && typeof current !== 'number') return null;
  const etl = dec(current);
  const crossing = exactOf(result, 'breakEvenEtlTiB');
  const fromCrossing = crossing === null ? dec(0) : dec(crossing).times(2);
  const upper = minDec(maxDec(fromCrossing, etl), dec(MAX_TIB_PER_MONTH));
  if (upper.isZero()) return null;
  const fixed = Object.fromEntries(
    C4_COST_INPUTS.map(id => [id, inputOf(result, id)]),
  );
  const points: EtlCostPoint[] = [];
  for (let k = 0; k <= intervals; k++) {
    const volume: Dec = upper.times(k).div(intervals);
    const outcome = bigqueryCapacity.compute(
      { ...fixed, etlTiBPerMonth: exactString(volume) },
      { asOf: ctx.asOf, priceBook: ctx.priceBook },
    );
    if (!outcome.ok) continue;
    const onDemand = exactOf(outcome.result, 'onDemandAll');
    const hybrid = exactOf(outcome.result, 'hybrid');
    if (onDemand === null || hybrid === null) continue;
    points.push({ etlTiB: exactString(volume), onDemand, hybrid });
  }
  if (points.length === 0) return null;
  return { points, crossingTiB: crossing, currentTiB: exactString(etl) };
}

/** One client's segment of the C10 stacked bar. */
export interface ConnectionSegment {
  name: string;
  peakInstances: number;
  poolSize: number;
  /** peak × pool: the connections it can open at full scale during a rollout. */
  connections: number;
  maxSafeInstances: number;
  /** Null when the client has no instances (no pool size would change anything). */
  maxSafePool: number | null;
}

/** C10 "stacked bar of peak_i × poolSize_i per client against lines at usable and maxConnections" (§2). */
export interface ConnectionStack {
  clients: ConnectionSegment[];
  demand: number;
  usable: number;
  maxConnections: number;
}

const count = (exact: string | null | undefined): number | null =>
  exact === null || exact === undefined ? null : Number(exact);

/** C10's chart, read from the result's client outputs; null for another calculator. */
export function connectionBudgetStack(
  result: CalcResult,
): ConnectionStack | null {
  if (result.calculatorId !== 'connection-budget') return null;
  const rows = inputOf(result, 'clients');
  const clients = Array.isArray(rows) ? (rows as ClientRowValue[]) : [];
  const maxConnections = inputOf(result, 'maxConnections');
  const usable = count(exactOf(result, 'usable'));
  const demand = count(exactOf(result, 'demand'));
  if (usable === null || demand === null || maxConnections === undefined)
    return null;
  return {
    clients: clients.map((c, i) => {
      const of = (field: string) =>
        count(exactOf(result, `clients[${i}].${field}`));
      return {
        name: c.name,
        peakInstances: of('peak') ?? 0,
        poolSize: c.poolSize,
        connections: of('connections') ?? 0,
        maxSafeInstances: of('maxSafeInstances') ?? 0,
        maxSafePool: of('maxSafePool'),
      };
    }),
    demand,
    usable,
    maxConnections: Number(maxConnections),
  };
}

/** A term of C11's estimated RTO, in the formula's order. */
export interface RtoTerm {
  id: 'detection' | 'provider' | 'dns' | 'pool';
  label: string;
  seconds: string;
}

/** C11 "horizontal stacked bar (detection, provider, DNS, pool) with the target line" (§2). */
export interface RtoStack {
  terms: RtoTerm[];
  estimatedRto: string;
  /** Null when no target RTO was entered. */
  targetRto: string | null;
}

const RTO_TERMS: [RtoTerm['id'], string][] = [
  ['detection', 'detectionSeconds'],
  ['provider', 'providerSeconds'],
  ['dns', 'dnsDelay'],
  ['pool', 'poolDelay'],
];

/** C11's chart, read from the result's term outputs; null for another calculator. */
export function failoverRtoStack(result: CalcResult): RtoStack | null {
  if (result.calculatorId !== 'failover-rto') return null;
  const estimatedRto = exactOf(result, 'estimatedRto');
  if (estimatedRto === null) return null;
  const terms = RTO_TERMS.map(([id, outputId]) => {
    const o = outputOf(result, outputId);
    return { id, label: o?.label ?? id, seconds: o?.exact ?? '0' };
  });
  const target = inputOf(result, 'targetRtoSeconds');
  return {
    terms,
    estimatedRto,
    targetRto:
      typeof target === 'string' || typeof target === 'number'
        ? String(target)
        : null,
  };
}
