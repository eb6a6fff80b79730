import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  NormalizedRequest,
  requestFingerprint,
} from '@internal/plugin-golden-paths-common';
import {
  api,
  enc as key,
  openBody,
  requestOf,
} from '../../__testUtils__/ledgerRequests';
import {
  fatima,
  GoldenPathsTestBackend,
  goldenPathsTestDatabases,
  mallory,
  permissionsWhere,
  scaffolder,
  startGoldenPathsTestBackend,
  T,
} from '../../__testUtils__/startGoldenPathsTestBackend';

jest.setTimeout(60_000);

const databases = goldenPathsTestDatabases();

const D1 = `sha256:${'1'.repeat(64)}`;
const WORKER = 'template:default/worker-node';
const at = (minutes: number) =>
  new Date(Date.parse(T) + minutes * 60_000).toISOString();

/** An operator who may manage kill switches but not read requests. */
const oscar = mockCredentials.user.header('user:default/oscar.ops');

/** mallory may read requests but not manage kill switches; oscar the other way round. */
const permissions = permissionsWhere((user, permission) => {
  if (user === 'user:default/mallory') {
    return permission === 'goldenpaths.request.read';
  }
  if (user === 'user:default/oscar.ops') {
    return permission !== 'goldenpaths.request.read';
  }
  return true;
});

/** The catalog's templates as the action switch reads them; `failing` makes the read throw. */
const catalog = {
  failing: false,
  templates: [
    {
      metadata: { name: 'service-node-http' },
      spec: {
        steps: [
          { id: 'validate', action: 'goldenpath:validate' },
          { id: 'register', action: 'goldenpath:register' },
        ],
      },
    },
    {
      metadata: { name: 'worker-node' },
      spec: { steps: [{ id: 'validate', action: 'goldenpath:validate' }] },
    },
  ],
};

describe.each(databases.eachSupportedId())(
  'GET /kill-switches/:scope/:id/last-dry-run on %s',
  databaseId => {
    let server: GoldenPathsTestBackend['server'];
    let clock: GoldenPathsTestBackend['clock'];
    let stop: () => Promise<void>;

    beforeAll(async () => {
      ({ server, clock, stop } = await startGoldenPathsTestBackend({
        databases,
        databaseId,
        permissions,
        overrides: {
          templateSteps: {
            async templates() {
              if (catalog.failing) {
                throw new Error('catalog answered 503 when reading templates');
              }
              return catalog.templates;
            },
          },
        },
      }));
    });

    afterAll(async () => {
      await stop?.();
    });

    const lastDryRun = (path: string, who = fatima) =>
      request(server)
        .get(api(`/kill-switches/${path}/last-dry-run`))
        .set('Authorization', who);
    /** ledger:open as the scaffolder sends it, at `minutes` after T. */
    const open = (
      minutes: number,
      k: string,
      over: Record<string, unknown>,
    ) => {
      clock.now = new Date(at(minutes));
      return request(server)
        .post(api(`/requests/${key(k)}/open`))
        .set('Authorization', scaffolder)
        .send(
          openBody(requestOf(k.slice(k.indexOf(':') + 1)), {
            template: { name: 'service-node-http' },
            ...over,
          }),
        );
    };

    it('needs goldenpaths.killswitch.manage and a user (401, 403)', async () => {
      expect(
        (
          await request(server).get(
            api('/kill-switches/template/service-node-http/last-dry-run'),
          )
        ).status,
      ).toBe(401);
      const denied = await lastDryRun('template/service-node-http', mallory);
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toContain(
        'goldenpaths.killswitch.manage',
      );
      expect(
        (await lastDryRun('template/service-node-http', scaffolder)).status,
      ).toBe(403);
    });

    it('names the field of a bad scope or id (400)', async () => {
      const scope = await lastDryRun('team/checkout');
      expect(scope.status).toBe(400);
      expect(scope.body.error.message).toContain('scope');
      const all = await lastDryRun('all/service-node-http');
      expect(all.status).toBe(400);
      expect(all.body.error.message).toContain('id must be "all"');
      const upper = await lastDryRun('template/Service-Node-HTTP');
      expect(upper.status).toBe(400);
      expect(upper.body.error.message).toContain(
        'did you mean "service-node-http"?',
      );
    });

    it('answers no dry run when none is on record', async () => {
      const res = await lastDryRun('template/service-node-http');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        scope: 'template',
        id: 'service-node-http',
        covers: { kind: 'templates', templates: ['service-node-http'] },
        searched: { records: 0, complete: true },
      });
    });

    it('refuses a plan digest that is not one at ledger:open (400)', async () => {
      const res = await open(0, 'service-node-http:bad-api', {
        dryRun: true,
        planDigest: 'sha256:nope',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('planDigest must be "sha256:"');
    });

    it('shows the latest dry run of the covered templates, with its digest and whether it ran after the switch', async () => {
      // a dry run with the preview's digest, then a real run (not a dry run: never shown)
      expect(
        (
          await open(1, 'service-node-http:basket-api', {
            dryRun: true,
            planDigest: D1,
            taskId: 'task-dry-1',
          })
        ).status,
      ).toBe(200);
      expect(
        (await open(2, 'service-node-http:cart-api', { taskId: 'task-real' }))
          .status,
      ).toBe(201);
      let res = await lastDryRun('template/service-node-http');
      expect(res.body).toEqual({
        scope: 'template',
        id: 'service-node-http',
        covers: { kind: 'templates', templates: ['service-node-http'] },
        lastDryRun: {
          eventId: expect.any(String),
          at: at(1),
          by: 'user:default/ana.ruiz',
          taskId: 'task-dry-1',
          requestKey: 'service-node-http:basket-api',
          templateRef: 'template:default/service-node-http',
          template: 'service-node-http',
          templateVersion: '1.0.0',
          fingerprint: openBody(requestOf('basket-api')).fingerprint,
          planDigest: D1,
          outcome: 'would-create',
        },
        searched: { records: 1, complete: true },
      });

      // without goldenpaths.request.read: when, template and outcome, not the request's details
      const withheld = await lastDryRun('template/service-node-http', oscar);
      expect(withheld.status).toBe(200);
      expect(withheld.body.lastDryRun).toEqual({
        eventId: res.body.lastDryRun.eventId,
        at: at(1),
        template: 'service-node-http',
        templateVersion: '1.0.0',
        outcome: 'would-create',
      });
      expect(withheld.body.withheld).toEqual({
        permission: 'goldenpaths.request.read',
        fields: [
          'by',
          'taskId',
          'requestKey',
          'templateRef',
          'fingerprint',
          'planDigest',
          'wouldBeRefusedBy.message',
        ],
      });
      expect(res.body).not.toHaveProperty('withheld');

      // the template is switched off; a dry run runs through the switch at ledger:open: the mode
      // a real run would take, and the refusal a real run gets now (§4.7: the no-op proof)
      clock.now = new Date(at(3));
      expect(
        (
          await request(server)
            .put(api('/kill-switches/template/service-node-http'))
            .set('Authorization', fatima)
            .send({ disabled: true, reason: 'CI workflow broken (INC-5120)' })
        ).status,
      ).toBe(200);
      const k01 =
        'GP-K01: Template "service-node-http" is switched off by the platform team since 2026-11-23 10:03 UTC: CI workflow broken (INC-5120). Nothing was created.';
      const through = await open(4, 'service-node-http:basket-api', {
        dryRun: true,
        planDigest: D1,
        taskId: 'task-dry-2',
      });
      expect(through.status).toBe(200);
      expect(through.body).toMatchObject({
        mode: 'create',
        dryRun: true,
        wouldBeRefusedBy: { ruleId: 'GP-K01', message: k01 },
      });
      // a real run is still refused before the claim (V18)
      const real = await open(4, 'service-node-http:basket-api', {
        taskId: 'task-real-2',
      });
      expect(real.status).toBe(409);
      expect(real.body).toMatchObject({ ruleId: 'GP-K01' });
      expect(real.body.error.message).toBe(k01);
      expect(
        (
          await request(server)
            .get(api(`/requests/${key('service-node-http:basket-api')}`))
            .set('Authorization', fatima)
        ).status,
      ).toBe(404);
      // the latest dry run overall is of another template
      const worker = requestOf('jobs-worker');
      expect(
        (
          await open(5, 'worker-node:jobs-worker', {
            dryRun: true,
            templateRef: WORKER,
            template: { name: 'worker-node' },
            request: worker,
            fingerprint: requestFingerprint(
              WORKER,
              worker as unknown as NormalizedRequest,
            ),
            taskId: 'task-dry-3',
          })
        ).status,
      ).toBe(200);

      // the dry run that ran through the switch is the last dry run, newer than the switch
      res = await lastDryRun('template/service-node-http');
      expect(res.body.switchedOffSince).toBe(at(3));
      expect(res.body.lastDryRun).toMatchObject({
        at: at(4),
        taskId: 'task-dry-2',
        outcome: 'would-create',
        planDigest: D1,
        afterSwitch: true,
        wouldBeRefusedBy: { ruleId: 'GP-K01', message: k01 },
      });
      expect(res.body).not.toHaveProperty('latestSwitchRefusal');
      // which switch it ran through stays without goldenpaths.request.read; its text (which
      // can name the request key) does not
      expect(
        (await lastDryRun('template/service-node-http', oscar)).body.lastDryRun
          .wouldBeRefusedBy,
      ).toEqual({ ruleId: 'GP-K01' });

      // `all` covers every template; it is not off, so no "after the switch"
      res = await lastDryRun('all/all');
      expect(res.body).toMatchObject({ covers: { kind: 'all' } });
      expect(res.body).not.toHaveProperty('switchedOffSince');
      expect(res.body.lastDryRun).toMatchObject({
        taskId: 'task-dry-3',
        template: 'worker-node',
        outcome: 'would-create',
      });
      expect(res.body.lastDryRun).not.toHaveProperty('afterSwitch');

      // an action covers the templates whose steps use it
      res = await lastDryRun('action/goldenpath:register');
      expect(res.body.covers).toEqual({
        kind: 'templates',
        templates: ['service-node-http'],
      });
      expect(res.body.lastDryRun).toMatchObject({ taskId: 'task-dry-2' });
      res = await lastDryRun('action/goldenpath:validate');
      expect(res.body.lastDryRun).toMatchObject({ taskId: 'task-dry-3' });
      res = await lastDryRun('action/goldenpath:database:apply');
      expect(res.body).toEqual({
        scope: 'action',
        id: 'goldenpath:database:apply',
        covers: { kind: 'templates', templates: [] },
      });
      // a template switch whose name no Template has (a typo) covers nothing either
      res = await lastDryRun('template/servce-node-http');
      expect(res.body).toEqual({
        scope: 'template',
        id: 'servce-node-http',
        covers: { kind: 'templates', templates: [] },
      });
    });

    it('says so when the templates of an action cannot be read', async () => {
      catalog.failing = true;
      try {
        const res = await lastDryRun('action/goldenpath:register');
        expect(res.status).toBe(200);
        expect(res.body.covers).toEqual({
          kind: 'unknown',
          message:
            'the templates that use goldenpath:register could not be read from the catalog (catalog answered 503 when reading templates), so no dry run can be matched to the switch',
        });
        expect(res.body).not.toHaveProperty('lastDryRun');
      } finally {
        catalog.failing = false;
      }
    });
  },
);
