import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  createServiceFactory,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { evidenceServiceRef } from '@internal/plugin-evidence-node';
import path from 'path';
import { AddressInfo } from 'net';
import { fakeEvidence, observedEdge } from './__fixtures__/fakeEvidence';
import { catalogModuleIncidentBrief } from './module';
import { IncidentBriefProcessor } from './processor/IncidentBriefProcessor';

const DEMO = path.resolve(__dirname, '../../../catalog/demo/all.yaml');

describe('catalogModuleIncidentBrief', () => {
  /** The module alone in a test backend, over a fake evidence store (and `extra` services). */
  async function startModule(...extra: ServiceFactory[]) {
    const extensionPoint = { addProcessor: jest.fn() };
    const evidence = fakeEvidence();
    const backend = await startTestBackend({
      extensionPoints: [[catalogProcessingExtensionPoint, extensionPoint]],
      features: [
        catalogModuleIncidentBrief,
        createServiceFactory({
          service: evidenceServiceRef,
          deps: {},
          factory: () => evidence.service,
        }),
        ...extra,
      ],
    });
    return { extensionPoint, evidence, backend };
  }

  it('registers the processor through the catalog processing extension point', async () => {
    const { extensionPoint } = await startModule();
    expect(extensionPoint.addProcessor).toHaveBeenCalledTimes(1);
    expect(extensionPoint.addProcessor.mock.calls[0][0]).toBeInstanceOf(
      IncidentBriefProcessor,
    );
  });

  it('writes readiness findings still waiting for their batch when the backend stops', async () => {
    const { extensionPoint, evidence, backend } = await startModule(
      catalogServiceMock.factory({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Group',
            metadata: { name: 'team-a', namespace: 'default' },
            spec: { type: 'team', children: [] },
          },
        ],
      }),
    );
    const processor = extensionPoint.addProcessor.mock
      .calls[0][0] as IncidentBriefProcessor;
    const values = new Map<string, unknown>();
    await processor.postProcessEntity(
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'svc', namespace: 'default' },
        spec: {
          type: 'service',
          lifecycle: 'production',
          owner: 'group:default/team-a',
        },
      },
      { type: 'url', target: 'https://example.com/catalog-info.yaml' },
      () => undefined,
      {
        get: async (key: string) => values.get(key) as any,
        set: async (key: string, value: unknown) => {
          values.set(key, value);
        },
      },
    );
    // the batch waits 2 s; stopping now must not lose it
    expect(evidence.state.facts).toEqual([]);
    await backend.stop();
    expect(evidence.state.facts.map(f => f.entityRef)).toEqual([
      'component:default/svc',
    ]);
  });

  it('processes the demo catalog with the real catalog plugin: observed relations, zero processing errors (R26)', async () => {
    const evidence = fakeEvidence([
      observedEdge(
        'component:default/checkout-service',
        'component:default/pricing-service',
      ),
    ]);
    // readiness facts cannot be written in this test (no evidence backend): must stay silent
    evidence.state.writeFails = true;
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleIncidentBrief,
        createServiceFactory({
          service: evidenceServiceRef,
          deps: {},
          factory: () => evidence.service,
        }),
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [
                {
                  allow: [
                    'Component',
                    'System',
                    'API',
                    'Resource',
                    'Location',
                    'Domain',
                    'Group',
                    'User',
                  ],
                },
              ],
              locations: [{ type: 'file', target: DEMO }],
              processingInterval: { seconds: 1 },
            },
          },
        }),
      ],
    });
    try {
      const { port } = backend.server.address() as AddressInfo;
      const get = async (route: string) => {
        const res = await fetch(`http://localhost:${port}${route}`);
        return { status: res.status, body: await res.json() };
      };
      let entity: any;
      for (let i = 0; i < 120; i++) {
        const res = await get(
          '/api/catalog/entities/by-name/component/default/checkout-service',
        );
        const count = (await get('/api/catalog/entities')).body.length;
        entity = res.body;
        if (
          res.status === 200 &&
          count === 36 &&
          entity.relations?.some((r: any) => r.type === 'observedDependsOn')
        ) {
          break;
        }
        await new Promise(resolve => setTimeout(resolve, 250));
      }
      expect(entity.relations).toContainEqual(
        expect.objectContaining({
          type: 'observedDependsOn',
          targetRef: 'component:default/pricing-service',
        }),
      );
      const all = await get('/api/catalog/entities');
      expect(all.status).toBe(200);
      const names = all.body.map((e: any) => e.metadata.name);
      // 34 demo entities, the Location that lists them and the one generated for the config entry
      expect(names).toHaveLength(36);
      expect(names).toEqual(
        expect.arrayContaining([
          'checkout-service',
          'notification-worker',
          'storefront-team',
        ]),
      );
      const errors = all.body.flatMap((e: any) =>
        (e.status?.items ?? []).filter((s: any) => s.level === 'error'),
      );
      expect(errors).toEqual([]);
    } finally {
      await backend.stop();
    }
  }, 60_000);
});
