import { PathStep } from './types';
import {
  SharedPathSteps,
  WithPaths,
  expandPathSteps,
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

function fromRow(
  row: unknown,
  columns: readonly string[],
  what: string,
): Record<string, unknown> {
  if (!Array.isArray(row) || row.length !== columns.length)
    throw new Error(
      `malformed blast-radius answer: a row of ${what} is not a list of ${columns.length} values`,
    );
  const record: Record<string, unknown> = {};
  for (let i = 0; i < columns.length; i++) {
    const value = row[i];
    if (value !== null || !OPTIONAL.has(columns[i])) record[columns[i]] = value;
  }
  return record;
}

/**
 * `answer` in the wire form `paths=table`. Carries the fields of `IMPACTED_COLUMNS` and
 * `PATH_STEP_COLUMNS`, which hold every field of `ImpactedEntity` (and a restricted entry's
 * `restricted`) and of `PathStep` (a unit test keeps them in step with the types).
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
 * The answer `tabulateRows` was given, from its wire form. Rows are read by the columns the
 * answer names, so a backend that sends more or fewer columns is read as it meant; a row of the
 * wrong length, or columns that are not lists of names, throw: the answer is malformed.
 */
export function untabulateRows<A extends WithPaths>(
  table: TabulatedRows<A>,
): A {
  const { columns, impacted, pathSteps, ...rest } = table;
  const names = (list: unknown, what: string): string[] => {
    if (!Array.isArray(list) || list.some(name => typeof name !== 'string'))
      throw new Error(
        `malformed blast-radius answer: columns.${what} is not a list of names`,
      );
    return list;
  };
  const impactedColumns = names(columns.impacted, 'impacted');
  const stepColumns = names(columns.pathSteps, 'pathSteps');
  if (!Array.isArray(impacted) || !Array.isArray(pathSteps))
    throw new Error(
      'malformed blast-radius answer: impacted or pathSteps is not a list',
    );
  return expandPathSteps({
    ...rest,
    impacted: impacted.map(row =>
      fromRow(row, impactedColumns, 'impacted'),
    ) as unknown as SharedPathSteps<A>['impacted'],
    pathSteps: pathSteps.map(row =>
      fromRow(row, stepColumns, 'pathSteps'),
    ) as unknown as PathStep[],
  } as unknown as SharedPathSteps<A>);
}
