import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import type { Waiver } from '@internal/plugin-scorecards-common';
import {
  FakeScorecardsApi,
  daysFromNow,
  responseError,
  waiver,
} from '../../__testUtils__/fixtures';
import { scorecardsApiRef } from '../../api';
import { WaiverTable } from './WaiverTable';

jest.setTimeout(30_000);

const pending = waiver({
  id: 'w-pending',
  checkId: 'rollback-exercised',
  status: 'pending',
  approvedBy: undefined,
  createdAt: daysFromNow(-1),
  expiresAt: daysFromNow(29),
});
const active = waiver({ id: 'w-active', expiresAt: daysFromNow(2) });
const expired = waiver({
  id: 'w-expired',
  checkId: 'runbook-present',
  expiresAt: daysFromNow(-1),
});

async function renderTable(
  waivers: Waiver[] = [pending, active, expired],
  user = 'user:default/ben.okafor',
) {
  const api = new FakeScorecardsApi();
  api.waivers = waivers;
  const onChanged = jest.fn();
  await renderInTestApp(
    <WaiverTable
      waivers={waivers}
      label="Waivers of checkout-service"
      showEntity
      checkInfo={id =>
        id === 'rollback-exercised'
          ? {
              title: 'Rollback exercised',
              class: 'required',
              level: 'L3',
              severity: 'medium',
            }
          : undefined
      }
      onChanged={onChanged}
    />,
    {
      apis: [
        [scorecardsApiRef, api],
        mockApis.identity({ userEntityRef: user }),
      ],
    },
  );
  const table = await screen.findByRole('table', {
    name: 'Waivers of checkout-service',
  });
  return { api, table, onChanged, user: userEvent.setup() };
}

describe('WaiverTable', () => {
  it('lists waivers with derived status, class and severity, requested duration and the actions each status allows', async () => {
    const { table } = await renderTable();
    const p = within(table).getByTestId('waiver-w-pending');
    expect(p).toHaveTextContent('component:default/checkout-service');
    expect(p).toHaveTextContent('Rollback exercised');
    expect(p).toHaveTextContent(
      'rollback-exercised · required · L3 · severity medium',
    );
    expect(p).toHaveTextContent('for 30 d');
    expect(within(p).getByTestId('waiver-status')).toHaveTextContent('pending');
    expect(
      within(p).getByRole('button', {
        name: 'Approve waiver on rollback-exercised',
      }),
    ).toBeEnabled();
    expect(
      within(p).getByRole('button', {
        name: 'Reject waiver on rollback-exercised',
      }),
    ).toBeEnabled();

    const a = within(table).getByTestId('waiver-w-active');
    expect(within(a).getByTestId('waiver-status')).toHaveTextContent('active');
    expect(
      within(a)
        .getAllByRole('button')
        .map(b => b.textContent),
    ).toEqual(['Revoke']);
    // An active waiver past its expiry is expired: no action, no longer counts.
    const e = within(table).getByTestId('waiver-w-expired');
    expect(within(e).getByTestId('waiver-status')).toHaveTextContent('expired');
    expect(within(e).queryAllByRole('button')).toEqual([]);
  });

  it('approves a pending waiver, with every action disabled while the request runs', async () => {
    const { api, table, onChanged, user } = await renderTable();
    let release!: () => void;
    api.gate = new Promise(r => {
      release = r;
    });
    await user.click(
      within(table).getByRole('button', {
        name: 'Approve waiver on rollback-exercised',
      }),
    );
    for (const b of within(table).getAllByRole('button')) {
      expect(b).toBeDisabled();
    }
    release();
    await waitFor(() => expect(onChanged).toHaveBeenCalledTimes(1));
    expect(api.waiverCalls).toEqual([
      { method: 'approveWaiver', id: 'w-pending', body: undefined },
    ]);
    expect(screen.getByRole('status')).toHaveTextContent(
      'Waiver on rollback-exercised (component:default/checkout-service) approved.',
    );
    expect(within(table).getAllByRole('button')[0]).toBeEnabled();
  });

  it('rejects with a required reason', async () => {
    const { api, table, onChanged, user } = await renderTable();
    await user.click(
      within(table).getByRole('button', {
        name: 'Reject waiver on rollback-exercised',
      }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Reject waiver' });
    await user.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(dialog).toHaveTextContent(
      'Say why, so the requester knows what to change.',
    );
    expect(api.waiverCalls).toEqual([]);
    await user.type(
      within(dialog).getByLabelText(/^Reason/),
      'Plan a drill first',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Reject' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalledTimes(1));
    expect(api.waiverCalls).toEqual([
      {
        method: 'rejectWaiver',
        id: 'w-pending',
        body: { reason: 'Plan a drill first' },
      },
    ]);
  });

  it('revokes an active waiver after confirmation', async () => {
    const { api, table, onChanged, user } = await renderTable();
    await user.click(
      within(table).getByRole('button', {
        name: 'Revoke waiver on dependencies-match-observed',
      }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Revoke waiver' });
    expect(dialog).toHaveTextContent('The waiver stops counting at once');
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalledTimes(1));
    expect(api.waiverCalls).toEqual([
      { method: 'revokeWaiver', id: 'w-active', body: { reason: undefined } },
    ]);
  });

  it('shows a 403 as "You are not allowed to … (permission …)" with the server message', async () => {
    const { api, table, onChanged, user } = await renderTable();
    api.waiverError = await responseError(
      403,
      'scorecards.waiver.approve is not allowed on check rollback-exercised',
    );
    await user.click(
      within(table).getByRole('button', {
        name: 'Approve waiver on rollback-exercised',
      }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'You are not allowed to approve the waiver on rollback-exercised (permission scorecards.waiver.approve)',
    );
    expect(alert).toHaveTextContent(
      'scorecards.waiver.approve is not allowed on check rollback-exercised',
    );
    expect(onChanged).not.toHaveBeenCalled();

    api.waiverError = await responseError(
      403,
      'scorecards.waiver.revoke is not allowed',
    );
    await user.click(
      within(table).getByRole('button', {
        name: 'Revoke waiver on dependencies-match-observed',
      }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Revoke waiver' });
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        'You are not allowed to revoke the waiver on dependencies-match-observed (permission scorecards.waiver.revoke)',
      ),
    );
  });

  it('does not offer approval of one’s own request', async () => {
    const { table } = await renderTable([pending], 'user:default/ana.ruiz');
    const p = within(table).getByTestId('waiver-w-pending');
    await waitFor(() =>
      expect(
        within(p).getByRole('button', {
          name: 'Approve waiver on rollback-exercised',
        }),
      ).toBeDisabled(),
    );
    expect(p).toHaveTextContent('You requested it; someone else approves.');
  });
});
