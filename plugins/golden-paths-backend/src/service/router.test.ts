import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { GoldenPathsStore } from '../database/GoldenPathsStore';
import { withEventInsertsFailing } from '../__testUtils__/failingEventInserts';
import {
  api,
  enc as key,
  openBody,
  requestOf,
  TEMPLATE,
} from '../__testUtils__/ledgerRequests';
import {
  fatima,
  GoldenPathsTestBackend,
  goldenPathsTestDatabases,
  mallory,
  permissionsWhere,
  scaffolder,
  serviceHeader,
  startGoldenPathsTestBackend,
  T,
} from '../__testUtils__/startGoldenPathsTestBackend';
import { staticGroupDirectory } from './groupDirectory';

jest.setTimeout(60_000);

const databases = goldenPathsTestDatabases();

const ana = mockCredentials.user.header('user:default/ana.ruiz');
// Users without any golden-paths permission (an outsider, a requester, a route member).
const olga = mockCredentials.user.header('user:default/olga');
const eve = mockCredentials.user.header('user:default/eve');
const nina = mockCredentials.user.header('user:default/nina');
const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

const group = (name: string, members: string[]): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [], members },
});
const entities = [
  group('platform-team', ['fatima.haddad']),
  group('checkout-team', ['ana.ruiz']),
  group('security-team', ['mallory', 'sam.okafor', 'nina']),
];

const WITHOUT_PERMISSIONS = [
  'user:default/olga',
  'user:default/eve',
  'user:default/nina',
];

/** Holds goldenpaths.approval.decide and no other golden-paths permission; in no group. */
const dan = mockCredentials.user.header('user:default/dan');

/**
 * mallory may read but not decide approvals nor manage kill switches; dan may decide but not read;
 * olga, eve and nina hold no golden-paths permission at all.
 */
const permissions = permissionsWhere(
  (user, permission) =>
    !(
      (user === 'user:default/mallory' &&
        permission !== 'goldenpaths.request.read') ||
      (user === 'user:default/dan' &&
        permission !== 'goldenpaths.approval.decide') ||
      WITHOUT_PERMISSIONS.includes(user ?? '')
    ),
);

const S0 = requestOf('cart-api');
const answers = {
  intent: true,
  risk: true,
  rollback: true,
  timing: true,
  exception: true,
};

describe.each(databases.eachSupportedId())(
  'golden-paths router on %s',
  databaseId => {
    let server: GoldenPathsTestBackend['server'];
    let store: GoldenPathsStore;
    let clock: GoldenPathsTestBackend['clock'];
    let notifications: GoldenPathsTestBackend['notifications'];
    let stop: () => Promise<void>;
    /** The events the backend sent to `coreServices.auditor`. */
    const audited: {
      eventId: string;
      meta?: unknown;
      outcome?: 'success' | 'fail';
    }[] = [];

    beforeAll(async () => {
      ({ server, store, clock, stop, notifications } =
        await startGoldenPathsTestBackend({
          databases,
          databaseId,
          permissions,
          auditor: {
            async createEvent(event) {
              const entry: (typeof audited)[number] = { ...event };
              audited.push(entry);
              return {
                async success() {
                  entry.outcome = 'success';
                },
                async fail() {
                  entry.outcome = 'fail';
                },
              };
            },
          },
          overrides: { directory: staticGroupDirectory(entities) },
          goldenPaths: {
            approvals: {
              expiresAfterDays: 7,
              routes: {
                'tier-1': ['group:default/platform-team'],
                network: ['group:default/security-team'],
              },
              breakGlassGroup: 'group:default/platform-team',
            },
            killSwitch: {
              templates: {
                'worker-node': {
                  disabled: true,
                  reason: 'CI workflow v3.4.1 broken (INC-5120)',
                  since: '2026-11-23T09:30:00Z',
                },
              },
            },
          },
        }));
    });

    afterAll(async () => {
      await stop?.();
    });

    const open = (k: string, body: object) =>
      request(server)
        .post(api(`/requests/${key(k)}/open`))
        .set('Authorization', scaffolder)
        .send(body);
    const openApproval = (k: string, body: object) =>
      request(server)
        .post(api(`/requests/${key(k)}/approvals`))
        .set('Authorization', scaffolder)
        .send(body);
    const decide = (id: string, who: string, body: object) =>
      request(server)
        .post(api(`/approvals/${id}/decisions`))
        .set('Authorization', who)
        .send(body);
    const tier1 = { id: 'tier-1', reasons: ['tier 1 service'] };
    const read = (path: string) =>
      request(server).get(api(path)).set('Authorization', fatima);
    const putSwitch = (path: string, body: object) =>
      request(server)
        .put(api(`/kill-switches/${path}`))
        .set('Authorization', fatima)
        .send(body);

    it('refuses calls without credentials (401)', async () => {
      for (const res of [
        await request(server).get(api('/kill-switches')),
        await request(server).get(api('/approvals')),
        await request(server)
          .post(api('/requests/service-node-http:x-api/open'))
          .send(openBody()),
        await request(server)
          .post(api('/approvals/apr_1/decisions'))
          .send({ decision: 'approve', reason: 'looks right to me' }),
      ])
        expect(res.status).toBe(401);
    });

    it('registers its permissions, the lifecycle transition on catalog entities among them (§6.4)', async () => {
      const res = await request(server)
        .get(api('/.well-known/backstage/permissions/metadata'))
        .set('Authorization', scaffolder);
      expect(res.status).toBe(200);
      // Exactly these five, as the common package defines them (the frontend pre-checks the same).
      const byName = (a: { name: string }, b: { name: string }) =>
        a.name.localeCompare(b.name);
      expect([...res.body.permissions].sort(byName)).toEqual([
        {
          type: 'basic',
          name: 'goldenpaths.approval.decide',
          attributes: { action: 'update' },
        },
        {
          type: 'basic',
          name: 'goldenpaths.killswitch.manage',
          attributes: { action: 'update' },
        },
        {
          type: 'resource',
          name: 'goldenpaths.lifecycle.transition',
          attributes: { action: 'update' },
          resourceType: 'catalog-entity',
        },
        {
          type: 'basic',
          name: 'goldenpaths.request.compensate',
          attributes: { action: 'update' },
        },
        {
          type: 'basic',
          name: 'goldenpaths.request.read',
          attributes: { action: 'read' },
        },
      ]);
    });

    it('lets only the scaffolder write the ledger (403)', async () => {
      const res = await request(server)
        .post(api(`/requests/${key('service-node-http:cart-api')}/open`))
        .set('Authorization', ana)
        .send(openBody());
      expect(res.status).toBe(403);
      const other = await request(server)
        .post(api(`/requests/${key('service-node-http:cart-api')}/open`))
        .set('Authorization', serviceHeader('plugin:catalog'))
        .send(openBody());
      expect(other.status).toBe(403);
      expect(other.body.error.message).toContain('plugin:scaffolder');
    });

    it('answers 400 with messages that name the field', async () => {
      const { fingerprint: _f, ...noFingerprint } = openBody();
      const cases: [() => request.Test, string][] = [
        [
          () => open('service-node-http:cart-api', noFingerprint),
          'fingerprint is required',
        ],
        [
          () =>
            open('service-node-http:cart-api', {
              ...openBody(),
              fingerprint: 'md5:1',
            }),
          'fingerprint must be "sha256:" followed by 64 lowercase hex characters (got "md5:1")',
        ],
        [
          () =>
            open('service-node-http:cart-api', { ...openBody(), kind: 'app' }),
          'kind must be one of service, worker, library, database, lifecycle (got "app")',
        ],
        [
          () => open('service-node-http:cart-api', { ...openBody(), extra: 1 }),
          'unknown field extra; remove it',
        ],
        [
          () =>
            open('service-node-http:cart-api', {
              ...openBody(),
              fingerprint: `sha256:${'f'.repeat(64)}`,
            }),
          'fingerprint does not match request',
        ],
        [
          () => open('Bad Key', openBody()),
          'GP-I01: Idempotency key "Bad Key" is not valid',
        ],
        [
          () => decide('apr_x', fatima, { decision: 'approve', reason: 'ok' }),
          'reason must be at least 10 characters',
        ],
        [
          () =>
            decide('apr_x', fatima, {
              decision: 'maybe',
              reason: 'long enough reason',
            }),
          'decision must be one of approve, reject (got "maybe")',
        ],
        [
          () =>
            request(server)
              .put(api('/kill-switches/action/goldenpath:register'))
              .set('Authorization', fatima)
              .send({ disabled: true, reason: 'short' }),
          'reason must be at least 10 characters',
        ],
        // what reached the database or a recursive walk unchecked: 500s before
        [
          () =>
            // sent as text: the client's own serializer would overflow on the value
            request(server)
              .post(api(`/requests/${key('service-node-http:cart-api')}/open`))
              .set('Authorization', scaffolder)
              .set('Content-Type', 'application/json')
              .send(
                JSON.stringify({
                  ...openBody(),
                  request: { ...openBody().request, extra: 'DEEP' },
                }).replace(
                  '"DEEP"',
                  `${'['.repeat(20_000)}0${']'.repeat(20_000)}`,
                ),
              ),
          'body is nested deeper than 64 levels',
        ],
        [
          () =>
            open('service-node-http:cart-api', {
              ...openBody(),
              createdBy: `user:default/${'x'.repeat(400)}`,
            }),
          'createdBy must be at most 320 characters',
        ],
        [
          () =>
            // valid JSON, but no body any route takes: body-parser's strict mode calls it a syntax error
            request(server)
              .post(api(`/requests/${key('service-node-http:cart-api')}/open`))
              .set('Authorization', scaffolder)
              .set('Content-Type', 'application/json')
              .send('null'),
          'body must be a JSON object (got null)',
        ],
        [
          () =>
            request(server)
              .post(api(`/requests/${key('service-node-http:cart-api')}/open`))
              .set('Authorization', scaffolder)
              .set('Content-Type', 'application/json')
              .send('{"request": '),
          'body is not valid JSON',
        ],
        [
          () =>
            request(server)
              .post(
                api(
                  `/requests/${key(
                    'service-node-http:cart-api',
                  )}/steps/${'s'.repeat(200)}/claim`,
                ),
              )
              .set('Authorization', scaffolder)
              .send({ fingerprint: 'f', taskId: 't' }),
          'step must be at most 128 characters',
        ],
        [
          () =>
            putSwitch(`template/${'t'.repeat(300)}`, {
              disabled: true,
              reason: 'long enough reason',
            }),
          'id must be at most 256 characters',
        ],
        [
          () =>
            putSwitch('template/x', {
              disabled: true,
              reason: 'long enough reason',
              until: '2027-02-31T00:00:00Z',
            }),
          'until must be an ISO-8601 UTC timestamp (got "2027-02-31T00:00:00Z")',
        ],
        // "forever" in a local zone: year 10000 in UTC, once stored as `+010000-…`, which sorts
        // before now as text, so the switch answered 200 and never took effect
        [
          () =>
            putSwitch('template/x', {
              disabled: true,
              reason: 'long enough reason',
              until: '9999-12-31T23:59:59-05:00',
            }),
          'until must fall in the years 0000–9999 once in UTC (got "9999-12-31T23:59:59-05:00"); for a time without an end leave the field out',
        ],
        [
          () =>
            putSwitch('template/x', {
              disabled: true,
              reason: 'long enough reason',
              until: '2020-01-01T00:00:00Z',
            }),
          'until must be in the future (got 2020-01-01T00:00:00.000Z, now',
        ],
        [
          () => read('/approvals?requestKey=NOT%20A%20KEY'),
          'GP-I01: Idempotency key "NOT A KEY" is not valid',
        ],
        [
          () => read('/requests?status=open&status=failed'),
          'status must be given once (got 2 values)',
        ],
        [
          () => read('/kill-switches?limit=1'),
          'unknown query parameter limit; this route takes none',
        ],
        [
          () => read('/approvals/%E0%A4%A'),
          'a path parameter is not valid percent-encoding',
        ],
      ];
      for (const [call, message] of cases) {
        const res = await call();
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(message);
      }
    });

    /** Each call of `cases` answers 400 with its message (named, so a failure says which). */
    const expectEachRefused = async (
      cases: [string, () => request.Test, string][],
    ) => {
      for (const [what, call, message] of cases) {
        const res = await call();
        expect({
          what,
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({
          what,
          status: 400,
          message: expect.stringContaining(message),
        });
      }
    };

    it('refuses U+0000 in text it stores or looks up with a 400 naming the field (PostgreSQL answered 500)', async () => {
      const k = 'service-node-http:nul-api';
      await open(k, openBody(requestOf('nul-api'))).expect(201);
      const NUL = 'a\u0000b';
      const nul = (field: string) =>
        `${field} must not contain NUL characters (U+0000)`;
      const ledger = (path: string, body: object) =>
        request(server)
          .post(api(`/requests/${key(k)}${path}`))
          .set('Authorization', scaffolder)
          .send(body);
      const byFatima = (path: string, body: object) =>
        request(server)
          .post(api(`/requests/${key(k)}${path}`))
          .set('Authorization', fatima)
          .send(body);
      const REASON = 'fixed by hand on the git server (INC-5120)';
      const cases: [string, () => request.Test, string][] = [
        [
          'open taskId',
          () => open(k, openBody(requestOf('nul-api'), { taskId: NUL })),
          nul('taskId'),
        ],
        [
          'open templateVersion',
          () =>
            open(k, openBody(requestOf('nul-api'), { templateVersion: NUL })),
          nul('templateVersion'),
        ],
        [
          'claim :step',
          () =>
            ledger(`/steps/${key(NUL)}/claim`, {
              fingerprint: 'sha256:s',
              taskId: 'task-1',
            }),
          nul('step'),
        ],
        [
          'claim taskId',
          () =>
            ledger('/steps/publish-local/claim', {
              fingerprint: 'sha256:s',
              taskId: NUL,
            }),
          nul('taskId'),
        ],
        [
          'claim action',
          () =>
            ledger('/steps/publish-local/claim', {
              fingerprint: 'sha256:s',
              taskId: 'task-1',
              action: `goldenpath:${NUL}`,
            }),
          nul('action'),
        ],
        [
          'claim fingerprint',
          () =>
            ledger('/steps/publish-local/claim', {
              fingerprint: NUL,
              taskId: 'task-1',
            }),
          nul('fingerprint'),
        ],
        [
          'complete effectRef',
          () =>
            ledger('/steps/publish-local/complete', {
              taskId: 'task-1',
              status: 'done',
              effectRef: NUL,
            }),
          nul('effectRef'),
        ],
        [
          'close taskId',
          () => ledger('/close', { taskId: NUL, status: 'succeeded' }),
          nul('taskId'),
        ],
        [
          'approval trigger reason',
          () =>
            openApproval(k, {
              planDigest: D1,
              triggers: [{ id: 'tier-1', reasons: [NUL] }],
            }),
          nul('triggers[].reasons[]'),
        ],
        [
          'decision reason',
          () =>
            decide('apr_x', fatima, {
              decision: 'reject',
              reason: `No runbook ${NUL} yet.`,
            }),
          nul('reason'),
        ],
        [
          'decision :id',
          () =>
            decide(key(NUL), fatima, {
              decision: 'reject',
              reason: 'No runbook for tier 1 yet.',
            }),
          nul('id'),
        ],
        ['GET /approvals/:id', () => read(`/approvals/${key(NUL)}`), nul('id')],
        [
          'GET /requests cursor',
          () =>
            read(
              `/requests?cursor=${Buffer.from(
                JSON.stringify([T, NUL]),
              ).toString('base64url')}`,
            ),
          nul('cursor'),
        ],
        [
          'kill-switch reason',
          () =>
            putSwitch('template/nul-node', {
              disabled: true,
              reason: `CI broken ${NUL} (INC-5120)`,
            }),
          nul('reason'),
        ],
        [
          'kill-switch :id',
          () =>
            putSwitch(`action/${key(NUL)}`, {
              disabled: true,
              reason: 'CI broken (INC-5120)',
            }),
          nul('id'),
        ],
        [
          'repair effectRef',
          () =>
            byFatima('/steps/publish-local/repair', {
              effectRef: NUL,
              reason: REASON,
            }),
          nul('effectRef'),
        ],
        [
          'repair reason',
          () =>
            byFatima('/steps/publish-local/repair', {
              status: 'compensated',
              reason: `${REASON} ${NUL}`,
            }),
          nul('reason'),
        ],
        [
          'compensation reason',
          () =>
            byFatima('/compensate?dryRun=false', {
              reason: `${REASON} ${NUL}`,
              planDigest: D1,
            }),
          nul('reason'),
        ],
      ];
      await expectEachRefused(cases);
      // nothing was stored: the request as opened, no step, no approval, no switch
      expect(await store.getRequest(k)).toMatchObject({
        status: 'open',
        leaseTaskId: 'task-1',
        templateVersion: '1.0.0',
      });
      expect(await store.listSteps(k)).toEqual([]);
      expect(await store.listApprovals({ requestKey: k })).toEqual([]);
      expect(
        (await store.listKillSwitches()).filter(s => s.id === 'nul-node'),
      ).toEqual([]);
    });

    it('refuses a lone surrogate in text it stores and compares on a retry (stored as U+FFFD, a retry no longer matched)', async () => {
      const k = 'service-node-http:surrogate-api';
      await open(k, openBody(requestOf('surrogate-api'))).expect(201);
      const LONE = 'v\ud800x';
      const lone = (field: string) =>
        `${field} must be well-formed text (it holds a lone UTF-16 surrogate)`;
      const claim = (body: object) =>
        request(server)
          .post(api(`/requests/${key(k)}/steps/publish-local/claim`))
          .set('Authorization', scaffolder)
          .send({ fingerprint: 'sha256:s', taskId: 'task-1', ...body });
      const cases: [string, () => request.Test, string][] = [
        [
          'open taskId',
          () =>
            open(
              'service-node-http:other-api',
              openBody(requestOf('other-api'), { taskId: LONE }),
            ),
          lone('taskId'),
        ],
        [
          'open templateVersion',
          () =>
            open(
              'service-node-http:other-api',
              openBody(requestOf('other-api'), { templateVersion: LONE }),
            ),
          lone('templateVersion'),
        ],
        [
          'claim fingerprint',
          () => claim({ fingerprint: LONE }),
          lone('fingerprint'),
        ],
        ['claim taskId', () => claim({ taskId: LONE }), lone('taskId')],
        [
          'kill-switch reason',
          () =>
            putSwitch('template/surrogate-node', {
              disabled: true,
              reason: `CI broken ${LONE} (INC-5120)`,
            }),
          lone('reason'),
        ],
      ];
      await expectEachRefused(cases);
      // nothing was stored: no other request, no step, no switch
      expect(
        await store.getRequest('service-node-http:other-api'),
      ).toBeUndefined();
      expect(await store.listSteps(k)).toEqual([]);
      expect(
        (await store.listKillSwitches()).filter(s => s.id === 'surrogate-node'),
      ).toEqual([]);
    });

    it('creates, replays (V2) and refuses a changed request (V3)', async () => {
      const k = 'service-node-http:cart-api';
      const first = await open(k, openBody());
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        mode: 'create',
        request: { status: 'open', attempts: 1, leaseTaskId: 'task-1' },
      });
      const claim = await request(server)
        .post(api(`/requests/${key(k)}/steps/publish-local/claim`))
        .set('Authorization', scaffolder)
        .send({ fingerprint: 'sha256:step', taskId: 'task-1' });
      expect(claim.body).toMatchObject({ run: true });
      await request(server)
        .post(api(`/requests/${key(k)}/steps/publish-local/complete`))
        .set('Authorization', scaffolder)
        .send({
          taskId: 'task-1',
          status: 'done',
          effectRef: 'file:///repos/cart-api.git',
        })
        .expect(200);
      const outputs = {
        entityRef: 'component:default/cart-api',
        repoUrl: 'file:///repos/cart-api.git',
        commitSha: 'abc123',
      };
      await request(server)
        .post(api(`/requests/${key(k)}/close`))
        .set('Authorization', scaffolder)
        .send({ taskId: 'task-1', status: 'succeeded', outputs })
        .expect(200);

      const replay = await open(k, openBody(S0, { taskId: 'task-2' }));
      expect(replay.status).toBe(200);
      expect(replay.body).toMatchObject({
        mode: 'replay',
        previous: outputs,
        request: { attempts: 2, status: 'succeeded' },
      });

      const changed = await open(
        k,
        openBody({ ...S0, tier: 1 }, { taskId: 'task-3' }),
      );
      expect(changed.status).toBe(409);
      expect(changed.body.ruleId).toBe('GP-I02');
      expect(changed.body.error.message).toBe(
        'GP-I02: Idempotency key "service-node-http:cart-api" was used on 2026-11-23 by user:default/ana.ruiz for a different request (differs in: tier). Nothing was changed. Use a new key, or repeat the original inputs to get the original result.',
      );

      const detail = await request(server)
        .get(api(`/requests/${key(k)}`))
        .set('Authorization', ana);
      expect(detail.status).toBe(200);
      expect(detail.body.steps).toHaveLength(1);
      const results = detail.body.events.map(
        (e: any) => `${e.record.action}:${e.record.result}`,
      );
      expect(results).toEqual([
        'goldenpath:ledger:open:started',
        'goldenpath:ledger:close:succeeded',
        'goldenpath:ledger:open:replayed',
        'goldenpath:ledger:open:skipped',
      ]);
      // The request body never reaches the audit trail.
      expect(JSON.stringify(detail.body.events)).not.toContain('shopping');
    });

    it('answers the read-only row lookup of goldenpath:validate; an unknown key is a 404 NotFoundError', async () => {
      const k = 'service-node-http:lookup-api';
      const body = openBody({ ...S0, name: 'lookup-api' });
      expect((await open(k, body)).status).toBe(201);
      const row = await request(server)
        .get(api(`/requests/${key(k)}`))
        .set('Authorization', scaffolder);
      expect(row.status).toBe(200);
      expect(row.body.request).toMatchObject({
        requestKey: k,
        fingerprint: body.fingerprint,
        request: { name: 'lookup-api', tier: 2 },
        templateRef: TEMPLATE,
        templateVersion: '1.0.0',
        status: 'open',
        createdBy: 'user:default/ana.ruiz',
        leaseTaskId: 'task-1',
      });
      const missing = await request(server)
        .get(api(`/requests/${key('service-node-http:never-asked')}`))
        .set('Authorization', scaffolder);
      expect(missing.status).toBe(404);
      expect(missing.body.error.name).toBe('NotFoundError');
    });

    it('lets one of 20 concurrent opens create; the rest get GP-I03', async () => {
      const req = { ...S0, name: 'gift-api' };
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          open(
            'service-node-http:gift-api',
            openBody(req, { taskId: `t${i}` }),
          ),
        ),
      );
      expect(results.filter(r => r.status === 201)).toHaveLength(1);
      const refused = results.filter(r => r.status === 409);
      expect(refused).toHaveLength(19);
      for (const r of refused) expect(r.body.ruleId).toBe('GP-I03');
    });

    // Switch ids are lower-case; a template's catalog name may have capitals.
    it.each([
      ['worker-node', 'nightly-job'],
      ['Worker-Node', 'nightly-caps'],
    ])(
      'refuses at open a switched-off template named %s (GP-K01)',
      async (templateName, name) => {
        const worker = { ...S0, kind: 'worker', name };
        const res = await open(
          `worker-node:${name}`,
          openBody(worker, {
            template: { name: templateName },
            kind: 'worker',
          }),
        );
        expect(res.status).toBe(409);
        expect(res.body.error.message).toBe(
          `GP-K01: Template "${templateName}" is switched off by the platform team since 2026-11-23 09:30 UTC: CI workflow v3.4.1 broken (INC-5120). Nothing was created.`,
        );
      },
    );

    it('audits refused attempts at the critical routes: a kill switch, a compensation, a step repair', async () => {
      const from = audited.length;
      const refused = [
        await request(server)
          .put(api('/kill-switches/all/all'))
          .set('Authorization', mallory)
          .send({ disabled: true, reason: 'switching everything off' }),
        await request(server)
          .post(api(`/requests/${key('k-refused')}/compensate?dryRun=false`))
          .set('Authorization', mallory)
          .send({ reason: 'undo everything now please' }),
        await request(server)
          .post(api(`/requests/${key('k-refused')}/steps/publish/repair`))
          .set('Authorization', mallory)
          .send({ status: 'compensated', reason: 'fixed it by hand' }),
      ];
      expect(refused.map(r => r.status)).toEqual([403, 403, 403]);
      expect(
        audited.slice(from).map(e => ({
          eventId: e.eventId,
          outcome: e.outcome,
          meta: e.meta,
        })),
      ).toEqual([
        {
          eventId: 'golden-path-kill-switch',
          outcome: 'fail',
          meta: expect.objectContaining({
            scope: 'all',
            id: 'all',
            disabled: true,
            actor: 'user:default/mallory',
            result: 'refused',
          }),
        },
        {
          eventId: 'golden-path-compensation',
          outcome: 'fail',
          meta: expect.objectContaining({
            requestKey: key('k-refused'),
            dryRun: 'false',
            result: 'refused',
          }),
        },
        {
          eventId: 'golden-path-step-repair',
          outcome: 'fail',
          meta: expect.objectContaining({ step: 'publish', result: 'refused' }),
        },
      ]);
    });

    it('refuses switched-off actions, and their switch only to the platform team (GP-K02)', async () => {
      const denied = await request(server)
        .put(api('/kill-switches/action/goldenpath:register'))
        .set('Authorization', mallory)
        .send({ disabled: true, reason: 'register is failing (INC-5121)' });
      expect(denied.status).toBe(403);
      const put = await request(server)
        .put(api('/kill-switches/action/goldenpath:register'))
        .set('Authorization', fatima)
        .send({ disabled: true, reason: 'register is failing (INC-5121)' });
      expect(put.status).toBe(200);
      expect(put.body.actions['goldenpath:register']).toMatchObject({
        disabled: true,
      });

      const k = 'service-node-http:basket-api';
      await open(k, openBody({ ...S0, name: 'basket-api' })).expect(201);
      const claim = await request(server)
        .post(api(`/requests/${key(k)}/steps/register/claim`))
        .set('Authorization', scaffolder)
        .send({
          fingerprint: 'sha256:step',
          taskId: 'task-1',
          action: 'goldenpath:register',
        });
      expect(claim.status).toBe(409);
      expect(claim.body.error.message).toBe(
        'GP-K02: Action goldenpath:register is switched off by the platform team since 2026-11-23 10:00 UTC: register is failing (INC-5121). Stopped before step "register"; earlier steps are recorded under request "service-node-http:basket-api" and resume when it is switched back on.',
      );

      await request(server)
        .put(api('/kill-switches/action/goldenpath:register'))
        .set('Authorization', fatima)
        .send({ disabled: false, reason: 'fixed in register v1.2.1' })
        .expect(200);
      const after = await request(server)
        .post(api(`/requests/${key(k)}/steps/register/claim`))
        .set('Authorization', scaffolder)
        .send({
          fingerprint: 'sha256:step',
          taskId: 'task-1',
          action: 'goldenpath:register',
        });
      expect(after.body).toMatchObject({ run: true });

      const list = await request(server)
        .get(api('/kill-switches'))
        .set('Authorization', ana);
      expect(list.status).toBe(200);
      expect(list.body.templates['worker-node'].disabled).toBe(true);
      expect(list.body.actions['goldenpath:register']).toBeUndefined();
      expect(list.body.sources.runtime).toEqual([
        expect.objectContaining({
          scope: 'action',
          id: 'goldenpath:register',
          disabled: false,
          setBy: 'user:default/fatima.haddad',
        }),
      ]);
    });

    it('refuses to open an approval once the asking action or all is switched off, before anyone is asked (GP-K02, GP-K03)', async () => {
      const k = 'service-node-http:gate-switch-api';
      await open(
        k,
        openBody({ ...S0, name: 'gate-switch-api', tier: 1 }),
      ).expect(201);
      const ask = {
        planDigest: `sha256:${'1'.repeat(64)}`,
        triggers: [tier1],
        action: 'goldenpath:approve',
      };
      const told = () => notifications.length;
      const before = told();
      for (const [path, code] of [
        ['action/goldenpath:approve', 'GP-K02'],
        ['all/all', 'GP-K03'],
      ]) {
        await putSwitch(path, {
          disabled: true,
          reason: 'approvals misrouted (INC-5200)',
        }).expect(200);
        const refused = await openApproval(k, ask);
        expect(refused.status).toBe(409);
        expect(refused.body.error.message).toMatch(new RegExp(`^${code}: `));
        await putSwitch(path, {
          disabled: false,
          reason: 'routes fixed (INC-5200)',
        }).expect(200);
      }
      // Nothing was opened, nobody was told, and the request did not start waiting.
      expect(told()).toBe(before);
      expect((await store.getRequest(k))?.status).toBe('open');
      expect(await store.listApprovals({ requestKey: k })).toEqual([]);
      const opened = await openApproval(k, ask);
      expect(opened.status).toBe(201);
      expect(opened.body.status).toBe('pending');
    });

    it('stops the next step claim of a running request when its template or all is switched off, with or without the claim’s action (GP-K01, GP-K03)', async () => {
      const k = 'service-node-http:late-switch-api';
      await open(k, openBody({ ...S0, name: 'late-switch-api' })).expect(201);
      const claim = (action?: string) =>
        request(server)
          .post(api(`/requests/${key(k)}/steps/publish-local/claim`))
          .set('Authorization', scaffolder)
          .send({
            fingerprint: 'sha256:step',
            taskId: 'task-1',
            ...(action ? { action } : {}),
          });
      const refusal = (res: request.Response) => ({
        status: res.status,
        ruleId: res.body.ruleId,
        message: res.body.error?.message,
      });
      const k01 = {
        status: 409,
        ruleId: 'GP-K01',
        message:
          'GP-K01: Template "service-node-http" is switched off by the platform team since 2026-11-23 10:00 UTC: CI workflow v3.5.0 broken (INC-5130). Nothing was created.',
      };
      const k03 = {
        status: 409,
        ruleId: 'GP-K03',
        message:
          'GP-K03: Golden paths are switched off by the platform team since 2026-11-23 10:00 UTC: freeze for the payments incident (INC-5131). Nothing was created.',
      };
      try {
        // thrown after the request opened: its next claim stops, whether it names its action
        await putSwitch('template/service-node-http', {
          disabled: true,
          reason: 'CI workflow v3.5.0 broken (INC-5130)',
        }).expect(200);
        expect(refusal(await claim('goldenpath:publish:git'))).toEqual(k01);
        expect(refusal(await claim())).toEqual(k01);
        await putSwitch('template/service-node-http', {
          disabled: false,
          reason: 'CI workflow v3.5.1 fixed it',
        }).expect(200);
        await putSwitch('all/all', {
          disabled: true,
          reason: 'freeze for the payments incident (INC-5131)',
        }).expect(200);
        expect(refusal(await claim())).toEqual(k03);
        expect(refusal(await claim('goldenpath:publish:git'))).toEqual(k03);
        expect(await store.listSteps(k)).toEqual([]);
      } finally {
        // no switch rows left behind: later tests list the runtime switches
        await store
          .db('gp_kill_switches')
          .where({ scope: 'template', id: 'service-node-http' })
          .delete();
        await store.db('gp_kill_switches').where({ scope: 'all' }).delete();
      }
      // lifted: the same claim runs
      expect((await claim()).body).toMatchObject({ run: true });
    });

    it('opens an approval, fatima approves, the rerun resumes (V8 → V9)', async () => {
      const k = 'service-node-http:promo-api';
      const req = { ...S0, name: 'promo-api', tier: 1 };
      await open(k, openBody(req)).expect(201);
      const opened = await openApproval(k, {
        planDigest: D1,
        triggers: [tier1],
      });
      expect(opened.status).toBe(201);
      const id = opened.body.approval.id;
      expect(id).toMatch(/^apr_[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(opened.body).toMatchObject({ status: 'pending', errors: [] });
      expect(opened.body.message).toBe(
        `GP-A01: Approval needed before anything is created: tier-1 (tier 1 service). Approval ${id} is waiting for group:default/platform-team. When it is approved, press Retry or run the template again with the same inputs.`,
      );
      // Idempotent per request + plan digest.
      const again = await openApproval(k, {
        planDigest: D1,
        triggers: [tier1],
      });
      expect(again.status).toBe(200);
      expect(again.body.approval.id).toBe(id);
      // §4.9: the route group is told once, with a link to the inbox; the requester is not
      const told = notifications.filter(
        n => n.payload.scope === `golden-paths:approval:${id}`,
      );
      expect(told).toEqual([
        {
          recipients: {
            type: 'entity',
            entityRef: ['group:default/platform-team'],
            excludeEntityRef: opened.body.approval.requestedBy,
          },
          payload: expect.objectContaining({
            title: `Golden-path approval needed: ${k}`,
            link: '/golden-paths/approvals',
            severity: 'high',
            topic: 'golden-paths',
          }),
        },
      ]);
      expect(told[0].recipients).toMatchObject({
        excludeEntityRef: expect.stringMatching(/^user:default\//),
      });
      expect(told[0].payload.description).toContain('(tier-1)');
      expect(JSON.stringify(told)).not.toContain('tier 1 service');
      // V8: the request stays `awaiting-approval`; the task that asked holds no lease any more,
      // so it cannot close the request (the approve step stops the task without closing).
      await request(server)
        .post(api(`/requests/${key(k)}/close`))
        .set('Authorization', scaffolder)
        .send({ taskId: 'task-1', status: 'failed', errorCode: 'GP-A01' })
        .expect(409);
      expect((await store.getRequest(k))?.status).toBe('awaiting-approval');

      const inbox = await request(server)
        .get(api('/approvals?status=pending&mine=true'))
        .set('Authorization', fatima);
      expect(inbox.body.items.map((a: any) => a.id)).toContain(id);
      const notMine = await request(server)
        .get(api('/approvals?status=pending'))
        .set('Authorization', ana);
      expect(notMine.body.items.map((a: any) => a.id)).not.toContain(id);

      // ana is not in platform-team.
      const byAna = await decide(id, ana, {
        decision: 'approve',
        reason: 'I am sure this is fine',
        answers,
      });
      expect(byAna.status).toBe(403);
      const noAnswers = await decide(id, fatima, {
        decision: 'approve',
        reason: 'Tier 1 runbook and on-call are in place.',
      });
      expect(noAnswers.status).toBe(400);
      expect(noAnswers.body.error.message).toContain(
        'answers.intent must be true to approve',
      );
      // The reason is stored with the decision and audited: a secret in it is refused (GP-X01),
      // naming the field and never the value, and the approval stays pending.
      const leaky = await decide(id, fatima, {
        decision: 'approve',
        reason: 'ran it with ghp_abcdefghijklmnopqrstuvwxyz0123456789',
        answers,
      });
      expect({
        status: leaky.status,
        message: leaky.body.error?.message,
      }).toEqual({
        status: 400,
        message:
          'GP-X01: Field "reason" looks like it contains a secret (GitHub token). Remove it: golden paths never take secrets as input; credentials are created in the secrets manager and referenced by name.',
      });
      expect(JSON.stringify(leaky.body)).not.toContain('ghp_abcdef');
      const stillPending = await request(server)
        .get(api('/approvals?status=pending&mine=true'))
        .set('Authorization', fatima);
      expect(stillPending.body.items.map((a: any) => a.id)).toContain(id);
      const ok = await decide(id, fatima, {
        decision: 'approve',
        reason: 'Tier 1 runbook and on-call are in place.',
        answers,
      });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({
        status: 'approved',
        decision: {
          approver: 'user:default/fatima.haddad',
          route: 'group:default/platform-team',
          answers,
          breakGlass: false,
        },
      });
      const repeat = await decide(id, fatima, {
        decision: 'approve',
        reason: 'Tier 1 runbook and on-call are in place.',
        answers,
      });
      expect(repeat.status).toBe(200);

      const rerun = await open(k, openBody(req, { taskId: 'task-2' }));
      expect(rerun.status).toBe(200);
      expect(rerun.body).toMatchObject({
        mode: 'resume',
        request: { status: 'open', attempts: 2 },
      });
      const state = await openApproval(k, {
        planDigest: D1,
        triggers: [tier1],
      });
      expect(state.body).toMatchObject({ status: 'approved' });

      // A03: the plan changed after approval.
      const changed = await openApproval(k, {
        planDigest: D2,
        triggers: [tier1],
      });
      expect(changed.status).toBe(201);
      const newId = changed.body.approval.id;
      expect(changed.body).toMatchObject({ ruleId: 'GP-A03' });
      expect(changed.body.message).toBe(
        `GP-A03: The plan changed after approval (approved 111111111111…, now 222222222222…); approval ${newId} was requested.`,
      );
      const old = await request(server)
        .get(api(`/approvals/${id}`))
        .set('Authorization', fatima);
      expect(old.body.status).toBe('superseded');
    });

    it('reports GP-A06 when nobody else can approve; self-approval is GP-A04 (V10)', async () => {
      const k = 'service-node-http:promo-admin-api';
      const req = { ...S0, name: 'promo-admin-api', tier: 1 };
      await open(
        k,
        openBody(req, { createdBy: 'user:default/fatima.haddad' }),
      ).expect(201);
      const opened = await openApproval(k, {
        planDigest: D1,
        triggers: [tier1],
      });
      expect(opened.status).toBe(201);
      expect(opened.body.ruleId).toBe('GP-A06');
      expect(opened.body.errors).toEqual([
        'GP-A06: Nobody other than you can approve this in group:default/platform-team; ask the platform team to add an approver.',
      ]);
      const self = await decide(opened.body.approval.id, fatima, {
        decision: 'approve',
        reason: 'I want this out today',
        answers,
      });
      expect(self.status).toBe(403);
      expect(self.body.error.message).toBe(
        'GP-A04: You requested this change; someone else from group:default/platform-team must approve it.',
      );
      const glass = await decide(opened.body.approval.id, fatima, {
        decision: 'approve',
        reason: 'Outage fix, review follows (INC-5130)',
        answers,
        breakGlass: true,
      });
      expect(glass.status).toBe(201);
      expect(glass.body).toMatchObject({
        status: 'approved',
        decision: { breakGlass: true },
      });
      const detail = await request(server)
        .get(api(`/requests/${key(k)}`))
        .set('Authorization', fatima);
      expect(
        detail.body.events.find(
          (e: any) => e.eventType === 'golden-path-approval-decision',
        ),
      ).toMatchObject({ severity: 'critical' });
    });

    it('needs goldenpaths.approval.decide (403) and records a rejection (GP-A02)', async () => {
      const k = 'service-node-http:edge-api';
      const req = { ...S0, name: 'edge-api', exposure: 'public' };
      await open(k, openBody(req)).expect(201);
      const opened = await openApproval(k, {
        planDigest: D1,
        triggers: [{ id: 'network', reasons: ['public exposure'] }],
      });
      const id = opened.body.approval.id;
      const denied = await decide(id, mallory, {
        decision: 'approve',
        reason: 'public exposure is fine here',
        answers,
      });
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toBe(
        'goldenpaths.approval.decide is not allowed',
      );
      const sam = mockCredentials.user.header('user:default/sam.okafor');
      const rejected = await decide(id, sam, {
        decision: 'reject',
        reason: 'No WAF in front of it yet.',
      });
      expect(rejected.status).toBe(201);
      expect(rejected.body.status).toBe('rejected');
      expect(rejected.body.message).toBe(
        `GP-A02: group:default/security-team rejected approval ${id} on 2026-11-23: "No WAF in front of it yet.". Nothing was created. Change the request and run it with a new key.`,
      );
      const rerun = await open(k, openBody(req, { taskId: 'task-9' }));
      expect(rerun.status).toBe(409);
      expect(rerun.body.ruleId).toBe('GP-A02');
    });

    it('answers identical decisions sent at once as one decision and its repeats, never a 409', async () => {
      const k = 'service-node-http:twice-api';
      const req = { ...S0, name: 'twice-api', exposure: 'public' };
      await open(k, openBody(req)).expect(201);
      const opened = await openApproval(k, {
        planDigest: D1,
        triggers: [{ id: 'network', reasons: ['public exposure'] }],
      });
      const id = opened.body.approval.id;
      const sam = mockCredentials.user.header('user:default/sam.okafor');
      // A double click, or a client retrying before the first answer came: the repeats must
      // not read the approval as settled by someone else.
      const sent = await Promise.all(
        Array.from({ length: 6 }, () =>
          decide(id, sam, {
            decision: 'reject',
            reason: 'No WAF in front of it yet.',
          }),
        ),
      );
      expect(sent.map(a => a.status).sort()).toEqual([
        200, 200, 200, 200, 200, 201,
      ]);
      expect(new Set(sent.map(a => a.body.status))).toEqual(
        new Set(['rejected']),
      );
      expect((await store.listDecisions([id])).map(d => d.decision)).toEqual([
        'reject',
      ]);
    });

    it('tells a decider of a superseded or approved approval what to do instead (409)', async () => {
      const sam = mockCredentials.user.header('user:default/sam.okafor');
      const network = { id: 'network', reasons: ['public exposure'] };
      const k = 'service-node-http:moved-api';
      const req = { ...S0, name: 'moved-api', exposure: 'public' };
      await open(k, openBody(req)).expect(201);
      const first = await openApproval(k, {
        planDigest: D1,
        triggers: [network],
      });
      const second = await openApproval(k, {
        planDigest: D2,
        triggers: [network],
      });
      const [oldId, newId] = [first.body.approval.id, second.body.approval.id];
      const approve = {
        decision: 'approve',
        reason: 'WAF rules reviewed with the team.',
        answers,
      };
      const stale = await decide(oldId, sam, approve);
      expect(stale.status).toBe(409);
      expect(stale.body.error.message).toBe(
        `Approval ${oldId} was superseded: the plan of request "${k}" changed after it was requested (this approval is for 111111111111…). Decide approval ${newId} (plan 222222222222…) instead.`,
      );
      expect(await store.listDecisions([oldId])).toEqual([]);

      await decide(newId, sam, approve).expect(201);
      const staleAgain = await decide(oldId, sam, approve);
      expect(staleAgain.body.error.message).toBe(
        `Approval ${oldId} was superseded: the plan of request "${k}" changed after it was requested (this approval is for 111111111111…). Approval ${newId} of the current plan (222222222222…) is already approved; there is nothing left to decide.`,
      );
      const late = await decide(newId, sam, {
        decision: 'reject',
        reason: 'Changed my mind about the WAF.',
      });
      expect(late.status).toBe(409);
      expect(late.body.error.message).toBe(
        `Approval ${newId} was already approved on 2026-11-23 10:00 UTC by user:default/sam.okafor; there is nothing left to decide.`,
      );
    });

    it('sends the auditor the decision record it stored, also when another route settled the approval before the answer', async () => {
      const sam = mockCredentials.user.header('user:default/sam.okafor');
      const k = 'service-node-http:audited-api';
      await open(k, openBody({ ...S0, name: 'audited-api', tier: 1 })).expect(
        201,
      );
      const opened = await openApproval(k, {
        planDigest: D1,
        triggers: [tier1, { id: 'network', reasons: ['public exposure'] }],
      });
      const id = opened.body.approval.id;
      const approve = {
        decision: 'approve',
        reason: 'Runbook, on-call and WAF are in place.',
        answers,
      };
      // security-team's decision commits right after platform-team's, before its answer is built
      const insert = store.insertDecision.bind(store);
      const spy = jest
        .spyOn(store, 'insertDecision')
        .mockImplementationOnce(async (...args) => {
          const stored = await insert(...args);
          await decide(id, sam, approve).expect(201);
          return stored;
        });
      try {
        const first = await decide(id, fatima, approve);
        expect(first.status).toBe(201);
        expect(first.body.status).toBe('approved');
      } finally {
        spy.mockRestore();
      }
      const stored = (await store.listEvents(k))
        .filter(e => e.eventType === 'golden-path-approval-decision')
        .map(e => e.record);
      expect(stored.map(r => [r.approver, r.status])).toEqual([
        ['user:default/fatima.haddad', 'pending'],
        ['user:default/sam.okafor', 'approved'],
      ]);
      const emitted = audited
        .filter(
          e =>
            e.eventId === 'golden-path-approval-decision' &&
            (e.meta as { approvalId?: string }).approvalId === id,
        )
        .map(e => e.meta as Record<string, unknown>);
      expect(emitted).toHaveLength(2);
      for (const record of stored) {
        // the auditor's half is the stored record (less its `at` and `redaction`)
        expect(record).toMatchObject(
          emitted.find(m => m.approver === record.approver)!,
        );
      }
    });

    it('expires approvals after 7 days (GP-A05)', async () => {
      const k = 'service-node-http:late-api';
      await open(k, openBody({ ...S0, name: 'late-api', tier: 1 })).expect(201);
      const opened = await openApproval(k, {
        planDigest: D1,
        triggers: [tier1],
      });
      clock.now = new Date(Date.parse(T) + 8 * 86_400_000);
      try {
        const late = await decide(opened.body.approval.id, fatima, {
          decision: 'approve',
          reason: 'Tier 1 runbook and on-call are in place.',
          answers,
        });
        expect(late.status).toBe(409);
        expect(late.body.error.message).toBe(
          `GP-A05: Approval ${opened.body.approval.id} expired on 2026-11-30; run the template again to request a new one.`,
        );
      } finally {
        clock.now = new Date(T);
      }
    });

    const a01 = (id: string) =>
      `GP-A01: Approval needed before anything is created: tier-1 (tier 1 service). Approval ${id} is waiting for group:default/platform-team. When it is approved, press Retry or run the template again with the same inputs.`;

    it('opens a fresh approval when the one for the same plan expired (GP-A05, §4.9)', async () => {
      const k = 'service-node-http:stale-api';
      await open(k, openBody({ ...S0, name: 'stale-api', tier: 1 })).expect(
        201,
      );
      const first = await openApproval(k, {
        planDigest: D1,
        triggers: [tier1],
      });
      expect(first.status).toBe(201);
      const oldId = first.body.approval.id;
      clock.now = new Date(Date.parse(T) + 8 * 86_400_000);
      try {
        const rerun = await openApproval(k, {
          planDigest: D1,
          triggers: [tier1],
        });
        expect(rerun.status).toBe(201);
        const newId = rerun.body.approval.id;
        expect(newId).not.toBe(oldId);
        expect(rerun.body).toMatchObject({
          status: 'pending',
          ruleId: 'GP-A05',
          approval: {
            planDigest: D1,
            status: 'pending',
            createdAt: '2026-12-01T10:00:00.000Z',
            expiresAt: '2026-12-08T10:00:00.000Z',
            decisions: [],
          },
        });
        expect(rerun.body.message).toBe(
          `GP-A05: Approval ${oldId} expired on 2026-11-30; run the template again to request a new one.\n${a01(
            newId,
          )}`,
        );
        // The next run waits for the new approval; the expired one stays on record.
        const again = await openApproval(k, {
          planDigest: D1,
          triggers: [tier1],
        });
        expect(again.status).toBe(200);
        expect(again.body).toMatchObject({
          status: 'pending',
          ruleId: 'GP-A01',
          message: a01(newId),
          approval: { id: newId },
        });
        expect((await read(`/approvals/${oldId}`)).body.status).toBe('expired');
        const ok = await decide(newId, fatima, {
          decision: 'approve',
          reason: 'Tier 1 runbook and on-call are in place.',
          answers,
        });
        expect(ok.status).toBe(201);
        const approved = await openApproval(k, {
          planDigest: D1,
          triggers: [tier1],
        });
        expect(approved.body).toMatchObject({
          status: 'approved',
          approval: { id: newId },
        });
        const detail = await read(`/requests/${key(k)}`);
        expect(detail.body.approvals.map((a: any) => [a.id, a.status])).toEqual(
          [
            [newId, 'approved'],
            [oldId, 'expired'],
          ],
        );
        expect(detail.body.request.status).toBe('open');
      } finally {
        clock.now = new Date(T);
      }
    });

    it('an identical plan keeps its approval: D1 → D2 → D1 revives D1 (GP-P07)', async () => {
      const k = 'service-node-http:flip-api';
      await open(k, openBody({ ...S0, name: 'flip-api', tier: 1 })).expect(201);
      const d1 = await openApproval(k, { planDigest: D1, triggers: [tier1] });
      const id1 = d1.body.approval.id;
      await decide(id1, fatima, {
        decision: 'approve',
        reason: 'Tier 1 runbook and on-call are in place.',
        answers,
      }).expect(201);
      const d2 = await openApproval(k, { planDigest: D2, triggers: [tier1] });
      expect(d2.body.ruleId).toBe('GP-A03');
      const id2 = d2.body.approval.id;

      const back = await openApproval(k, {
        planDigest: D1,
        triggers: [tier1],
      });
      expect(back.status).toBe(200);
      expect(back.body).toMatchObject({
        status: 'approved',
        approval: { id: id1, status: 'approved' },
      });
      expect(back.body.message).toBeUndefined();
      expect((await read(`/approvals/${id2}`)).body.status).toBe('superseded');
      expect((await read(`/requests/${key(k)}`)).body.request).toMatchObject({
        planDigest: D1,
        status: 'open',
      });

      // D2 was never approved: it comes back pending, waiting 7 days from now.
      clock.now = new Date(Date.parse(T) + 2 * 86_400_000);
      try {
        const d2again = await openApproval(k, {
          planDigest: D2,
          triggers: [tier1],
        });
        expect(d2again.status).toBe(200);
        expect(d2again.body).toMatchObject({
          status: 'pending',
          ruleId: 'GP-A03',
          approval: {
            id: id2,
            status: 'pending',
            expiresAt: '2026-12-02T10:00:00.000Z',
          },
        });
        expect(d2again.body.message).toBe(
          `GP-A03: The plan changed after approval (approved 111111111111…, now 222222222222…); approval ${id2} was requested.`,
        );
        expect((await read(`/approvals/${id1}`)).body.status).toBe(
          'superseded',
        );
      } finally {
        clock.now = new Date(T);
      }
    });

    it('shows one approval only to the scaffolder, readers, route members and the requester; others get 404', async () => {
      const k = 'service-node-http:quiet-api';
      await open(
        k,
        openBody(
          { ...S0, name: 'quiet-api', exposure: 'public' },
          { createdBy: 'user:default/eve' },
        ),
      ).expect(201);
      const opened = await openApproval(k, {
        planDigest: D1,
        triggers: [{ id: 'network', reasons: ['public exposure'] }],
      });
      const id = opened.body.approval.id;
      const get = (who: string, path = `/approvals/${id}`) =>
        request(server).get(api(path)).set('Authorization', who);
      for (const who of [scaffolder, fatima, nina, eve]) {
        const res = await get(who);
        expect(res.status).toBe(200);
        expect(res.body.approval).toMatchObject({ id, requestKey: k });
      }
      const outsider = await get(olga);
      expect(outsider.status).toBe(404);
      expect(outsider.body.error).toMatchObject({
        name: 'NotFoundError',
        message: `approval ${id} not found`,
      });
      expect(JSON.stringify(outsider.body)).not.toContain('quiet-api');
      // The same answer as for an id that does not exist.
      const missing = await get(olga, '/approvals/apr_nothing');
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe('approval apr_nothing not found');
    });

    it('answers a decision on an approval the caller may not read as GET /approvals/:id does (404), before anything about its state', async () => {
      const k = 'service-node-http:hidden-api';
      await open(
        k,
        openBody({ ...S0, name: 'hidden-api', exposure: 'public' }),
      ).expect(201);
      const opened = await openApproval(k, {
        planDigest: D1,
        triggers: [{ id: 'network', reasons: ['public exposure'] }],
      });
      const id = opened.body.approval.id;
      const approve = {
        decision: 'approve',
        reason: 'public exposure is fine here',
        answers,
      };
      const notFound = (missing: string) => ({
        status: 404,
        error: {
          name: 'NotFoundError',
          message: `approval ${missing} not found`,
        },
      });
      const answer = (res: request.Response) => ({
        status: res.status,
        error: res.body.error && {
          name: res.body.error.name,
          message: res.body.error.message,
        },
      });
      // dan may decide approvals but is in no route group and may not read requests; olga holds
      // no permission: both get what an unknown id gets, from GET and from POST alike
      for (const who of [dan, olga]) {
        expect(
          answer(
            await request(server)
              .get(api(`/approvals/${id}`))
              .set('Authorization', who),
          ),
        ).toEqual(notFound(id));
        expect(answer(await decide(id, who, approve))).toEqual(notFound(id));
        expect(answer(await decide('apr_nothing', who, approve))).toEqual(
          notFound('apr_nothing'),
        );
      }
      // once rejected, the rejection (reason, approver, digest) is not told to them either
      const sam = mockCredentials.user.header('user:default/sam.okafor');
      const reason = 'No WAF in front of hidden-api yet.';
      await decide(id, sam, { decision: 'reject', reason }).expect(201);
      for (const who of [dan, olga]) {
        const res = await decide(id, who, { decision: 'reject', reason });
        expect(answer(res)).toEqual(notFound(id));
        expect(JSON.stringify(res.body)).not.toMatch(/WAF|sam\.okafor|1111/);
      }
      // a reader still learns why (mallory reads requests; she may not decide)
      const byReader = await decide(id, mallory, approve);
      expect(byReader.status).toBe(403);
      expect((await store.listDecisions([id])).map(d => d.approver)).toEqual([
        'user:default/sam.okafor',
      ]);
    });

    it('lets a user whose ref has capitals approve, see the inbox and be refused self-approval (refs compare lower-cased)', async () => {
      const k = 'service-node-http:caps-api';
      await open(k, openBody({ ...S0, name: 'caps-api', tier: 1 })).expect(201);
      const opened = await openApproval(k, {
        planDigest: D1,
        triggers: [tier1],
      });
      const id = opened.body.approval.id;
      const Fatima = mockCredentials.user.header('user:default/Fatima.Haddad');
      const inbox = await request(server)
        .get(api('/approvals?status=pending&mine=true'))
        .set('Authorization', Fatima);
      expect(inbox.body.items.map((a: any) => a.id)).toContain(id);
      const one = await request(server)
        .get(api(`/approvals/${id}`))
        .set('Authorization', Fatima);
      expect(one.status).toBe(200);
      const ok = await decide(id, Fatima, {
        decision: 'approve',
        reason: 'Tier 1 runbook and on-call are in place.',
        answers,
      });
      expect(ok.status).toBe(201);
      // the decision keeps the ref as the identity gave it
      expect(ok.body).toMatchObject({
        status: 'approved',
        decision: { approver: 'user:default/Fatima.Haddad' },
      });

      // her own request, whatever the case of either ref: GP-A04, not a second person
      const own = 'service-node-http:caps-own-api';
      await open(
        own,
        openBody(
          { ...S0, name: 'caps-own-api', tier: 1 },
          { createdBy: 'user:default/fatima.haddad' },
        ),
      ).expect(201);
      const mine = await openApproval(own, {
        planDigest: D1,
        triggers: [tier1],
      });
      const self = await decide(mine.body.approval.id, Fatima, {
        decision: 'approve',
        reason: 'I want this out today',
        answers,
      });
      expect(self.status).toBe(403);
      expect(self.body.error.message).toBe(
        'GP-A04: You requested this change; someone else from group:default/platform-team must approve it.',
      );
      const hidden = await request(server)
        .get(api('/approvals?status=pending&mine=true'))
        .set('Authorization', Fatima);
      expect(hidden.body.items.map((a: any) => a.id)).not.toContain(
        mine.body.approval.id,
      );
    });

    it('lists an approval of the caller’s group behind more than a page of other groups’ approvals', async () => {
      const routedTo = (
        i: number,
        routeGroup: string,
      ): Parameters<typeof store.insertApproval>[0] => ({
        id: `apr_page_${String(i).padStart(4, '0')}`,
        requestKey: `service-node-http:page-${i}`,
        planDigest: D1,
        round: 0,
        triggers: [{ id: 'tier-1', reasons: ['tier 1 service'] }],
        routes: [{ group: routeGroup, triggers: ['tier-1'] }],
        status: 'pending' as const,
        requestedBy: 'user:default/ana.ruiz',
        createdAt: new Date(Date.parse(T) - 60_000 + i).toISOString(),
        expiresAt: new Date(Date.parse(T) + 86_400_000).toISOString(),
      });
      // the oldest is platform-team's (fatima's group); 520 newer ones go to another group
      await store.insertApproval(routedTo(0, 'group:default/platform-team'));
      for (let i = 1; i <= 520; i++)
        await store.insertApproval(routedTo(i, 'group:default/nobody-team'));
      const inbox = await read('/approvals?status=pending');
      expect(inbox.status).toBe(200);
      expect(inbox.body.items.map((a: any) => a.id)).toContain('apr_page_0000');
      expect(
        inbox.body.items.some((a: any) => a.id.startsWith('apr_page_0001')),
      ).toBe(false);
      await store.db('gp_approvals').where('id', 'like', 'apr_page_%').delete();
    });

    it('lists with each pending approval the rejections of its key, also by groups the caller is not in (§6.3)', async () => {
      const k = 'service-node-http:history-api';
      const approval = (
        id: string,
        requestKey: string,
        planDigest: string,
        routeGroup: string,
        status: 'pending' | 'rejected',
        minutesAgo: number,
      ): Parameters<typeof store.insertApproval>[0] => ({
        id,
        requestKey,
        planDigest,
        round: 0,
        triggers: [{ id: 'tier-1', reasons: ['tier 1 service'] }],
        routes: [{ group: routeGroup, triggers: ['tier-1'] }],
        status,
        requestedBy: 'user:default/ana.ruiz',
        createdAt: new Date(Date.parse(T) - minutesAgo * 60_000).toISOString(),
        expiresAt: new Date(Date.parse(T) + 86_400_000).toISOString(),
      });
      const rejectedAt = new Date(Date.parse(T) - 30 * 60_000).toISOString();
      // an earlier plan of the key, rejected by security-team (fatima is not a member) …
      await store.insertApproval(
        approval(
          'apr_hist_0001',
          k,
          D1,
          'group:default/security-team',
          'rejected',
          60,
        ),
      );
      await store.insertDecision({
        approvalId: 'apr_hist_0001',
        route: 'group:default/security-team',
        approver: 'user:default/sam.okafor',
        decision: 'reject',
        reason: 'No WAF in front of it yet.',
        decidedAt: rejectedAt,
        breakGlass: false,
      });
      // … another key's rejection, which is not this key's history …
      await store.insertApproval(
        approval(
          'apr_hist_0002',
          'service-node-http:other-api',
          D1,
          'group:default/platform-team',
          'rejected',
          50,
        ),
      );
      await store.insertDecision({
        approvalId: 'apr_hist_0002',
        route: 'group:default/platform-team',
        approver: 'user:default/fatima.haddad',
        decision: 'reject',
        reason: 'Not this quarter, sorry.',
        decidedAt: rejectedAt,
        breakGlass: false,
      });
      // … and the key's current plan, waiting for platform-team (fatima's group)
      await store.insertApproval(
        approval(
          'apr_hist_0003',
          k,
          D2,
          'group:default/platform-team',
          'pending',
          10,
        ),
      );
      try {
        const inbox = await read('/approvals?status=pending');
        expect(inbox.status).toBe(200);
        const item = inbox.body.items.find(
          (a: any) => a.id === 'apr_hist_0003',
        );
        expect(item.priorRejections).toEqual([
          {
            approvalId: 'apr_hist_0001',
            planDigest: D1,
            route: 'group:default/security-team',
            approver: 'user:default/sam.okafor',
            decision: 'reject',
            reason: 'No WAF in front of it yet.',
            decidedAt: rejectedAt,
            breakGlass: false,
          },
        ]);
        // an approval whose key has no rejection carries an empty list
        expect(
          inbox.body.items
            .filter((a: any) => a.requestKey !== k)
            .every((a: any) => a.priorRejections.length === 0),
        ).toBe(true);
      } finally {
        await store
          .db('gp_approval_decisions')
          .where('approval_id', 'like', 'apr_hist_%')
          .delete();
        await store
          .db('gp_approvals')
          .where('id', 'like', 'apr_hist_%')
          .delete();
      }
    });

    it('never lists an expired approval as pending (GP-A05 on list, not only on read)', async () => {
      const k = 'service-node-http:inbox-late-api';
      await open(
        k,
        openBody({ ...S0, name: 'inbox-late-api', tier: 1 }),
      ).expect(201);
      const opened = await openApproval(k, {
        planDigest: D1,
        triggers: [tier1],
      });
      const id = opened.body.approval.id;
      const ids = (res: request.Response) =>
        res.body.items.map((a: any) => a.id);
      expect(ids(await read('/approvals?status=pending'))).toContain(id);
      clock.now = new Date(Date.parse(T) + 8 * 86_400_000);
      try {
        expect(ids(await read('/approvals?status=pending'))).not.toContain(id);
        expect(ids(await read('/approvals?status=expired'))).toContain(id);
        const detail = await read(`/requests/${key(k)}`);
        expect(detail.body.approvals.find((a: any) => a.id === id).status).toBe(
          'expired',
        );
      } finally {
        clock.now = new Date(T);
      }
    });

    it('keeps permission-guarded routes from service tokens: only the scaffolder reads one request', async () => {
      const catalog = serviceHeader('plugin:catalog');
      const k = 'service-node-http:svc-api';
      await open(k, openBody({ ...S0, name: 'svc-api', tier: 1 })).expect(201);
      const opened = await openApproval(k, {
        planDigest: D1,
        triggers: [tier1],
      });
      const calls = [
        request(server)
          .put(api('/kill-switches/action/goldenpath:register'))
          .set('Authorization', catalog)
          .send({ disabled: true, reason: 'register is failing (INC-5121)' }),
        request(server).get(api('/requests')).set('Authorization', catalog),
        request(server)
          .get(api(`/requests/${key(k)}`))
          .set('Authorization', catalog),
        request(server)
          .post(api(`/requests/${key(k)}/compensate`))
          .set('Authorization', catalog),
        request(server)
          .post(api(`/requests/${key(k)}/compensate`))
          .set('Authorization', scaffolder),
      ];
      for (const call of calls) expect((await call).status).toBe(403);
      // an approval reads as unknown to a service that is not a ledger writer
      const approval = await request(server)
        .get(api(`/approvals/${opened.body.approval.id}`))
        .set('Authorization', catalog);
      expect(approval.status).toBe(404);
      expect(
        (await read('/kill-switches')).body.actions['goldenpath:register'],
      ).toBeUndefined();
      // goldenpath:validate's row lookup (the scaffolder's service token) still works
      const lookup = await request(server)
        .get(api(`/requests/${key(k)}`))
        .set('Authorization', scaffolder);
      expect(lookup.status).toBe(200);
      expect((await read(`/requests/${key(k)}`)).status).toBe(200);
    });

    it('refuses kill-switch ids the matcher would never match, naming the spelling that would', async () => {
      const cases: [string, string][] = [
        [
          'template/Service-Node-HTTP',
          'id "Service-Node-HTTP" is not a template name: a template switch matches the template\'s metadata.name exactly, 1–63 lower-case letters, digits and - _ . starting and ending with a letter or digit (for example service-node-http); did you mean "service-node-http"?',
        ],
        [
          'action/Goldenpath:Register',
          'id "Goldenpath:Register" is not an action id: an action switch matches the action id exactly, lower-case letters, digits and - _ . starting and ending with a letter or digit, in segments joined by ":" (for example goldenpath:register); did you mean "goldenpath:register"?',
        ],
        [
          'template/service node',
          'id "service node" is not a template name: a template switch matches the template\'s metadata.name exactly, 1–63 lower-case letters, digits and - _ . starting and ending with a letter or digit (for example service-node-http)',
        ],
        [
          `template/${'t'.repeat(64)}`,
          `id "${'t'.repeat(64)}" is not a template name`,
        ],
        ['action/goldenpath::register', 'is not an action id'],
        ['template/-svc', 'is not a template name'],
        ['template/svc.', 'is not a template name'],
      ];
      for (const [path, message] of cases) {
        const res = await putSwitch(path, {
          disabled: true,
          reason: 'broken CI workflow INC-9',
        });
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({ status: 400, message: expect.stringContaining(message) });
      }
      const list = await read('/kill-switches');
      expect(
        list.body.sources.runtime.filter((r: any) => /[A-Z ]/.test(r.id)),
      ).toEqual([]);
      await putSwitch('action/publish:github:pull-request', {
        disabled: false,
        reason: 'never switched off here',
      }).expect(200);
      // Names the catalog accepts (a doubled separator, a digit first) are switched like any.
      for (const id of ['svc--v2', '2fa-service', 'node.v2']) {
        await putSwitch(`template/${id}`, {
          disabled: false,
          reason: 'never switched off here',
        }).expect(200);
      }
    });

    it('refuses an all-scope switch under any id but all: it would switch off every golden path', async () => {
      const res = await putSwitch('all/service-node-http', {
        disabled: true,
        reason: 'CI workflow v3.4.1 broken (INC-5120)',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'id must be "all" for the all scope (PUT /kill-switches/all/all switches off every golden path); to switch off one template or action use /kill-switches/template/<name> or /kill-switches/action/<id>',
      );
      expect(
        (await store.listKillSwitches()).filter(k => k.scope === 'all'),
      ).toEqual([]);
    });

    it('caps a kill-switch reason at 4000 characters', async () => {
      const res = await putSwitch('template/long-node', {
        disabled: true,
        reason: 'x'.repeat(4001),
      });
      expect({ status: res.status, message: res.body.error?.message }).toEqual({
        status: 400,
        message: 'reason must be at most 4000 characters',
      });
      expect((await read('/kill-switches')).body.templates['long-node']).toBe(
        undefined,
      );
      await putSwitch('template/long-node', {
        disabled: false,
        reason: 'x'.repeat(4000),
      }).expect(200);
    });

    it('pages GET /requests with limit (1–500) and nextCursor', async () => {
      const all = (await read('/requests?limit=500')).body;
      expect(all.nextCursor).toBeUndefined();
      expect(all.items.length).toBeGreaterThan(3);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await read(
          `/requests?limit=2${
            cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
          }`,
        );
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items.map((r: any) => r.requestKey));
        cursor = res.body.nextCursor;
        pages += 1;
      } while (cursor && pages < 100);
      expect(seen).toEqual(all.items.map((r: any) => r.requestKey));

      const cases: [string, string][] = [
        ['/requests?limit=0', 'limit must be an integer between 1 and 500'],
        ['/requests?limit=501', 'limit must be an integer between 1 and 500'],
        ['/requests?limit=ten', 'limit must be an integer between 1 and 500'],
        [
          '/requests?cursor=not-a-cursor',
          'cursor is not a cursor of GET /requests (got "not-a-cursor"); pass the nextCursor of the previous page unchanged',
        ],
      ];
      for (const [path, message] of cases) {
        const res = await read(path);
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({ status: 400, message: expect.stringContaining(message) });
      }
    });

    it('refuses a kill-switch reason that looks like a secret (400 GP-X01 naming the field, never the value); nothing is set or recorded', async () => {
      // the reason is shown to every requester in GP-K01/K02/K03 and written to the audit trail
      const res = await putSwitch('template/leaky-node', {
        disabled: true,
        reason: 'rotate ghp_abcdefghijklmnopqrstuvwxyz0123456789 first',
      });
      expect({ status: res.status, message: res.body.error?.message }).toEqual({
        status: 400,
        message:
          'GP-X01: Field "reason" looks like it contains a secret (GitHub token). Remove it: golden paths never take secrets as input; credentials are created in the secrets manager and referenced by name.',
      });
      expect(JSON.stringify(res.body)).not.toContain('ghp_abcdef');
      const list = await read('/kill-switches');
      expect(list.body.templates['leaky-node']).toBeUndefined();
      expect(
        await store
          .db('gp_events')
          .where({ event_type: 'golden-path-kill-switch' })
          .whereRaw('record_json like ?', ['%leaky-node%']),
      ).toEqual([]);
    });

    it('keeps "since" and records nothing when the same kill switch is sent again (GP-K01)', async () => {
      const body = { disabled: true, reason: 'broken CI workflow INC-9' };
      const events = () =>
        store
          .db('gp_events')
          .where({ event_type: 'golden-path-kill-switch' })
          .whereRaw('record_json like ?', ['%flaky-node%']);
      const first = await putSwitch('template/flaky-node', body);
      expect(first.status).toBe(200);
      expect(first.body.templates['flaky-node']).toEqual({
        disabled: true,
        reason: 'broken CI workflow INC-9',
        since: T,
      });
      expect(await events()).toHaveLength(1);
      clock.now = new Date(Date.parse(T) + 3_600_000);
      try {
        const again = await putSwitch('template/flaky-node', body);
        expect(again.status).toBe(200);
        expect(again.body.templates['flaky-node'].since).toBe(T);
        expect(await events()).toHaveLength(1);
        const refused = await open(
          'flaky-node:cron-job',
          openBody(
            { ...S0, kind: 'worker', name: 'cron-job' },
            { template: { name: 'flaky-node' }, kind: 'worker' },
          ),
        );
        expect(refused.body.error.message).toContain(
          'since 2026-11-23 10:00 UTC: broken CI workflow INC-9',
        );
        // A changed reason is a change: new "since", new audit record.
        const changed = await putSwitch('template/flaky-node', {
          disabled: true,
          reason: 'broken CI workflow INC-9 and INC-10',
        });
        expect(changed.body.templates['flaky-node'].since).toBe(
          '2026-11-23T11:00:00.000Z',
        );
        expect(await events()).toHaveLength(2);
        await putSwitch('template/flaky-node', {
          disabled: false,
          reason: 'workflow fixed in v3.4.2',
        }).expect(200);
        expect(await events()).toHaveLength(3);
      } finally {
        clock.now = new Date(T);
      }
    });

    it('answers a kill-switch PUT retried after its until passed as the repeat it is; a change with a past until is still 400', async () => {
      const until = new Date(Date.parse(T) + 60_000).toISOString();
      const body = {
        disabled: true,
        reason: 'pause for the INC-11 fix',
        until,
      };
      const events = () =>
        store
          .db('gp_events')
          .where({ event_type: 'golden-path-kill-switch' })
          .whereRaw('record_json like ?', ['%retry-node%']);
      const first = await putSwitch('template/retry-node', body);
      expect(first.status).toBe(200);
      expect(first.body.templates['retry-node']).toMatchObject({
        disabled: true,
      });
      clock.now = new Date(Date.parse(T) + 2 * 60_000); // the switch lifted itself
      try {
        const retry = await putSwitch('template/retry-node', body);
        expect({
          status: retry.status,
          switch: retry.body.templates?.['retry-node'],
        }).toEqual({ status: 200, switch: undefined });
        expect(retry.body).toEqual((await read('/kill-switches')).body);
        expect(await events()).toHaveLength(1);

        // Another reason (or another switch) with that until would be a change: refused.
        const changed = await putSwitch('template/retry-node', {
          ...body,
          reason: 'pause for the INC-11 and INC-12 fixes',
        });
        expect({
          status: changed.status,
          message: changed.body.error?.message,
        }).toEqual({
          status: 400,
          message: `until must be in the future (got ${until}, now ${clock.now.toISOString()}); leave it out for a switch without an end`,
        });
        const other = await putSwitch('template/other-retry-node', body);
        expect(other.status).toBe(400);
        const stored = await store
          .db('gp_kill_switches')
          .whereIn('id', ['retry-node', 'other-retry-node']);
        expect(stored.map(r => [r.id, r.reason])).toEqual([
          ['retry-node', 'pause for the INC-11 fix'],
        ]);
        expect(await events()).toHaveLength(1);
      } finally {
        clock.now = new Date(T);
      }
    });

    it('an approval opening whose audit record cannot be written fails and is not kept, so its retry opens and records it (a revival too)', async () => {
      const k = 'service-node-http:unaudited-approval-api';
      await open(
        k,
        openBody({ ...S0, name: 'unaudited-approval-api', tier: 1 }),
      ).expect(201);
      const openings = async () =>
        (await store.listEvents(k))
          .filter(e => e.eventType === 'golden-path-approval')
          .map(e => [e.record.planDigest, e.record.revived ?? false]);

      const lost = await withEventInsertsFailing(store.db, () =>
        openApproval(k, { planDigest: D1, triggers: [tier1] }),
      );
      expect(lost.status).toBe(500);
      expect(await store.findApproval(k, D1)).toBeUndefined();
      const first = await openApproval(k, {
        planDigest: D1,
        triggers: [tier1],
      });
      expect(first.status).toBe(201);
      await openApproval(k, { planDigest: D1, triggers: [tier1] }).expect(200);
      expect(await openings()).toEqual([[D1, false]]);

      // D1 → D2 → D1: the revival of D1's approval, the same way
      await openApproval(k, { planDigest: D2, triggers: [tier1] }).expect(201);
      const lostRevival = await withEventInsertsFailing(store.db, () =>
        openApproval(k, { planDigest: D1, triggers: [tier1] }),
      );
      expect(lostRevival.status).toBe(500);
      expect((await store.findApproval(k, D1))?.status).toBe('superseded');
      const revived = await openApproval(k, {
        planDigest: D1,
        triggers: [tier1],
      });
      expect(revived.status).toBe(200);
      expect(revived.body.approval.id).toBe(first.body.approval.id);
      await openApproval(k, { planDigest: D1, triggers: [tier1] }).expect(200);
      expect(await openings()).toEqual([
        [D1, false],
        [D2, false],
        [D1, true],
      ]);
    });

    it('a decision whose audit record cannot be written fails and is not stored, so its retry stores and records it (break-glass too)', async () => {
      const k = 'service-node-http:unaudited-decision-api';
      await open(
        k,
        openBody(
          { ...S0, name: 'unaudited-decision-api', tier: 1 },
          { createdBy: 'user:default/fatima.haddad' },
        ),
      ).expect(201);
      const id = (
        await openApproval(k, { planDigest: D1, triggers: [tier1] }).expect(201)
      ).body.approval.id;
      const glass = {
        decision: 'approve',
        reason: 'Outage fix, review follows (INC-5131)',
        answers,
        breakGlass: true,
      };
      const decisionRecords = async () =>
        (await store.listEvents(k))
          .filter(e => e.eventType === 'golden-path-approval-decision')
          .map(e => [e.severity, e.record.status]);

      const lost = await withEventInsertsFailing(store.db, () =>
        decide(id, fatima, glass),
      );
      expect(lost.status).toBe(500);
      expect(await store.listDecisions([id])).toEqual([]);
      expect((await store.getApproval(id))?.status).toBe('pending');
      expect((await store.getRequest(k))?.status).toBe('awaiting-approval');

      const retry = await decide(id, fatima, glass);
      expect(retry.status).toBe(201);
      expect(retry.body.status).toBe('approved');
      await decide(id, fatima, glass).expect(200);
      expect(await decisionRecords()).toEqual([['critical', 'approved']]);
    });

    it('a kill-switch PUT whose critical audit record cannot be written fails and changes nothing, so its retry changes and records it', async () => {
      const body = { disabled: true, reason: 'broken CI workflow INC-13' };
      const events = () =>
        store
          .db('gp_events')
          .where({ event_type: 'golden-path-kill-switch' })
          .whereRaw('record_json like ?', ['%unaudited-node%']);
      const lost = await withEventInsertsFailing(store.db, () =>
        putSwitch('template/unaudited-node', body),
      );
      expect(lost.status).toBe(500);
      expect(
        (await read('/kill-switches')).body.templates['unaudited-node'],
      ).toBeUndefined();
      const retry = await putSwitch('template/unaudited-node', body);
      expect(retry.status).toBe(200);
      expect(retry.body.templates['unaudited-node']).toMatchObject({
        disabled: true,
      });
      await putSwitch('template/unaudited-node', body).expect(200);
      expect(await events()).toHaveLength(1);
    });
  },
);
