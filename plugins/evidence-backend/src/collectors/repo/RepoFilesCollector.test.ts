import { mockServices } from '@backstage/backend-test-utils';
import type {
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
} from '@backstage/backend-plugin-api';
import {
  NotAllowedError,
  NotFoundError,
  NotModifiedError,
} from '@backstage/errors';
import type { CollectorEntity } from '../catalogEntities';
import { InMemoryCollectorSink } from '../testing/InMemoryCollectorSink';
import {
  classifyReadError,
  RepoFilesCollector,
  RepoFilesCollectorOptions,
  STUB_MARKER,
} from './RepoFilesCollector';

type Tree = Record<string, string>;

/** A UrlReaderService over in-memory repositories, counting downloads. */
class FakeUrlReader implements UrlReaderService {
  readonly repos = new Map<string, { sha: string; files: Tree }>();
  readonly downloads: string[] = [];
  readonly calls: { url: string; etag?: string }[] = [];
  /** Errors thrown for a URL instead of answering, as a real reader would. */
  readonly failures = new Map<string, Error>();

  async readUrl(): Promise<never> {
    throw new Error('not used');
  }
  async search(): Promise<never> {
    throw new Error('not used');
  }
  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    this.calls.push({ url, etag: options?.etag });
    const failure = this.failures.get(url);
    if (failure) throw failure;
    if (!url.startsWith('https://github.com/')) {
      throw new NotAllowedError(`Reading from '${url}' is not allowed.`);
    }
    const repo = this.repos.get(url);
    if (!repo) throw new NotFoundError(`${url} not found`);
    if (options?.etag === repo.sha) throw new NotModifiedError();
    this.downloads.push(url);
    const files = Object.entries(repo.files)
      .filter(([path]) => options?.filter?.(path) ?? true)
      .map(([path, text]) => ({
        path,
        content: async () => Buffer.from(text),
        lastModifiedAt: new Date('2026-03-13T10:00:00Z'),
      }));
    return {
      etag: repo.sha,
      files: async () => files,
      archive: async () => {
        throw new Error('not used');
      },
      dir: async () => {
        throw new Error('not used');
      },
    };
  }
}

const component = (
  name: string,
  annotations: Record<string, string>,
): CollectorEntity => ({
  ref: `component:default/${name}`,
  kind: 'Component',
  namespace: 'default',
  name,
  annotations,
});

const T = new Date('2026-03-14T02:05:00Z');

function setup(
  entities: CollectorEntity[],
  options: Partial<RepoFilesCollectorOptions> = {},
) {
  const reader = new FakeUrlReader();
  const sink = new InMemoryCollectorSink();
  let now = T;
  const collector = new RepoFilesCollector({
    urlReader: reader,
    sink,
    logger: mockServices.logger.mock(),
    listEntities: async () => entities,
    requestsPerMinute: 0,
    now: () => now,
    ...options,
  });
  return {
    reader,
    sink,
    collector,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

const checkout = component('checkout-service', {
  'backstage.io/source-location':
    'url:https://github.com/shop-example/checkout-service/',
});

const SLO_DOCS = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-service-availability
---
apiVersion: openslo/v1
kind: SLI
metadata:
  name: not-an-slo
`;

describe('RepoFilesCollector', () => {
  it('orders OpenSLO entries by code unit, so the value (and its fingerprint) is the same under every locale', async () => {
    const { reader, sink, collector } = setup([checkout]);
    const slo = (name: string) =>
      `apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: ${name}\n`;
    reader.repos.set('https://github.com/shop-example/checkout-service', {
      sha: 'b'.repeat(40),
      files: {
        'slo/a-latency.yaml': slo('a-latency'),
        'slo/B-errors.yaml': slo('b-errors'),
      },
    });
    await collector.run();
    const value = sink.fact(
      'component:default/checkout-service',
      'repo',
      'repo.files',
    )?.value as { openSlo: { path: string }[] };
    // localeCompare put `a-…` first (ICU collation); code units put `B` (66) before `a` (97).
    expect(value.openSlo.map(o => o.path)).toEqual([
      'slo/B-errors.yaml',
      'slo/a-latency.yaml',
    ]);
  });

  it('collects matched paths, OpenSLO ids from slo.yaml and slo/*.yaml, stub markers (EV19)', async () => {
    const { reader, sink, collector } = setup([checkout]);
    reader.repos.set('https://github.com/shop-example/checkout-service', {
      sha: 'a'.repeat(40),
      files: {
        'README.md': '# checkout',
        'docs/runbook.md': `# Runbook\n${STUB_MARKER}\n`,
        '.github/workflows/ci.yml': 'on: push',
        Dockerfile: 'FROM node',
        'slo.yaml': SLO_DOCS,
        'slo/latency.yaml':
          'apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: checkout-service-latency\n',
        'src/index.ts': 'export {}',
      },
    });

    const summary = await collector.run();

    expect(summary).toMatchObject({ outcome: 'ok', downloaded: 1 });
    const fact = sink.fact(
      'component:default/checkout-service',
      'repo',
      'repo.files',
    );
    expect(fact?.value).toEqual({
      repository: 'github.com/shop-example/checkout-service',
      ref: '',
      commitSha: 'a'.repeat(40),
      commitAt: '2026-03-13T10:00:00.000Z',
      // No CODEOWNERS: a fresh fact without the path, which consumers read as a fail.
      paths: [
        '.github/workflows/ci.yml',
        'Dockerfile',
        'README.md',
        'docs/runbook.md',
        'slo.yaml',
        'slo/latency.yaml',
      ],
      openSlo: [
        { path: 'slo.yaml', id: 'checkout-service-availability' },
        { path: 'slo/latency.yaml', id: 'checkout-service-latency' },
      ],
      stubMarkers: ['docs/runbook.md'],
    });
    expect(fact?.provenance).toMatchObject({ commitSha: 'a'.repeat(40) });
    expect(sink.status(checkout.ref, 'repo')).toMatchObject({
      succeeded: true,
    });
    expect(sink.lastRun()).toMatchObject({ source: 'repo', outcome: 'ok' });
  });

  it('re-confirms an unchanged commit without downloading, and picks up a new commit (EV18)', async () => {
    const { reader, sink, collector, advance } = setup([checkout]);
    const url = 'https://github.com/shop-example/checkout-service';
    reader.repos.set(url, { sha: 'a'.repeat(40), files: { 'README.md': 'x' } });

    await collector.run();
    advance(6 * 3600_000);
    const second = await collector.run();

    expect(second).toMatchObject({ downloaded: 0, notModified: 1 });
    expect(reader.downloads).toHaveLength(1);
    expect(reader.calls[1].etag).toBe('a'.repeat(40));
    const fact = sink.fact(checkout.ref, 'repo', 'repo.files')!;
    expect(fact.observedAt).toEqual(new Date(T.getTime() + 6 * 3600_000));
    expect(fact.versions).toBe(1); // no history row

    reader.repos.set(url, {
      sha: 'b'.repeat(40),
      files: { 'README.md': 'x', CODEOWNERS: '* @shop/checkout' },
    });
    advance(6 * 3600_000);
    await collector.run();
    const updated = sink.fact(checkout.ref, 'repo', 'repo.files')!;
    expect(updated.versions).toBe(2);
    expect(updated.value).toMatchObject({
      commitSha: 'b'.repeat(40),
      paths: ['CODEOWNERS', 'README.md'],
    });
  });

  it('keeps the old fact on 404 and records not-found (EV18, SC17)', async () => {
    const { reader, sink, collector, advance } = setup([checkout]);
    const url = 'https://github.com/shop-example/checkout-service';
    reader.repos.set(url, { sha: 'a'.repeat(40), files: { 'README.md': 'x' } });
    await collector.run();
    const before = sink.fact(checkout.ref, 'repo', 'repo.files');

    reader.repos.delete(url);
    advance(3600_000);
    const summary = await collector.run();

    expect(summary.errors).toEqual({ 'not-found': 1 });
    expect(sink.fact(checkout.ref, 'repo', 'repo.files')).toEqual(before);
    expect(sink.status(checkout.ref, 'repo')).toMatchObject({
      succeeded: false,
      error: 'not-found',
    });
    // Entity-side errors leave the source healthy (§2.6).
    expect(sink.lastRun()?.outcome).toBe('ok');
  });

  it('records join-key-missing and unsupported-host without writing a fact (EV18)', async () => {
    const noKey = component('notification-worker', {});
    const gitea = component('pricing-service', {
      'backstage.io/source-location':
        'url:https://git.internal.example/shop/pricing/',
    });
    const { sink, collector } = setup([noKey, gitea]);

    await collector.run();

    expect(sink.facts.size).toBe(0);
    expect(sink.status(noKey.ref, 'repo')).toMatchObject({
      error: 'join-key-missing',
    });
    expect(sink.status(gitea.ref, 'repo')).toMatchObject({
      error: 'unsupported-host',
    });
  });

  it('reads a repository shared by two entities once, each seeing its own directory and root files', async () => {
    const api = component('checkout-api-impl', {
      'backstage.io/source-location':
        'url:https://github.com/shop-example/mono/tree/main/services/api/',
    });
    const worker = component('checkout-worker', {
      'github.com/project-slug': 'shop-example/other',
      'backstage.io/source-location':
        'url:https://github.com/shop-example/mono/tree/main/services/worker',
    });
    const { reader, sink, collector } = setup([api, worker]);
    reader.repos.set('https://github.com/shop-example/mono/tree/main', {
      sha: 'c'.repeat(40),
      files: {
        '.github/CODEOWNERS': '*',
        'README.md': 'root readme is not the service readme',
        'services/api/README.md': 'api',
        'services/api/slo/availability.yaml':
          'kind: SLO\nmetadata:\n  name: api-availability\n',
        'services/worker/Dockerfile': 'FROM node',
      },
    });

    await collector.run();

    expect(reader.downloads).toHaveLength(1);
    expect(sink.fact(api.ref, 'repo', 'repo.files')?.value).toMatchObject({
      repository: 'github.com/shop-example/mono',
      ref: 'main',
      paths: ['.github/CODEOWNERS', 'README.md', 'slo/availability.yaml'],
      openSlo: [{ path: 'slo/availability.yaml', id: 'api-availability' }],
    });
    expect(sink.fact(worker.ref, 'repo', 'repo.files')?.value).toMatchObject({
      paths: ['.github/CODEOWNERS', 'Dockerfile'],
    });
  });

  it('turns a hanging reader into a timeout and an unavailable source, without throwing', async () => {
    const sink = new InMemoryCollectorSink();
    const collector = new RepoFilesCollector({
      urlReader: {
        readTree: () => new Promise(() => {}),
        readUrl: jest.fn(),
        search: jest.fn(),
      },
      sink,
      logger: mockServices.logger.mock(),
      listEntities: async () => [checkout],
      requestsPerMinute: 0,
      timeoutMs: 50,
    });

    const summary = await collector.run();

    expect(summary.outcome).toBe('unavailable');
    expect(sink.status(checkout.ref, 'repo')).toMatchObject({
      error: 'timeout',
    });
    expect(sink.lastRun()).toMatchObject({ outcome: 'unavailable' });
  });

  it('reads an unchanged repository again when a new entity needs paths the kept read left out (EV19)', async () => {
    const root = component('mono-root', {
      'backstage.io/source-location':
        'url:https://github.com/o/mono/tree/main/',
    });
    const b = component('b', {
      'backstage.io/source-location':
        'url:https://github.com/o/mono/tree/main/services/b',
    });
    const entities = [root];
    const { reader, sink, collector } = setup(entities);
    reader.repos.set('https://github.com/o/mono/tree/main', {
      sha: 'd'.repeat(40),
      files: {
        CODEOWNERS: '*',
        'README.md': 'root',
        'services/b/README.md': 'b',
      },
    });
    await collector.run();

    entities.push(b);
    const second = await collector.run();

    // The first read was filtered for the root only: reusing it would report b's README missing.
    expect(reader.calls[1].etag).toBeUndefined();
    expect(second).toMatchObject({ downloaded: 1, notModified: 0 });
    expect(sink.fact(b.ref, 'repo', 'repo.files')?.value).toMatchObject({
      paths: ['CODEOWNERS', 'README.md'],
    });

    // Same entities, or fewer: the kept read still covers them.
    expect(await collector.run()).toMatchObject({ notModified: 1 });
    entities.pop();
    expect(await collector.run()).toMatchObject({ notModified: 1 });
  });

  describe('classifyReadError on the plain errors of the SCM UrlReaders', () => {
    const github =
      'Request failed for https://api.github.com/repos/o/r/tarball/main';

    it.each([
      [`${github}, 401 Unauthorized`, 'access-denied'],
      [`${github}, 403 Forbidden`, 'access-denied'],
      [
        'Failed to read tree from https://gitlab.com/o/r, 403 Forbidden',
        'access-denied',
      ],
      [`${github}, 403 Forbidden (rate limit exceeded)`, 'rate-limited'],
      [
        `${github}, 429 Too Many Requests (rate limit exceeded)`,
        'rate-limited',
      ],
      [
        'Failed to read tree from https://gitlab.com/o/r, 429 Too Many Requests',
        'rate-limited',
      ],
      [`${github}, 502 Bad Gateway`, 'server-error'],
      // A status-like number inside the URL is not the answer's status.
      [
        'Unable to read https://h.example/o/403, FetchError: connect ECONNREFUSED',
        'server-error',
      ],
    ])('%s → %s', (message, expected) => {
      expect(classifyReadError(new Error(message)).error).toBe(expected);
    });

    it('keeps credentials a reader echoes in a URL out of the detail', () => {
      const { error, detail } = classifyReadError(
        new Error(
          'Failed to read tree (archive) from https://gitlab.example/o/r, https://bot:s3cr3t@gitlab.example/api/v4/projects/1/repository/archive?sha=main&private_token=glpat-xyz, 401 Unauthorized',
        ),
      );
      expect(error).toBe('access-denied');
      expect(detail).not.toMatch(/s3cr3t|glpat-xyz/);
      expect(detail).toContain('gitlab.example/api/v4/projects/1');
    });

    it('masks a password that holds a slash', () => {
      const { detail } = classifyReadError(
        new Error('Request failed for https://u:ab/cd@host/o/r, 403 Forbidden'),
      );
      expect(detail).not.toMatch(/ab\/cd|ab\/|\/cd@/);
      expect(detail).toContain('https://***@host/o/r');
    });
  });

  it('stops reading on a rate limit, ends degraded (rate-limited) and lets unreached entities age', async () => {
    const repo = (name: string) =>
      component(name, { 'github.com/project-slug': `o/${name}` });
    const [first, limited, unreached] = [repo('r1'), repo('r2'), repo('r3')];
    const { reader, sink, collector } = setup([first, limited, unreached], {
      concurrency: 1,
    });
    for (const name of ['r1', 'r2', 'r3']) {
      reader.repos.set(`https://github.com/o/${name}`, {
        sha: 'e'.repeat(40),
        files: { 'README.md': 'x' },
      });
    }
    reader.failures.set(
      'https://github.com/o/r2',
      new Error(
        'Request failed for https://api.github.com/repos/o/r2/commits/main/status?per_page=0, 403 Forbidden (rate limit exceeded)',
      ),
    );

    const summary = await collector.run();

    expect(reader.calls.map(c => c.url)).toEqual([
      'https://github.com/o/r1',
      'https://github.com/o/r2',
    ]);
    expect(summary).toMatchObject({ outcome: 'degraded', rateLimited: true });
    expect(sink.lastRun()?.outcome).toBe('degraded');
    expect(sink.lastRun()?.error).toMatch(/^rate-limited/);
    expect(sink.fact(first.ref, 'repo', 'repo.files')).toBeDefined();
    // Not the entities' fault: no collection error, their facts simply age.
    expect(sink.status(limited.ref, 'repo')).toBeUndefined();
    expect(sink.status(unreached.ref, 'repo')).toBeUndefined();

    // The next scheduled run continues where this one stopped.
    reader.failures.clear();
    reader.calls.length = 0;
    await collector.run();
    expect(reader.calls.map(c => c.url)).toEqual([
      'https://github.com/o/r2',
      'https://github.com/o/r3',
      'https://github.com/o/r1',
    ]);
  });

  it('records a real reader 403 per entity as access-denied and leaves the source ok', async () => {
    const open = component('open', { 'github.com/project-slug': 'o/open' });
    const closed = component('closed', {
      'github.com/project-slug': 'o/closed',
    });
    const { reader, sink, collector } = setup([open, closed]);
    reader.repos.set('https://github.com/o/open', {
      sha: 'f'.repeat(40),
      files: { 'README.md': 'x' },
    });
    reader.failures.set(
      'https://github.com/o/closed',
      new Error(
        'Request failed for https://api.github.com/repos/o/closed/commits/main/status?per_page=0, 403 Forbidden',
      ),
    );

    const summary = await collector.run();

    expect(summary.errors).toEqual({ 'access-denied': 1 });
    expect(sink.status(closed.ref, 'repo')).toMatchObject({
      succeeded: false,
      error: 'access-denied',
    });
    expect(sink.lastRun()?.outcome).toBe('ok');
  });

  it('is unavailable, not degraded, when every read failed for auth, timeout or server reasons (§2.6)', async () => {
    const denied = component('denied', {
      'github.com/project-slug': 'o/denied',
    });
    const broken = component('broken', {
      'github.com/project-slug': 'o/broken',
    });
    const { reader, sink, collector } = setup([denied, broken]);
    reader.failures.set(
      'https://github.com/o/denied',
      Object.assign(new Error('Unauthorized'), {
        name: 'ResponseError',
        statusCode: 401,
      }),
    );
    reader.failures.set(
      'https://github.com/o/broken',
      Object.assign(new Error('Bad Gateway'), {
        name: 'ResponseError',
        statusCode: 502,
      }),
    );

    const summary = await collector.run();

    expect(summary.errors).toEqual({ 'access-denied': 1, 'server-error': 1 });
    expect(summary.outcome).toBe('unavailable');
    // An unavailable run does not advance lastSuccessAt, as a degraded one would.
    expect(sink.lastRun()?.outcome).toBe('unavailable');
  });
});

describe('RepoFilesCollector over months of churn', () => {
  const cart = component('cart-service', {
    'backstage.io/source-location':
      'url:https://github.com/shop-example/cart-service/',
  });
  const CART = 'https://github.com/shop-example/cart-service';

  it('forgets a repository no entity names any more: it is read afresh when one names it again', async () => {
    const entities = [checkout, cart];
    const { reader, collector } = setup(entities);
    reader.repos.set(CART, { sha: 'c'.repeat(40), files: { 'README.md': '' } });
    await collector.run();
    await collector.run();
    expect(reader.calls.filter(c => c.url === CART).map(c => c.etag)).toEqual([
      undefined,
      'c'.repeat(40),
    ]);
    entities.splice(1, 1); // cart-service leaves the catalog
    await collector.run();
    entities.push(cart); // and a new entity names the same repository later
    await collector.run();
    expect(reader.calls.filter(c => c.url === CART).map(c => c.etag)).toEqual([
      undefined,
      'c'.repeat(40),
      undefined,
    ]);
  });

  it('logs a repository that stays unreadable once, not on every run, and again after it was read', async () => {
    const logger = mockServices.logger.mock();
    const { reader, collector, sink } = setup([cart], { logger });
    const warnings = () =>
      logger.warn.mock.calls.filter(([m]) => String(m).includes(CART));
    for (let run = 0; run < 3; run++) {
      await collector.run();
      // Each run still records the failure on the entity's collection status.
      expect(sink.collection.get(`${cart.ref}|repo`)?.succeeded).toBe(false);
      sink.collection.clear();
    }
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0][0]).toContain('not-found');

    reader.repos.set(CART, { sha: 'c'.repeat(40), files: { 'README.md': '' } });
    await collector.run();
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringMatching(`^repo collector: ${CART}: read again`),
    );
    reader.repos.delete(CART);
    await collector.run();
    expect(warnings()).toHaveLength(2);
  });
});
