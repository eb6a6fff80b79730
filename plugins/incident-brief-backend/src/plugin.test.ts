import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  demoEntities,
  demoOnCallConfig,
  fakeEvidence,
} from './__fixtures__/demoWorld';
import { incidentBriefPlugin } from './plugin';

async function until(check: () => boolean, timeoutMs = 5000) {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

async function start(config: object = {}) {
  const evidence = fakeEvidence();
  const events = mockServices.events();
  const scheduler = mockServices.scheduler.mock();
  const backend = await startTestBackend({
    features: [
      incidentBriefPlugin,
      evidence.factory,
      catalogServiceMock.factory({ entities: demoEntities() }),
      mockServices.rootConfig.factory({
        data: {
          incidentBrief: { ...demoOnCallConfig.incidentBrief, ...config },
        },
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
    scheduler.scheduleTask.mock.calls.find(([t]) => t.id === id)?.[0];
  return { backend, evidence, events, task };
}

describe('incident-brief plugin: risk write-back wiring', () => {
  it('subscribes to evidence.changes and writes the risk of the published ids', async () => {
    const { backend, evidence, events } = await start();
    try {
      await events.publish({
        topic: 'evidence.changes',
        eventPayload: { ids: ['L2', 'L3'] },
      });
      await until(() => evidence.state.riskWrites.length === 2);
      expect(evidence.state.riskWrites.map(w => w.id).sort()).toEqual([
        'L2',
        'L3',
      ]);
      const l2 = evidence.state.ledger.find(c => c.id === 'L2')!;
      expect(l2.risk).toMatchObject({ modelVersion: 'risk/1' });

      // a publisher never sees a subscriber failure
      evidence.state.available = false;
      await expect(
        events.publish({
          topic: 'evidence.changes',
          eventPayload: { ids: ['L4'] },
        }),
      ).resolves.toBeUndefined();
    } finally {
      await backend.stop();
    }
  });

  it('schedules the sweep on one runner across replicas, every 5 minutes by default', async () => {
    const { backend, evidence, task } = await start();
    try {
      const sweep = task('incident-brief-risk-sweep');
      expect(sweep).toMatchObject({
        scope: 'global',
        frequency: { milliseconds: 5 * 60_000 },
      });
      // running it stores the risk of the demo changes no event announced
      await sweep!.fn(new AbortController().signal);
      expect(evidence.state.riskWrites.map(w => w.id)).toContain('L2');
    } finally {
      await backend.stop();
    }
  });

  it('takes the sweep frequency from incidentBrief.risk.sweep.frequency', async () => {
    const { backend, task } = await start({
      risk: { sweep: { frequency: '2m' } },
    });
    try {
      expect(task('incident-brief-risk-sweep')).toMatchObject({
        frequency: { milliseconds: 2 * 60_000 },
      });
    } finally {
      await backend.stop();
    }
  });
});
