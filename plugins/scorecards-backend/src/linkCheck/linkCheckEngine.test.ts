import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type {
  EntityEvidence,
  EvidenceService,
} from '@internal/plugin-evidence-node';
import {
  EntityEvaluation,
  evaluateEntity,
  indexCatalog,
} from '@internal/plugin-scorecards-common';
import {
  loadConfiguredStandard,
  readEvaluationEvidence,
} from '@internal/plugin-scorecards-node';
import { CatalogSnapshot } from '../evaluation/CatalogSnapshot';
import {
  LinkServer,
  recordingEvidence,
  recordingLogger,
  startLinkServer,
} from './__testUtils__/linkServer';
import { linkTypesOfStandard } from './collectLinkTargets';
import { scheduleLinkCheck } from './scheduleLinkCheck';

const REF = 'component:default/checkout-service';

let server: LinkServer;

beforeAll(async () => {
  server = await startLinkServer('127.0.0.1', (req, res) => {
    res.writeHead(req.url === '/runbooks/checkout' ? 200 : 404).end();
  });
});

afterAll(() => server.close());

function entities(runbookPath: string): Entity[] {
  return [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'checkout-team', namespace: 'default' },
      spec: { type: 'team', children: [], members: ['ana'] },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'checkout-service',
        namespace: 'default',
        labels: { 'ops.example.com/tier': '2' },
        annotations: {
          'backstage.io/source-location':
            'url:https://github.com/example/checkout-service/',
        },
        links: [
          { url: `${server.origin}${runbookPath}`, type: 'runbook' },
          { url: `${server.origin}/dashboards/checkout`, type: 'dashboard' },
        ],
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: 'group:default/checkout-team',
      },
    },
  ];
}

const config = new ConfigReader({
  scorecards: { linkCheck: { allowedHosts: ['127.0.0.1'], interval: '6h' } },
});

/**
 * Runs the scheduled link check of the backend against a real server, then evaluates the
 * component with the engine on the facts it wrote plus a fresh repository listing without a
 * runbook file.
 */
async function checkAndEvaluate(runbookPath: string) {
  const catalogEntities = entities(runbookPath);
  const standard = loadConfiguredStandard(config);
  const snapshot = new CatalogSnapshot({
    catalog: catalogServiceMock({ entities: catalogEntities }),
    auth: mockServices.auth(),
    clock: () => new Date(),
  });
  const written = recordingEvidence();
  const tasks: {
    id: string;
    scope?: string;
    frequency: unknown;
    fn: Function;
  }[] = [];
  const scheduler = {
    ...mockServices.scheduler.mock(),
    scheduleTask: async (task: any) => {
      tasks.push(task);
    },
  };
  await scheduleLinkCheck({
    config,
    standard,
    snapshot,
    evidence: written,
    scheduler,
    logger: recordingLogger(),
  });
  expect(tasks).toEqual([
    expect.objectContaining({
      id: 'scorecards-link-check',
      scope: 'global',
      frequency: { hours: 6 },
    }),
  ]);
  await tasks[0].fn(new AbortController().signal);

  const now = new Date().toISOString();
  // The fields of the store's fact records the engine reads (scorecards-node toFact).
  const facts = [
    ...written.facts.map(f => ({
      ...f,
      key: f.key ?? '',
      collectedAt: f.observedAt,
      freshForSeconds: 7 * 86400,
    })),
    {
      entityRef: REF,
      source: 'repo',
      kind: 'repo.files',
      key: '',
      value: { paths: ['README.md', 'package.json'] },
      observedAt: now,
      collectedAt: now,
      freshForSeconds: 7 * 86400,
    },
  ] as unknown as EntityEvidence['facts'];
  const evidence = {
    async readEntities(refs: string[]) {
      return {
        available: true,
        asOf: now,
        data: new Map(
          refs.map(ref => [
            ref,
            {
              facts: facts.filter(f => f.entityRef === ref),
              collection: [],
            },
          ]),
        ),
      };
    },
    async sourceHealth() {
      return { available: true, asOf: now, data: [] };
    },
  } as Partial<EvidenceService> as EvidenceService;
  const inputs = await readEvaluationEvidence(evidence, [REF], standard.config);
  const evaluation = evaluateEntity({
    now,
    entity: catalogEntities[1],
    catalog: indexCatalog({ entities: catalogEntities, refreshedAt: now }),
    standard,
    ...inputs,
    waivers: [],
    firstSeenAt: now,
  }) as EntityEvaluation;
  const result = (id: string) =>
    evaluation.results.find(r => r.checkId === id)!;
  return { written, result };
}

describe('link checker → runbook-link-valid', () => {
  it('checks the link types the standard reads', () => {
    expect(linkTypesOfStandard(loadConfiguredStandard(config))).toEqual([
      'dashboard',
      'runbook',
    ]);
  });

  it('fails the check with LINK_BROKEN when the runbook answered 404', async () => {
    const { written, result } = await checkAndEvaluate('/runbooks/gone');
    expect(written.facts.map(f => [f.key, f.value])).toEqual([
      [`${server.origin}/runbooks/gone`, { status: 404, redirects: 0 }],
      [`${server.origin}/dashboards/checkout`, { status: 404, redirects: 0 }],
    ]);
    const check = result('runbook-link-valid');
    expect(check.rawState).toBe('fail');
    expect(check.reason).toBe('LINK_BROKEN');
    expect(check.found).toContain(`${server.origin}/runbooks/gone (404)`);
  });

  it('passes the check when the runbook answered 200', async () => {
    const { result } = await checkAndEvaluate('/runbooks/checkout');
    const check = result('runbook-link-valid');
    expect(check.rawState).toBe('pass');
    expect(check.reason).toBe('PASS');
  });
});
