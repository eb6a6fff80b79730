import { act } from 'react';
import { screen, within } from '@testing-library/react';
import {
  FakeGoldenPathsApi,
  ManualPermissionApi,
  promoAdminApproval,
  promoApproval,
  renderWithApi,
} from '../__testUtils__/fixtures';
import { ApprovalsInboxContent } from './ApprovalsInbox';

jest.setTimeout(30_000);

// Loading and DENY; ALLOW is in ApprovalsInbox.test.tsx. usePermission caches a basic
// permission's decision for the whole test file, so each answer needs a file of its own.

const DECIDE = 'Decide service-node-http:promo-api';
const BREAK_GLASS = 'Break-glass approve service-node-http:promo-admin-api';

describe('ApprovalsInboxContent and goldenpaths.approval.decide', () => {
  it('disables Decide and Break-glass approve while the permission loads, then names it on DENY; the approvals stay readable', async () => {
    const permissions = new ManualPermissionApi();
    const api = new FakeGoldenPathsApi();
    api.inbox = [promoApproval(), promoAdminApproval()];
    await renderWithApi(<ApprovalsInboxContent />, api, undefined, {
      permissionApi: permissions,
    });

    expect(await screen.findByRole('button', { name: DECIDE })).toBeDisabled();
    expect(screen.getByRole('button', { name: BREAK_GLASS })).toBeDisabled();
    expect(new Set(permissions.requests)).toEqual(
      new Set(['goldenpaths.approval.decide -']),
    );
    expect(screen.queryByTestId('permission-denied-note')).toBeNull();

    await act(async () =>
      permissions.answer('goldenpaths.approval.decide', 'DENY'),
    );
    const text =
      'You may not decide approvals: it needs goldenpaths.approval.decide.';
    const notes = await screen.findAllByTestId('permission-denied-note');
    expect(notes).toHaveLength(2);
    for (const note of notes) expect(note).toHaveTextContent(text);
    for (const name of [DECIDE, BREAK_GLASS]) {
      const button = screen.getByRole('button', { name });
      expect(button).toBeDisabled();
      expect(button).toHaveAccessibleDescription(text);
    }
    // What waits for a decision is still shown: the request, its triggers and plan.
    const others = screen.getByRole('region', {
      name: 'Waiting for your decision (1)',
    });
    expect(
      within(others).getByRole('list', {
        name: 'Triggers of service-node-http:promo-api',
      }),
    ).toHaveTextContent('tier-1: tier 1 service');
  });
});
