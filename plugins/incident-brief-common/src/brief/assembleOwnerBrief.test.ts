import { stringifyEntityRef } from '@backstage/catalog-model';
import { demoBriefInput } from '../__fixtures__/demoBrief';
import { T, at, demoEntities } from '../__fixtures__/demoCatalog';
import { OnCallLookup } from '../ownership/types';
import { assembleBrief, BriefInput } from './assembleBrief';
import { assembleOwnerBrief } from './assembleOwnerBrief';

/** Every demo entity a brief can be assembled for (Users and Groups are not graph nodes). */
const roots = demoEntities()
  .map(e => stringifyEntityRef(e).toLocaleLowerCase('en-US'))
  .filter(ref => {
    try {
      assembleBrief({ ...demoBriefInput(), entityRef: ref });
      return true;
    } catch {
      return false;
    }
  });

const noOnCall: OnCallLookup = () => ({ status: 'none' });
const failing: OnCallLookup = () => ({
  status: 'unavailable',
  reason: 'provider timed out',
});

describe('assembleOwnerBrief: the brief’s owner section without the rest of the brief', () => {
  it('covers components, resources, systems and APIs of the demo', () => {
    const kinds = new Set(roots.map(r => r.split(':')[0]));
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining(['api', 'component', 'resource', 'system']),
    );
  });

  it.each<[string, Partial<BriefInput>]>([
    ['the demo on-call answers', {}],
    ['no on-call anywhere', { onCall: noOnCall }],
    ['every provider failing', { onCall: failing }],
    ['one dependency hop', { dependencyHops: 1 }],
    ['an incident time before now', { at: at(-90), now: T }],
  ])(
    'equals the brief’s owner, owner confidence and header times for every root: %s',
    (_, edit) => {
      for (const entityRef of roots) {
        const input = { ...demoBriefInput(), ...edit, entityRef };
        const brief = assembleBrief(input);
        const owner = assembleOwnerBrief(input);
        expect(owner).toEqual({
          header: {
            title: brief.header.title,
            ref: brief.header.ref,
            generatedAt: brief.header.generatedAt,
            incidentTime: brief.header.incidentTime,
            evaluatedAt: brief.header.evaluatedAt,
          },
          owner: brief.owner,
          confidence: { owner: brief.confidence.owner },
        });
      }
    },
  );

  it('asks only the on-call sources of the root’s owner chain, not those of changes’ owners', () => {
    const asked = (fn: (input: BriefInput) => unknown) => {
      const sources = new Set<string>();
      const input = demoBriefInput();
      fn({
        ...input,
        onCall: source => {
          sources.add(source);
          return input.onCall(source);
        },
      });
      return sources;
    };
    const ownerSources = asked(assembleOwnerBrief);
    const briefSources = asked(assembleBrief);
    expect(ownerSources.size).toBeGreaterThan(0);
    expect([...ownerSources].every(s => briefSources.has(s))).toBe(true);
  });

  it.each([
    ['a root not in the index', 'component:default/nope', /not found/],
    ['an incident time without a zone', undefined, /at/],
  ])('refuses %s as the brief does', (_, entityRef, message) => {
    const input = {
      ...demoBriefInput(),
      ...(entityRef ? { entityRef } : { at: '2026-03-14T02:05:00' }),
    };
    expect(() => assembleBrief(input)).toThrow(message);
    expect(() => assembleOwnerBrief(input)).toThrow(message);
  });
});
