import type { AuditorService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  DEFAULT_GOLDEN_PATHS_CONFIG,
  gpMessages,
  parseRequest,
  pendingApprovalMessage,
  requestFingerprint,
  type ApprovalTrigger,
} from '@internal/plugin-golden-paths-common';
import type {
  ApprovalStateView,
  GoldenPathsService,
} from '@internal/plugin-golden-paths-node';

// The §10 world of the database vectors (D0, "after V1": cart-api exists), for action tests.

export const T = '2026-11-23T10:00:00Z';

/** `component:default/cart-api` as V1 registers it. */
export const cartApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'cart-api',
    namespace: 'default',
    labels: { 'ops.example.com/tier': '2' },
    annotations: {
      'ops.example.com/regions': 'eu-west-1',
      'ops.example.com/data-classification': 'low',
      'ops.example.com/request-key': 'service-node-http:cart-api',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'experimental',
    owner: 'group:default/checkout-team',
    system: 'system:default/checkout',
  },
};

/** Base database request D0 (§10), as the form sends it. */
export const D0 = {
  name: 'cart-db',
  component: 'component:default/cart-api',
  environment: 'dev',
  databaseTier: 'dev',
  size: 'm',
  storageGiB: 20,
  engineVersion: '16',
  region: 'eu-west-1',
  dataClassification: 'low',
  costCenter: 'CC-1042',
  purpose: 'Cart line items and guest sessions.',
  expiresOn: '2026-12-23',
};

/** V24's delta. */
export const V24 = {
  environment: 'prod',
  databaseTier: 'production-standard',
  size: 'l',
  storageGiB: 100,
  dataClassification: 'critical-pii',
  expiresOn: undefined,
};

/** The normalized request `goldenpath:validate` outputs for D0 plus a delta. */
export function normalized(delta: Record<string, unknown> = {}) {
  const raw = Object.fromEntries(
    Object.entries({ ...D0, ...delta }).filter(([, v]) => v !== undefined),
  );
  const parsed = parseRequest('database', raw, DEFAULT_GOLDEN_PATHS_CONFIG);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.request as unknown as Record<string, unknown>;
}

/** `postgres-database:<name>:<environment>`. */
export const keyOf = (request: Record<string, unknown>) =>
  `postgres-database:${request.name}:${request.environment}`;

export const FP = `sha256:${'d'.repeat(64)}`;

/** The template the database requests come from. */
export const PG_TEMPLATE = 'template:default/postgres-database';

/** The fingerprint `goldenpath:validate` outputs for `request` (what plan/apply/descriptor check). */
export const fingerprintOf = (request: Record<string, unknown>) =>
  requestFingerprint(PG_TEMPLATE, request as any);

/** An auditor that keeps every event (to check that no secret reaches it). */
export function recordingAuditor() {
  const events: unknown[] = [];
  const auditor: AuditorService = {
    createEvent: async event => {
      events.push(event);
      return {
        success: async (o?: unknown) => {
          events.push(o);
        },
        fail: async (o?: unknown) => {
          events.push(o);
        },
      };
    },
  };
  return { auditor, events };
}

/**
 * Approvals bound to a plan digest, like the backend's (§6): one approval per (request, digest);
 * a new digest supersedes the earlier approvals and, when one of them was approved, answers
 * GP-A03 naming the new approval.
 */
export function approvalsByDigest(ledger: GoldenPathsService) {
  const approvals = new Map<
    string,
    { id: string; status: ApprovalStateView['status']; digest: string }
  >();
  const opened: string[] = [];
  let n = 0;
  /** The request row's `planDigest`: the digest of its latest approval left pending or approved. */
  let requestDigest: string | undefined;
  ledger.openApproval = async (_key, input) => {
    let a = approvals.get(input.planDigest);
    let a03: string | undefined;
    if (!a) {
      if (input.triggers.length === 0) return { status: 'not-required' };
      a = { id: `apr_${++n}`, status: 'pending', digest: input.planDigest };
      opened.push(a.id);
      const earlier = [...approvals.values()].filter(
        x => x.status === 'approved' || x.status === 'pending',
      );
      const approved = earlier.find(x => x.status === 'approved');
      for (const x of earlier) x.status = 'superseded';
      approvals.set(input.planDigest, a);
      if (approved) {
        a03 = gpMessages.a03({
          oldDigest: approved.digest,
          newDigest: input.planDigest,
          newId: a.id,
        });
      }
    }
    if (a.status === 'pending' || a.status === 'approved') {
      requestDigest = input.planDigest;
    }
    const routes = [{ group: 'group:default/platform-team' }];
    const base: ApprovalStateView = {
      status: a.status,
      approval: {
        id: a.id,
        planDigest: a.digest,
        routes,
        ...(a.status === 'approved'
          ? {
              decidedAt: T,
              decisions: [
                {
                  approver: 'user:default/fatima.haddad',
                  decidedAt: T,
                  breakGlass: false,
                },
              ],
            }
          : {}),
      },
    };
    if (a.status === 'pending') {
      return {
        ...base,
        ruleId: a03 ? 'GP-A03' : 'GP-A01',
        message:
          a03 ??
          pendingApprovalMessage(
            input.triggers as ApprovalTrigger[],
            a.id,
            DEFAULT_GOLDEN_PATHS_CONFIG,
          ),
      };
    }
    return base;
  };
  return {
    opened,
    /** The approve step opened the approval of `digest` and an approver decided it. */
    approve(digest: string) {
      requestDigest = digest;
      const a = approvals.get(digest);
      if (a) a.status = 'approved';
      else {
        const id = `apr_${++n}`;
        opened.push(id);
        approvals.set(digest, { id, status: 'approved', digest });
      }
    },
    statusOf: (digest: string) => approvals.get(digest)?.status,
    /** What the backend records as the request's `planDigest` (`gp_requests.plan_digest`). */
    requestDigest: () => requestDigest,
  };
}
