import { Profiler } from 'react';
import { act, fireEvent, screen } from '@testing-library/react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { FakeScorecardsApi, ownerRows } from '../__testUtils__/fixtures';
import { scorecardsApiRef } from '../api';
import { ScorecardsPageContent } from './ScorecardsPage';

/** Renders of a row's key cell: one per row drawn. */
let rowRenders = 0;
jest.mock('./RollupRowKey', () => {
  const actual = jest.requireActual('./RollupRowKey');
  const Actual = actual.RollupRowKey;
  return {
    ...actual,
    RollupRowKey: (props: any) => {
      rowRenders++;
      return <Actual {...props} />;
    },
  };
});

jest.setTimeout(60_000);

describe('the rollups text filter over many rows', () => {
  it('draws no row in the render of the keystroke itself, only the filtered rows after it', async () => {
    const api = new FakeScorecardsApi();
    api.rollups.system = Array.from({ length: 120 }, (_, i) => ({
      ...ownerRows[0],
      key: `system:default/sys-${String(i).padStart(3, '0')}`,
      kind: 'system' as const,
    }));
    const commits: number[] = [];
    let seen = 0;
    await renderInTestApp(
      <Profiler
        id="page"
        onRender={() => {
          commits.push(rowRenders - seen);
          seen = rowRenders;
        }}
      >
        <ScorecardsPageContent />
      </Profiler>,
      {
        apis: [
          [scorecardsApiRef, api],
          mockApis.identity({ userEntityRef: 'user:default/plat-lead' }),
        ],
      },
    );
    fireEvent.click(await screen.findByRole('button', { name: 'By system' }));
    await screen.findByText('120 rows', { exact: false });
    await act(async () => {});

    commits.length = 0;
    seen = rowRenders;
    // "sys-00": sys-000 … sys-009
    fireEvent.change(screen.getByLabelText('Filter by system'), {
      target: { value: 'sys-00' },
    });
    await act(async () => {});
    // the keystroke's own render (urgent) draws none of the 120 rows; the deferred one the 10
    expect(commits[0]).toBe(0);
    expect(commits.reduce((a, b) => a + b, 0)).toBe(10);
    expect(screen.getByTestId('rollup-headline').textContent).toContain(
      '10 rows',
    );
  });
});
