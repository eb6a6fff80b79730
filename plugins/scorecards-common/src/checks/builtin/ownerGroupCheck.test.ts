import { Entity } from '@backstage/catalog-model';
import { baselineWorld, World } from '../../__fixtures__/baselineWorld';
import { evaluateWorld } from '../../__fixtures__/evaluateWorld';
import { compileWith } from '../../__fixtures__/standards';

/** `owner-group-active` (scorecards §4): the owner Group has ≥ 1 User member, directly or in child groups. */

const standard = compileWith();

function team(w: World): Entity {
  return w.others.find(e => e.metadata.name === 'ref-team')!;
}

function childGroup(name: string, members: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', parent: 'group:default/ref-team', members },
  };
}

/** The baseline without its users: ref-team lists ref-a and ref-b, but nobody lists ref-team. */
function withoutUsers(w: World) {
  w.others = w.others.filter(e => e.kind !== 'User');
}

function ownerGroupActive(change: (w: World) => void) {
  const w = baselineWorld();
  change(w);
  return evaluateWorld(w, standard).results.find(
    r => r.checkId === 'owner-group-active',
  )!;
}

describe('owner-group-active counts only members that are Users of the snapshot', () => {
  it.each<[string, (w: World) => void, string, string, string]>([
    ['baseline (ref-a, ref-b)', () => undefined, 'pass', 'PASS', '2 member(s)'],
    [
      'members listed in spec.members but absent from the catalog',
      withoutUsers,
      'fail',
      'NO_MEMBERS',
      '0 member(s)',
    ],
    [
      'a spec.members entry naming a Group',
      w => {
        withoutUsers(w);
        (team(w).spec as Record<string, unknown>).members = [
          'group:default/ref-parent',
        ];
      },
      'fail',
      'NO_MEMBERS',
      '0 member(s)',
    ],
    [
      'one listed member absent, one present',
      w => {
        w.others = w.others.filter(e => e.metadata.name !== 'ref-b');
      },
      'pass',
      'PASS',
      '1 member(s)',
    ],
    [
      'a child group whose only member is absent',
      w => {
        withoutUsers(w);
        w.others.push(childGroup('ref-child', ['user:default/ghost']));
      },
      'fail',
      'NO_MEMBERS',
      '0 member(s)',
    ],
    [
      'a child group with a User of the snapshot (shorthand ref)',
      w => {
        w.others = w.others.filter(e => e.metadata.name !== 'ref-b');
        w.others.find(e => e.metadata.name === 'ref-a')!.spec = {
          memberOf: [],
        };
        (team(w).spec as Record<string, unknown>).members = ['ghost'];
        w.others.push(childGroup('ref-child', ['ref-a']));
      },
      'pass',
      'PASS',
      '1 member(s)',
    ],
  ])('%s', (_label, change, state, reason, found) => {
    expect(ownerGroupActive(change)).toMatchObject({ state, reason, found });
  });
});
