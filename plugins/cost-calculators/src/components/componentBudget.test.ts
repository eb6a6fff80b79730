import type { Entity } from '@backstage/catalog-model';
import {
  focusClientOf,
  mergeSmallestClients,
  nameClientRows,
  normalizeEntityRef,
} from './componentBudget';

function component(namespace: string, name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace },
  };
}

describe('componentBudget', () => {
  it('normalizes entity refs however they are spelled', () => {
    expect(normalizeEntityRef('Component:Team-A/Web')).toBe(
      'component:team-a/web',
    );
    expect(normalizeEntityRef(component('team-a', 'Web'))).toBe(
      'component:team-a/web',
    );
  });

  it.each([
    {
      case: 'distinct names stay short',
      counted: [
        { ref: 'component:default/web', name: 'web' },
        { ref: 'component:default/worker', name: 'worker' },
      ],
      expected: {
        'component:default/web': 'web',
        'component:default/worker': 'worker',
      },
    },
    {
      case: 'one name in two namespaces becomes each full ref',
      counted: [
        { ref: 'component:team-a/web', name: 'web' },
        { ref: 'component:team-b/Web', name: 'Web' },
        { ref: 'component:team-a/worker', name: 'worker' },
      ],
      expected: {
        'component:team-a/web': 'component:team-a/web',
        'component:team-b/web': 'component:team-b/web',
        'component:team-a/worker': 'worker',
      },
    },
  ])('names client rows: $case', ({ counted, expected }) => {
    expect(nameClientRows(counted)).toEqual(expected);
  });

  it("finds a Component's own row by its ref, never another namespace's of the same name", () => {
    const rows = { 'component:team-a/web': 'web' };
    expect(focusClientOf(component('team-a', 'web'), rows)).toEqual({
      label: 'web',
      row: 'web',
    });
    expect(focusClientOf(component('team-b', 'web'), rows)).toEqual({
      label: 'web',
      row: null,
    });
  });

  describe('mergeSmallestClients (C10: 0–50 client rows)', () => {
    const client = (i: number, maxInstances: number, poolSize: number) => ({
      ref: `component:default/c-${i}`,
      row: { name: `c-${i}`, maxInstances, poolSize, rolloutSurgePercent: 0 },
    });

    it('keeps 50 rows as they are', () => {
      const counted = Array.from({ length: 50 }, (_, i) => client(i, 1, 1));
      expect(mergeSmallestClients(counted)).toEqual({
        rows: counted,
        merged: [],
        mergedConnections: 0,
      });
    });

    it('sums the rest at their rollout peak, as pool-sized instances past 10,000 connections', () => {
      // c-0 … c-48 are the largest; c-49 … c-59 open 1,000 × 3 at peak (surge 50 %) each
      const counted = Array.from({ length: 60 }, (_, i) =>
        i < 49
          ? client(i, 10_000, 1000)
          : {
              ...client(i, 1000, 3),
              row: { ...client(i, 1000, 3).row, rolloutSurgePercent: 50 },
            },
      );
      const { rows, merged, mergedConnections } = mergeSmallestClients(counted);
      expect(rows).toHaveLength(50);
      expect(rows.slice(0, 49).map(r => r.row.name)).toEqual(
        counted.slice(0, 49).map(c => c.row.name),
      );
      expect(merged).toEqual(counted.slice(49).map(c => c.ref));
      // 11 × 1,500 × 3 = 49,500: pool 5 × 9,900 instances
      expect(mergedConnections).toBe(49_500);
      expect(rows[49]).toEqual({
        ref: null,
        row: {
          name: 'other clients (11)',
          maxInstances: 9_900,
          poolSize: 5,
          rolloutSurgePercent: 0,
        },
      });
    });

    it("says a summed Component's row is not its own share", () => {
      const rows = { 'component:default/c-55': 'other clients (11)' };
      expect(focusClientOf(component('default', 'c-55'), rows)).toEqual({
        label: 'c-55',
        row: 'other clients (11)',
        merged: true,
      });
    });
  });
});
