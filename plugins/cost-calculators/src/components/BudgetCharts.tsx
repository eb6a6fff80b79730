import {
  CalcResult,
  connectionBudgetStack,
  failoverRtoStack,
} from '@internal/plugin-cost-calculators-common';
import { StackedBarChart } from './StackedBarChart';
import { connections, whole } from './chartParts';

const seconds = (value: number) =>
  `${value.toLocaleString('en-US', { maximumFractionDigits: 2 })} s`;

/** Props of {@link ConnectionBudgetChart}. */
export interface ConnectionBudgetChartProps {
  /** A C10 `connection-budget` result. */
  result: CalcResult;
  /** Client row to bring forward: the Component whose page shows the card. */
  focusClient?: string;
}

/** C10's chart (§2): each client's connections at full scale, stacked, against usable and max_connections. */
export function ConnectionBudgetChart(props: ConnectionBudgetChartProps) {
  const stack = connectionBudgetStack(props.result);
  if (!stack) return null;
  const focus = stack.clients.findIndex(c => c.name === props.focusClient);
  return (
    <StackedBarChart
      caption={`Connections at full scale per client (peak instances × pool): ${whole(
        stack.demand,
      )} of ${whole(stack.usable)} usable; max_connections ${whole(
        stack.maxConnections,
      )}`}
      tableCaption="Connections at full scale per client"
      partHeader="Client"
      valueHeader="Connections at full scale"
      segments={stack.clients.map((c, i) => ({
        id: `client-${i}`,
        label: c.name,
        value: c.connections,
      }))}
      total={{ label: 'Demand at full scale', value: stack.demand }}
      references={[
        { id: 'usable', label: 'Usable', value: stack.usable },
        {
          id: 'max',
          label: 'max_connections',
          value: stack.maxConnections,
        },
      ]}
      format={connections}
      highlight={
        focus >= 0
          ? { id: `client-${focus}`, note: 'this component' }
          : undefined
      }
    />
  );
}

/** Props of {@link RtoChart}. */
export interface RtoChartProps {
  /** A C11 `failover-rto` result. */
  result: CalcResult;
}

/** C11's chart (§2): detection, provider, DNS and pool delays, stacked, against the target RTO. */
export function RtoChart(props: RtoChartProps) {
  const stack = failoverRtoStack(props.result);
  if (!stack) return null;
  const total = Number(stack.estimatedRto);
  const target = stack.targetRto === null ? null : Number(stack.targetRto);
  return (
    <StackedBarChart
      caption={`Client-visible recovery time by term: ${seconds(total)}${
        target === null
          ? ' (no target RTO entered)'
          : ` against a ${seconds(target)} target`
      }`}
      tableCaption="Client-visible recovery time by term"
      partHeader="Term"
      valueHeader="Seconds"
      segments={stack.terms.map(t => ({
        id: t.id,
        label: t.label,
        value: Number(t.seconds),
      }))}
      total={{ label: 'Estimated client RTO', value: total }}
      references={
        target === null
          ? []
          : [{ id: 'target', label: 'Target RTO', value: target }]
      }
      format={seconds}
    />
  );
}
