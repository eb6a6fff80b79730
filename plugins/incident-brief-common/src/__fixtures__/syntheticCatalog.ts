import { Entity } from '@backstage/catalog-model';
import { emitRelations } from './emitRelations';

/** Test helper: a minimal Component for synthetic graphs. */
export function component(
  name: string,
  spec: {
    dependsOn?: string[];
    dependencyOf?: string[];
    consumesApis?: string[];
    providesApis?: string[];
    system?: string;
    tier?: string;
    lifecycle?: string;
    aliases?: string;
  } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      labels: spec.tier ? { 'ops.example.com/tier': spec.tier } : {},
      annotations: spec.aliases
        ? { 'ops.example.com/aliases': spec.aliases }
        : {},
    },
    spec: {
      type: 'service',
      owner: 'group:default/team',
      lifecycle: spec.lifecycle ?? 'production',
      ...(spec.system ? { system: spec.system } : {}),
      ...(spec.dependsOn ? { dependsOn: spec.dependsOn } : {}),
      ...(spec.dependencyOf ? { dependencyOf: spec.dependencyOf } : {}),
      ...(spec.consumesApis ? { consumesApis: spec.consumesApis } : {}),
      ...(spec.providesApis ? { providesApis: spec.providesApis } : {}),
    },
  };
}

/** Test helper: an API entity. */
export function api(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'openapi',
      owner: 'group:default/team',
      lifecycle: 'production',
      definition: '',
    },
  };
}

/** Entities with catalog-style relations. */
export const catalog = (...entities: Entity[]) => emitRelations(entities);
