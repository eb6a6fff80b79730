import type { RollupEntry } from '@internal/plugin-scorecards-common';
import { ancestorChains, rollupGroupsOf } from './rollupAncestors';

const entry = (
  owner: string | null,
  capabilityOwners: (string | undefined)[],
): RollupEntry =>
  ({
    owner,
    system: null,
    domain: null,
    evaluation: {
      results: capabilityOwners.map(capabilityOwner => ({
        platformCapability: capabilityOwner
          ? { owner: capabilityOwner }
          : undefined,
      })),
    },
  } as unknown as RollupEntry);

describe('rollup ancestors (§2.11 including child groups)', () => {
  it('counts on the owners and on the capability owners of platform blockers, groups only', () => {
    expect([
      ...rollupGroupsOf([
        entry('group:default/ref-team', ['group:default/platform-team']),
        entry('user:default/ana', [undefined]),
        entry(null, []),
      ]),
    ]).toEqual(['group:default/ref-team', 'group:default/platform-team']);
  });

  it('walks spec.parent nearest first and stops at a cycle', () => {
    const parents: Record<string, string> = {
      'group:default/ref-team': 'group:default/commerce',
      'group:default/commerce': 'group:default/engineering',
      'group:default/a': 'group:default/b',
      'group:default/b': 'group:default/a',
    };
    const chains = ancestorChains({ parentOf: g => parents[g] ?? null }, [
      'group:default/ref-team',
      'group:default/a',
      'group:default/engineering',
    ]);
    expect(Object.fromEntries(chains)).toEqual({
      'group:default/ref-team': [
        'group:default/commerce',
        'group:default/engineering',
      ],
      'group:default/a': ['group:default/b'],
      'group:default/engineering': [],
    });
  });
});
