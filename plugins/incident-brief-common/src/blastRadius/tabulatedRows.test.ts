import { buildDemoIndex } from '../__fixtures__/buildDemoIndex';
import { T } from '../__fixtures__/demoCatalog';
import {
  WIRE_FORM_CASES,
  withFirstRestricted,
} from '../__fixtures__/wireFormCases';
import { computeBlastRadius } from './computeBlastRadius';
import { sharePathSteps } from './sharedPathSteps';
import {
  IMPACTED_COLUMNS,
  PATH_STEP_COLUMNS,
  hasTabulatedRows,
  tabulateRows,
  untabulateRows,
} from './tabulatedRows';
import { BlastRadiusOptions, ImpactedEntity, PathStep } from './types';

// Compile-time: a field added to ImpactedEntity or PathStep without a column (or a column
// naming no field) makes these `'missing'`, and the assignments stop type-checking.
type Same<A, B> = [Exclude<A, B> | Exclude<B, A>] extends [never]
  ? 'covered'
  : 'missing';
const entityColumnsCover: Same<
  keyof ImpactedEntity | 'restricted',
  (typeof IMPACTED_COLUMNS)[number]
> = 'covered';
const stepColumnsCover: Same<
  keyof PathStep,
  (typeof PATH_STEP_COLUMNS)[number]
> = 'covered';

const demo = buildDemoIndex();
const answer = (root: string, options: BlastRadiusOptions = {}) =>
  computeBlastRadius(demo, [root], options, T, { examinedEdges: false });
const overTheWire = <V>(value: V): V => JSON.parse(JSON.stringify(value));

describe('tabulateRows / untabulateRows (the wire form paths=table)', () => {
  it.each(WIRE_FORM_CASES)(
    '%s %j: reads back as the same answer',
    (root, options) => {
      const inline = answer(root, options);
      const wire = overTheWire(tabulateRows(inline));
      expect(wire.impacted.every(row => Array.isArray(row))).toBe(true);
      expect(wire.pathSteps.every(row => Array.isArray(row))).toBe(true);
      expect(untabulateRows(wire)).toEqual(inline);
    },
  );

  it('has a column for every field of an impacted entity and a path step', () => {
    expect([entityColumnsCover, stepColumnsCover]).toEqual([
      'covered',
      'covered',
    ]);
    // and the demo's answers use the optional ones, so their round trips above cover them
    const steps = [
      answer('resource:default/inventory-db'),
      answer('component:default/checkout-service', {
        direction: 'dependencies',
      }),
      answer('resource:default/order-events'),
    ].flatMap(a => a.impacted.flatMap(i => i.path));
    expect(steps.some(step => step.lastSeen)).toBe(true);
    expect(steps.some(step => step.explainedBy)).toBe(true);
  });

  it('sends the rows in less than three quarters of the shared form', () => {
    const inline = answer('resource:default/inventory-db');
    const rows = ({ impacted, pathSteps }: object & Record<string, unknown>) =>
      JSON.stringify([impacted, pathSteps]).length;
    expect(rows(tabulateRows(inline))).toBeLessThan(
      0.75 * rows(sharePathSteps(inline)),
    );
  });

  it('keeps restricted entries restricted, and leaves the others without the flag', () => {
    const restricted = withFirstRestricted(
      answer('resource:default/inventory-db'),
    );
    const back = untabulateRows(overTheWire(tabulateRows(restricted)));
    expect(back).toEqual(restricted);
    expect(back.impacted[0]).toHaveProperty('restricted', true);
    expect('restricted' in back.impacted[1]).toBe(false);
  });

  it('reads rows by the columns the answer names', () => {
    const inline = answer('resource:default/inventory-db');
    const wire = overTheWire(tabulateRows(inline));
    // a backend that sends the columns in another order, without `restricted`
    const order = [...wire.columns.impacted]
      .filter(c => c !== 'restricted')
      .reverse();
    const reordered = {
      ...wire,
      columns: { ...wire.columns, impacted: order },
      impacted: wire.impacted.map(row =>
        order.map(c => row[wire.columns.impacted.indexOf(c)]),
      ),
    };
    expect(untabulateRows(reordered)).toEqual(inline);
  });

  it('reads only the fields it knows: extra columns, `__proto__` among them, are skipped', () => {
    const inline = answer('resource:default/inventory-db');
    const wire = overTheWire(tabulateRows(inline));
    const extra = (columns: string[], rows: unknown[][]) => ({
      columns: [...columns, '__proto__', 'addedLater'],
      rows: rows.map(row => [
        ...row,
        { from: 'component:default/evil', restricted: true },
        1,
      ]),
    });
    const entities = extra(wire.columns.impacted, wire.impacted);
    const steps = extra(wire.columns.pathSteps, wire.pathSteps);
    const back = untabulateRows({
      ...wire,
      columns: { impacted: entities.columns, pathSteps: steps.columns },
      impacted: entities.rows,
      pathSteps: steps.rows,
    });
    expect(back).toEqual(inline);
    for (const record of [back.impacted[0], back.impacted[0].path[0]]) {
      expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
      expect(record).not.toHaveProperty('addedLater');
    }
    expect(back.impacted[0].path[0].from).not.toBe('component:default/evil');
  });

  it.each<[string, (w: any) => void, RegExp]>([
    [
      'a short row',
      w => w.impacted[0].pop(),
      /a row of impacted is not a list of 14 values/,
    ],
    [
      'a row that is not a list',
      w => (w.pathSteps[0] = { from: 'x' }),
      /a row of pathSteps is not a list of 9 values/,
    ],
    [
      'columns that are not names',
      w => (w.columns.impacted = [1]),
      /columns.impacted is not a list of names/,
    ],
    ['no columns', w => (w.columns = null), /columns is not an object/],
    [
      'a required column missing',
      w => (w.columns.impacted[0] = 'name'),
      /columns.impacted has no ref/,
    ],
    [
      'a column named twice',
      w => (w.columns.pathSteps[1] = 'from'),
      /columns.pathSteps names a column twice/,
    ],
    [
      'no pathSteps',
      w => delete w.pathSteps,
      /impacted or pathSteps is not a list/,
    ],
    [
      'a path that is not a list',
      w => (w.impacted[1][4] = null),
      /the path of an impacted entry is not a list/,
    ],
    [
      'a path naming a missing step',
      w => (w.impacted[1][4] = [99]),
      /a path names step 99/,
    ],
  ])('refuses a malformed answer (%s)', (_case, spoil, message) => {
    const wire = overTheWire(
      tabulateRows(answer('resource:default/inventory-db')),
    );
    spoil(wire);
    expect(() => untabulateRows(wire)).toThrow(message);
  });

  it('tells the wire form from the others', () => {
    const inline = answer('resource:default/inventory-db');
    expect(hasTabulatedRows(inline)).toBe(false);
    expect(hasTabulatedRows(sharePathSteps(inline))).toBe(false);
    expect(hasTabulatedRows(tabulateRows(inline))).toBe(true);
  });
});
