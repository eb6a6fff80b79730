import { render, screen, within } from '@testing-library/react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableRow from '@material-ui/core/TableRow';
import { ScrollRegion } from './ScrollRegion';
import { WholeWordsCell } from './WholeWordsCell';

describe('ScrollRegion and WholeWordsCell', () => {
  it('puts the table in a named, keyboard-reachable region that scrolls sideways, its cells keeping whole words', () => {
    render(
      <ScrollRegion label="Kill switches" minWidth="40rem">
        <Table aria-label="Kill switches">
          <TableBody>
            <TableRow>
              <WholeWordsCell style={{ minWidth: '6rem' }}>
                Scope
              </WholeWordsCell>
            </TableRow>
          </TableBody>
        </Table>
      </ScrollRegion>,
    );
    const region = screen.getByRole('region', {
      name: 'Kill switches, scrollable',
    });
    // No jest-dom in this package: the attribute and inline styles are read directly.
    expect(region.getAttribute('tabIndex')).toBe('0');
    expect(region.style.overflowX).toBe('auto');
    const table = within(region).getByRole('table', { name: 'Kill switches' });
    expect(table.parentElement!.style.minWidth).toBe('40rem');
    // The caller's style is kept alongside the whole-words rule.
    const cell = within(table).getByRole('cell', { name: 'Scope' });
    expect(cell.style.wordBreak).toBe('normal');
    expect(cell.style.minWidth).toBe('6rem');
  });

  it('shows shadows where the content scrolls only when asked, drawn for the surface it sits on', () => {
    const { rerender } = render(
      <ScrollRegion label="Rollups">
        <p>wide</p>
      </ScrollRegion>,
    );
    const region = () =>
      screen.getByRole('region', { name: 'Rollups, scrollable' });
    expect(getComputedStyle(region()).backgroundAttachment).toBe('');
    rerender(
      <ScrollRegion label="Rollups" scrollHint="page">
        <p>wide</p>
      </ScrollRegion>,
    );
    // Shadows fixed at the edges, covers moving with the content (and hiding a shadow at an end).
    expect(getComputedStyle(region()).backgroundAttachment).toBe(
      'local, local, scroll, scroll',
    );
    expect(region().style.overflowX).toBe('auto');
  });
});
