import type { Entity } from '@backstage/catalog-model';
import { GP_KEYS } from '../constants';
import { undeprecatedEntity } from './undeprecatedEntity';

const deprecated = (kind: string, spec: Entity['spec']): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: {
    name: 'pricing',
    annotations: {
      [GP_KEYS.retireBy]: '2026-11-01',
      [GP_KEYS.replacedBy]: 'none',
      [GP_KEYS.deprecatedReason]: 'replaced by the pricing API',
      [GP_KEYS.requestKey]: 'service-node-http:pricing',
      ...(kind === 'Component' ? {} : { [GP_KEYS.lifecycle]: 'deprecated' }),
    },
  },
  spec,
});

describe('undeprecatedEntity (§7.1 undeprecate effects)', () => {
  it('puts a Component back in production without its deprecation annotations', () => {
    const entity = deprecated('Component', {
      type: 'service',
      lifecycle: 'deprecated',
    });
    expect(undeprecatedEntity(entity)).toEqual({
      ...entity,
      metadata: {
        name: 'pricing',
        annotations: { [GP_KEYS.requestKey]: 'service-node-http:pricing' },
      },
      spec: { type: 'service', lifecycle: 'production' },
    });
    // the catalog's entity is left as it is
    expect(entity.spec?.lifecycle).toBe('deprecated');
  });

  it('moves the lifecycle annotation of a System, and spec.lifecycle only where it has one', () => {
    const system = undeprecatedEntity(deprecated('System', { owner: 'x' }));
    expect(system.metadata.annotations?.[GP_KEYS.lifecycle]).toBe('production');
    expect(system.spec).toEqual({ owner: 'x' });
    const resource = undeprecatedEntity(
      deprecated('Resource', { type: 'database', lifecycle: 'deprecated' }),
    );
    expect(resource.metadata.annotations?.[GP_KEYS.lifecycle]).toBe(
      'production',
    );
    expect(resource.spec?.lifecycle).toBe('production');
  });
});
