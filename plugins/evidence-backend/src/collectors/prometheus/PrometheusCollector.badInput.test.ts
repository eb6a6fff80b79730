import { mockServices } from '@backstage/backend-test-utils';
import type { CollectorEntity } from '../catalogEntities';
import { InMemoryCollectorSink } from '../testing/InMemoryCollectorSink';
import {
  defaultPrometheusSettings,
  PrometheusCollector,
  PrometheusCollectorSettings,
} from './PrometheusCollector';

// Answers Prometheus can legally (or at least really) give that a run must survive: it drops
// or isolates the bad part and keeps writing the rest (§4.1, §4.3).

const T = new Date('2026-03-14T02:05:00Z');
const T_SECONDS = T.getTime() / 1000;

function component(
  name: string,
  annotations: Record<string, string> = {},
): CollectorEntity {
  return {
    ref: `component:default/${name}`,
    kind: 'Component',
    namespace: 'default',
    name,
    annotations,
  };
}

const success = (data: unknown) =>
  new Response(JSON.stringify({ status: 'success', data }));
const vector = (result: unknown[]) => success({ resultType: 'vector', result });
const matrix = (result: unknown[]) => success({ resultType: 'matrix', result });

/** Overrides keyed by a fragment of the PromQL query or by the request path. */
type Answers = Record<string, () => Response>;

/** A fetch that answers every Prometheus call with nothing unless an override matches. */
function fakeFetch(answers: Answers): typeof fetch {
  return (async (input: string) => {
    const url = new URL(input);
    const query = url.searchParams.get('query') ?? '';
    for (const [fragment, answer] of Object.entries(answers)) {
      if (url.pathname === fragment || query.includes(fragment)) {
        return answer();
      }
    }
    if (url.pathname === '/api/v1/rules') return success({ groups: [] });
    if (url.pathname === '/api/v1/query_range') return matrix([]);
    if (url.pathname === '/api/v2/status') {
      return new Response(
        JSON.stringify({ config: { original: 'route: { receiver: x }' } }),
      );
    }
    return vector([]);
  }) as unknown as typeof fetch;
}

function setup(
  answers: Answers,
  options: {
    entities?: CollectorEntity[];
    settings?: Partial<PrometheusCollectorSettings>;
  } = {},
) {
  const sink = new InMemoryCollectorSink();
  const logger = mockServices.logger.mock();
  const collector = new PrometheusCollector({
    settings: {
      ...defaultPrometheusSettings('http://prometheus:9090'),
      ...options.settings,
    },
    sink,
    logger,
    listEntities: async () => options.entities ?? [component('a')],
    now: () => T,
    fetch: fakeFetch(answers),
  });
  return { sink, logger, collector };
}

/** PostgreSQL's `varchar(255)` on `evidence_edges.client/server`: a longer label fails the batch. */
function rejectLongLabels(sink: InMemoryCollectorSink) {
  const write = sink.writeEdges.bind(sink);
  sink.writeEdges = async (source, edges, at) => {
    if (edges.some(e => e.client.length > 255 || e.server.length > 255)) {
      throw new Error('value too long for type character varying(255)');
    }
    await write(source, edges, at);
  };
}

const presenceOfA = {
  'group by (service)': () =>
    vector([{ metric: { service: 'a' }, value: [T_SECONDS, '1'] }]),
};

describe('PrometheusCollector on observed-edge labels longer than the edge columns', () => {
  const label = (length: number) => 'x'.repeat(length);

  it.each([
    { name: 'a 255-character client is kept', client: 255, server: 1, kept: 1 },
    {
      name: 'a 256-character client is skipped',
      client: 256,
      server: 1,
      kept: 0,
    },
    {
      name: 'a 300-character server is skipped',
      client: 1,
      server: 300,
      kept: 0,
    },
  ])(
    '$name, and the facts are still written',
    async ({ client, server, kept }) => {
      const series = [
        { metric: { client: 'a', server: 'b' }, values: [[T_SECONDS, '3']] },
        {
          metric: {
            client: `a${label(client - 1)}`,
            server: `b${label(server - 1)}`,
          },
          values: [[T_SECONDS, '3']],
        },
      ];
      const { sink, logger, collector } = setup({
        'increase(': () => matrix(series),
        ...presenceOfA,
      });
      rejectLongLabels(sink);

      const summary = await collector.run();

      expect(summary).toMatchObject({ outcome: 'ok', edges: 1 + kept });
      expect(sink.edges.size).toBe(1 + kept);
      expect(
        sink.fact('component:default/a', 'prometheus', 'telemetry.presence'),
      ).toBeDefined();
      const skippedWarnings = logger.warn.mock.calls.filter(([message]) =>
        String(message).includes('skipped'),
      );
      expect(skippedWarnings).toHaveLength(kept ? 0 : 1);
    },
  );
});

describe('PrometheusCollector on sample times that are not valid dates', () => {
  it.each([
    { name: 'a non-numeric time', time: 'abc' },
    { name: 'a time beyond the Date range', time: 1e16 },
    { name: 'an infinite time', time: '+Inf' },
  ])(
    'drops a presence sample with $name and keeps the others',
    async ({ time }) => {
      const { sink, collector } = setup(
        {
          'group by (service)': () =>
            vector([
              { metric: { service: 'a' }, value: [time, '1'] },
              { metric: { service: 'b' }, value: [T_SECONDS, '1'] },
            ]),
        },
        { entities: [component('a'), component('b')] },
      );

      await expect(collector.run()).resolves.toMatchObject({ outcome: 'ok' });

      expect(
        sink.fact('component:default/a', 'prometheus', 'telemetry.presence')
          ?.value,
      ).toEqual({ aliases: ['a'], series: [] });
      expect(
        sink.fact('component:default/b', 'prometheus', 'telemetry.presence')
          ?.value,
      ).toEqual({
        aliases: ['b'],
        series: [{ alias: 'b', lastSampleAt: T.toISOString() }],
      });
    },
  );

  it('drops catch-up steps with invalid times and keeps the valid ones', async () => {
    const { sink, collector } = setup({
      'increase(': () =>
        matrix([
          {
            metric: { client: 'a', server: 'b' },
            values: [
              ['abc', '1'],
              [T_SECONDS - 3600, '2'],
              [1e16, '3'],
            ],
          },
        ]),
    });

    await expect(collector.run()).resolves.toMatchObject({ outcome: 'ok' });

    expect([...sink.edges.values()]).toMatchObject([
      {
        client: 'a',
        server: 'b',
        firstSeen: new Date(T.getTime() - 3600_000).toISOString(),
        lastSeen: new Date(T.getTime() - 3600_000).toISOString(),
      },
    ]);
  });

  it.each([
    { name: 'beyond the Date range', lastSample: '1e16' },
    { name: 'infinite', lastSample: '+Inf' },
  ])(
    'writes lastSampleAt null for an SLO last sample $name',
    async ({ lastSample }) => {
      const { sink, collector } = setup(
        {
          'timestamp(slo:sli_error': () =>
            vector([
              {
                metric: { slo_id: 'a-availability' },
                value: [T_SECONDS, lastSample],
              },
            ]),
          'slo:period_error_budget_remaining': () =>
            vector([
              {
                metric: { slo_id: 'a-availability' },
                value: [T_SECONDS, '0.5'],
              },
            ]),
        },
        {
          entities: [
            component('a', { 'ops.example.com/slo-ids': 'a-availability' }),
          ],
        },
      );

      await expect(collector.run()).resolves.toMatchObject({ outcome: 'ok' });

      expect(
        sink.fact('component:default/a', 'prometheus', 'slo.status')?.value,
      ).toEqual({
        'a-availability': {
          lastSampleAt: null,
          burnRate1h: null,
          budgetRemaining: 0.5,
        },
      });
    },
  );
});

describe('PrometheusCollector on an Alertmanager route with a regex JavaScript cannot compile', () => {
  it('fails only the Alertmanager step: routing unknown, old rules kept, other facts written', async () => {
    const { sink, collector } = setup(
      {
        '/api/v1/rules': () =>
          success({
            groups: [
              {
                name: 'g',
                rules: [
                  {
                    name: 'HighErrors',
                    type: 'alerting',
                    labels: { service: 'a', team: 'x' },
                  },
                ],
              },
            ],
          }),
        '/api/v2/status': () =>
          new Response(
            JSON.stringify({
              config: {
                original: [
                  'route:',
                  '  receiver: default',
                  '  routes:',
                  '    - receiver: x-pager',
                  '      match_re: { team: "(?P<team>x)" }',
                ].join('\n'),
              },
            }),
          ),
        ...presenceOfA,
      },
      { settings: { alertmanagerUrl: 'http://alertmanager:9093' } },
    );

    const summary = await collector.run();

    expect(summary.outcome).toBe('degraded');
    expect(Object.keys(summary.failedSteps)).toEqual(['alertmanager']);
    expect(
      sink.fact('component:default/a', 'prometheus', 'alerts.rules'),
    ).toBeUndefined();
    expect(
      sink.fact('component:default/a', 'prometheus', 'telemetry.presence'),
    ).toBeDefined();
  });
});

describe('PrometheusCollector on URLs that carry credentials', () => {
  // The URL is stored as provenance and shows up in errors, health and logs: refused outright.
  it.each([
    {
      name: 'user and token in baseUrl',
      baseUrl: 'http://svc:s3cr3t@prometheus:9090',
    },
    {
      name: 'a token as the user of baseUrl',
      baseUrl: 'http://s3cr3t@prometheus:9090',
    },
  ])('refuses $name without repeating it', ({ baseUrl }) => {
    const create = () =>
      new PrometheusCollector({
        settings: defaultPrometheusSettings(baseUrl),
        sink: new InMemoryCollectorSink(),
        logger: mockServices.logger.mock(),
        listEntities: async () => [],
      });
    expect(create).toThrow(/baseUrl must not contain credentials.*headers/);
    expect(create).not.toThrow(/s3cr3t/);
  });

  it('fails the Alertmanager step, without the token, when alertmanagerUrl carries one', async () => {
    const { sink, collector } = setup(presenceOfA, {
      settings: { alertmanagerUrl: 'http://am:s3cr3t@alertmanager:9093' },
    });

    const summary = await collector.run();

    expect(Object.keys(summary.failedSteps)).toEqual(['alertmanager']);
    expect(JSON.stringify(summary)).not.toContain('s3cr3t');
    expect(JSON.stringify(sink.sourceRuns)).not.toContain('s3cr3t');
    expect(JSON.stringify([...sink.facts.values()])).not.toContain('s3cr3t');
  });
});
