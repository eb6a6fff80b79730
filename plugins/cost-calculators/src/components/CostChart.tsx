import { useEffect, useMemo, useRef } from 'react';
import { useTheme } from '@material-ui/core';
import type { CalcResult } from '@internal/plugin-cost-calculators-common';
import UPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import {
  PLOT_HEIGHT as HEIGHT,
  axisMoney,
  axisSize,
  canDraw,
  money,
  seriesColors,
  useChartStyles as useStyles,
  verticalLine,
} from './chartParts';
import { HiddenDataTable } from './HiddenDataTable';

/** The legend's month: the hovered one, else the last ("36 (end)"). */
export function legendMonth(
  value: number | null,
  idx: number | null,
  last: number,
): string {
  if (idx === null || idx === undefined) return `${last} (end)`;
  return value === null ? '—' : String(value);
}

/** The legend's amount of one option: at the hovered month, else at the last one. */
export function legendAmount(
  value: number | null,
  idx: number | null,
  cumulative: readonly string[],
  format: (value: number) => string,
): string {
  if (idx === null || idx === undefined) {
    const last = cumulative[cumulative.length - 1];
    return last === undefined ? '—' : format(Number(last));
  }
  return value === null ? '—' : format(value);
}

/** Props of {@link CostChart}. */
export interface CostChartProps {
  result: CalcResult;
  currency: string;
}

/**
 * Cumulative cost of each option per month with the break-even month marked, drawn with
 * uPlot (~20 kB gzipped; Recharts cost 112 kB and put the plugin over its bundle budget).
 * The series are exact decimal strings; they become floats only here, to place pixels. The
 * numbers behind the picture are also in a visually hidden table for screen readers.
 */
export function CostChart(props: CostChartProps) {
  const { result, currency } = props;
  const theme = useTheme();
  const classes = useStyles();
  const container = useRef<HTMLDivElement>(null);
  const options = useMemo(() => result.options ?? [], [result.options]);
  const months = options[0]?.cumulative.length ?? 0;
  const breakEven =
    result.breakEven?.month !== null && result.breakEven?.month !== undefined
      ? Number(result.breakEven.month)
      : undefined;
  const format = useMemo(() => money(currency), [currency]);
  const axisFormat = useMemo(() => axisMoney(currency), [currency]);

  useEffect(() => {
    const el = container.current;
    if (!el || options.length === 0 || !canDraw()) return undefined;
    const colors = seriesColors(theme);
    const axisStroke = theme.palette.text.secondary;
    const grid = { stroke: theme.palette.divider, width: 1 };
    const plot = new UPlot(
      {
        width: el.clientWidth || 600,
        height: HEIGHT,
        scales: { x: { time: false } },
        // Until the cursor is on the plot, the legend shows the last month ("Month: 36 (end)")
        // rather than uPlot's "--" and "—", which read as missing figures.
        series: [
          {
            label: 'Month',
            value: (
              _u: UPlot,
              v: number | null,
              _s: number,
              idx: number | null,
            ) => legendMonth(v, idx, months - 1),
          },
          ...options.map((o, i) => ({
            label: o.label,
            stroke: colors[i % colors.length],
            width: 2,
            points: { show: false },
            value: (
              _u: UPlot,
              v: number | null,
              _s: number,
              idx: number | null,
            ) => legendAmount(v, idx, o.cumulative, format),
          })),
        ],
        axes: [
          { label: 'month', stroke: axisStroke, grid },
          {
            stroke: axisStroke,
            grid,
            size: axisSize,
            values: (_u, ticks) => axisFormat(ticks),
          },
        ],
        plugins:
          breakEven !== undefined
            ? [verticalLine(breakEven, theme.palette.text.primary)]
            : [],
      },
      [
        Array.from({ length: months }, (_, m) => m),
        ...options.map(o => o.cumulative.map(Number)),
      ],
      el,
    );
    const resize =
      typeof ResizeObserver === 'undefined'
        ? undefined
        : new ResizeObserver(() =>
            plot.setSize({ width: el.clientWidth, height: HEIGHT }),
          );
    resize?.observe(el);
    return () => {
      resize?.disconnect();
      plot.destroy();
    };
  }, [options, months, breakEven, format, axisFormat, theme]);

  if (options.length === 0) return null;
  // Yearly points (and the last month) keep the hidden table short at 36+ months.
  const rows = Array.from({ length: months }, (_, m) => m).filter(
    m => m % 12 === 0 || m === months - 1,
  );
  return (
    <figure style={{ margin: 0 }}>
      <figcaption>
        Cumulative cost per option over {months - 1} months
        {breakEven !== undefined
          ? `; break-even at month ${result.breakEven!.month}`
          : ''}
      </figcaption>
      <div ref={container} className={classes.plot} aria-hidden="true" />
      <HiddenDataTable>
        <caption>Cumulative cost per option</caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            {options.map(o => (
              <th scope="col" key={o.id}>
                {o.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(m => (
            <tr key={m}>
              <th scope="row">{m}</th>
              {options.map(o => (
                <td key={o.id}>{format(Number(o.cumulative[m]))}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </HiddenDataTable>
    </figure>
  );
}
