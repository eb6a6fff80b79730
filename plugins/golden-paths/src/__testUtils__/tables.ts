import { within } from '@testing-library/react';

/**
 * Asserts that the table named `name` sits in a keyboard-reachable region named
 * "`name`, scrollable" and that all its cells keep their words whole: the theme breaks words
 * inside table cells, which on a narrow page split them a letter or two per line.
 */
export function expectScrollingWholeWordsTable(
  name: string,
  scope: HTMLElement = document.body,
) {
  const region = within(scope).getByRole('region', {
    name: `${name}, scrollable`,
  });
  expect(region).toHaveAttribute('tabIndex', '0');
  expect(region).toHaveStyle({ overflowX: 'auto' });
  const table = within(region).getByRole('table', { name });
  const cells = [
    ...within(table).getAllByRole('columnheader'),
    ...within(table).queryAllByRole('rowheader'),
    ...within(table).getAllByRole('cell'),
  ];
  for (const cell of cells) {
    expect(cell).toHaveStyle({ wordBreak: 'normal' });
  }
  return table;
}
