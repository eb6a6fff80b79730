import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  FakeGoldenPathsApi,
  findEnabledButton,
  renderWithApi,
  responseError,
} from '../__testUtils__/fixtures';
import { RequestDetailContent } from './RequestDetail';

jest.setTimeout(30_000);

// §8 step 3 on the request page; DENY is in RequestDetail.permission.test.tsx.

const KEY = 'service-node-http:cart-api';
const REASON = 'archived by hand on the git server (INC-5120)';
const SHA = 'b'.repeat(40);

async function openRepair(
  user: ReturnType<typeof userEvent.setup>,
  api: FakeGoldenPathsApi,
  stepId = 'publish-local',
) {
  await renderWithApi(<RequestDetailContent requestKey={KEY} />, api);
  await user.click(await findEnabledButton(`Repair step ${stepId}`));
  return screen.findByRole('dialog', { name: `Repair step ${stepId}` });
}

async function typeInto(
  user: ReturnType<typeof userEvent.setup>,
  field: HTMLElement,
  value: string,
) {
  await user.click(field);
  await user.paste(value);
}

const reloads = (api: FakeGoldenPathsApi) =>
  api.calls.filter(c => c === `getRequest:${KEY}`).length;

describe('Repairing a step on the request page', () => {
  it('sends the status, the new effect_ref and the reason, then reloads the page and says what changed', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    const dialog = await openRepair(user, api);
    // The operator is told what the repair is before sending it.
    expect(within(dialog).getByTestId('repair-audit-note')).toHaveTextContent(
      'It is recorded in the audit trail as a critical event',
    );
    expect(dialog).toHaveTextContent(
      'Recorded: done, effect_ref file:///repos/cart-api.git#abc123.',
    );

    await user.click(
      within(dialog).getByRole('checkbox', {
        name: 'Mark the step compensated (its effect was undone by hand)',
      }),
    );
    await typeInto(
      user,
      within(dialog).getByRole('textbox', { name: 'New effect_ref' }),
      ` /repos/cart-api.git@${SHA} `,
    );
    await typeInto(
      user,
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      REASON,
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Repair step' }),
    );

    expect(await screen.findByTestId('repair-done')).toHaveTextContent(
      `Step publish-local repaired (now compensated, effect_ref /repos/cart-api.git@${SHA}); recorded in the audit trail as critical.`,
    );
    expect(api.repairs).toEqual([
      {
        requestKey: KEY,
        stepId: 'publish-local',
        input: {
          status: 'compensated',
          effectRef: `/repos/cart-api.git@${SHA}`,
          reason: REASON,
        },
      },
    ]);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await waitFor(() => expect(reloads(api)).toBe(2));
  });

  it('sends only what the operator chose: a status alone carries no effect_ref', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    const dialog = await openRepair(user, api, 'register');
    await user.click(within(dialog).getByRole('checkbox'));
    await typeInto(
      user,
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      REASON,
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Repair step' }),
    );
    await screen.findByTestId('repair-done');
    expect(api.repairs.map(r => [r.stepId, r.input])).toEqual([
      ['register', { status: 'compensated', reason: REASON }],
    ]);
  });

  it('sends nothing with a reason that is too short or when nothing is to change', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    const dialog = await openRepair(user, api);

    await user.click(
      within(dialog).getByRole('button', { name: 'Repair step' }),
    );
    expect(
      within(dialog).getByText(
        'Mark the step compensated, give a new effect_ref, or both.',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'Reason must be at least 10 characters (0 so far).',
      ),
    ).toBeInTheDocument();

    await user.click(within(dialog).getByRole('checkbox'));
    await typeInto(
      user,
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'too short',
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Repair step' }),
    );
    expect(
      within(dialog).getByText(
        'Reason must be at least 10 characters (9 so far).',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).queryByText(
        'Mark the step compensated, give a new effect_ref, or both.',
      ),
    ).not.toBeInTheDocument();
    expect(api.repairs).toEqual([]);
    expect(api.calls.some(c => c.startsWith('repairStep'))).toBe(false);
  });

  it("shows the server's refusal in the dialog and keeps it open", async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    const refusal =
      'effectRef of a goldenpath:publish:git step must be "<repository>@<commit sha>" (40 or 64 hex characters), as publish records it';
    api.repairError = await responseError(400, 'InputError', refusal);
    const dialog = await openRepair(user, api);
    await typeInto(
      user,
      within(dialog).getByRole('textbox', { name: 'New effect_ref' }),
      '/repos/cart-api.git',
    );
    await typeInto(
      user,
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      REASON,
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Repair step' }),
    );
    expect(await within(dialog).findByTestId('repair-error')).toHaveTextContent(
      refusal,
    );
    expect(
      within(dialog).getByRole('button', { name: 'Repair step' }),
    ).toBeEnabled();
    expect(screen.queryByTestId('repair-done')).not.toBeInTheDocument();
    expect(reloads(api)).toBe(1);
  });

  it('names the permission when the backend answers 403', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    api.repairError = await responseError(
      403,
      'NotAllowedError',
      'goldenpaths.request.compensate is not allowed',
    );
    const dialog = await openRepair(user, api);
    await user.click(within(dialog).getByRole('checkbox'));
    await typeInto(
      user,
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      REASON,
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Repair step' }),
    );
    expect(await within(dialog).findByTestId('repair-error')).toHaveTextContent(
      'You need goldenpaths.request.compensate to repair a step (goldenpaths.request.compensate is not allowed).',
    );
  });

  it('says that nothing changed when the server answers changed: false', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    api.repairChanged = false;
    const dialog = await openRepair(user, api);
    await typeInto(
      user,
      within(dialog).getByRole('textbox', { name: 'New effect_ref' }),
      'file:///repos/cart-api.git#abc123',
    );
    await typeInto(
      user,
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      REASON,
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Repair step' }),
    );
    expect(await screen.findByTestId('repair-done')).toHaveTextContent(
      'Nothing changed: step publish-local already was in that state, so nothing was recorded.',
    );
  });
});
