import { act } from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderWithEntity } from '../__testUtils__/renderWithEntity';
import {
  FakeIncidentBriefApi,
  SCRIPT_URL,
  checkoutBrief,
  checkoutService,
  checkoutTeam,
} from '../__testUtils__/fixtures';
import { incidentBriefApiRef } from '../api';
import { EntityOwnerOnCallCard, moreMembersText } from './OwnerOnCallCard';

// the full test app renders slowly on a busy machine; 5 s is not enough there
jest.setTimeout(30_000);

describe('EntityOwnerOnCallCard', () => {
  it('shows the owner group with its members, the on-call now and the escalation path', async () => {
    const { api } = await renderWithEntity(<EntityOwnerOnCallCard />);
    const list = await screen.findByRole('list', { name: 'Owner and on-call' });
    expect(
      within(list).getByRole('link', { name: 'checkout-team' }),
    ).toHaveAttribute('href', '/catalog/default/group/checkout-team');
    expect(list).toHaveTextContent('2 members');
    expect(
      await within(list).findByRole('link', { name: 'ben.okafor' }),
    ).toBeInTheDocument();
    expect(
      within(list).getByRole('link', { name: 'ana.ruiz' }),
    ).toBeInTheDocument();
    expect(list).toHaveTextContent('Ben Okafor (primary)');
    expect(list).toHaveTextContent('Ana Ruiz (secondary)');
    expect(list).toHaveTextContent('source static:checkout-primary');
    const escalation = within(list).getByRole('list', {
      name: 'Escalation path',
    });
    expect(escalation).toHaveTextContent('static:checkout-primary on-call');
    expect(escalation).toHaveTextContent('Ana Ruiz');
    expect(escalation).toHaveTextContent(
      'commerce-eng on-call (Fatima Haddad)',
    );
    expect(list).toHaveTextContent('#checkout-oncall (Slack)');
    expect(
      within(list).getByRole('link', { name: /^runbook/ }),
    ).toHaveAttribute('href', 'https://runbooks.shop.example/checkout');
    expect(screen.getByText('confidence: high')).toBeInTheDocument();
    // the owner section alone, never the whole brief (a shared service's is megabytes)
    expect(api.calls.map(c => c.method)).not.toContain('getBrief');
    expect(api.calls[0]).toMatchObject({
      method: 'getOwner',
      entityRef: 'component:default/checkout-service',
    });
  });

  it('wraps its long lines instead of clipping them, and says until when the on-call shift runs as a UTC date', async () => {
    await renderWithEntity(<EntityOwnerOnCallCard />);
    const list = await screen.findByRole('list', { name: 'Owner and on-call' });
    // Backstage's theme makes a dense list's text one clipped line (nowrap, overflow hidden):
    // "until … · source static:checkout-primary" was cut off mid-word in a half-width card.
    const texts = [...list.querySelectorAll('.MuiListItemText-root')];
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) {
      expect(getComputedStyle(text).whiteSpace).toBe('normal');
    }
    const until = within(list).getByText(/^until/);
    expect(until).toHaveTextContent(/^until 2026-03-16 09:00 UTC \(/);
    expect(until.querySelector('time')).toHaveAttribute('dateTime');
  });

  it('labels an inherited on-call, flags OWNER_IS_USER and links the PagerDuty service', async () => {
    const api = new FakeIncidentBriefApi();
    api.brief = {
      ...checkoutBrief,
      owner: {
        ...checkoutBrief.owner,
        owner: {
          ref: 'user:default/dara.singh',
          kind: 'user',
          resolved: true,
          membersCount: null,
        },
        onCall: {
          source: 'static:fulfillment-primary',
          primary: 'user:default/dara.singh',
          until: '2026-03-16T09:00:00.000Z',
          fetchedAt: null,
          step: 4,
          label: 'inherited from group:default/fulfillment-team',
        },
        onCallNames: { primary: 'Dara Singh' },
        incidentLinks: [{ tool: 'pagerduty', value: 'PPAY001' }],
        issues: [
          {
            code: 'OWNER_IS_USER',
            severity: 'warn',
            subject: 'component:default/notification-worker',
            message: 'owned by an individual, not a team',
            fix: 'set spec.owner to a group',
          },
        ],
      },
    };
    await renderWithEntity(<EntityOwnerOnCallCard />, { api });
    expect(
      await screen.findByText('inherited from group:default/fulfillment-team'),
    ).toBeInTheDocument();
    const flags = screen.getByRole('list', { name: 'Routing flags' });
    expect(flags).toHaveTextContent('OWNER_IS_USER');
    expect(flags).toHaveTextContent('owned by an individual, not a team');
    expect(
      screen.getByRole('link', { name: /^PagerDuty service PPAY001/ }),
    ).toHaveAttribute(
      'href',
      'https://app.pagerduty.com/service-directory/PPAY001',
    );
  });

  it('links the incident tool through the configured account-specific template', async () => {
    const api = new FakeIncidentBriefApi();
    api.brief = {
      ...checkoutBrief,
      owner: {
        ...checkoutBrief.owner,
        incidentLinks: [{ tool: 'opsgenie', value: 'payments team' }],
      },
    };
    await renderWithEntity(<EntityOwnerOnCallCard />, {
      api,
      config: {
        incidentBrief: {
          incidentTools: {
            opsgenie: {
              urlTemplate:
                'https://acme.app.eu.opsgenie.com/teams/list?query={id}',
            },
          },
        },
      },
    });
    expect(
      await screen.findByRole('link', { name: /^Opsgenie team payments team/ }),
    ).toHaveAttribute(
      'href',
      'https://acme.app.eu.opsgenie.com/teams/list?query=payments%20team',
    );
  });

  it('shows links that are not web links as text instead of failing the card', async () => {
    const api = new FakeIncidentBriefApi();
    api.brief = {
      ...checkoutBrief,
      owner: {
        ...checkoutBrief.owner,
        onCall: {
          ...checkoutBrief.owner.onCall!,
          url: SCRIPT_URL,
        },
        runbook: SCRIPT_URL,
        triage: '/grafana/d/checkout-attempts',
        dashboards: [
          SCRIPT_URL,
          'https://grafana.shop.example/d/checkout-latency',
        ],
      },
    };
    await renderWithEntity(<EntityOwnerOnCallCard />, { api });
    const list = await screen.findByRole('list', { name: 'Owner and on-call' });
    expect(within(list).getByText('Ben Okafor')).toBeInTheDocument();
    expect(list).toHaveTextContent(
      `source static:checkout-primary (${SCRIPT_URL}, not a web link)`,
    );
    expect(list).toHaveTextContent(`runbook (${SCRIPT_URL}, not a web link)`);
    expect(list).toHaveTextContent(
      'triage view (/grafana/d/checkout-attempts, not a web link)',
    );
    expect(list).toHaveTextContent(
      `dashboard 1 (${SCRIPT_URL}, not a web link)`,
    );
    expect(
      within(list).getByRole('link', { name: /^dashboard 2/ }),
    ).toHaveAttribute(
      'href',
      'https://grafana.shop.example/d/checkout-latency',
    );
    for (const name of [
      /static:checkout-primary/,
      /^runbook/,
      /^triage view/,
      /^dashboard 1/,
    ]) {
      expect(within(list).queryByRole('link', { name })).toBeNull();
    }
  });

  it('says an owner ref that names no entity is unresolved instead of linking it (R1)', async () => {
    const api = new FakeIncidentBriefApi();
    api.brief = {
      ...checkoutBrief,
      owner: {
        ...checkoutBrief.owner,
        owner: {
          ref: 'group:default/gone',
          kind: 'group',
          resolved: false,
          membersCount: null,
        },
      },
    };
    await renderWithEntity(<EntityOwnerOnCallCard />, { api });
    const list = await screen.findByRole('list', { name: 'Owner and on-call' });
    expect(list).toHaveTextContent(
      'group:default/gone (unresolved: not in the catalog)',
    );
    expect(within(list).queryByRole('link', { name: 'gone' })).toBeNull();
  });

  it('shows how old a cached on-call answer is, and nothing for a live one', async () => {
    const api = new FakeIncidentBriefApi();
    const evaluatedAt = '2026-03-14T02:05:00.000Z';
    const onCall = checkoutBrief.owner.onCall!;
    api.brief = {
      ...checkoutBrief,
      header: { ...checkoutBrief.header, evaluatedAt },
      owner: {
        ...checkoutBrief.owner,
        onCall: { ...onCall, fetchedAt: '2026-03-14T01:35:00.000Z' },
      },
    };
    const { unmount } = await renderWithEntity(<EntityOwnerOnCallCard />, {
      api,
    });
    expect(
      await screen.findByRole('list', { name: 'Owner and on-call' }),
    ).toHaveTextContent('source static:checkout-primary · fetched 30 min ago');
    unmount();

    const live = new FakeIncidentBriefApi();
    live.brief = {
      ...checkoutBrief,
      header: { ...checkoutBrief.header, evaluatedAt },
      owner: {
        ...checkoutBrief.owner,
        onCall: { ...onCall, fetchedAt: '2026-03-14T02:04:30.000Z' },
      },
    };
    await renderWithEntity(<EntityOwnerOnCallCard />, { api: live });
    expect(
      await screen.findByRole('list', { name: 'Owner and on-call' }),
    ).not.toHaveTextContent('fetched');
  });

  /** At 07:00 UTC, a brief whose on-call shift ends at 07:20 (timers faked until `useRealTimers`). */
  const shiftEndingAt0720 = () => {
    jest.useFakeTimers({
      now: Date.parse('2026-03-14T07:00:00.000Z'),
      advanceTimers: true,
    });
    const api = new FakeIncidentBriefApi();
    const onCall = checkoutBrief.owner.onCall!;
    api.brief = {
      ...checkoutBrief,
      owner: {
        ...checkoutBrief.owner,
        onCall: { ...onCall, until: '2026-03-14T07:20:00.000Z' },
      },
    };
    return api;
  };

  it('says when the shift shown has ended on a page left open, and reads the on-call again', async () => {
    const api = shiftEndingAt0720();
    try {
      await renderWithEntity(<EntityOwnerOnCallCard />, { api });
      const list = await screen.findByRole('list', {
        name: 'Owner and on-call',
      });
      expect(list).toHaveTextContent('(in 20 min)');
      const reads = api.calls.filter(c => c.method === 'getOwner').length;

      await act(async () => {
        jest.advanceTimersByTime(2 * 3600_000);
      });
      await waitFor(() =>
        expect(
          screen.getByRole('list', { name: 'Owner and on-call' }),
        ).toHaveTextContent('ended 1 h 40 min ago: this rotation may be over'),
      );
      expect(api.calls.filter(c => c.method === 'getOwner').length).toBe(
        reads + 1,
      );
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps the on-call shown and says so when reading it again after the shift fails', async () => {
    const api = shiftEndingAt0720();
    try {
      await renderWithEntity(<EntityOwnerOnCallCard />, { api });
      await screen.findByRole('list', { name: 'Owner and on-call' });
      api.brief = new Error('incident-brief backend unavailable');
      await act(async () => {
        jest.advanceTimersByTime(3600_000);
      });
      expect(await screen.findByTestId('refresh-error')).toHaveTextContent(
        'Could not reload: incident-brief backend unavailable',
      );
      expect(
        screen.getByRole('list', { name: 'Owner and on-call' }),
      ).toHaveTextContent('this rotation may be over');
    } finally {
      jest.useRealTimers();
    }
  });

  it('shows the error panel when the brief cannot be read', async () => {
    const api = new FakeIncidentBriefApi();
    api.brief = new Error(
      'entity component:default/checkout-service not found',
    );
    await renderWithEntity(<EntityOwnerOnCallCard />, { api });
    expect(
      (
        await screen.findAllByText(
          /entity component:default\/checkout-service not found/,
        )
      ).length,
    ).toBeGreaterThan(0);
    expect(
      screen.queryByRole('list', { name: 'Owner and on-call' }),
    ).toBeNull();
  });

  it('names the first 10 members of a large group and links the rest to its page', async () => {
    const members = Array.from(
      { length: 400 },
      (_, i) => `user:default/member-${String(i).padStart(3, '0')}`,
    );
    const bigTeam = {
      ...checkoutTeam,
      relations: members.map(targetRef => ({ type: 'hasMember', targetRef })),
    };
    const api = new FakeIncidentBriefApi();
    api.brief = {
      ...checkoutBrief,
      owner: {
        ...checkoutBrief.owner,
        owner: { ...checkoutBrief.owner.owner, membersCount: 400 },
      },
    };
    await renderInTestApp(
      <EntityProvider entity={checkoutService}>
        <EntityOwnerOnCallCard />
      </EntityProvider>,
      {
        apis: [
          [incidentBriefApiRef, api],
          [catalogApiRef, catalogApiMock({ entities: [bigTeam] })],
        ],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    const list = await screen.findByRole('list', { name: 'Owner and on-call' });
    const more = await within(list).findByRole('link', {
      name: '+390 more members',
    });
    expect(more).toHaveAttribute(
      'href',
      '/catalog/default/group/checkout-team',
    );
    expect(
      within(list).getByRole('link', { name: 'member-009' }),
    ).toBeInTheDocument();
    expect(within(list).queryByRole('link', { name: 'member-010' })).toBeNull();
    expect(
      within(list).queryAllByRole('link', { name: /^member-/ }),
    ).toHaveLength(10);
  });
});

describe('moreMembersText', () => {
  it('counts the members the owner line does not name, in the singular for one', () => {
    expect(moreMembersText(390)).toBe('+390 more members');
    expect(moreMembersText(1)).toBe('+1 more member');
    expect(moreMembersText(1200)).toBe('+1,200 more members');
  });
});
