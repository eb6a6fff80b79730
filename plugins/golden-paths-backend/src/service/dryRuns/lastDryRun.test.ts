import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import type { KillSwitchView } from '@internal/plugin-golden-paths-common';
import { goldenPathsTestDatabases } from '../../__testUtils__/startGoldenPathsTestBackend';
import { GoldenPathsStore } from '../../database/GoldenPathsStore';
import {
  catalogTemplateSteps,
  LastDryRunService,
  staticTemplateSteps,
} from './lastDryRun';

jest.setTimeout(60_000);

const databases = goldenPathsTestDatabases();

const at = (minute: number) =>
  new Date(Date.UTC(2026, 10, 23, 10, minute)).toISOString();
const NOW = at(59);

/** The template switch of service-node-http, thrown at minute 30. */
const switches: KillSwitchView = {
  all: { disabled: false },
  templates: {
    'service-node-http': { disabled: true, reason: 'INC-5120', since: at(30) },
  },
  actions: {},
  sources: { config: {}, runtime: [] },
};

describe.each(databases.eachSupportedId())('LastDryRunService on %s', id => {
  let store: GoldenPathsStore;

  beforeEach(async () => {
    const knex = await databases.init(id);
    store = await GoldenPathsStore.create(
      mockServices.database({ knex, migrations: { skip: false } }),
    );
  });

  /** The record ledger:open writes for a dry run of `template` at `minute`. */
  const dryRun = (
    minute: number,
    template: string,
    outcome: { errorCode?: string; wouldBeRefusedBy?: object } = {},
  ) =>
    store.appendEvent({
      requestKey: `${template}:api-${minute}`,
      at: at(minute),
      eventType: 'golden-path-step',
      severity: 'low',
      record: {
        action: 'goldenpath:ledger:open',
        dryRun: true,
        taskId: `task-${minute}`,
        templateRef: `template:default/${template}`,
        ...(outcome.errorCode
          ? { decision: 'deny', errorCode: outcome.errorCode }
          : { decision: 'allow', mode: 'create' }),
        ...(outcome.wouldBeRefusedBy
          ? { wouldBeRefusedBy: outcome.wouldBeRefusedBy }
          : {}),
      },
    });

  const service = (
    search?: { pageSize: number; maxPages: number },
    templateSteps = staticTemplateSteps([
      { metadata: { name: 'service-node-http' } },
      { metadata: { name: 'worker-node' } },
      { metadata: { name: 'postgres-database' } },
    ]),
  ) =>
    new LastDryRunService({
      db: store.db,
      killSwitches: { operatorView: async () => switches },
      templateSteps,
      search,
    });
  const details = { requestDetails: true };

  it('shows the newest dry run a switch did not refuse, and the newest refusal after it', async () => {
    await dryRun(10, 'service-node-http');
    await dryRun(20, 'service-node-http');
    // the switch is thrown at 30: every dry run since is refused by it
    await dryRun(31, 'service-node-http', { errorCode: 'GP-K01' });
    await dryRun(40, 'service-node-http', { errorCode: 'GP-K01' });
    await dryRun(41, 'worker-node');

    const answer = await service().forSwitch(
      'template',
      'service-node-http',
      NOW,
      details,
    );
    expect(answer.switchedOffSince).toBe(at(30));
    expect(answer.lastDryRun).toMatchObject({
      taskId: 'task-20',
      outcome: 'would-create',
      afterSwitch: false,
    });
    expect(answer.latestSwitchRefusal).toMatchObject({
      taskId: 'task-40',
      outcome: 'refused',
      ruleId: 'GP-K01',
      afterSwitch: true,
    });
    expect(answer.searched).toEqual({ records: 4, complete: true });
  });

  it('shows a dry run that ran through the switch as the last one, after the switch', async () => {
    const k01 = {
      ruleId: 'GP-K01',
      message:
        'GP-K01: Template "service-node-http" is switched off by the platform team since 2026-11-23 10:30 UTC: INC-5120. Nothing was created.',
    };
    await dryRun(20, 'service-node-http');
    // a record from before dry runs ran through switches: a refusal
    await dryRun(31, 'service-node-http', { errorCode: 'GP-K01' });
    // the operator's no-op proof, made while the switch is on
    await dryRun(45, 'service-node-http', { wouldBeRefusedBy: k01 });

    const answer = await service().forSwitch(
      'template',
      'service-node-http',
      NOW,
      details,
    );
    expect(answer.lastDryRun).toMatchObject({
      taskId: 'task-45',
      outcome: 'would-create',
      afterSwitch: true,
      wouldBeRefusedBy: k01,
    });
    // the older refusal is older than the dry run shown: not reported
    expect(answer).not.toHaveProperty('latestSwitchRefusal');
    expect(answer.searched).toEqual({ records: 1, complete: true });

    const withheld = await service().forSwitch(
      'template',
      'service-node-http',
      NOW,
      { requestDetails: false },
    );
    expect(withheld.lastDryRun?.wouldBeRefusedBy).toEqual({ ruleId: 'GP-K01' });
    expect(withheld.withheld?.fields).toContain('wouldBeRefusedBy.message');
  });

  it('shows a refusal by something other than a switch as the last dry run', async () => {
    await dryRun(10, 'service-node-http');
    await dryRun(20, 'service-node-http', { errorCode: 'GP-I03' });
    const answer = await service().forSwitch(
      'template',
      'service-node-http',
      NOW,
      details,
    );
    expect(answer.lastDryRun).toMatchObject({
      taskId: 'task-20',
      ruleId: 'GP-I03',
    });
    expect(answer).not.toHaveProperty('latestSwitchRefusal');
  });

  it('stops at its bound and says so, keeping a refusal it found', async () => {
    await dryRun(1, 'service-node-http');
    await dryRun(2, 'worker-node');
    await dryRun(3, 'service-node-http', { errorCode: 'GP-K01' });
    for (const minute of [4, 5, 6]) await dryRun(minute, 'worker-node');

    // 2 pages of 2: minutes 6, 5, 4 and 3 are read; the dry run at minute 1 is not reached
    const bounded = await service({ pageSize: 2, maxPages: 2 }).forSwitch(
      'template',
      'service-node-http',
      NOW,
      details,
    );
    expect(bounded.searched).toEqual({ records: 4, complete: false });
    expect(bounded).not.toHaveProperty('lastDryRun');
    expect(bounded.latestSwitchRefusal).toMatchObject({ taskId: 'task-3' });

    // a bound that reaches it finds it
    const wider = await service({ pageSize: 2, maxPages: 3 }).forSwitch(
      'template',
      'service-node-http',
      NOW,
      details,
    );
    expect(wider.searched).toEqual({ records: 6, complete: true });
    expect(wider.lastDryRun).toMatchObject({ taskId: 'task-1' });

    // read to the end without finding one: complete
    const none = await service({ pageSize: 4, maxPages: 3 }).forSwitch(
      'template',
      'postgres-database',
      NOW,
      details,
    );
    expect(none.searched).toEqual({ records: 6, complete: true });
    expect(none).not.toHaveProperty('lastDryRun');
  });

  it('says a template switch covers nothing when no Template of that name is in the catalog', async () => {
    // a typo: dry runs of the real template are on record, the switch would stop none of them
    await dryRun(10, 'service-node-http');
    const answer = await service().forSwitch(
      'template',
      'servce-node-http',
      NOW,
      details,
    );
    expect(answer.covers).toEqual({ kind: 'templates', templates: [] });
    expect(answer).not.toHaveProperty('lastDryRun');
  });

  it('reads the templates anew when the cached read lacks the one switched', async () => {
    await dryRun(10, 'payments-api');
    const reads: string[] = [];
    const answer = await service(undefined, {
      templates: async () => {
        reads.push('cached');
        return [{ metadata: { name: 'service-node-http' } }];
      },
      refresh: async () => {
        reads.push('refresh');
        return [{ metadata: { name: 'payments-api' } }];
      },
    }).forSwitch('template', 'payments-api', NOW, details);
    expect(reads).toEqual(['cached', 'refresh']);
    expect(answer.covers).toEqual({
      kind: 'templates',
      templates: ['payments-api'],
    });
    expect(answer.lastDryRun).toMatchObject({ template: 'payments-api' });
  });

  it('matches a template switch by its name when the catalog cannot be read', async () => {
    await dryRun(10, 'service-node-http');
    const answer = await service(undefined, {
      templates: async () => {
        throw new Error('catalog answered 503');
      },
    }).forSwitch('template', 'service-node-http', NOW, details);
    expect(answer.covers).toEqual({
      kind: 'templates',
      templates: ['service-node-http'],
    });
    expect(answer.lastDryRun).toMatchObject({ template: 'service-node-http' });
  });

  it('leaves out the request-level fields for a caller who may not read requests', async () => {
    await dryRun(10, 'service-node-http');
    const answer = await service().forSwitch(
      'template',
      'service-node-http',
      NOW,
      { requestDetails: false },
    );
    expect(answer.lastDryRun).toMatchObject({
      at: at(10),
      template: 'service-node-http',
      outcome: 'would-create',
    });
    expect(answer.lastDryRun).not.toHaveProperty('taskId');
    expect(answer.lastDryRun).not.toHaveProperty('requestKey');
    expect(answer.lastDryRun).not.toHaveProperty('templateRef');
    expect(answer.withheld?.permission).toBe('goldenpaths.request.read');
  });
});

describe('catalogTemplateSteps', () => {
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    // a catalog that accepts the request and never answers
    server = createServer(() => {});
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  it('gives up on a catalog that does not answer, so the coverage is unknown', async () => {
    const templateSteps = catalogTemplateSteps({
      discovery: {
        getBaseUrl: async () => baseUrl,
        getExternalBaseUrl: async () => baseUrl,
      },
      auth: mockServices.auth(),
      timeoutMs: 100,
    });
    const service = new LastDryRunService({
      db: undefined as never,
      killSwitches: { operatorView: async () => switches },
      templateSteps,
    });
    const answer = await service.forSwitch(
      'action',
      'goldenpath:register',
      NOW,
      { requestDetails: true },
    );
    expect(answer.covers).toMatchObject({ kind: 'unknown' });
    expect(answer.covers.kind === 'unknown' && answer.covers.message).toContain(
      'could not be read from the catalog',
    );
  }, 10_000);
});
