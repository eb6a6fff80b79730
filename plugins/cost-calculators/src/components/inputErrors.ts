import type { InputError } from '@internal/plugin-cost-calculators-common';
import { CLIENT_COLUMNS, ClientRowDraft, Draft } from './calculatorState';
import type { InputField } from './inputFields';

/*
 * How the form presents the common package's validation errors. The calculators' messages
 * name inputs by id (`commitmentTermMonths is required.`): that is the contract of the design
 * note's vectors, so it is not changed here. The form names an input by the label the user
 * sees (the calculator's own, which the markdown export uses too), and keeps quiet about an
 * empty field until the user has been there (touched it) or asked for a result, as MUI forms do.
 */

const CLIENT_CELL = /^clients\[(\d+)\]\.(\w+)$/;

function clientCell(
  input: string,
): { row: number; key: keyof ClientRowDraft } | undefined {
  const match = CLIENT_CELL.exec(input);
  if (!match) return undefined;
  const key = match[2] as keyof ClientRowDraft;
  if (!CLIENT_COLUMNS.some(([k]) => k === key)) return undefined;
  return { row: Number(match[1]), key };
}

/** The visible label of an input id or C10 client cell; undefined when the form has no field for it (`asOf`). */
export function labelOfInput(
  input: string,
  fields: readonly InputField[],
): string | undefined {
  const cell = clientCell(input);
  if (cell) {
    const column = CLIENT_COLUMNS.find(([k]) => k === cell.key)![1];
    return `${column} (row ${cell.row + 1})`;
  }
  return fields.find(f => f.id === input)?.label;
}

/** A message with every input id it mentions replaced by that input's label. */
export function withLabels(
  message: string,
  fields: readonly InputField[],
): string {
  let text = message.replace(
    /clients\[\d+\]\.\w+/g,
    cell => labelOfInput(cell, fields) ?? cell,
  );
  for (const field of fields) {
    // A one-word id (`provider`, `sku`) is also an ordinary word in prose ("a price-book sku"):
    // only the message's subject is renamed.
    const oneWord = /^[a-z]+$/.test(field.id);
    text = text.replace(
      new RegExp(`${oneWord ? '^' : '\\b'}${field.id}\\b`, 'g'),
      field.label,
    );
  }
  return text;
}

/**
 * The message under a field. The field's label sits right above it, so a plain "x is required."
 * becomes "Required."; any other message names its inputs by label.
 */
export function fieldMessage(
  error: InputError,
  fields: readonly InputField[],
): string {
  if (
    error.code === 'required' &&
    error.message === `${error.input} is required.`
  )
    return 'Required.';
  return withLabels(error.message, fields);
}

/** Whether the form holds something for this input (a blank text field or an empty list holds nothing). */
export function hasValue(draft: Draft, input: string): boolean {
  const cell = clientCell(input);
  if (cell) {
    const rows = draft.clients;
    const row = Array.isArray(rows) ? rows[cell.row] : undefined;
    return (row?.[cell.key] ?? '').trim() !== '';
  }
  const value = draft[input];
  if (value === undefined) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** What decides whether an error is shown yet. */
export interface ErrorVisibility {
  fields: readonly InputField[];
  draft: Draft;
  /** Inputs (and client cells, `clients[0].poolSize`) the user changed or left. */
  touched: ReadonlySet<string>;
  /** The user asked for a result (submitted the form). */
  submitted: boolean;
}

/**
 * An error shows once its field was touched, once the user asked for a result, or at once when
 * the field holds a value (a value from a share link or an annotation is the user's to fix: the
 * note's §5 has invalid link values "surface as field errors"). Errors no field can carry
 * (`asOf`, a failed computation) always show.
 */
export function isErrorShown(error: InputError, v: ErrorVisibility): boolean {
  if (v.submitted || v.touched.has(error.input)) return true;
  if (labelOfInput(error.input, v.fields) === undefined) return true;
  return hasValue(v.draft, error.input);
}

/** The labels of inputs still needed and of inputs to correct before a result can be computed. */
export function pendingInputs(
  errors: readonly InputError[],
  fields: readonly InputField[],
  draft: Draft,
): { missing: string[]; toCorrect: string[] } {
  const missing = new Set<string>();
  const toCorrect = new Set<string>();
  for (const error of errors) {
    const label = labelOfInput(error.input, fields);
    if (label === undefined) continue;
    if (error.code === 'required' && !hasValue(draft, error.input))
      missing.add(label);
    else toCorrect.add(label);
  }
  for (const label of missing) toCorrect.delete(label);
  return { missing: [...missing], toCorrect: [...toCorrect] };
}

function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** "To see a result, enter Upfront and Term months, and correct Current monthly."; undefined when nothing is pending. */
export function pendingSentence(pending: {
  missing: readonly string[];
  toCorrect: readonly string[];
}): string | undefined {
  const parts = [
    pending.missing.length ? `enter ${joinWords(pending.missing)}` : '',
    pending.toCorrect.length ? `correct ${joinWords(pending.toCorrect)}` : '',
  ].filter(Boolean);
  return parts.length ? `To see a result, ${parts.join(', and ')}.` : undefined;
}

/** Touched client cells after row `removed` is deleted: later rows move up one. */
export function withoutClientRow(
  touched: ReadonlySet<string>,
  removed: number,
): Set<string> {
  const next = new Set<string>();
  for (const key of touched) {
    const match = CLIENT_CELL.exec(key);
    if (!match) next.add(key);
    else if (Number(match[1]) < removed) next.add(key);
    else if (Number(match[1]) > removed)
      next.add(`clients[${Number(match[1]) - 1}].${match[2]}`);
  }
  return next;
}
