import type { JSX } from 'react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import type { RenderResult } from '@testing-library/react';
import {
  EntityPresentationApi,
  EntityProvider,
  catalogApiRef,
  entityPresentationApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { Entity } from '@backstage/catalog-model';
import { incidentBriefApiRef } from '../api';
import {
  FakeIncidentBriefApi,
  checkoutService,
  checkoutTeam,
} from './fixtures';

/** App config for the test app (what `mockApis.config` takes). */
type TestConfig = NonNullable<Parameters<typeof mockApis.config>[0]>['data'];

/** Renders a card for `entity` with the fake brief API and a catalog holding checkout-team. */
export async function renderWithEntity(
  element: JSX.Element,
  options: {
    api?: FakeIncidentBriefApi;
    entity?: Entity;
    config?: TestConfig;
    /**
     * How entities are named, as the catalog plugin's presentation API does in the app; without
     * it, `EntityRefLink` prints the humanized ref.
     */
    entityPresentation?: EntityPresentationApi;
  } = {},
): Promise<RenderResult & { api: FakeIncidentBriefApi }> {
  const api = options.api ?? new FakeIncidentBriefApi();
  const result = await renderInTestApp(
    <EntityProvider entity={options.entity ?? checkoutService}>
      {element}
    </EntityProvider>,
    {
      apis: [
        [incidentBriefApiRef, api],
        [catalogApiRef, catalogApiMock({ entities: [checkoutTeam] })],
        ...(options.entityPresentation
          ? [[entityPresentationApiRef, options.entityPresentation] as const]
          : []),
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      ...(options.config ? { config: options.config } : {}),
    },
  );
  return { api, ...result };
}
