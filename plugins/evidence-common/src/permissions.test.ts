import { isPermission } from '@backstage/plugin-permission-common';
import {
  evidenceAdminPermission,
  evidenceIngestPermission,
  evidencePermissions,
  evidenceReadPermission,
} from './permissions';

describe('evidence permissions (§3.2)', () => {
  it.each([
    [evidenceIngestPermission, 'evidence.ingest', 'create'],
    [evidenceReadPermission, 'evidence.read', 'read'],
    [evidenceAdminPermission, 'evidence.admin', undefined],
  ])('%# is the basic permission %s', (permission, name, action) => {
    expect(permission).toMatchObject({ type: 'basic', name });
    expect(permission.attributes.action).toBe(action);
    expect(isPermission(permission, permission)).toBe(true);
  });

  it('lists all three for the permission integration router', () => {
    expect(evidencePermissions.map(p => p.name)).toEqual([
      'evidence.ingest',
      'evidence.read',
      'evidence.admin',
    ]);
  });
});
