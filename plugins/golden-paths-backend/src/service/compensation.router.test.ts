import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
  TEMPLATE,
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

// POST /requests/:key/compensate (golden-paths.md §4.8, §8 "Revert") over HTTP, with real bare
// git repositories under a temporary goldenPaths.publish.local.root.

jest.setTimeout(60_000);

const databases = goldenPathsTestDatabases();

const git = (args: string[]) =>
  execFileSync('git', args, { encoding: 'utf8' }).trim();

/**
 * A bare repository `<dir>/<name>.git` holding one commit with `.goldenpath.yaml` naming
 * `markerKey`, as publish:git creates it. Returns its path and commit.
 */
function bareRepo(dir: string, name: string, markerKey: string) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-comp-work-'));
  try {
    git(['-C', work, 'init', '-q', '-b', 'main']);
    fs.writeFileSync(
      path.join(work, '.goldenpath.yaml'),
      `# Platform-owned; do not edit by hand (golden-paths.md §2.2).\ntemplate: ${TEMPLATE}\nrequestKey: ${markerKey}\n`,
    );
    fs.writeFileSync(
      path.join(work, 'catalog-info.yaml'),
      `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n`,
    );
    git(['-C', work, 'add', '.']);
    git([
      '-C',
      work,
      '-c',
      'user.name=Golden Paths',
      '-c',
      'user.email=gp@example.com',
      'commit',
      '-qm',
      'Create from golden path',
    ]);
    const repo = path.join(dir, `${name}.git`);
    git(['init', '-q', '--bare', '--initial-branch=main', repo]);
    git(['-C', work, 'push', '-q', repo, 'main']);
    return { repo, sha: git(['-C', work, 'rev-parse', 'HEAD']) };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Adds a commit on top of `main` of a bare repository (someone changed it after the request). */
function pushAnotherCommit(repo: string) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-comp-work-'));
  try {
    git(['clone', '-q', repo, work]);
    fs.writeFileSync(path.join(work, 'README.md'), 'later change\n');
    git(['-C', work, 'add', '.']);
    git([
      '-C',
      work,
      '-c',
      'user.name=x',
      '-c',
      'user.email=x@x',
      'commit',
      '-qm',
      'later',
    ]);
    git(['-C', work, 'push', '-q', 'origin', 'main']);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

describe.each(databases.eachSupportedId())(
  'POST /requests/:key/compensate on %s',
  databaseId => {
    const removed: { id: string; credentials: BackstageCredentials }[] = [];
    /** Runs inside a catalog location's removal, before it answers (a test sets it). */
    let whileRemoving: ((id: string) => Promise<void>) | undefined;
    let server: GoldenPathsTestBackend['server'];
    let store: GoldenPathsStore;
    let clock: GoldenPathsTestBackend['clock'];
    let stop: () => Promise<void>;
    let base: string;
    let root: string;
    let outside: string;

    beforeAll(async () => {
      base = fs.realpathSync(
        fs.mkdtempSync(path.join(os.tmpdir(), 'gp-compensate-')),
      );
      root = path.join(base, 'repos');
      outside = path.join(base, 'elsewhere');
      fs.mkdirSync(root);
      fs.mkdirSync(outside);
      ({ server, store, clock, stop } = await startGoldenPathsTestBackend({
        databases,
        databaseId,
        permissions: malloryMayNotCompensate,
        overrides: {
          catalogLocations: {
            async removeLocation(id, credentials) {
              await whileRemoving?.(id);
              removed.push({ id, credentials });
              return 'removed';
            },
          },
        },
        goldenPaths: { publish: { local: { root } } },
      }));
    });

    afterAll(async () => {
      await stop?.();
      fs.rmSync(base, { recursive: true, force: true });
    });

    /** Opens a request and records its steps through the scaffolder's ledger routes. */
    const seed = (
      name: string,
      steps: SeedStep[],
      close?: 'succeeded' | 'failed',
    ) => seedRequest(server, name, steps, close);

    /** A local-mode service request: publish to a repository under `dir`, then register. */
    async function seedLocal(name: string, dir = root, markerKey?: string) {
      const k = `service-node-http:${name}`;
      const { repo, sha } = bareRepo(dir, name, markerKey ?? k);
      await seed(
        name,
        [
          {
            id: 'publish-local',
            action: 'goldenpath:publish:git',
            effectRef: `${repo}@${sha}`,
            output: { remoteUrl: repo, commitSha: sha },
          },
          {
            id: 'register',
            action: 'goldenpath:register',
            effectRef: `golden-paths-local:component:default/${name}`,
            output: { entityRef: `component:default/${name}` },
          },
        ],
        'succeeded',
      );
      return { k, repo, sha };
    }

    const compensate = (k: string, query = '', body?: object, who = fatima) => {
      const r = request(server)
        .post(api(`/requests/${enc(k)}/compensate${query}`))
        .set('Authorization', who);
      return body ? r.send(body) : r;
    };
    const REASON = {
      reason: 'Request created by a misfiring template (INC-5120)',
    };
    /** A real run bound to the dry run taken just before it, as the operator confirms it. */
    const realRun = async (k: string, who = fatima) => {
      const dry = await compensate(k, '', undefined, who);
      return compensate(
        k,
        '?dryRun=false',
        { ...REASON, planDigest: dry.body.planDigest },
        who,
      );
    };
    const DIGEST = /^sha256:[0-9a-f]{64}$/;
    /** A real run as a client that never looked at the dry run would send it. */
    const realRunWithout = (k: string) =>
      compensate(k, '?dryRun=false', REASON);

    const ledger = async (k: string) => ({
      request: await store.getRequest(k),
      steps: Object.fromEntries(
        (await store.listSteps(k)).map(s => [s.stepId, s.status]),
      ),
      events: (await store.listEvents(k)).filter(
        e => e.eventType === 'golden-path-compensation',
      ),
    });

    it('needs goldenpaths.request.compensate (403) and answers 404 for an unknown key', async () => {
      const { k, repo } = await seedLocal('perm-api');
      const denied = await compensate(k, '?dryRun=false', REASON, mallory);
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toBe(
        'goldenpaths.request.compensate is not allowed',
      );
      expect(
        (await request(server).post(api(`/requests/${enc(k)}/compensate`)))
          .status,
      ).toBe(401);
      expect(fs.existsSync(repo)).toBe(true);

      const unknown = await compensate('service-node-http:nope-api');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatchObject({
        name: 'NotFoundError',
        message: 'request "service-node-http:nope-api" not found',
      });
    });

    it('answers 400 for a bad dryRun, a missing or short reason, unknown fields', async () => {
      const { k, repo } = await seedLocal('bad-input-api');
      const cases: [request.Test, string][] = [
        [
          compensate(k, '?dryRun=maybe'),
          'dryRun must be one of true, false (got "maybe")',
        ],
        [
          compensate(k, '?dryRun=false'),
          'reason is required for a real run (dryRun=false): at least 10 characters, recorded in the audit trail',
        ],
        [
          compensate(k, '?dryRun=false', { reason: 'oops' }),
          'reason must be at least 10 characters',
        ],
        [
          realRunWithout(k),
          'planDigest is required for a real run (dryRun=false): send the planDigest of the dry run you reviewed (POST /requests/:key/compensate?dryRun=true answers it)',
        ],
        [
          compensate(k, '?dryRun=false', { ...REASON, planDigest: 'abc' }),
          'planDigest must be "sha256:" followed by 64 lowercase hex characters (got "abc")',
        ],
        [
          compensate(k, '?dryRun=true', { ...REASON, force: true }),
          'unknown field force; remove it',
        ],
        [
          compensate(k, '?dryRun=true&dryRun=false'),
          'dryRun must be given once (got 2 values)',
        ],
        [
          compensate(k, '?force=true'),
          'unknown query parameter force; use dryRun',
        ],
      ];
      for (const [call, message] of cases) {
        const res = await call;
        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe(message);
      }
      expect(fs.existsSync(repo)).toBe(true);
      expect((await ledger(k)).request?.status).toBe('succeeded');
    });

    it('refuses a reason that looks like a secret (400 GP-X01 naming the field, never the value); nothing runs or is recorded', async () => {
      const { k, repo } = await seedLocal('secret-reason-api');
      const message =
        'GP-X01: Field "reason" looks like it contains a secret (AWS access key id). Remove it: golden paths never take secrets as input; credentials are created in the secrets manager and referenced by name.';
      // the reason goes to the critical audit record: a dry run records it too
      for (const query of ['?dryRun=false', '?dryRun=true', '']) {
        const res = await compensate(k, query, {
          reason: 'leaked key AKIAIOSFODNN7EXAMPLE in the repo',
        });
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({ status: 400, message });
        expect(JSON.stringify(res.body)).not.toContain('AKIAIOSFODNN7EXAMPLE');
      }
      expect(fs.existsSync(repo)).toBe(true);
      const after = await ledger(k);
      expect(after.request?.status).toBe('succeeded');
      expect(after.events).toEqual([]);
    });

    it('dry run (the default) returns the plan and changes nothing', async () => {
      const { k, repo, sha } = await seedLocal('dry-api');
      for (const query of ['', '?dryRun=true']) {
        const res = await compensate(k, query);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          requestKey: k,
          dryRun: true,
          statusBefore: 'succeeded',
          status: 'succeeded',
          empty: false,
          abandoned: false,
          failed: 0,
        });
        expect(
          res.body.items.map(
            (i: any) => `${i.stepId}:${i.class}:${i.plan}:${i.result}`,
          ),
        ).toEqual([
          'register:compensating:with-repository:would',
          'publish-local:compensating:delete-local-repository:would',
          'ledger:none:close-request:would',
        ]);
        expect(res.body.items[1]).toMatchObject({
          target: repo,
          commitSha: sha,
        });
      }
      expect(fs.existsSync(repo)).toBe(true);
      const after = await ledger(k);
      expect(after.request?.status).toBe('succeeded');
      expect(after.request?.leaseTaskId).toBeUndefined();
      expect(after.steps).toEqual({
        'publish-local': 'done',
        register: 'done',
      });
      expect(after.events.map(e => e.severity)).toEqual(['low', 'low']);
      expect(after.events[0].record).toMatchObject({
        action: 'goldenpath:compensate',
        dryRun: true,
        result: 'skipped',
      });
    });

    it('a real run deletes the local repository, marks the steps and the request compensated; a second run changes nothing', async () => {
      const { k, repo } = await seedLocal('real-api');
      const res = await realRun(k);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        dryRun: false,
        statusBefore: 'succeeded',
        status: 'compensated',
        failed: 0,
        acted: true,
      });
      expect(res.body.items.map((i: any) => `${i.stepId}:${i.result}`)).toEqual(
        [
          'register:compensated',
          'publish-local:compensated',
          'ledger:compensated',
        ],
      );
      expect(fs.existsSync(repo)).toBe(false);
      expect(fs.existsSync(root)).toBe(true);
      const after = await ledger(k);
      expect(after.request).toMatchObject({ status: 'compensated' });
      expect(after.request?.leaseTaskId).toBeUndefined();
      expect(after.steps).toEqual({
        'publish-local': 'compensated',
        register: 'compensated',
      });
      // the dry run the operator confirmed (low), then the real run (critical) bound to it:
      // recorded as it starts, before the first item acts, and as it ends
      expect(after.events.map(e => e.severity)).toEqual([
        'low',
        'critical',
        'critical',
      ]);
      const confirmed = after.events[0].record.planDigest;
      expect(confirmed).toMatch(DIGEST);
      expect(res.body.planDigest).toBe(confirmed);
      expect(after.events[1].record).toMatchObject({
        action: 'goldenpath:compensate',
        actor: { userRef: 'user:default/fatima.haddad', via: 'api' },
        dryRun: false,
        planDigest: confirmed,
        reason: REASON.reason,
        result: 'started',
      });
      // what it was about to do, item by item
      expect(
        (after.events[1].record.items as { stepId: string }[]).map(
          i => i.stepId,
        ),
      ).toEqual(['register', 'publish-local', 'ledger']);
      expect(after.events[2].record).toMatchObject({
        action: 'goldenpath:compensate',
        actor: { userRef: 'user:default/fatima.haddad', via: 'api' },
        dryRun: false,
        planDigest: confirmed,
        reason: REASON.reason,
        statusBefore: 'succeeded',
        status: 'compensated',
        result: 'compensated',
      });

      // Idempotent: 200, an empty plan, nothing written.
      const again = await realRun(k);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({
        dryRun: false,
        empty: true,
        items: [],
        status: 'compensated',
        acted: false,
        message: `request "${k}" is already compensated; nothing to do`,
      });
      expect(
        (await ledger(k)).events.filter(e => e.severity === 'critical'),
      ).toHaveLength(2);

      // A compensated key is not run again.
      const rerun = await request(server)
        .post(api(`/requests/${enc(k)}/open`))
        .set('Authorization', scaffolder)
        .send(openBody(requestOf('real-api'), { taskId: 'task-9' }));
      expect(rerun.status).toBe(409);
      expect(rerun.body.error.message).toContain('was compensated');
    });

    it('a real run whose final record cannot be written keeps its start record and the steps it undid; the run planned again completes and records', async () => {
      const { k, repo } = await seedLocal('unrecorded-end-api');
      const dry = await compensate(k);
      const confirmed = { ...REASON, planDigest: dry.body.planDigest };
      const end = jest
        .spyOn(store, 'completeCompensation')
        .mockRejectedValueOnce(new Error('disk full'));
      const lost = await compensate(k, '?dryRun=false', confirmed);
      end.mockRestore();
      expect(lost.status).toBe(500);
      // the items acted: the repository is gone and its steps say so, and the start record says
      // who did it, why and under which plan
      expect(fs.existsSync(repo)).toBe(false);
      const before = await ledger(k);
      expect(before.request).toMatchObject({ status: 'succeeded' });
      expect(before.steps).toEqual({
        'publish-local': 'compensated',
        register: 'compensated',
      });
      expect(
        before.events
          .filter(e => e.severity === 'critical')
          .map(e => [e.record.result, e.record.planDigest, e.record.reason]),
      ).toEqual([['started', confirmed.planDigest, REASON.reason]]);
      // those steps change the plan: the confirmed digest is refused, the run planned again
      // completes and records its start and end
      const stale = await compensate(k, '?dryRun=false', confirmed);
      expect(stale.status).toBe(409);
      expect(stale.body.error.message).toMatch(
        /^the compensation plan changed since the dry run you confirmed/,
      );
      const retry = await realRun(k);
      expect(retry.body).toMatchObject({ status: 'compensated', acted: true });
      expect(
        (await ledger(k)).events
          .filter(e => e.severity === 'critical')
          .map(e => e.record.result),
      ).toEqual(['started', 'started', 'compensated']);
    });

    it('a real run whose critical audit record cannot be written acts on nothing (its start is recorded before the first item acts), so the same confirmed run then compensates and records it', async () => {
      const { k, repo } = await seedLocal('unaudited-real-api');
      const dry = await compensate(k);
      const confirmed = { ...REASON, planDigest: dry.body.planDigest };
      const lost = await withEventInsertsFailing(store.db, () =>
        compensate(k, '?dryRun=false', confirmed),
      );
      expect(lost.status).toBe(500);
      // nothing acted: no effect without its record of who, why and under which plan
      expect(fs.existsSync(repo)).toBe(true);
      const before = await ledger(k);
      expect(before.request).toMatchObject({ status: 'succeeded' });
      expect(before.request?.leaseTaskId).toBeUndefined();
      expect(before.steps).toEqual({
        'publish-local': 'done',
        register: 'done',
      });
      expect(before.events.map(e => e.severity)).toEqual(['low']);

      // the plan did not change: the confirmed run completes and records its start and end
      const retry = await compensate(k, '?dryRun=false', confirmed);
      expect(retry.status).toBe(200);
      expect(retry.body).toMatchObject({
        status: 'compensated',
        failed: 0,
        acted: true,
      });
      expect((await realRun(k)).body.acted).toBe(false);
      const after = await ledger(k);
      expect(after.steps).toEqual({
        'publish-local': 'compensated',
        register: 'compensated',
      });
      expect(
        after.events
          .filter(e => e.severity === 'critical')
          .map(e => [e.record.planDigest, e.record.result]),
      ).toEqual([
        [retry.body.planDigest, 'started'],
        [retry.body.planDigest, 'compensated'],
      ]);
    });

    it('a real run acts only on the dry run the operator confirmed: 409 when the plan changed since, nothing acted or recorded', async () => {
      const { k, repo, sha } = await seedLocal('changed-api');
      const dry = await compensate(k);
      const confirmed = dry.body.planDigest;
      expect(confirmed).toMatch(DIGEST);
      expect(dry.body.items.map((i: any) => i.result)).toEqual([
        'would',
        'would',
        'would',
      ]);
      // Dry runs of the same plan give the same digest.
      expect((await compensate(k)).body.planDigest).toBe(confirmed);

      // Someone pushed to the repository after the dry run: the repository (and the entity
      // leaving with it) would now be left for a human.
      pushAnotherCommit(repo);
      const res = await compensate(k, '?dryRun=false', {
        ...REASON,
        planDigest: confirmed,
      });
      const now = (await compensate(k)).body.planDigest;
      expect(now).toMatch(DIGEST);
      expect(now).not.toBe(confirmed);
      expect(res.status).toBe(409);
      expect(res.body.error).toEqual({
        name: 'ConflictError',
        message: `the compensation plan changed since the dry run you confirmed (confirmed ${confirmed.slice(
          7,
          19,
        )}…, now ${now.slice(7, 19)}…); run the dry run again and review it`,
      });
      expect(fs.existsSync(repo)).toBe(true);
      expect(git(['--git-dir', repo, 'rev-list', '--count', 'HEAD'])).toBe('2');
      const after = await ledger(k);
      expect(after.request?.status).toBe('succeeded');
      // the lease the run took is released: a new run is not told the request is held
      expect(after.request?.leaseTaskId).toBeUndefined();
      expect(after.steps).toEqual({
        'publish-local': 'done',
        register: 'done',
      });
      expect(after.events.map(e => e.severity)).toEqual(['low', 'low', 'low']);
      expect(after.events.every(e => e.record.dryRun === true)).toBe(true);

      // Bound to the new dry run, it acts (and leaves the changed repository for a human).
      const rerun = await compensate(k, '?dryRun=false', {
        ...REASON,
        planDigest: now,
      });
      expect(rerun.status).toBe(200);
      expect(rerun.body).toMatchObject({ acted: true, planDigest: now });
      expect(rerun.body.items[1]).toMatchObject({
        result: 'manual',
        detail: expect.stringContaining(`not the recorded commit ${sha}`),
      });
    });

    it('a repository already gone (an earlier run, or by hand) counts as compensated', async () => {
      const { k, repo } = await seedLocal('gone-api');
      fs.rmSync(repo, { recursive: true, force: true });
      const dry = await compensate(k);
      expect(dry.body.items[1]).toMatchObject({
        result: 'would',
        detail: `${repo} is already gone; the step would be marked compensated`,
      });
      const res = await realRun(k);
      expect(res.body).toMatchObject({ status: 'compensated', failed: 0 });
      expect(res.body.items[1]).toMatchObject({
        result: 'compensated',
        detail: `${repo} was already gone`,
      });
    });

    it('refuses a repository outside goldenPaths.publish.local.root; the request keeps its status', async () => {
      const { k, repo } = await seedLocal('outside-api', outside);
      const dry = await compensate(k);
      expect(dry.body.items[1]).toMatchObject({
        stepId: 'publish-local',
        result: 'refused',
        automated: false,
      });
      expect(dry.body.items[1].refusal).toContain(
        'is not a <name>.git repository inside goldenPaths.publish.local.root',
      );
      const res = await realRun(k);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'succeeded',
        failed: 1,
        acted: true,
      });
      expect(res.body.items.map((i: any) => `${i.stepId}:${i.result}`)).toEqual(
        ['register:manual', 'publish-local:refused', 'ledger:skipped'],
      );
      expect(fs.existsSync(repo)).toBe(true);
      const after = await ledger(k);
      expect(after.request?.status).toBe('succeeded');
      expect(after.request?.leaseTaskId).toBeUndefined();
      expect(after.steps).toEqual({
        'publish-local': 'done',
        register: 'done',
      });
      expect(after.events.at(-1)).toMatchObject({ severity: 'critical' });
      expect(after.events.at(-1)!.record).toMatchObject({ result: 'failed' });
    });

    it('refuses a symbolic link out of the root, a foreign marker and a moved HEAD', async () => {
      // a link inside the root pointing at a repository outside it
      const { k: linked } = await seedLocal('link-api', outside);
      const target = path.join(outside, 'link-api.git');
      const link = path.join(root, 'link-api.git');
      fs.symlinkSync(target, link);
      const step = (await store.listSteps(linked)).find(
        s => s.stepId === 'publish-local',
      )!;
      await store
        .db('gp_steps')
        .where({ request_key: linked, step_id: 'publish-local' })
        .update({
          effect_ref: step.effectRef!.replace(target, link),
        });
      const viaLink = await realRun(linked);
      expect(viaLink.body.items[1]).toMatchObject({
        result: 'refused',
        detail: `${link} is a symbolic link; not deleted`,
      });
      expect(fs.existsSync(target)).toBe(true);

      const { k: foreign, repo: foreignRepo } = await seedLocal(
        'foreign-api',
        root,
        'service-node-http:someone-else',
      );
      const res = await realRun(foreign);
      expect(res.body.items[1]).toMatchObject({
        result: 'refused',
        detail: `.goldenpath.yaml at HEAD of ${foreignRepo} names request "service-node-http:someone-else", not "${foreign}"; not deleted`,
      });
      expect(fs.existsSync(foreignRepo)).toBe(true);

      for (const k of [linked, foreign]) {
        expect((await store.getRequest(k))?.status).toBe('succeeded');
      }
    });

    it('leaves a repository that changed after the request, or existed before it, for a human', async () => {
      const { k: moved, repo: movedRepo, sha } = await seedLocal('moved-api');
      pushAnotherCommit(movedRepo);
      const dry = await compensate(moved);
      expect(dry.body.items.map((i: any) => `${i.stepId}:${i.result}`)).toEqual(
        ['register:manual', 'publish-local:manual', 'ledger:would'],
      );
      const m = await realRun(moved);
      expect(m.body.items[1].result).toBe('manual');
      expect(m.body.items[1].detail).toContain(
        `not the recorded commit ${sha}: the repository changed after this request`,
      );
      expect(m.body.items[0]).toMatchObject({
        result: 'manual',
        detail: expect.stringContaining('stays in the catalog'),
      });
      expect(fs.existsSync(movedRepo)).toBe(true);
      // nothing automated failed: compensated, with the repository listed for a human
      expect(m.body).toMatchObject({ status: 'compensated', failed: 0 });
      expect((await ledger(moved)).steps).toEqual({
        'publish-local': 'done',
        register: 'done',
      });

      // an update commit on a shared repository (the database template's infrastructure repo)
      const { repo: infra } = bareRepo(root, 'platform-infra', 'nobody');
      pushAnotherCommit(infra);
      const head = git(['--git-dir', infra, 'rev-parse', 'HEAD']);
      const k = await seed(
        'infra-db',
        [
          {
            id: 'publish-local',
            action: 'goldenpath:publish:git',
            effectRef: `${infra}@${head}`,
          },
        ],
        'succeeded',
      );
      const u = await realRun(k);
      expect(u.body.items[0]).toMatchObject({
        result: 'manual',
        detail: expect.stringContaining(
          'existed before this request (an update commit); revert the commit by hand',
        ),
      });
      expect(fs.existsSync(infra)).toBe(true);
    });

    it('lists a database apply as irreversible and leaves it alone; pending approvals are superseded', async () => {
      const k = await seed(
        'orders-db',
        [
          {
            id: 'apply',
            action: 'goldenpath:database:apply',
            effectRef: 'local-postgres:orders_dev',
            output: {
              resourceRef: 'resource:default/orders-dev',
              provisionerRunId: 'run-1',
            },
          },
        ],
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

      const dry = await compensate(k);
      expect(
        dry.body.items.map(
          (i: any) => `${i.stepId}:${i.class}:${i.plan}:${i.result}`,
        ),
      ).toEqual([
        'apply:irreversible:manual:manual',
        'approvals:compensating:supersede-approvals:would',
        'ledger:none:close-request:would',
      ]);
      expect(dry.body.items[0].description).toContain(
        'never removed automatically',
      );

      const res = await realRun(k);
      // opening the approval left the request waiting for it
      expect(res.body).toMatchObject({
        statusBefore: 'awaiting-approval',
        status: 'compensated',
        failed: 0,
      });
      expect(res.body.items.map((i: any) => i.result)).toEqual([
        'manual',
        'compensated',
        'compensated',
      ]);
      const after = await ledger(k);
      expect(after.steps).toEqual({ apply: 'done' });
      expect((await store.getApproval(approval.body.approval.id))?.status).toBe(
        'superseded',
      );
      // a decider arriving late is told the request was reverted, not that its plan changed
      const late = await request(server)
        .post(api(`/approvals/${approval.body.approval.id}/decisions`))
        .set('Authorization', fatima)
        .send({ decision: 'reject', reason: 'Not needed any more, it seems.' });
      expect(late.status).toBe(409);
      expect(late.body.error.message).toBe(
        `Approval ${approval.body.approval.id} was superseded: request "${k}" was compensated (reverted), so its plan will not run and there is nothing to decide.`,
      );
    });

    it('an open request: 409 while its task holds the lease, then abandoned (status compensated)', async () => {
      const k = await seed('abandoned-api', []);
      const held = await realRun(k);
      expect(held.status).toBe(409);
      expect(held.body.error.message).toContain('is held by task-1 until');
      const dry = await compensate(k);
      expect(dry.body.warnings[0]).toContain('task-1 holds request');

      clock.now = new Date(Date.parse(T) + 16 * 60_000);
      try {
        const res = await realRun(k);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          statusBefore: 'open',
          status: 'compensated',
          abandoned: true,
        });
        expect(res.body.items).toEqual([
          expect.objectContaining({
            stepId: 'ledger',
            result: 'compensated',
            detail: 'request abandoned (status compensated)',
          }),
        ]);
      } finally {
        clock.now = new Date(T);
      }
    });

    it('removes a catalog location through the catalog on behalf of the caller', async () => {
      removed.length = 0;
      const k = await seed(
        'github-api',
        [
          {
            id: 'publish-github',
            action: 'goldenpath:publish:git',
            effectRef: `https://github.com/acme/github-api.git@${'b'.repeat(
              40,
            )}`,
          },
          {
            id: 'register',
            action: 'goldenpath:register',
            effectRef: '7f3c2b1a-0000-4000-8000-000000000001',
          },
        ],
        'succeeded',
      );
      const res = await realRun(k);
      expect(res.body.items.map((i: any) => `${i.stepId}:${i.result}`)).toEqual(
        ['register:compensated', 'publish-github:manual', 'ledger:compensated'],
      );
      expect(res.body.items[1].description).toContain(
        'archive https://github.com/acme/github-api.git on its server',
      );
      expect(removed).toEqual([
        {
          id: '7f3c2b1a-0000-4000-8000-000000000001',
          credentials: expect.objectContaining({
            principal: expect.objectContaining({
              userEntityRef: 'user:default/fatima.haddad',
            }),
          }),
        },
      ]);
      expect((await ledger(k)).steps).toEqual({
        'publish-github': 'done',
        register: 'compensated',
      });
    });

    it('marks each step compensated as its item finishes: a run whose second item fails or loses its lease keeps the first one marked', async () => {
      const [first, second] = [
        '7f3c2b1a-0000-4000-8000-0000000000f1',
        '7f3c2b1a-0000-4000-8000-0000000000f2',
      ];
      /** Two registrations; compensation removes the later one (`second`) first. */
      const seedTwo = (name: string) =>
        seed(
          name,
          [
            { id: 'register', action: 'goldenpath:register', effectRef: first },
            {
              id: 'register-docs',
              action: 'goldenpath:register',
              effectRef: second,
            },
          ],
          'succeeded',
        );
      const seen: Record<string, string>[] = [];
      try {
        // The second removal sees the first one's step marked (what a crash here would
        // leave), then fails.
        const k = await seedTwo('halfway-api');
        whileRemoving = async id => {
          if (id !== first) return;
          seen.push((await ledger(k)).steps);
          throw new Error('catalog unavailable');
        };
        const res = await realRun(k);
        expect(res.status).toBe(200);
        expect(
          res.body.items.map((i: any) => `${i.stepId}:${i.result}`),
        ).toEqual([
          'register-docs:compensated',
          'register:failed',
          'ledger:skipped',
        ]);
        expect(seen).toEqual([
          { register: 'done', 'register-docs': 'compensated' },
        ]);
        const after = await ledger(k);
        expect(after.request?.status).toBe('succeeded');
        expect(after.steps).toEqual({
          register: 'done',
          'register-docs': 'compensated',
        });

        // The lease expires during the second removal and another run takes the request.
        const lost = await seedTwo('lost-lease-api');
        whileRemoving = async id => {
          if (id !== first) return;
          await store
            .db('gp_requests')
            .where({ request_key: lost })
            .update({ lease_task_id: 'compensate:other' });
        };
        const late = await realRun(lost);
        expect(late.status).toBe(200);
        expect(late.body.items.at(-1)).toMatchObject({
          stepId: 'ledger',
          result: 'failed',
        });
        expect((await ledger(lost)).steps).toEqual({
          register: 'compensated',
          'register-docs': 'compensated',
        });
      } finally {
        whileRemoving = undefined;
      }
    });

    it('two concurrent real runs act once', async () => {
      const { k, repo } = await seedLocal('race-api');
      const results = await Promise.all([0, 1, 2].map(() => realRun(k)));
      const acted = results.filter(r => r.status === 200 && r.body.acted);
      expect(acted).toHaveLength(1);
      for (const r of results.filter(
        x => !(x.status === 200 && x.body.acted),
      )) {
        // the others either found it held (409) or already compensated (200, empty)
        expect(
          r.status === 409 || (r.status === 200 && r.body.empty === true),
        ).toBe(true);
      }
      expect(fs.existsSync(repo)).toBe(false);
      const after = await ledger(k);
      expect(after.request?.status).toBe('compensated');
      // the one run that acted: its start and its end
      expect(
        after.events
          .filter(e => e.severity === 'critical')
          .map(e => e.record.result),
      ).toEqual(['started', 'compensated']);
    });

    it('records the claiming action on the step', async () => {
      const { k } = await seedLocal('action-api');
      const steps = await store.listSteps(k);
      expect(steps.map(s => s.action).sort()).toEqual([
        'goldenpath:publish:git',
        'goldenpath:register',
      ]);
    });
  },
);
