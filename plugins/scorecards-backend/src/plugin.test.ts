import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  EvidenceService,
  evidenceServiceRef,
} from '@internal/plugin-evidence-node';
import { defineCheckType, outcome } from '@internal/plugin-scorecards-common';
import { createScorecardsCheckTypesModules } from '@internal/plugin-scorecards-node';
import path from 'node:path';
import { z } from 'zod';
import { scorecardsPlugin } from './plugin';

const namePrefix = defineCheckType({
  id: 'name-prefix',
  description: 'The entity name starts with a prefix.',
  paramsSchema: z.object({ prefix: z.string().min(1) }),
  needs: () => [],
  evaluate(ctx, params) {
    const ok = ctx.entity.metadata.name.startsWith(params.prefix);
    return outcome(ok ? 'pass' : 'fail', 'X', 'x', 'x', 'x');
  },
});

const features = [
  mockServices.database.factory(),
  mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
  catalogServiceMock.factory({ entities: [] }),
  createServiceFactory({
    service: evidenceServiceRef,
    deps: {},
    factory: () => ({} as EvidenceService),
  }),
  mockServices.rootConfig.factory({
    data: {
      scorecards: {
        standardFile: path.resolve(
          __dirname,
          '__fixtures__/custom-type-standard.yaml',
        ),
      },
    },
  }),
];

describe('scorecardsPlugin custom check types (scorecardsCheckTypesExtensionPoint)', () => {
  it('fails startup naming a check type no module added', async () => {
    await expect(
      startTestBackend({ features: [scorecardsPlugin, ...features] }),
    ).rejects.toThrow(/unknown check type "name-prefix"/);
  });

  it('starts with the type added by the module for the scorecards plugin', async () => {
    const [scorecardsModule] = createScorecardsCheckTypesModules({
      moduleId: 'naming',
      checkTypes: [namePrefix],
    });
    const backend = await startTestBackend({
      features: [scorecardsPlugin, scorecardsModule, ...features],
    });
    try {
      const res = await request(backend.server)
        .get('/api/scorecards/checks/payments-naming')
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).toContain('name-prefix');
    } finally {
      await backend.stop();
    }
  });
});
