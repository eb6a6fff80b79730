import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithEntity } from '../__testUtils__/renderWithEntity';
import {
  FakeIncidentBriefApi,
  SCRIPT_URL,
  T,
  v7Changes,
} from '../__testUtils__/fixtures';
import { EntityLastChangeCard, NO_CHANGES_TEXT } from './LastChangeCard';

// the full test app renders slowly on a busy machine; 5 s is not enough there
jest.setTimeout(30_000);

/** Fakes only Date (at `now`): the app's timers and testing-library's waits run as usual. */
function fakeDateOnly(now: number) {
  jest.useFakeTimers({
    now,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}

describe('EntityLastChangeCard', () => {
  it('shows the ledger timeline of the entity and its dependencies with risk', async () => {
    const { api } = await renderWithEntity(<EntityLastChangeCard />);
    const timeline = await screen.findByRole('list', {
      name: 'Changes in window',
    });
    const items = within(timeline).getAllByTestId('change-item');
    expect(items).toHaveLength(3);
    expect(items[0]).toHaveTextContent('feature-flag');
    expect(items[0]).toHaveTextContent(
      'checkout.split-tender release 0 → 100 %',
    );
    expect(items[0]).toHaveTextContent('ana.ruiz · succeeded');
    expect(items[0]).toHaveTextContent('⚑ within 60 min');
    expect(
      within(items[0]).getByLabelText('risk Medium 11'),
    ).toBeInTheDocument();
    expect(items[1]).toHaveTextContent('inventory-service (dependency, hop 1)');
    // Each change names its entity as a link to the entity's page.
    expect(
      within(items[1]).getByRole('link', { name: 'inventory-service' }),
    ).toHaveAttribute(
      'href',
      expect.stringMatching(
        /\/catalog\/default\/component\/inventory-service$/,
      ),
    );
    expect(within(items[1]).getByLabelText('risk High 13')).toBeInTheDocument();
    expect(screen.getByTestId('last-change')).toHaveTextContent(
      'feature-flag · checkout.split-tender',
    );
    expect(api.calls[0]).toMatchObject({
      method: 'getChanges',
      query: { window: '24h', scope: 'dependencies' },
    });
  });

  it('labels a change that was running at T, finished since, as running at T', async () => {
    const api = new FakeIncidentBriefApi();
    api.changes = {
      ...v7Changes,
      items: [{ ...v7Changes.items[0], runningAtT: true }],
    };
    await renderWithEntity(<EntityLastChangeCard />, { api });
    const timeline = await screen.findByRole('list', {
      name: 'Changes in window',
    });
    const [item] = within(timeline).getAllByTestId('change-item');
    expect(item).toHaveTextContent('⚑ running at T');
    expect(item).not.toHaveTextContent('within 60 min');
  });

  it('says the last successful deploy is timed by when it finished (the timeline places it where it started)', async () => {
    const api = new FakeIncidentBriefApi();
    api.changes = v7Changes;
    await renderWithEntity(<EntityLastChangeCard />, { api });
    const line = (await screen.findByText(/Last successful deploy:/))
      .parentElement!;
    expect(line.textContent).toBe(
      `Last successful deploy: ${
        v7Changes.lastSuccessfulDeploy!.summary
      } · finished ${line.textContent!.split(' · finished ')[1]}`,
    );
    expect(line.textContent).toMatch(/ · finished \d/);
  });

  it('links a change to its source only when that is a web link', async () => {
    const api = new FakeIncidentBriefApi();
    const [first, second, third] = v7Changes.items;
    const withUrl = (item: typeof first, url: string) => ({
      ...item,
      change: { ...item.change, source: { ...item.change.source, url } },
    });
    api.changes = {
      ...v7Changes,
      items: [
        withUrl(first, SCRIPT_URL),
        withUrl(second, 'https://ci.shop.example/runs/L4'),
        third,
      ],
    };
    await renderWithEntity(<EntityLastChangeCard />, { api });
    const timeline = await screen.findByRole('list', {
      name: 'Changes in window',
    });
    const items = within(timeline).getAllByTestId('change-item');
    expect(items).toHaveLength(3);
    expect(items[0]).toHaveTextContent(
      'checkout.split-tender release 0 → 100 %',
    );
    // The script URL is not linked; the only link is the change's entity.
    expect(
      within(items[0])
        .queryAllByRole('link')
        .map(a => a.textContent),
    ).toEqual(['checkout-service']);
    expect(
      within(items[1]).getByRole('link', {
        name: /^reservation\.hold-ttl 15m → 5m, global/,
      }),
    ).toHaveAttribute('href', 'https://ci.shop.example/runs/L4');
  });

  it('says how long ago each change was, relative to now', async () => {
    fakeDateOnly(Date.parse(T) + 30 * 60_000);
    try {
      await renderWithEntity(<EntityLastChangeCard />);
      const timeline = await screen.findByRole('list', {
        name: 'Changes in window',
      });
      // the flag flip was 25 min before T, and it is now 30 min after T
      expect(
        within(timeline).getAllByTestId('change-item')[0],
      ).toHaveTextContent('55 min ago');
      expect(screen.getByTestId('last-change')).toHaveTextContent(
        'checkout.split-tender release 0 → 100 % · 55 min ago',
      );
    } finally {
      jest.useRealTimers();
    }
  });

  it('reads the changes again on a page left open, keeping the list meanwhile: a rollback that landed since appears', async () => {
    fakeDateOnly(Date.parse(T));
    try {
      const api = new FakeIncidentBriefApi();
      await renderWithEntity(<EntityLastChangeCard />, { api });
      await screen.findByRole('list', { name: 'Changes in window' });
      const first = v7Changes.items[0];
      api.changes = {
        ...v7Changes,
        items: [
          {
            ...first,
            change: {
              ...first.change,
              id: 'rollback-1',
              summary: 'rollback to 4.2.0',
            },
          },
          ...v7Changes.items,
        ],
      };
      // the tab comes back two minutes later (the minute timer does the same while visible)
      jest.setSystemTime(Date.parse(T) + 2 * 60_000);
      act(() => {
        document.dispatchEvent(new Event('visibilitychange'));
      });
      await waitFor(() =>
        expect(api.calls.filter(c => c.method === 'getChanges')).toHaveLength(
          2,
        ),
      );
      await waitFor(() =>
        expect(
          within(
            screen.getByRole('list', { name: 'Changes in window' }),
          ).getByText('rollback to 4.2.0'),
        ).toBeInTheDocument(),
      );
    } finally {
      jest.useRealTimers();
    }
  });

  it('asks again for the chosen window and scope, and labels dependents’ changes as such', async () => {
    const api = new FakeIncidentBriefApi();
    const { items } = api.changes as typeof v7Changes;
    api.changes = {
      ...v7Changes,
      scope: 'both',
      items: [
        items[0],
        {
          ...items[1],
          relation: 'dependent',
          entityRef: 'component:default/web-storefront',
        },
        {
          ...items[2],
          hop: 2,
          relation: 'dependency',
          entityRef: 'resource:default/checkout-db',
        },
      ],
    };
    await renderWithEntity(<EntityLastChangeCard />, { api });
    await screen.findByRole('list', { name: 'Changes in window' });
    const user = userEvent.setup();

    await user.click(screen.getByLabelText('Window'));
    await user.click(await screen.findByRole('option', { name: '7d' }));
    await waitFor(() =>
      expect(api.calls.at(-1)?.query).toMatchObject({
        window: '7d',
        scope: 'dependencies',
      }),
    );
    const group = screen.getByRole('group', { name: 'Whose changes' });
    await user.click(within(group).getByRole('button', { name: 'both' }));
    await waitFor(() =>
      expect(api.calls.at(-1)?.query).toMatchObject({
        window: '7d',
        scope: 'both',
      }),
    );
    expect(
      screen.getByText(
        /Changes in the last 7d, this entity, its dependencies and what depends on it/,
      ),
    ).toBeInTheDocument();
    const listed = within(
      await screen.findByRole('list', { name: 'Changes in window' }),
    ).getAllByTestId('change-item');
    expect(listed[1]).toHaveTextContent('web-storefront (dependent, hop 1)');
    expect(listed[2]).toHaveTextContent('checkout-db (dependency, hop 2)');
  });

  it('opens the risk reasons and floors from the keyboard (IB §5: never a bare number)', async () => {
    const api = new FakeIncidentBriefApi();
    const [first, ...rest] = v7Changes.items;
    api.changes = {
      ...v7Changes,
      items: [
        {
          ...first,
          risk: {
            ...first.risk!,
            dimensions: [
              {
                id: 'D4',
                value: 3,
                unknown: false,
                reason: 'one step to 100 %',
              },
            ],
            floorsApplied: ['F1'],
          },
        },
        ...rest,
      ],
    };
    // jsdom never matches :focus-visible, which a browser does for keyboard focus; MUI opens
    // the tooltip on focus only when it matches
    const matches = Element.prototype.matches;
    const focusVisible = jest
      .spyOn(Element.prototype, 'matches')
      .mockImplementation(function keyboardFocus(this: Element, selector) {
        return selector === ':focus-visible'
          ? this === document.activeElement
          : matches.call(this, selector);
      });
    try {
      await renderWithEntity(<EntityLastChangeCard />, { api });
      const chip = await screen.findByLabelText('risk Medium 11');
      const user = userEvent.setup();
      // from the last control above the timeline: the first change's entity, then its risk
      screen.getByRole('button', { name: 'both' }).focus();
      await user.tab();
      expect(
        screen.getAllByRole('link', { name: 'checkout-service' })[0],
      ).toHaveFocus();
      await user.tab();
      expect(chip).toHaveFocus();
      const tooltip = await screen.findByRole('tooltip');
      expect(tooltip).toHaveTextContent('D4: one step to 100 %');
      expect(tooltip).toHaveTextContent('floors: F1 irreversible-on-critical');
    } finally {
      focusVisible.mockRestore();
    }
  });

  it('has an empty state when nothing changed', async () => {
    const api = new FakeIncidentBriefApi();
    api.changes = {
      ...v7Changes,
      items: [],
      lastChange: null,
      lastSuccessfulDeploy: null,
    };
    await renderWithEntity(<EntityLastChangeCard />, { api });
    expect(
      await screen.findByText(new RegExp(NO_CHANGES_TEXT)),
    ).toBeInTheDocument();
  });

  it('says changes are unknown when the ledger is down', async () => {
    const api = new FakeIncidentBriefApi();
    api.changes = {
      ...v7Changes,
      items: [],
      ledger: {
        available: false,
        cause: 'timeout',
        since: '2026-03-14T02:00:00Z',
      },
    };
    await renderWithEntity(<EntityLastChangeCard />, { api });
    expect(
      (await screen.findAllByText(/changes are unknown, not none/)).length,
    ).toBeGreaterThan(0);
    // Since when, in the form every other time on the card takes.
    expect(
      screen.getAllByText(/\(timeout since 2026-03-14 02:00 UTC\)/).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByText(new RegExp(NO_CHANGES_TEXT))).toBeNull();
  });

  it('says how many changes were withheld because their entity may not be read', async () => {
    const api = new FakeIncidentBriefApi();
    api.changes = { ...v7Changes, restricted: 2 };
    await renderWithEntity(<EntityLastChangeCard />, { api });
    const timeline = await screen.findByRole('list', {
      name: 'Changes in window',
    });
    expect(within(timeline).getAllByTestId('change-item')).toHaveLength(3);
    expect(screen.getByTestId('withheld-changes')).toHaveTextContent(
      '2 more changes, of entities you may not read, are not shown.',
    );
  });

  it('does not claim nothing changed when every change was withheld', async () => {
    const api = new FakeIncidentBriefApi();
    api.changes = {
      ...v7Changes,
      items: [],
      lastChange: null,
      lastSuccessfulDeploy: null,
      restricted: 1,
    };
    await renderWithEntity(<EntityLastChangeCard />, { api });
    expect(await screen.findByTestId('withheld-changes')).toHaveTextContent(
      '1 more change, of an entity you may not read, is not shown.',
    );
    expect(screen.queryByText(new RegExp(NO_CHANGES_TEXT))).toBeNull();
  });

  it('says a withheld last change is restricted, not none (a System member the caller may not read)', async () => {
    const api = new FakeIncidentBriefApi();
    api.changes = {
      ...v7Changes,
      items: [],
      lastChange: null,
      lastSuccessfulDeploy: null,
      restricted: 2,
      latestRestricted: ['lastChange', 'lastSuccessfulDeploy'],
    };
    await renderWithEntity(<EntityLastChangeCard />, { api });
    expect(await screen.findByTestId('last-change')).toHaveTextContent(
      'Last change: restricted (about an entity you may not read)',
    );
    expect(
      screen.getByText(/Last successful deploy:/).parentElement,
    ).toHaveTextContent(
      'Last successful deploy: restricted (about an entity you may not read)',
    );
    expect(screen.queryByText(/none recorded/)).toBeNull();
  });

  it('wraps a last change or deploy whose summary is one long token (an image digest)', async () => {
    const digest = `registry.example/checkout@sha256:${'a1b2c3d4'.repeat(8)}`;
    const api = new FakeIncidentBriefApi();
    api.changes = {
      ...v7Changes,
      lastChange: { ...v7Changes.lastChange!, summary: digest },
      lastSuccessfulDeploy: {
        ...v7Changes.lastSuccessfulDeploy!,
        summary: digest,
      },
    };
    await renderWithEntity(<EntityLastChangeCard />, { api });
    const lastChange = await screen.findByTestId('last-change');
    expect(lastChange).toHaveTextContent(digest);
    expect(getComputedStyle(lastChange).overflowWrap).toBe('anywhere');
    const deploy = screen.getByText(/Last successful deploy:/).parentElement!;
    expect(deploy).toHaveTextContent(digest);
    expect(getComputedStyle(deploy).overflowWrap).toBe('anywhere');
  });
});
