import { isEntityRef } from '@internal/suite-react';
import { EntityRefLink } from '@backstage/plugin-catalog-react';

/**
 * A ref the API returns (a template, a requester) as the catalog names it, linked to its entity
 * page: `service-node-http` for `template:default/service-node-http`, `ana.ruiz` for a user.
 * A value that is not an entity ref is shown as it is.
 */
export function CatalogRefLink(props: {
  entityRef: string;
  defaultKind: string;
}) {
  const { entityRef, defaultKind } = props;
  if (!isEntityRef(entityRef)) return <>{entityRef}</>;
  return <EntityRefLink entityRef={entityRef} defaultKind={defaultKind} />;
}
