import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { evidenceServiceRef } from '@internal/plugin-evidence-node';
import { goldenPathsServiceRef } from '@internal/plugin-golden-paths-node';
import { scaffolderModuleGoldenPaths } from './module';

function start(goldenPaths: object) {
  const addActions = jest.fn();
  return {
    addActions,
    started: startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [
        scaffolderModuleGoldenPaths,
        mockServices.rootConfig.factory({ data: { goldenPaths } }),
        catalogServiceMock.factory(),
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
