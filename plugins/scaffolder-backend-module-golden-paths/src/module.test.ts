import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { evidenceServiceRef } from '@internal/plugin-evidence-node';
import { goldenPathsServiceRef } from '@internal/plugin-golden-paths-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { scaffolderModuleGoldenPaths } from './module';
import { loadTemplate } from './__fixtures__/templates';
import { D0 } from './actions/database/testing/databaseWorld';

function start(goldenPaths: object, entities: Entity[] = []) {
  const addActions = jest.fn();
  return {
    addActions,
    started: startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [
        scaffolderModuleGoldenPaths,
        mockServices.rootConfig.factory({ data: { goldenPaths } }),
        catalogServiceMock.factory({ entities }),
        createServiceFactory({
          service: goldenPathsServiceRef,
          deps: {},
          factory: () => ({} as any),
        }),
        createServiceFactory({
          service: evidenceServiceRef,
          deps: {},
          factory: () => ({} as any),
        }),
      ],
    }),
  };
}

describe('scaffolder module golden-paths', () => {
  it('registers the golden-path actions', async () => {
    const { addActions, started } = start({});
    const backend = await started;
    expect(
      addActions.mock.calls.flat().map((a: { id: string }) => a.id),
    ).toContain('goldenpath:validate');
    await backend.stop();
  });

  it('refuses a database request at preflight when no provisioner is configured (GP-U03)', async () => {
    const dbTemplate = loadTemplate('postgres-database/template.yaml');
    const { addActions, started } = start({}, [dbTemplate]);
    const backend = await started;
    const validate = addActions.mock.calls
      .flat()
      .find((a: { id: string }) => a.id === 'goldenpath:validate');
    const ctx = createMockActionContext({
      input: {
        kind: 'database',
        request: { ...D0, component: 'component:default/checkout-service' },
      } as any,
      templateInfo: {
        entityRef: `template:default/${dbTemplate.metadata.name}`,
        entity: { metadata: dbTemplate.metadata },
      },
      user: { ref: 'user:default/ana.ruiz' },
    });
    await expect(validate.handler(ctx)).rejects.toThrow(
      /^GP-U03: Cannot publish a database in goldenPaths\.publish\.mode local: the local-postgres provisioner has no server: goldenPaths\.database\.local\.connection is not set\./,
    );
    await backend.stop();
  });

  it.each([
    [
      { policy: { ownerMembership: 'Deny' } },
      'goldenPaths.policy.ownerMembership must be one of warn, deny (got "Deny")',
    ],
    [
      { publish: { mode: 'Github' } },
      'goldenPaths.publish.mode must be one of local, github, gitlab (got "Github")',
    ],
  ])(
    'does not start with a mistyped setting (%j) instead of falling back silently',
    async (goldenPaths, message) => {
      await expect(start(goldenPaths).started).rejects.toThrow(message);
    },
  );
});
