import { mockServices } from '@backstage/backend-test-utils';
import type {
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
  SchedulerServiceTaskInvocationDefinition,
} from '@backstage/backend-plugin-api';
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
  options: { failFor?: string; catalogError?: boolean } = {},
) {
  const { scheduler, tasks } = fakeScheduler(options.failFor);
  const logger = mockServices.logger.mock();
  const streamEntities = jest.fn(async function* stream() {
    if (options.catalogError) throw new Error('catalog is down');
    yield [];
  });
  const catalog = { streamEntities } as unknown as CatalogService;
  const auth = mockServices.auth();
  const sink = new InMemoryCollectorSink();
  const urlReader = {
    readTree: jest.fn(),
    readUrl: jest.fn(),
    search: jest.fn(),
  };
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
    await expect(run()).resolves.toBeUndefined();
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

  it('runs the on-call task to an ok source run and skips it on a bad static schedule', async () => {
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
    await expect(bad.run()).resolves.toBeUndefined();
    expect(bad.tasks).toEqual([]);
    expect(bad.logger.error).toHaveBeenCalledWith(
      expect.stringContaining(
        `could not schedule evidence collector ${ONCALL_TASK_ID}`,
      ),
      expect.any(Error),
    );
  });
});
