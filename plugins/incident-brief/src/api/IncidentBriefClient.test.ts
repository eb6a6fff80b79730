import {
  sharePathSteps,
  tabulateRows,
} from '@internal/plugin-incident-brief-common';
import { v1BlastRadius } from '../__testUtils__/fixtures';
import { IncidentBriefClient } from './IncidentBriefClient';

// V1: web-storefront's path repeats api-gateway's step, which the shared form sends once
const answer = () => v1BlastRadius;

describe('IncidentBriefClient.getBlastRadius', () => {
  it('asks for the table form and answers the usual form', async () => {
    const fetch = jest.fn(
      async (_url: string) =>
        new Response(JSON.stringify(tabulateRows(answer())), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
    );
    const client = new IncidentBriefClient({
      discoveryApi: { getBaseUrl: async () => 'http://backstage/api/x' },
      fetchApi: { fetch: fetch as any },
    });

    const got = await client.getBlastRadius('resource:default/db', {
      hops: 3,
      limit: 1000,
    });

    expect(sharePathSteps(answer()).pathSteps).toHaveLength(2);
    const url = new URL(fetch.mock.calls[0][0]);
    expect(url.pathname).toBe(
      '/api/x/entities/resource/default/db/blast-radius',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      hops: '3',
      limit: '1000',
      paths: 'table',
    });
    expect(got).toEqual(answer());
  });

  it('asks the shared form of a backend that refuses the table form', async () => {
    const refusal = (message: string) =>
      new Response(
        JSON.stringify({
          error: { name: 'InputError', message },
          request: { method: 'GET', url: '/blast-radius' },
          response: { statusCode: 400 },
        }),
        { status: 400, headers: { 'content-type': 'application/json' } },
      );
    const fetch = jest.fn(async (url: string) =>
      new URL(url).searchParams.get('paths') === 'table'
        ? refusal('paths must be one of inline, shared (got table)')
        : new Response(JSON.stringify(sharePathSteps(answer())), {
            status: 200,
            headers: { 'content-type': 'application/json' },
          }),
    );
    const client = new IncidentBriefClient({
      discoveryApi: { getBaseUrl: async () => 'http://backstage/api/x' },
      fetchApi: { fetch: fetch as any },
    });
    expect(
      await client.getBlastRadius('resource:default/db', { hops: 2 }),
    ).toEqual(answer());
    expect(
      fetch.mock.calls.map(([url]) =>
        Object.fromEntries(new URL(url).searchParams),
      ),
    ).toEqual([
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

  it('passes an inline answer through (a backend from before paths=shared)', async () => {
    const client = new IncidentBriefClient({
      discoveryApi: { getBaseUrl: async () => 'http://backstage/api/x' },
      fetchApi: {
        fetch: (async () =>
          new Response(JSON.stringify(answer()), {
            status: 200,
            headers: { 'content-type': 'application/json' },
          })) as any,
      },
    });
    expect(await client.getBlastRadius('resource:default/db')).toEqual(
      answer(),
    );
  });

  it('turns an error answer into a ResponseError carrying the backend message', async () => {
    const message = 'limit must be an integer between 1 and 5000';
    const client = new IncidentBriefClient({
      discoveryApi: { getBaseUrl: async () => 'http://backstage/api/x' },
      fetchApi: {
        fetch: (async () =>
          new Response(
            JSON.stringify({
              error: { name: 'InputError', message },
              request: { method: 'GET', url: '/blast-radius' },
              response: { statusCode: 400 },
            }),
            { status: 400, headers: { 'content-type': 'application/json' } },
          )) as any,
      },
    });
    await expect(
      client.getBlastRadius('resource:default/db'),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 400,
      cause: { message },
    });
  });
});
