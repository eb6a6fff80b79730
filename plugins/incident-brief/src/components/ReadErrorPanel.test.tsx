import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithEntity } from '../__testUtils__/renderWithEntity';
import {
  FakeIncidentBriefApi,
  checkoutBrief,
  responseError,
} from '../__testUtils__/fixtures';
import { readFailureText } from './ReadErrorPanel';
import { EntityOwnerOnCallCard, OWNER_FALLBACK } from './OwnerOnCallCard';
import {
  BLAST_RADIUS_FALLBACK,
  EntityBlastRadiusCard,
} from './BlastRadiusCard';
import { CHANGES_FALLBACK, EntityLastChangeCard } from './LastChangeCard';
import {
  BRIEF_FALLBACK,
  EntityIncidentBriefContent,
} from './IncidentBriefContent';

jest.setTimeout(30_000);

describe('readFailureText: what failed, from the answer', () => {
  it.each([
    [
      '403 Forbidden',
      responseError(
        403,
        'Forbidden',
        'not allowed to read component:default/x',
      ),
      'You are not allowed to read this (403: not allowed to read component:default/x).',
    ],
    [
      '401 Unauthorized: the sign-in expired, not a missing permission',
      responseError(401, 'Unauthorized', 'Missing credentials'),
      'Your sign-in has expired or was not accepted (401: Missing credentials); reload the page to sign in again.',
    ],
    [
      '404 Not Found',
      responseError(404, 'Not Found', 'entity component:default/x not found'),
      'The incident-brief backend does not know this entity (404: entity component:default/x not found); it indexes a new catalog entity within a minute.',
    ],
    [
      '500 Internal Server Error',
      responseError(500, 'Internal Server Error', 'index not ready'),
      'The incident-brief backend failed (500: index not ready).',
    ],
    [
      'no answer (network)',
      Promise.resolve(new TypeError('Failed to fetch')),
      'The incident-brief backend could not be reached (Failed to fetch).',
    ],
    [
      '400 Bad Request',
      responseError(
        400,
        'Bad Request',
        'hops must be an integer between 0 and 10 (got 11)',
      ),
      'The request was refused (400: hops must be an integer between 0 and 10 (got 11)).',
    ],
  ])('%s', async (_answer, error, expected) => {
    expect(readFailureText(await error)).toBe(expected);
  });
});

describe('each card and the tab name what failed, what is left, and try again', () => {
  it.each([
    {
      name: 'owner card',
      element: <EntityOwnerOnCallCard />,
      what: 'the owner and on-call',
      fallback: OWNER_FALLBACK,
      fail: (api: FakeIncidentBriefApi, e: Error) => {
        api.brief = e;
      },
      heal: (api: FakeIncidentBriefApi) => {
        api.brief = checkoutBrief;
      },
      loaded: () => screen.findByRole('list', { name: 'Owner and on-call' }),
    },
    {
      name: 'blast radius card',
      element: <EntityBlastRadiusCard />,
      what: 'the blast radius',
      fallback: BLAST_RADIUS_FALLBACK,
      fail: (api: FakeIncidentBriefApi, e: Error) => {
        api.radius = e;
      },
      heal: (api: FakeIncidentBriefApi) => {
        api.radius = new FakeIncidentBriefApi().radius;
      },
      loaded: () => screen.findByRole('group', { name: 'Blast radius counts' }),
    },
    {
      name: 'last change card',
      element: <EntityLastChangeCard />,
      what: 'the changes',
      fallback: CHANGES_FALLBACK,
      fail: (api: FakeIncidentBriefApi, e: Error) => {
        api.changes = e;
      },
      heal: (api: FakeIncidentBriefApi) => {
        api.changes = new FakeIncidentBriefApi().changes;
      },
      loaded: () => screen.findByTestId('last-change'),
    },
    {
      name: 'brief tab',
      element: <EntityIncidentBriefContent />,
      what: 'the incident brief',
      fallback: BRIEF_FALLBACK,
      fail: (api: FakeIncidentBriefApi, e: Error) => {
        api.brief = e;
      },
      heal: (api: FakeIncidentBriefApi) => {
        api.brief = checkoutBrief;
      },
      loaded: () =>
        screen.findByRole('group', { name: 'Confidence per section' }),
    },
  ])('$name', async ({ element, what, fallback, fail, heal, loaded }) => {
    const api = new FakeIncidentBriefApi();
    fail(
      api,
      await responseError(500, 'Internal Server Error', 'index not ready'),
    );
    await renderWithEntity(element, { api });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(`Could not load ${what}`);
    expect(alert).toHaveTextContent(
      'The incident-brief backend failed (500: index not ready).',
    );
    expect(alert).toHaveTextContent(fallback);
    heal(api);
    await userEvent
      .setup()
      .click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await loaded()).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });
});
