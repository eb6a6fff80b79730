import type { Entity } from '@backstage/catalog-model';
import type {
  DefaultEntityFilters,
  EntityFilter,
} from '@backstage/plugin-catalog-react';
import {
  LEVEL_IDS,
  LevelValue,
  MATURITY_LEVEL_LABEL,
} from '@internal/plugin-scorecards-common';

/** The levels the catalog filter offers, lowest first, then `none` (L0 not met) and `not-rated`. */
export const SCORECARD_LEVEL_VALUES: readonly LevelValue[] = [
  ...LEVEL_IDS,
  'none',
  'not-rated',
];

/** The catalog field of the stamped level label (`metadata.labels.ops.example.com/maturity-level`). */
export const SCORECARD_LEVEL_FIELD = `metadata.labels.${MATURITY_LEVEL_LABEL}`;

type CatalogQuery = ReturnType<NonNullable<EntityFilter['getCatalogQuery']>>;

/**
 * Catalog filter on the maturity level the scorecards processor stamps as the label
 * `ops.example.com/maturity-level` (§7.3, §7.5). It filters server side: `getCatalogQuery`
 * (used by catalog-react 4) and `getCatalogFilters` (older consumers) both constrain the label;
 * `filterEntity` repeats the rule for lists filtered in the browser. Entities without the label
 * (kinds that are never scored, or before the first stamp) match no level.
 */
export class EntityScorecardLevelFilter implements EntityFilter {
  readonly values: string[];

  constructor(values: string[]) {
    this.values = values;
  }

  getCatalogQuery(): CatalogQuery {
    if (this.values.length === 0) return undefined;
    if (this.values.length === 1) {
      return { [SCORECARD_LEVEL_FIELD]: this.values[0] };
    }
    return { [SCORECARD_LEVEL_FIELD]: { $in: this.values } };
  }

  getCatalogFilters(): Record<string, string[]> {
    return this.values.length === 0
      ? {}
      : { [SCORECARD_LEVEL_FIELD]: this.values };
  }

  filterEntity(entity: Entity): boolean {
    if (this.values.length === 0) return true;
    const level = entity.metadata.labels?.[MATURITY_LEVEL_LABEL];
    return level !== undefined && this.values.includes(level);
  }

  toQueryValue(): string[] {
    return this.values;
  }
}

/** The catalog's filters plus the scorecard level, for `useEntityList<ScorecardLevelFilters>()`. */
export type ScorecardLevelFilters = DefaultEntityFilters & {
  scorecardLevel?: EntityScorecardLevelFilter;
};
