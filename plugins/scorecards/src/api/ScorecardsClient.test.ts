import { ScorecardsClient } from './ScorecardsClient';

function clientAnswering(response: Response) {
  const urls: string[] = [];
  const client = new ScorecardsClient({
    discoveryApi: {
      getBaseUrl: async (id: string) => `http://backend/api/${id}`,
    },
    fetchApi: {
      fetch: async (input: any) => {
        urls.push(String(input));
        return response;
      },
    },
  });
  return { client, urls };
}

describe('ScorecardsClient', () => {
  it('reads the scorecard of an entity by kind, namespace and name', async () => {
    const { client, urls } = clientAnswering(
      new Response(JSON.stringify({ entityRef: 'x', scored: false })),
    );
    await expect(
      client.getEntityScorecard('Component:default/Checkout-Service'),
    ).resolves.toEqual({ entityRef: 'x', scored: false });
    expect(urls).toEqual([
      'http://backend/api/scorecards/entities/component/default/checkout-service',
    ]);
  });

  it('reads rollup rows and the CSV with groupBy and format', async () => {
    const json = clientAnswering(
      new Response(JSON.stringify({ items: [{ key: 'group:default/a' }] })),
    );
    await expect(json.client.getRollups('system')).resolves.toEqual([
      { key: 'group:default/a' },
    ]);
    expect(json.urls).toEqual([
      'http://backend/api/scorecards/rollups?groupBy=system&format=json',
    ]);
    const csv = clientAnswering(new Response('key,kind\n'));
    await expect(csv.client.getRollupsCsv('owner')).resolves.toBe('key,kind\n');
    expect(csv.urls[0]).toContain('format=csv');
  });

  it('passes history filters and turns an error response into a ResponseError', async () => {
    const ok = clientAnswering(
      new Response(JSON.stringify({ levels: [], transitions: [] })),
    );
    await ok.client.getHistory('component:default/a', {
      checkId: 'ci-present',
    });
    expect(ok.urls[0]).toBe(
      'http://backend/api/scorecards/entities/component/default/a/history?checkId=ci-present',
    );
    const failing = clientAnswering(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotFoundError',
            message: 'entity component:default/a is not in the catalog',
          },
          request: { method: 'GET', url: '/x' },
          response: { statusCode: 404 },
        }),
        { status: 404, headers: { 'content-type': 'application/json' } },
      ),
    );
    await expect(
      failing.client.getEntityScorecard('component:default/a'),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
      body: {
        error: { message: 'entity component:default/a is not in the catalog' },
      },
    });
  });
});
