import { Entity } from '@backstage/catalog-model';
import { OPS_ANNOTATION_PREFIX } from '@internal/plugin-incident-brief-common';
import { canonicalJson } from '../model/canonicalJson';

const STAMPED = new Set([
  `${OPS_ANNOTATION_PREFIX}maturity-level`,
  `${OPS_ANNOTATION_PREFIX}scorecard-score`,
  `${OPS_ANNOTATION_PREFIX}scorecard-standard`,
]);

/**
 * A stable hash of what the entity declares (spec, metadata, relations), ignoring catalog
 * bookkeeping and our own stamps, to tell `entity-changed` transitions apart (§2.10).
 */
export function hashEntity(entity: Entity): string {
  const {
    uid: _uid,
    etag: _etag,
    labels,
    annotations,
    ...metadata
  } = entity.metadata as Entity['metadata'] & {
    uid?: string;
    etag?: string;
  };
  const strip = (record: Record<string, string> | undefined) =>
    record
      ? Object.fromEntries(
          Object.entries(record).filter(([k]) => !STAMPED.has(k)),
        )
      : undefined;
  const text = canonicalJson({
    kind: entity.kind,
    metadata: {
      ...metadata,
      labels: strip(labels),
      annotations: strip(annotations),
    },
    spec: entity.spec,
  });
  // FNV-1a, two 32-bit lanes: no crypto dependency, same in browser and Node.
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return (
    (h1 >>> 0).toString(16).padStart(8, '0') +
    (h2 >>> 0).toString(16).padStart(8, '0')
  );
}
