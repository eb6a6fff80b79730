import { stringifyEntityRef } from '@backstage/catalog-model';

/**
 * The ref the scaffolder gives the template of every dry run (`POST /v2/dry-run`), whatever
 * template it runs: the template body comes with the request, not from the catalog.
 */
export const DRY_RUN_TEMPLATE_REF = 'template:default/dry-run';

/**
 * The ref of the template a task runs. A real run's `templateInfo.entityRef` is the catalog ref.
 * A dry run's is always `template:default/dry-run`, so the ref is taken from the template's own
 * metadata (`templateInfo.entity.metadata`, the body the dry run was given): with `dry-run` the
 * request key and fingerprint (both hash the template ref, §4.2) would differ from the real run's
 * (V17), and no switch of the template (GP-K01) would ever show in the operator's no-op proof.
 */
export function templateRefOf(ctx: {
  isDryRun?: boolean;
  templateInfo?: {
    entityRef?: string;
    entity?: { metadata?: { name?: string; namespace?: string } };
  };
}): string | undefined {
  const info = ctx.templateInfo;
  const ref = info?.entityRef;
  const name = info?.entity?.metadata?.name;
  const dryRun = ctx.isDryRun === true || ref === DRY_RUN_TEMPLATE_REF;
  if (dryRun && name) {
    return stringifyEntityRef({
      kind: 'template',
      namespace: info?.entity?.metadata?.namespace || 'default',
      name,
    });
  }
  return ref;
}
