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

/** Environments the `environment` annotation may name (§1). */
export const ENVIRONMENTS = ['prod', 'staging', 'test', 'dev'] as const;

/** An environment, or `unknown` when nothing says which. */
export type Environment = (typeof ENVIRONMENTS)[number] | 'unknown';

/** An entity's environment and where it was read from, for the source chip. */
export interface EnvironmentReading {
  value: Environment;
  /**
   * `environment`: the annotation; `lifecycle`: a Resource's `ops.example.com/lifecycle`
   * annotation; `spec.lifecycle`: another kind's lifecycle; `none`: nothing to go on.
   */
  from: 'environment' | 'lifecycle' | 'spec.lifecycle' | 'none';
  /** The `environment` annotation when present but not one of {@link ENVIRONMENTS}. */
  invalid?: string;
}

/**
 * Environment per §1: the annotation, else lifecycle `production` ⇒ prod,
 * otherwise unknown. An annotation outside the four values falls back the same
 * way, and is returned as `invalid` so the caller can say it was ignored.
 */
export function readEnvironment(entity: EntityLike): EnvironmentReading {
  const annotations = entity.metadata.annotations;
  const env = opsAnnotation(annotations, 'environment');
  if ((ENVIRONMENTS as readonly string[]).includes(env ?? ''))
    return { value: env as Environment, from: 'environment' };
  const invalid = env === undefined ? {} : { invalid: env };
  // Resources carry lifecycle as an annotation; Components in spec.lifecycle.
  const isResource = entity.kind === 'Resource';
  const lifecycle = isResource
    ? opsAnnotation(annotations, 'lifecycle')
    : entity.spec?.lifecycle;
  if (lifecycle === undefined || lifecycle === null || lifecycle === '')
    return { value: 'unknown', from: 'none', ...invalid };
  return {
    value: lifecycle === 'production' ? 'prod' : 'unknown',
    from: isResource ? 'lifecycle' : 'spec.lifecycle',
    ...invalid,
  };
}

/** Environment per §1 (see {@link readEnvironment}). */
export function resolveEnvironment(entity: EntityLike): Environment {
  return readEnvironment(entity).value;
}
