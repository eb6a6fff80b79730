import fs from 'node:fs';
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { parseEntityYaml } from '@backstage/plugin-catalog-node';

/** The repository's `templates/` folder. */
export const TEMPLATES_DIR = resolvePackagePath(
  '@internal/plugin-scaffolder-backend-module-golden-paths',
  '../../templates',
);

/**
 * The runbook stub's path in the service and worker skeletons: it renders to `docs/runbook.md`
 * for `runbook: generate-stub` and to `/runbook.md` otherwise, which `fetch:template` skips.
 */
export const RUNBOOK_STUB =
  "{% if values.request.runbook == 'generate-stub' %}docs{% endif %}/runbook.md";

/** Parses a template file of `templates/` with the catalog's own YAML reader. */
export function loadTemplate(relativePath: string): Entity {
  const file = path.join(TEMPLATES_DIR, relativePath);
  const results = [
    ...parseEntityYaml(fs.readFileSync(file), {
      type: 'file',
      target: file,
    }),
  ];
  const entity = results.find(r => r.type === 'entity');
  if (!entity || entity.type !== 'entity') {
    throw new Error(`no entity in ${file}: ${JSON.stringify(results)}`);
  }
  return entity.entity;
}

/**
 * The parameter properties of a template that can hold a value, i.e. what validate checks as the
 * request: every page's properties except the display-only ones (`type: 'null'`, such as the
 * GoldenPathAvailability field), which hold no request value. `${{ parameters }}` may still carry
 * them (as `null`, when an app renders rjsf's own null field); validate drops them before its
 * strict parse.
 */
export function requestProperties(spec: any): Record<string, any> {
  const pages = Array.isArray(spec.parameters)
    ? spec.parameters
    : [spec.parameters];
  const out: Record<string, any> = {};
  for (const page of pages)
    for (const [name, schema] of Object.entries<any>(page.properties ?? {}))
      if (schema?.type !== 'null') out[name] = schema;
  return out;
}
