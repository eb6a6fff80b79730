import TableCell, { TableCellProps } from '@material-ui/core/TableCell';

/**
 * A table cell that keeps its words whole. Backstage's theme lets table cells break inside words
 * (`word-break: break-word`), so on a page narrower than a table its columns shrank to a few
 * letters each ("S c o p e", "Rollba ck class"); with whole words (and the columns' minimum
 * widths) the table keeps its width and the `ScrollRegion` around it scrolls sideways. Set
 * inline, so the theme's rule cannot win by the order of the style sheets.
 */
export function WholeWordsCell(props: TableCellProps) {
  return (
    <TableCell {...props} style={{ wordBreak: 'normal', ...props.style }} />
  );
}
