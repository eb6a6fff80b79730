import {
  sharePathSteps,
  tabulateRows,
} from '@internal/plugin-incident-brief-common';
import { checkoutBrief, v1BlastRadius } from '../__testUtils__/fixtures';
import { IncidentBriefClient } from './IncidentBriefClient';
import { readOwner } from './IncidentBriefApi';

// V1: web-storefront's path repeats api-gateway's step, which the shared form sends once
const answer = () => v1BlastRadius;

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
/** A 400 as Backstage's error handler sends it. */
const refusal = (message: string) =>
  json(
    {
      error: { name: 'InputError', message },
      request: { method: 'GET', url: '/blast-radius' },
      response: { statusCode: 400 },
    },
    400,
  );

function clientWith(answerFor: (url: string) => Response) {
  const fetch = jest.fn(async (url: string) => answerFor(url));
  const client = new IncidentBriefClient({
    discoveryApi: { getBaseUrl: async () => 'http://backstage/api/x' },
    fetchApi: { fetch: fetch as any },
  });
  const queries = () =>
    fetch.mock.calls.map(([url]) =>
      Object.fromEntries(new URL(url).searchParams),
    );
  return { client, fetch, queries };
}

describe('IncidentBriefClient.getBlastRadius', () => {
  it('asks for the table form and answers the usual form', async () => {
    const { client, fetch, queries } = clientWith(() =>
      json(tabulateRows(answer())),
    );

    const got = await client.getBlastRadius('resource:default/db', {
      hops: 3,
      limit: 1000,
    });

    expect(sharePathSteps(answer()).pathSteps).toHaveLength(2);
    expect(new URL(fetch.mock.calls[0][0]).pathname).toBe(
      '/api/x/entities/resource/default/db/blast-radius',
    );
    expect(queries()).toEqual([{ hops: '3', limit: '1000', paths: 'table' }]);
    expect(got).toEqual(answer());
  });

  it('asks the shared form of a backend that refuses the table form', async () => {
    const { client, fetch, queries } = clientWith(url =>
      new URL(url).searchParams.get('paths') === 'table'
        ? refusal('paths must be one of inline, shared (got table)')
        : json(sharePathSteps(answer())),
    );
    expect(
      await client.getBlastRadius('resource:default/db', { hops: 2 }),
    ).toEqual(answer());
    expect(queries()).toEqual([
      { hops: '2', paths: 'table' },
      { hops: '2', paths: 'shared' },
    ]);

    // any other refusal is the caller's to see, asked once
    fetch.mockClear();
    fetch.mockImplementation(async () =>
      refusal('hops must be an integer between 0 and 10'),
    );
    await expect(
      client.getBlastRadius('resource:default/db'),
    ).rejects.toMatchObject({
      statusCode: 400,
      cause: { message: 'hops must be an integer between 0 and 10' },
    });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('passes an inline answer through (a backend from before paths=)', async () => {
    const { client } = clientWith(() => json(answer()));
    expect(await client.getBlastRadius('resource:default/db')).toEqual(
      answer(),
    );
  });

  it('turns an error answer into a ResponseError carrying the backend message', async () => {
    const message = 'limit must be an integer between 1 and 5000';
    const { client } = clientWith(() => refusal(message));
    await expect(
      client.getBlastRadius('resource:default/db'),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 400,
      cause: { message },
    });
  });
});

describe('IncidentBriefClient.getOwner', () => {
  const brief = checkoutBrief;
  const section = {
    header: {
      title: brief.header.title,
      ref: brief.header.ref,
      generatedAt: brief.header.generatedAt,
      incidentTime: brief.header.incidentTime,
      evaluatedAt: brief.header.evaluatedAt,
    },
    owner: brief.owner,
    confidence: { owner: brief.confidence.owner },
  };
  const path = (url: string) => new URL(url).pathname;

  it('reads …/owner with the incident time', async () => {
    const { client, fetch, queries } = clientWith(() => json(section));
    expect(
      await client.getOwner('component:default/checkout-service', {
        at: '2026-03-14T02:05:00Z',
      }),
    ).toEqual(section);
    expect(path(fetch.mock.calls[0][0])).toBe(
      '/api/x/entities/component/default/checkout-service/owner',
    );
    expect(queries()).toEqual([{ at: '2026-03-14T02:05:00Z' }]);
  });

  it('reads the owner section of the brief from a backend without the route (a bare 404)', async () => {
    const { client, fetch } = clientWith(url =>
      path(url).endsWith('/owner')
        ? new Response('', { status: 404, statusText: 'Not Found' })
        : json(brief),
    );
    expect(await client.getOwner('component:default/checkout-service')).toEqual(
      section,
    );
    expect(fetch.mock.calls.map(([url]) => path(url))).toEqual([
      '/api/x/entities/component/default/checkout-service/owner',
      '/api/x/entities/component/default/checkout-service/brief',
    ]);
    // the route is not asked again for a while: a retry or refresh costs one request, not two
    fetch.mockClear();
    await client.getOwner('component:default/checkout-service');
    expect(fetch.mock.calls.map(([url]) => path(url))).toEqual([
      '/api/x/entities/component/default/checkout-service/brief',
    ]);
    // but not for good: the 404 may have been an old replica's in a rolling deploy
    fetch.mockClear();
    const now = Date.now();
    const later = jest.spyOn(Date, 'now').mockReturnValue(now + 11 * 60_000);
    try {
      await client.getOwner('component:default/checkout-service');
    } finally {
      later.mockRestore();
    }
    expect(path(fetch.mock.calls[0][0])).toBe(
      '/api/x/entities/component/default/checkout-service/owner',
    );
  });

  it('throws the 404 of an entity the catalog does not know, without asking again', async () => {
    const message = 'entity component:default/nope not found';
    const { client, fetch } = clientWith(() =>
      json(
        {
          error: { name: 'NotFoundError', message },
          response: { statusCode: 404 },
        },
        404,
      ),
    );
    await expect(
      client.getOwner('component:default/nope'),
    ).rejects.toMatchObject({ statusCode: 404, cause: { message } });
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

describe('readOwner', () => {
  it('reads the owner section of the brief from an IncidentBriefApi without getOwner', async () => {
    const getBrief = jest.fn(async () => checkoutBrief);
    const owner = await readOwner(
      { getBrief },
      'component:default/checkout-service',
    );
    expect(owner.owner).toEqual(checkoutBrief.owner);
    expect(owner.confidence).toEqual({ owner: checkoutBrief.confidence.owner });
    expect(getBrief).toHaveBeenCalledWith(
      'component:default/checkout-service',
      undefined,
    );
  });
});
