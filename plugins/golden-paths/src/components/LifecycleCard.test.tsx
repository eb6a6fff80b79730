import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  cartApiDetail,
  cartApiEntity,
  FakeGoldenPathsApi,
  renderWithApi,
  responseError,
  V31_L02,
  V31_L04,
} from '../__testUtils__/fixtures';
import { EntityLifecycleCard } from './LifecycleCard';

jest.setTimeout(30_000);

describe('EntityLifecycleCard', () => {
  it('shows the state, the next transitions and the gate messages of the selected one', async () => {
    const { api } = await renderWithApi(
      <EntityLifecycleCard />,
      new FakeGoldenPathsApi(),
      cartApiEntity,
    );
    expect(await screen.findByTestId('lifecycle-state')).toHaveTextContent(
      'State: experimental',
    );
    expect(screen.getByTestId('lifecycle-request')).toHaveAttribute(
      'href',
      '/golden-paths/requests/service-node-http%3Acart-api',
    );
    const group = screen.getByRole('group', { name: 'Next transitions' });
    expect(
      within(group)
        .getAllByRole('button')
        .map(b => b.getAttribute('aria-label')),
    ).toEqual([
      'promote to production',
      'deprecate to deprecated',
      'archive to archived',
    ]);
    expect(
      within(group).getByRole('button', { name: 'promote to production' }),
    ).toHaveAttribute('aria-pressed', 'true');

    const gates = await screen.findByRole('list', { name: 'Gates of promote' });
    const items = within(gates).getAllByTestId('lifecycle-gate');
    expect(items.map(i => i.getAttribute('data-status'))).toEqual([
      'fail',
      'fail',
    ]);
    expect(items[0]).toHaveTextContent(V31_L02);
    expect(items[1]).toHaveTextContent(V31_L04);
    expect(screen.getByTestId('lifecycle-decision')).toHaveTextContent(
      '"promote" is refused today',
    );
    expect(api.calls).toEqual([
      'getRequest:service-node-http:cart-api',
      'getLifecycleGates:component:default/cart-api:promote',
    ]);

    // a link once goldenpaths.lifecycle.transition on the entity is allowed
    const template = await screen.findByRole('link', {
      name: 'Start promote with the lifecycle template',
    });
    expect(screen.queryByTestId('permission-denied-note')).toBeNull();
    const href = template.getAttribute('href')!;
    expect(
      href.startsWith(
        '/create/templates/default/lifecycle-transition?formData=',
      ),
    ).toBe(true);
    expect(JSON.parse(decodeURIComponent(href.split('formData=')[1]))).toEqual({
      entity: 'component:default/cart-api',
      transition: 'promote',
    });
  });

  it('shows an unknown gate as unknown, never as pass', async () => {
    const user = userEvent.setup();
    await renderWithApi(
      <EntityLifecycleCard />,
      new FakeGoldenPathsApi(),
      cartApiEntity,
    );
    await user.click(
      await screen.findByRole('button', { name: 'archive to archived' }),
    );
    const gates = await screen.findByRole('list', { name: 'Gates of archive' });
    const [a1, a2] = within(gates).getAllByTestId('lifecycle-gate');
    expect(a1).toHaveAttribute('data-status', 'pass');
    expect(a2).toHaveAttribute('data-status', 'unknown');
    expect(within(a2).getByTestId('status-chip')).toHaveTextContent('unknown');
    expect(a2).toHaveTextContent(
      'Observed traffic into component:default/cart-api is unknown: the evidence backend could not be read (evidence answered 503).',
    );
    expect(screen.getByTestId('lifecycle-decision')).toHaveTextContent(
      'some could not be evaluated',
    );
  });

  it('shows the expiry date a golden path wrote on a database', async () => {
    await renderWithApi(<EntityLifecycleCard />, new FakeGoldenPathsApi(), {
      ...cartApiEntity,
      metadata: {
        ...cartApiEntity.metadata,
        annotations: {
          ...cartApiEntity.metadata.annotations,
          'ops.example.com/expires-on': '2099-01-01',
        },
      },
    });
    expect(await screen.findByTestId('lifecycle-expiry')).toHaveTextContent(
      /^Expires on 2099-01-01 \(in \d+ days\)\.$/,
    );
  });

  it('says so when the entity was not created by a golden path', async () => {
    const { api } = await renderWithApi(
      <EntityLifecycleCard />,
      new FakeGoldenPathsApi(),
      {
        ...cartApiEntity,
        metadata: { ...cartApiEntity.metadata, annotations: {} },
      },
    );
    expect(
      await screen.findByText('Not created by a golden path'),
    ).toBeInTheDocument();
    expect(api.calls).toEqual([]);
  });

  it('says so when no transition is allowed from the current state', async () => {
    const { api } = await renderWithApi(
      <EntityLifecycleCard />,
      new FakeGoldenPathsApi(),
      {
        ...cartApiEntity,
        spec: { ...cartApiEntity.spec, lifecycle: 'retired' },
      },
    );
    expect(
      await screen.findByText('No transition is allowed from retired.'),
    ).toBeInTheDocument();
    // no gates to ask for; only the request's drift is read
    expect(api.calls).toEqual(['getRequest:service-node-http:cart-api']);
  });

  it('shows the backend error', async () => {
    const api = new FakeGoldenPathsApi();
    api.error = new Error('golden-paths is down');
    await renderWithApi(<EntityLifecycleCard />, api, cartApiEntity);
    expect(
      (await screen.findAllByText(/golden-paths is down/)).length,
    ).toBeGreaterThan(0);
  });

  describe('drift of the request that created the entity (§8 step 4)', () => {
    const lifecycleDrift = {
      id: 'entity.lifecycle component:default/cart-api production',
      check: 'entity.lifecycle',
      target: 'component:default/cart-api',
      expected: 'experimental',
      observed: 'production',
      message:
        'component:default/cart-api is production in the catalog; the ledger records experimental',
    };

    it('warns with the first mismatch, the count and a link to the request', async () => {
      const api = new FakeGoldenPathsApi();
      const detail = cartApiDetail();
      detail.drift = {
        open: [
          lifecycleDrift,
          {
            ...lifecycleDrift,
            id: 'repository.present',
            check: 'repository.present',
          },
        ],
        since: '2026-11-23T12:00:00.000Z',
      };
      api.details['service-node-http:cart-api'] = detail;
      await renderWithApi(<EntityLifecycleCard />, api, cartApiEntity);
      const alert = await screen.findByTestId('lifecycle-drift');
      expect(alert).toHaveTextContent(
        '2 things differ from what request service-node-http:cart-api recorded (since 2026-11-23 12:00 UTC): component:default/cart-api is production in the catalog; the ledger records experimental (and 1 more).',
      );
      expect(
        within(alert).getByRole('link', {
          name: 'See the drift on the request',
        }),
      ).toHaveAttribute(
        'href',
        '/golden-paths/requests/service-node-http%3Acart-api',
      );
      expect(api.calls).toContain('getRequest:service-node-http:cart-api');
    });

    it('says nothing when no drift is open, or the request is not visible to the viewer', async () => {
      const api = new FakeGoldenPathsApi();
      const detail = cartApiDetail();
      detail.drift = { open: [] };
      api.details['service-node-http:cart-api'] = detail;
      await renderWithApi(<EntityLifecycleCard />, api, cartApiEntity);
      await screen.findByRole('list', { name: 'Gates of promote' });
      expect(api.calls).toContain('getRequest:service-node-http:cart-api');
      expect(screen.queryByTestId('lifecycle-drift')).toBeNull();
      expect(screen.queryByTestId('lifecycle-drift-unknown')).toBeNull();
    });

    it('says nothing for a request the ledger does not hold (404)', async () => {
      const api = new FakeGoldenPathsApi();
      api.details = {};
      await renderWithApi(<EntityLifecycleCard />, api, cartApiEntity);
      await screen.findByRole('list', { name: 'Gates of promote' });
      expect(api.calls).toContain('getRequest:service-node-http:cart-api');
      expect(screen.queryByTestId('lifecycle-drift-unknown')).toBeNull();
    });

    it("shows the backend's message when drift cannot be checked", async () => {
      const api = new FakeGoldenPathsApi();
      const error = await responseError(
        400,
        'InputError',
        'GP-I01: Idempotency key "Service-Node-HTTP:cart-api" is not valid',
      );
      api.getRequest = async () => {
        throw error;
      };
      await renderWithApi(<EntityLifecycleCard />, api, cartApiEntity);
      expect(
        await screen.findByTestId('lifecycle-drift-unknown'),
      ).toHaveTextContent(
        'Drift could not be checked: GP-I01: Idempotency key "Service-Node-HTTP:cart-api" is not valid',
      );
    });
  });
});
