import TableCell, { TableCellProps } from '@material-ui/core/TableCell';

/**
 * A table cell that keeps its words whole. Backstage's theme lets table cells break inside words
 * (`word-break: break-word`), so on a narrow page the calculators list shrank its columns to a
 * few letters each; with whole words (and the columns' minimum widths) the table keeps its width
 * and the region around it scrolls sideways. Set inline, so the theme's rule cannot win by the
 * order of the style sheets (the scorecards tables do the same).
 */
export function WholeWordsCell(props: TableCellProps) {
  return (
    <TableCell {...props} style={{ wordBreak: 'normal', ...props.style }} />
  );
}
