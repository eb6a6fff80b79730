import { ReactNode } from 'react';
import { useChartStyles } from './chartParts';

/**
 * A chart's data table for screen readers, visually hidden. The clipping box is a div around
 * the table, not the table itself: a table grows to its content whatever its width and
 * overflow say, so a hidden table wider than a phone scrolled the whole page sideways.
 */
export function HiddenDataTable(props: { children: ReactNode }) {
  const classes = useChartStyles();
  return (
    <div className={classes.srOnly}>
      <table>{props.children}</table>
    </div>
  );
}
