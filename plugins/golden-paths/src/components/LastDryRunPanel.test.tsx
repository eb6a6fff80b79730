import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  D1,
  FakeGoldenPathsApi,
  findEnabledButton,
  FP,
  renderWithApi,
  responseError,
} from '../__testUtils__/fixtures';
import type { LastDryRunAnswer } from '../api';
import { formatInstant } from './format';
import { KillSwitchesContent } from './KillSwitches';

jest.setTimeout(30_000);

const REGISTER = 'action/goldenpath:register';

/** The register switch (thrown 11:00) and a dry run of a template that uses the action. */
function registerAnswer(
  over: Partial<NonNullable<LastDryRunAnswer['lastDryRun']>> = {},
): LastDryRunAnswer {
  return {
    scope: 'action',
    id: 'goldenpath:register',
    covers: {
      kind: 'templates',
      templates: ['service-node-http', 'worker-node'],
    },
    switchedOffSince: '2026-11-23T11:00:00.000Z',
    lastDryRun: {
      eventId: '01JD0000000000000000000001',
      at: '2026-11-23T11:40:00.000Z',
      by: 'user:default/ana.ruiz',
      taskId: 'task-dry-1',
      requestKey: 'service-node-http:basket-api',
      templateRef: 'template:default/service-node-http',
      template: 'service-node-http',
      templateVersion: '1.0.0',
      fingerprint: FP,
      planDigest: D1,
      outcome: 'would-create',
      afterSwitch: true,
      ...over,
    },
  };
}

async function openLift(user: ReturnType<typeof userEvent.setup>) {
  const table = await screen.findByRole('table', { name: 'Kill switches' });
  const runtime = within(table).getAllByTestId('kill-switch-row')[1];
  await user.click(
    await findEnabledButton('Lift goldenpath:register', within(runtime)),
  );
  return screen.findByRole('dialog', { name: 'Lift goldenpath:register' });
}

const panel = (dialog: HTMLElement) =>
  within(dialog).findByRole('region', { name: 'Last dry run' });

describe('the last dry run when a kill switch is lifted', () => {
  it('shows when it ran, who ran it, what a real run would do and the plan digest', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    api.lastDryRuns[REGISTER] = registerAnswer();
    await renderWithApi(<KillSwitchesContent />, api);
    const region = await panel(await openLift(user));

    expect(await within(region).findByText('When')).toBeInTheDocument();
    expect(api.calls).toContain(`getLastDryRun:${REGISTER}`);
    expect(region).toHaveTextContent('Covers: service-node-http, worker-node.');
    expect(region).toHaveTextContent(
      `${formatInstant(
        '2026-11-23T11:40:00.000Z',
      )} (after the switch was thrown)`,
    );
    expect(region).toHaveTextContent('user:default/ana.ruiz');
    expect(region).toHaveTextContent(
      'template:default/service-node-http version 1.0.0',
    );
    expect(region).toHaveTextContent('service-node-http:basket-api');
    expect(region).toHaveTextContent(
      'Would create the request: the ledger holds nothing under its key.',
    );
    expect(region).toHaveTextContent(D1);
    expect(
      within(region).queryByTestId('last-dry-run-stale'),
    ).not.toBeInTheDocument();
  });

  it('says a dry run ran through the kill switch (§4.7: the no-op proof while it is on)', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    api.lastDryRuns[REGISTER] = registerAnswer({
      wouldBeRefusedBy: { ruleId: 'GP-K02' },
    });
    await renderWithApi(<KillSwitchesContent />, api);
    const region = await panel(await openLift(user));
    expect(await within(region).findByText('Outcome')).toBeInTheDocument();
    expect(region).toHaveTextContent(
      'Would create the request: the ledger holds nothing under its key. It ran through the kill switch: a real run was refused then (GP-K02), so this is the no-op proof made while the switch is on.',
    );
  });

  it.each([
    [
      'a dry run the ledger refused (it shows nothing of what would run)',
      { outcome: 'refused' as const, ruleId: 'GP-I03' },
      'Refused at the ledger (GP-I03)',
    ],
    [
      'a dry run from before this switch, through another one',
      { at: '2026-11-23T10:00:00.000Z', afterSwitch: false },
      'Would create the request: the ledger holds nothing under its key.',
    ],
  ])('does not call %s the no-op proof', async (_case, over, outcomeText) => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    api.lastDryRuns[REGISTER] = registerAnswer({
      ...over,
      wouldBeRefusedBy: { ruleId: 'GP-K03' },
    });
    await renderWithApi(<KillSwitchesContent />, api);
    const region = await panel(await openLift(user));
    expect(await within(region).findByText('Outcome')).toBeInTheDocument();
    expect(region).toHaveTextContent(outcomeText);
    expect(region).not.toHaveTextContent('ran through the kill switch');
    expect(region).not.toHaveTextContent('no-op proof');
  });

  it('warns when the dry run is older than the switch, and names a refusal by a kill switch', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    api.lastDryRuns[REGISTER] = registerAnswer({
      at: '2026-11-23T10:00:00.000Z',
      afterSwitch: false,
      outcome: 'refused',
      ruleId: 'GP-K01',
      planDigest: undefined,
    });
    await renderWithApi(<KillSwitchesContent />, api);
    const region = await panel(await openLift(user));
    expect(
      await within(region).findByTestId('last-dry-run-stale'),
    ).toHaveTextContent(
      `This dry run ran before the switch was thrown (${formatInstant(
        '2026-11-23T11:00:00.000Z',
      )}), so it does not show what runs now. Run a dry run first`,
    );
    expect(region).toHaveTextContent(
      'Refused at the ledger by a kill switch (GP-K01): the steps after it were not tried.',
    );
    expect(region).toHaveTextContent('not recorded by this dry run');
  });

  it('shows the last dry run that ran beside the newer ones a switch refused', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    const refusal = registerAnswer({
      at: '2026-11-23T11:50:00.000Z',
      taskId: 'task-dry-2',
      outcome: 'refused',
      ruleId: 'GP-K02',
      planDigest: undefined,
    }).lastDryRun!;
    api.lastDryRuns[REGISTER] = {
      ...registerAnswer({ at: '2026-11-23T10:00:00.000Z', afterSwitch: false }),
      latestSwitchRefusal: refusal,
    };
    await renderWithApi(<KillSwitchesContent />, api);
    let region = await panel(await openLift(user));
    expect(
      await within(region).findByTestId('last-dry-run-switch-refusal'),
    ).toHaveTextContent(
      `Dry runs since the switch was thrown were refused by it (the newest ${formatInstant(
        '2026-11-23T11:50:00.000Z',
      )}, GP-K02): a refused dry run shows nothing of what would run. The last one that ran is shown.`,
    );
    // the one shown is the one that ran, still flagged as older than the switch
    expect(region).toHaveTextContent(
      'Would create the request: the ledger holds nothing under its key.',
    );
    expect(
      within(region).getByTestId('last-dry-run-stale'),
    ).toBeInTheDocument();
    expect(region).toHaveTextContent(D1);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));

    // none that ran is on record: the refusal is still named
    api.lastDryRuns[REGISTER] = {
      ...registerAnswer(),
      lastDryRun: undefined,
      latestSwitchRefusal: refusal,
      searched: { records: 12, complete: true },
    };
    region = await panel(await openLift(user));
    expect(
      await within(region).findByTestId('last-dry-run-switch-refusal'),
    ).not.toHaveTextContent('The last one that ran is shown.');
    expect(within(region).getByTestId('last-dry-run-none')).toHaveTextContent(
      'No dry run that got past the kill switches is on record, so nothing shows what will run once the switch is lifted. Run a dry run first.',
    );
  });

  it('says how far the search went when it stopped before finding one', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    api.lastDryRuns[REGISTER] = {
      ...registerAnswer(),
      lastDryRun: undefined,
      searched: { records: 2000, complete: false },
    };
    await renderWithApi(<KillSwitchesContent />, api);
    const region = await panel(await openLift(user));
    expect(
      await within(region).findByTestId('last-dry-run-none'),
    ).toHaveTextContent(
      'No dry run among the newest 2000 dry runs of any golden path (older ones were not searched), so nothing shows what will run once the switch is lifted. Run a dry run first.',
    );
    expect(region).not.toHaveTextContent('is on record');
  });

  it('names the permission the request details need when they were left out', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    const {
      by: _by,
      taskId: _task,
      requestKey: _key,
      templateRef: _ref,
      fingerprint: _fp,
      planDigest: _digest,
      ...kept
    } = registerAnswer().lastDryRun!;
    api.lastDryRuns[REGISTER] = {
      ...registerAnswer(),
      lastDryRun: kept,
      withheld: {
        permission: 'goldenpaths.request.read',
        fields: [
          'by',
          'taskId',
          'requestKey',
          'templateRef',
          'fingerprint',
          'planDigest',
        ],
      },
    };
    await renderWithApi(<KillSwitchesContent />, api);
    const region = await panel(await openLift(user));
    expect(await within(region).findByText('When')).toBeInTheDocument();
    const value = (label: string) =>
      within(region).getByText(label).nextElementSibling;
    expect(value('Who')).toHaveTextContent('needs goldenpaths.request.read');
    expect(value('Request key')).toHaveTextContent(
      'needs goldenpaths.request.read',
    );
    expect(value('Plan digest')).toHaveTextContent(
      'needs goldenpaths.request.read',
    );
    // the template's name is not the request's: shown
    expect(value('Template')).toHaveTextContent(
      'service-node-http version 1.0.0',
    );
    expect(region).not.toHaveTextContent('not recorded');
  });

  it('says when no dry run is on record, and when no template uses the action', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    api.lastDryRuns[REGISTER] = {
      scope: 'action',
      id: 'goldenpath:register',
      covers: { kind: 'templates', templates: ['service-node-http'] },
    };
    await renderWithApi(<KillSwitchesContent />, api);
    let region = await panel(await openLift(user));
    expect(
      await within(region).findByTestId('last-dry-run-none'),
    ).toHaveTextContent(
      'No dry run is on record, so nothing shows what will run once the switch is lifted. Run a dry run first.',
    );
    // lifting stays possible: the spec says SHOULD
    await user.click(screen.getByRole('button', { name: 'Cancel' }));

    api.lastDryRuns[REGISTER] = {
      ...api.lastDryRuns[REGISTER],
      covers: { kind: 'templates', templates: [] },
    };
    region = await panel(await openLift(user));
    expect(
      await within(region).findByTestId('last-dry-run-none'),
    ).toHaveTextContent(
      'No template in the catalog uses this action, so no dry run shows what it would do.',
    );
    expect(region).toHaveTextContent('Covers: no template in the catalog.');
  });

  it('shows why the coverage is unknown', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    const message =
      'the templates that use goldenpath:register could not be read from the catalog (catalog answered 503 when reading templates), so no dry run can be matched to the switch';
    api.lastDryRuns[REGISTER] = {
      scope: 'action',
      id: 'goldenpath:register',
      covers: { kind: 'unknown', message },
    };
    await renderWithApi(<KillSwitchesContent />, api);
    const region = await panel(await openLift(user));
    expect(await within(region).findByText(message)).toBeInTheDocument();
    expect(region).toHaveTextContent('Covers: unknown.');
  });

  it('says while it loads, shows an error with a retry, then the answer', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    let release!: () => void;
    const gate = new Promise<void>(resolve => {
      release = resolve;
    });
    const read = api.getLastDryRun.bind(api);
    api.getLastDryRun = async (scope, id) => {
      await gate;
      return read(scope, id);
    };
    api.lastDryRunError = await responseError(
      403,
      'NotAllowedError',
      'goldenpaths.killswitch.manage is not allowed',
    );
    await renderWithApi(<KillSwitchesContent />, api);
    const region = await panel(await openLift(user));
    expect(within(region).getByRole('status')).toHaveTextContent(
      'Looking up the last dry run…',
    );
    release();
    expect(
      await within(region).findByTestId('last-dry-run-error'),
    ).toHaveTextContent(
      'The last dry run could not be read: You need goldenpaths.killswitch.manage to read it (goldenpaths.killswitch.manage is not allowed).',
    );

    api.lastDryRunError = undefined;
    api.lastDryRuns[REGISTER] = registerAnswer();
    await user.click(within(region).getByRole('button', { name: 'Retry' }));
    expect(
      await within(region).findByText(
        'Would create the request: the ledger holds nothing under its key.',
      ),
    ).toBeInTheDocument();
  });

  it('is shown only for a lift: for a typed template once its field is left, for all at once', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    await renderWithApi(<KillSwitchesContent />, api);
    await user.click(await findEnabledButton('Disable or lift a switch…'));
    const dialog = await screen.findByRole('dialog', {
      name: 'Disable or lift a kill switch',
    });
    // disabling: no dry run to show
    expect(within(dialog).queryByTestId('last-dry-run')).toBeNull();
    await user.click(
      within(dialog).getByRole('radio', { name: 'Lift (allow again)' }),
    );
    expect(within(dialog).queryByTestId('last-dry-run')).toBeNull();
    await user.click(within(dialog).getByRole('textbox', { name: /Template/ }));
    await user.paste('service-node-http');
    expect(within(dialog).queryByTestId('last-dry-run')).toBeNull();
    await user.tab();
    const region = await panel(dialog);
    expect(
      await within(region).findByTestId('last-dry-run-none'),
    ).toBeInTheDocument();
    expect(region).toHaveTextContent('Covers: service-node-http.');
    expect(api.calls).toContain('getLastDryRun:template/service-node-http');

    // scope all: looked up without an id
    await user.click(within(dialog).getByRole('button', { name: /Scope/ }));
    await user.click(
      await screen.findByRole('option', {
        name: 'Everything (all golden paths)',
      }),
    );
    await waitFor(() => expect(api.calls).toContain('getLastDryRun:all/all'));
    expect(await panel(dialog)).toHaveTextContent('Covers: every golden path.');
  });

  it('never shows the answer for an id the field no longer holds', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    await renderWithApi(<KillSwitchesContent />, api);
    await user.click(await findEnabledButton('Disable or lift a switch…'));
    const dialog = await screen.findByRole('dialog', {
      name: 'Disable or lift a kill switch',
    });
    await user.click(
      within(dialog).getByRole('radio', { name: 'Lift (allow again)' }),
    );
    const field = within(dialog).getByRole('textbox', { name: /Template/ });
    await user.click(field);
    await user.paste('service-node-http');
    await user.tab();
    expect(await panel(dialog)).toHaveTextContent('Covers: service-node-http.');

    // another template typed: service-node-http's answer is not shown for it, not even before
    // the field is left (Enter submits the form without leaving it)
    await user.clear(field);
    await user.type(field, 'worker-node');
    expect(within(dialog).queryByTestId('last-dry-run')).toBeNull();
    await user.tab();
    expect(await panel(dialog)).toHaveTextContent('Covers: worker-node.');
    expect(api.calls).toContain('getLastDryRun:template/worker-node');
  });
});
