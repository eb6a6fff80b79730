import { screen, waitFor, within } from '@testing-library/react';
import { parseEntityRef, type Entity } from '@backstage/catalog-model';
import { Route, Routes } from 'react-router-dom';
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

const lower = (s: string) => s.toLocaleLowerCase('en-US');

/**
 * Renders the field as the scaffolder does for `ui:options.template`: on its own (the template
 * editor's preview) or, with `at`, on the scaffolder's template page at that path
 * (`/create/templates/:namespace/:templateName`). The catalog holds `templates` and finds them
 * by ref as the catalog does (case-insensitively); `getEntityByRef` replaces that lookup.
 */
async function renderField(
  api: FakeGoldenPathsApi,
  template = 'service-node-http',
  opts: {
    templates?: Entity[];
    at?: string;
    getEntityByRef?: (ref: any) => Promise<Entity | undefined>;
  } = {},
) {
  const templates = opts.templates ?? [serviceTemplate];
  const catalog = catalogApiMock.mock({
    getEntityByRef: jest.fn(
      opts.getEntityByRef ??
        (async (ref: any) => {
          const { namespace, name } =
            typeof ref === 'string' ? parseEntityRef(ref) : ref;
          return templates.find(
            t =>
              lower(t.metadata.namespace ?? 'default') === lower(namespace) &&
              lower(t.metadata.name) === lower(name),
          );
        }),
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
  const field = <GoldenPathAvailabilityField {...props} />;
  await renderInTestApp(
    opts.at ? (
      <Routes>
        <Route
          path="/create/templates/:namespace/:templateName"
          element={field}
        />
      </Routes>
    ) : (
      field
    ),
    {
      apis: [[goldenPathsApiRef, api], catalog],
      ...(opts.at ? { initialRouteEntries: [opts.at] } : {}),
    },
  );
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
    // One switch is a sentence, not a list of one.
    expect(within(alert).queryByRole('list')).not.toBeInTheDocument();
    const sentence = within(alert).getByTestId(
      'golden-path-availability-switch',
    );
    expect(sentence).toHaveTextContent(
      `Template service-node-http (kill switch template/service-node-http) is switched off since ${formatInstant(
        SINCE,
      )}: CI template broken, INC-5150.`,
      { normalizeWhitespace: true },
    );
    // What is off, then what a run does and the rule it is refused by (the backend's rule, not
    // its text), then where to see the switches: each its own paragraph.
    const paragraphs = [...alert.querySelectorAll('p')].map(p => p.textContent);
    expect(paragraphs).toEqual([
      sentence.textContent,
      'A run started now is refused at its first golden-path checks, before anything is created; you can fill in the form, but it will not run until this is lifted.',
      'The run will be refused (GP-K01).',
      'See the kill switches',
    ]);
    expect(
      within(alert).getByRole('link', { name: 'See the kill switches' }),
    ).toHaveAttribute('href', '/golden-paths/kill-switches');
    // The steps are read once: they say the template is a golden path.
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1);
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

  it('says in one quiet line that no switch stops the template, and never sets a value', async () => {
    const api = new FakeGoldenPathsApi();
    api.killSwitches = switches({
      templates: { 'worker-node': off('CI workflow v3.4.1 broken') },
    });
    const { onChange } = await renderField(api);
    await loaded(api);
    // The scaffolder keeps the field's grid cell: empty, it left a gap above the first field.
    expect(
      screen.getByTestId('golden-path-availability-clear'),
    ).toHaveTextContent(/^No kill switch stops this golden path\.$/);
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
    expect(
      within(alert).getByTestId('golden-path-availability-switch'),
    ).toHaveTextContent(
      `Action goldenpath:register (kill switch action/goldenpath:register, used by step register) is switched off since ${formatInstant(
        '2026-11-23T11:00:00.000Z',
      )}: catalog import storm, INC-5131.`,
    );
    expect(alert).not.toHaveTextContent('worker-node');
    expect(
      screen.getByTestId('golden-path-availability-refusal'),
    ).toHaveTextContent(/^The run will be refused \(GP-K02\)\.$/);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1);
  });

  it("warns of nothing when only another template's action is off (the template's steps decide)", async () => {
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
    expect(
      screen.getByTestId('golden-path-availability-clear'),
    ).toBeInTheDocument();
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

  it('names every rule the run is refused by, in rule order, without quoting a text the run may not give', async () => {
    const api = new FakeGoldenPathsApi();
    // validate throws the config switches' lines, ledger:open only the first (GP-K03) of these
    api.killSwitches = switches({
      all: off('freeze for the audit'),
      templates: { 'service-node-http': off('CI template broken, INC-5150') },
    });
    await renderField(api);
    const alert = await screen.findByTestId('golden-path-availability');
    const list = within(alert).getByRole('list', {
      name: 'Kill switches that stop this template',
    });
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    expect(
      within(alert).queryByTestId('golden-path-availability-switch'),
    ).not.toBeInTheDocument();
    expect(
      screen.getByTestId('golden-path-availability-refusal'),
    ).toHaveTextContent(/^The run will be refused \(GP-K03, GP-K01\)\.$/);
    expect(alert).not.toHaveTextContent('GP-K03:');
  });

  it('checks the template name lower-cased, as the switch ids are (ui:options.template: Service-Node-HTTP)', async () => {
    const api = new FakeGoldenPathsApi();
    api.killSwitches = switches({
      templates: { 'service-node-http': off('CI template broken, INC-5150') },
    });
    await renderField(api, 'Service-Node-HTTP');
    const alert = await screen.findByTestId('golden-path-availability');
    expect(alert).toHaveTextContent(
      'Template service-node-http (kill switch template/service-node-http)',
    );
  });

  describe('on the scaffolder template page (/create/templates/:namespace/:templateName)', () => {
    // a copy of service-node-http in another namespace, still naming the original in its field
    const copy: Entity = {
      ...serviceTemplate,
      metadata: { name: 'service-node-http-v2', namespace: 'platform' },
    };
    const at = '/create/templates/platform/service-node-http-v2';

    it("checks the page's template, not the one ui:options.template names", async () => {
      const api = new FakeGoldenPathsApi();
      api.killSwitches = switches({
        templates: {
          'service-node-http-v2': off('v2 rollout paused'),
        },
      });
      await renderField(api, 'service-node-http', {
        templates: [serviceTemplate, copy],
        at,
      });
      expect(
        await screen.findByTestId('golden-path-availability'),
      ).toHaveTextContent(
        'Template service-node-http-v2 (kill switch template/service-node-http-v2)',
      );
    });

    it("is not warned by the original's switch", async () => {
      const api = new FakeGoldenPathsApi();
      api.killSwitches = switches({
        templates: { 'service-node-http': off('CI template broken') },
      });
      await renderField(api, 'service-node-http', {
        templates: [serviceTemplate, copy],
        at,
      });
      await loaded(api);
      expect(
        screen.queryByTestId('golden-path-availability'),
      ).not.toBeInTheDocument();
    });

    it('reads the steps of the template in its own namespace', async () => {
      const api = new FakeGoldenPathsApi();
      api.killSwitches = killSwitchView();
      const { catalog } = await renderField(api, 'service-node-http', {
        templates: [
          // the original in default no longer registers; the copy still does
          {
            ...serviceTemplate,
            spec: {
              steps: [{ id: 'validate', action: 'goldenpath:validate' }],
            },
          },
          copy,
        ],
        at,
      });
      expect(
        await screen.findByTestId('golden-path-availability'),
      ).toHaveTextContent('used by step register');
      expect(catalog.getEntityByRef).toHaveBeenCalledWith({
        kind: 'template',
        namespace: 'platform',
        name: 'service-node-http-v2',
      });
    });
  });

  describe('on a template that runs no golden-path check (no validate or ledger:open step)', () => {
    const plain: Entity = {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name: 'docs-site', namespace: 'default' },
      spec: {
        steps: [
          { id: 'fetch', action: 'fetch:template' },
          { id: 'publish', action: 'publish:github' },
          { id: 'register', action: 'catalog:register' },
        ],
      },
    };
    it.each([
      [
        'an action it uses is off',
        { actions: { 'publish:github': off('GitHub App key rotation') } },
      ],
      ['no switch is off', {}],
      ['every golden path is off (all)', { all: off('freeze') }],
      [
        "the template's own switch is off",
        { templates: { 'docs-site': off('moved') } },
      ],
    ])('shows nothing, not even the quiet line, when %s', async (_, set) => {
      const api = new FakeGoldenPathsApi();
      api.killSwitches = switches(set);
      const { catalog } = await renderField(api, 'docs-site', {
        templates: [plain],
      });
      await waitFor(() =>
        expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1),
      );
      await loaded(api);
      for (const testId of [
        'golden-path-availability',
        'golden-path-availability-error',
        'golden-path-availability-clear',
      ]) {
        expect(screen.queryByTestId(testId)).not.toBeInTheDocument();
      }
    });
  });

  it('asks for the switches and the steps at once, and warns of an all switch without waiting on a catalog that does not answer', async () => {
    const api = new FakeGoldenPathsApi();
    api.killSwitches = switches({ all: off('freeze for the audit') });
    const { catalog } = await renderField(api, 'service-node-http', {
      getEntityByRef: () => new Promise(() => {}),
    });
    // The read started with the switches', not after them.
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1);
    expect(
      await screen.findByTestId('golden-path-availability', undefined, {
        timeout: 5000,
      }),
    ).toHaveTextContent('All golden paths (kill switch all) is switched off');
  });

  it("still warns of the template's own switch when its steps cannot be read (they do not decide it)", async () => {
    const api = new FakeGoldenPathsApi();
    api.killSwitches = switches({
      templates: { 'service-node-http': off('CI template broken') },
    });
    await renderField(api, 'service-node-http', { templates: [] });
    expect(
      await screen.findByTestId('golden-path-availability'),
    ).toHaveTextContent('This golden path is switched off');
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
