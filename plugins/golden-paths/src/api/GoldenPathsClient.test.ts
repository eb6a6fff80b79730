import { GoldenPathsClient, errorMessage } from './GoldenPathsClient';

function clientAnswering(response: () => Response) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const client = new GoldenPathsClient({
    discoveryApi: {
      getBaseUrl: async (id: string) => `http://backend/api/${id}`,
    },
    fetchApi: {
      fetch: async (input: any, init?: RequestInit) => {
        calls.push({ url: String(input), init });
        return response();
      },
    },
  });
  return { client, calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

describe('GoldenPathsClient', () => {
  it('reads the inbox, requests, one request (key encoded) and lifecycle gates', async () => {
    // The inbox asks without `mine=true`, which would drop the caller's own requests: the
    // inbox lists those separately (break-glass, §6.2 rule 8).
    const { client, calls } = clientAnswering(() => json({ items: [] }));
    await client.getApprovalsInbox();
    await client.getRequests({ status: 'failed' });
    await client.getRequest('lifecycle:component:default/cart-api:promote');
    await client.getLifecycleGates('Component:default/Cart-API', 'promote');
    expect(calls.map(c => c.url)).toEqual([
      'http://backend/api/golden-paths/approvals?status=pending',
      'http://backend/api/golden-paths/requests?status=failed',
      'http://backend/api/golden-paths/requests/lifecycle%3Acomponent%3Adefault%2Fcart-api%3Apromote',
      'http://backend/api/golden-paths/lifecycle/gates?entityRef=component%3Adefault%2Fcart-api&to=promote',
    ]);
  });

  it('says whether the inbox is cut, and reads a backend that does not say as not cut', async () => {
    const cut = clientAnswering(() => json({ items: [], truncated: true }));
    expect(await cut.client.getApprovalsInbox()).toEqual({
      items: [],
      truncated: true,
    });
    const older = clientAnswering(() => json({ items: [] }));
    expect(await older.client.getApprovalsInbox()).toEqual({
      items: [],
      truncated: false,
    });
  });

  it('passes the cursor of a requests page and returns the next one', async () => {
    const { client, calls } = clientAnswering(() =>
      json({ items: [], nextCursor: 'c2' }),
    );
    expect(await client.getRequests({ cursor: 'c1' })).toEqual({
      items: [],
      nextCursor: 'c2',
    });
    expect(calls[0].url).toBe(
      'http://backend/api/golden-paths/requests?cursor=c1',
    );
  });

  it('posts a decision as JSON', async () => {
    const { client, calls } = clientAnswering(() =>
      json({ status: 'approved', decision: {} }, 201),
    );
    await client.decide('apr_1', {
      decision: 'reject',
      reason: 'No WAF in front of it yet.',
    });
    expect(calls[0].url).toBe(
      'http://backend/api/golden-paths/approvals/apr_1/decisions',
    );
    expect(calls[0].init).toMatchObject({
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        decision: 'reject',
        reason: 'No WAF in front of it yet.',
      }),
    });
  });

  it('plans a compensation, then runs it with the reason and the dry run digest', async () => {
    const { client, calls } = clientAnswering(() =>
      json({ requestKey: 'service-node-http:cart-api', items: [] }),
    );
    await client.compensate('service-node-http:cart-api', { dryRun: true });
    await client.compensate('service-node-http:cart-api', {
      dryRun: false,
      reason: 'Created by mistake, INC-5120',
      planDigest: `sha256:${'c'.repeat(64)}`,
    });
    expect(calls.map(c => [c.url, c.init?.method, c.init?.body])).toEqual([
      [
        'http://backend/api/golden-paths/requests/service-node-http%3Acart-api/compensate?dryRun=true',
        'POST',
        '{}',
      ],
      [
        'http://backend/api/golden-paths/requests/service-node-http%3Acart-api/compensate?dryRun=false',
        'POST',
        JSON.stringify({
          reason: 'Created by mistake, INC-5120',
          planDigest: `sha256:${'c'.repeat(64)}`,
        }),
      ],
    ]);
  });

  it('posts a step repair to the step of the request, both encoded', async () => {
    const { client, calls } = clientAnswering(() =>
      json({ changed: true, requestCompensated: false }),
    );
    const input = {
      status: 'compensated' as const,
      reason: 'archived by hand on the git server (INC-5120)',
    };
    await client.repairStep(
      'service-node-http:cart-api',
      'publish/local',
      input,
    );
    expect(calls.map(c => [c.url, c.init?.method, c.init?.body])).toEqual([
      [
        'http://backend/api/golden-paths/requests/service-node-http%3Acart-api/steps/publish%2Flocal/repair',
        'POST',
        JSON.stringify(input),
      ],
    ]);
  });

  it('reads the kill switches and puts one (scope all without an id of its own)', async () => {
    const { client, calls } = clientAnswering(() =>
      json({ all: { disabled: false }, templates: {}, actions: {} }),
    );
    await client.getKillSwitches();
    const body = {
      disabled: true,
      reason: 'CI workflow v3.4.1 broken (INC-5120)',
      until: '2026-11-24T09:00:00.000Z',
    };
    await client.setKillSwitch('action', 'goldenpath:register', body);
    await client.setKillSwitch('all', '', {
      disabled: false,
      reason: 'Incident INC-5120 is resolved',
    });
    expect(calls.map(c => [c.url, c.init?.method])).toEqual([
      ['http://backend/api/golden-paths/kill-switches', 'GET'],
      [
        'http://backend/api/golden-paths/kill-switches/action/goldenpath%3Aregister',
        'PUT',
      ],
      ['http://backend/api/golden-paths/kill-switches/all/all', 'PUT'],
    ]);
    expect(calls[1].init?.body).toBe(JSON.stringify(body));
  });

  it('reads the last dry run of what a switch covers (scope all without an id of its own)', async () => {
    const answer = {
      scope: 'action',
      id: 'goldenpath:register',
      covers: { kind: 'templates', templates: [] },
    };
    const { client, calls } = clientAnswering(() => json(answer));
    expect(await client.getLastDryRun('action', 'goldenpath:register')).toEqual(
      answer,
    );
    await client.getLastDryRun('all', '');
    expect(calls.map(c => [c.url, c.init?.method ?? 'GET'])).toEqual([
      [
        'http://backend/api/golden-paths/kill-switches/action/goldenpath%3Aregister/last-dry-run',
        'GET',
      ],
      [
        'http://backend/api/golden-paths/kill-switches/all/all/last-dry-run',
        'GET',
      ],
    ]);
  });

  it('turns an error answer into a ResponseError whose server text errorMessage shows', async () => {
    const { client } = clientAnswering(() =>
      json(
        {
          error: {
            name: 'InputError',
            message: 'reason must be at least 10 characters',
          },
          request: { method: 'POST', url: '/x' },
          response: { statusCode: 400 },
        },
        400,
      ),
    );
    const error = await client
      .decide('apr_1', { decision: 'approve', reason: 'short' })
      .catch(e => e);
    expect(error).toMatchObject({ name: 'ResponseError', statusCode: 400 });
    expect(errorMessage(error)).toBe('reason must be at least 10 characters');

    const refusal = clientAnswering(() =>
      json(
        {
          error: { name: 'ConflictError', message: 'GP-I03: busy' },
          ruleId: 'GP-I03',
        },
        409,
      ),
    );
    const e409 = await refusal.client.getRequests().catch(e => e);
    expect(errorMessage(e409)).toBe('GP-I03: busy');
    expect(errorMessage(new Error('offline'))).toBe('offline');
  });
});
