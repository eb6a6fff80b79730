import { Entity } from '@backstage/catalog-model';
import { parseEntityYaml } from '@backstage/plugin-catalog-node';
import fs from 'fs';
import path from 'path';

// test fixture only: reads the repository's demo catalog, never part of a build
// eslint-disable-next-line no-restricted-syntax
const DEMO_DIR = path.resolve(__dirname, '../../../../catalog/demo');
const FILES = [
  'org.yaml',
  'systems.yaml',
  'components.yaml',
  'apis.yaml',
  'resources.yaml',
];

/** The demo catalog of IB §7, read from `catalog/demo/*.yaml` as the catalog would. */
export function demoEntities(): Entity[] {
  const location = { type: 'file', target: DEMO_DIR };
  const out: Entity[] = [];
  for (const file of FILES) {
    const data = fs.readFileSync(path.join(DEMO_DIR, file));
    for (const result of parseEntityYaml(data, location)) {
      if (result.type === 'entity') out.push(result.entity);
    }
  }
  // users carry memberOf relations in the catalog; readiness routes user owners through them
  return out.map(e => withMemberOf(e, out));
}

function withMemberOf(entity: Entity, all: Entity[]): Entity {
  if (entity.kind !== 'User') return entity;
  const groups = all.filter(
    g =>
      g.kind === 'Group' &&
      Array.isArray(g.spec?.members) &&
      (g.spec!.members as string[]).some(
        m =>
          m === entity.metadata.name || m.endsWith(`/${entity.metadata.name}`),
      ),
  );
  return {
    ...entity,
    relations: groups.map(g => ({
      type: 'memberOf',
      targetRef: `group:default/${g.metadata.name}`,
    })),
  };
}

/** The demo entity with this kind and name. */
export function demoEntity(kind: string, name: string): Entity {
  const found = demoEntities().find(
    e => e.kind === kind && e.metadata.name === name,
  );
  if (!found) throw new Error(`no demo ${kind} ${name}`);
  return found;
}
