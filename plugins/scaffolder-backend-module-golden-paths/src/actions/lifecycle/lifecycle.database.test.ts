import { parseAllDocuments } from 'yaml';
import { outputOf } from '../../__testUtils__/actionContext';
import { FakeDatabaseProvisioner } from '../database/testing/FakeDatabaseProvisioner';
import { planDatabaseDestroy } from './databaseDestroy';
import {
  deleteFlow,
  infraWorld,
  deleteFingerprint,
  requestKeyOf,
  type ResourceSpec,
} from '../../__testUtils__/databaseDeleteWorld';

// Deleting a database Resource (golden-paths.md §7.1): "the provisioner's destroy plan (final
// snapshot for prod) is approved and applied first; ledger tombstone". An in-memory provisioner
// with local-postgres semantics; `lifecycle.postgres.test.ts` runs the same flow on a real server.

/** The fake provisioner's hosting (an adopter's id: the descriptor writes aws/rds for it). */
const FAKE_HOSTING = { provider: 'aws', service: 'rds' };
const cartDev: ResourceSpec = {
  name: 'cart-db-dev',
  environment: 'dev',
  hosting: FAKE_HOSTING,
};
const searchDev: ResourceSpec = {
  name: 'search-db-dev',
  environment: 'dev',
  hosting: FAKE_HOSTING,
};
const cartProd: ResourceSpec = {
  name: 'cart-db-prod',
  environment: 'prod',
  hosting: FAKE_HOSTING,
};

/** A provisioner holding the databases of `resources`, each with its request's marker. */
function provisionerWith(...resources: ResourceSpec[]) {
  const p = new FakeDatabaseProvisioner();
  for (const r of resources) {
    const id = r.name.replace(/-/g, '_');
    p.databases.set(id, {
      marker: `gp:request=${requestKeyOf(r)}`,
      role: `${id}_app`,
    });
  }
  return p;
}

describe('goldenpath:lifecycle — deleting a database Resource (§7.1)', () => {
  let world: Awaited<ReturnType<typeof infraWorld>>;
  afterEach(() => world?.cleanup());

  it('destroys the database (approved plan, own claimed step) before its Resource file leaves the repository; tombstone in the change ledger', async () => {
    world = await infraWorld([cartDev, searchDev]);
    const otherBefore = world.show('resources/search-db-dev.yaml');
    const provisioner = provisionerWith(cartDev, searchDev);
    // what the repository looked like when the database was dropped
    const destroy = provisioner.destroy.bind(provisioner);
    const filesAtDestroy: string[][] = [];
    provisioner.destroy = async (ref, o) => {
      if (!o.dryRun) filesAtDestroy.push(world.files());
      return destroy(ref, o);
    };
    const flow = deleteFlow({ world, provisioner });

    const shown = await flow.preview('cart-db-dev');
    // what the approver sees: the destroy plan's effects, bound to its digest
    expect(shown.plan.effects).toEqual([
      {
        step: 'lifecycle',
        type: 'db.destroy',
        target: 'postgresql_database.cart_db_dev',
        reversibility: 'irreversible',
      },
      {
        step: 'lifecycle',
        type: 'db.destroy',
        target: 'postgresql_role.cart_db_dev_app',
        reversibility: 'compensating',
      },
      {
        step: 'lifecycle',
        type: 'finalizer.run',
        target: 'catalog: unregister resource:default/cart-db-dev',
        reversibility: 'irreversible',
      },
    ]);
    expect(shown.plan.planDigest).toBe(shown.planDigest);
    expect(shown.plan.finalSnapshot).toBe(false);
    expect(shown.approvalTriggers).toEqual([
      {
        id: 'destructive',
        reasons: [
          'delete of a tier 2 resource',
          '2 resources destroyed or replaced',
        ],
      },
    ]);
    expect(shown.markdown).toContain(
      '| postgresql_database.cart_db_dev | delete | irreversible |',
    );
    expect(provisioner.destroys).toBe(0);

    flow.approvals.approve(shown.planDigest);
    const c = await flow.lifecycle('cart-db-dev', shown.planDigest);

    // the database and role are gone, the other database is untouched
    expect([...provisioner.databases.keys()]).toEqual(['search_db_dev']);
    expect(provisioner.destroys).toBe(1);
    // dropped while the Resource was still registered, then its file left the repository
    expect(filesAtDestroy).toEqual([
      [
        'catalog-info.yaml',
        'resources/cart-db-dev.yaml',
        'resources/search-db-dev.yaml',
      ],
    ]);
    expect(world.files()).toEqual([
      'catalog-info.yaml',
      'resources/search-db-dev.yaml',
    ]);
    expect(world.catalogInfo().map(e => e.metadata.name)).toEqual([
      'search-db-dev',
    ]);
    expect(world.show('resources/search-db-dev.yaml')).toBe(otherBefore);
    expect(world.commits()).toBe('2');
    expect(outputOf(c, 'to')).toBe('deleted');
    expect(outputOf(c, 'commitSha')).toMatch(/^[0-9a-f]{40}$/);
    expect(flow.doneSteps()).toEqual(['lifecycle:destroy', 'lifecycle']);

    expect(flow.changes).toEqual([
      expect.objectContaining({
        idempotencyKey:
          'gp:lifecycle:resource:default/cart-db-dev:delete:destroy',
        entityRef: 'resource:default/cart-db-dev',
        kind: 'infra',
        environment: 'dev',
        ref: 'fake-postgres:cart_db_dev',
        status: 'succeeded',
        source: {
          system: 'golden-paths',
          externalId: 'lifecycle:resource:default/cart-db-dev:delete',
        },
        attributes: {
          workspace: 'cart-db-dev',
          plan: { add: 0, change: 0, destroy: 2, replace: 0 },
          affectedEntities: [
            'resource:default/cart-db-dev',
            'component:default/cart-api',
          ],
        },
      }),
    ]);
    const record = flow.events.at(-1)!;
    expect(record.severityLevel).toBe('critical');
    expect(record.meta).toMatchObject({
      // the §4.5 record: the request, the plan, who approved, which identity acted, on what
      requestKey: 'lifecycle:resource:default/cart-db-dev:delete',
      fingerprint: deleteFingerprint('cart-db-dev'),
      mode: 'create',
      targets: [
        'resource:default/cart-db-dev',
        world.infra,
        'fake-postgres:cart_db_dev',
      ],
      planDigest: shown.planDigest,
      decision: 'approved',
      result: 'succeeded',
      executionIdentity: 'provisioner:fake-postgres:gp_admin',
      approval: { id: 'apr_1', approvers: ['user:default/fatima.haddad'] },
      effects: [
        {
          type: 'db.destroy',
          target: 'fake-postgres:cart_db_dev',
          result: 'done',
        },
        {
          type: 'catalog.unregister',
          target: 'resource:default/cart-db-dev',
          result: 'done',
        },
      ],
    });
  });

  it.each(['Resource:default/cart-db-dev', '  resource:default/cart-db-dev'])(
    "a ref the catalog matches in another spelling (%j) destroys the Resource's own database, never only unregisters it",
    async entityRef => {
      world = await infraWorld([cartDev]);
      const provisioner = provisionerWith(cartDev);
      const flow = deleteFlow({ world, provisioner });
      const shown = await flow.preview('cart-db-dev');
      flow.approvals.approve(shown.planDigest);
      await flow.lifecycle('cart-db-dev', shown.planDigest, { entityRef });
      // the approved plan was the one carried out: the database is gone with its Resource
      expect([...provisioner.databases.keys()]).toEqual([]);
      expect(provisioner.destroys).toBe(1);
      expect(world.files()).toEqual(['catalog-info.yaml']);
      expect(flow.changes.map(x => x.entityRef)).toEqual([
        'resource:default/cart-db-dev',
      ]);
    },
  );

  it('refuses a destroy plan of another Resource than the one being deleted; nothing dropped or unregistered', async () => {
    world = await infraWorld([cartDev]);
    const provisioner = provisionerWith(cartDev);
    // a provisioner that reads the ref its own way (here: another Resource's database)
    const destroy = provisioner.destroy.bind(provisioner);
    provisioner.destroy = (_ref, o) =>
      destroy('resource:default/cart-db-staging', o);
    const flow = deleteFlow({ world, provisioner });
    await expect(flow.lifecycle('cart-db-dev', undefined)).rejects.toThrow(
      'resource:default/cart-db-dev: fake-postgres planned the destroy of cart-db-staging, not of cart-db-dev. Nothing was changed; the platform team has to delete it with the provisioner that created it.',
    );
    expect([...provisioner.databases.keys()]).toEqual(['cart_db_dev']);
    expect(world.commits()).toBe('1');
    expect(flow.claims()).toEqual([]);
  });

  it('dry run: the gates and the destroy plan only; nothing dropped, committed, claimed or approved', async () => {
    world = await infraWorld([cartDev]);
    const provisioner = provisionerWith(cartDev);
    const flow = deleteFlow({ world, provisioner });
    const shown = await flow.preview('cart-db-dev', { isDryRun: true });
    const c = await flow.lifecycle('cart-db-dev', shown.planDigest, {
      isDryRun: true,
    });
    expect(outputOf(c, 'to')).toBe('deleted');
    expect(provisioner.destroyPlans).toBe(2);
    expect(provisioner.destroys).toBe(0);
    expect([...provisioner.databases.keys()]).toEqual(['cart_db_dev']);
    expect(world.commits()).toBe('1');
    expect(flow.claims()).toEqual([]);
    expect(flow.approvals.opened).toEqual([]);
    expect(flow.changes).toEqual([]);
    expect(flow.events.at(-1)).toMatchObject({
      severityLevel: 'low',
      meta: {
        planDigest: shown.planDigest,
        result: 'skipped',
        effects: [
          expect.objectContaining({ type: 'db.destroy', result: 'would' }),
          expect.objectContaining({ type: 'db.destroy', result: 'would' }),
          expect.objectContaining({ type: 'finalizer.run', result: 'would' }),
        ],
      },
    });
  });

  it('a destroy plan that changed after approval is GP-A03: a new approval is requested and nothing is dropped', async () => {
    world = await infraWorld([cartDev]);
    const provisioner = provisionerWith(cartDev);
    const flow = deleteFlow({ world, provisioner });
    const shown = await flow.preview('cart-db-dev');
    flow.approvals.approve(shown.planDigest);
    provisioner.moduleVersion = '1.1.0'; // the module changed between approval and apply

    await expect(
      flow.lifecycle('cart-db-dev', shown.planDigest),
    ).rejects.toThrow(
      new RegExp(
        `^GP-A03: The plan changed after approval \\(approved ${shown.planDigest.slice(
          'sha256:'.length,
          'sha256:'.length + 12,
        )}…, now [0-9a-f]{12}…\\); approval apr_2 was requested\\.$`,
      ),
    );
    expect(flow.approvals.statusOf(shown.planDigest)).toBe('superseded');
    expect(flow.approvals.opened).toEqual(['apr_1', 'apr_2']);
    expect(provisioner.destroys).toBe(0);
    expect([...provisioner.databases.keys()]).toEqual(['cart_db_dev']);
    expect(world.commits()).toBe('1');
    expect(flow.claims()).toEqual([]);
    expect(flow.events.at(-1)).toMatchObject({
      severityLevel: 'critical',
      meta: {
        fingerprint: deleteFingerprint('cart-db-dev'),
        mode: 'create',
        decision: 'deny',
        errorCode: 'GP-A03',
        result: 'failed',
      },
    });
  });

  it('destroys nothing until the approval of its digest is approved', async () => {
    world = await infraWorld([cartDev]);
    const provisioner = provisionerWith(cartDev);
    const flow = deleteFlow({ world, provisioner });
    const shown = await flow.preview('cart-db-dev');
    await expect(
      flow.lifecycle('cart-db-dev', shown.planDigest),
    ).rejects.toThrow(/^GP-A01: Approval needed before anything is created/);
    expect(provisioner.destroys).toBe(0);
    expect(world.commits()).toBe('1');
    expect(flow.claims()).toEqual([]);
  });

  it.each([false, true])(
    'prod on a provisioner without snapshots: refused with what to do, before approval and before anything is dropped (dry run: %s)',
    async isDryRun => {
      world = await infraWorld([cartProd]);
      const provisioner = provisionerWith(cartProd);
      const flow = deleteFlow({ world, provisioner });
      const refusal =
        /^local-postgres takes no snapshots, so it cannot take the final snapshot that destroying cart_db_prod needs \(a prod database, golden-paths\.md §7\.1\)\. Nothing was dropped\. Keep the Resource archived, or ask the platform team to destroy it with a provisioner that takes final snapshots \(goldenPaths\.database\.provisioner\)\.$/;
      // preview refuses, so no approval is ever requested for it
      await expect(
        flow.preview('cart-db-prod', { isDryRun }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(refusal),
      });
      // and the lifecycle step refuses again (a template without preview, a changed provisioner)
      await expect(
        flow.lifecycle('cart-db-prod', undefined, { isDryRun }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(refusal),
      });
      expect([...provisioner.databases.keys()]).toEqual(['cart_db_prod']);
      expect(provisioner.destroys).toBe(0);
      expect(world.commits()).toBe('1');
      expect(flow.claims()).toEqual([]);
      expect(flow.approvals.opened).toEqual([]);
    },
  );

  it('a rerun after a failure converges: the database is not destroyed twice, the Resource leaves, the tombstone is reposted with the same key', async () => {
    world = await infraWorld([cartDev, searchDev]);
    const provisioner = provisionerWith(cartDev, searchDev);
    const flow = deleteFlow({ world, provisioner });
    const shown = await flow.preview('cart-db-dev');
    flow.approvals.approve(shown.planDigest);
    // the database is dropped, then the ledger loses the step's completion and the push fails
    const complete = flow.ledger.ledger.completeStep.bind(flow.ledger.ledger);
    flow.ledger.ledger.completeStep = async (key, stepId, body) => {
      if (
        body.taskId === 'task-1' &&
        stepId === 'lifecycle:destroy' &&
        body.status === 'done'
      )
        throw new Error('ledger unavailable');
      return complete(key, stepId, body);
    };
    await expect(
      flow.lifecycle('cart-db-dev', shown.planDigest, { taskId: 'task-1' }),
    ).rejects.toThrow('ledger unavailable');
    expect([...provisioner.databases.keys()]).toEqual(['search_db_dev']);
    expect(world.files()).toContain('resources/cart-db-dev.yaml');
    // The drop is on record now, under the approval and digest it ran with: the rerun below only
    // finds the database gone.
    expect(flow.events.at(-1)).toMatchObject({
      severityLevel: 'critical',
      meta: {
        planDigest: shown.planDigest,
        decision: 'approved',
        result: 'failed',
        approval: { id: 'apr_1' },
        effects: [
          {
            type: 'db.destroy',
            target: 'fake-postgres:cart_db_dev',
            result: 'done',
          },
        ],
      },
    });

    // rerun with the same inputs: the destroy plans as no-op (nothing to approve or drop)
    const c = await flow.lifecycle('cart-db-dev', shown.planDigest, {
      taskId: 'task-2',
      mode: 'resume',
    });
    expect(provisioner.destroys).toBe(1);
    expect([...provisioner.databases.keys()]).toEqual(['search_db_dev']);
    expect(world.files()).toEqual([
      'catalog-info.yaml',
      'resources/search-db-dev.yaml',
    ]);
    expect(outputOf(c, 'to')).toBe('deleted');
    expect(flow.approvals.opened).toEqual(['apr_1']);
    expect(flow.changes.map(x => x.idempotencyKey)).toEqual([
      'gp:lifecycle:resource:default/cart-db-dev:delete:destroy',
      'gp:lifecycle:resource:default/cart-db-dev:delete:destroy',
    ]);
    expect(flow.doneSteps()).toEqual(['lifecycle:destroy', 'lifecycle']);
  });

  it('a rerun after the database Resource left the catalog (its close lost) converges: preview and lifecycle confirm the delete from the ledger; nothing is destroyed, approved or posted again', async () => {
    world = await infraWorld([cartDev]);
    const provisioner = provisionerWith(cartDev);
    const flow = deleteFlow({ world, provisioner });
    const shown = await flow.preview('cart-db-dev');
    flow.approvals.approve(shown.planDigest);
    const first = await flow.lifecycle('cart-db-dev', shown.planDigest);
    expect(world.files()).toEqual(['catalog-info.yaml']);

    // the backend's gates know no absent entity (404), as for any other entity
    const ledger = flow.ledger.ledger;
    ledger.lifecycleGates = async query => {
      throw new Error(
        `golden-paths GET /lifecycle/gates failed with 404: entity ${query.entityRef} is not in the catalog`,
      );
    };
    // a new request for it is still refused at preview
    await expect(flow.preview('cart-db-dev')).rejects.toThrow(
      'failed with 404',
    );
    // the same key again: ledger:open resumes it
    flow.resumes();
    const again = await flow.preview('cart-db-dev');
    expect(again.approvalTriggers).toEqual([]);
    // a dry run of the rerun goes the same way and reports the replay, claiming nothing
    const claimsBefore = flow.claims().length;
    const dry = await flow.lifecycle('cart-db-dev', again.planDigest, {
      taskId: 'task-dry',
      mode: 'resume',
      isDryRun: true,
    });
    expect(outputOf(dry, 'replayed')).toBe(true);
    expect(outputOf(dry, 'to')).toBe('deleted');
    expect(outputOf(dry, 'commitSha')).toBe(outputOf(first, 'commitSha'));
    expect(flow.claims()).toHaveLength(claimsBefore);
    const c = await flow.lifecycle('cart-db-dev', again.planDigest, {
      taskId: 'task-2',
      mode: 'resume',
    });
    expect(outputOf(c, 'replayed')).toBe(true);
    expect(outputOf(c, 'to')).toBe('deleted');
    expect(outputOf(c, 'commitSha')).toBe(outputOf(first, 'commitSha'));
    expect(provisioner.destroys).toBe(1);
    expect(flow.approvals.opened).toEqual(['apr_1']);
    expect(flow.changes).toHaveLength(1);
    expect(flow.doneSteps()).toEqual(['lifecycle:destroy', 'lifecycle']);
    expect(flow.events.at(-1)?.meta).toMatchObject({
      mode: 'resume',
      result: 'replayed',
      targets: [
        'resource:default/cart-db-dev',
        expect.stringMatching(/platform-infra\.git@[0-9a-f]{40}$/),
      ],
    });
  });

  it('a tombstone the change ledger answers as not recorded (a per-item failure of its batch) is a warning naming the key and why; the delete still succeeds', async () => {
    world = await infraWorld([cartDev]);
    const provisioner = provisionerWith(cartDev);
    const flow = deleteFlow({
      world,
      provisioner,
      changesAnswer: items => ({
        results: items.map((item, index) => ({
          index,
          idempotencyKey: item.idempotencyKey,
          status: 400,
          error: {
            code: 'VALIDATION',
            message: 'attributes.plan.destroy must be a number',
          },
        })),
        summary: {
          created: 0,
          updated: 0,
          unchanged: 0,
          replayed: 0,
          failed: 1,
        },
      }),
    });
    const shown = await flow.preview('cart-db-dev');
    flow.approvals.approve(shown.planDigest);
    const c = await flow.lifecycle('cart-db-dev', shown.planDigest);
    expect(outputOf(c, 'to')).toBe('deleted');
    expect(c.logger.warn).toHaveBeenCalledWith(
      'change gp:lifecycle:resource:default/cart-db-dev:delete:destroy was not recorded by the change ledger (400 VALIDATION: attributes.plan.destroy must be a number)',
    );
  });

  it('a rerun after the unregistration failed finds the destroy done and only unregisters', async () => {
    world = await infraWorld([cartDev]);
    const provisioner = provisionerWith(cartDev);
    const flow = deleteFlow({ world, provisioner });
    const shown = await flow.preview('cart-db-dev');
    flow.approvals.approve(shown.planDigest);
    world.refusePushes(true);
    await expect(
      flow.lifecycle('cart-db-dev', shown.planDigest, { taskId: 'task-1' }),
    ).rejects.toThrow();
    expect(provisioner.destroys).toBe(1);
    expect(world.commits()).toBe('1');
    world.refusePushes(false);

    await flow.lifecycle('cart-db-dev', shown.planDigest, {
      taskId: 'task-2',
      mode: 'resume',
    });
    expect(provisioner.destroys).toBe(1);
    expect(flow.changes).toHaveLength(1);
    expect(world.files()).toEqual(['catalog-info.yaml']);
    expect(flow.events.at(-1)?.meta.effects).toEqual([
      expect.objectContaining({ type: 'db.destroy', result: 'replayed' }),
      expect.objectContaining({ type: 'catalog.unregister', result: 'done' }),
    ]);
  });

  it('a dry run of the rerun after the unregistration failed reports the destroy as replayed, the unregistration as would (as the real rerun does)', async () => {
    world = await infraWorld([cartDev]);
    const provisioner = provisionerWith(cartDev);
    const flow = deleteFlow({ world, provisioner });
    const shown = await flow.preview('cart-db-dev');
    flow.approvals.approve(shown.planDigest);
    world.refusePushes(true);
    await expect(
      flow.lifecycle('cart-db-dev', shown.planDigest, { taskId: 'task-1' }),
    ).rejects.toThrow();
    world.refusePushes(false);

    const claimsBefore = flow.claims().length;
    const dry = await flow.lifecycle('cart-db-dev', shown.planDigest, {
      taskId: 'task-dry',
      mode: 'resume',
      isDryRun: true,
    });
    const effects = [
      {
        type: 'db.destroy',
        target: 'fake-postgres:cart_db_dev',
        result: 'replayed',
      },
      {
        type: 'finalizer.run',
        target: 'catalog: unregister resource:default/cart-db-dev',
        result: 'would',
      },
    ];
    expect(outputOf(dry, 'effects')).toEqual(effects);
    expect(flow.events.at(-1)?.meta.effects).toEqual(effects);
    expect(flow.claims()).toHaveLength(claimsBefore);
    expect(provisioner.destroys).toBe(1);
  });

  it('a rerun through T5 after the destroy, whose unregistration failed, continues under the approval the request holds: the no-op destroy asks for no second approval', async () => {
    world = await infraWorld([cartDev]);
    const provisioner = provisionerWith(cartDev);
    const flow = deleteFlow({ world, provisioner });
    const shown = await flow.preview('cart-db-dev');
    flow.approvals.approve(shown.planDigest);
    expect(outputOf(await flow.approve('cart-db-dev', shown), 'decision')).toBe(
      'approved',
    );
    world.refusePushes(true); // the database is dropped, then the push fails
    await expect(
      flow.lifecycle('cart-db-dev', shown.planDigest, { taskId: 'task-1' }),
    ).rejects.toThrow();
    expect(provisioner.destroys).toBe(1);
    expect(world.files()).toContain('resources/cart-db-dev.yaml');
    world.refusePushes(false);

    // the same request again (same key and fingerprint): ledger:open resumes it
    flow.resumes();
    const again = await flow.preview('cart-db-dev', { taskId: 'task-2' });
    // the plan shows what is left (nothing to destroy, the unregistration) under the approval
    // the request holds; the tier's `destructive` trigger is still there
    expect(again.planDigest).toBe(shown.planDigest);
    expect(again.approvalTriggers).toEqual([
      { id: 'destructive', reasons: ['delete of a tier 2 resource'] },
    ]);
    expect((again.plan as { effects: unknown[] }).effects).toEqual([
      expect.objectContaining({ type: 'finalizer.run' }),
    ]);
    const approved = await flow.approve('cart-db-dev', again, {
      mode: 'resume',
      taskId: 'task-2',
    });
    expect(outputOf(approved, 'decision')).toBe('approved');
    expect(outputOf(approved, 'approvalId')).toBe('apr_1');
    expect(flow.approvals.opened).toEqual(['apr_1']);
    expect(flow.approvals.statusOf(shown.planDigest)).toBe('approved');

    const c = await flow.lifecycle('cart-db-dev', again.planDigest, {
      taskId: 'task-2',
      mode: 'resume',
    });
    expect(outputOf(c, 'to')).toBe('deleted');
    expect(world.files()).toEqual(['catalog-info.yaml']);
    expect(provisioner.destroys).toBe(1);
    expect(flow.doneSteps()).toEqual(['lifecycle:destroy', 'lifecycle']);
  });

  it("a delete whose database is gone and whose request holds no approval asks for one, resumed or not (the tier's `destructive` trigger)", async () => {
    world = await infraWorld([cartDev]);
    const provisioner = provisionerWith(); // the database was dropped by someone else
    const flow = deleteFlow({ world, provisioner });
    flow.resumes();
    const shown = await flow.preview('cart-db-dev');
    expect(shown.approvalTriggers).toEqual([
      { id: 'destructive', reasons: ['delete of a tier 2 resource'] },
    ]);
    await expect(
      flow.approve('cart-db-dev', shown, { mode: 'resume' }),
    ).rejects.toThrow(/^GP-A01: Approval needed before anything is created/);
    expect(flow.approvals.opened).toEqual(['apr_1']);
    expect(flow.approvals.statusOf(shown.planDigest)).toBe('pending');
  });

  it("goldenpath:lifecycle itself refuses that delete until the ledger holds the approval (the template's approve step skipped); nothing unregistered", async () => {
    world = await infraWorld([cartDev]);
    const provisioner = provisionerWith(); // the database is gone: a no-op destroy plan
    const flow = deleteFlow({ world, provisioner });
    const shown = await flow.preview('cart-db-dev');
    await expect(
      flow.lifecycle('cart-db-dev', shown.planDigest),
    ).rejects.toThrow(/^GP-A01: Approval needed before anything is created/);
    expect(world.files()).toContain('resources/cart-db-dev.yaml');
    expect(flow.claims()).toEqual([]);
    // bound to the digest the approve step binds to: approved, the delete goes on
    flow.approvals.approve(shown.planDigest);
    await flow.lifecycle('cart-db-dev', shown.planDigest, { taskId: 'task-2' });
    expect(world.files()).toEqual(['catalog-info.yaml']);
  });

  it('refuses a Resource another provisioner manages, and a database whose marker names another request; nothing dropped', async () => {
    world = await infraWorld([
      { ...cartDev, hosting: { provider: 'local', service: 'postgres' } },
      { ...searchDev, requestKey: 'postgres-database:search-db:dev' },
    ]);
    const provisioner = provisionerWith(cartDev);
    // search_db_dev exists, but created by another request than the Resource records
    provisioner.databases.set('search_db_dev', {
      marker: 'gp:request=postgres-database:other:dev',
      role: 'search_db_dev_app',
    });
    const flow = deleteFlow({ world, provisioner });
    await expect(flow.lifecycle('cart-db-dev', undefined)).rejects.toThrow(
      'resource:default/cart-db-dev records its database on local/postgres, which the configured provisioner fake-postgres (aws/rds) does not manage. Nothing was changed; the platform team has to delete it with the provisioner that created it.',
    );
    await expect(flow.lifecycle('search-db-dev', undefined)).rejects.toThrow(
      'resource:default/search-db-dev: database search_db_dev was created by request "postgres-database:other:dev", not by this Resource\'s request "postgres-database:search-db:dev". Nothing was changed.',
    );
    expect(provisioner.destroys).toBe(0);
    expect(provisioner.databases.size).toBe(2);
    expect(world.commits()).toBe('1');
    expect(flow.claims()).toEqual([]);
  });

  it('still refuses deleting any other entity of the shared infrastructure repository (it would retire every Resource)', async () => {
    world = await infraWorld([
      cartDev,
      {
        name: 'orders-queue-dev',
        environment: 'dev',
        hosting: FAKE_HOSTING,
        type: 'queue',
      },
    ]);
    const flow = deleteFlow({ world, provisioner: provisionerWith(cartDev) });
    await expect(flow.lifecycle('orders-queue-dev', undefined)).rejects.toThrow(
      'resource:default/orders-queue-dev is described in the shared infrastructure repository, next to other entities; goldenpath:lifecycle deletes only entities with a repository of their own, and database Resources. Nothing was changed.',
    );
    expect(world.commits()).toBe('1');
    expect(
      parseAllDocuments(world.show('catalog-info.yaml')).map(
        d => d.toJS().metadata.name,
      ),
    ).toEqual(['cart-db-dev', 'orders-queue-dev']);
    expect(flow.claims()).toEqual([]);
  });
});

describe('planDatabaseDestroy: the environment as the Resource spells it', () => {
  /** A provisioner that takes final snapshots (the fake itself refuses them). */
  class SnapshottingProvisioner extends FakeDatabaseProvisioner {
    async destroy(ref: string, o: { dryRun: boolean; finalSnapshot: boolean }) {
      return super.destroy(ref, { ...o, finalSnapshot: false });
    }
  }

  it.each(['Prod', ' prod ', 'PROD'])(
    'environment %j is prod: a final snapshot and the production-data trigger',
    async environment => {
      const provisioner = new SnapshottingProvisioner();
      provisioner.databases.set('cart_db_prod', {
        marker: 'gp:request=postgres-database:cart-db:prod',
        role: 'cart_db_prod_app',
      });
      const destroy = await planDatabaseDestroy({
        entityRef: 'resource:default/cart-db-prod',
        entity: {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Resource',
          metadata: {
            name: 'cart-db-prod',
            namespace: 'default',
            annotations: {
              'ops.example.com/provider': 'aws',
              'ops.example.com/service': 'rds',
              'ops.example.com/environment': environment,
              'ops.example.com/request-key': 'postgres-database:cart-db:prod',
            },
          },
          spec: { type: 'database' },
        },
        provisioner,
      });
      expect(destroy.target).toMatchObject({
        environment: 'prod',
        finalSnapshot: true,
      });
      expect(destroy.triggers.map(t => t.id)).toEqual([
        'destructive',
        'production-data',
      ]);
    },
  );
});

describe('planDatabaseDestroy: whose database it drops', () => {
  it('refuses a Resource that records no request key, even when the database marker names none either; nothing dropped', async () => {
    const provisioner = new FakeDatabaseProvisioner();
    // a golden-path marker with an empty request key: the plan reports the key as ''
    provisioner.databases.set('cart_db_dev', {
      marker: 'gp:request=',
      role: 'cart_db_dev_app',
    });
    await expect(
      planDatabaseDestroy({
        entityRef: 'resource:default/cart-db-dev',
        entity: {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Resource',
          metadata: {
            name: 'cart-db-dev',
            namespace: 'default',
            annotations: {
              'ops.example.com/provider': 'aws',
              'ops.example.com/service': 'rds',
              'ops.example.com/environment': 'dev',
            },
          },
          spec: { type: 'database' },
        },
        provisioner,
      }),
    ).rejects.toThrow(
      'resource:default/cart-db-dev records no ops.example.com/request-key, so database cart_db_dev cannot be told to be its own. Nothing was changed.',
    );
    expect(provisioner.destroys).toBe(0);
    expect(provisioner.databases.has('cart_db_dev')).toBe(true);
  });
});
