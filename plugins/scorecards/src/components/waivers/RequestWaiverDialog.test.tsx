import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { Waiver } from '@internal/plugin-scorecards-common';
import { FakeScorecardsApi, responseError } from '../../__testUtils__/fixtures';
import { scorecardsApiRef } from '../../api';
import { RequestWaiverDialog } from './RequestWaiverDialog';
import { CheckWaiverRules } from './waiverRules';

jest.setTimeout(30_000);

const NOW = Date.parse('2026-03-14T02:05:00.000Z');
const RESULT = {
  checkId: 'dependencies-match-observed',
  title: 'Declared dependencies match traffic',
  class: 'required' as const,
  level: 'L2' as const,
  severity: 'medium' as const,
  state: 'fail' as const,
};

async function renderDialog(
  rules: CheckWaiverRules = { allowed: true, maxDays: 90, fromStandard: true },
) {
  const api = new FakeScorecardsApi();
  const onRequested = jest.fn<void, [Waiver]>();
  const onClose = jest.fn();
  await renderInTestApp(
    <RequestWaiverDialog
      open
      entityRef="component:default/checkout-service"
      result={RESULT}
      rules={rules}
      onClose={onClose}
      onRequested={onRequested}
      now={() => NOW}
    />,
    { apis: [[scorecardsApiRef, api]] },
  );
  const dialog = await screen.findByRole('dialog', {
    name: 'Request waiver: Declared dependencies match traffic',
  });
  return { api, dialog, onRequested, onClose, user: userEvent.setup() };
}

function fill(dialog: HTMLElement, reason: string, date: string) {
  fireEvent.change(within(dialog).getByLabelText(/^Reason/), {
    target: { value: reason },
  });
  fireEvent.change(within(dialog).getByLabelText(/^Expires on/), {
    target: { value: date },
  });
}

describe('RequestWaiverDialog', () => {
  it('is a labelled dialog with the kinds of §2.8 as a radio group and the expiry bounds', async () => {
    const { dialog } = await renderDialog();
    const kinds = within(dialog).getByRole('radiogroup', { name: 'Kind' });
    expect(
      within(kinds)
        .getAllByRole('radio')
        .map(r => (r as HTMLInputElement).value),
    ).toEqual([
      'exception',
      'platform-blocked',
      'decommissioning',
      'frozen',
      'false-positive',
    ]);
    expect(
      within(kinds).getByRole('radio', { name: 'Exception' }),
    ).toBeChecked();
    const date = within(dialog).getByLabelText(/^Expires on/);
    expect(date).toHaveAttribute('type', 'date');
    expect(date).toHaveAttribute('min', '2026-03-15');
    expect(date).toHaveAttribute('max', '2026-06-12');
    expect(dialog).toHaveTextContent('at most 90 days for this check');
  });

  it('validates in the browser with the backend limits and sends nothing while invalid', async () => {
    const { api, dialog, user } = await renderDialog();
    await user.click(
      within(dialog).getByRole('button', { name: 'Request waiver' }),
    );
    expect(within(dialog).getByLabelText(/^Reason/)).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(dialog).toHaveTextContent(
      'Give a reason of at least 20 characters (0 so far).',
    );
    expect(dialog).toHaveTextContent('Pick the date the waiver expires.');

    fill(dialog, 'Repository is moving to the new host.', '2026-06-13');
    expect(dialog).toHaveTextContent(
      'At most 90 days: pick 2026-06-12 or earlier.',
    );
    // A false positive is capped at 14 days.
    await user.click(
      within(dialog).getByRole('radio', { name: 'False positive' }),
    );
    expect(dialog).toHaveTextContent(
      'At most 14 days for a false positive: pick 2026-03-28 or earlier.',
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Request waiver' }),
    );
    expect(api.waiverCalls).toEqual([]);
  });

  it('posts the waiver with the entity, check, kind, trimmed reason, expiry and ticket', async () => {
    const { api, dialog, onRequested, user } = await renderDialog();
    await user.click(
      within(dialog).getByRole('radio', { name: 'Blocked by platform' }),
    );
    fill(
      dialog,
      '  SLO tooling is not available on lambda yet.  ',
      '2026-04-30',
    );
    fireEvent.change(within(dialog).getByLabelText(/^Ticket/), {
      target: { value: 'https://tracker.example.com/PLAT-123' },
    });
    await user.click(
      within(dialog).getByRole('button', { name: 'Request waiver' }),
    );
    await waitFor(() => expect(onRequested).toHaveBeenCalledTimes(1));
    expect(api.waiverCalls).toEqual([
      {
        method: 'requestWaiver',
        body: {
          entityRef: 'component:default/checkout-service',
          checkId: 'dependencies-match-observed',
          kind: 'platform-blocked',
          reason: 'SLO tooling is not available on lambda yet.',
          expiresAt: '2026-04-30T00:00:00.000Z',
          ticket: 'https://tracker.example.com/PLAT-123',
        },
      },
    ]);
    expect(onRequested.mock.calls[0][0]).toMatchObject({ status: 'pending' });
  });

  it('shows a 4xx message from the server verbatim and keeps the form', async () => {
    const { api, dialog, onRequested, user } = await renderDialog();
    api.waiverError = await responseError(
      409,
      'a pending waiver already exists for component:default/checkout-service and dependencies-match-observed: w9',
      'ConflictError',
    );
    fill(dialog, 'Repository is moving to the new host.', '2026-04-01');
    await user.click(
      within(dialog).getByRole('button', { name: 'Request waiver' }),
    );
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(
      'a pending waiver already exists for component:default/checkout-service and dependencies-match-observed: w9',
    );
    expect(onRequested).not.toHaveBeenCalled();
    expect(within(dialog).getByLabelText(/^Reason/)).toHaveValue(
      'Repository is moving to the new host.',
    );
  });

  it('shows a 403 as "You are not allowed to …" with the permission', async () => {
    const { api, dialog, user } = await renderDialog();
    api.waiverError = await responseError(
      403,
      'scorecards.waiver.create is not allowed on component:default/checkout-service',
    );
    fill(dialog, 'Repository is moving to the new host.', '2026-04-01');
    await user.click(
      within(dialog).getByRole('button', { name: 'Request waiver' }),
    );
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(
      'You are not allowed to request a waiver on component:default/checkout-service (permission scorecards.waiver.create)',
    );
    expect(alert).toHaveTextContent(
      'scorecards.waiver.create is not allowed on component:default/checkout-service',
    );
  });

  it('disables its buttons while the request runs', async () => {
    const { api, dialog, onRequested, user } = await renderDialog();
    let release!: () => void;
    api.gate = new Promise(r => {
      release = r;
    });
    fill(dialog, 'Repository is moving to the new host.', '2026-04-01');
    await user.click(
      within(dialog).getByRole('button', { name: 'Request waiver' }),
    );
    expect(
      within(dialog).getByRole('button', { name: 'Request waiver' }),
    ).toBeDisabled();
    expect(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    ).toBeDisabled();
    release();
    await waitFor(() => expect(onRequested).toHaveBeenCalled());
  });

  it('says so when the standard does not allow waivers on the check', async () => {
    const { dialog } = await renderDialog({
      allowed: false,
      maxDays: 30,
      fromStandard: true,
    });
    expect(dialog).toHaveTextContent(
      'dependencies-match-observed cannot be waived',
    );
    expect(
      within(dialog).getByRole('button', { name: 'Request waiver' }),
    ).toBeDisabled();
  });
});
