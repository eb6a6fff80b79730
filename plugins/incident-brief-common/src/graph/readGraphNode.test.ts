import { Entity } from '@backstage/catalog-model';
import { readGraphNode, readTier } from './readGraphNode';

const svc = (
  namespace: string | undefined,
  spec: Record<string, unknown>,
  labels: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'svc', ...(namespace ? { namespace } : {}), labels },
  spec: { type: 'service', lifecycle: 'production', ...spec },
});

describe('owner and System refs default to the entity’s own namespace (Backstage semantics)', () => {
  it.each<
    [string, string | undefined, Record<string, unknown>, string, string]
  >([
    [
      'bare names',
      'ns1',
      { owner: 'team', system: 'shop' },
      'group:ns1/team',
      'system:ns1/shop',
    ],
    [
      'kind without namespace',
      'ns1',
      { owner: 'user:ana', system: 'system:shop' },
      'user:ns1/ana',
      'system:ns1/shop',
    ],
    [
      'an explicit namespace wins',
      'ns1',
      { owner: 'group:other/team', system: 'system:default/shop' },
      'group:other/team',
      'system:default/shop',
    ],
    [
      'no namespace on the entity reads as default',
      undefined,
      { owner: 'team', system: 'shop' },
      'group:default/team',
      'system:default/shop',
    ],
  ])('%s', (_name, namespace, spec, owner, system) => {
    expect(readGraphNode(svc(namespace, spec))).toMatchObject({
      ref: `component:${namespace ?? 'default'}/svc`,
      owner,
      system,
    });
  });
});

describe('§2.3 tier labels: only 1, 2 and 3 are tiers', () => {
  it.each([
    ['1', 1],
    [' 2 ', 2],
    ['3', 3],
    ['4', null],
    ['constructor', null],
    ['toString', null],
    ['__proto__', null],
    ['hasOwnProperty', null],
    ['valueOf', null],
  ])('%j → %p', (label, tier) => {
    const entity = svc(
      'default',
      { owner: 'team' },
      {
        'ops.example.com/tier': label,
      },
    );
    expect(readTier(entity)).toBe(tier);
    expect(readGraphNode(entity).tier).toBe(tier);
  });
});
