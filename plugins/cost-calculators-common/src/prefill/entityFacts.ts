import { OPS_ANNOTATION_PREFIX } from '@internal/plugin-incident-brief-common';

/** The parts of a catalog entity the cost cards read (structurally compatible with `Entity`). */
export interface EntityLike {
  kind: string;
  metadata: { annotations?: Record<string, string> };
  spec?: { type?: unknown; lifecycle?: unknown };
}

/** Reads `ops.example.com/<key>` from an entity or annotation map. */
export function opsAnnotation(
  annotations: Record<string, string> | undefined,
  key: string,
): string | undefined {
  const value = annotations?.[`${OPS_ANNOTATION_PREFIX}${key}`];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** Environment per §1: the annotation, else lifecycle `production` ⇒ prod, otherwise unknown. */
export function resolveEnvironment(
  entity: EntityLike,
): 'prod' | 'staging' | 'test' | 'dev' | 'unknown' {
  const annotations = entity.metadata.annotations;
  const env = opsAnnotation(annotations, 'environment');
  if (env === 'prod' || env === 'staging' || env === 'test' || env === 'dev')
    return env;
  // Resources carry lifecycle as an annotation; Components in spec.lifecycle.
  const lifecycle =
    entity.kind === 'Resource'
      ? opsAnnotation(annotations, 'lifecycle')
      : entity.spec?.lifecycle;
  return lifecycle === 'production' ? 'prod' : 'unknown';
}
