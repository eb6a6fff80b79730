import { isEntityRef } from '@internal/suite-react';
import { EntityDisplayName } from '@backstage/plugin-catalog-react';
import type { RollupGroupBy } from '../api';

/**
 * The kind a rollup's keys are named without: owners are mostly groups (a user owner reads
 * `user:dara.singh`), and a system or domain row is always of its grouping's kind.
 */
export const DEFAULT_KIND: Record<RollupGroupBy, string> = {
  owner: 'group',
  system: 'system',
  domain: 'domain',
};

/**
 * A rollup row's key as the catalog names the entity (as `EntityRefLink` does elsewhere): its
 * display name or title when the entity presentation knows it, else the short ref
 * (`checkout-team`, `payments/platform-team`, `user:dara.singh`), never the full ref set over
 * four lines. A key that is no ref (`(none)`) is its text. The full ref stays the trend's and
 * the CSV's key; the caller shows it on hover.
 */
export function RollupRowKey(props: {
  rowKey: string;
  groupBy: RollupGroupBy;
}) {
  const { rowKey, groupBy } = props;
  if (!isEntityRef(rowKey)) return <>{rowKey}</>;
  return (
    <EntityDisplayName
      entityRef={rowKey}
      defaultKind={DEFAULT_KIND[groupBy]}
      // the trend button's own title names the full ref; one tooltip, not two
      disableTooltip
      hideIcon
    />
  );
}
