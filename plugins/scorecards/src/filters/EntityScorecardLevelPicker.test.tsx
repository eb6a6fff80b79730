import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityKindFilter,
  EntityListProvider,
} from '@backstage/plugin-catalog-react';
import {
  MockEntityListContextProvider,
  catalogApiMock,
} from '@backstage/plugin-catalog-react/testUtils';
import { EntityScorecardLevelFilter } from './EntityScorecardLevelFilter';
import { EntityScorecardLevelPicker } from './EntityScorecardLevelPicker';

jest.setTimeout(30_000);

const FIELD = 'metadata.labels.ops.example.com/maturity-level';

function facetsApi() {
  return catalogApiMock.mock({
    getEntityFacets: jest.fn(async () => ({
      facets: {
        [FIELD]: [
          { value: 'L1', count: 4 },
          { value: 'L2', count: 2 },
          { value: 'none', count: 1 },
        ],
      },
    })),
  });
}

describe('EntityScorecardLevelPicker', () => {
  it('offers every level in ladder order with its name and count, and sets the filter', async () => {
    const catalogApi = facetsApi();
    const updateFilters = jest.fn();
    await renderInTestApp(
      <MockEntityListContextProvider
        value={{
          updateFilters,
          filters: { kind: new EntityKindFilter('component', 'Component') },
          queryParameters: {},
        }}
      >
        <EntityScorecardLevelPicker />
      </MockEntityListContextProvider>,
      { apis: [catalogApi] },
    );
    const user = userEvent.setup();
    const input = await screen.findByRole('textbox');
    await user.click(input);
    const listbox = await screen.findByRole('listbox');
    await waitFor(() =>
      expect(
        within(listbox)
          .getAllByRole('option')
          .map(o => o.textContent),
      ).toEqual([
        'L0 · Registered (0)',
        'L1 · Operable (4)',
        'L2 · Production-ready (2)',
        'L3 · Tier-1 ready (0)',
        'none · L0 not met (1)',
        'not-rated (0)',
      ]),
    );
    expect(catalogApi.getEntityFacets).toHaveBeenCalledWith({
      facets: [FIELD],
      filter: { kind: 'component' },
    });
    // No level selected: no filter.
    expect(updateFilters).toHaveBeenLastCalledWith({
      scorecardLevel: undefined,
    });

    await user.click(within(listbox).getByText('L1 · Operable (4)'));
    await user.click(within(listbox).getByText('none · L0 not met (1)'));
    await waitFor(() =>
      expect(updateFilters).toHaveBeenLastCalledWith({
        scorecardLevel: new EntityScorecardLevelFilter(['L1', 'none']),
      }),
    );
  });

  it('restores the levels from the URL and ignores unknown values', async () => {
    const updateFilters = jest.fn();
    await renderInTestApp(
      <MockEntityListContextProvider
        value={{
          updateFilters,
          queryParameters: { scorecardLevel: ['L2', 'gold'] } as any,
        }}
      >
        <EntityScorecardLevelPicker />
      </MockEntityListContextProvider>,
      { apis: [facetsApi()] },
    );
    await waitFor(() =>
      expect(updateFilters).toHaveBeenLastCalledWith({
        scorecardLevel: new EntityScorecardLevelFilter(['L2']),
      }),
    );
    expect(
      await screen.findByRole('button', { name: 'L2 · Production-ready' }),
    ).toBeInTheDocument();
  });

  it('makes the catalog ask the backend for the label (server-side filtering)', async () => {
    const streamEntities = jest.fn(async function* stream() {
      yield [];
    });
    const catalogApi = catalogApiMock.mock({
      getEntityFacets: jest.fn(async () => ({ facets: { [FIELD]: [] } })),
      streamEntities: streamEntities as any,
    });
    await renderInTestApp(
      <EntityListProvider>
        <EntityScorecardLevelPicker initialFilter={['L0', 'none']} />
      </EntityListProvider>,
      { apis: [catalogApi] },
    );
    await waitFor(() =>
      expect(streamEntities).toHaveBeenCalledWith(
        expect.objectContaining({
          query: { [FIELD]: { $in: ['L0', 'none'] } },
        }),
      ),
    );
  });
});
