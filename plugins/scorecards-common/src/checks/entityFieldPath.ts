import { Entity } from '@backstage/catalog-model';
import { z } from 'zod';
import { effectiveLifecycle } from '../catalog/entitySubject';
import { internalize } from '../model/internalize';

/**
 * Reads a field by path: `label:<key>`, `annotation:<key>`, `lifecycle` (effective
 * lifecycle, scorecards §2.1), or a dotted path from the entity root (`spec.owner`).
 */
export function readEntityField(entity: Entity, path: string): unknown {
  if (path.startsWith('label:')) return entity.metadata.labels?.[path.slice(6)];
  if (path.startsWith('annotation:')) {
    return entity.metadata.annotations?.[path.slice(11)];
  }
  if (path === 'lifecycle') return effectiveLifecycle(entity);
  let current: unknown = entity;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/**
 * A field path parameter. Annotations and labels are read by `annotation:<key>` / `label:<key>`:
 * a dotted `metadata.annotations.backstage.io/source-location` splits the key at its dots, so the
 * check would fail every entity (`FIELD_MISSING`) and drop the fleet a level. A key without dots
 * (`metadata.labels.team`) reads as it says and is accepted.
 */
export const entityFieldPathSchema = z.string().superRefine((path, ctx) => {
  for (const [prefix, form] of [
    ['metadata.annotations.', 'annotation'],
    ['metadata.labels.', 'label'],
  ] as const) {
    // Only a key with dots is split (`metadata.labels.team` reads as it says).
    if (path.startsWith(prefix) && path.slice(prefix.length).includes('.')) {
      ctx.addIssue({
        code: 'custom',
        message: `reads ${prefix.slice(
          0,
          -1,
        )} by a dotted path, which splits a key at its dots; write ${form}:${path.slice(
          prefix.length,
        )}`,
      });
    }
  }
});

/** How a field path reads in a message: `label ops.example.com/tier`, `spec.owner`. */
export function describeFieldPath(path: string): string {
  if (path.startsWith('label:')) return `label ${path.slice(6)}`;
  if (path.startsWith('annotation:')) return `annotation ${path.slice(11)}`;
  return path;
}

/** A field reader compiled once at load: the same answers as `readEntityField` for `path`. */
export type EntityFieldReader = (entity: Entity) => unknown;

/** Compiles `readEntityField(entity, path)` for a fixed path (no per-read parsing). */
export function compileEntityField(path: string): EntityFieldReader {
  if (path.startsWith('label:')) {
    const key = internalize(path.slice(6));
    return entity => entity.metadata.labels?.[key];
  }
  if (path.startsWith('annotation:')) {
    const key = internalize(path.slice(11));
    return entity => entity.metadata.annotations?.[key];
  }
  if (path === 'lifecycle') return effectiveLifecycle;
  const segments = path.split('.').map(internalize);
  return entity => {
    let current: unknown = entity;
    for (const segment of segments) {
      if (current === null || typeof current !== 'object') return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
    return current;
  };
}
