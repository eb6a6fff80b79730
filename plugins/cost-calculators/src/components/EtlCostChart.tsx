import { useEffect, useMemo, useRef } from 'react';
import { useTheme } from '@material-ui/core';
import {
  CalcResult,
  ResolvedPriceBook,
  bigqueryCostByEtlVolume,
} from '@internal/plugin-cost-calculators-common';
import UPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import {
  PLOT_HEIGHT,
  axisMoney,
  axisSize,
  canDraw,
  money,
  seriesColors,
  useChartStyles,
  verticalLine,
} from './chartParts';
import { HiddenDataTable } from './HiddenDataTable';

/** Props of {@link EtlCostChart}. */
export interface EtlCostChartProps {
  /** A C4 `bigquery-capacity` result. */
  result: CalcResult;
  /** The book the result was computed with: the other volumes are computed with it too. */
  priceBook: ResolvedPriceBook;
}

const tib = (value: number) =>
  value.toLocaleString('en-US', { maximumFractionDigits: 2 });

/**
 * C4's chart (§2, §5): monthly cost of "all on demand" and "hybrid" against the steady ETL
 * volume, with their crossing (the break-even volume) as a dashed line and the volume the
 * result was computed for as a dotted one. Drawn with uPlot like the cumulative-cost chart;
 * the same numbers are in a visually hidden table for screen readers.
 */
export function EtlCostChart(props: EtlCostChartProps) {
  const { result, priceBook } = props;
  const theme = useTheme();
  const classes = useChartStyles();
  const container = useRef<HTMLDivElement>(null);
  const series = useMemo(
    () => bigqueryCostByEtlVolume(result, { asOf: result.asOf, priceBook }),
    [result, priceBook],
  );
  const format = useMemo(() => money(result.currency), [result.currency]);
  const axisFormat = useMemo(
    () => axisMoney(result.currency),
    [result.currency],
  );
  const unit = `${result.currency}/month`;
  const labelOf = (id: string) =>
    result.outputs.find(o => o.id === id)?.label ?? id;
  const onDemandLabel = labelOf('onDemandAll');
  const hybridLabel = labelOf('hybrid');

  useEffect(() => {
    const el = container.current;
    if (!el || !series || !canDraw()) return undefined;
    const colors = seriesColors(theme);
    const axisStroke = theme.palette.text.secondary;
    const grid = { stroke: theme.palette.divider, width: 1 };
    // Until the cursor is on the plot (uPlot asks with idx null) the legend shows the result's
    // own volume and amounts, as the cumulative-cost chart shows its last month, rather than
    // "—" everywhere, which reads as missing figures.
    const line = (label: string, color: string, resting: string) => ({
      label,
      stroke: color,
      width: 2,
      points: { show: false },
      value: (_u: UPlot, v: number | null, _s: number, idx: number | null) => {
        if (idx === null || idx === undefined) return resting;
        return v === null ? '—' : format(v);
      },
    });
    const amountOf = (id: string) => {
      const exact = result.outputs.find(o => o.id === id)?.exact;
      return exact === null || exact === undefined
        ? '—'
        : format(Number(exact));
    };
    const marks = [
      ...(series.crossingTiB !== null
        ? [verticalLine(Number(series.crossingTiB), theme.palette.text.primary)]
        : []),
      verticalLine(
        Number(series.currentTiB),
        theme.palette.text.secondary,
        [1, 3],
      ),
    ];
    const plot = new UPlot(
      {
        width: el.clientWidth || 600,
        height: PLOT_HEIGHT,
        scales: { x: { time: false } },
        series: [
          {
            label: 'Steady ETL (TiB/month)',
            // uPlot asks with null while the cursor is off the plot (the legend's resting state).
            value: (_u, v: number | null, _s: number, idx: number | null) => {
              if (idx === null || idx === undefined)
                return `${tib(Number(series.currentTiB))} (this result)`;
              return v === null ? '—' : tib(v);
            },
          },
          line(onDemandLabel, colors[0], amountOf('onDemandAll')),
          line(hybridLabel, colors[1], amountOf('hybrid')),
        ],
        axes: [
          { label: 'steady ETL, TiB/month', stroke: axisStroke, grid },
          {
            label: unit,
            stroke: axisStroke,
            grid,
            size: axisSize,
            values: (_u, ticks) => axisFormat(ticks),
          },
        ],
        plugins: marks,
      },
      [
        series.points.map(p => Number(p.etlTiB)),
        series.points.map(p => Number(p.onDemand)),
        series.points.map(p => Number(p.hybrid)),
      ],
      el,
    );
    const resize =
      typeof ResizeObserver === 'undefined'
        ? undefined
        : new ResizeObserver(() =>
            plot.setSize({ width: el.clientWidth, height: PLOT_HEIGHT }),
          );
    resize?.observe(el);
    return () => {
      resize?.disconnect();
      plot.destroy();
    };
  }, [
    series,
    format,
    axisFormat,
    theme,
    onDemandLabel,
    hybridLabel,
    unit,
    result.outputs,
  ]);

  if (!series) return null;
  const crossing =
    series.crossingTiB === null
      ? '; the lines do not cross'
      : `; they cross at ${tib(Number(series.crossingTiB))} TiB (dashed line)`;
  return (
    <figure style={{ margin: 0 }}>
      <figcaption>
        Monthly cost ({unit}) against steady ETL volume (TiB/month){crossing};
        this result is for {tib(Number(series.currentTiB))} TiB (dotted line)
      </figcaption>
      <div ref={container} className={classes.plot} aria-hidden="true" />
      <HiddenDataTable>
        <caption>Monthly cost by steady ETL volume</caption>
        <thead>
          <tr>
            <th scope="col">Steady ETL (TiB/month)</th>
            <th scope="col">
              {onDemandLabel} ({unit})
            </th>
            <th scope="col">
              {hybridLabel} ({unit})
            </th>
          </tr>
        </thead>
        <tbody>
          {series.points.map(p => (
            <tr key={p.etlTiB}>
              <th scope="row">{tib(Number(p.etlTiB))}</th>
              <td>{format(Number(p.onDemand))}</td>
              <td>{format(Number(p.hybrid))}</td>
            </tr>
          ))}
        </tbody>
      </HiddenDataTable>
    </figure>
  );
}
