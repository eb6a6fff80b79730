import { mockServices } from '@backstage/backend-test-utils';
import type {
  UrlReaderService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
  SchedulerServiceTaskInvocationDefinition,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { InMemoryCollectorSink } from './testing/InMemoryCollectorSink';
import {
  ONCALL_TASK_ID,
  PROMETHEUS_TASK_ID,
  REPO_TASK_ID,
  registerCollectors,
} from '.';

type Scheduled = SchedulerServiceTaskScheduleDefinition &
  SchedulerServiceTaskInvocationDefinition;

function fakeScheduler(failFor?: string) {
  const tasks: Scheduled[] = [];
  const scheduler = {
    scheduleTask: async (task: Scheduled) => {
      if (task.id === failFor) throw new Error('scheduler refused');
      tasks.push(task);
    },
  } as unknown as SchedulerService;
  return { scheduler, tasks };
}

function setup(
  config: object,
  options: {
    failFor?: string;
    catalogError?: boolean;
    entities?: Entity[];
    urlReader?: UrlReaderService;
  } = {},
) {
  const { scheduler, tasks } = fakeScheduler(options.failFor);
  const logger = mockServices.logger.mock();
  const streamEntities = jest.fn(async function* stream() {
    if (options.catalogError) throw new Error('catalog is down');
    yield options.entities ?? [];
  });
  const catalog = { streamEntities } as unknown as CatalogService;
  const auth = mockServices.auth();
  const sink = new InMemoryCollectorSink();
  const urlReader =
    options.urlReader ??
    ({
      readTree: jest.fn(async () => ({
        etag: 'sha-1',
        files: async () => [
          { path: 'README.md', content: async () => Buffer.from('# a') },
        ],
      })),
      readUrl: jest.fn(),
      search: jest.fn(),
    } as unknown as UrlReaderService);
  const run = () =>
    registerCollectors({
      scheduler,
      config: new ConfigReader(config),
      logger,
      urlReader,
      catalog,
      auth,
      sink,
    });
  return { run, tasks, logger, sink, streamEntities };
}

describe('registerCollectors', () => {
  it('schedules the repo and on-call collectors with the §4.1 defaults and leaves Prometheus off without baseUrl', async () => {
    const { run, tasks } = setup({});
    await run();
    expect(tasks.map(t => t.id)).toEqual([REPO_TASK_ID, ONCALL_TASK_ID]);
    expect(tasks[1]).toMatchObject({
      scope: 'global',
      frequency: { minutes: 30 },
      timeout: { minutes: 10 },
      initialDelay: { minutes: 1 },
    });
    expect(tasks[0]).toMatchObject({
      scope: 'global',
      frequency: { hours: 6 },
      timeout: { hours: 2 },
      initialDelay: { minutes: 2 },
    });
  });

  it('reads schedules and the enabled switches from config', async () => {
    const { run, tasks } = setup({
      evidence: {
        repo: { enabled: false },
        oncall: { enabled: false },
        prometheus: {
          baseUrl: 'http://prometheus:9090',
          schedule: { frequency: { minutes: 1 }, timeout: { seconds: 50 } },
          serviceGraph: {
            query: 'traces_service_graph_request_total{env="prod"}',
          },
        },
      },
    });
    await run();
    expect(tasks.map(t => t.id)).toEqual([PROMETHEUS_TASK_ID]);
    expect(tasks[0]).toMatchObject({
      scope: 'global',
      frequency: { minutes: 1 },
      timeout: { seconds: 50 },
    });
  });

  it('accepts a duration string as the frequency', async () => {
    const { run, tasks } = setup({
      evidence: {
        repo: { schedule: '12h' },
        oncall: { schedule: '15m' },
        prometheus: { baseUrl: 'http://p:9090', enabled: false },
      },
    });
    await run();
    expect(tasks.map(t => t.id)).toEqual([REPO_TASK_ID, ONCALL_TASK_ID]);
    expect(tasks[0].frequency).toEqual({ hours: 12 });
    expect(tasks[1].frequency).toEqual({ minutes: 15 });
  });

  it('isolates failures: a refused schedule or a failing run never breaks the others', async () => {
    const { run, tasks, logger, streamEntities } = setup(
      { evidence: { prometheus: { baseUrl: 'http://127.0.0.1:1' } } },
      { failFor: REPO_TASK_ID, catalogError: true },
    );
    // what POST /collectors/:id/run may trigger: the scheduled ones only
    await expect(run()).resolves.toEqual(
      new Map([
        ['prometheus', PROMETHEUS_TASK_ID],
        ['oncall', ONCALL_TASK_ID],
      ]),
    );
    expect(tasks.map(t => t.id)).toEqual([PROMETHEUS_TASK_ID, ONCALL_TASK_ID]);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining(
        `could not schedule evidence collector ${REPO_TASK_ID}`,
      ),
      expect.any(Error),
    );

    // The catalog read fails inside the run: logged, not thrown into the scheduler.
    await expect(
      tasks[0].fn(new AbortController().signal),
    ).resolves.toBeUndefined();
    expect(streamEntities).toHaveBeenCalledWith(
      expect.objectContaining({ filter: expect.any(Array) }),
      expect.objectContaining({ credentials: expect.anything() }),
    );
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining(`evidence collector run ${PROMETHEUS_TASK_ID}`),
      expect.any(Error),
    );
  });

  it('runs the Prometheus task to an unavailable source run when nothing answers', async () => {
    const { run, tasks, sink } = setup({
      evidence: {
        repo: { enabled: false },
        oncall: { enabled: false },
        prometheus: { baseUrl: 'http://127.0.0.1:1' },
      },
    });
    await run();
    await tasks[0].fn(new AbortController().signal);
    expect(sink.lastRun()).toMatchObject({
      source: 'prometheus',
      outcome: 'unavailable',
    });
    expect(sink.writes).toEqual([]);
  });

  it('runs the on-call task to an ok source run, and a bad static schedule stops the start naming it', async () => {
    const { run, tasks, sink } = setup({
      evidence: { repo: { enabled: false } },
    });
    await run();
    expect(tasks.map(t => t.id)).toEqual([ONCALL_TASK_ID]);
    await expect(
      tasks[0].fn(new AbortController().signal),
    ).resolves.toBeUndefined();
    expect(sink.lastRun()).toMatchObject({ source: 'oncall', outcome: 'ok' });

    const bad = setup({
      evidence: { repo: { enabled: false } },
      incidentBrief: {
        onCall: {
          static: { schedules: { x: { members: [], rotation: 'hourly' } } },
        },
      },
    });
    // until 2026-12-07 the on-call collector was logged as not scheduled and stayed off
    await expect(bad.run()).rejects.toThrow(
      /^evidence collector configuration is invalid: evidence\.oncall: .*incidentBrief\.onCall\.static\.schedules\.x/,
    );
    expect(bad.tasks).toEqual([]);
  });

  it('reads nothing more of a collector switched off: its other values never run', async () => {
    const { run, tasks } = setup({
      evidence: {
        repo: { enabled: false, concurrency: 0 },
        prometheus: { enabled: false, baseUrl: 'http://u:s3cr3t@p:9090' },
        oncall: { enabled: false, schedule: { minutes: 0 } },
      },
    });
    await expect(run()).resolves.toEqual(new Map());
    expect(tasks).toEqual([]);
  });

  describe('turns a run that throws into source health (§4.1, EV16)', () => {
    const onlyRepo = { evidence: { oncall: { enabled: false } } };
    const onlyPrometheus = {
      evidence: {
        repo: { enabled: false },
        oncall: { enabled: false },
        prometheus: { baseUrl: 'http://127.0.0.1:1' },
      },
    };
    const repoEntity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'a',
        annotations: { 'github.com/project-slug': 'o/a' },
      },
    };
    // The thrown messages carry a credential: it must reach the log, never stored health.
    const secret = 'postgres://evidence:hunter2@db:5432';
    const rejectingStore = (sink: InMemoryCollectorSink) => {
      sink.writeFact = () => Promise.reject(new Error(`${secret}: refused`));
    };

    it.each([
      {
        name: 'repo: the catalog cannot be streamed',
        config: onlyRepo,
        options: { catalogError: true },
        source: 'repo',
      },
      {
        name: 'prometheus: the catalog cannot be streamed',
        config: onlyPrometheus,
        options: { catalogError: true },
        source: 'prometheus',
      },
      {
        name: 'repo: the store rejects a fact',
        config: onlyRepo,
        options: { entities: [repoEntity] },
        arrange: rejectingStore,
        source: 'repo',
      },
    ])('$name', async ({ config, options, arrange, source }) => {
      const { run, tasks, sink, logger } = setup(config, options);
      arrange?.(sink);
      await run();
      expect(tasks).toHaveLength(1);

      await expect(
        tasks[0].fn(new AbortController().signal),
      ).resolves.toBeUndefined();

      expect(sink.sourceRuns).toEqual([
        {
          source,
          outcome: 'unavailable',
          at: expect.any(Date),
          error: expect.stringMatching(
            new RegExp(`^run ${tasks[0].id}:\\S+ failed`),
          ),
        },
      ]);
      expect(sink.lastRun()!.error).not.toContain('hunter2');
      expect(sink.lastRun()!.error).not.toContain('catalog is down');
      expect(logger.error).toHaveBeenCalledWith(
        expect.stringContaining(`evidence collector run ${tasks[0].id}`),
        expect.any(Error),
      );
    });

    it('still resolves when the store cannot record the health either', async () => {
      const { run, tasks, sink, logger } = setup(onlyRepo, {
        catalogError: true,
      });
      sink.recordSourceRun = () => Promise.reject(new Error('db down'));
      await run();
      await expect(
        tasks[0].fn(new AbortController().signal),
      ).resolves.toBeUndefined();
      expect(logger.error).toHaveBeenCalledWith(
        expect.stringContaining('could not record'),
        expect.any(Error),
      );
    });
  });

  it.each([
    { key: 'baseUrl', prometheus: { baseUrl: 'http://svc:s3cr3t@p:9090' } },
    { key: 'baseUrl', prometheus: { baseUrl: 'http://s3cr3t@p:9090' } },
    {
      key: 'alertmanagerUrl',
      prometheus: {
        baseUrl: 'http://p:9090',
        alertmanagerUrl: 'http://am:s3cr3t@am:9093',
      },
    },
  ])(
    'refuses a Prometheus $key with credentials and says to use headers, stopping the start',
    async ({ key, prometheus }) => {
      const { run, tasks } = setup({
        evidence: { repo: { enabled: false }, prometheus },
      });
      const error: Error = await run().then(
        () => {
          throw new Error('started');
        },
        e => e,
      );
      expect(error.message).toContain(
        'evidence collector configuration is invalid',
      );
      expect(error.message).toContain(
        `evidence.prometheus.${key} must not contain credentials`,
      );
      expect(error.message).toContain('evidence.prometheus.headers');
      expect(error.message).not.toContain('s3cr3t');
      expect(tasks).toEqual([]);
    },
  );

  // plugins/README.md: "refused at start … each stops the start naming its key"
  it.each([
    [{ repo: { schedule: { minutes: 0 } } }, 'evidence.repo.schedule'],
    [{ repo: { concurrency: 0 } }, 'evidence.repo.concurrency'],
    [{ repo: { requestsPerMinute: -1 } }, 'evidence.repo.requestsPerMinute'],
    [{ oncall: { schedule: { minutes: 0 } } }, 'evidence.oncall.schedule'],
    [
      { prometheus: { enabled: true } },
      'evidence.prometheus.enabled is true but evidence.prometheus.baseUrl is not set',
    ],
  ])(
    'a collector configuration mistake stops the start naming its key: %j',
    async (evidence, named) => {
      const { run, tasks } = setup({ evidence });
      await expect(run()).rejects.toThrow(named);
      // nothing scheduled: not the others either, since the start fails
      expect(tasks).toEqual([]);
    },
  );

  it('passes the scheduler abort signal to the run: the repo loop stops and the run is degraded', async () => {
    const scheduler = new AbortController();
    const readTree = jest.fn(async () => {
      // The task timeout arrives while the first repository is read.
      scheduler.abort();
      return { etag: 'sha-1', files: async () => [] };
    });
    const repoEntity = (name: string): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        annotations: { 'github.com/project-slug': `o/${name}` },
      },
    });
    const { run, tasks, sink } = setup(
      {
        evidence: {
          oncall: { enabled: false },
          repo: { concurrency: 1, requestsPerMinute: 0 },
        },
      },
      {
        entities: [repoEntity('a'), repoEntity('b'), repoEntity('c')],
        urlReader: {
          readTree,
          readUrl: jest.fn(),
          search: jest.fn(),
        } as unknown as UrlReaderService,
      },
    );
    await run();

    await tasks[0].fn(scheduler.signal);

    expect(readTree).toHaveBeenCalledTimes(1);
    expect(sink.lastRun()).toMatchObject({
      source: 'repo',
      outcome: 'degraded',
      error: 'aborted by the scheduler after 1 of 3 repositories',
    });
  });
});
