import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  FakeScorecardsApi,
  responseError,
  waiver,
} from '../../__testUtils__/fixtures';
import { WaiverQuery, scorecardsApiRef } from '../../api';
import { PendingWaivers } from './PendingWaivers';

jest.setTimeout(30_000);

/**
 * The fake API, paged as `GET /waivers` pages: `limit` and `cursor` answer at most `limit`
 * waivers (100 with only a cursor) and `nextCursor` while more match; neither answers all.
 */
class PagedScorecardsApi extends FakeScorecardsApi {
  /** Error the next paged read after the first answers with (then cleared). */
  pageError?: Error;

  async listWaivers(query: WaiverQuery = {}) {
    const all = await super.listWaivers(query);
    if (query.limit === undefined && query.cursor === undefined) return all;
    if (query.cursor && this.pageError) {
      const error = this.pageError;
      this.pageError = undefined;
      throw error;
    }
    const start = query.cursor
      ? all.items.findIndex(w => w.id === query.cursor) + 1
      : 0;
    const end = start + (query.limit ?? 100);
    const items = all.items.slice(start, end);
    return end < all.items.length
      ? { ...all, items, nextCursor: items[items.length - 1].id }
      : { ...all, items };
  }
}

/** `n` pending waivers, each on its own check (the buttons are named by check). */
function pendingWaivers(n: number) {
  return Array.from({ length: n }, (_, i) =>
    waiver({
      id: `w${i + 1}`,
      checkId: `check-${i + 1}`,
      status: 'pending',
      approvedBy: undefined,
    }),
  );
}

async function renderQueue(api: FakeScorecardsApi) {
  await renderInTestApp(<PendingWaivers />, {
    apis: [
      [scorecardsApiRef, api],
      mockApis.identity({ userEntityRef: 'user:default/plat-lead' }),
    ],
  });
  const section = await screen.findByRole('region', {
    name: /Pending waivers/,
  });
  const table = await within(section).findByRole('table', {
    name: 'Pending waivers',
  });
  const rows = () => within(table).getAllByRole('row').slice(1);
  return { section, table, rows };
}

describe('PendingWaivers', () => {
  it('shows the first 50 pending waivers and reads the next page on "Show more"', async () => {
    const api = new PagedScorecardsApi();
    api.waivers = pendingWaivers(120);
    const { section, rows } = await renderQueue(api);
    expect(rows()).toHaveLength(50);
    // No total is known: the heading says how many are shown and that more are pending.
    expect(
      within(section).getByRole('heading', { level: 2 }),
    ).toHaveTextContent('Pending waivers (50 shown, more pending)');
    expect(api.calls.filter(c => c.method === 'listWaivers')).toEqual([
      {
        method: 'listWaivers',
        arg: JSON.stringify({ status: 'pending', limit: 50 }),
      },
    ]);

    const user = userEvent.setup();
    await user.click(
      within(section).getByRole('button', { name: 'Show more' }),
    );
    await waitFor(() => expect(rows()).toHaveLength(100));
    expect(rows()[50]).toHaveAttribute('data-testid', 'waiver-w51');
    // the first waiver read takes the focus, below which the button moved
    expect(rows()[50]).toHaveFocus();
    expect(
      within(section).getByRole('heading', { level: 2 }),
    ).toHaveTextContent('Pending waivers (100 shown, more pending)');
    expect(api.calls.at(-1)).toEqual({
      method: 'listWaivers',
      arg: JSON.stringify({ status: 'pending', limit: 50, cursor: 'w50' }),
    });

    await user.click(
      within(section).getByRole('button', { name: 'Show more' }),
    );
    await waitFor(() => expect(rows()).toHaveLength(120));
    // The last page: the count is the whole queue, and nothing is left to show.
    expect(
      within(section).getByRole('heading', { level: 2 }),
    ).toHaveTextContent(/^Pending waivers \(120\)$/);
    expect(
      within(section).queryByRole('button', { name: 'Show more' }),
    ).toBeNull();
    // the button is gone: the focus is on the first waiver of the last page
    expect(rows()[100]).toHaveFocus();
  });

  it('counts a queue of one page without "more pending" and offers no "Show more"', async () => {
    const api = new PagedScorecardsApi();
    api.waivers = pendingWaivers(3);
    const { section, rows } = await renderQueue(api);
    expect(rows()).toHaveLength(3);
    expect(
      within(section).getByRole('heading', { level: 2 }),
    ).toHaveTextContent(/^Pending waivers \(3\)$/);
    expect(
      within(section).queryByRole('button', { name: 'Show more' }),
    ).toBeNull();
  });

  it('keeps the pages shown when a decision reloads the queue', async () => {
    const api = new PagedScorecardsApi();
    api.waivers = pendingWaivers(120);
    const { section, table, rows } = await renderQueue(api);
    const user = userEvent.setup();
    await user.click(
      within(section).getByRole('button', { name: 'Show more' }),
    );
    await waitFor(() => expect(rows()).toHaveLength(100));

    await user.click(
      within(table).getByRole('button', {
        name: 'Approve waiver on check-70',
      }),
    );
    await waitFor(() =>
      expect(within(table).queryByTestId('waiver-w70')).toBeNull(),
    );
    // Read again as far as shown: the approved waiver left, the next one moved up.
    expect(rows()).toHaveLength(100);
    expect(rows()[99]).toHaveAttribute('data-testid', 'waiver-w101');
    expect(
      within(section).getByRole('heading', { level: 2 }),
    ).toHaveTextContent('Pending waivers (100 shown, more pending)');
  });

  it('keeps the waivers shown when the next page cannot be read', async () => {
    const api = new PagedScorecardsApi();
    api.waivers = pendingWaivers(60);
    const { section, rows } = await renderQueue(api);
    api.pageError = await responseError(503, 'database unavailable');
    const user = userEvent.setup();
    await user.click(
      within(section).getByRole('button', { name: 'Show more' }),
    );
    expect(await within(section).findByRole('alert')).toHaveTextContent(
      /Could not load more pending waivers: .*database unavailable/,
    );
    expect(rows()).toHaveLength(50);
    await user.click(
      within(section).getByRole('button', { name: 'Show more' }),
    );
    await waitFor(() => expect(rows()).toHaveLength(60));
    expect(within(section).queryByRole('alert')).toBeNull();
  });
});
