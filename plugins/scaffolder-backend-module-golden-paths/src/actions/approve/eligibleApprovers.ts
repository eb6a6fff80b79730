import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CatalogView,
  eligibleApprovers,
  gpMessages,
} from '@internal/plugin-golden-paths-common';
import { withTimeout } from '../shared/withTimeout';

/** What membership needs of Groups and Users (the backend's group directory reads the same). */
const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'spec',
  'relations',
];

/** How long the catalog may take before GP-A06 fails closed (GP-U01). */
const TIMEOUT_MS = 2000;

/**
 * Who other than the requester may decide for each route group — members directly or via child
 * groups (§6.2 rules 1–2), the rule the backend applies when it opens an approval — from one
 * catalog read of Groups and Users. A route nobody else can decide is its GP-A06 line; a catalog
 * that does not answer is GP-U01 (unknown is not "someone can approve").
 */
export async function eligibleApproversOf(p: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  routes: readonly string[];
  requester: string;
  timeoutMs?: number;
}): Promise<{
  routes: { group: string; approvers: string[] }[];
  errors: string[];
  ruleId?: 'GP-A06' | 'GP-U01';
}> {
  let view: CatalogView;
  try {
    const { items } = await withTimeout(
      p.catalog.getEntities(
        { filter: { kind: ['Group', 'User'] }, fields: FIELDS },
        { credentials: p.credentials },
      ),
      p.timeoutMs ?? TIMEOUT_MS,
    );
    view = new CatalogView(items);
  } catch {
    return {
      routes: [],
      errors: [gpMessages.u01({ rule: 'GP-A06', source: 'the catalog' })],
      ruleId: 'GP-U01',
    };
  }
  const routes = p.routes.map(group => ({
    group,
    ...eligibleApprovers(view, group, p.requester),
  }));
  const errors = routes.flatMap(r => (r.error ? [r.error] : []));
  return {
    routes: routes.map(r => ({ group: r.group, approvers: r.approvers })),
    errors,
    ...(errors.length ? { ruleId: 'GP-A06' as const } : {}),
  };
}
