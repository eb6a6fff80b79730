import request from 'supertest';
import {
  api,
  enc,
  openBody,
  requestOf,
  runSteps,
} from '../__testUtils__/ledgerRequests';
import {
  fatima,
  GoldenPathsTestBackend,
  goldenPathsTestDatabases,
  scaffolder,
  startGoldenPathsTestBackend,
} from '../__testUtils__/startGoldenPathsTestBackend';

// ledger:open checks the runtime action switches on the template's steps (§4.7). The scaffolder
// sends none: the backend takes them from its cached catalog read of the templates.

jest.setTimeout(60_000);

const databases = goldenPathsTestDatabases();

const REASON = 'register is failing (INC-5121)';
const K02_FIRST_RUN = `GP-K02: Action goldenpath:register is switched off by the platform team since 2026-11-23 10:00 UTC: ${REASON}. Stopped before step "register". Nothing was created.`;
const K02_RESUMED = (k: string) =>
  `GP-K02: Action goldenpath:register is switched off by the platform team since 2026-11-23 10:00 UTC: ${REASON}. Stopped before step "register"; earlier steps are recorded under request "${k}" and resume when it is switched back on.`;

describe.each(databases.eachSupportedId())(
  'POST /requests/:key/open with a runtime action switch on %s',
  databaseId => {
    let backend: GoldenPathsTestBackend;
    const catalogReads = { count: 0 };

    beforeAll(async () => {
      backend = await startGoldenPathsTestBackend({
        databases,
        databaseId,
        overrides: {
          templateSteps: {
            async templates() {
              catalogReads.count += 1;
              return [
                {
                  metadata: { name: 'service-node-http' },
                  spec: {
                    steps: [
                      { id: 'validate', action: 'goldenpath:validate' },
                      { id: 'open', action: 'goldenpath:ledger:open' },
                      { id: 'publish-local', action: 'goldenpath:publish:git' },
                      { id: 'register', action: 'goldenpath:register' },
                    ],
                  },
                },
              ];
            },
          },
        },
      });
      await request(backend.server)
        .put(api('/kill-switches/action/goldenpath:register'))
        .set('Authorization', fatima)
        .send({ disabled: true, reason: REASON })
        .expect(200);
    });

    afterAll(async () => {
      await backend?.stop();
    });

    const open = (k: string, body: object) =>
      request(backend.server)
        .post(api(`/requests/${enc(k)}/open`))
        .set('Authorization', scaffolder)
        .send(body);

    it('refuses a first run at open from the catalog steps: GP-K02, nothing created', async () => {
      const k = 'service-node-http:basket-api';
      const res = await open(
        k,
        openBody(requestOf('basket-api'), {
          template: { name: 'service-node-http' },
        }),
      );
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ ruleId: 'GP-K02' });
      expect(res.body.error.message).toBe(K02_FIRST_RUN);
      expect(catalogReads.count).toBeGreaterThan(0);
      expect(await backend.store.getRequest(k)).toBeUndefined();
      expect(await backend.store.listSteps(k)).toEqual([]);
    });

    it('answers a dry run with the refusal a real run gets, without claiming', async () => {
      const k = 'service-node-http:dry-api';
      const res = await open(
        k,
        openBody(requestOf('dry-api'), {
          template: { name: 'service-node-http' },
          dryRun: true,
        }),
      );
      expect(res.status).toBe(200);
      expect(res.body.wouldBeRefusedBy).toEqual({
        ruleId: 'GP-K02',
        message: K02_FIRST_RUN,
      });
      expect(await backend.store.getRequest(k)).toBeUndefined();
    });

    it('takes the steps the body sends over the catalog read', async () => {
      const res = await open(
        'service-node-http:body-api',
        openBody(requestOf('body-api'), {
          template: {
            name: 'service-node-http',
            steps: [{ id: 'publish-local', action: 'goldenpath:publish:git' }],
          },
        }),
      );
      expect(res.status).toBe(201);
    });

    it("keeps V19's text for a rerun whose earlier steps the ledger holds", async () => {
      const k = 'service-node-http:resume-api';
      // the first run opened before the switch covered it (body steps without register),
      // published, and was stopped at register's claim
      await open(
        k,
        openBody(requestOf('resume-api'), {
          template: { name: 'service-node-http', steps: [] },
        }),
      ).expect(201);
      await runSteps(backend.server, k, [{ id: 'publish-local' }]);
      const claim = await request(backend.server)
        .post(api(`/requests/${enc(k)}/steps/register/claim`))
        .set('Authorization', scaffolder)
        .send({
          fingerprint: 'sha256:register',
          taskId: 'task-1',
          action: 'goldenpath:register',
        });
      expect(claim.status).toBe(409);
      await request(backend.server)
        .post(api(`/requests/${enc(k)}/close`))
        .set('Authorization', scaffolder)
        .send({ taskId: 'task-1', status: 'failed', errorCode: 'GP-K02' })
        .expect(200);

      const rerun = await open(
        k,
        openBody(requestOf('resume-api'), {
          template: { name: 'service-node-http' },
          taskId: 'task-2',
        }),
      );
      expect(rerun.status).toBe(409);
      expect(rerun.body.error.message).toBe(K02_RESUMED(k));
    });

    it('says nothing was created for a rerun whose only recorded step failed (no effect left)', async () => {
      const k = 'service-node-http:failed-api';
      await open(
        k,
        openBody(requestOf('failed-api'), {
          template: { name: 'service-node-http', steps: [] },
        }),
      ).expect(201);
      await runSteps(backend.server, k, [
        { id: 'publish-local', status: 'failed' },
      ]);
      await request(backend.server)
        .post(api(`/requests/${enc(k)}/close`))
        .set('Authorization', scaffolder)
        .send({ taskId: 'task-1', status: 'failed', errorCode: 'GP-E02' })
        .expect(200);

      const rerun = await open(
        k,
        openBody(requestOf('failed-api'), {
          template: { name: 'service-node-http' },
          taskId: 'task-2',
        }),
      );
      expect(rerun.status).toBe(409);
      expect(rerun.body.error.message).toBe(K02_FIRST_RUN);
    });
  },
);

describe.each(databases.eachSupportedId())(
  'POST /requests/:key/open reads the catalog templates only when an action switch could refuse, on %s',
  databaseId => {
    let backend: GoldenPathsTestBackend;
    const catalog = {
      reads: 0,
      /** The read fails (a catalog that does not answer in time). */
      fail: false,
    };

    beforeAll(async () => {
      backend = await startGoldenPathsTestBackend({
        databases,
        databaseId,
        overrides: {
          templateSteps: {
            async templates() {
              catalog.reads += 1;
              if (catalog.fail) throw new Error('timed out');
              // one name in two namespaces: only payments' runs register
              return [
                {
                  kind: 'Template',
                  metadata: {
                    name: 'service-node-http',
                    namespace: 'payments',
                  },
                  spec: {
                    steps: [{ id: 'register', action: 'goldenpath:register' }],
                  },
                },
                {
                  kind: 'Template',
                  metadata: { name: 'service-node-http' },
                  spec: {
                    steps: [
                      { id: 'publish-local', action: 'goldenpath:publish:git' },
                    ],
                  },
                },
              ];
            },
          },
        },
      });
    });

    afterAll(async () => {
      await backend?.stop();
    });

    beforeEach(() => {
      catalog.reads = 0;
      catalog.fail = false;
    });

    const open = (k: string, body: object) =>
      request(backend.server)
        .post(api(`/requests/${enc(k)}/open`))
        .set('Authorization', scaffolder)
        .send(body);
    const setSwitch = (path: string, disabled: boolean) =>
      request(backend.server)
        .put(api(`/kill-switches/${path}`))
        .set('Authorization', fatima)
        .send({ disabled, reason: REASON })
        .expect(200);

    it('answers an open without reading the catalog while no action switch is off', async () => {
      catalog.fail = true;
      const res = await open(
        'service-node-http:quiet-api',
        openBody(requestOf('quiet-api'), {
          template: { name: 'service-node-http' },
        }),
      );
      expect(res.status).toBe(201);
      expect(catalog.reads).toBe(0);
    });

    it("takes the steps of the body's templateRef, not another namespace's template of that name", async () => {
      await setSwitch('action/goldenpath:register', true);
      try {
        const res = await open(
          'service-node-http:ns-api',
          openBody(requestOf('ns-api'), {
            template: { name: 'service-node-http' },
          }),
        );
        // template:default/service-node-http does not register: the switch does not stop it
        expect(res.status).toBe(201);
        expect(catalog.reads).toBe(1);
      } finally {
        await setSwitch('action/goldenpath:register', false);
      }
    });
  },
);
