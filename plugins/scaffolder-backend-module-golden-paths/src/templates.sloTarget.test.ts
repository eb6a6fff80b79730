import fs from 'node:fs';
import path from 'node:path';
import { createTemplateRenderer } from 'nunjitsu';
import { TEMPLATES_DIR } from './__fixtures__/templates';

/**
 * The OpenSLO file of the service and worker skeletons, rendered by the engine `fetch:template`
 * uses: the target is the availability as a ratio, without binary float artefacts (99.9 % was
 * `target: 0.9990000000000001`).
 */
describe.each(['service-node-http', 'worker-node'])(
  'templates/%s slo file',
  template => {
    const file = path.join(
      TEMPLATES_DIR,
      template,
      'skeleton',
      'slo',
      '${{ values.request.name }}.yaml',
    );

    it.each([
      ['99.9', '0.999'],
      ['99.5', '0.995'],
      ['99.95', '0.9995'],
      ['99', '0.99'],
    ])('renders %s %% as target %s', async (availability, target) => {
      const renderer = await createTemplateRenderer({});
      const line = fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .find(l => l.includes('target:'))!;
      expect(
        await renderer.render(line, {
          values: { request: { sloAvailability: availability } },
        }),
      ).toBe(`      target: ${target}`);
    });
  },
);
