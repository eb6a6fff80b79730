import type { Entity } from '@backstage/catalog-model';
import {
  EntityScorecardLevelFilter,
  SCORECARD_LEVEL_FIELD,
  SCORECARD_LEVEL_VALUES,
} from './EntityScorecardLevelFilter';

const entity = (level?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-service',
    ...(level ? { labels: { 'ops.example.com/maturity-level': level } } : {}),
  },
});

describe('EntityScorecardLevelFilter', () => {
  it('filters on the stamped label, server side', () => {
    expect(SCORECARD_LEVEL_FIELD).toBe(
      'metadata.labels.ops.example.com/maturity-level',
    );
    const filter = new EntityScorecardLevelFilter(['L1', 'none']);
    expect(filter.getCatalogFilters()).toEqual({
      'metadata.labels.ops.example.com/maturity-level': ['L1', 'none'],
    });
    expect(filter.getCatalogQuery()).toEqual({
      'metadata.labels.ops.example.com/maturity-level': { $in: ['L1', 'none'] },
    });
    expect(new EntityScorecardLevelFilter(['L3']).getCatalogQuery()).toEqual({
      'metadata.labels.ops.example.com/maturity-level': 'L3',
    });
    expect(filter.toQueryValue()).toEqual(['L1', 'none']);
  });

  it('constrains nothing without values', () => {
    const filter = new EntityScorecardLevelFilter([]);
    expect(filter.getCatalogFilters()).toEqual({});
    expect(filter.getCatalogQuery()).toBeUndefined();
    expect(filter.filterEntity(entity())).toBe(true);
  });

  it('matches entities whose label is one of the values; unlabelled entities match no level', () => {
    const filter = new EntityScorecardLevelFilter(['L1', 'not-rated']);
    expect(filter.filterEntity(entity('L1'))).toBe(true);
    expect(filter.filterEntity(entity('not-rated'))).toBe(true);
    expect(filter.filterEntity(entity('L2'))).toBe(false);
    expect(filter.filterEntity(entity())).toBe(false);
  });

  it('offers the levels of the shared scale in ladder order', () => {
    expect(SCORECARD_LEVEL_VALUES).toEqual([
      'L0',
      'L1',
      'L2',
      'L3',
      'none',
      'not-rated',
    ]);
  });
});
