import type { Entity } from '@backstage/catalog-model';
import {
  focusClientOf,
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
});
