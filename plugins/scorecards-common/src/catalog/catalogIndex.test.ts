import {
  DepthRefMemo,
  catalogMemo,
  indexCatalog,
  withRefreshedAt,
} from './catalogIndex';

describe('DepthRefMemo', () => {
  const catalog = indexCatalog({
    entities: [],
    refreshedAt: '2026-03-14T02:00:00Z',
  });

  it('computes each (depth, ref) once and answers it the same way from its recent answers and its maps', () => {
    const memo = new DepthRefMemo<string>();
    const calls: string[] = [];
    const compute = (_: unknown, ref: string, depth: number) => {
      calls.push(`${ref}@${depth}`);
      return `${ref}@${depth}`;
    };
    // More keys than the recent answers kept, asked twice in two orders.
    const keys: [number, string][] = [];
    for (let depth = 0; depth < 3; depth++)
      for (const ref of [
        'group:default/a',
        'group:default/b',
        'group:default/c',
      ])
        keys.push([depth, ref]);
    // A ref built anew each time: equal text, another string object.
    for (const order of [keys, [...keys].reverse()])
      for (const [depth, ref] of order)
        expect(memo.get(catalog, depth, `${ref}`.slice(0), compute)).toBe(
          `${ref}@${depth}`,
        );
    expect(calls.sort()).toEqual(keys.map(([d, r]) => `${r}@${d}`).sort());
  });
});

describe('withRefreshedAt', () => {
  it('moves the refresh time and shares the lookups and the memo', () => {
    const index = indexCatalog({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'team-a', namespace: 'default' },
          spec: { type: 'team', children: [], parent: 'org' },
        },
      ],
      refreshedAt: '2026-03-14T02:00:00.000Z',
    });
    const again = withRefreshedAt(index, '2026-03-14T02:01:00.000Z');
    expect(again.refreshedAtMs).toBe(Date.parse('2026-03-14T02:01:00.000Z'));
    expect(again.refreshedAt).toBe('2026-03-14T02:01:00.000Z');
    expect(index.refreshedAt).toBe('2026-03-14T02:00:00.000Z');
    expect(again.parentOf('group:default/team-a')).toBe('group:default/org');
    expect(catalogMemo(again)).toBeDefined();
    expect(catalogMemo(again)).toBe(catalogMemo(index));
  });
});
