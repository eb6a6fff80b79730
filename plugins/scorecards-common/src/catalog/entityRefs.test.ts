import { normalizeEntityRef } from './entityRefs';

/** The straightforward form of the rule, kept as the reference the fast one must agree with. */
function reference(
  ref: unknown,
  defaultKind: string,
  defaultNamespace = 'default',
): string | null {
  if (typeof ref !== 'string') return null;
  const trimmed = ref.trim();
  if (!trimmed) return null;
  const colon = trimmed.indexOf(':');
  const kind = colon > 0 ? trimmed.slice(0, colon) : defaultKind;
  const rest = colon > 0 ? trimmed.slice(colon + 1) : trimmed;
  const slash = rest.indexOf('/');
  const namespace = slash >= 0 ? rest.slice(0, slash) : defaultNamespace;
  const name = slash >= 0 ? rest.slice(slash + 1) : rest;
  if (!kind || !namespace || !name || name.includes('/')) return null;
  return `${kind}:${namespace}/${name}`.toLowerCase();
}

describe('normalizeEntityRef', () => {
  it.each([
    ['group:default/ref-team', 'group', 'group:default/ref-team'],
    ['ref-team', 'group', 'group:default/ref-team'],
    ['group:ref-team', 'group', 'group:default/ref-team'],
    ['Component:Other/Svc', 'component', 'component:other/svc'],
    ['other/svc', 'component', 'component:other/svc'],
    [' user:dara.singh ', 'group', 'user:default/dara.singh'],
    ['a/b/c', 'component', null],
    ['group:', 'group', null],
    ['group:/x', 'group', null],
    ['', 'group', null],
  ])('%j (default kind %s) → %j', (ref, kind, expected) => {
    expect(normalizeEntityRef(ref, kind)).toBe(expected);
  });

  it('agrees with the reference form on every short ref over a tricky alphabet', () => {
    const alphabet = ['a', 'B', ':', '/', ' ', 'Ä'];
    const defaults: [string, string][] = [
      ['group', 'default'],
      ['', 'default'],
      ['group', ''],
    ];
    const check = (text: string) => {
      for (const [kind, namespace] of defaults) {
        const got = normalizeEntityRef(text, kind, namespace);
        if (got !== reference(text, kind, namespace))
          throw new Error(`${JSON.stringify(text)} ${kind} ${namespace}`);
      }
    };
    const walk = (text: string, depth: number) => {
      check(text);
      if (depth > 0) for (const c of alphabet) walk(text + c, depth - 1);
    };
    expect(() => walk('', 5)).not.toThrow();
    for (const value of [undefined, null, 1, {}])
      expect(normalizeEntityRef(value, 'group')).toBeNull();
  });
});
