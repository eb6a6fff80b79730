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
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  },
}));

/** Whole currency units for axes and data tables ("$20,020"); the results table keeps cents. */
export const money = (currency: string) => (value: number) =>
  currency === 'USD'
    ? `$${Math.round(value).toLocaleString('en-US')}`
    : `${Math.round(value).toLocaleString('en-US')} ${currency}`;

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
