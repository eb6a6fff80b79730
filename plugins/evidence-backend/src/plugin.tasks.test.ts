import {
  SchedulerServiceTaskScheduleDefinition,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import request from 'supertest';
import { evidencePlugin } from './plugin';

const CHECKOUT = 'component:default/checkout-service';

async function start() {
  const scheduler = mockServices.scheduler.mock();
  const events = mockServices.events.mock();
  const backend = await startTestBackend({
    features: [
      evidencePlugin,
      catalogServiceMock.factory({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'checkout-service', namespace: 'default' },
            spec: {},
          },
        ],
      }),
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => events,
      }),
      scheduler.factory,
    ],
  });
  const task = (id: string) =>
    scheduler.scheduleTask.mock.calls.find(([t]) => t.id === id)?.[0] as
      | SchedulerServiceTaskScheduleDefinition & {
          id: string;
          fn: (signal: AbortSignal) => Promise<void>;
          scope?: string;
        };
  const run = (id: string) => task(id)!.fn(new AbortController().signal);
  return { backend, scheduler, events, task, run };
}

describe('evidencePlugin: derived-evidence tasks (§4.1)', () => {
  it('schedules evidence-ci-summary and evidence-risk-sweep on one runner across replicas', async () => {
    const { backend, task } = await start();
    try {
      expect(task('evidence-ci-summary')).toMatchObject({
        id: 'evidence-ci-summary',
        scope: 'global',
        frequency: { cron: '10 0 * * *' },
      });
      expect(task('evidence-ci-summary-recent')).toMatchObject({
        scope: 'global',
        frequency: { seconds: 60 },
      });
      expect(task('evidence-risk-sweep')).toMatchObject({
        id: 'evidence-risk-sweep',
        scope: 'global',
        frequency: { seconds: 60 },
      });
    } finally {
      await backend.stop();
    }
  });

  it('turns a posted CI run into a ci.summary fact on the next pass', async () => {
    const { backend, events, run } = await start();
    try {
      await run('evidence-aliases');
      const finishedAt = new Date(Date.now() - 60_000).toISOString();
      const post = await request(backend.server)
        .post('/api/evidence/ci-runs')
        .set('Authorization', mockCredentials.user.header())
        .set('Idempotency-Key', 'gha:checkout:1:1')
        .send({
          entityRef: CHECKOUT,
          provider: 'github-actions',
          runId: '1',
          attempt: 1,
          workflow: 'ci',
          branch: 'main',
          defaultBranch: true,
          commitSha: 'abc',
          status: 'completed',
          conclusion: 'success',
          finishedAt,
        });
      expect(post.status).toBe(201);

      await run('evidence-ci-summary-recent');
      const facts = await request(backend.server)
        .get(`/api/evidence/facts?entityRef=${CHECKOUT}&kind=ci.summary`)
        .set('Authorization', mockCredentials.user.header());
      expect(facts.status).toBe(200);
      expect(facts.body.items).toEqual([
        expect.objectContaining({
          entityRef: CHECKOUT,
          source: 'ci',
          kind: 'ci.summary',
          observedAt: finishedAt,
          value: expect.objectContaining({
            runs: 1,
            passed: 1,
            passRate: 1,
          }),
        }),
      ]);

      // A change is published at ingestion; the sweep leaves it to that event for a minute.
      const change = await request(backend.server)
        .post('/api/evidence/changes')
        .set('Authorization', mockCredentials.user.header())
        .set('Idempotency-Key', 'gha:checkout:1:deploy')
        .send({
          entityRef: CHECKOUT,
          kind: 'deploy',
          ref: 'v1',
          summary: 'deploy',
          actor: { type: 'bot', id: 'ci' },
          source: { system: 'github-actions', externalId: '1' },
          startedAt: new Date().toISOString(),
          status: 'started',
          attributes: { artifactDigest: 'sha256:1' },
        });
      expect(change.status).toBe(201);
      expect(events.publish).toHaveBeenCalledWith({
        topic: 'evidence.changes',
        eventPayload: { ids: [change.body.record.id] },
      });
      events.publish.mockClear();
      await run('evidence-risk-sweep');
      expect(events.publish).not.toHaveBeenCalled();
    } finally {
      await backend.stop();
    }
  });
});

describe('evidencePlugin: POST /collectors/:id/run (§5.1)', () => {
  const runNow = (backend: { server: any }, id: string) =>
    request(backend.server)
      .post(`/api/evidence/collectors/${id}/run`)
      .set('Authorization', mockCredentials.user.header());

  it('triggers the scheduled task of a collector, by the source it reports on', async () => {
    const { backend, scheduler, task } = await start();
    try {
      // repo and on-call are on by default; prometheus needs a baseUrl
      expect(task('evidence-collector-repo')).toBeDefined();
      expect(task('evidence-collector-prometheus')).toBeUndefined();

      const res = await runNow(backend, 'repo');
      expect(res.status).toBe(202);
      expect(res.body).toEqual({
        collector: 'repo',
        taskId: 'evidence-collector-repo',
        triggered: true,
      });
      expect(scheduler.triggerTask).toHaveBeenCalledWith(
        'evidence-collector-repo',
      );

      const unknown = await runNow(backend, 'prometheus');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatchObject({
        code: 'NOT_FOUND',
        message:
          'collector "prometheus" is not scheduled here (scheduled: oncall, repo)',
      });
    } finally {
      await backend.stop();
    }
  });

  it('answers 409 while the collector runs', async () => {
    const { backend, scheduler } = await start();
    try {
      scheduler.triggerTask.mockRejectedValueOnce(
        Object.assign(
          new Error('Task evidence-collector-repo is currently running'),
          {
            name: 'ConflictError',
          },
        ),
      );
      const res = await runNow(backend, 'repo');
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe(
        'collector repo is running already; its next run picks up what changed since',
      );
    } finally {
      await backend.stop();
    }
  });
});

describe('evidencePlugin: an invalid collector configuration', () => {
  it('stops the start before any task is scheduled or table created', async () => {
    const scheduler = mockServices.scheduler.mock();
    await expect(
      startTestBackend({
        features: [
          evidencePlugin,
          catalogServiceMock.factory({ entities: [] }),
          mockServices.events.factory(),
          scheduler.factory,
          mockServices.rootConfig.factory({
            data: { evidence: { repo: { concurrency: 0 } } },
          }),
        ],
      }),
    ).rejects.toThrow('evidence.repo.concurrency');
    // not half-started: with onPluginBootFailure: continue it would keep running these
    expect(scheduler.scheduleTask).not.toHaveBeenCalled();
  });
});
