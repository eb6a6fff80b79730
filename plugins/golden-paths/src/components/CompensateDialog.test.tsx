import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  CART_API_COMPENSATION_DIGEST,
  cartApiDetail,
  FakeGoldenPathsApi,
  findEnabledButton,
  renderWithApi,
  responseError,
} from '../__testUtils__/fixtures';
import { expectScrollingWholeWordsTable } from '../__testUtils__/tables';
import { RequestDetailContent } from './RequestDetail';

jest.setTimeout(30_000);

const KEY = 'service-node-http:cart-api';
const REASON = 'Created by mistake during INC-5120';

async function openCompensation(
  user: ReturnType<typeof userEvent.setup>,
  api: FakeGoldenPathsApi,
) {
  await renderWithApi(<RequestDetailContent requestKey={KEY} />, api);
  await user.click(await findEnabledButton(`Compensate ${KEY}`));
  return screen.findByRole('dialog', { name: `Compensate ${KEY}` });
}

const realRuns = (api: FakeGoldenPathsApi) =>
  api.compensations.filter(c => !c.input.dryRun);

describe('Compensation on the request page', () => {
  it('shows the dry run first and runs the real compensation only once confirmed with a reason', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    const dialog = await openCompensation(user, api);

    const plan = await within(dialog).findByRole('table', {
      name: 'Compensation plan (dry run)',
    });
    expect(api.compensations).toEqual([
      { requestKey: KEY, input: { dryRun: true } },
    ]);
    // Whole words in a region that scrolls sideways, not "Rollba ck class" in a narrow dialog.
    expectScrollingWholeWordsTable('Compensation plan (dry run)', dialog);
    const rows = within(plan).getAllByTestId('compensation-item');
    expect(
      rows.map(r => r.querySelector('th')?.firstChild?.textContent),
    ).toEqual(api.compensation.dry.items.map(i => i.stepId));
    expect(rows[1]).toHaveTextContent('compensating');
    expect(rows[1]).toHaveTextContent('delete the local bare repository');
    expect(rows[1]).toHaveTextContent('will be done');
    // the irreversible database is called out, not undone
    expect(rows[2]).toHaveTextContent('irreversible');
    expect(rows[2]).toHaveTextContent('left for a human');
    expect(within(dialog).getByTestId('compensation-manual')).toHaveTextContent(
      'Irreversible, never undone automatically: local-postgres:cart_api.',
    );

    // Not confirmed, no reason: refused before anything is sent.
    await user.click(
      within(dialog).getByRole('button', { name: 'Run compensation' }),
    );
    expect(
      within(dialog).getByText(
        'Reason must be at least 10 characters (0 so far).',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('Confirm that you reviewed the dry run.'),
    ).toBeInTheDocument();
    expect(realRuns(api)).toEqual([]);

    // A reason alone is not a confirmation.
    await user.click(within(dialog).getByRole('textbox', { name: /Reason/ }));
    await user.paste(REASON);
    await user.click(
      within(dialog).getByRole('button', { name: 'Run compensation' }),
    );
    expect(realRuns(api)).toEqual([]);

    await user.click(
      within(dialog).getByRole('checkbox', {
        name: 'I reviewed the dry run: run this compensation for real',
      }),
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Run compensation' }),
    );
    expect(
      await within(dialog).findByTestId('compensation-result'),
    ).toHaveTextContent('Request succeeded → compensated.');
    // bound to the dry run shown
    expect(realRuns(api)).toEqual([
      {
        requestKey: KEY,
        input: {
          dryRun: false,
          reason: REASON,
          planDigest: CART_API_COMPENSATION_DIGEST,
        },
      },
    ]);
    const done = within(
      within(dialog).getByRole('table', { name: 'Compensation result' }),
    ).getAllByTestId('compensation-item');
    expect(done[3]).toHaveTextContent('request compensated');
    // the page reloads the request and says what happened
    await waitFor(() =>
      expect(api.calls.filter(c => c === `getRequest:${KEY}`)).toHaveLength(2),
    );
    expect(screen.getByTestId('compensation-done')).toHaveTextContent(
      'Compensation ran: succeeded → compensated.',
    );
  });

  it('says which permission is missing when the dry run is refused (403), and offers no run', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    api.compensateError = await responseError(
      403,
      'NotAllowedError',
      'goldenpaths.request.compensate is not allowed',
    );
    const dialog = await openCompensation(user, api);
    expect(
      await within(dialog).findByTestId('compensation-error'),
    ).toHaveTextContent(
      'You need goldenpaths.request.compensate to compensate a request (goldenpaths.request.compensate is not allowed).',
    );
    expect(
      within(dialog).queryByRole('button', { name: 'Run compensation' }),
    ).not.toBeInTheDocument();
  });

  it('shows the backend refusal of the real run and keeps the dialog open', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    const dialog = await openCompensation(user, api);
    await within(dialog).findByRole('table', {
      name: 'Compensation plan (dry run)',
    });
    const lease =
      'request "service-node-http:cart-api" is held by task-7 until 2026-11-23T10:15:00.000Z; compensate it after that task or compensation ends (switch the template or action off first to stop a running task, §8)';
    api.compensateError = await responseError(409, 'ConflictError', lease);
    await user.click(within(dialog).getByRole('textbox', { name: /Reason/ }));
    await user.paste(REASON);
    await user.click(within(dialog).getByRole('checkbox'));
    await user.click(
      within(dialog).getByRole('button', { name: 'Run compensation' }),
    );
    expect(
      await within(dialog).findByTestId('compensation-run-error'),
    ).toHaveTextContent(lease);
    expect(
      within(dialog).getByRole('button', { name: 'Run compensation' }),
    ).toBeEnabled();
  });

  it('shows the 409 of a plan that changed since the dry run and runs the new dry run, to be confirmed again', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    const dialog = await openCompensation(user, api);
    await within(dialog).findByRole('table', {
      name: 'Compensation plan (dry run)',
    });
    const changed =
      'the compensation plan changed since the dry run you confirmed (confirmed cccccccccccc…, now dddddddddddd…); run the dry run again and review it';
    api.compensateError = await responseError(409, 'ConflictError', changed);
    await user.click(within(dialog).getByRole('textbox', { name: /Reason/ }));
    await user.paste(REASON);
    await user.click(within(dialog).getByRole('checkbox'));
    await user.click(
      within(dialog).getByRole('button', { name: 'Run compensation' }),
    );
    const error = await within(dialog).findByTestId('compensation-run-error');
    expect(error).toHaveTextContent(changed);

    // The backend now plans something else: the operator sees it before anything runs.
    api.compensateError = undefined;
    const NEW = `sha256:${'d'.repeat(64)}`;
    api.compensation.dry = {
      ...api.compensation.dry,
      planDigest: NEW,
      items: api.compensation.dry.items.slice(2),
    };
    await user.click(
      within(error).getByRole('button', { name: 'Run the dry run again' }),
    );
    await waitFor(() =>
      expect(
        within(
          within(dialog).getByRole('table', {
            name: 'Compensation plan (dry run)',
          }),
        ).getAllByTestId('compensation-item'),
      ).toHaveLength(2),
    );
    expect(api.compensations.filter(c => c.input.dryRun)).toHaveLength(2);
    expect(
      within(dialog).queryByTestId('compensation-run-error'),
    ).not.toBeInTheDocument();
    // the new plan is not confirmed yet
    const confirm = within(dialog).getByRole('checkbox');
    expect(confirm).not.toBeChecked();
    await user.click(
      within(dialog).getByRole('button', { name: 'Run compensation' }),
    );
    expect(realRuns(api)).toEqual([]);
    await user.click(confirm);
    await user.click(
      within(dialog).getByRole('button', { name: 'Run compensation' }),
    );
    await within(dialog).findByTestId('compensation-result');
    expect(realRuns(api).map(r => r.input.planDigest)).toEqual([NEW]);
  });

  it('offers no compensation for a request that is already compensated', async () => {
    const api = new FakeGoldenPathsApi();
    const detail = cartApiDetail();
    detail.request = { ...detail.request, status: 'compensated' };
    api.details[KEY] = detail;
    await renderWithApi(<RequestDetailContent requestKey={KEY} />, api);
    expect(await screen.findByTestId('request-status')).toHaveTextContent(
      'compensated',
    );
    expect(
      screen.queryByRole('button', { name: `Compensate ${KEY}` }),
    ).not.toBeInTheDocument();
  });
});
