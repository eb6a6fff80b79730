import request from 'supertest';
import { GoldenPathsStore } from '../database/GoldenPathsStore';
import { withEventInsertsFailing } from '../__testUtils__/failingEventInserts';
import {
  api,
  enc,
  openBody,
  requestOf,
  SeedStep,
  seedRequest,
} from '../__testUtils__/ledgerRequests';
import {
  fatima,
  GoldenPathsTestBackend,
  goldenPathsTestDatabases,
  mallory,
  malloryMayNotCompensate,
  scaffolder,
  startGoldenPathsTestBackend,
  T,
} from '../__testUtils__/startGoldenPathsTestBackend';

// POST /requests/:key/steps/:step/repair (golden-paths.md §8 step 3 "Repair state") over HTTP.

jest.setTimeout(60_000);

const databases = goldenPathsTestDatabases();

const ROOT = '/srv/gp/repos';
const SHA = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);

describe.each(databases.eachSupportedId())(
  'POST /requests/:key/steps/:step/repair on %s',
  databaseId => {
    let server: GoldenPathsTestBackend['server'];
    let store: GoldenPathsStore;
    let clock: GoldenPathsTestBackend['clock'];
    let stop: () => Promise<void>;

    beforeAll(async () => {
      ({ server, store, clock, stop } = await startGoldenPathsTestBackend({
        databases,
        databaseId,
        permissions: malloryMayNotCompensate,
        overrides: { catalogLocations: null },
        goldenPaths: { publish: { local: { root: ROOT } } },
      }));
    });

    afterAll(async () => {
      await stop?.();
    });

    /** Opens a request and records its steps through the scaffolder's ledger routes. */
    const seed = (
      name: string,
      steps: SeedStep[],
      close?: 'succeeded' | 'failed',
    ) => seedRequest(server, name, steps, close);

    const PUBLISH = (name: string) => ({
      id: 'publish-local',
      action: 'goldenpath:publish:git',
      effectRef: `${ROOT}/${name}.git@${SHA}`,
    });
    const REGISTER = (name: string) => ({
      id: 'register',
      action: 'goldenpath:register',
      effectRef: `golden-paths-local:component:default/${name}`,
    });
    const seedLocal = (name: string) =>
      seed(name, [PUBLISH(name), REGISTER(name)], 'succeeded');

    const repair = (k: string, step: string, body?: object, who = fatima) => {
      const r = request(server)
        .post(api(`/requests/${enc(k)}/steps/${enc(step)}/repair`))
        .set('Authorization', who);
      return body ? r.send(body) : r;
    };
    const REASON = 'archived by hand on the git server (INC-5120)';

    const ledger = async (k: string) => ({
      request: await store.getRequest(k),
      steps: Object.fromEntries(
        (await store.listSteps(k)).map(s => [
          s.stepId,
          `${s.status} ${s.effectRef ?? '-'}`,
        ]),
      ),
      events: (await store.listEvents(k)).filter(
        e => e.eventType === 'golden-path-step-repair',
      ),
    });

    it('needs a user with goldenpaths.request.compensate; 404 for an unknown request or step', async () => {
      const k = await seedLocal('perm-api');
      const body = { status: 'compensated', reason: REASON };
      expect(
        (
          await request(server)
            .post(api(`/requests/${enc(k)}/steps/register/repair`))
            .send(body)
        ).status,
      ).toBe(401);
      const denied = await repair(k, 'register', body, mallory);
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toBe(
        'goldenpaths.request.compensate is not allowed',
      );
      const service = await repair(k, 'register', body, scaffolder);
      expect(service.status).toBe(403);

      const unknown = await repair(
        'service-node-http:nope-api',
        'register',
        body,
      );
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatchObject({
        name: 'NotFoundError',
        message: 'request "service-node-http:nope-api" not found',
      });
      const noStep = await repair(k, 'deploy', body);
      expect(noStep.status).toBe(404);
      expect(noStep.body.error.message).toBe(
        `request "${k}" has no step "deploy"`,
      );
      expect((await ledger(k)).steps).toEqual({
        'publish-local': `done ${ROOT}/perm-api.git@${SHA}`,
        register: 'done golden-paths-local:component:default/perm-api',
      });
    });

    it('answers 400 naming the field for a bad body, and never echoes a secret in the reason', async () => {
      const k = await seedLocal('bad-input-api');
      const cases: [object | undefined, string][] = [
        [undefined, 'reason is required'],
        [{ status: 'compensated' }, 'reason is required'],
        [
          { status: 'compensated', reason: 'oops' },
          'reason must be at least 10 characters',
        ],
        [
          { reason: REASON },
          'send status "compensated", effectRef, or both: a repair changes at least one',
        ],
        [
          { status: 'done', reason: REASON },
          'status must be one of compensated (got "done")',
        ],
        [
          { status: 'compensated', reason: REASON, force: true },
          'unknown field force; remove it',
        ],
        [
          { effectRef: `${ROOT}/bad-input-api.git`, reason: REASON },
          'effectRef of a goldenpath:publish:git step must be "<repository>@<commit sha>" (40 or 64 hex characters), as publish records it',
        ],
        [
          {
            status: 'compensated',
            reason: 'rotated key AKIAIOSFODNN7EXAMPLE after the leak',
          },
          'GP-X01: Field "reason" looks like it contains a secret (AWS access key id). Remove it: golden paths never take secrets as input; credentials are created in the secrets manager and referenced by name.',
        ],
        [
          {
            effectRef: `https://bot:hunter2hunter2@git.example.com/cart.git@${OTHER}`,
            reason: REASON,
          },
          'GP-X01: Field "effectRef" looks like it contains a secret (credentials in a URL). Remove it: golden paths never take secrets as input; credentials are created in the secrets manager and referenced by name.',
        ],
      ];
      for (const [body, message] of cases) {
        const res = await repair(k, 'publish-local', body);
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({ status: 400, message });
        expect(JSON.stringify(res.body)).not.toContain('AKIAIOSFODNN7EXAMPLE');
        expect(JSON.stringify(res.body)).not.toContain('hunter2');
      }
      const after = await ledger(k);
      expect(after.events).toEqual([]);
      expect(after.steps['publish-local']).toBe(
        `done ${ROOT}/bad-input-api.git@${SHA}`,
      );
    });

    it('marks a done step compensated with one critical audit record; the same body again changes nothing', async () => {
      const k = await seedLocal('mark-api');
      const res = await repair(k, 'publish-local', {
        status: 'compensated',
        reason: REASON,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        changed: true,
        step: {
          stepId: 'publish-local',
          status: 'compensated',
          effectRef: `${ROOT}/mark-api.git@${SHA}`,
        },
        request: { requestKey: k, status: 'succeeded' },
      });
      const after = await ledger(k);
      expect(after.steps).toEqual({
        'publish-local': `compensated ${ROOT}/mark-api.git@${SHA}`,
        register: 'done golden-paths-local:component:default/mark-api',
      });
      expect(after.events).toHaveLength(1);
      expect(after.events[0]).toMatchObject({
        severity: 'critical',
        record: {
          action: 'goldenpath:repair',
          stepId: 'publish-local',
          stepAction: 'goldenpath:publish:git',
          actor: { userRef: 'user:default/fatima.haddad', via: 'api' },
          reason: REASON,
          before: {
            status: 'done',
            effectRef: `${ROOT}/mark-api.git@${SHA}`,
          },
          after: {
            status: 'compensated',
            effectRef: `${ROOT}/mark-api.git@${SHA}`,
          },
          requestStatusBefore: 'succeeded',
          requestStatus: 'succeeded',
          result: 'succeeded',
        },
      });

      const again = await repair(k, 'publish-local', {
        status: 'compensated',
        reason: REASON,
      });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({
        changed: false,
        step: { status: 'compensated' },
      });
      expect((await ledger(k)).events).toHaveLength(1);
    });

    it('a repair whose critical audit record cannot be written fails and changes nothing, so its retry repairs and records it', async () => {
      const k = await seedLocal('unaudited-repair-api');
      const body = { status: 'compensated', reason: REASON };
      const lost = await withEventInsertsFailing(store.db, () =>
        repair(k, 'publish-local', body),
      );
      expect(lost.status).toBe(500);
      expect((await ledger(k)).steps['publish-local']).toBe(
        `done ${ROOT}/unaudited-repair-api.git@${SHA}`,
      );
      const retry = await repair(k, 'publish-local', body);
      expect(retry.status).toBe(200);
      expect(retry.body.changed).toBe(true);
      await repair(k, 'publish-local', body).expect(200);
      expect(
        (await ledger(k)).events.map(e => [e.record.before, e.record.after]),
      ).toEqual([
        [
          {
            status: 'done',
            effectRef: `${ROOT}/unaudited-repair-api.git@${SHA}`,
          },
          {
            status: 'compensated',
            effectRef: `${ROOT}/unaudited-repair-api.git@${SHA}`,
          },
        ],
      ]);
    });

    it('the last step marked compensated makes the request compensated, as a compensation run would', async () => {
      const k = await seed(
        'all-api',
        [PUBLISH('all-api'), REGISTER('all-api')],
        'failed',
      );
      const approval = await request(server)
        .post(api(`/requests/${enc(k)}/approvals`))
        .set('Authorization', scaffolder)
        .send({
          planDigest: `sha256:${'3'.repeat(64)}`,
          triggers: [{ id: 'tier-1', reasons: ['tier 1 service'] }],
        });
      expect(approval.body.status).toBe('pending');

      const first = await repair(k, 'register', {
        status: 'compensated',
        reason: REASON,
      });
      expect(first.body.request.status).toBe('awaiting-approval');
      const last = await repair(k, 'publish-local', {
        status: 'compensated',
        reason: REASON,
      });
      expect(last.status).toBe(200);
      expect(last.body).toMatchObject({
        changed: true,
        requestCompensated: true,
        request: { status: 'compensated' },
      });
      const after = await ledger(k);
      expect(after.request?.status).toBe('compensated');
      expect(after.request?.leaseTaskId).toBeUndefined();
      expect(after.events.map(e => e.record.requestStatus)).toEqual([
        'awaiting-approval',
        'compensated',
      ]);
      expect((await store.getApproval(approval.body.approval.id))?.status).toBe(
        'superseded',
      );
      // as after a compensation run: the key is not run again
      const rerun = await request(server)
        .post(api(`/requests/${enc(k)}/open`))
        .set('Authorization', scaffolder)
        .send(openBody(requestOf('all-api'), { taskId: 'task-9' }));
      expect(rerun.status).toBe(409);
    });

    it('fixes effect_ref, which the next compensation plan then uses', async () => {
      const k = await seedLocal('fix-api');
      const fixed = `${ROOT}/fix-api-renamed.git@${OTHER}`;
      const res = await repair(k, 'publish-local', {
        effectRef: fixed,
        reason: 'repository was renamed on the server by the owner',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        changed: true,
        step: { status: 'done', effectRef: fixed },
      });
      const plan = await request(server)
        .post(api(`/requests/${enc(k)}/compensate`))
        .set('Authorization', fatima);
      expect(
        plan.body.items.find((i: any) => i.stepId === 'publish-local'),
      ).toMatchObject({
        target: `${ROOT}/fix-api-renamed.git`,
        commitSha: OTHER,
      });
      const [event] = (await ledger(k)).events;
      expect(event.record).toMatchObject({
        before: { status: 'done', effectRef: `${ROOT}/fix-api.git@${SHA}` },
        after: { status: 'done', effectRef: fixed },
        targets: [`${ROOT}/fix-api.git@${SHA}`, fixed],
      });
      // the same fix again: no-op
      const again = await repair(k, 'publish-local', {
        effectRef: fixed,
        reason: 'repository was renamed on the server by the owner',
      });
      expect(again.body.changed).toBe(false);
      expect((await ledger(k)).events).toHaveLength(1);
    });

    it('409 for a claimed step, a failed step without status, and while a task holds the request', async () => {
      const k = await seed('state-api', [
        PUBLISH('state-api'),
        { id: 'register', action: 'goldenpath:register', status: 'failed' },
        { id: 'apply', action: 'goldenpath:database:apply', status: 'claimed' },
      ]);
      // task-1 still holds the request (no close): nothing may be repaired meanwhile
      const held = await repair(k, 'publish-local', {
        status: 'compensated',
        reason: REASON,
      });
      expect(held.status).toBe(409);
      expect(held.body.error.message).toMatch(
        new RegExp(
          `^request "${k}" is held by task-1 until .*; repair its steps after that task or compensation ends`,
        ),
      );

      clock.now = new Date(Date.parse(T) + 16 * 60_000);
      try {
        const claimed = await repair(k, 'apply', {
          status: 'compensated',
          reason: REASON,
        });
        expect(claimed.status).toBe(409);
        expect(claimed.body.error.message).toContain(
          'is claimed (attempt 1, task task-1) and has no recorded result yet',
        );
        const failed = await repair(k, 'register', {
          effectRef: 'golden-paths-local:component:default/state-api',
          reason: REASON,
        });
        expect(failed.status).toBe(409);
        expect(failed.body.error.message).toContain(
          'failed: nothing reads the effect_ref of a failed step',
        );
        // a failed step may be marked compensated (what it left was undone by hand)
        const ok = await repair(k, 'register', {
          status: 'compensated',
          reason: REASON,
        });
        expect(ok.status).toBe(200);
        // one step is still claimed: the request is not compensated
        expect(ok.body.request.status).toBe('running');
        expect((await ledger(k)).steps).toEqual({
          'publish-local': `done ${ROOT}/state-api.git@${SHA}`,
          register: 'compensated -',
          apply: 'claimed -',
        });
      } finally {
        clock.now = new Date(T);
      }
    });
  },
);
