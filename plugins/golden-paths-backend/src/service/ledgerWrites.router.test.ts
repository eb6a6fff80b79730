import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { GoldenPathsStore } from '../database/GoldenPathsStore';
import { withEventInsertsFailing } from '../__testUtils__/failingEventInserts';
import {
  api,
  closeRequest,
  enc,
  lifecycleOpenBody,
  openBody,
  requestOf,
  seedLifecycleRequest,
  seedRequest,
} from '../__testUtils__/ledgerRequests';
import {
  fatima,
  GoldenPathsTestBackend,
  goldenPathsTestDatabases,
  permissionsWhere,
  scaffolder,
  startGoldenPathsTestBackend,
  T,
} from '../__testUtils__/startGoldenPathsTestBackend';
import { staticGroupDirectory } from './groupDirectory';

// The scaffolder's ledger writes (golden-paths.md §4.4, §4.9 ledger:close, §6.2) against the
// request's state: closed requests take no claim, result or close; a claim is atomic; a result
// comes from the task holding the request; a superseding run starts without the old steps; a
// request waiting for an approval is closed by nobody but the run that resumed it.

jest.setTimeout(60_000);

const databases = goldenPathsTestDatabases();

const ROOT = '/srv/gp/repos';
const SHA = 'a'.repeat(40);
const REASON = 'archived by hand on the git server (INC-5120)';
const D1 = `sha256:${'1'.repeat(64)}`;
const tier1 = { id: 'tier-1', reasons: ['tier 1 service'] };

const group = (name: string, members: string[]): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [], members },
});

describe.each(databases.eachSupportedId())(
  'ledger writes against the request state on %s',
  databaseId => {
    let server: GoldenPathsTestBackend['server'];
    let store: GoldenPathsStore;
    let clock: GoldenPathsTestBackend['clock'];
    let stop: () => Promise<void>;

    beforeAll(async () => {
      ({ server, store, clock, stop } = await startGoldenPathsTestBackend({
        databases,
        databaseId,
        permissions: permissionsWhere(() => true),
        overrides: {
          catalogLocations: null,
          directory: staticGroupDirectory([
            group('platform-team', ['fatima.haddad']),
          ]),
        },
        goldenPaths: {
          publish: { local: { root: ROOT } },
          approvals: {
            routes: { 'tier-1': ['group:default/platform-team'] },
            breakGlassGroup: 'group:default/platform-team',
          },
        },
      }));
    });

    afterAll(async () => {
      await stop?.();
    });

    afterEach(() => {
      clock.now = new Date(T);
    });

    const claim = (k: string, step: string, taskId: string, fp?: string) =>
      request(server)
        .post(api(`/requests/${enc(k)}/steps/${enc(step)}/claim`))
        .set('Authorization', scaffolder)
        .send({ fingerprint: fp ?? `sha256:${step}`, taskId });
    const complete = (
      k: string,
      step: string,
      taskId: string,
      status = 'done',
    ) =>
      request(server)
        .post(api(`/requests/${enc(k)}/steps/${enc(step)}/complete`))
        .set('Authorization', scaffolder)
        .send({ taskId, status });
    const close = (k: string, taskId: string, status = 'succeeded') =>
      request(server)
        .post(api(`/requests/${enc(k)}/close`))
        .set('Authorization', scaffolder)
        .send({ taskId, status });
    const open = (k: string, body: object) =>
      request(server)
        .post(api(`/requests/${enc(k)}/open`))
        .set('Authorization', scaffolder)
        .send(body);
    const repair = (k: string, step: string) =>
      request(server)
        .post(api(`/requests/${enc(k)}/steps/${enc(step)}/repair`))
        .set('Authorization', fatima)
        .send({ status: 'compensated', reason: REASON });
    const steps = async (k: string) =>
      Object.fromEntries(
        (await store.listSteps(k)).map(s => [s.stepId, s.status]),
      );

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

    it('a compensated request takes no claim, result or close, and is not reopened (409)', async () => {
      const k = await seedRequest(
        server,
        'revive-api',
        [PUBLISH('revive-api')],
        'failed',
      );
      expect((await repair(k, 'publish-local')).body.request.status).toBe(
        'compensated',
      );

      const writes = [
        await claim(k, 'publish-local', 'task-1'),
        await claim(k, 'register', 'task-1'),
        await complete(k, 'publish-local', 'task-1'),
        await close(k, 'task-1'),
        await open(k, openBody(requestOf('revive-api'), { taskId: 'task-2' })),
      ];
      expect(writes.map(r => r.status)).toEqual([409, 409, 409, 409, 409]);
      expect(writes[0].body.error.message).toBe(
        `request "${k}" was compensated, so claiming step "publish-local" is refused; start a new request with a new key`,
      );
      expect(writes[3].body.error.message).toBe(
        `request "${k}" was compensated, so closing it as succeeded is refused; start a new request with a new key`,
      );
      expect(await steps(k)).toEqual({ 'publish-local': 'compensated' });
      expect(await store.getRequest(k)).toMatchObject({
        status: 'compensated',
      });
      expect((await store.getRequest(k))?.leaseTaskId).toBeUndefined();
    });

    it('a late result of the old task never turns a repaired (compensated) step back to done', async () => {
      // task-1 recorded both steps and died without closing; its lease ran out
      const k = await seedRequest(server, 'late-api', [
        PUBLISH('late-api'),
        REGISTER('late-api'),
      ]);
      clock.now = new Date(Date.parse(T) + 16 * 60_000);
      expect((await repair(k, 'publish-local')).status).toBe(200);

      const late = await complete(k, 'publish-local', 'task-1');
      expect(late.status).toBe(409);
      expect(late.body.error.message).toBe(
        `step "publish-local" of request "${k}" was compensated; it is not recorded as done again (claim it again from a run that holds the request)`,
      );
      expect(await steps(k)).toEqual({
        'publish-local': 'compensated',
        register: 'done',
      });
      // repeating the recorded result stays a no-op
      expect((await complete(k, 'register', 'task-1')).status).toBe(200);
    });

    it('a succeeded request takes no claim (409) and its lease stays free; a replay still reads done steps', async () => {
      const k = await seedRequest(
        server,
        'closed-api',
        [PUBLISH('closed-api')],
        'succeeded',
      );
      const late = await claim(k, 'register', 'task-9');
      expect(late.status).toBe(409);
      expect(late.body.error.message).toBe(
        `request "${k}" already succeeded, so claiming step "register" is refused: run it again with the same inputs to replay its result, or start a new request with a new key`,
      );
      const replay = await claim(k, 'publish-local', 'task-9');
      expect(replay.status).toBe(200);
      expect(replay.body).toMatchObject({
        run: false,
        step: { status: 'done', effectRef: `${ROOT}/closed-api.git@${SHA}` },
      });
      expect(await steps(k)).toEqual({ 'publish-local': 'done' });
      const after = await store.getRequest(k);
      expect(after).toMatchObject({ status: 'succeeded' });
      expect(after?.leaseTaskId).toBeUndefined();
      // nobody holds it: the operator may repair it at once
      expect((await repair(k, 'publish-local')).status).toBe(200);
    });

    it('a refused claim leaves no step behind, and only the task holding the request records results', async () => {
      const k = 'service-node-http:race-api';
      await open(k, openBody(requestOf('race-api'))).expect(201);
      const other = await claim(k, 'publish-local', 'task-2', 'sha256:other');
      expect(other.status).toBe(409);
      expect(other.body.ruleId).toBe('GP-I03');
      // the shared error envelope, as every other error of the API
      expect(other.body).toMatchObject({
        error: { name: 'ConflictError' },
        request: { method: 'POST' },
        response: { statusCode: 409 },
      });
      expect(await steps(k)).toEqual({});
      const own = await claim(k, 'publish-local', 'task-1');
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ run: true });

      // another task may not record task-1's step while task-1 holds the request
      const foreign = await complete(k, 'publish-local', 'task-2');
      expect(foreign.status).toBe(409);
      expect(foreign.body.error.message).toMatch(
        /^GP-I03: Request "service-node-http:race-api" is already running in task task-1/,
      );
      // the same rule as the claim refusal, by id, whichever route met it
      expect(foreign.body.ruleId).toBe('GP-I03');
      expect(await steps(k)).toEqual({ 'publish-local': 'claimed' });

      // task-1's lease ran out but nobody took the request over: its result is still this run's
      await claim(k, 'register', 'task-1').expect(200);
      clock.now = new Date(Date.parse(T) + 16 * 60_000);
      expect((await complete(k, 'publish-local', 'task-1')).status).toBe(200);

      // task-3 resumes the request: task-1's late result is refused; task-3 claims it again
      await open(
        k,
        openBody(requestOf('race-api'), { taskId: 'task-3' }),
      ).expect(200);
      const stale = await complete(k, 'register', 'task-1');
      expect(stale.status).toBe(409);
      expect(stale.body.error.message).toMatch(/^GP-I03: /);
      expect((await complete(k, 'register', 'task-3')).status).toBe(409);
      await claim(k, 'register', 'task-3').expect(200);
      expect((await complete(k, 'register', 'task-3')).status).toBe(200);
      expect(await steps(k)).toEqual({
        'publish-local': 'done',
        register: 'done',
      });
    });

    it('a superseding fresh run claims every step anew; the old run stays in the audit trail', async () => {
      const entity = 'component:default/legacy-gift-api';
      const key = await seedLifecycleRequest(server, {
        entity,
        transition: 'archive',
        steps: [
          { id: 'lifecycle', effectRef: `${ROOT}/legacy-gift-api.git@${SHA}` },
          { id: 'lifecycle:repository' },
        ],
        close: 'succeeded',
      });
      const fresh = await open(
        key,
        lifecycleOpenBody(entity, 'archive', {
          taskId: 'task-2',
          supersede: true,
        }),
      );
      expect(fresh.status).toBe(201);
      expect(fresh.body).toMatchObject({ mode: 'create' });
      expect(await steps(key)).toEqual({});

      const again = await claim(key, 'lifecycle', 'task-2');
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({
        run: true,
        step: { status: 'claimed', attempt: 1 },
      });
      expect(again.body.step.effectRef).toBeUndefined();
      // another input than the old run's is this run's own, not GP-I05
      const changed = await claim(
        key,
        'lifecycle:repository',
        'task-2',
        'sha256:new-input',
      );
      expect(changed.status).toBe(200);
      expect(changed.body.run).toBe(true);

      const archived = (await store.listEvents(key)).filter(
        e => e.eventType === 'golden-path-run-superseded',
      );
      expect(archived).toHaveLength(1);
      expect(archived[0].record).toMatchObject({
        result: 'superseded',
        superseded: {
          status: 'succeeded',
          steps: [
            {
              stepId: 'lifecycle',
              status: 'done',
              effectRef: `${ROOT}/legacy-gift-api.git@${SHA}`,
            },
            { stepId: 'lifecycle:repository', status: 'done' },
          ],
        },
      });
    });

    it('supersede is honoured only for a lifecycle request with the stored fingerprint and template; any other gets GP-I02 or its replay', async () => {
      // a service request: supersede neither overwrites it with other inputs nor runs it afresh
      const k = await seedRequest(
        server,
        'kept-api',
        [PUBLISH('kept-api')],
        'succeeded',
      );
      const other = await open(
        k,
        openBody(
          { ...requestOf('kept-api'), tier: 1 },
          { taskId: 'task-2', supersede: true },
        ),
      );
      expect(other.status).toBe(409);
      expect(other.body.ruleId).toBe('GP-I02');
      expect(other.body.error.message).toMatch(
        /^GP-I02: Idempotency key "service-node-http:kept-api" was used on 2026-11-23 by user:default\/ana\.ruiz for a different request \(differs in: tier\)/,
      );
      const same = await open(
        k,
        openBody(requestOf('kept-api'), { taskId: 'task-3', supersede: true }),
      );
      expect(same.status).toBe(200);
      expect(same.body.mode).toBe('replay');
      expect(await steps(k)).toEqual({ 'publish-local': 'done' });
      expect(await store.getRequest(k)).toMatchObject({
        status: 'succeeded',
        kind: 'service',
        fingerprint: openBody(requestOf('kept-api')).fingerprint,
      });

      // a lifecycle key sent another transition's request: GP-I02, the archive stays
      const entity = 'component:default/legacy-promo-api';
      const key = await seedLifecycleRequest(server, {
        entity,
        transition: 'archive',
        steps: [{ id: 'lifecycle' }],
        close: 'succeeded',
      });
      const deleted = await open(
        key,
        lifecycleOpenBody(entity, 'delete', {
          taskId: 'task-2',
          supersede: true,
        }),
      );
      expect(deleted.status).toBe(409);
      expect(deleted.body.ruleId).toBe('GP-I02');
      expect(await steps(key)).toEqual({ lifecycle: 'done' });
      expect(
        (await store.listEvents(key)).filter(
          e => e.eventType === 'golden-path-run-superseded',
        ),
      ).toEqual([]);
    });

    it('refuses step results and request outputs that look like secrets (400 GP-X01 naming the field); nothing is recorded', async () => {
      const k = 'service-node-http:leaky-api';
      await open(k, openBody(requestOf('leaky-api'))).expect(201);
      await claim(k, 'publish-local', 'task-1').expect(200);
      const leaky =
        'https://deploy:hunter2hunter2@git.example.com/acme/leaky-api.git';
      const x01 = (field: string) =>
        `GP-X01: Field "${field}" looks like it contains a secret (credentials in a URL). Remove it: golden paths never take secrets as input; credentials are created in the secrets manager and referenced by name.`;
      const results: [object, string][] = [
        [{ status: 'done', effectRef: leaky }, 'effectRef'],
        [
          { status: 'done', output: { remote: { urls: [leaky] } } },
          'output.remote.urls.0',
        ],
      ];
      for (const [result, field] of results) {
        const res = await request(server)
          .post(api(`/requests/${enc(k)}/steps/publish-local/complete`))
          .set('Authorization', scaffolder)
          .send({ taskId: 'task-1', ...result });
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({
          status: 400,
          message: x01(field),
        });
        expect(JSON.stringify(res.body)).not.toContain('hunter2');
      }
      expect(await steps(k)).toEqual({ 'publish-local': 'claimed' });
      await complete(k, 'publish-local', 'task-1').expect(200);

      const closed = await request(server)
        .post(api(`/requests/${enc(k)}/close`))
        .set('Authorization', scaffolder)
        .send({
          taskId: 'task-1',
          status: 'succeeded',
          outputs: { repoUrl: leaky },
        });
      expect(closed.status).toBe(400);
      expect(closed.body.error.message).toBe(x01('outputs.repoUrl'));
      const row = await store.getRequest(k);
      expect(row?.status).toBe('running');
      expect(JSON.stringify(await store.listEvents(k))).not.toContain(
        'hunter2',
      );
    });

    it('refuses an approval whose plan or trigger reasons look like secrets (400 GP-X01 naming the field); nothing is stored', async () => {
      const k = 'service-node-http:leaky-plan-api';
      await open(
        k,
        openBody({ ...requestOf('leaky-plan-api'), tier: 1 }),
      ).expect(201);
      const x01 = (field: string) =>
        `GP-X01: Field "${field}" looks like it contains a secret (password assignment). Remove it: golden paths never take secrets as input; credentials are created in the secrets manager and referenced by name.`;
      const bodies: [object, string][] = [
        [
          {
            planDigest: D1,
            triggers: [tier1],
            plan: { note: 'password=hunter2hunter2' },
          },
          'plan.note',
        ],
        [
          {
            planDigest: D1,
            triggers: [
              {
                id: 'tier-1',
                reasons: ['tier 1 service', 'token: hunter2hunter2'],
              },
            ],
          },
          'triggers.0.reasons.1',
        ],
      ];
      for (const [body, field] of bodies) {
        const res = await request(server)
          .post(api(`/requests/${enc(k)}/approvals`))
          .set('Authorization', scaffolder)
          .send(body);
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({ status: 400, message: x01(field) });
        expect(JSON.stringify(res.body)).not.toContain('hunter2');
      }
      expect(await store.findApproval(k, D1)).toBeUndefined();
      expect((await store.getRequest(k))?.status).toBe('open');
      expect(JSON.stringify(await store.listEvents(k))).not.toContain(
        'hunter2',
      );
    });

    it('a close sent twice records once; a replay’s close is recorded as replayed (V2)', async () => {
      const closes = async (k: string) =>
        (await store.listEvents(k))
          .map(e => e.record as { action?: string; result?: string })
          .filter(r => r.action === 'goldenpath:ledger:close')
          .map(r => r.result);
      const failKey = 'service-node-http:twice-api';
      await open(failKey, openBody(requestOf('twice-api'))).expect(201);
      const failed = () =>
        request(server)
          .post(api(`/requests/${enc(failKey)}/close`))
          .set('Authorization', scaffolder)
          .send({ taskId: 'task-1', status: 'failed', errorCode: 'GP-E02' });
      await failed().expect(200);
      clock.now = new Date(Date.parse(T) + 60_000);
      const again = await failed();
      expect(again.status).toBe(200);
      expect(again.body.request).toMatchObject({
        status: 'failed',
        lastErrorCode: 'GP-E02',
        updatedAt: T,
      });
      expect(await closes(failKey)).toEqual(['failed']);

      // V2: the replay's own close changes nothing and is recorded as what it was
      const k = await seedRequest(server, 'replayed-api', [], 'succeeded');
      await open(
        k,
        openBody(requestOf('replayed-api'), { taskId: 'task-2' }),
      ).expect(200);
      await closeRequest(server, k, 'succeeded', 'task-2');
      expect(await closes(k)).toEqual(['succeeded', 'replayed']);
      // a close retried by the same task after a lost answer is neither: nothing more is recorded
      await closeRequest(server, k, 'succeeded', 'task-2');
      const closer = (await store.listEvents(k))
        .map(e => e.record as { action?: string; taskId?: string })
        .find(r => r.action === 'goldenpath:ledger:close')?.taskId;
      await closeRequest(server, k, 'succeeded', closer);
      expect(await closes(k)).toEqual(['succeeded', 'replayed']);

      // a task whose failed close a rerun overtook, restarted with its id, replays: recorded
      const overtaken = 'service-node-http:overtaken-api';
      await open(overtaken, openBody(requestOf('overtaken-api'))).expect(201);
      await closeRequest(server, overtaken, 'failed', 'task-1');
      await open(
        overtaken,
        openBody(requestOf('overtaken-api'), { taskId: 'task-2' }),
      ).expect(200);
      await closeRequest(server, overtaken, 'succeeded', 'task-2');
      await closeRequest(server, overtaken, 'succeeded', 'task-1');
      expect(await closes(overtaken)).toEqual([
        'failed',
        'succeeded',
        'replayed',
      ]);
    });

    it('two closes of one task sent together record once; so do two copies of a replay’s close', async () => {
      const closes = async (k: string) =>
        (await store.listEvents(k))
          .map(e => e.record as { action?: string; result?: string })
          .filter(r => r.action === 'goldenpath:ledger:close')
          .map(r => r.result);
      const k = 'service-node-http:together-api';
      await open(k, openBody(requestOf('together-api'))).expect(201);
      const first = await Promise.all([close(k, 'task-1'), close(k, 'task-1')]);
      expect(first.map(r => r.status)).toEqual([200, 200]);
      expect(await closes(k)).toEqual(['succeeded']);

      await open(
        k,
        openBody(requestOf('together-api'), { taskId: 'task-2' }),
      ).expect(200);
      const replays = await Promise.all([
        close(k, 'task-2'),
        close(k, 'task-2'),
      ]);
      expect(replays.map(r => r.status)).toEqual([200, 200]);
      expect(await closes(k)).toEqual(['succeeded', 'replayed']);
    });

    it('a close whose audit record cannot be written fails and is not kept, so its retry records it', async () => {
      const closes = async (k: string) =>
        (await store.listEvents(k))
          .map(e => e.record as { action?: string; result?: string })
          .filter(r => r.action === 'goldenpath:ledger:close')
          .map(r => r.result);
      const k = 'service-node-http:unaudited-api';
      await open(k, openBody(requestOf('unaudited-api'))).expect(201);
      const lost = await withEventInsertsFailing(store.db, () =>
        close(k, 'task-1'),
      );
      expect(lost.status).toBe(500);
      expect((await store.getRequest(k))?.status).toBe('open');
      await close(k, 'task-1').expect(200);
      await close(k, 'task-1').expect(200);
      expect(await closes(k)).toEqual(['succeeded']);

      // a replay's close, the same
      await open(
        k,
        openBody(requestOf('unaudited-api'), { taskId: 'task-2' }),
      ).expect(200);
      const lostReplay = await withEventInsertsFailing(store.db, () =>
        close(k, 'task-2'),
      );
      expect(lostReplay.status).toBe(500);
      await close(k, 'task-2').expect(200);
      await close(k, 'task-2').expect(200);
      expect(await closes(k)).toEqual(['succeeded', 'replayed']);
    });

    it('an approval opening whose audit record cannot be written fails and leaves nothing, so its retry opens and records it once', async () => {
      const k = 'service-node-http:unaudited-approval-api';
      const body = { ...requestOf('unaudited-approval-api'), tier: 1 };
      await open(k, openBody(body)).expect(201);
      const openApproval = () =>
        request(server)
          .post(api(`/requests/${enc(k)}/approvals`))
          .set('Authorization', scaffolder)
          .send({ planDigest: D1, triggers: [tier1] });
      const openings = async () =>
        (await store.listEvents(k))
          .map(e => e.record as { action?: string })
          .filter(r => r.action === 'goldenpath:approve');

      const lost = await withEventInsertsFailing(store.db, openApproval);
      expect(lost.status).toBe(500);
      // The approval, the request's status and the record are one transaction: none is kept.
      expect(await store.findApproval(k, D1)).toBeUndefined();
      expect((await store.getRequest(k))?.status).toBe('open');

      const retried = await openApproval();
      expect(retried.status).toBe(201);
      expect(retried.body.status).toBe('pending');
      const again = await openApproval();
      expect(again.status).toBe(200);
      expect(again.body.approval.id).toBe(retried.body.approval.id);
      expect((await store.getRequest(k))?.status).toBe('awaiting-approval');
      expect(await openings()).toHaveLength(1);
    });

    it('a request waiting for an approval takes no step claim (409 GP-A01, GP-A05 once expired) until it is approved', async () => {
      const k = 'service-node-http:gated-api';
      const body = { ...requestOf('gated-api'), tier: 1 };
      await open(k, openBody(body)).expect(201);
      const opened = await request(server)
        .post(api(`/requests/${enc(k)}/approvals`))
        .set('Authorization', scaffolder)
        .send({ planDigest: D1, triggers: [tier1] });
      expect(opened.body.status).toBe('pending');
      const id = opened.body.approval.id;
      const refusal = (res: request.Response) => ({
        status: res.status,
        ruleId: res.body.ruleId,
        message: res.body.error?.message,
      });
      const a01 = {
        status: 409,
        ruleId: 'GP-A01',
        message: opened.body.message,
      };

      // the task that asked, and a rerun that resumed the request (and holds it)
      expect(refusal(await claim(k, 'publish-local', 'task-1'))).toEqual(a01);
      await open(k, openBody(body, { taskId: 'task-2' })).expect(200);
      expect(refusal(await claim(k, 'publish-local', 'task-2'))).toEqual(a01);
      expect(await steps(k)).toEqual({});

      // expired: the GP-A05 text the approve step shows
      clock.now = new Date(Date.parse(T) + 8 * 86_400_000);
      expect(refusal(await claim(k, 'publish-local', 'task-2'))).toEqual({
        status: 409,
        ruleId: 'GP-A05',
        message: `GP-A05: Approval ${id} expired on 2026-11-30; run the template again to request a new one.`,
      });
      expect(await steps(k)).toEqual({});

      // a fresh round, approved: the request runs
      const fresh = await request(server)
        .post(api(`/requests/${enc(k)}/approvals`))
        .set('Authorization', scaffolder)
        .send({ planDigest: D1, triggers: [tier1] });
      await request(server)
        .post(api(`/approvals/${fresh.body.approval.id}/decisions`))
        .set('Authorization', fatima)
        .send({
          decision: 'approve',
          reason: 'Tier 1 runbook and on-call are in place.',
          answers: {
            intent: true,
            risk: true,
            rollback: true,
            timing: true,
            exception: true,
          },
        })
        .expect(201);
      expect((await store.getRequest(k))?.status).toBe('open');
      expect((await claim(k, 'publish-local', 'task-2')).body).toMatchObject({
        run: true,
      });
    });

    it('a request waiting for an approval is closed only by the run holding it; a late rejection never rewrites a closed request', async () => {
      const k = 'service-node-http:wait-api';
      await open(k, openBody({ ...requestOf('wait-api'), tier: 1 })).expect(
        201,
      );
      const opened = await request(server)
        .post(api(`/requests/${enc(k)}/approvals`))
        .set('Authorization', scaffolder)
        .send({ planDigest: D1, triggers: [tier1] });
      expect(opened.body.status).toBe('pending');

      for (const taskId of ['task-9', 'task-1']) {
        const res = await close(k, taskId);
        expect(res.status).toBe(409);
        expect(res.body.error.message).toBe(
          `request "${k}" is waiting for an approval, so task ${taskId} cannot close it as succeeded: once the approval is decided, run the template again with the same inputs (that run resumes and closes it)`,
        );
      }
      expect((await store.getRequest(k))?.status).toBe('awaiting-approval');

      // the rerun that resumed it holds it and may end it
      await open(
        k,
        openBody({ ...requestOf('wait-api'), tier: 1 }, { taskId: 'task-2' }),
      ).expect(200);
      await closeRequest(server, k, 'succeeded', 'task-2');
      const rejected = await request(server)
        .post(api(`/approvals/${opened.body.approval.id}/decisions`))
        .set('Authorization', fatima)
        .send({ decision: 'reject', reason: 'No runbook for tier 1 yet.' });
      expect(rejected.status).toBe(201);
      expect(rejected.body.status).toBe('rejected');
      expect((await store.getRequest(k))?.status).toBe('succeeded');
      // and no approval opens on it any more
      const reopen = await request(server)
        .post(api(`/requests/${enc(k)}/approvals`))
        .set('Authorization', scaffolder)
        .send({ planDigest: `sha256:${'2'.repeat(64)}`, triggers: [tier1] });
      expect(reopen.status).toBe(409);
      expect((await store.getRequest(k))?.status).toBe('succeeded');
    });
  },
);
