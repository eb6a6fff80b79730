import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Posting ledger changes, facts, CI runs and edges (§3.2).
 *
 * @public
 */
export const evidenceIngestPermission = createPermission({
  name: 'evidence.ingest',
  attributes: { action: 'create' },
});

/**
 * Reading evidence, the ledger and observed edges (§5.1).
 *
 * @public
 */
export const evidenceReadPermission = createPermission({
  name: 'evidence.read',
  attributes: { action: 'read' },
});

/**
 * Running collectors on demand and reseeding or purging demo data (§5.1).
 *
 * @public
 */
export const evidenceAdminPermission = createPermission({
  name: 'evidence.admin',
  attributes: {},
});

/**
 * Every permission the evidence plugin defines, for the permission integration router.
 *
 * @public
 */
export const evidencePermissions = [
  evidenceIngestPermission,
  evidenceReadPermission,
  evidenceAdminPermission,
];
