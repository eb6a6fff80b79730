import {
  GP_KEYS,
  type DatabaseRequest,
  type DescriptorEntity,
} from '@internal/plugin-golden-paths-common';

const P = 'ops.example.com/';

/** Where a provisioner hosts databases, as the Resource's provider/service annotations say. */
export const HOSTING: Record<string, { provider: string; service: string }> = {
  'github-terraform': { provider: 'aws', service: 'rds' },
  'local-postgres': { provider: 'local', service: 'postgres' },
};

/** Input of {@link buildResourceDescriptor}. */
export interface ResourceDescriptorInput {
  request: DatabaseRequest;
  requestKey: string;
  templateRef: string;
  templateVersion: string;
  /** The owning component's owner (a Group ref) and system: derived, never asked (§3.3). */
  owner: string;
  system?: string;
  /** The owning component's `ops.example.com/tier` label. */
  componentTier?: string;
  /** `local-secret://gp/<resource>/app` or `secretsmanager://gp/<resource>/app`: a reference only. */
  secretRef: string;
  /** Price-book sku of the size (`goldenPaths.database.sizes`). */
  priceBookSku: string;
  /** Provisioner id; decides the provider/service annotations ({@link HOSTING}). */
  provisioner: string;
  /** ISO instant of the request's first claim (provenance, stable across retries). */
  createdAt?: string;
}

/** `<name>-<environment>`. */
export function resourceNameOf(request: {
  name: string;
  environment: string;
}): string {
  return `${request.name}-${request.environment}`;
}

/**
 * The Resource of a database request (golden-paths.md §3.3). Pure and deterministic: the same
 * request always gives the same entity, so a dry run, a real run and a resume write the same
 * file. Resources have no `spec.lifecycle`: the lifecycle is the annotation
 * `ops.example.com/lifecycle`, `production` for prod and `experimental` otherwise (§2.1).
 */
export function buildResourceDescriptor(
  input: ResourceDescriptorInput,
): DescriptorEntity {
  const r = input.request;
  const name = resourceNameOf(r);
  const hosting = HOSTING[input.provisioner] ?? HOSTING['github-terraform'];
  const annotations: Record<string, string> = {
    [GP_KEYS.lifecycle]:
      r.environment === 'prod' ? 'production' : 'experimental',
  };
  if (r.region) annotations[GP_KEYS.regions] = r.region;
  annotations[`${P}aliases`] = name.replace(/-/g, '_');
  annotations[`${P}provider`] = hosting.provider;
  annotations[`${P}service`] = hosting.service;
  annotations[`${P}engine`] = 'postgres';
  annotations[`${P}engine-version`] = r.engineVersion;
  annotations[`${P}environment`] = r.environment;
  annotations[`${P}database-tier`] = r.databaseTier;
  annotations[`${P}price-book-sku`] = input.priceBookSku;
  annotations[`${P}storage-gib`] = String(r.storageGiB);
  if (r.extraReadReplicas > 0) {
    annotations[`${P}extra-read-replicas`] = String(r.extraReadReplicas);
  }
  if (r.dataClassification) {
    annotations[GP_KEYS.dataClassification] = r.dataClassification;
  }
  annotations[GP_KEYS.requestKey] = input.requestKey;
  annotations[GP_KEYS.template] = input.templateRef;
  annotations[GP_KEYS.templateVersion] = input.templateVersion;
  if (input.createdAt) annotations[GP_KEYS.createdAt] = input.createdAt;
  annotations[`${P}secret-ref`] = input.secretRef;
  if (r.costCenter) annotations[GP_KEYS.costCenter] = r.costCenter;
  if (r.expiresOn) annotations[`${P}expires-on`] = r.expiresOn;

  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      description: `PostgreSQL ${r.engineVersion} for ${r.component} (${r.databaseTier})`,
      ...(input.componentTier
        ? { labels: { [GP_KEYS.tier]: input.componentTier } }
        : {}),
      annotations,
      tags: ['golden-path', 'postgres'],
    },
    spec: {
      type: 'database',
      owner: input.owner,
      ...(input.system ? { system: input.system } : {}),
      dependencyOf: [r.component],
    },
  };
}
