import {
  sharePathSteps,
  type BlastRadiusAnswer,
  type PathStep,
} from '@internal/plugin-incident-brief-common';
import { IncidentBriefClient } from './IncidentBriefClient';

const step = (from: string, to: string): PathStep => ({
  from,
  to,
  reasons: ['dependsOn'],
  evidence: 'declared',
  observation: 'none',
  interaction: 'sync',
  drift: null,
});

/** Two dependents of a database, the second through the first: one step in both paths. */
function answer(): BlastRadiusAnswer {
  const first = step('component:default/a', 'resource:default/db');
  const entity = (ref: string, hop: number, path: PathStep[]) => ({
    ref,
    kind: 'component',
    title: ref,
    hop,
    path,
    tier: 1 as const,
    customerFacing: true,
    owner: 'group:default/team',
    system: null,
    lifecycle: 'production',
    immediate: true,
    resolved: true,
    deprecated: false,
  });
  return {
    roots: ['resource:default/db'],
    impacted: [
      entity('component:default/a', 1, [first]),
      entity('component:default/b', 2, [
        first,
        step('component:default/b', 'component:default/a'),
      ]),
    ],
  } as unknown as BlastRadiusAnswer;
}

describe('IncidentBriefClient.getBlastRadius', () => {
  it('asks for shared path steps and answers the usual form', async () => {
    const fetch = jest.fn(
      async (_url: string) =>
        new Response(JSON.stringify(sharePathSteps(answer())), {
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

    const url = new URL(fetch.mock.calls[0][0]);
    expect(url.pathname).toBe(
      '/api/x/entities/resource/default/db/blast-radius',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      hops: '3',
      limit: '1000',
      paths: 'shared',
    });
    expect(got).toEqual(answer());
  });

  it('turns an error answer into a ResponseError carrying the backend message', async () => {
    const message = 'paths must be one of inline, shared (got x)';
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
