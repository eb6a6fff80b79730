import fs from 'node:fs';
import path from 'node:path';
import { createTemplateRenderer } from 'nunjitsu';
import { parseAllDocuments } from 'yaml';
import { TEMPLATES_DIR } from './__fixtures__/templates';
import {
  renderSkeleton,
  SERVICE_VALUES,
  WORKER_VALUES,
} from './__testUtils__/renderSkeleton';

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

/**
 * The rendered OpenSLO files are OpenSLO v1 (every SLO names its indicator, which an OpenSLO tool
 * requires) and still give the suite's readers (publish:git's repo-files fact, the evidence repo
 * collector: every `kind: SLO` document's `metadata.name`) the ids the descriptor annotates.
 */
describe.each([
  ['service-node-http', SERVICE_VALUES, ['availability', 'latency']],
  ['worker-node', WORKER_VALUES, ['availability', 'runtime']],
])('templates/%s rendered slo file', (template, values, suffixes) => {
  const { name } = values.request;
  const rendered = renderSkeleton(
    path.join(TEMPLATES_DIR, template, 'skeleton'),
    values,
  ).get(`slo/${name}.yaml`)!;
  const documents = parseAllDocuments(rendered);
  const docs = documents.map(d => d.toJS() as any);
  const slo = (suffix: string) =>
    docs.find(d => d.metadata.name === `${name}-${suffix}`);
  // availability is a ratio of good to all events; latency and runtime are thresholds
  const [ratio, threshold] = suffixes;

  it('keeps the SLO ids the readers take from kind SLO documents', () => {
    expect(documents.flatMap(d => d.errors)).toEqual([]);
    expect(
      docs
        .filter(d => String(d.apiVersion).startsWith('openslo/'))
        .filter(d => d.kind === 'SLO')
        .map(d => d.metadata.name),
    ).toEqual(suffixes.map(s => `${name}-${s}`));
  });

  it.each(suffixes)(
    'the %s SLO names its indicator inline, as OpenSLO v1 requires',
    suffix => {
      const { apiVersion, spec } = slo(suffix);
      expect(apiVersion).toBe('openslo/v1');
      // exactly one of indicator and indicatorRef
      expect(spec.indicatorRef).toBeUndefined();
      expect(spec.indicator.metadata.name).toMatch(
        /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
      );
    },
  );

  it(`the ${ratio} indicator is a ratio metric: total and exactly one of good and bad`, () => {
    const { spec } = slo(ratio);
    expect(Object.keys(spec.indicator.spec)).toEqual(['ratioMetric']);
    const metric = spec.indicator.spec.ratioMetric;
    expect(typeof metric.counter).toBe('boolean');
    expect(metric.bad).toBeUndefined();
    expect(metric.good.metricSource).toBeDefined();
    expect(metric.total.metricSource).toBeDefined();
    // a ratio objective is a target, without a threshold
    expect(spec.objectives.map((o: any) => o.op)).toEqual([undefined]);
  });

  it(`the ${threshold} indicator is a threshold metric for its op/value objective`, () => {
    const { spec } = slo(threshold);
    expect(Object.keys(spec.indicator.spec)).toEqual(['thresholdMetric']);
    expect(spec.indicator.spec.thresholdMetric.metricSource).toBeDefined();
    expect(spec.objectives).toEqual([
      expect.objectContaining({ op: 'lte', value: expect.any(Number) }),
    ]);
  });

  it('leaves the queries as placeholders marked for the owner to fill in', () => {
    const sources = [
      slo(ratio).spec.indicator.spec.ratioMetric.good,
      slo(ratio).spec.indicator.spec.ratioMetric.total,
      slo(threshold).spec.indicator.spec.thresholdMetric,
    ].map(m => m.metricSource);
    for (const source of sources) {
      expect(source.type).toBe('Prometheus');
      expect(source.spec.query).toMatch(/^TO BE FILLED: /);
    }
  });
});
