import { Theme, makeStyles } from '@material-ui/core';
import type UPlot from 'uplot';

/** Height of the canvas charts (uPlot). */
export const PLOT_HEIGHT = 260;

/** Styles shared by every chart: the plot area and the visually hidden data table. */
export const useChartStyles = makeStyles(theme => ({
  plot: {
    width: '100%',
    minHeight: PLOT_HEIGHT,
    color: theme.palette.text.primary,
    '& .u-legend': { fontSize: theme.typography.caption.fontSize },
  },
  // Visually hidden, read by screen readers: a canvas or a drawing carries no text. On a box
  // around a table (HiddenDataTable), never on the table: a table ignores width and overflow.
  srOnly: {
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    // clip-path, not the deprecated clip: a 1px box clipped to nothing (inset by half its size)
    clipPath: 'inset(50%)',
    whiteSpace: 'nowrap',
  },
}));

/** Whole currency units for axes and data tables ("$20,020"); the results table keeps cents. */
export const money = (currency: string) => (value: number) =>
  currency === 'USD'
    ? `$${Math.round(value).toLocaleString('en-US')}`
    : `${Math.round(value).toLocaleString('en-US')} ${currency}`;

/** Most decimals of a compact axis label ("$1.125B"); a tick that needs more is shown whole. */
const AXIS_DECIMALS = 3;

/** Whether `value` reads exactly in compact notation with at most {@link AXIS_DECIMALS}. */
function compactIsExact(value: number): boolean {
  const magnitude = Math.abs(value);
  const exponent =
    magnitude < 1000
      ? 0
      : Math.min(12, 3 * Math.floor(Math.log10(magnitude) / 3));
  const scaled = (magnitude / 10 ** exponent) * 10 ** AXIS_DECIMALS;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled);
}

/**
 * Labels of a money axis: compact ("$0", "$500M", "$1.25B"; "1.5K EUR"), so that they fit
 * beside the plot whatever the amounts (whole "$1,000,000,000" labels were cut off at the
 * axis' edge). Ticks a compact label would round, or that two labels would show alike, are
 * labelled whole with {@link money}; the axis then sizes itself to them ({@link axisSize}).
 */
export const axisMoney =
  (currency: string) =>
  (ticks: number[]): string[] => {
    const compact = new Intl.NumberFormat('en-US', {
      notation: 'compact',
      maximumFractionDigits: AXIS_DECIMALS,
    });
    const labels = ticks.map(v => {
      const s = compact.format(v);
      if (currency !== 'USD') return `${s} ${currency}`;
      return s.startsWith('-') ? `-$${s.slice(1)}` : `$${s}`;
    });
    return ticks.every(compactIsExact) && new Set(labels).size === labels.length
      ? labels
      : ticks.map(money(currency));
  };

/** Smallest width of a y axis, in CSS pixels (uPlot's own default). */
const MIN_AXIS_SIZE = 50;

/**
 * Width of a y axis from its longest label (uPlot's axis auto-size): tick, gap and the label as
 * the axis' font draws it, so no label is cut off at the plot's left edge.
 */
export function axisSize(
  u: UPlot,
  values: string[] | null,
  axisIdx: number,
  cycleNum: number,
): number {
  const axis = u.axes[axisIdx] as UPlot.Axis & { _size?: number };
  // uPlot sizes the axes again until they settle: keep the size found first.
  if (cycleNum > 1 && axis._size !== undefined) return axis._size;
  const longest = (values ?? []).reduce(
    (a, v) => (v.length > a.length ? v : a),
    '',
  );
  let text = 0;
  if (longest) {
    // After init uPlot holds the font as [font, size in device pixels, size in CSS pixels].
    const font = axis.font as unknown as string | string[] | undefined;
    u.ctx.save();
    if (font) u.ctx.font = Array.isArray(font) ? font[0] : font;
    text = u.ctx.measureText(longest).width / (window.devicePixelRatio || 1);
    u.ctx.restore();
  }
  const tick = axis.ticks?.size ?? 10;
  const gap = axis.gap ?? 5;
  return Math.ceil(Math.max(MIN_AXIS_SIZE, tick + gap + text + 4));
}

/** A count grouped as the charts show it ("3,987"). */
export const whole = (value: number) => value.toLocaleString('en-US');

/** "1 peak instance", "12 peak instances": a grouped count and its noun, plural unless 1. */
export const counted = (value: number, noun: string) =>
  `${whole(value)} ${noun}${value === 1 ? '' : 's'}`;

/** "1 connection", "3,987 connections". */
export const connections = (value: number) => counted(value, 'connection');

/** Series colours from the MUI palette, in series order. */
export function seriesColors(theme: Theme): string[] {
  return [
    theme.palette.primary.main,
    theme.palette.secondary.main,
    theme.palette.success?.main ?? '#2e7d32',
    theme.palette.warning?.main ?? '#ed6c02',
  ];
}

/** A vertical line at `x` (a break-even month, a crossing volume), drawn after the series. */
export function verticalLine(
  x: number,
  color: string,
  dash: number[] = [4, 4],
): UPlot.Plugin {
  return {
    hooks: {
      draw: u => {
        const px = u.valToPos(x, 'x', true);
        const { top, height } = u.bbox;
        const ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = color;
        ctx.setLineDash(dash.map(d => d * devicePixelRatio));
        ctx.lineWidth = devicePixelRatio;
        ctx.beginPath();
        ctx.moveTo(px, top);
        ctx.lineTo(px, top + height);
        ctx.stroke();
        ctx.restore();
      },
    },
  };
}

/** Whether this environment can draw on a canvas (jsdom in unit tests cannot). */
export function canDraw(): boolean {
  try {
    return document.createElement('canvas').getContext('2d') !== null;
  } catch {
    return false;
  }
}
