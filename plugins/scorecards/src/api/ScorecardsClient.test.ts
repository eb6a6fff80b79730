import { readCheckDefinitions } from './ScorecardsApi';
import { ScorecardsClient } from './ScorecardsClient';

function clientAnswering(response: Response) {
  const urls: string[] = [];
  const inits: (RequestInit | undefined)[] = [];
  const client = new ScorecardsClient({
    discoveryApi: {
      getBaseUrl: async (id: string) => `http://backend/api/${id}`,
    },
    fetchApi: {
      fetch: async (input: any, init?: RequestInit) => {
        urls.push(String(input));
        inits.push(init);
        return response;
      },
    },
  });
  return { client, urls, inits };
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

  it('reads rollup rows, their expiring window and the CSV with groupBy and format', async () => {
    const json = clientAnswering(
      new Response(
        JSON.stringify({
          items: [{ key: 'group:default/a' }],
          waiversExpiringWithinDays: 30,
        }),
      ),
    );
    await expect(json.client.getRollups('system')).resolves.toEqual({
      items: [{ key: 'group:default/a' }],
      waiversExpiringWithinDays: 30,
    });
    // an older backend sends no window
    await expect(
      clientAnswering(
        new Response(JSON.stringify({ items: [{ key: 'group:default/a' }] })),
      ).client.getRollups('system'),
    ).resolves.toEqual({ items: [{ key: 'group:default/a' }] });
    expect(json.urls).toEqual([
      'http://backend/api/scorecards/rollups?groupBy=system&format=json',
    ]);
    const csv = clientAnswering(new Response('key,kind\n'));
    await expect(csv.client.getRollupsCsv('owner')).resolves.toBe('key,kind\n');
    expect(csv.urls[0]).toContain('format=csv');
  });

  it('sends the entity filters that are set, to JSON and CSV alike', async () => {
    const answer = () =>
      new Response(JSON.stringify({ items: [] }), {
        headers: { 'content-type': 'application/json' },
      });
    const json = clientAnswering(answer());
    await json.client.getRollups('system', {
      filter: { tier: '1', check: 'slo-defined', kind: '' },
    });
    expect(json.urls).toEqual([
      'http://backend/api/scorecards/rollups?groupBy=system&format=json&tier=1&check=slo-defined',
    ]);
    const csv = clientAnswering(new Response('key\n'));
    await csv.client.getRollupsCsv('owner', { filter: { campaign: 'q3 l2' } });
    expect(csv.urls[0]).toContain('&campaign=q3+l2');
  });

  it('asks for child groups only with owner rollups', async () => {
    const answer = () =>
      new Response(JSON.stringify({ items: [] }), {
        headers: { 'content-type': 'application/json' },
      });
    const owner = clientAnswering(answer());
    await owner.client.getRollups('owner', { includeChildGroups: true });
    expect(owner.urls).toEqual([
      'http://backend/api/scorecards/rollups?groupBy=owner&format=json&includeChildGroups=true',
    ]);
    const system = clientAnswering(answer());
    await system.client.getRollups('system', { includeChildGroups: true });
    expect(system.urls[0]).not.toContain('includeChildGroups');
  });

  it('reads the daily snapshots of one rollup key with its range', async () => {
    const point = { date: '2026-03-13', row: { key: 'group:default/a' } };
    const { client, urls } = clientAnswering(
      new Response(JSON.stringify({ points: [point] })),
    );
    await expect(
      client.getRollupHistory('owner', 'group:default/a', {
        from: '2025-12-15',
        to: '2026-03-14',
      }),
    ).resolves.toEqual([point]);
    expect(urls).toEqual([
      'http://backend/api/scorecards/rollups/history?groupBy=owner&key=group%3Adefault%2Fa&from=2025-12-15&to=2026-03-14',
    ]);
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

  it('lists waivers with filters and reads the checks', async () => {
    const list = clientAnswering(
      new Response(
        JSON.stringify({
          items: [{ id: 'w1' }],
          waiverExpiryWarningDays: [30, 7],
        }),
      ),
    );
    await expect(
      list.client.listWaivers({
        entityRef: 'component:default/a',
        status: 'pending',
      }),
    ).resolves.toEqual({
      items: [{ id: 'w1' }],
      waiverExpiryWarningDays: [30, 7],
    });
    expect(list.urls).toEqual([
      'http://backend/api/scorecards/waivers?entityRef=component%3Adefault%2Fa&status=pending',
    ]);
    expect(list.inits).toEqual([undefined]);
    // A backend older than the thresholds answers only the items.
    const older = clientAnswering(
      new Response(JSON.stringify({ items: [{ id: 'w1' }] })),
    );
    await expect(older.client.listWaivers()).resolves.toEqual({
      items: [{ id: 'w1' }],
    });
    const checks = clientAnswering(
      new Response(JSON.stringify({ items: [{ phaseNow: 'gate' }] })),
    );
    await expect(checks.client.getChecks()).resolves.toEqual([
      { phaseNow: 'gate' },
    ]);
    expect(checks.urls).toEqual(['http://backend/api/scorecards/checks']);
  });

  it('pages waivers with limit and cursor and answers the next cursor', async () => {
    const first = clientAnswering(
      new Response(
        JSON.stringify({
          items: [{ id: 'w1' }],
          nextCursor: 'c1',
          waiverExpiryWarningDays: [14, 3],
        }),
      ),
    );
    await expect(
      first.client.listWaivers({ status: 'pending', limit: 50 }),
    ).resolves.toEqual({
      items: [{ id: 'w1' }],
      nextCursor: 'c1',
      waiverExpiryWarningDays: [14, 3],
    });
    expect(first.urls).toEqual([
      'http://backend/api/scorecards/waivers?status=pending&limit=50',
    ]);
    // The last page answers no cursor.
    const last = clientAnswering(
      new Response(JSON.stringify({ items: [{ id: 'w2' }] })),
    );
    await expect(
      last.client.listWaivers({ status: 'pending', limit: 50, cursor: 'c1' }),
    ).resolves.toEqual({ items: [{ id: 'w2' }] });
    expect(last.urls).toEqual([
      'http://backend/api/scorecards/waivers?status=pending&limit=50&cursor=c1',
    ]);
  });

  it('lists campaigns and reads one by its (encoded) id', async () => {
    const list = clientAnswering(
      new Response(JSON.stringify({ items: [{ id: 'c1' }], canCreate: true })),
    );
    await expect(list.client.getCampaigns()).resolves.toEqual({
      items: [{ id: 'c1' }],
      canCreate: true,
    });
    const older = clientAnswering(
      new Response(JSON.stringify({ items: [{ id: 'c1' }] })),
    );
    await expect(older.client.getCampaigns()).resolves.toEqual({
      items: [{ id: 'c1' }],
      canCreate: false,
    });
    expect(list.urls).toEqual(['http://backend/api/scorecards/campaigns']);
    const one = clientAnswering(
      new Response(JSON.stringify({ id: 'q2/slo', progress: {} })),
    );
    await expect(one.client.getCampaign('q2/slo')).resolves.toEqual({
      id: 'q2/slo',
      progress: {},
    });
    expect(one.urls).toEqual([
      'http://backend/api/scorecards/campaigns/q2%2Fslo',
    ]);
  });

  it('turns a 404 for an unknown campaign into a ResponseError', async () => {
    const { client } = clientAnswering(
      new Response(
        JSON.stringify({
          error: { name: 'NotFoundError', message: 'campaign nope not found' },
          request: { method: 'GET', url: '/campaigns/nope' },
          response: { statusCode: 404 },
        }),
        { status: 404, headers: { 'content-type': 'application/json' } },
      ),
    );
    await expect(client.getCampaign('nope')).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
      body: { error: { message: 'campaign nope not found' } },
    });
  });

  it('posts a waiver request as JSON', async () => {
    const { client, urls, inits } = clientAnswering(
      new Response(JSON.stringify({ id: 'w1', status: 'pending' }), {
        status: 201,
      }),
    );
    const body = {
      entityRef: 'component:default/a',
      checkId: 'branch-protection',
      kind: 'exception' as const,
      reason: 'Repository is moving to the new host.',
      expiresAt: '2026-04-01T00:00:00.000Z',
    };
    await expect(client.requestWaiver(body)).resolves.toEqual({
      id: 'w1',
      status: 'pending',
    });
    expect(urls).toEqual(['http://backend/api/scorecards/waivers']);
    expect(inits[0]).toMatchObject({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(JSON.parse(String(inits[0]!.body))).toEqual(body);
  });

  it.each([
    ['approveWaiver', 'approve', undefined, {}],
    [
      'approveWaiver',
      'approve',
      { reason: 'Agreed in the review.' },
      { reason: 'Agreed in the review.' },
    ],
    [
      'rejectWaiver',
      'reject',
      { reason: 'Plan a drill first.' },
      { reason: 'Plan a drill first.' },
    ],
    [
      'revokeWaiver',
      'revoke',
      { reason: 'Migration cancelled.' },
      { reason: 'Migration cancelled.' },
    ],
    // An empty reason is sent as it is: the backend's 400 names the rule.
    ['revokeWaiver', 'revoke', { reason: '' }, { reason: '' }],
  ] as const)(
    '%s posts to /waivers/:id/%s',
    async (method, action, options, sent) => {
      const { client, urls, inits } = clientAnswering(
        new Response(JSON.stringify({ id: 'w/1' })),
      );
      await (client as any)[method]('w/1', options);
      expect(urls).toEqual([
        `http://backend/api/scorecards/waivers/w%2F1/${action}`,
      ]);
      expect(inits[0]?.method).toBe('POST');
      expect(JSON.parse(String(inits[0]!.body))).toEqual(sent);
    },
  );

  it('turns a 403 on a waiver action into a ResponseError with the server message', async () => {
    const { client } = clientAnswering(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotAllowedError',
            message: 'approver must differ from requester',
          },
          request: { method: 'POST', url: '/x' },
          response: { statusCode: 403 },
        }),
        { status: 403, headers: { 'content-type': 'application/json' } },
      ),
    );
    await expect(client.approveWaiver('w1')).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
      body: { error: { message: 'approver must differ from requester' } },
    });
  });
});

/** A client whose fetch answers each URL with `answer`, and the URLs it asked. */
function clientWith(answer: (url: string) => Response) {
  const urls: string[] = [];
  const client = new ScorecardsClient({
    discoveryApi: {
      getBaseUrl: async (id: string) => `http://backend/api/${id}`,
    },
    fetchApi: {
      fetch: async (input: any) => {
        urls.push(String(input));
        return answer(String(input));
      },
    },
  });
  return { client, urls };
}

const jsonAnswer = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

/** What a backend from before `fields` answers any query parameter of `GET /checks` or `/campaigns`. */
const refusesFieldsAnswer = (url: string, then: () => Response) =>
  url.includes('?')
    ? jsonAnswer(
        {
          error: {
            name: 'InputError',
            message: 'unknown query parameter fields; this route takes none',
          },
          response: { statusCode: 400 },
        },
        400,
      )
    : then();

describe('ScorecardsClient.getCheckDefinitions', () => {
  const definition = { id: 'slo-defined', title: 'SLO defined' };

  it('reads GET /checks?fields=definition, not the summaries', async () => {
    const { client, urls } = clientWith(() =>
      jsonAnswer({ items: [{ definition }] }),
    );
    await expect(client.getCheckDefinitions()).resolves.toEqual([definition]);
    expect(urls).toEqual([
      'http://backend/api/scorecards/checks?fields=definition',
    ]);
  });

  it('reads the summaries of a backend whose GET /checks takes no parameters', async () => {
    const { client, urls } = clientWith(url =>
      refusesFieldsAnswer(url, () =>
        jsonAnswer({ items: [{ definition, counts: {} }] }),
      ),
    );
    await expect(client.getCheckDefinitions()).resolves.toEqual([definition]);
    expect(urls).toEqual([
      'http://backend/api/scorecards/checks?fields=definition',
      'http://backend/api/scorecards/checks',
    ]);
  });

  it('throws any other error without asking again', async () => {
    const { client, urls } = clientWith(() =>
      jsonAnswer(
        {
          error: { name: 'AuthenticationError', message: 'no token' },
          response: { statusCode: 401 },
        },
        401,
      ),
    );
    await expect(client.getCheckDefinitions()).rejects.toMatchObject({
      statusCode: 401,
    });
    expect(urls).toHaveLength(1);
  });
});

describe('readCheckDefinitions', () => {
  const definition = { id: 'slo-defined' } as any;
  it('uses getCheckDefinitions when the API has it, getChecks otherwise', async () => {
    const getChecks = jest.fn(async () => [{ definition } as any]);
    const getCheckDefinitions = jest.fn(async () => [definition]);
    await expect(
      readCheckDefinitions({ getChecks, getCheckDefinitions }),
    ).resolves.toEqual([definition]);
    expect(getChecks).not.toHaveBeenCalled();
    // an implementation of ScorecardsApi from before the method
    await expect(readCheckDefinitions({ getChecks })).resolves.toEqual([
      definition,
    ]);
  });
});

describe('ScorecardsClient.getCampaignSummaries', () => {
  const item = { id: 'l2', progress: { totals: { inScope: 1 } } };

  it('reads GET /campaigns?fields=summary', async () => {
    const { client, urls } = clientWith(() =>
      jsonAnswer({ items: [item], canCreate: true }),
    );
    await expect(client.getCampaignSummaries()).resolves.toEqual({
      items: [item],
      canCreate: true,
    });
    expect(urls).toEqual([
      'http://backend/api/scorecards/campaigns?fields=summary',
    ]);
  });

  it('reads the full list from a backend whose GET /campaigns takes no parameters', async () => {
    const { client, urls } = clientWith(url =>
      refusesFieldsAnswer(url, () =>
        jsonAnswer({ items: [item], canCreate: false }),
      ),
    );
    await expect(client.getCampaignSummaries()).resolves.toEqual({
      items: [item],
      canCreate: false,
    });
    expect(urls).toEqual([
      'http://backend/api/scorecards/campaigns?fields=summary',
      'http://backend/api/scorecards/campaigns',
    ]);
  });
});

describe('ScorecardsClient.getRollups without per-check counts', () => {
  const row = { key: 'group:default/a', entities: 2 };

  it('asks fields=summary and answers rows with empty check counts', async () => {
    const { client, urls } = clientWith(() =>
      jsonAnswer({ items: [row], waiversExpiringWithinDays: 14 }),
    );
    await expect(
      client.getRollups('owner', { checkCounts: false }),
    ).resolves.toEqual({
      items: [{ ...row, checks: {} }],
      waiversExpiringWithinDays: 14,
    });
    expect(urls).toEqual([
      'http://backend/api/scorecards/rollups?groupBy=owner&format=json&fields=summary',
    ]);
  });

  it('asks again without it when the backend does not take fields', async () => {
    const { client, urls } = clientWith(url =>
      url.includes('fields=')
        ? jsonAnswer(
            {
              error: {
                name: 'InputError',
                message:
                  'unknown query parameter fields; use one of groupBy, format, includeChildGroups',
              },
              response: { statusCode: 400 },
            },
            400,
          )
        : jsonAnswer({ items: [{ ...row, checks: { x: {} } }] }),
    );
    await expect(
      client.getRollups('owner', { checkCounts: false }),
    ).resolves.toEqual({ items: [{ ...row, checks: {} }] });
    expect(urls).toEqual([
      'http://backend/api/scorecards/rollups?groupBy=owner&format=json&fields=summary',
      'http://backend/api/scorecards/rollups?groupBy=owner&format=json',
    ]);
  });
});
