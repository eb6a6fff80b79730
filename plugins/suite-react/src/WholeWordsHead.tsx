import { ReactNode } from 'react';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { TableCellProps } from '@material-ui/core/TableCell';
import { WholeWordsCell } from './WholeWordsCell';

/** One column of a {@link WholeWordsHead}. */
export interface WholeWordsColumn {
  /** The header text (or node); also the React key unless `key` is given. */
  label: ReactNode;
  /** The key when `label` is not a string. */
  key?: string;
  /** The column's least width (a CSS length): its words stay whole, the region scrolls instead. */
  minWidth?: string | number;
  align?: TableCellProps['align'];
}

/**
 * The header row of a whole-word table, from its columns: each a {@link WholeWordsCell} with the
 * column's least width. The tables of the suite wrote this row cell by cell, each cell repeating
 * its style; a list of columns says the same in one place per table.
 */
export function WholeWordsHead(props: {
  columns: readonly WholeWordsColumn[];
}) {
  return (
    <TableHead>
      <TableRow>
        {props.columns.map((column, index) => (
          <WholeWordsCell
            key={
              column.key ??
              (typeof column.label === 'string' ? column.label : index)
            }
            align={column.align}
            style={
              column.minWidth === undefined
                ? undefined
                : { minWidth: column.minWidth }
            }
          >
            {column.label}
          </WholeWordsCell>
        ))}
      </TableRow>
    </TableHead>
  );
}
