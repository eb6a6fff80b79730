import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithEntity } from '../__testUtils__/renderWithEntity';
import {
  FakeIncidentBriefApi,
  blastRadius,
  wideBlastRadius,
} from '../__testUtils__/fixtures';
import { EntityBlastRadiusCard } from './BlastRadiusCard';

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
    expect(
      screen.getByText(
        'Teams to notify: group:platform-team, group:storefront-team',
      ),
    ).toBeInTheDocument();

    const user = userEvent.setup();
    const toggle = screen.getByRole('button', {
      name: /Show impacted entities \(2\)/,
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');

    const list = screen.getByRole('list', { name: 'Impacted entities' });
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
    expect(api.calls[0]).toMatchObject({
      method: 'getBlastRadius',
      query: { hops: 3, edges: 'all', direction: 'dependents', limit: 1000 },
    });
  });

  it('asks again with the chosen hops and edge kind', async () => {
    const { api } = await renderWithEntity(<EntityBlastRadiusCard />);
    await screen.findByRole('group', { name: 'Blast radius counts' });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'declared edges' }));
    await waitFor(() =>
      expect(api.calls.at(-1)?.query).toMatchObject({
        edges: 'declared',
        hops: 3,
      }),
    );
    await user.click(screen.getByLabelText('Hops'));
    await user.click(await screen.findByRole('option', { name: '10' }));
    await waitFor(() =>
      expect(api.calls.at(-1)?.query).toMatchObject({
        edges: 'declared',
        hops: 10,
      }),
    );
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
    const graph = await screen.findByRole('img', {
      name: /Blast radius graph/,
    });
    expect(screen.getByTestId('graph-caption')).toHaveTextContent(
      'showing 1,000 of 10,000',
    );
    expect(graph.querySelectorAll('circle[data-node="impacted"]')).toHaveLength(
      1000,
    );
    expect(graph.querySelectorAll('circle[data-node="root"]')).toHaveLength(1);
    // every drawn node has its edge to its parent, all in one path element
    const d = graph.querySelector('path')?.getAttribute('d') ?? '';
    expect(d.match(/M/g)).toHaveLength(1000);
    expect(container.querySelectorAll('text').length).toBeLessThan(20); // no labels at this size
  });
});
