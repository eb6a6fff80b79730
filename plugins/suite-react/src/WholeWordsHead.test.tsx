import { render, screen, within } from '@testing-library/react';
import Table from '@material-ui/core/Table';
import { WholeWordsHead } from './WholeWordsHead';

describe('WholeWordsHead', () => {
  it('writes one whole-word header cell per column, in order, with its least width and alignment', () => {
    render(
      <Table aria-label="Kill switches">
        <WholeWordsHead
          columns={[
            { label: 'Scope', minWidth: '6rem' },
            { label: 'Rollback class', minWidth: '8rem' },
            { label: <span>Count</span>, key: 'count', align: 'right' },
          ]}
        />
      </Table>,
    );
    const headers = within(screen.getByRole('table')).getAllByRole(
      'columnheader',
    );
    expect(headers.map(h => h.textContent)).toEqual([
      'Scope',
      'Rollback class',
      'Count',
    ]);
    expect(headers.map(h => h.style.wordBreak)).toEqual([
      'normal',
      'normal',
      'normal',
    ]);
    expect(headers.map(h => h.style.minWidth)).toEqual(['6rem', '8rem', '']);
    expect(headers[2].className).toMatch(/alignRight/);
  });
});
