import { act } from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { layOutScrollRegion } from '@internal/suite-react';
import userEvent from '@testing-library/user-event';
import {
  FakeGoldenPathsApi,
  findEnabledButton,
  killSwitchView,
  renderWithApi,
  responseError,
} from '../__testUtils__/fixtures';
import { expectScrollingWholeWordsTable } from '../__testUtils__/tables';
import { formatInstant } from './format';
import { KillSwitchesContent } from './KillSwitches';
import { untilInstant, untilProblem } from './KillSwitchDialog';

jest.setTimeout(30_000);

const REASON = 'Publish step leaks tokens, INC-5140';

async function rows() {
  const table = await screen.findByRole('table', { name: 'Kill switches' });
  return within(table).getAllByTestId('kill-switch-row');
}

async function fill(
  user: ReturnType<typeof userEvent.setup>,
  dialog: HTMLElement,
  fields: { id?: string; reason?: string; until?: string },
) {
  if (fields.id !== undefined) {
    await user.click(within(dialog).getByRole('textbox', { name: /Template/ }));
    await user.paste(fields.id);
  }
  if (fields.reason !== undefined) {
    await user.click(within(dialog).getByRole('textbox', { name: /Reason/ }));
    await user.paste(fields.reason);
  }
  if (fields.until !== undefined) {
    await user.type(
      within(dialog).getByLabelText(/Lift automatically at/),
      fields.until,
    );
  }
}

async function openNew(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await findEnabledButton('Disable or lift a switch…'));
  return screen.findByRole('dialog', { name: 'Disable or lift a kill switch' });
}

describe('KillSwitchesContent', () => {
  it('says so when the config switches could not be read, and still lists the runtime ones', async () => {
    const api = new FakeGoldenPathsApi();
    const error =
      'the config kill switches could not be read, so they are not listed and real runs are refused until the config is fixed: goldenPaths.killSwitch.all.disabled must be true or false, got "yes"';
    const view = killSwitchView();
    api.killSwitches = {
      ...view,
      sources: { ...view.sources, config: { templates: {}, actions: {} } },
      configError: error,
    };
    await renderWithApi(<KillSwitchesContent />, api);
    expect(
      await screen.findByTestId('kill-switch-config-error'),
    ).toHaveTextContent(`Only the switches set here are listed: ${error}`);
    expect(await rows()).toHaveLength(view.sources.runtime.length);
  });

  it('does not say every path may run when no runtime switch is set and the config is unreadable', async () => {
    const api = new FakeGoldenPathsApi();
    api.killSwitches = {
      all: { disabled: false },
      templates: {},
      actions: {},
      sources: { config: { templates: {}, actions: {} }, runtime: [] },
      configError: 'the config kill switches could not be read: x',
    };
    await renderWithApi(<KillSwitchesContent />, api);
    expect(
      await screen.findByTestId('kill-switch-config-error'),
    ).toBeInTheDocument();
    expect(screen.queryByText('No kill switch is set')).not.toBeInTheDocument();
  });

  it('lists every switch with its source; config switches are read-only and say why', async () => {
    const api = new FakeGoldenPathsApi();
    await renderWithApi(<KillSwitchesContent />, api);
    const [config, runtime] = await rows();
    expect(api.calls).toEqual(['getKillSwitches']);
    // Whole words in a region that scrolls sideways: at 390 px the columns no longer shrink to a
    // letter per line ("S c o p e") and the page keeps its width.
    expectScrollingWholeWordsTable('Kill switches');

    expect(config).toHaveTextContent('template');
    expect(config).toHaveTextContent('worker-node');
    expect(config).toHaveTextContent('disabled');
    expect(config).toHaveTextContent('CI workflow v3.4.1 broken (INC-5120)');
    expect(config).toHaveTextContent('2026-11-23 09:30 UTC');
    expect(config).toHaveTextContent('config');
    // One sentence: why a runtime switch cannot lift it is the page's introduction, not every
    // config row's (it made each row ~11 lines tall in the 7rem Action column).
    expect(config.lastElementChild).toHaveTextContent(
      /^Read-only: set in the app config \(goldenPaths\.killSwitch\); change it there\.$/,
    );
    expect(
      screen.getByText(/a path is off when either says so/),
    ).toBeInTheDocument();
    // The config key may wrap after its dot rather than hold the column wide.
    expect(within(config).getByText('goldenPaths.').nextSibling?.nodeName).toBe(
      'WBR',
    );
    expect(within(config).queryByRole('button')).not.toBeInTheDocument();

    expect(runtime).toHaveTextContent('action');
    expect(runtime).toHaveTextContent('goldenpath:register');
    // The action id may wrap after its colon.
    expect(
      [
        ...within(runtime).getByText('goldenpath:register', {
          selector: 'code',
        }).childNodes,
      ].map(n => n.nodeName),
    ).toEqual(['#text', 'WBR', '#text']);
    expect(runtime).toHaveTextContent(
      '2026-11-23 11:00 UTC by user:default/fatima.haddad',
    );
    expect(runtime).toHaveTextContent(
      formatInstant(api.killSwitches.sources.runtime[0].until!),
    );
    expect(runtime).toHaveTextContent('runtime');
    // goldenpaths.killswitch.manage is allowed (the test app's permission API): every button
    // that changes a switch is enabled, and nothing says it is denied.
    await findEnabledButton('Lift goldenpath:register', within(runtime));
    await findEnabledButton('Disable or lift a switch…');
    expect(screen.queryByTestId('permission-denied-note')).toBeNull();
  });

  it('keeps the columns within 60rem, so the table and its Action column fit a 976 px card', async () => {
    await renderWithApi(<KillSwitchesContent />, new FakeGoldenPathsApi());
    const table = await screen.findByRole('table', { name: 'Kill switches' });
    const widths = within(table)
      .getAllByRole('columnheader')
      .map(h => h.style.minWidth);
    expect(widths).toHaveLength(8);
    const rem = widths.map(w => {
      expect(w).toMatch(/^[\d.]+rem$/);
      return parseFloat(w);
    });
    expect(rem.reduce((sum, w) => sum + w, 0)).toBeLessThanOrEqual(60);
  });

  it('lets who set a switch wrap after the ref\'s ":" and "/", which held Since wider than its column', async () => {
    await renderWithApi(<KillSwitchesContent />, new FakeGoldenPathsApi());
    const [, runtime] = await rows();
    const since = within(runtime).getByText(/by user:/);
    expect(since.innerHTML).toContain('user:<wbr>default/<wbr>fatima.haddad');
  });

  it('shadows the side of the table scrolled out of view', async () => {
    await renderWithApi(<KillSwitchesContent />, new FakeGoldenPathsApi());
    await rows();
    const region = screen.getByRole('region', {
      name: 'Kill switches, scrollable',
    });
    // jsdom lays nothing out: the sizes a browser gives the table in a narrow card
    layOutScrollRegion(region, {
      scrollWidth: 920,
      clientWidth: 700,
      scrollLeft: 0,
    });
    fireEvent.scroll(region);
    expect(screen.getByTestId('scroll-shadow-right')).toBeInTheDocument();
    expect(screen.queryByTestId('scroll-shadow-left')).not.toBeInTheDocument();
  });

  it('shows a runtime switch past its end as lifted', async () => {
    const api = new FakeGoldenPathsApi();
    const view = killSwitchView();
    view.sources.runtime[0].until = '2020-01-01T00:00:00.000Z';
    api.killSwitches = view;
    await renderWithApi(<KillSwitchesContent />, api);
    const runtime = (await rows())[1];
    expect(runtime).toHaveTextContent('lifted (end passed)');
    expect(
      within(runtime).getByRole('button', {
        name: 'Disable goldenpath:register',
      }),
    ).toBeInTheDocument();
  });

  it('shows a runtime switch as lifted once its end passes on a page left open', async () => {
    jest.useFakeTimers({
      now: Date.parse('2026-12-06T12:00:00Z'),
      advanceTimers: true,
    });
    try {
      const api = new FakeGoldenPathsApi();
      const view = killSwitchView();
      view.sources.runtime[0].until = '2026-12-06T12:01:00.000Z';
      api.killSwitches = view;
      await renderWithApi(<KillSwitchesContent />, api);
      expect((await rows())[1]).not.toHaveTextContent('lifted (end passed)');
      await act(async () => {
        jest.advanceTimersByTime(2 * 60_000);
      });
      expect((await rows())[1]).toHaveTextContent('lifted (end passed)');
    } finally {
      jest.useRealTimers();
    }
  });

  it.each([
    ['2099-12-01T09:30Z', undefined],
    ['9999-12-31T23:30Z', undefined],
    ['', 'Give a date and time, or leave it empty.'],
    ['2020-01-01T00:00Z', 'The end must be in the future.'],
    // the last evening of 9999 west of UTC is year 10000 in UTC, which the backend refuses
    [
      '9999-12-31T23:30-05:00',
      'Pick an end before the year 10000 (UTC), or leave it empty for a switch without an end.',
    ],
  ])('an end of %j: %s', (local, problem) => {
    expect(untilProblem(local, Date.parse('2026-12-06T12:00:00Z'))).toBe(
      problem,
    );
  });

  it('validates the reason and the id before sending, then disables a template until a time', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    await renderWithApi(<KillSwitchesContent />, api);
    const dialog = await openNew(user);

    await fill(user, dialog, { reason: 'too short' });
    await user.click(within(dialog).getByRole('button', { name: 'Disable' }));
    expect(
      within(dialog).getByText(
        'Reason must be at least 10 characters (9 so far).',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'Name the template (its metadata.name, e.g. service-node-http).',
      ),
    ).toBeInTheDocument();
    expect(api.killSwitchPuts).toEqual([]);

    await user.clear(within(dialog).getByRole('textbox', { name: /Reason/ }));
    const until = '2099-12-01T09:30';
    await fill(user, dialog, {
      id: 'service-node-http',
      reason: REASON,
      until,
    });
    await user.click(within(dialog).getByRole('button', { name: 'Disable' }));

    expect(await screen.findByTestId('kill-switch-done')).toHaveTextContent(
      'service-node-http is disabled; every replica stops it within 5 seconds.',
    );
    expect(api.killSwitchPuts).toEqual([
      {
        scope: 'template',
        id: 'service-node-http',
        input: { disabled: true, reason: REASON, until: untilInstant(until) },
      },
    ]);
    expect(untilInstant(until)).toBe(new Date(until).toISOString());
    // the page reads the switches again and lists the new one
    await waitFor(async () =>
      expect((await rows()).map(r => r.textContent)).toEqual(
        expect.arrayContaining([expect.stringContaining('service-node-http')]),
      ),
    );
    expect(api.calls.filter(c => c === 'getKillSwitches')).toHaveLength(2);
  });

  it('warns before disabling a template no Template in the catalog is named after, and still sends it', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    api.lastDryRuns['template/servce-node-http'] = {
      scope: 'template',
      id: 'servce-node-http',
      covers: { kind: 'templates', templates: [] },
    };
    await renderWithApi(<KillSwitchesContent />, api);
    const dialog = await openNew(user);
    await fill(user, dialog, { id: 'servce-node-http', reason: REASON });
    await within(dialog).findByTestId('kill-switch-covers-nothing');
    // read with the field when the user goes back to fix the name
    expect(
      within(dialog).getByRole('textbox', { name: /Template/ }),
    ).toHaveAccessibleDescription(
      expect.stringContaining('a switch under this name stops nothing'),
    );
    expect(
      await within(dialog).findByTestId('kill-switch-covers-nothing'),
    ).toHaveTextContent(
      'No template named servce-node-http is in the catalog: a switch under this name stops nothing until a template with this metadata.name is registered. Check the name.',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Disable' }));
    await screen.findByTestId('kill-switch-done');
    expect(api.killSwitchPuts).toHaveLength(1);

    // a name the catalog has: no warning
    const again = await openNew(user);
    await fill(user, again, { id: 'service-node-http', reason: REASON });
    await waitFor(() =>
      expect(api.calls).toContain('getLastDryRun:template/service-node-http'),
    );
    await act(async () => {});
    expect(
      within(again).queryByTestId('kill-switch-covers-nothing'),
    ).not.toBeInTheDocument();
  });

  it('lifts a runtime switch from its row', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    await renderWithApi(<KillSwitchesContent />, api);
    const runtime = (await rows())[1];
    await user.click(
      await findEnabledButton('Lift goldenpath:register', within(runtime)),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Lift goldenpath:register',
    });
    // the row's switch, shown and fixed: nothing to type again
    const scope = within(dialog).getByRole('button', { name: /Scope/ });
    expect(scope).toHaveTextContent('One action (action id)');
    expect(scope).toHaveAttribute('aria-disabled', 'true');
    const id = within(dialog).getByRole('textbox', { name: /Action id/ });
    expect(id).toHaveValue('goldenpath:register');
    expect(id).toBeDisabled();
    expect(
      within(dialog).getByRole('radio', { name: 'Lift (allow again)' }),
    ).toBeChecked();
    // no end for a lift
    expect(
      within(dialog).queryByLabelText(/Lift automatically at/),
    ).not.toBeInTheDocument();
    await fill(user, dialog, { reason: 'Import storm is over (INC-5131)' });
    await user.click(within(dialog).getByRole('button', { name: 'Lift' }));
    expect(await screen.findByTestId('kill-switch-done')).toHaveTextContent(
      'The runtime switch on goldenpath:register is lifted.',
    );
    expect(api.killSwitchPuts).toEqual([
      {
        scope: 'action',
        id: 'goldenpath:register',
        input: { disabled: false, reason: 'Import storm is over (INC-5131)' },
      },
    ]);
  });

  it('shows the backend refusal in the dialog, which stays open; a 403 names the permission', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    const refusal =
      'id "Service-Node-HTTP" is not a template name: a template switch matches the template\'s metadata.name exactly, 1–63 lower-case letters, digits and - _ . starting and ending with a letter or digit (for example service-node-http); did you mean "service-node-http"?';
    api.killSwitchError = await responseError(400, 'InputError', refusal);
    await renderWithApi(<KillSwitchesContent />, api);
    const dialog = await openNew(user);
    await fill(user, dialog, { id: 'Service-Node-HTTP', reason: REASON });
    await user.click(within(dialog).getByRole('button', { name: 'Disable' }));
    expect(
      await within(dialog).findByTestId('kill-switch-server-error'),
    ).toHaveTextContent(refusal);
    expect(screen.queryByTestId('kill-switch-done')).not.toBeInTheDocument();

    api.killSwitchError = await responseError(
      403,
      'NotAllowedError',
      'goldenpaths.killswitch.manage is not allowed',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Disable' }));
    await waitFor(() =>
      expect(
        within(dialog).getByTestId('kill-switch-server-error'),
      ).toHaveTextContent(
        'You need goldenpaths.killswitch.manage to change a kill switch (goldenpaths.killswitch.manage is not allowed).',
      ),
    );
  });

  it('says when no switch is set', async () => {
    const api = new FakeGoldenPathsApi();
    api.killSwitches = {
      all: { disabled: false },
      templates: {},
      actions: {},
      sources: { config: {}, runtime: [] },
    };
    await renderWithApi(<KillSwitchesContent />, api);
    expect(
      await screen.findByText('No kill switch is set'),
    ).toBeInTheDocument();
  });
});

/**
 * A window `px` wide as CSS media queries see it (jsdom has no layout and no matchMedia): the
 * `(max-width:…)` and `(min-width:…)` queries MUI's breakpoints make are answered from it.
 */
function atWindowWidth(px: number) {
  const matches = (query: string) =>
    [...query.matchAll(/\((max|min)-width:\s*([\d.]+)px\)/g)].every(
      ([, side, width]) =>
        side === 'max' ? px <= Number(width) : px >= Number(width),
    );
  Object.defineProperty(window, 'matchMedia', {
    configurable: true,
    writable: true,
    value: (query: string) => ({
      matches: matches(query),
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }),
  });
}

/** The label/value pairs of a stacked switch (its `<dt>`s and `<dd>`s). */
function pairsOf(item: HTMLElement): Record<string, string> {
  const terms = [...item.querySelectorAll('dt')];
  return Object.fromEntries(
    terms.map(dt => [
      dt.textContent ?? '',
      dt.nextElementSibling?.tagName === 'DD'
        ? dt.nextElementSibling.textContent ?? ''
        : '',
    ]),
  );
}

describe('KillSwitchesContent at a phone width', () => {
  afterEach(() => {
    // back to jsdom's window, which has no matchMedia (the table, as the tests above expect)
    delete (window as { matchMedia?: unknown }).matchMedia;
  });

  it('stacks each switch as label/value pairs at 390 px instead of a table that scrolls sideways', async () => {
    atWindowWidth(390);
    const api = new FakeGoldenPathsApi();
    await renderWithApi(<KillSwitchesContent />, api);
    const list = await screen.findByRole('list', { name: 'Kill switches' });
    expect(
      screen.queryByRole('table', { name: 'Kill switches' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'Kill switches, scrollable' }),
    ).not.toBeInTheDocument();

    const [config, runtime] = within(list).getAllByTestId('kill-switch-row');
    expect(within(config).getByRole('heading')).toHaveTextContent(
      'worker-node',
    );
    expect(pairsOf(config)).toEqual({
      Scope: 'template',
      State: 'disabled',
      Reason: 'CI workflow v3.4.1 broken (INC-5120)',
      Since: '2026-11-23 09:30 UTC',
      Until: '—',
      Source: 'config',
      Action: expect.stringContaining('Read-only: set in the app config'),
    });
    expect(within(config).queryByRole('button')).not.toBeInTheDocument();

    expect(within(runtime).getByRole('heading')).toHaveTextContent(
      'goldenpath:register',
    );
    expect(pairsOf(runtime)).toMatchObject({
      Scope: 'action',
      State: 'disabled',
      Since: '2026-11-23 11:00 UTC by user:default/fatima.haddad',
      Until: formatInstant(api.killSwitches.sources.runtime[0].until!),
      Source: 'runtime',
    });
    await findEnabledButton('Lift goldenpath:register', within(runtime));
  });

  it('keeps the table from the sm breakpoint up', async () => {
    atWindowWidth(600);
    await renderWithApi(<KillSwitchesContent />, new FakeGoldenPathsApi());
    expect(await rows()).toHaveLength(2);
    expectScrollingWholeWordsTable('Kill switches');
    expect(
      screen.queryByRole('list', { name: 'Kill switches' }),
    ).not.toBeInTheDocument();
  });
});
