import { screen, waitFor, within } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { KillSwitchState, KillSwitchView } from '../api';
import { goldenPathsApiRef } from '../api';
import {
  FakeGoldenPathsApi,
  killSwitchView,
  responseError,
} from '../__testUtils__/fixtures';
import { formatInstant } from './format';
import { GoldenPathAvailabilityField } from './GoldenPathAvailabilityField';

jest.setTimeout(30_000);

/** The steps of `templates/service-node-http` that matter here (one action per step). */
const serviceTemplate: Entity = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'service-node-http', namespace: 'default' },
  spec: {
    steps: [
      { id: 'validate', action: 'goldenpath:validate' },
      { id: 'open', action: 'goldenpath:ledger:open' },
      { id: 'publish-local', action: 'goldenpath:publish:git' },
      { id: 'register', action: 'goldenpath:register' },
      { id: 'close', action: 'goldenpath:ledger:close' },
    ],
  },
};

const SINCE = '2026-11-23T09:30:00.000Z';

function off(reason: string): KillSwitchState {
  return { disabled: true, reason, since: SINCE };
}

/** A view with only the given switches (all of them from the config). */
function switches(
  set: Partial<Pick<KillSwitchView, 'all' | 'templates' | 'actions'>>,
): KillSwitchView {
  const templates = set.templates ?? {};
  const actions = set.actions ?? {};
  return {
    all: set.all ?? { disabled: false },
    templates,
    actions,
    sources: { config: { templates, actions }, runtime: [] },
  };
}

/** Renders the field as the scaffolder does for `ui:options.template`. */
async function renderField(
  api: FakeGoldenPathsApi,
  template = 'service-node-http',
) {
  const catalog = catalogApiMock.mock({
    getEntityByRef: jest.fn(async (ref: any) =>
      (typeof ref === 'string' ? ref : ref.name) === 'service-node-http'
        ? serviceTemplate
        : undefined,
    ),
  });
  const onChange = jest.fn();
  const props = {
    uiSchema: { 'ui:options': template ? { template } : {} },
    schema: { type: 'null', title: 'Golden path availability' },
    formData: undefined,
    onChange,
    idSchema: { $id: 'root_availability' },
    name: 'availability',
    required: false,
    rawErrors: [],
  } as any;
  await renderInTestApp(<GoldenPathAvailabilityField {...props} />, {
    apis: [[goldenPathsApiRef, api], catalog],
  });
  return { catalog, onChange };
}

/** Waits until the switches were read and the progress line is gone. */
async function loaded(api: FakeGoldenPathsApi) {
  await waitFor(() => {
    expect(api.calls).toContain('getKillSwitches');
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });
}

describe('GoldenPathAvailabilityField', () => {
  it('shows a labelled progress line while the switches load', async () => {
    const api = new FakeGoldenPathsApi();
    api.getKillSwitches = () => new Promise(() => {});
    await renderField(api);
    expect(
      await screen.findByRole('progressbar', {
        name: 'Checking the golden-path kill switches',
      }),
    ).toBeInTheDocument();
  });

  it("warns when the template's own switch is off, naming it, its reason and since", async () => {
    const api = new FakeGoldenPathsApi();
    api.killSwitches = switches({
      templates: { 'service-node-http': off('CI template broken, INC-5150') },
    });
    const { catalog, onChange } = await renderField(api);
    const alert = await screen.findByTestId('golden-path-availability');
    expect(alert).toHaveTextContent('This golden path is switched off');
    const list = within(alert).getByRole('list', {
      name: 'Kill switches that stop this template',
    });
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);
    expect(list).toHaveTextContent(
      `Template service-node-http (kill switch template/service-node-http) is switched off since ${formatInstant(
        SINCE,
      )}: CI template broken, INC-5150.`,
    );
    expect(alert).toHaveTextContent(
      'A run started now is refused at its first golden-path checks, before anything is created',
    );
    // The text the run itself would throw: the backend's rule and message.
    expect(
      screen.getByTestId('golden-path-availability-refusal'),
    ).toHaveTextContent(
      /^GP-K01: Template "service-node-http" is switched off/,
    );
    expect(
      within(alert).getByRole('link', { name: 'See the kill switches' }),
    ).toHaveAttribute('href', '/golden-paths/kill-switches');
    // The template's own switch decides without its steps: no catalog read (as ledger:open).
    expect(catalog.getEntityByRef).not.toHaveBeenCalled();
    expect(onChange).not.toHaveBeenCalled();
  });

  it('warns when every golden path is off (all)', async () => {
    const api = new FakeGoldenPathsApi();
    api.killSwitches = switches({ all: off('freeze for the audit') });
    await renderField(api);
    expect(
      await screen.findByTestId('golden-path-availability'),
    ).toHaveTextContent(
      'All golden paths (kill switch all) is switched off since',
    );
  });

  it('shows nothing when no switch stops the template, and never sets a value', async () => {
    const api = new FakeGoldenPathsApi();
    api.killSwitches = switches({
      templates: { 'worker-node': off('CI workflow v3.4.1 broken') },
    });
    const { onChange } = await renderField(api);
    await loaded(api);
    expect(
      screen.queryByTestId('golden-path-availability'),
    ).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();
  });

  it('warns about an action switch for an action the template uses, naming the step', async () => {
    const api = new FakeGoldenPathsApi();
    // The §9 fixture: worker-node off (another template) and goldenpath:register off.
    api.killSwitches = killSwitchView();
    const { catalog } = await renderField(api);
    const alert = await screen.findByTestId('golden-path-availability');
    const items = within(alert).getAllByRole('listitem');
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveTextContent(
      `Action goldenpath:register (kill switch action/goldenpath:register, used by step register) is switched off since ${formatInstant(
        '2026-11-23T11:00:00.000Z',
      )}: catalog import storm, INC-5131.`,
    );
    expect(alert).not.toHaveTextContent('worker-node');
    expect(
      screen.getByTestId('golden-path-availability-refusal'),
    ).toHaveTextContent(/^GP-K02: Action goldenpath:register/);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1);
  });

  it("shows nothing when only another template's action is off (the template's steps decide)", async () => {
    const api = new FakeGoldenPathsApi();
    api.killSwitches = switches({
      actions: { 'goldenpath:lifecycle': off('lifecycle changes frozen') },
    });
    const { catalog } = await renderField(api);
    await waitFor(() =>
      expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1),
    );
    await loaded(api);
    expect(
      screen.queryByTestId('golden-path-availability'),
    ).not.toBeInTheDocument();
  });

  it('says the switches could not be checked when the backend fails, without blocking', async () => {
    const api = new FakeGoldenPathsApi();
    api.error = await responseError(
      503,
      'ServiceUnavailableError',
      'golden-paths backend is starting',
    );
    const { onChange } = await renderField(api);
    const info = await screen.findByTestId('golden-path-availability-error');
    expect(info).toHaveTextContent(
      'Could not check golden-path kill switches: golden-paths backend is starting',
    );
    expect(info).toHaveClass('MuiAlert-standardInfo');
    expect(
      screen.queryByTestId('golden-path-availability'),
    ).not.toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();
  });

  it('says so when an action switch is off but the template is not in the catalog', async () => {
    const api = new FakeGoldenPathsApi();
    api.killSwitches = killSwitchView();
    await renderField(api, 'template:default/not-registered');
    expect(
      await screen.findByTestId('golden-path-availability-error'),
    ).toHaveTextContent(
      'Could not check golden-path kill switches: template template:default/not-registered is not in the catalog',
    );
  });

  it('warns when the config switches could not be read (real runs are refused)', async () => {
    const api = new FakeGoldenPathsApi();
    api.killSwitches = {
      ...switches({}),
      configError:
        'the config kill switches could not be read, so they are not listed and real runs are refused until the config is fixed: goldenPaths.killSwitch.all.disabled must be true or false, got "yes"',
    };
    await renderField(api);
    const alert = await screen.findByTestId('golden-path-availability');
    expect(alert).toHaveTextContent('Golden-path runs are refused');
    expect(alert).toHaveTextContent(
      'real runs are refused until the config is fixed',
    );
  });

  it('names the missing option when a template forgot ui:options.template', async () => {
    const api = new FakeGoldenPathsApi();
    await renderField(api, '');
    expect(
      await screen.findByText(/the field has no ui:options.template/),
    ).toBeInTheDocument();
    expect(api.calls).not.toContain('getKillSwitches');
  });
});
