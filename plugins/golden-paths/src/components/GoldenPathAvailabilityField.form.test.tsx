import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import { goldenPathsApiRef } from '../api';
import { FakeGoldenPathsApi } from '../__testUtils__/fixtures';
import {
  GOLDEN_PATH_AVAILABILITY_FIELD,
  GoldenPathAvailabilityField,
} from './GoldenPathAvailabilityField';

jest.setTimeout(30_000);

// The first page of a golden-path template as the scaffolder's form gets it: the field's YAML
// of templates/*/template.yaml, then what the page asks.
const manifest = {
  title: 'TypeScript HTTP service (golden path)',
  steps: [
    {
      title: 'What the service is',
      schema: {
        required: ['name'],
        properties: {
          availability: {
            title: 'Golden path availability',
            type: 'null',
            'ui:field': GOLDEN_PATH_AVAILABILITY_FIELD,
            'ui:options': { template: 'service-node-http' },
            'ui:backstage': { review: { show: false } },
          },
          name: { title: 'Name', type: 'string' },
        },
      },
    },
  ],
};

describe('GoldenPathAvailability in a scaffolder form', () => {
  // The stepper scrolls to the top on every page; jsdom has no scrolling.
  beforeEach(() => jest.spyOn(window, 'scrollTo').mockImplementation(() => {}));
  afterEach(() => jest.restoreAllMocks());

  it('adds nothing to the values the template receives, even while its golden path is off', async () => {
    const api = new FakeGoldenPathsApi();
    api.killSwitches = {
      ...api.killSwitches,
      templates: {
        'service-node-http': { disabled: true, reason: 'CI broken, INC-5150' },
      },
    };
    const onCreate = jest.fn(async () => {});
    await renderInTestApp(
      <Stepper
        manifest={manifest}
        extensions={[
          {
            name: GOLDEN_PATH_AVAILABILITY_FIELD,
            component: GoldenPathAvailabilityField,
          },
        ]}
        onCreate={onCreate}
      />,
      {
        apis: [[goldenPathsApiRef, api], catalogApiMock({ entities: [] })],
      },
    );
    expect(
      await screen.findByTestId('golden-path-availability'),
    ).toHaveTextContent('Template service-node-http');

    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: /Name/ }), 'cart-api');
    await user.click(screen.getByRole('button', { name: 'Review' }));
    // The review lists what the template receives: the name only.
    expect(await screen.findByText('cart-api')).toBeInTheDocument();
    expect(
      screen.queryByText('Golden path availability'),
    ).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Create' }));
    // The golden-path request schemas are strict: any extra key would fail validate.
    expect(onCreate).toHaveBeenCalledWith({ name: 'cart-api' });
  });
});
