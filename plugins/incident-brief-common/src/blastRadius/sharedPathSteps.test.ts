import { buildDemoIndex } from '../__fixtures__/buildDemoIndex';
import { T } from '../__fixtures__/demoCatalog';
import {
  WIRE_FORM_CASES,
  withFirstRestricted,
} from '../__fixtures__/wireFormCases';
import { catalog, component } from '../__fixtures__/syntheticCatalog';
import { buildGraphIndex } from '../graph/buildGraphIndex';
import { computeBlastRadius } from './computeBlastRadius';
import {
  expandPathSteps,
  hasSharedPathSteps,
  sharePathSteps,
} from './sharedPathSteps';
import { BlastRadiusOptions } from './types';

const answer = (
  index: ReturnType<typeof buildDemoIndex>,
  root: string,
  options: BlastRadiusOptions = {},
) => computeBlastRadius(index, [root], options, T, { examinedEdges: false });

/** A shared database: `fan` services need it, and `fan` callers need each of them. */
function sharedDatabase(fan: number) {
  const services = Array.from({ length: fan }, (_, i) =>
    component(`svc-${i}`, { dependsOn: ['resource:db'] }),
  );
  const callers = Array.from({ length: fan * fan }, (_, i) =>
    component(`caller-${i}`, {
      dependsOn: [`component:svc-${Math.floor(i / fan)}`],
    }),
  );
  const db = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'db', namespace: 'default' },
    spec: { type: 'database', owner: 'group:default/team' },
  };
  return buildGraphIndex({
    entities: catalog(db, ...services, ...callers),
    observedEdges: [],
    asOf: { catalog: T, observedEdges: T },
  });
}

describe('sharePathSteps / expandPathSteps (the wire form paths=shared)', () => {
  const demo = buildDemoIndex();

  it.each(WIRE_FORM_CASES)(
    '%s %j: expands to the same answer',
    (root, options) => {
      const inline = answer(demo, root, options);
      const shared = sharePathSteps(inline);
      expect(inline.impacted.some(i => i.path.length > 1)).toBe(true);
      const wire = JSON.parse(JSON.stringify(shared));
      expect(
        wire.impacted.every((i: { path: unknown[] }) =>
          i.path.every(n => typeof n === 'number'),
        ),
      ).toBe(true);
      expect(expandPathSteps(wire)).toEqual(inline);
    },
  );

  it('sends each step of a shared service once', () => {
    const inline = answer(sharedDatabase(6), 'resource:default/db');
    // 6 services at hop 1, 36 callers at hop 2 whose paths repeat the 6 hop-1 steps
    expect(inline.counts.total).toBe(42);
    const shared = sharePathSteps(inline);
    expect(shared.pathSteps).toHaveLength(42);
    expect(new Set(shared.pathSteps.map(s => `${s.from} ${s.to}`)).size).toBe(
      42,
    );
    expect(JSON.stringify(shared).length).toBeLessThan(
      JSON.stringify(inline).length,
    );
  });

  it('keeps whatever else an entry carries (restricted entries)', () => {
    const restricted = withFirstRestricted(
      answer(demo, 'resource:default/inventory-db'),
    );
    expect(expandPathSteps(sharePathSteps(restricted))).toEqual(restricted);
  });

  it.each<[string, unknown]>([
    ['past the end', 'end'],
    ['negative', -1],
    ['not an integer', 0.5],
    ['a property name', 'length'],
  ])(
    'refuses an answer whose path names a step it does not carry (%s)',
    (_case, bad) => {
      const shared = sharePathSteps(
        answer(demo, 'resource:default/inventory-db'),
      );
      shared.impacted[1].path = [
        (bad === 'end' ? shared.pathSteps.length : bad) as number,
      ];
      expect(() => expandPathSteps(shared)).toThrow(
        /malformed blast-radius answer: a path names step .+, pathSteps holds \d+/,
      );
    },
  );

  it('tells the wire form from the inline one', () => {
    const inline = answer(demo, 'resource:default/inventory-db');
    expect(hasSharedPathSteps(inline)).toBe(false);
    expect(hasSharedPathSteps(sharePathSteps(inline))).toBe(true);
    const { pathSteps: _gone, ...noSteps } = sharePathSteps(inline);
    expect(() => expandPathSteps(noSteps as any)).toThrow(
      'malformed blast-radius answer: pathSteps is not a list',
    );
  });
});
