import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  GP_KEYS,
  type ApprovalTrigger,
  type GoldenPathsConfig,
  type PlanEffect,
} from '@internal/plugin-golden-paths-common';
import type {
  DatabasePlan,
  DatabaseProvisioner,
} from '../../provisioners/DatabaseProvisioner';
import { digestOf, isNoOp } from '../../provisioners/planModel';
import {
  approvalLines,
  planResourceTable,
  reversibilityOf,
} from '../database/buildApprovalPlan';
import { HOSTING } from '../database/buildResourceDescriptor';
import {
  LEDGER_ENVIRONMENT,
  type DatabaseInfraChange,
} from '../database/databaseApply';
import { requireProvisioner } from '../database/databasePlan';

// The destroy half of deleting a database Resource (golden-paths.md §7.1): "the provisioner's
// `destroy` plan (final snapshot for `prod`) is approved and applied first". The plan is made by
// the provisioner that owns the database, read-only (`destroy(ref, { dryRun: true })`); its
// digest is what the approval binds to, as `goldenpath:database:apply` binds to the create plan's
// (24: apply what was reviewed). `goldenpath:preview` shows it to the approver and
// `goldenpath:lifecycle` plans again before it destroys, so a changed plan is GP-A03.

const P = 'ops.example.com/';

/** Environments whose databases are destroyed without a final snapshot; any other takes one. */
const NO_SNAPSHOT_ENVIRONMENTS: ReadonlySet<string> = new Set([
  'dev',
  'staging',
]);

/** The template step that carries out a destroy plan (T5: `goldenpath:lifecycle`). */
export const DATABASE_DELETE_STEP = 'lifecycle';

/** What the lifecycle destroys for a database Resource, read from the Resource's descriptor. */
export interface DatabaseDestroyTarget {
  entityRef: string;
  /** `<name>-<environment>` (the Resource's name). */
  resourceName: string;
  /**
   * `ops.example.com/environment`, trimmed and lower-cased (` Prod ` is prod: its final snapshot
   * and its `production-data` trigger read the same value); empty when the Resource does not say.
   */
  environment: string;
  /**
   * `prod` takes a final snapshot (§7.1). A Resource that does not say its environment is treated
   * as one that needs it (fails closed: a snapshot too many costs storage, one too few loses data).
   */
  finalSnapshot: boolean;
  /** The request that created it (`ops.example.com/request-key`): its database carries that marker. */
  requestKey: string;
  /** Components the database served (`spec.dependencyOf`), for the change record. */
  dependencyOf: string[];
}

export function databaseDestroyTarget(
  entityRef: string,
  entity: Entity,
): DatabaseDestroyTarget {
  const annotations = entity.metadata.annotations ?? {};
  const environment = (annotations[`${P}environment`] ?? '')
    .trim()
    .toLocaleLowerCase('en-US');
  const dependencyOf = (entity.spec as { dependencyOf?: unknown } | undefined)
    ?.dependencyOf;
  return {
    entityRef,
    resourceName: entity.metadata.name,
    environment,
    finalSnapshot: !NO_SNAPSHOT_ENVIRONMENTS.has(environment),
    requestKey: annotations[GP_KEYS.requestKey] ?? '',
    dependencyOf: Array.isArray(dependencyOf)
      ? dependencyOf.filter((d): d is string => typeof d === 'string')
      : [],
  };
}

/**
 * The provisioner that owns the Resource's database: the configured one, when the hosting the
 * Resource records (`ops.example.com/provider` and `…/service`, written from the provisioner id
 * when the database was created) is the one that provisioner writes. Anything else is refused
 * before a plan is made: another provisioner's database is not ours to plan a destroy for.
 */
export function owningProvisioner(
  entityRef: string,
  entity: Entity,
  configured: DatabaseProvisioner | undefined,
): DatabaseProvisioner {
  const provisioner = requireProvisioner(configured);
  const expected = HOSTING[provisioner.id] ?? HOSTING['github-terraform'];
  const annotations = entity.metadata.annotations ?? {};
  const provider = annotations[`${P}provider`];
  const service = annotations[`${P}service`];
  if (provider !== expected.provider || service !== expected.service) {
    throw new InputError(
      `${entityRef} records its database on ${
        provider ?? '(no ops.example.com/provider)'
      }/${
        service ?? '(no ops.example.com/service)'
      }, which the configured provisioner ${provisioner.id} (${
        expected.provider
      }/${
        expected.service
      }) does not manage. Nothing was changed; the platform team has to delete it with the provisioner that created it.`,
    );
  }
  return provisioner;
}

/** A destroy plan, its approval triggers, and whether it destroys anything. */
export interface DatabaseDestroyPlan {
  target: DatabaseDestroyTarget;
  provisioner: DatabaseProvisioner;
  plan: DatabasePlan;
  triggers: ApprovalTrigger[];
  /** Everything is gone already (a rerun): nothing to approve or destroy. */
  noOp: boolean;
}

/**
 * The read-only destroy plan of a database Resource (`finalSnapshot` for prod). A provisioner
 * that cannot take the snapshot refuses here, before anything is approved or dropped. The
 * database to be destroyed must carry this Resource's request key in its ownership marker: a
 * database of the same name created by someone else is never dropped. Triggers (§6.1):
 * `destructive` for what is destroyed, `production-data` for a prod database.
 */
export async function planDatabaseDestroy(p: {
  entityRef: string;
  entity: Entity;
  provisioner: DatabaseProvisioner | undefined;
}): Promise<DatabaseDestroyPlan> {
  // The provisioner is asked about the Resource the catalog returned, by its canonical ref: the
  // catalog matches `Resource:default/Cart-DB-dev` or ` resource:default/cart-db-dev`, a
  // provisioner reading such a text would plan another (absent) database as `no-op`, and the
  // Resource would leave the catalog while its database lives.
  const target = databaseDestroyTarget(
    stringifyEntityRef(p.entity).toLocaleLowerCase('en-US'),
    p.entity,
  );
  const provisioner = owningProvisioner(p.entityRef, p.entity, p.provisioner);
  const plan = await provisioner.destroy(target.entityRef, {
    dryRun: true,
    finalSnapshot: target.finalSnapshot,
  });
  if (plan.resourceName !== target.resourceName) {
    throw new InputError(
      `${p.entityRef}: ${provisioner.id} planned the destroy of ${plan.resourceName}, not of ${target.resourceName}. Nothing was changed; the platform team has to delete it with the provisioner that created it.`,
    );
  }
  // The digest is ours, never the provider's word for it.
  plan.planDigest = digestOf(plan);
  const marked = String(
    (plan.variables.tags as Record<string, unknown> | undefined)?.[
      'request-key'
    ] ?? '',
  );
  // whatever it drops (the database, or a role left behind), the marker must be this request's
  const noOp = isNoOp(plan);
  // A Resource without a request key owns nothing: an empty key would equal a marker that names
  // no request (or a provisioner that reports none) and let someone else's database be dropped.
  if (!noOp && !target.requestKey) {
    throw new InputError(
      `${p.entityRef} records no ${GP_KEYS.requestKey}, so database ${String(
        plan.variables.identifier ?? target.resourceName,
      )} cannot be told to be its own. Nothing was changed.`,
    );
  }
  if (!noOp && marked !== target.requestKey) {
    throw new InputError(
      `${p.entityRef}: database ${String(
        plan.variables.identifier ?? target.resourceName,
      )} was created by request "${marked}", not by this Resource's request "${
        target.requestKey
      }". Nothing was changed.`,
    );
  }
  const triggers: ApprovalTrigger[] = [];
  const destroyed = plan.changes.destroy + plan.changes.replace;
  if (destroyed > 0) {
    triggers.push({
      id: 'destructive',
      reasons: [`${destroyed} resources destroyed or replaced`],
    });
  }
  if (!noOp && target.environment === 'prod') {
    triggers.push({ id: 'production-data', reasons: ['database in prod'] });
  }
  return { target, provisioner, plan, triggers, noOp };
}

/**
 * Triggers of several sources as one list: one entry per trigger id (the first source's order),
 * with the reasons of every source, each once. An approval routes by trigger id (§6.1).
 */
export function mergeTriggers(
  ...sources: readonly (readonly ApprovalTrigger[])[]
): ApprovalTrigger[] {
  const merged: ApprovalTrigger[] = [];
  for (const t of sources.flat()) {
    const seen = merged.find(m => m.id === t.id);
    if (!seen) merged.push({ id: t.id, reasons: [...t.reasons] });
    else {
      for (const r of t.reasons)
        if (!seen.reasons.includes(r)) seen.reasons.push(r);
    }
  }
  return merged;
}

/**
 * The effects of deleting a database Resource: one `db.destroy` per resource the plan deletes,
 * then the unregistration (its file leaves the infrastructure repository).
 */
export function databaseDeleteEffects(
  destroy: Pick<DatabaseDestroyPlan, 'plan' | 'target'>,
): PlanEffect[] {
  return [
    ...destroy.plan.resources
      .filter(r => r.action !== 'no-op')
      .map(r => ({
        step: DATABASE_DELETE_STEP,
        type: 'db.destroy' as const,
        target: r.address,
        reversibility: reversibilityOf(r),
      })),
    {
      step: DATABASE_DELETE_STEP,
      type: 'finalizer.run',
      target: `catalog: unregister ${destroy.target.entityRef}`,
      reversibility: 'irreversible',
    },
  ];
}

/** The destroy plan as markdown: the task log (`log`) or the approval inbox (`approval`). */
export function databaseDestroyMarkdown(
  destroy: Pick<DatabaseDestroyPlan, 'plan' | 'target'>,
  triggers: ApprovalTrigger[],
  gp: GoldenPathsConfig,
  audience: 'log' | 'approval' = 'log',
): string {
  const { plan, target } = destroy;
  const lines = [
    `### Delete ${target.entityRef}: destroy plan \`${plan.resourceName}\` (${plan.provisioner} ${plan.module.version})`,
    '',
    audience === 'log'
      ? `Plan ${plan.planId}, digest ${plan.planDigest}.`
      : `Digest ${plan.planDigest}. An identical re-plan keeps this approval; goldenpath:lifecycle plans again before it destroys anything and stops (GP-A03) if the plan changed.`,
    '',
    ...planResourceTable(plan),
    '',
    target.finalSnapshot
      ? `Final snapshot: taken before the database is dropped (environment ${
          target.environment || 'not recorded'
        }).`
      : `Final snapshot: none (environment ${target.environment}); the data is gone once the database is dropped.`,
    `Then ${target.entityRef} is unregistered: resources/${target.resourceName}.yaml leaves the infrastructure repository. Deleting is irreversible.`,
    '',
  ];
  lines.push(...approvalLines(triggers, gp));
  return lines.join('\n');
}

/** What the approval of a database delete shows besides the plan head (§6.3). */
export interface DatabaseDeleteView {
  /** The digest of the provider's destroy plan, which the approval binds to; not of this view. */
  planDigest: string;
  provisioner: string;
  module: { source: string; version: string };
  resourceName: string;
  changes: DatabasePlan['changes'];
  finalSnapshot: boolean;
  effects: PlanEffect[];
  approvalTriggers: ApprovalTrigger[];
  markdown: string;
}

/**
 * What the approval of a database delete shows (§6.3), in the shape the inbox reads (`effects`,
 * `markdown`), after the plan head of a preview when there is one. A view: never hashed; the
 * approval binds to `planDigest`, the digest of the provider's destroy plan.
 */
export function databaseDeleteApprovalPlan<H extends object>(
  destroy: Pick<DatabaseDestroyPlan, 'plan' | 'target'>,
  triggers: ApprovalTrigger[],
  gp: GoldenPathsConfig,
  head: H,
): H & DatabaseDeleteView {
  const { plan, target } = destroy;
  return {
    ...head,
    planDigest: plan.planDigest,
    provisioner: plan.provisioner,
    module: { ...plan.module },
    resourceName: plan.resourceName,
    changes: { ...plan.changes },
    finalSnapshot: target.finalSnapshot,
    effects: databaseDeleteEffects(destroy),
    approvalTriggers: triggers.map(t => ({
      id: t.id,
      reasons: [...t.reasons],
    })),
    markdown: databaseDestroyMarkdown(destroy, triggers, gp, 'approval'),
  };
}

/**
 * The tombstone of a destroyed database in the change ledger: one `infra` change with the counts
 * of the destroy that ran, key `gp:<requestKey>:destroy` (a repost after a crash is harmless).
 */
export function databaseDestroyChange(p: {
  requestKey: string;
  target: DatabaseDestroyTarget;
  plan: DatabasePlan;
  userRef: string;
  taskId: string;
  startedAt: string;
  finishedAt: string;
}): DatabaseInfraChange {
  const { target, plan } = p;
  const identifier = String(plan.variables.identifier ?? target.resourceName);
  return {
    idempotencyKey: `gp:${p.requestKey}:destroy`,
    entityRef: target.entityRef,
    kind: 'infra',
    environment:
      LEDGER_ENVIRONMENT[target.environment] ??
      (target.environment || 'unknown'),
    ref: `${plan.provisioner}:${identifier}`,
    version: plan.module.version,
    summary:
      `Destroy PostgreSQL database ${identifier} (${target.entityRef} deleted)`.slice(
        0,
        200,
      ),
    actor: { type: 'user', id: p.userRef },
    source: { system: 'golden-paths', externalId: p.requestKey },
    startedAt: p.startedAt,
    finishedAt: p.finishedAt,
    status: 'succeeded',
    correlationId: p.taskId,
    attributes: {
      workspace: target.resourceName,
      plan: { ...plan.changes },
      affectedEntities: [target.entityRef, ...target.dependencyOf],
    },
  };
}
