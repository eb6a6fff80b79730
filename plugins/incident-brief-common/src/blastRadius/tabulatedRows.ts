import { PathStep } from './types';
import {
  SharedPathSteps,
  WithPaths,
  expandPathSteps,
  malformedAnswer,
  sharePathSteps,
} from './sharedPathSteps';

/** The fields of an impacted entity in the wire form `paths=table`, in column order. */
export const IMPACTED_COLUMNS = [
  'ref',
  'kind',
  'title',
  'hop',
  'path',
  'tier',
  'customerFacing',
  'owner',
  'system',
  'lifecycle',
  'immediate',
  'resolved',
  'deprecated',
  'restricted',
] as const;

/** The fields of a path step in the wire form `paths=table`, in column order. */
export const PATH_STEP_COLUMNS = [
  'from',
  'to',
  'reasons',
  'evidence',
  'observation',
  'interaction',
  'lastSeen',
  'drift',
  'explainedBy',
] as const;

/** Optional fields: `null` in their column means the field is absent, not `null`. */
const OPTIONAL = new Set<string>(['restricted', 'lastSeen', 'explainedBy']);

/**
 * The wire form `paths=table` of an answer (`GET …/blast-radius?paths=table`): the shared form
 * (`paths=shared`, each path step once) with every impacted entity and every path step as an
 * array of values in the order `columns` names. Field names are half of an impacted entity's
 * JSON and a third of a step's, repeated on every row: a shared service's 1,000-entity page is
 * ~35 % smaller than the shared form (docs/benchmarks.md, "Run 9").
 */
export type TabulatedRows<A extends WithPaths> = Omit<
  SharedPathSteps<A>,
  'impacted' | 'pathSteps'
> & {
  columns: { impacted: string[]; pathSteps: string[] };
  impacted: unknown[][];
  pathSteps: unknown[][];
};

function toRow(record: object, columns: readonly string[]): unknown[] {
  const values = record as Record<string, unknown>;
  return columns.map(column => values[column] ?? null);
}

/**
 * Where each field this code knows sits in an answer's rows. Only known fields are read: a
 * newer backend's extra columns are skipped, and no name from the wire becomes a property name
 * (`__proto__` included). A known field without its column is malformed unless optional.
 */
function layoutOf(
  columns: unknown,
  known: readonly string[],
  what: string,
): { width: number; fields: [field: string, at: number, optional: boolean][] } {
  if (!Array.isArray(columns) || columns.some(c => typeof c !== 'string'))
    throw malformedAnswer(`columns.${what} is not a list of names`);
  if (new Set(columns).size !== columns.length)
    throw malformedAnswer(`columns.${what} names a column twice`);
  const fields: [string, number, boolean][] = [];
  for (const field of known) {
    const i = columns.indexOf(field);
    if (i >= 0) fields.push([field, i, OPTIONAL.has(field)]);
    else if (!OPTIONAL.has(field))
      throw malformedAnswer(`columns.${what} has no ${field}`);
  }
  return { width: columns.length, fields };
}

function fromRow(
  row: unknown,
  layout: ReturnType<typeof layoutOf>,
  what: string,
): Record<string, unknown> {
  if (!Array.isArray(row) || row.length !== layout.width)
    throw malformedAnswer(
      `a row of ${what} is not a list of ${layout.width} values`,
    );
  const record: Record<string, unknown> = {};
  for (const [field, i, optional] of layout.fields) {
    const value = row[i];
    if (value !== null || !optional) record[field] = value;
  }
  return record;
}

/**
 * `answer` in the wire form `paths=table`. Carries the fields of `IMPACTED_COLUMNS` and
 * `PATH_STEP_COLUMNS`, which hold every field of `ImpactedEntity` (and a restricted entry's
 * `restricted`) and of `PathStep`: the unit test does not type-check when a field of either
 * type has no column.
 */
export function tabulateRows<A extends WithPaths>(answer: A): TabulatedRows<A> {
  const shared = sharePathSteps(answer);
  return {
    ...shared,
    columns: {
      impacted: [...IMPACTED_COLUMNS],
      pathSteps: [...PATH_STEP_COLUMNS],
    },
    impacted: shared.impacted.map(entity => toRow(entity, IMPACTED_COLUMNS)),
    pathSteps: shared.pathSteps.map(step => toRow(step, PATH_STEP_COLUMNS)),
  } as unknown as TabulatedRows<A>;
}

/** Whether `answer` is in the wire form `paths=table` (a backend may answer another form). */
export function hasTabulatedRows<A extends WithPaths>(
  answer: A | SharedPathSteps<A> | TabulatedRows<A>,
): answer is TabulatedRows<A> {
  const columns = (answer as { columns?: unknown }).columns;
  return typeof columns === 'object' && columns !== null;
}

/**
 * The answer `tabulateRows` was given, from its wire form. Rows are read by where the answer's
 * `columns` put each known field, so columns may come in any order and a newer backend's extra
 * columns are skipped; a known field without its column (unless optional), a column named twice,
 * or a row of the wrong length throw: the answer is malformed.
 */
export function untabulateRows<A extends WithPaths>(
  table: TabulatedRows<A>,
): A {
  const { columns, impacted, pathSteps, ...rest } = table;
  if (typeof columns !== 'object' || columns === null)
    throw malformedAnswer('columns is not an object');
  const entityLayout = layoutOf(columns.impacted, IMPACTED_COLUMNS, 'impacted');
  const stepLayout = layoutOf(
    columns.pathSteps,
    PATH_STEP_COLUMNS,
    'pathSteps',
  );
  if (!Array.isArray(impacted) || !Array.isArray(pathSteps))
    throw malformedAnswer('impacted or pathSteps is not a list');
  return expandPathSteps({
    ...rest,
    impacted: impacted.map(row =>
      fromRow(row, entityLayout, 'impacted'),
    ) as unknown as SharedPathSteps<A>['impacted'],
    pathSteps: pathSteps.map(row =>
      fromRow(row, stepLayout, 'pathSteps'),
    ) as unknown as PathStep[],
  } as unknown as SharedPathSteps<A>);
}
