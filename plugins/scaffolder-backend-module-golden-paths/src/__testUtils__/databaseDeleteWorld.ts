import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { LifecycleGatesAnswer } from '@internal/plugin-golden-paths-common';
import { isRefusal } from '@internal/plugin-golden-paths-node';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { actionContext, outputOf, recordingAuditor } from './actionContext';
import { fakeLedger } from '../__fixtures__/fakeLedger';
import { permissionsAnswering } from './permissions';
import { withLifecycleRequest } from './lifecycleRequest';
import type { DatabaseProvisioner } from '../provisioners/DatabaseProvisioner';
import type { DatabaseInfraChange } from '../actions/database/databaseApply';
import { writeCatalogInfo } from '../actions/database/infraRepository';
import { approvalsByDigest } from '../actions/database/testing/databaseWorld';
import { createGoldenPathApproveAction } from '../actions/approve/approve';
import { createGoldenPathPreviewAction } from '../actions/preview/preview';
import { createGoldenPathLifecycleAction } from '../actions/lifecycle/lifecycle';

// Deleting a database Resource (golden-paths.md §7.1) end to end through goldenpath:preview and
// goldenpath:lifecycle, against a real local infrastructure repository: shared by the unit tests
// (an in-memory provisioner) and the PostgreSQL variant (local-postgres on a real server).

const git = (args: string[], cwd?: string) =>
  execFileSync('git', args, { encoding: 'utf8', cwd }).trim();

const HEADER =
  '# Platform-owned; written by the postgres-database golden path (golden-paths.md §3.3).\n';

/** A Resource of the infrastructure repository as `goldenpath:database:descriptor` writes it. */
export interface ResourceSpec {
  /** `<name>-<environment>`, e.g. `cart-db-dev`. */
  name: string;
  environment: string;
  /** `ops.example.com/provider` / `…/service` (local/postgres for local-postgres). */
  hosting: { provider: string; service: string };
  /** The request that created it: `postgres-database:<name>:<environment>` by default. */
  requestKey?: string;
  type?: string;
}

export const requestKeyOf = (r: ResourceSpec) =>
  r.requestKey ??
  `postgres-database:${r.name.slice(0, r.name.lastIndexOf('-'))}:${
    r.environment
  }`;

function resourceFile(r: ResourceSpec): string {
  return `${HEADER}apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: ${r.name}
  annotations:
    ops.example.com/lifecycle: archived
    ops.example.com/provider: ${r.hosting.provider}
    ops.example.com/service: ${r.hosting.service}
    ops.example.com/environment: ${r.environment}
    ops.example.com/request-key: ${requestKeyOf(r)}
    ops.example.com/template: template:default/postgres-database
spec:
  type: ${r.type ?? 'database'}
  owner: group:default/checkout-team
  dependencyOf:
    - component:default/cart-api
`;
}

/**
 * A local publish root with the shared infrastructure repository holding `resources`, and a
 * catalog fed by its generated catalog-info.yaml, as the local provider feeds it.
 */
export async function infraWorld(resources: ResourceSpec[]) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-destroy-'));
  const infra = path.join(root, 'platform-infra.git');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-destroy-w-'));
  git(['init', '-q', '--bare', '--initial-branch=main', infra]);
  git(['init', '-q', '-b', 'main'], work);
  fs.mkdirSync(path.join(work, 'resources'));
  for (const r of resources) {
    fs.writeFileSync(
      path.join(work, 'resources', `${r.name}.yaml`),
      resourceFile(r),
    );
  }
  await writeCatalogInfo(work);
  git(['add', '.'], work);
  git(
    ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'create'],
    work,
  );
  git(['push', '-q', infra, 'main'], work);
  fs.rmSync(work, { recursive: true, force: true });

  const show = (file: string) =>
    git(['--git-dir', infra, 'show', `main:${file}`]);
  const files = () =>
    git(['--git-dir', infra, 'ls-tree', '-r', '--name-only', 'main']).split(
      '\n',
    );
  const commits = () =>
    git(['--git-dir', infra, 'rev-list', '--count', 'main']);
  const catalogInfo = () =>
    parseAllDocuments(show('catalog-info.yaml')).map(d => d.toJS());
  const catalog = catalogServiceMock.mock({
    getEntityByRef: jest.fn(async (ref: any) => {
      const name = String(ref).slice(String(ref).lastIndexOf('/') + 1);
      const doc = catalogInfo().find(d => d.metadata.name === name);
      if (!doc) return undefined;
      doc.metadata.namespace = 'default';
      doc.metadata.annotations[
        'backstage.io/managed-by-location'
      ] = `golden-paths-local:${path.basename(infra)}`;
      return doc;
    }),
  });
  return {
    root,
    infra,
    show,
    files,
    commits,
    catalogInfo,
    catalog,
    /** Pushes are refused (a pre-receive hook), or accepted again. */
    refusePushes(refuse: boolean) {
      const hook = path.join(infra, 'hooks', 'pre-receive');
      if (refuse)
        fs.writeFileSync(hook, '#!/bin/sh\nexit 1\n', { mode: 0o755 });
      else fs.rmSync(hook, { force: true });
    },
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** The backend's dry evaluation of `delete` for an archived Resource: every gate passes. */
export function deleteGates(entityRef: string): LifecycleGatesAnswer {
  return {
    entityRef,
    from: 'archived',
    transition: 'delete',
    to: 'deleted',
    allowed: [],
    decision: 'needs-approval',
    gates: [{ gate: 'G-X1', title: '', status: 'pass', message: 'ok' }],
    evaluation: {
      decision: 'needs-approval',
      errors: [],
      approvalTriggers: [
        { id: 'destructive', reasons: ['delete of a tier 2 resource'] },
      ],
    },
  } as unknown as LifecycleGatesAnswer;
}

/**
 * T5 for a delete: preview (the destroy plan and its digest), the approval of that digest (the
 * approve step plus an approver's decision), then goldenpath:lifecycle with preview's digest.
 */
const keyOf = (name: string) => `lifecycle:resource:default/${name}:delete`;
const FINGERPRINT = `sha256:${'7'.repeat(64)}`;
const REASON = 'The cart rewrite keeps carts in the session store.';

/** The fingerprint of the request to delete the Resource `name` (what its lifecycle step records). */
export function deleteFingerprint(name: string): string {
  return withLifecycleRequest({
    entityRef: `resource:default/${name}`,
    transition: 'delete',
    reason: REASON,
  }).fingerprint;
}

export function deleteFlow(p: {
  world: Awaited<ReturnType<typeof infraWorld>>;
  /** What preview plans with; `lifecycleProvisioner` (default the same) what lifecycle uses. */
  provisioner: DatabaseProvisioner;
  lifecycleProvisioner?: DatabaseProvisioner;
  /** What the change ledger answers a batch (default nothing, as a writer that only resolves). */
  changesAnswer?: (items: DatabaseInfraChange[]) => unknown;
}) {
  const { world } = p;
  const ledger = fakeLedger();
  ledger.ledger.lifecycleGates = async query => {
    ledger.calls.push({ op: 'gates', key: query.entityRef });
    return deleteGates(query.entityRef);
  };
  const approvals = approvalsByDigest(ledger.ledger);
  // the request's row as the backend answers it: the digest its approvals left recorded
  ledger.ledger.getRequest = async key => {
    ledger.calls.push({ op: 'get', key });
    const planDigest = approvals.requestDigest();
    return {
      requestKey: key,
      fingerprint: FINGERPRINT,
      templateRef: 'template:default/lifecycle-transition',
      templateVersion: '1.0.0',
      kind: 'lifecycle',
      status: 'failed',
      createdBy: 'user:default/ana.ruiz',
      createdAt: '2026-11-23T10:00:00.000Z',
      updatedAt: '2026-11-23T10:00:00.000Z',
      attempts: 1,
      ...(planDigest ? { planDigest } : {}),
    };
  };
  const { auditor, events } = recordingAuditor();
  const changes: DatabaseInfraChange[] = [];
  const config = new ConfigReader({
    goldenPaths: {
      publish: { local: { root: world.root, infraRepo: 'platform-infra' } },
    },
  });
  const auth = mockServices.auth();
  const preview = createGoldenPathPreviewAction({
    config,
    ledger: ledger.ledger,
    auditor,
    catalog: world.catalog,
    auth,
    provisioner: p.provisioner,
  });
  const approve = createGoldenPathApproveAction({
    config,
    ledger: ledger.ledger,
    catalog: world.catalog,
    auth,
    auditor,
    pollMs: 5,
  });
  const lifecycle = createGoldenPathLifecycleAction({
    config,
    ledger: ledger.ledger,
    catalog: world.catalog,
    auth,
    permissions: permissionsAnswering('ALLOW').permissions,
    auditor,
    provisioner: p.lifecycleProvisioner ?? p.provisioner,
    changes: {
      writeChanges: async items => {
        changes.push(...items);
        return p.changesAnswer?.(items);
      },
    },
    pollMs: 5,
    waitSeconds: 2,
  });
  const reason = REASON;

  return {
    ledger,
    approvals,
    events,
    changes,
    /** goldenpath:preview of deleting `name`: its outputs. */
    async preview(
      name: string,
      o: { isDryRun?: boolean; taskId?: string } = {},
    ) {
      const { c } = actionContext(
        {
          kind: 'lifecycle',
          request: {
            kind: 'lifecycle',
            entity: `resource:default/${name}`,
            transition: 'delete',
            reason,
          },
          requestKey: keyOf(name),
          fingerprint: FINGERPRINT,
          templateRef: 'template:default/lifecycle-transition',
          templateVersion: '1.0.0',
          policyVersion: '2026.11.0',
          approvalTriggers: [],
          names: { entityRef: `resource:default/${name}` },
          publishMode: 'local',
        },
        o,
      );
      await preview.handler(c);
      return {
        plan: outputOf(c, 'plan'),
        planDigest: outputOf(c, 'planDigest') as string,
        approvalTriggers: outputOf(c, 'approvalTriggers'),
        markdown: outputOf(c, 'markdown') as string,
      };
    },
    /** `ledger:open` resumes the request from now on (same key and fingerprint, not succeeded). */
    resumes() {
      const open = ledger.ledger.openRequest.bind(ledger.ledger);
      ledger.ledger.openRequest = async (key, body) => {
        const r = await open(key, body);
        return isRefusal(r) ? r : { ...r, mode: 'resume' };
      };
    },
    /** T5's approve step with preview's outputs for `name` (waits for nothing); its context. */
    async approve(
      name: string,
      shown: { planDigest: string; approvalTriggers: unknown; plan: unknown },
      o: { mode?: 'create' | 'resume'; taskId?: string } = {},
    ) {
      const { c } = actionContext(
        {
          requestKey: keyOf(name),
          planDigest: shown.planDigest,
          triggers: shown.approvalTriggers,
          plan: shown.plan,
          mode: o.mode ?? 'create',
          waitMinutes: 0,
        },
        o,
      );
      c.step = { id: 'approve' };
      await approve.handler(c);
      return c;
    },
    /** goldenpath:lifecycle `delete` of `name`, bound to `planDigest`; returns its context. */
    async lifecycle(
      name: string,
      planDigest: string | undefined,
      o: {
        isDryRun?: boolean;
        taskId?: string;
        mode?: 'create' | 'resume';
        /** How the caller spells the Resource's ref (default `resource:default/<name>`). */
        entityRef?: string;
      } = {},
    ) {
      const { c } = actionContext(
        {
          // the request validate checked, of the Resource's canonical ref
          ...withLifecycleRequest({
            requestKey: keyOf(name),
            entityRef: `resource:default/${name}`,
            transition: 'delete',
            reason,
            mode: o.mode ?? 'create',
            ...(planDigest ? { planDigest } : {}),
          }),
          ...(o.entityRef ? { entityRef: o.entityRef } : {}),
        },
        o,
      );
      c.step = { id: 'lifecycle' };
      await lifecycle.handler(c);
      return c;
    },
    /** The ids of the steps the ledger recorded done, in order. */
    doneSteps: () =>
      ledger.calls
        .filter(x => x.op === 'complete' && (x.body as any).status === 'done')
        .map(x => (x.body as { stepId: string }).stepId),
    claims: () => ledger.calls.filter(x => x.op === 'claim'),
  };
}
