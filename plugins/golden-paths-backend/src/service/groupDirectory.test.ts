import type { Entity } from '@backstage/catalog-model';
import { CatalogView } from '@internal/plugin-golden-paths-common';
import { refKey } from '../refKey';
import { isMember, memberGroups } from './groupDirectory';

const entity = (
  kind: string,
  name: string,
  spec: NonNullable<Entity['spec']> = {},
  relations: { type: string; targetRef: string }[] = [],
  namespace?: string,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec,
  relations,
});

/**
 * Every ref for which `isMember` could hold (a group has members only when it is an entity's ref
 * or named by a memberOf, parent, children or relation) and some that name nothing, in the
 * spellings routes may use.
 */
function candidates(view: CatalogView): string[] {
  const refs = new Set<string>([
    'group:default/nowhere',
    'platform-team',
    'group:platform-team',
  ]);
  for (const e of view.entities) {
    const ref = `${e.kind}:${e.metadata.namespace ?? 'default'}/${
      e.metadata.name
    }`;
    refs.add(ref);
    refs.add(ref.toLocaleUpperCase('en-US'));
    for (const field of ['members', 'memberOf', 'children', 'parent']) {
      const raw = (e.spec as Record<string, unknown>)?.[field];
      for (const v of Array.isArray(raw) ? raw : [raw])
        if (typeof v === 'string') {
          refs.add(v);
          refs.add(`group:default/${v}`);
        }
    }
    for (const r of e.relations ?? []) refs.add(r.targetRef);
  }
  // isMember reads a group as refKey(group): one spelling of each is enough
  return [...new Map([...refs].map(r => [refKey(r), r])).values()];
}

/**
 * Checks that `memberGroups` holds exactly the groups `isMember` says the user is a member of;
 * returns how many memberships it found (that the catalog exercised something).
 */
function sameAsIsMember(entities: Entity[], users: string[]): number {
  let found = 0;
  const view = new CatalogView(entities);
  // `members()` depends on its group only: each group's is read once for all the users
  const read = new Map<string, string[]>();
  const checked: CatalogView = Object.assign(Object.create(view), {
    members: (g: string) => {
      if (!read.has(g)) read.set(g, view.members(g));
      return read.get(g)!;
    },
  });
  for (const user of users) {
    const groups = memberGroups(view, user);
    found += groups.length;
    const byIsMember = candidates(view).filter(g => isMember(checked, g, user));
    // complete: every group isMember names is there (in refKey form) …
    expect({
      user,
      missing: byIsMember.filter(g => !groups.includes(refKey(g))),
    }).toEqual({ user, missing: [] });
    // … and sound: each one listed is a group isMember names
    expect({
      user,
      extra: groups.filter(g => !isMember(checked, g, user)),
    }).toEqual({ user, extra: [] });
  }
  return found;
}

describe('memberGroups', () => {
  it('names the groups listing the user and, up from them, their parents', () => {
    const view = new CatalogView([
      entity('Group', 'eng', { children: ['platform-team'] }),
      entity('Group', 'platform-team', { members: ['fatima.haddad'] }),
      entity('Group', 'sre', { parent: 'platform-team' }, [
        { type: 'hasMember', targetRef: 'user:default/Olga' },
      ]),
      entity('Group', 'security-team', { members: ['sam.okafor'] }),
      entity('User', 'Olga', { memberOf: ['guild'] }),
    ]);
    expect(memberGroups(view, 'user:default/fatima.haddad')).toEqual([
      'group:default/eng',
      'group:default/platform-team',
    ]);
    // a ref with capitals, a relation, a memberOf naming a group no entity describes
    expect(memberGroups(view, 'user:default/OLGA')).toEqual([
      'group:default/eng',
      'group:default/guild',
      'group:default/platform-team',
      'group:default/sre',
    ]);
    expect(memberGroups(view, 'user:default/nobody')).toEqual([]);
  });

  it('is isMember over a catalog of every way to name a member or a child group', () => {
    const found = sameAsIsMember(
      [
        // spec.members, spec.children, a child naming its parent, a parentOf relation
        entity('Group', 'root', { children: ['Mid'] }),
        entity('Group', 'mid', { members: ['user:default/Ana.Ruiz'] }),
        entity('Group', 'leaf', { parent: 'group:default/MID' }),
        entity('Group', 'side', {}, [
          { type: 'parentOf', targetRef: 'group:default/Leaf' },
          { type: 'hasMember', targetRef: 'User:default/Ivy' },
        ]),
        // memberOf of a user, also of a group no entity describes, in another namespace
        entity('User', 'ben', { memberOf: ['leaf', 'group:ops/ghost'] }),
        entity('Group', 'ghost-parent', { children: ['group:ops/ghost'] }),
        // a group in another namespace; a parent that does not exist
        entity(
          'Group',
          'infra',
          { parent: 'dangling', members: 'carl' },
          [],
          'ops',
        ),
        entity('User', 'carl', { memberOf: 'group:ops/infra' }, [], 'ops'),
        // a cycle
        entity('Group', 'a', { children: ['b'], members: ['dora'] }),
        entity('Group', 'b', { children: ['a'] }),
        // the same ref twice: membership reads the last one, the scans read both
        entity('Group', 'twice', { members: ['eli'], children: ['a'] }),
        entity('Group', 'twice', { members: ['fay'], parent: 'root' }),
        entity('User', 'eli', { memberOf: ['twice'] }),
        entity('User', 'eli', { memberOf: ['side'] }),
        // kinds that only count where CatalogView counts them
        entity('Component', 'svc', { parent: 'root', members: ['gus'] }),
        entity('Group', 'by-component', { memberOf: ['root'] }),
        entity('System', 'sys', { memberOf: ['root'] }),
        // refs that are no refs, and non-strings
        entity('Group', 'odd', {
          members: ['not a ref!!', 42, null],
          children: [7],
        }),
        entity('User', 'hana', { memberOf: ['not a ref!!', 'odd'] }),
      ],
      [
        'user:default/ana.ruiz',
        'user:default/Ana.Ruiz',
        'user:default/ben',
        'user:ops/carl',
        'user:default/carl',
        'user:default/dora',
        'user:default/eli',
        'user:default/fay',
        'user:default/gus',
        'user:default/hana',
        'user:default/ivy',
        'user:default/nobody',
        'component:default/svc',
      ],
    );
    expect(found).toBeGreaterThan(20);
  });

  it('is isMember over random catalogs', () => {
    // A small deterministic generator (mulberry32), so a failure names a reproducible seed.
    const random = (seed: number) => {
      let state = seed;
      return () => {
        state += 0x6d2b79f5;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    };
    let found = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const next = random(seed);
      const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
      const some = <T>(list: T[], p: number) => list.filter(() => next() < p);
      const groups = Array.from({ length: 12 }, (_, i) => `g${i}`);
      const users = Array.from({ length: 8 }, (_, i) => `u${i}`);
      // refs in the spellings a catalog may use: short, full, capitals; some groups are missing
      const spell = (kind: string, name: string) =>
        pick([
          name,
          `${kind}:default/${name}`,
          `${kind}:default/${name}`.toUpperCase(),
        ]);
      const entities: Entity[] = [];
      for (const g of groups.slice(0, 10)) {
        entities.push(
          entity(
            'Group',
            g,
            {
              members: some(users, 0.15).map(u => spell('user', u)),
              children: some(groups, 0.1).map(c => spell('group', c)),
              ...(next() < 0.3 ? { parent: spell('group', pick(groups)) } : {}),
            },
            [
              ...some(groups, 0.08).map(c => ({
                type: 'parentOf',
                targetRef: `group:default/${c}`,
              })),
              ...some(users, 0.1).map(u => ({
                type: 'hasMember',
                targetRef: `user:default/${u}`,
              })),
            ],
          ),
        );
      }
      for (const u of users.slice(0, 6)) {
        entities.push(
          entity('User', u, {
            memberOf: some(groups, 0.15).map(g => spell('group', g)),
          }),
        );
      }
      // now and then a second entity under a ref already taken
      if (next() < 0.5)
        entities.push(
          entity('Group', pick(groups), { members: [pick(users)] }),
        );
      found += sameAsIsMember(
        entities,
        users.map(u => `user:default/${u}`),
      );
    }
    expect(found).toBeGreaterThan(1000);
  });
});
