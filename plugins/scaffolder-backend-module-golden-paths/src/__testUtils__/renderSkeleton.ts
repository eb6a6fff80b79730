import fs from 'node:fs';
import path from 'node:path';
import { createTemplateRenderer } from 'nunjitsu';
import { S0 } from '../__fixtures__/world';

/**
 * Renders a skeleton directory as `fetch:template` of @backstage/plugin-scaffolder-backend
 * (templateActionHandler) does, so tests see the files a created repository gets:
 * - every entry, dotfiles included (globby `**\/*` with `dot: true`, symbolic links not followed);
 * - file names are rendered too, and an entry whose rendered path is empty, starts with `/` or
 *   contains `//` is skipped (its `containsSkippedContent`);
 * - contents are rendered with nunjitsu, the engine and options the action uses, against
 *   `{ values }`.
 * Answers rendered path → rendered content, for files only.
 */
export function renderSkeleton(
  skeletonDir: string,
  values: Record<string, unknown>,
): Map<string, string> {
  const renderer = createTemplateRenderer({ allowRegexExecution: true });
  const context = renderer.prepareContext({ values } as any);
  const out = new Map<string, string>();
  for (const file of listFiles(skeletonDir)) {
    const target = renderer.render(file, context);
    if (target === '' || target.startsWith('/') || target.includes('//')) {
      continue;
    }
    const text = fs.readFileSync(path.join(skeletonDir, file), 'utf8');
    out.set(target, renderer.render(text, context));
  }
  return out;
}

function listFiles(dir: string, base = dir): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap(d =>
      d.isDirectory()
        ? listFiles(path.join(dir, d.name), base)
        : [
            path
              .relative(base, path.join(dir, d.name))
              .split(path.sep)
              .join('/'),
          ],
    )
    .sort();
}

/** The values the service template's `skeleton` step hands `fetch:template` (request S0-like). */
export const SERVICE_VALUES = {
  // §10's S0, as the validate action hands it on (its `kind` added)
  request: { kind: 'service', ...S0 },
  requestKey: 'service-node-http:cart-api',
  fingerprint: `sha256:${'0'.repeat(64)}`,
  templateRef: 'template:default/service-node-http',
  templateVersion: '1.0.0',
  entityRef: 'component:default/cart-api',
  codeOwner: '@acme/checkout-team',
  ciWorkflow: 'acme/platform-workflows/.github/workflows/node-service-ci.yaml',
  ciVersion: 'v3.4.1',
  deployWorkflow:
    'acme/platform-workflows/.github/workflows/node-service-deploy.yaml',
  nodeBaseImage: `node:24-slim@sha256:${'a'.repeat(64)}`,
};

const {
  exposure: _exposure,
  sloLatencyP95Ms: _latency,
  ...workerBase
} = SERVICE_VALUES.request;

/** The same for the worker template (a normalized T2 request, §3.2: no exposure, no latency). */
export const WORKER_VALUES = {
  ...SERVICE_VALUES,
  request: {
    ...workerBase,
    kind: 'worker',
    name: 'nightly-sync',
    description: 'Syncs the nightly order export.',
    trigger: 'schedule',
    schedule: '0 * * * *',
    concurrency: 'forbid',
    maxRuntimeMinutes: 30,
  },
  requestKey: 'worker-node:nightly-sync',
  templateRef: 'template:default/worker-node',
  entityRef: 'component:default/nightly-sync',
};
