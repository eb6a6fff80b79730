import { act, JSX } from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  FakeScorecardsApi,
  ManualPermissionApi,
  daysFromNow,
  waiver,
} from '../__testUtils__/fixtures';
import { scorecardsApiRef } from '../api';
import { CampaignsPageContent } from './campaigns/CampaignsPage';
import { WaiverTable } from './waivers/WaiverTable';

jest.setTimeout(30_000);

// The basic permissions' loading and DENY states live in this file: usePermission caches a
// decision per permission for the whole test file, so the ALLOW tests next to each view would
// otherwise see these answers (and these tests theirs). One test per permission here.

async function render(element: JSX.Element, permissions: ManualPermissionApi) {
  const api = new FakeScorecardsApi();
  await renderInTestApp(element, {
    apis: [
      [scorecardsApiRef, api],
      [permissionApiRef, permissions],
      mockApis.identity({ userEntityRef: 'user:default/ben.okafor' }),
    ],
  });
  return api;
}

describe('permission pre-checks', () => {
  it('Revoke: disabled while scorecards.waiver.revoke loads, disabled with the permission named on DENY; Approve and Reject stay for the backend to decide; Withdraw request on one’s own pending waiver is not gated', async () => {
    const permissions = new ManualPermissionApi();
    const pending = waiver({
      id: 'w-pending',
      checkId: 'rollback-exercised',
      status: 'pending',
      approvedBy: undefined,
      requestedBy: 'user:default/ana.ruiz',
    });
    // requested by the signed-in ben.okafor
    const ownPending = waiver({
      id: 'w-own-pending',
      checkId: 'runbook-present',
      status: 'pending',
      approvedBy: undefined,
      requestedBy: 'user:default/ben.okafor',
    });
    const active = waiver({ id: 'w-active', expiresAt: daysFromNow(20) });
    const api = await render(
      <WaiverTable
        waivers={[pending, ownPending, active]}
        label="Waivers"
        onChanged={() => {}}
      />,
      permissions,
    );
    const table = await screen.findByRole('table', { name: 'Waivers' });
    const revoke = within(table).getByRole('button', {
      name: 'Revoke waiver on dependencies-match-observed',
    });
    await waitFor(() =>
      expect(permissions.requests).toEqual(['scorecards.waiver.revoke -']),
    );
    expect(revoke).toBeDisabled();
    expect(within(table).queryByTestId('permission-denied-note')).toBeNull();
    // not waiting for the permission: one's own request is withdrawn without it
    await waitFor(() =>
      expect(
        within(table).getByRole('button', {
          name: 'Withdraw request for waiver on runbook-present',
        }),
      ).toBeEnabled(),
    );

    await act(async () =>
      permissions.answer('scorecards.waiver.revoke', 'DENY'),
    );
    const note = await within(table).findByTestId('permission-denied-note');
    expect(note).toHaveTextContent(
      'You may not revoke waivers: it needs scorecards.waiver.revoke.',
    );
    expect(revoke).toBeDisabled();
    expect(revoke).toHaveAccessibleDescription(
      'You may not revoke waivers: it needs scorecards.waiver.revoke.',
    );
    // scorecards.waiver.approve is conditional on the check (isCheckOwnerMember): never asked
    // in the browser, so Approve and Reject are enabled and the backend decides.
    const row = within(table).getByTestId('waiver-w-pending');
    await waitFor(() =>
      expect(
        within(row).getByRole('button', {
          name: 'Approve waiver on rollback-exercised',
        }),
      ).toBeEnabled(),
    );
    expect(
      within(row).getByRole('button', {
        name: 'Reject waiver on rollback-exercised',
      }),
    ).toBeEnabled();
    expect(permissions.requests).toEqual(['scorecards.waiver.revoke -']);

    // someone else's pending request cannot be withdrawn (nor revoked) without the permission
    expect(within(row).queryByRole('button', { name: /^Withdraw/ })).toBeNull();
    // one's own can, the backend allowing its requester without scorecards.waiver.revoke
    const own = within(table).getByTestId('waiver-w-own-pending');
    const withdraw = within(own).getByRole('button', {
      name: 'Withdraw request for waiver on runbook-present',
    });
    expect(withdraw).toBeEnabled();
    expect(withdraw).not.toHaveAccessibleDescription();
    await userEvent.click(withdraw);
    const dialog = await screen.findByRole('dialog', {
      name: 'Withdraw waiver request',
    });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /^Why withdrawn/ }),
      'Requested on the wrong check.',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Withdraw request' }),
    );
    await waitFor(() =>
      expect(api.waiverCalls).toEqual([
        {
          method: 'revokeWaiver',
          id: 'w-own-pending',
          body: { reason: 'Requested on the wrong check.' },
        },
      ]),
    );
  });

  it('New campaign: disabled while scorecards.campaign.manage loads, disabled with the permission named on DENY', async () => {
    const permissions = new ManualPermissionApi();
    await render(<CampaignsPageContent />, permissions);
    expect(await screen.findByText('No campaigns yet')).toBeInTheDocument();
    const button = screen.getByRole('button', { name: 'New campaign' });
    expect(permissions.requests).toEqual(['scorecards.campaign.manage -']);
    expect(button).toBeDisabled();
    expect(screen.queryByTestId('permission-denied-note')).toBeNull();

    await act(async () =>
      permissions.answer('scorecards.campaign.manage', 'DENY'),
    );
    expect(
      await screen.findByTestId('permission-denied-note'),
    ).toHaveTextContent(
      'You may not create campaigns: it needs scorecards.campaign.manage.',
    );
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(
      'You may not create campaigns: it needs scorecards.campaign.manage.',
    );
    expect(
      screen.getByText(/Campaigns are created by someone holding/),
    ).toBeInTheDocument();
  });
});
