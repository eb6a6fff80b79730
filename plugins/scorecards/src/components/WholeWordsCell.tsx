import TableCell, { TableCellProps } from '@material-ui/core/TableCell';

/**
 * A table cell that keeps its words whole. Backstage's theme lets table cells break inside words
 * (`word-break: break-word`), so the wide rollup and checks tables shrank their columns to a
 * letter each on a page narrower than the table ("E / nti / tie / s"); with whole words the
 * table keeps its width and the region around it scrolls sideways. Set inline, so the theme's
 * rule cannot win by the order of the style sheets.
 */
export function WholeWordsCell(props: TableCellProps) {
  return (
    <TableCell {...props} style={{ wordBreak: 'normal', ...props.style }} />
  );
}
