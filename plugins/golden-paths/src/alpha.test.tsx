import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import plugin from './alpha';
import { recordImplicitRoutingWarnings } from '@internal/suite-react';
import { goldenPathsApiRef } from './api';
import { cartApiEntity, FakeGoldenPathsApi } from './__testUtils__/fixtures';

jest.setTimeout(30_000);

describe('golden-paths plugin (new frontend system)', () => {
  it('has the id, the api, the four pages and the card', () => {
    expect(plugin.pluginId).toBe('golden-paths');
    for (const id of [
      'api:golden-paths',
      'page:golden-paths/approvals',
      'page:golden-paths/requests',
      'page:golden-paths/request',
      'page:golden-paths/kill-switches',
      'entity-card:golden-paths/lifecycle',
    ])
      expect(plugin.getExtension(id as any)).toBeDefined();
  });

  it('offers the GoldenPathAvailability form field to the scaffolder', async () => {
    const extension = plugin.getExtension(
      'scaffolder-form-field:golden-paths/availability',
    );
    // Attached where the scaffolder's form-fields API collects the fields of every plugin.
    expect(extension).toMatchObject({
      attachTo: { id: 'api:scaffolder/form-fields', input: 'formFields' },
    });
    const load = createExtensionTester(extension).get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    );
    const field = await load();
    expect(field.$$type).toBe('@backstage/scaffolder/FormField');
    // The scaffolder matches `ui:field` against the name the field was created with.
    expect((field as unknown as { name: string }).name).toBe(
      'GoldenPathAvailability',
    );
  });

  it('shows the Lifecycle card only on entities carrying the request-key annotation', () => {
    const filter = createExtensionTester(
      plugin.getExtension('entity-card:golden-paths/lifecycle'),
    ).get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter!(cartApiEntity)).toBe(true);
    expect(
      filter!({
        ...cartApiEntity,
        metadata: { name: 'checkout-service', annotations: {} },
      }),
    ).toBe(false);
  });

  it('routes /golden-paths/requests/:key to the request page with the key decoded', async () => {
    const api = new FakeGoldenPathsApi();
    renderTestApp({
      features: [plugin],
      apis: [[goldenPathsApiRef, api]],
      // Refs on the pages link to their entity pages (the catalog's route).
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      initialRouteEntries: [
        '/golden-paths/requests/service-node-http%3Acart-api',
      ],
    });
    expect(
      await screen.findByTestId('request-fingerprint'),
    ).toBeInTheDocument();
    expect(api.calls).toContain('getRequest:service-node-http:cart-api');
  });

  it('routes /golden-paths/approvals to the inbox', async () => {
    const api = new FakeGoldenPathsApi();
    renderTestApp({
      features: [plugin],
      apis: [[goldenPathsApiRef, api]],
      // Refs on the pages link to their entity pages (the catalog's route).
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      initialRouteEntries: ['/golden-paths/approvals'],
    });
    expect(
      await screen.findByRole('heading', {
        name: 'Waiting for your decision (1)',
      }),
    ).toBeInTheDocument();
    // Links resolve through the plugin's route refs.
    expect(
      screen.getByRole('link', { name: 'service-node-http:promo-api' }),
    ).toHaveAttribute(
      'href',
      '/golden-paths/requests/service-node-http%3Apromo-api',
    );
  });
  it('routes /golden-paths/kill-switches to the kill switches, linked from the other pages', async () => {
    const api = new FakeGoldenPathsApi();
    renderTestApp({
      features: [plugin],
      apis: [[goldenPathsApiRef, api]],
      // Refs on the pages link to their entity pages (the catalog's route).
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      initialRouteEntries: ['/golden-paths/approvals'],
    });
    const nav = await screen.findByRole('navigation', { name: 'Golden paths' });
    expect(
      within(nav).getByRole('link', { name: 'Kill switches' }),
    ).toHaveAttribute('href', '/golden-paths/kill-switches');
    await userEvent.click(
      within(nav).getByRole('link', { name: 'Kill switches' }),
    );
    expect(
      await screen.findByRole('table', { name: 'Kill switches' }),
    ).toBeInTheDocument();
    expect(api.calls).toContain('getKillSwitches');
  });
});

describe('React Router context given explicitly (no implicit v6 routing)', () => {
  const implicitRoutingWarnings = recordImplicitRoutingWarnings();

  it.each([
    ['/golden-paths/approvals'],
    ['/golden-paths/requests'],
    ['/golden-paths/requests/service-node-http%3Acart-api'],
    ['/golden-paths/kill-switches'],
  ])('%s renders its links without the warning', async path => {
    renderTestApp({
      features: [plugin],
      apis: [[goldenPathsApiRef, new FakeGoldenPathsApi()]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      initialRouteEntries: [path],
    });
    const nav = await screen.findByRole('navigation', { name: 'Golden paths' });
    expect(within(nav).getAllByRole('link').length).toBeGreaterThan(0);
    expect(implicitRoutingWarnings()).toEqual([]);
  });
});
