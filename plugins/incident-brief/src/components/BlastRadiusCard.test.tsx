import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithEntity } from '../__testUtils__/renderWithEntity';
import {
  FakeIncidentBriefApi,
  blastRadius,
  checkoutService,
  pagedRadius,
  restrictedEntity,
  storefrontBehindRestricted,
  v1BlastRadius,
  wideBlastRadius,
} from '../__testUtils__/fixtures';
import type { EntityPresentationApi } from '@backstage/plugin-catalog-react';
import type { BlastRadiusQuery } from '../api';
import { EntityBlastRadiusCard } from './BlastRadiusCard';
import { layoutPage } from './layoutByHop';

// The real layout, counted: a page read ahead must not lay the shown page out again.
jest.mock('./layoutByHop', () => {
  const actual = jest.requireActual('./layoutByHop');
  return { ...actual, layoutPage: jest.fn(actual.layoutPage) };
});

jest.setTimeout(30_000);

function count(label: string) {
  const group = screen.getByRole('group', { name: 'Blast radius counts' });
  const caption = within(group).getByText(label, { exact: true });
  return caption.previousSibling?.textContent;
}

describe('EntityBlastRadiusCard', () => {
  it('shows the V1 counts and each impacted entity with its root-first path and edge evidence', async () => {
    const { api } = await renderWithEntity(<EntityBlastRadiusCard />);
    await screen.findByRole('group', { name: 'Blast radius counts' });
    expect(count('impacted')).toBe('2');
    expect(count('tier 1')).toBe('2');
    expect(count('customer-facing')).toBe('2');
    expect(count('immediate')).toBe('2');
    expect(count('deferred')).toBe('0');
    expect(
      screen.getByText(/Edges confirmed 1\/2 \(50 %\)/),
    ).toBeInTheDocument();
    expect(screen.getByText('confidence: medium')).toBeInTheDocument();
    expect(screen.getByText(/^Teams to notify:/)).toHaveTextContent(
      'Teams to notify: platform-team, storefront-team',
    );

    const user = userEvent.setup();
    const toggle = screen.getByRole('button', {
      name: /Show impacted entities \(2\)/,
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');

    const list = await screen.findByRole('list', { name: 'Impacted entities' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('hop 1');
    expect(
      within(items[1]).getByLabelText(
        'Path: checkout-service ← api-gateway ← web-storefront',
      ),
    ).toBeInTheDocument();
    expect(items[1]).toHaveTextContent('✓ declared + observed');
    expect(items[1]).toHaveTextContent('via checkout-api');
    expect(items[1]).toHaveTextContent('declared, unverifiable');
    // no hops until the user picks: the backend's default (incidentBrief.blastRadius.defaultHops);
    // the counts are read with one row, the list with the first page
    expect(api.calls).toMatchObject([
      {
        method: 'getBlastRadius',
        query: { edges: 'all', direction: 'dependents', limit: 1 },
      },
      {
        method: 'getBlastRadius',
        query: { edges: 'all', direction: 'dependents', limit: 1000 },
      },
    ]);
    expect(api.calls[0].query).not.toHaveProperty('hops');
    expect(api.calls[1].query).not.toHaveProperty('hops');
  });

  it('lists entities the caller may not read as restricted: unlinked, without a path, never linked inside a path', async () => {
    const api = new FakeIncidentBriefApi();
    api.radius = () => ({
      ...v1BlastRadius,
      impacted: [
        v1BlastRadius.impacted[0],
        restrictedEntity(1),
        restrictedEntity(2),
        storefrontBehindRestricted,
      ],
      counts: { ...v1BlastRadius.counts, total: 4 },
    });
    // two restricted entries share their ref: React reports clashing keys through console.error
    const consoleError = jest.spyOn(console, 'error');
    try {
      await renderWithEntity(<EntityBlastRadiusCard />, { api });
      await openList('4');
      const list = screen.getByRole('list', { name: 'Impacted entities' });
      const items = within(list).getAllByRole('listitem');
      expect(items).toHaveLength(4);
      expect(
        within(items[0]).getByRole('link', { name: 'api-gateway' }),
      ).toBeInTheDocument();
      for (const item of [items[1], items[2]]) {
        expect(item).toHaveTextContent(
          'restricted (you may not read this entity)',
        );
        expect(within(item).queryAllByRole('link')).toHaveLength(0);
        expect(within(item).queryByLabelText(/^Path:/)).toBeNull();
      }
      expect(items[2]).toHaveTextContent('hop 2');
      // a path through an entity the caller may not read names it, as text only
      expect(
        within(items[3]).getByLabelText(
          'Path: checkout-service ← restricted ← web-storefront',
        ),
      ).toBeInTheDocument();
      expect(
        within(items[3])
          .getAllByRole('link')
          .map(a => a.textContent),
      ).toEqual(['web-storefront']);
      expect(
        consoleError.mock.calls.filter(args =>
          String(args[0]).includes('same key'),
        ),
      ).toEqual([]);
    } finally {
      consoleError.mockRestore();
    }
  });

  it('links each team to notify to its catalog page, and names an owner it cannot link as text', async () => {
    const api = new FakeIncidentBriefApi();
    api.radius = () => ({
      ...v1BlastRadius,
      counts: {
        ...v1BlastRadius.counts,
        // a redacted owner and an owner text that is no entity ref: neither can be linked
        byOwner: {
          ...v1BlastRadius.counts.byOwner,
          restricted: 1,
          'checkout-team': 1,
        },
      },
    });
    await renderWithEntity(<EntityBlastRadiusCard />, { api });
    const teams = await screen.findByText(/^Teams to notify:/);
    expect(
      within(teams)
        .getAllByRole('link')
        .map(a => [a.textContent, a.getAttribute('href')]),
    ).toEqual([
      ['platform-team', '/catalog/default/group/platform-team'],
      ['storefront-team', '/catalog/default/group/storefront-team'],
    ]);
    // sorted by the name shown, as the markdown export lists them
    expect(teams).toHaveTextContent(
      'Teams to notify: checkout-team, platform-team, restricted, storefront-team',
    );
  });

  it('names a team to notify as EntityRefLink does a group: its namespace when not default, the kind of an owner that is no group', async () => {
    const api = new FakeIncidentBriefApi();
    api.radius = () => ({
      ...v1BlastRadius,
      counts: {
        ...v1BlastRadius.counts,
        byOwner: {
          'group:payments/platform-team': 1,
          'user:default/ana.ruiz': 1,
        },
      },
    });
    await renderWithEntity(<EntityBlastRadiusCard />, { api });
    const teams = await screen.findByText(/^Teams to notify:/);
    expect(
      within(teams)
        .getAllByRole('link')
        .map(a => [a.textContent, a.getAttribute('href')]),
    ).toEqual([
      ['payments/platform-team', '/catalog/payments/group/platform-team'],
      ['user:ana.ruiz', '/catalog/default/user/ana.ruiz'],
    ]);
  });

  it("names a team to notify by the catalog's display name when the entity presentation knows it", async () => {
    const titles: Record<string, string> = {
      'group:default/platform-team': 'Platform Team',
    };
    const entityPresentation: EntityPresentationApi = {
      forEntity: entityOrRef => {
        const ref = String(entityOrRef);
        const snapshot = {
          entityRef: ref,
          primaryTitle: titles[ref] ?? ref,
        };
        return { snapshot, promise: Promise.resolve(snapshot) };
      },
    };
    await renderWithEntity(<EntityBlastRadiusCard />, { entityPresentation });
    const teams = await screen.findByText(/^Teams to notify:/);
    expect(
      within(teams).getByRole('link', { name: 'Platform Team' }),
    ).toHaveAttribute('href', '/catalog/default/group/platform-team');
  });

  it('outlines the edge-kind toggle that has keyboard focus (MUI draws only a faint ripple)', async () => {
    await renderWithEntity(<EntityBlastRadiusCard />);
    await screen.findByRole('group', { name: 'Blast radius counts' });
    const declared = screen.getByRole('button', { name: 'declared edges' });
    fireEvent.keyDown(document.body, { key: 'Tab' });
    act(() => declared.focus());
    expect(declared).toHaveFocus();
    expect(declared.className).toMatch(/SuiteFocusRing-focusVisible/);
  });

  it('asks again with the chosen hops and edge kind', async () => {
    const { api } = await renderWithEntity(<EntityBlastRadiusCard />);
    await screen.findByRole('group', { name: 'Blast radius counts' });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'declared edges' }));
    await waitFor(() =>
      expect(api.calls.at(-1)?.query).toMatchObject({ edges: 'declared' }),
    );
    await user.click(screen.getByLabelText('Hops'));
    // 0 hops searches nothing, and its empty radius would read as "nothing depends on it".
    expect(
      (await screen.findAllByRole('option')).map(o => o.textContent),
    ).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    await user.click(await screen.findByRole('option', { name: '10' }));
    await waitFor(() =>
      expect(api.calls.at(-1)?.query).toMatchObject({
        edges: 'declared',
        hops: 10,
      }),
    );
  });

  it('offers no more hops than the backend takes, and shows the hops its default searched', async () => {
    const api = new FakeIncidentBriefApi();
    // an operator set incidentBrief.blastRadius.maxHops: 2 and defaultHops: 2
    api.radius = () => blastRadius({ hops: 2, maxHops: 2 });
    await renderWithEntity(<EntityBlastRadiusCard />, { api });
    await screen.findByRole('group', { name: 'Blast radius counts' });
    expect(screen.getByLabelText('Hops')).toHaveTextContent('2');
    const user = userEvent.setup();
    await user.click(screen.getByLabelText('Hops'));
    expect(
      (await screen.findAllByRole('option')).map(o => o.textContent),
    ).toEqual(['1', '2']);
  });

  it("keeps offering only the backend's hops while an answer for another choice fails", async () => {
    const api = new FakeIncidentBriefApi();
    api.radius = () => blastRadius({ hops: 2, maxHops: 2 });
    await renderWithEntity(<EntityBlastRadiusCard />, { api });
    await screen.findByRole('group', { name: 'Blast radius counts' });
    const user = userEvent.setup();
    api.radius = new Error('evidence answered 503');
    await user.click(screen.getByRole('button', { name: 'declared edges' }));
    await waitFor(() =>
      expect(api.calls.at(-1)?.query).toMatchObject({ edges: 'declared' }),
    );
    await user.click(screen.getByLabelText('Hops'));
    expect(
      (await screen.findAllByRole('option')).map(o => o.textContent),
    ).toEqual(['1', '2']);
  });

  it('says an empty radius of an uninstrumented entity proves nothing', async () => {
    const api = new FakeIncidentBriefApi();
    api.radius = () => blastRadius();
    await renderWithEntity(<EntityBlastRadiusCard />, { api });
    expect(
      await screen.findByText(
        'Nothing depends on checkout-service within 3 hops',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/an empty radius proves nothing here/),
    ).toBeInTheDocument();
  });

  it('names the entity by its name when its title is blank', async () => {
    const api = new FakeIncidentBriefApi();
    api.radius = () => blastRadius();
    const entity = {
      ...checkoutService,
      metadata: { ...checkoutService.metadata, title: ' ' },
    };
    await renderWithEntity(<EntityBlastRadiusCard />, { api, entity });
    expect(
      await screen.findByText(
        'Nothing depends on checkout-service within 3 hops',
      ),
    ).toBeInTheDocument();
  });

  it('says there were no edges to confirm rather than "0/0 (100 %)" for an instrumented entity nobody calls', async () => {
    const api = new FakeIncidentBriefApi();
    // IB §3.3: no examined edges and telemetry presence → ratio 1.0, high (the demo's notification-worker)
    api.radius = () => blastRadius({ confidence: { ratio: 1, level: 'high' } });
    await renderWithEntity(<EntityBlastRadiusCard />, { api });
    expect(await screen.findByText('No edges to confirm')).toBeInTheDocument();
    expect(screen.queryByText(/Edges confirmed 0\/0/)).toBeNull();
    expect(screen.queryByText(/100 %/)).toBeNull();
  });

  it('shows the confirmed share rounded down, as the markdown does: 199/250 is 79 %, not 80 % beside a medium chip', async () => {
    const api = new FakeIncidentBriefApi();
    const base = blastRadius();
    api.radius = () =>
      blastRadius({
        edgeStats: { ...base.edgeStats, examined: 250, confirmed: 199 },
        confidence: { ratio: 0.796, level: 'medium' },
      });
    await renderWithEntity(<EntityBlastRadiusCard />, { api });
    expect(
      await screen.findByText(/Edges confirmed 199\/250 \(79 %\)/),
    ).toBeInTheDocument();
  });

  it('leaves room for each label in the graph before the next hop is drawn', async () => {
    await renderWithEntity(<EntityBlastRadiusCard />);
    await openGraph('2');
    const svg = screen.getByRole('img', { name: /Blast radius graph/ });
    const rootLabel = [...svg.querySelectorAll('text')].find(
      t => t.textContent === 'checkout-service',
    )!;
    const hop1 = svg.querySelector(
      'circle[data-ref="component:default/api-gateway"]',
    )!;
    // at 11 px a character is at least 6 px wide: the root's label ends right of this
    const labelEnd =
      Number(rootLabel.getAttribute('x')) + 6 * 'checkout-service'.length;
    const hop1Left =
      Number(hop1.getAttribute('cx')) - Number(hop1.getAttribute('r'));
    expect(hop1Left).toBeGreaterThan(labelEnd);
  });

  it('says when observed edges were last collected, once that is not recent (R17)', async () => {
    const api = new FakeIncidentBriefApi();
    const collected = new Date(Date.now() - 3 * 3600_000).toISOString();
    api.radius = () => ({
      ...v1BlastRadius,
      asOf: { ...v1BlastRadius.asOf, observedEdges: collected },
    });
    const { unmount } = await renderWithEntity(<EntityBlastRadiusCard />, {
      api,
    });
    expect(await screen.findByTestId('observed-edges-age')).toHaveTextContent(
      'Observed edges last collected 3 h ago',
    );
    unmount();

    const fresh = new FakeIncidentBriefApi();
    fresh.radius = () => ({
      ...v1BlastRadius,
      asOf: { ...v1BlastRadius.asOf, observedEdges: new Date().toISOString() },
    });
    await renderWithEntity(<EntityBlastRadiusCard />, { api: fresh });
    await screen.findByRole('group', { name: 'Blast radius counts' });
    expect(screen.queryByTestId('observed-edges-age')).toBeNull();
  });

  it('shows the error panel when the backend answers an error', async () => {
    const api = new FakeIncidentBriefApi();
    api.radius = new Error('hops must be an integer between 0 and 10 (got 11)');
    await renderWithEntity(<EntityBlastRadiusCard />, { api });
    expect(
      (await screen.findAllByText(/hops must be an integer between 0 and 10/))
        .length,
    ).toBeGreaterThan(0);
    expect(
      screen.queryByRole('group', { name: 'Blast radius counts' }),
    ).toBeNull();
  });
});

/** Opens the graph view of the card (the radius has loaded). */
async function openGraph(total: string) {
  await screen.findByRole('group', { name: 'Blast radius counts' });
  const user = userEvent.setup();
  await user.click(
    screen.getByRole('button', {
      name: new RegExp(`Show impacted entities \\(${total}\\)`),
    }),
  );
  await user.click(screen.getByRole('button', { name: 'graph view' }));
  await screen.findByRole('img', { name: /Blast radius graph/ });
  return user;
}

const graph = () => screen.getByRole('img', { name: /Blast radius graph/ });
const drawn = () =>
  [...graph().querySelectorAll('circle[data-node="impacted"]')].map(c =>
    c.getAttribute('data-ref'),
  );
const segments = (kind: 'parent' | 'off-page') =>
  (
    graph()
      .querySelector(`path[data-edges="${kind}"]`)
      ?.getAttribute('d')
      ?.match(/M/g) ?? []
  ).length;
const svc = (i: number) =>
  `component:default/svc-${String(i).padStart(5, '0')}`;

describe('EntityBlastRadiusCard graph paging (more than 1,000 impacted)', () => {
  it('lays each page out once: the next page read ahead is appended without redrawing the shown one', async () => {
    const layouts = layoutPage as jest.MockedFunction<typeof layoutPage>;
    const api = new FakeIncidentBriefApi();
    api.radius = pagedRadius(2500);
    layouts.mockClear();
    await renderWithEntity(<EntityBlastRadiusCard />, { api });
    const user = await openGraph('2,500');
    // (the counts' read, page 1) page 2 arrives while page 1 is shown; "Show next" then only draws it
    await waitFor(() => expect(api.calls).toHaveLength(3));
    await user.click(screen.getByRole('button', { name: 'Show next 1,000' }));
    await waitFor(() =>
      expect(screen.getByTestId('graph-caption')).toHaveTextContent(
        'showing 1,001–2,000 of 2,500',
      ),
    );
    await waitFor(() => expect(api.calls).toHaveLength(4));
    await user.click(screen.getByRole('button', { name: 'Show next 500' }));
    await waitFor(() =>
      expect(screen.getByTestId('graph-caption')).toHaveTextContent(
        'showing 2,001–2,500 of 2,500',
      ),
    );
    expect(api.calls).toHaveLength(4);
    // each page once, although page 2 arrived while page 1 was shown and page 3 during page 2
    expect(
      layouts.mock.calls.map(([, page, o]) => [page.length, o?.offset]),
    ).toEqual([
      [1000, 0],
      [1000, 1000],
      [500, 2000],
    ]);
  });

  it('pages through 2,500 entities 1,000 at a time, reading each next page ahead with the cursor', async () => {
    const api = new FakeIncidentBriefApi();
    api.radius = pagedRadius(2500);
    await renderWithEntity(<EntityBlastRadiusCard />, { api });
    const user = await openGraph('2,500');

    const caption = screen.getByTestId('graph-caption');
    expect(caption).toHaveTextContent('showing 1–1,000 of 2,500');
    expect(caption).toHaveAttribute('aria-live', 'polite');
    const pages = screen.getByRole('navigation', {
      name: 'Blast radius graph pages',
    });
    const previous = within(pages).getByRole('button', {
      name: 'Show previous 1,000',
    });
    const next = within(pages).getByRole('button', { name: 'Show next 1,000' });
    expect(previous).toBeDisabled();
    expect(next).toBeEnabled();
    expect(next).toHaveAttribute('aria-controls', graph().id);
    expect(drawn()).toHaveLength(1000);
    expect(drawn()[0]).toBe(svc(0));
    expect(drawn()[999]).toBe(svc(999));
    expect(segments('parent')).toBe(1000);

    // page 2 is read ahead while page 1 is shown: the first page's cursor, the same query (the
    // first read, of the counts, has one row)
    await waitFor(() => expect(api.calls).toHaveLength(3));
    expect(api.calls[0].query).toMatchObject({ limit: 1 });
    expect(api.calls[1].query).toMatchObject({ limit: 1000 });
    expect(api.calls[2]).toMatchObject({
      method: 'getBlastRadius',
      query: {
        hops: 3,
        edges: 'all',
        direction: 'dependents',
        limit: 1000,
        cursor: 'offset:1000',
      },
    });
    await user.click(next);
    await waitFor(() =>
      expect(screen.getByTestId('graph-caption')).toHaveTextContent(
        'showing 1,001–2,000 of 2,500',
      ),
    );
    expect(drawn()).toHaveLength(1000);
    expect(drawn()[0]).toBe(svc(1000));
    expect(drawn()[999]).toBe(svc(1999));
    // their hop-1 parents are on page 1: a dashed stub each, no edge to a node not drawn
    expect(segments('parent')).toBe(0);
    expect(segments('off-page')).toBe(1000);
    expect(
      screen.getByRole('button', { name: 'Show previous 1,000' }),
    ).toBeEnabled();

    // page 3, the last 500, was read ahead while page 2 was shown; the click reads nothing
    await waitFor(() => expect(api.calls).toHaveLength(4));
    await user.click(screen.getByRole('button', { name: 'Show next 500' }));
    await waitFor(() =>
      expect(screen.getByTestId('graph-caption')).toHaveTextContent(
        'showing 2,001–2,500 of 2,500',
      ),
    );
    expect(api.calls.at(-1)?.query).toMatchObject({ cursor: 'offset:2000' });
    expect(drawn()).toHaveLength(500);
    expect(drawn()[499]).toBe(svc(2499));
    expect(screen.getByRole('button', { name: /Show next/ })).toBeDisabled();

    // back: pages already held are not fetched again
    await user.click(
      screen.getByRole('button', { name: 'Show previous 1,000' }),
    );
    expect(screen.getByTestId('graph-caption')).toHaveTextContent(
      'showing 1,001–2,000 of 2,500',
    );
    expect(drawn()[0]).toBe(svc(1000));
    expect(api.calls).toHaveLength(4);
  });

  it('says so and stays on the page when the next page cannot be read', async () => {
    const api = new FakeIncidentBriefApi();
    const paged = pagedRadius(1500);
    api.radius = q => {
      if (q.cursor) throw new Error('evidence backend answered 503');
      return paged(q);
    };
    await renderWithEntity(<EntityBlastRadiusCard />, { api });
    const user = await openGraph('1,500');
    await user.click(screen.getByRole('button', { name: 'Show next 500' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load the next entities: evidence backend answered 503',
    );
    expect(screen.getByTestId('graph-caption')).toHaveTextContent(
      'showing 1–1,000 of 1,500',
    );
    expect(drawn()[0]).toBe(svc(0));
    expect(screen.getByRole('button', { name: 'Show next 500' })).toBeEnabled();
  });

  it('starts over on page 1 when the hops change', async () => {
    const api = new FakeIncidentBriefApi();
    api.radius = pagedRadius(2500);
    await renderWithEntity(<EntityBlastRadiusCard />, { api });
    const user = await openGraph('2,500');
    await user.click(screen.getByRole('button', { name: 'Show next 1,000' }));
    await waitFor(() =>
      expect(screen.getByTestId('graph-caption')).toHaveTextContent(
        'showing 1,001–2,000 of 2,500',
      ),
    );
    await user.click(screen.getByLabelText('Hops'));
    await user.click(await screen.findByRole('option', { name: '4' }));
    await waitFor(() =>
      expect(api.calls.at(-1)?.query).toMatchObject({ hops: 4 }),
    );
    // the new radius is read from its start (its next page is read ahead after it)
    expect(
      api.calls.find(c => (c.query as { hops?: number })?.hops === 4)?.query,
    ).not.toHaveProperty('cursor');
    await screen.findByRole('group', { name: 'Blast radius counts' });
    await waitFor(() =>
      expect(screen.getByTestId('graph-caption')).toHaveTextContent(
        'showing 1–1,000 of 2,500',
      ),
    );
    expect(drawn()[0]).toBe(svc(0));
  });

  it('has no paging controls for 1,000 or fewer', async () => {
    const api = new FakeIncidentBriefApi();
    api.radius = pagedRadius(1000);
    await renderWithEntity(<EntityBlastRadiusCard />, { api });
    await openGraph('1,000');
    expect(screen.getByTestId('graph-caption')).toHaveTextContent(
      'showing all 1,000',
    );
    expect(drawn()).toHaveLength(1000);
    expect(
      screen.queryByRole('navigation', { name: 'Blast radius graph pages' }),
    ).toBeNull();
  });
});

/**
 * A radius of `n` served `page` at a time whatever the asked limit (a server may answer fewer
 * than `limit` with a cursor), so the list's paging is tested without rendering 1,000 rows.
 */
function smallPages(
  n: number,
  page: number,
  failWhile: () => boolean = () => false,
) {
  const all = pagedRadius(n);
  return (q: Parameters<typeof all>[0]) => {
    if (q.cursor && failWhile())
      throw new Error('evidence backend answered 503');
    const offset = q.cursor ? Number(q.cursor.replace(/^offset:/, '')) : 0;
    const answer = all({ ...q, limit: page });
    const end = offset + page;
    return { ...answer, nextCursor: end < n ? `offset:${end}` : undefined };
  };
}

const listed = () =>
  within(screen.getByRole('list', { name: 'Impacted entities' }))
    .getAllByRole('listitem')
    .map(li => li.textContent ?? '');

async function openList(total: string) {
  await screen.findByRole('group', { name: 'Blast radius counts' });
  const user = userEvent.setup();
  await user.click(
    screen.getByRole('button', {
      name: new RegExp(`Show impacted entities \\(${total}\\)`),
    }),
  );
  // the rows are read when the list opens
  await screen.findByRole('list', { name: 'Impacted entities' });
  return user;
}

describe('EntityBlastRadiusCard list paging (more entities than one read returns)', () => {
  it('lists past the first page, reading the next one with the cursor when the held ones run out', async () => {
    const api = new FakeIncidentBriefApi();
    api.radius = smallPages(130, 60);
    await renderWithEntity(<EntityBlastRadiusCard />, { api });
    const user = await openList('130');
    expect(listed()).toHaveLength(25);
    // 25 more a click: 50 are held, so nothing is read
    await user.click(
      screen.getByRole('button', { name: 'Show more (105 not shown)' }),
    );
    await waitFor(() => expect(listed()).toHaveLength(50));
    // the counts' read and the first page's
    expect(api.calls).toHaveLength(2);
    await user.click(
      screen.getByRole('button', { name: 'Show more (80 not shown)' }),
    );
    // 75 > 60 held: the next page is read with the first answer's cursor and the same query
    await waitFor(() => expect(listed()).toHaveLength(75));
    expect(api.calls).toHaveLength(3);
    expect(api.calls[2].query).toMatchObject({
      cursor: 'offset:60',
      hops: 3,
      edges: 'all',
      direction: 'dependents',
    });
    expect(listed()[74]).toContain('svc-00074');
    // the first row the read revealed takes the focus, not the page's start
    const rows = () =>
      within(
        screen.getByRole('list', { name: 'Impacted entities' }),
      ).getAllByRole('listitem');
    expect(rows()[50]).toHaveFocus();
    await user.click(
      screen.getByRole('button', { name: 'Show more (55 not shown)' }),
    );
    await waitFor(() => expect(listed()).toHaveLength(100));
    await user.click(
      screen.getByRole('button', { name: 'Show more (30 not shown)' }),
    );
    await waitFor(() => expect(listed()).toHaveLength(125));
    expect(api.calls.at(-1)?.query).toMatchObject({ cursor: 'offset:120' });
    await user.click(
      screen.getByRole('button', { name: 'Show more (5 not shown)' }),
    );
    expect(listed()).toHaveLength(130);
    expect(listed()[129]).toContain('svc-00129');
    expect(screen.queryByRole('button', { name: /Show more/ })).toBeNull();
    // the button is gone: the focus is on the first row it revealed
    expect(rows()[125]).toHaveFocus();
    expect(api.calls).toHaveLength(4);
  });

  it('says so when the next page cannot be read and lets the user try again', async () => {
    const api = new FakeIncidentBriefApi();
    let fail = true;
    api.radius = smallPages(40, 30, () => fail);
    await renderWithEntity(<EntityBlastRadiusCard />, { api });
    const user = await openList('40');
    await user.click(screen.getByRole('button', { name: /Show more/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load more entities: evidence backend answered 503',
    );
    expect(listed()).toHaveLength(30);
    fail = false;
    await user.click(screen.getByRole('button', { name: /Show more/ }));
    await waitFor(() => expect(listed()).toHaveLength(40));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('EntityBlastRadiusCard graph', () => {
  it('draws 1,000 nodes of a 10,000-entity radius and says so', async () => {
    const api = new FakeIncidentBriefApi();
    api.radius = () => wideBlastRadius(10_000);
    const { container } = await renderWithEntity(<EntityBlastRadiusCard />, {
      api,
    });
    await screen.findByRole('group', { name: 'Blast radius counts' });
    const user = userEvent.setup();
    await user.click(
      screen.getByRole('button', { name: /Show impacted entities \(10,000\)/ }),
    );
    await user.click(screen.getByRole('button', { name: 'graph view' }));
    const svg = await screen.findByRole('img', {
      name: /Blast radius graph/,
    });
    expect(screen.getByTestId('graph-caption')).toHaveTextContent(
      'showing 1–1,000 of 10,000',
    );
    expect(svg.querySelectorAll('circle[data-node="impacted"]')).toHaveLength(
      1000,
    );
    expect(svg.querySelectorAll('circle[data-node="root"]')).toHaveLength(1);
    // every drawn node has its edge to its parent, all in one path element
    const d = svg.querySelector('path')?.getAttribute('d') ?? '';
    expect(d.match(/M/g)).toHaveLength(1000);
    expect(container.querySelectorAll('text').length).toBeLessThan(20); // no labels at this size

    // all 10,000 are held already: the next page is drawn without another read
    await user.click(screen.getByRole('button', { name: 'Show next 1,000' }));
    expect(screen.getByTestId('graph-caption')).toHaveTextContent(
      'showing 1,001–2,000 of 10,000',
    );
    expect(drawn()).toHaveLength(1000);
    expect(drawn()[0]).toBe(svc(1000));
    // the counts' read and the first page's
    expect(api.calls).toHaveLength(2);
  });

  it('lets keyboard users reach the scrolling graph frame, to scroll it', async () => {
    const api = new FakeIncidentBriefApi();
    api.radius = () => wideBlastRadius(1000);
    await renderWithEntity(<EntityBlastRadiusCard />, { api });
    const user = await openGraph('1,000');
    const frame = screen.getByRole('region', { name: 'Blast radius graph' });
    expect(frame).toContainElement(graph());
    // from the view toggle, the next stop is the graph frame (no paging at 1,000)
    screen.getByRole('button', { name: 'graph view' }).focus();
    await user.tab();
    expect(frame).toHaveFocus();
  });
});

/**
 * Holds the answers to reads `held` picks until `release()`: the read is made (and recorded in
 * `api.calls`) at once, its answer arrives later.
 */
function holdReads(
  api: FakeIncidentBriefApi,
  held: (q: BlastRadiusQuery) => boolean,
) {
  const waiting: (() => void)[] = [];
  const answer = api.getBlastRadius.bind(api);
  api.getBlastRadius = async (entityRef, query = {}) => {
    const answered = answer(entityRef, query);
    answered.catch(() => {});
    if (held(query)) await new Promise<void>(go => waiting.push(go));
    return answered;
  };
  return {
    waiting: () => waiting.length,
    release: () => waiting.splice(0).forEach(go => go()),
  };
}

const countsText = () =>
  screen.getByRole('group', { name: 'Blast radius counts' }).parentElement
    ?.textContent;
const limits = (api: FakeIncidentBriefApi) =>
  api.calls.map(c => (c.query as BlastRadiusQuery).limit);

describe('EntityBlastRadiusCard reads the rows only once the list opens', () => {
  it('reads one row while the list is collapsed: what it shows comes from the totals of the whole radius', async () => {
    const api = new FakeIncidentBriefApi();
    // a radius of 2,500 answered as the API does: `limit` rows, counts over all of them
    api.radius = pagedRadius(2500);
    await renderWithEntity(<EntityBlastRadiusCard />, { api });
    await screen.findByRole('group', { name: 'Blast radius counts' });
    expect(api.calls).toEqual([
      {
        method: 'getBlastRadius',
        entityRef: 'component:default/checkout-service',
        query: { edges: 'all', direction: 'dependents', limit: 1 },
      },
    ]);
    expect(count('impacted')).toBe('2,500');
    expect(count('tier 1')).toBe('2500');
    expect(screen.getByText('confidence: high')).toBeInTheDocument();
    const toggle = screen.getByRole('button', {
      name: 'Show impacted entities (2,500)',
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(
      screen.queryByRole('list', { name: 'Impacted entities' }),
    ).toBeNull();
  });

  it('reads the first page when the list opens, keeping the counts on screen meanwhile; they do not change', async () => {
    const api = new FakeIncidentBriefApi();
    api.radius = pagedRadius(2500);
    const rowReads = holdReads(api, q => q.limit !== 1);
    await renderWithEntity(<EntityBlastRadiusCard />, { api });
    await screen.findByRole('group', { name: 'Blast radius counts' });
    const before = countsText();
    expect(before).toContain('2,500impacted');

    const user = userEvent.setup();
    const toggle = screen.getByRole('button', {
      name: 'Show impacted entities (2,500)',
    });
    await user.click(toggle);
    await waitFor(() => expect(rowReads.waiting()).toBe(1));
    expect(api.calls.map(c => c.query)).toEqual([
      { edges: 'all', direction: 'dependents', limit: 1 },
      { edges: 'all', direction: 'dependents', limit: 1000 },
    ]);
    // while the rows load: the counts, the chip and the toggle stay; the list says it is busy
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const region = document.getElementById('ib-impacted')!;
    expect(toggle).toHaveAttribute('aria-controls', 'ib-impacted');
    expect(region).toHaveAttribute('aria-busy', 'true');
    expect(
      await within(region).findByRole('progressbar', {
        name: 'Loading the impacted entities',
      }),
    ).toBeInTheDocument();
    expect(screen.getAllByRole('progressbar')).toHaveLength(1);
    expect(countsText()).toBe(before);
    expect(screen.getByText('confidence: high')).toBeInTheDocument();

    rowReads.release();
    await screen.findByRole('list', { name: 'Impacted entities' });
    expect(listed()).toHaveLength(25);
    expect(listed()[0]).toContain('svc-00000');
    expect(region).toHaveAttribute('aria-busy', 'false');
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(countsText()).toBe(before);
    // "Show more" pages on from the first page's cursor, not the one-row read's
    expect(
      screen.getByRole('button', { name: 'Show more (2,475 not shown)' }),
    ).toBeInTheDocument();
    expect(api.calls).toHaveLength(2);
  });

  it('draws the graph from the first page', async () => {
    const api = new FakeIncidentBriefApi();
    api.radius = pagedRadius(1000);
    await renderWithEntity(<EntityBlastRadiusCard />, { api });
    await openGraph('1,000');
    expect(drawn()).toHaveLength(1000);
    expect(limits(api)).toEqual([1, 1000]);
  });

  it('reads no rows again when the list closes and opens; other hops read while closed read one row, while open the first page', async () => {
    const api = new FakeIncidentBriefApi();
    api.radius = pagedRadius(2500);
    await renderWithEntity(<EntityBlastRadiusCard />, { api });
    const user = await openList('2,500');
    expect(limits(api)).toEqual([1, 1000]);
    const toggle = screen.getByRole('button', {
      name: 'Hide impacted entities (2,500)',
    });
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    // the rows held are shown at once
    expect(listed()).toHaveLength(25);
    expect(limits(api)).toEqual([1, 1000]);

    await user.click(toggle);
    await user.click(screen.getByLabelText('Hops'));
    await user.click(await screen.findByRole('option', { name: '4' }));
    await waitFor(() =>
      expect(api.calls.at(-1)?.query).toEqual({
        hops: 4,
        edges: 'all',
        direction: 'dependents',
        limit: 1,
      }),
    );
    await screen.findByRole('group', { name: 'Blast radius counts' });
    expect(count('impacted')).toBe('2,500');

    await user.click(
      screen.getByRole('button', { name: 'Show impacted entities (2,500)' }),
    );
    await screen.findByRole('list', { name: 'Impacted entities' });
    expect(api.calls.at(-1)?.query).toEqual({
      hops: 4,
      edges: 'all',
      direction: 'dependents',
      limit: 1000,
    });
    // with the list open, other edge kinds are read with their first page at once
    await user.click(screen.getByRole('button', { name: 'declared edges' }));
    await waitFor(() =>
      expect(api.calls.at(-1)?.query).toEqual({
        hops: 4,
        edges: 'declared',
        direction: 'dependents',
        limit: 1000,
      }),
    );
    await screen.findByRole('list', { name: 'Impacted entities' });
    expect(limits(api)).toEqual([1, 1000, 1, 1000, 1000]);
  });

  it('keeps the counts and offers to try again in the list when the rows cannot be read', async () => {
    const api = new FakeIncidentBriefApi();
    const paged = pagedRadius(2500);
    let fail = true;
    api.radius = q => {
      if (q.limit !== 1 && fail) throw new Error('evidence answered 503');
      return paged(q);
    };
    await renderWithEntity(<EntityBlastRadiusCard />, { api });
    await screen.findByRole('group', { name: 'Blast radius counts' });
    const before = countsText();
    const user = userEvent.setup();
    await user.click(
      screen.getByRole('button', { name: 'Show impacted entities (2,500)' }),
    );
    const region = document.getElementById('ib-impacted')!;
    const alert = await within(region).findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the impacted entities');
    expect(alert).toHaveTextContent('evidence answered 503');
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(countsText()).toBe(before);

    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    await screen.findByRole('list', { name: 'Impacted entities' });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(countsText()).toBe(before);
    expect(limits(api)).toEqual([1, 1000, 1000]);
  });

  it('tries the rows again by itself while the index does not know the entity yet (404), the counts on screen', async () => {
    const api = new FakeIncidentBriefApi();
    const paged = pagedRadius(30);
    let notIndexed = 1;
    api.radius = q => {
      if (q.limit !== 1 && notIndexed-- > 0)
        throw Object.assign(new Error('entity not indexed yet'), {
          response: { status: 404 },
        });
      return paged(q);
    };
    await renderWithEntity(<EntityBlastRadiusCard />, { api });
    await screen.findByRole('group', { name: 'Blast radius counts' });
    await userEvent
      .setup()
      .click(
        screen.getByRole('button', { name: 'Show impacted entities (30)' }),
      );
    // the first retry comes after a second (RETRY_NOT_YET_INDEXED)
    await screen.findByRole(
      'list',
      { name: 'Impacted entities' },
      { timeout: 5000 },
    );
    expect(listed()).toHaveLength(25);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(count('impacted')).toBe('30');
    expect(limits(api)).toEqual([1, 1000, 1000]);
  });
});
