import { useTheme } from '@material-ui/core';
import type { CalcResult } from '@internal/plugin-cost-calculators-common';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

/** Props of {@link CostChart}. */
export interface CostChartProps {
  result: CalcResult;
  currency: string;
}

const money = (currency: string) => (value: number) =>
  currency === 'USD'
    ? `$${Math.round(value).toLocaleString('en-US')}`
    : `${Math.round(value).toLocaleString('en-US')} ${currency}`;

/**
 * Cumulative cost of each option per month with the break-even month marked.
 * The series are exact decimal strings; they become floats only here, to place pixels.
 */
export function CostChart(props: CostChartProps) {
  const { result, currency } = props;
  const theme = useTheme();
  const options = result.options ?? [];
  if (options.length === 0) return null;
  const months = options[0].cumulative.length;
  const data = Array.from({ length: months }, (_, m) => {
    const row: Record<string, number> = { month: m };
    for (const o of options) row[o.id] = Number(o.cumulative[m]);
    return row;
  });
  const colors = [
    theme.palette.primary.main,
    theme.palette.secondary.main,
    theme.palette.success?.main ?? '#2e7d32',
    theme.palette.warning?.main ?? '#ed6c02',
  ];
  const breakEven =
    result.breakEven?.month !== null && result.breakEven?.month !== undefined
      ? Number(result.breakEven.month)
      : undefined;
  const format = money(currency);
  return (
    <figure style={{ margin: 0 }}>
      <figcaption>
        Cumulative cost per option over {months - 1} months
        {breakEven !== undefined
          ? `; break-even at month ${result.breakEven!.month}`
          : ''}
      </figcaption>
      <div style={{ width: '100%', height: 260 }}>
        <ResponsiveContainer>
          <LineChart
            data={data}
            margin={{ top: 16, right: 24, left: 24, bottom: 8 }}
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="month"
              type="number"
              domain={[0, months - 1]}
              stroke={theme.palette.text.secondary}
              label={{ value: 'month', position: 'insideBottomRight', dy: 8 }}
            />
            <YAxis
              tickFormatter={format}
              stroke={theme.palette.text.secondary}
              width={90}
            />
            <Tooltip
              formatter={value => format(Number(value))}
              labelFormatter={label => `Month ${label}`}
            />
            <Legend />
            {options.map((o, i) => (
              <Line
                key={o.id}
                type="linear"
                dataKey={o.id}
                name={o.label}
                stroke={colors[i % colors.length]}
                dot={false}
                isAnimationActive={false}
              />
            ))}
            {breakEven !== undefined && (
              <ReferenceLine
                x={breakEven}
                stroke={theme.palette.text.primary}
                strokeDasharray="4 4"
                label={{
                  value: `break-even ${result.breakEven!.month}`,
                  position: 'top',
                  fill: theme.palette.text.primary,
                }}
              />
            )}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
