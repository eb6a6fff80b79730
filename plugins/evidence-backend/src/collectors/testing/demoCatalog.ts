import fs from 'node:fs';
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { parseAllDocuments } from 'yaml';
import { CollectorEntity, toCollectorEntity } from '../catalogEntities';

/** `catalog/demo` at the repository root (incident-brief §7). */
export const DEMO_CATALOG_DIR = resolvePackagePath(
  '@internal/plugin-evidence-backend',
  '../../catalog/demo',
);

/** The demo catalog's entities as collectors see them, read from the YAML files. */
export function loadDemoCatalogEntities(): CollectorEntity[] {
  const entities: CollectorEntity[] = [];
  for (const file of fs.readdirSync(DEMO_CATALOG_DIR).sort()) {
    if (!file.endsWith('.yaml') || file === 'all.yaml') continue;
    const text = fs.readFileSync(path.join(DEMO_CATALOG_DIR, file), 'utf8');
    for (const doc of parseAllDocuments(text)) {
      if (!('toJS' in doc)) continue;
      const entity = doc.toJS() as Entity | null;
      if (!entity?.kind || !entity.metadata?.name) continue;
      const e = toCollectorEntity(entity);
      if (e) entities.push(e);
    }
  }
  return entities;
}
