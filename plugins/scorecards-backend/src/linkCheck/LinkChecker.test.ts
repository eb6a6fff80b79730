import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import {
  LinkServer,
  recordingEvidence,
  recordingLogger,
  startLinkServer,
} from './__testUtils__/linkServer';
import { LinkChecker } from './LinkChecker';
import { readLinkCheckConfig } from './linkCheckConfig';

const REF = 'component:default/checkout';
const SECRET = 's3cr3t-token-value';

function component(
  name: string,
  links: { url: string; type?: string }[],
  kind = 'Component',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default', links },
    spec: { type: 'service', lifecycle: 'production', owner: 'group:a' },
  };
}

let main: LinkServer;
let other: LinkServer;

beforeAll(async () => {
  main = await startLinkServer('127.0.0.1', (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const chain = /^\/chain\/(\d+)$/.exec(path);
    if (path === '/ok' || path === '/secret') {
      res.writeHead(200).end('ok');
    } else if (path === '/missing') {
      res.writeHead(404).end();
    } else if (path === '/moved') {
      res.writeHead(301, { location: '/ok' }).end();
    } else if (chain) {
      const n = Number(chain[1]);
      if (n === 0) res.writeHead(200).end();
      else res.writeHead(302, { location: `/chain/${n - 1}` }).end();
    } else if (path === '/to-secret') {
      res.writeHead(302, { location: `/secret?token=${SECRET}` }).end();
    } else if (path === '/away-secret') {
      res
        .writeHead(302, { location: `${other.origin}/x?token=${SECRET}` })
        .end();
    } else if (path === '/away') {
      res.writeHead(302, { location: `${other.origin}/landing` }).end();
    } else if (path === '/no-head') {
      res.writeHead(req.method === 'HEAD' ? 405 : 200).end();
    } else if (path === '/hang') {
      // never answers
    } else {
      res.writeHead(500).end();
    }
  });
  // A second loopback address: a host that is not allowed unless a test says so.
  other = await startLinkServer('127.0.0.2', (_req, res) => {
    res.writeHead(200).end();
  });
});

afterAll(async () => {
  await main.close();
  await other.close();
});

beforeEach(() => {
  main.requests.length = 0;
  other.requests.length = 0;
});

function checker(
  entities: Entity[],
  options: { allowedHosts?: string[]; timeout?: string } = {},
) {
  const evidence = recordingEvidence();
  const logger = recordingLogger();
  const config = readLinkCheckConfig(
    new ConfigReader({
      scorecards: {
        linkCheck: {
          allowedHosts: options.allowedHosts ?? ['127.0.0.1'],
          timeout: options.timeout ?? '3s',
        },
      },
    }),
  );
  const linkChecker = new LinkChecker({
    config,
    linkTypes: ['runbook', 'dashboard'],
    entities: async () => entities,
    evidence,
    logger,
    clock: () => new Date('2026-03-14T02:00:00.000Z'),
  });
  return { linkChecker, evidence, logger };
}

/** The value of the fact written for `url`. */
async function statusOf(path: string, options?: { timeout?: string }) {
  const url = `${main.origin}${path}`;
  const { linkChecker, evidence } = checker(
    [component('checkout', [{ url, type: 'runbook' }])],
    options,
  );
  await linkChecker.run();
  expect(evidence.facts).toHaveLength(1);
  expect(evidence.facts[0].key).toBe(url);
  return evidence.facts[0].value;
}

describe('LinkChecker', () => {
  it('writes one link.status fact per entity link with the status and the check keys', async () => {
    const runbook = `${main.origin}/ok`;
    const dashboard = `${main.origin}/missing`;
    const { linkChecker, evidence } = checker([
      component('checkout', [
        { url: runbook, type: 'runbook' },
        { url: dashboard, type: 'dashboard' },
        { url: `${main.origin}/other`, type: 'website' },
      ]),
    ]);
    const report = await linkChecker.run();
    expect(evidence.facts).toEqual([
      expect.objectContaining({
        entityRef: REF,
        source: 'linkcheck',
        kind: 'link.status',
        key: runbook,
        value: { status: 200, redirects: 0 },
        observedAt: '2026-03-14T02:00:00.000Z',
      }),
      expect.objectContaining({
        entityRef: REF,
        key: dashboard,
        value: { status: 404, redirects: 0 },
      }),
    ]);
    expect(new Set(evidence.facts.map(f => f.idempotencyKey)).size).toBe(2);
    expect(main.requests.map(r => r.url).sort()).toEqual(['/missing', '/ok']);
    expect(report).toMatchObject({ urls: 2, ok: 1, broken: 1 });
    expect(report?.factsWritten).toBe(2);
  });

  it('records 200 and 404', async () => {
    expect(await statusOf('/ok')).toEqual({ status: 200, redirects: 0 });
    expect(await statusOf('/missing')).toEqual({ status: 404, redirects: 0 });
  });

  it('follows a redirect to the final status', async () => {
    expect(await statusOf('/moved')).toEqual({ status: 200, redirects: 1 });
    expect(main.requests.map(r => `${r.method} ${r.url}`)).toEqual([
      'HEAD /moved',
      'HEAD /ok',
    ]);
  });

  it('follows three redirects but not a fourth', async () => {
    expect(await statusOf('/chain/3')).toEqual({ status: 200, redirects: 3 });
    main.requests.length = 0;
    expect(await statusOf('/chain/4')).toEqual({
      status: 302,
      redirects: 3,
      error: 'too-many-redirects',
    });
    expect(main.requests.map(r => r.url)).toEqual([
      '/chain/4',
      '/chain/3',
      '/chain/2',
      '/chain/1',
    ]);
  });

  it('records a redirect to a host that is not allowed without requesting it', async () => {
    expect(await statusOf('/away')).toEqual({
      status: 302,
      redirects: 0,
      error: 'redirect-not-allowed',
    });
    expect(other.requests).toEqual([]);
  });

  it('follows the same redirect when the target host is allowed (control)', async () => {
    const url = `${main.origin}/away`;
    const { linkChecker, evidence } = checker(
      [component('checkout', [{ url, type: 'runbook' }])],
      { allowedHosts: ['127.0.0.1', '127.0.0.2'] },
    );
    await linkChecker.run();
    expect(evidence.facts[0].value).toEqual({ status: 200, redirects: 1 });
    expect(other.requests.map(r => `${r.method} ${r.url}`)).toEqual([
      'HEAD /landing',
    ]);
  });

  it('falls back to GET when HEAD is answered 405', async () => {
    expect(await statusOf('/no-head')).toEqual({ status: 200, redirects: 0 });
    expect(main.requests.map(r => r.method)).toEqual(['HEAD', 'GET']);
  });

  it('records a timeout as status 0 for a server that never answers', async () => {
    const started = Date.now();
    expect(await statusOf('/hang', { timeout: '300ms' })).toEqual({
      status: 0,
      redirects: 0,
      error: 'timeout',
    });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('records a refused connection as a network error', async () => {
    const closed = await startLinkServer('127.0.0.1', () => {});
    await closed.close();
    const url = `${closed.origin}/gone`;
    const { linkChecker, evidence } = checker([
      component('checkout', [{ url, type: 'runbook' }]),
    ]);
    await linkChecker.run();
    expect(evidence.facts[0].value).toEqual({
      status: 0,
      redirects: 0,
      error: 'network',
    });
  });

  it('never requests a host that is not allowed and writes no fact for it', async () => {
    const { linkChecker, evidence } = checker([
      component('checkout', [
        { url: `${other.origin}/runbook`, type: 'runbook' },
        { url: 'mailto:team@example.com', type: 'runbook' },
      ]),
    ]);
    const report = await linkChecker.run();
    expect(other.requests).toEqual([]);
    expect(evidence.facts).toEqual([]);
    expect(report?.skipped).toMatchObject({ notAllowed: 1, notHttp: 1 });
  });

  it('refuses URLs with userinfo: not requested, not stored, not logged', async () => {
    const url = `http://ops:${SECRET}@${main.origin.slice(7)}/ok`;
    const { linkChecker, evidence, logger } = checker([
      component('checkout', [{ url, type: 'runbook' }]),
    ]);
    const report = await linkChecker.run();
    expect(main.requests).toEqual([]);
    expect(evidence.facts).toEqual([]);
    expect(report?.skipped.userinfo).toBe(1);
    expect(logger.lines.some(l => l.includes('credentials in the URL'))).toBe(
      true,
    );
    expect(logger.lines.join('\n')).not.toContain(SECRET);
  });

  it('never logs a query string, also when a redirect or a write fails', async () => {
    const url = `${main.origin}/secret?token=${SECRET}`;
    const { linkChecker, logger, evidence } = checker([
      component('checkout', [
        { url, type: 'runbook' },
        { url: `${main.origin}/to-secret`, type: 'dashboard' },
        { url: `${main.origin}/away-secret`, type: 'dashboard' },
      ]),
    ]);
    await linkChecker.run();
    expect(evidence.facts.map(f => f.value)).toEqual([
      { status: 200, redirects: 0 },
      { status: 200, redirects: 1 },
      { status: 302, redirects: 0, error: 'redirect-not-allowed' },
    ]);
    const failing = new LinkChecker({
      config: readLinkCheckConfig(
        new ConfigReader({
          scorecards: { linkCheck: { allowedHosts: ['127.0.0.1'] } },
        }),
      ),
      linkTypes: ['runbook'],
      entities: async () => [component('checkout', [{ url, type: 'runbook' }])],
      evidence: {
        writeFacts: async () => {
          throw new Error(`POST failed for ${url}`);
        },
      },
      logger,
    });
    const report = await failing.run();
    expect(report?.factsFailed).toBe(1);
    const log = logger.lines.join('\n');
    expect(log).toContain('/secret'); // host and path are logged…
    expect(log).not.toContain(SECRET); // …the query never
    expect(log).not.toContain('token=');
    // The query is part of the request the server saw and of the fact key.
    expect(main.requests.map(r => r.url)).toContain(`/secret?token=${SECRET}`);
  });

  it('requests a URL shared by several entities once and writes a fact for each', async () => {
    const url = `${main.origin}/ok`;
    const { linkChecker, evidence } = checker([
      component('checkout', [
        { url, type: 'runbook' },
        { url: `${url}#section`, type: 'dashboard' },
      ]),
      component('payments', [{ url, type: 'runbook' }]),
      // Groups are not scored: their links are read by no check.
      component(
        'team',
        [{ url: `${main.origin}/missing`, type: 'runbook' }],
        'Group',
      ),
    ]);
    await linkChecker.run();
    expect(main.requests).toHaveLength(1);
    expect(evidence.facts.map(f => [f.entityRef, f.key])).toEqual([
      [REF, url],
      [REF, `${url}#section`],
      ['component:default/payments', url],
    ]);
  });

  it('sends no cookies or credentials', async () => {
    await statusOf('/ok');
    const headers = main.requests[0].headers;
    expect(headers.cookie).toBeUndefined();
    expect(headers.authorization).toBeUndefined();
    expect(headers['user-agent']).toMatch(/scorecards-linkcheck/);
  });

  it('keeps at most the configured number of requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow = await startLinkServer('127.0.0.1', (_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200).end();
      }, 40);
    });
    try {
      const entities = Array.from({ length: 12 }, (_, i) =>
        component(`svc-${i}`, [
          { url: `${slow.origin}/page/${i}`, type: 'runbook' },
        ]),
      );
      const { linkChecker, evidence } = checker(entities);
      await linkChecker.run();
      expect(slow.requests).toHaveLength(12);
      expect(evidence.facts).toHaveLength(12);
      expect(peak).toBeGreaterThan(1);
      expect(peak).toBeLessThanOrEqual(4);
    } finally {
      await slow.close();
    }
  });

  it('does nothing without allowed hosts and says so once', async () => {
    const { linkChecker, evidence, logger } = checker(
      [component('checkout', [{ url: `${main.origin}/ok`, type: 'runbook' }])],
      { allowedHosts: [] },
    );
    expect(await linkChecker.run()).toBeUndefined();
    expect(await linkChecker.run()).toBeUndefined();
    expect(main.requests).toEqual([]);
    expect(evidence.facts).toEqual([]);
    expect(
      logger.lines.filter(l => l.includes('allowedHosts is empty')),
    ).toHaveLength(1);
  });

  it('stops between chunks when the run is aborted', async () => {
    const { linkChecker, evidence } = checker([
      component('checkout', [{ url: `${main.origin}/ok`, type: 'runbook' }]),
    ]);
    const controller = new AbortController();
    controller.abort();
    const report = await linkChecker.run(controller.signal);
    expect(report?.aborted).toBe(true);
    expect(main.requests).toEqual([]);
    expect(evidence.facts).toEqual([]);
  });
});
