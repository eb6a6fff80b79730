import { Entity } from '@backstage/catalog-model';

/** One `metadata.links` entry as the brief reads it. */
export interface EntityLink {
  type: string;
  url: string;
}

/**
 * The string at `key` of a metadata map, else undefined. Entities reach this package before (or
 * without) the catalog's schema validation, so a YAML `tier: 1` arrives as a number and a map as
 * anything: a value that is not a string is absent, a readiness gap rather than a throw (R26).
 * An own-property lookup, so a key never reads from `Object.prototype`.
 */
function stringAt(map: unknown, key: string): string | undefined {
  if (typeof map !== 'object' || map === null || !Object.hasOwn(map, key)) {
    return undefined;
  }
  const value: unknown = (map as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

/** An annotation of the entity when it is a string; absent or any other type → undefined. */
export function readAnnotation(
  entity: Entity | undefined,
  key: string,
): string | undefined {
  return stringAt(entity?.metadata.annotations, key);
}

/** A label of the entity when it is a string; absent or any other type → undefined. */
export function readLabel(
  entity: Entity | undefined,
  key: string,
): string | undefined {
  return stringAt(entity?.metadata.labels, key);
}

/**
 * The entity's links with a string `type` and `url`, in declared order. `metadata.links` that is
 * not a list is no links; an entry of another shape is skipped and the rest are still read.
 */
export function readLinks(entity: Entity | undefined): EntityLink[] {
  const links: unknown = entity?.metadata.links;
  if (!Array.isArray(links)) return [];
  return links.flatMap((l: unknown) => {
    const type = stringAt(l, 'type');
    const url = stringAt(l, 'url');
    return type !== undefined && url !== undefined ? [{ type, url }] : [];
  });
}

/**
 * The entity's display title: `metadata.title` when it is a string with something to read, else
 * its name. A title of only spaces or invisible format characters (`""`, `" "`, a zero-width
 * space) would leave the brief's heading, the tab and the cards' sentences naming nothing
 * ("Incident brief: ").
 */
export function readTitle(entity: Entity): string {
  const title: unknown = entity.metadata.title;
  return typeof title === 'string' && title.replace(/[\s\p{Cf}]/gu, '')
    ? title
    : entity.metadata.name;
}
