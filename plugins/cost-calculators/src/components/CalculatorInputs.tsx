import {
  Box,
  Button,
  Chip,
  FormControl,
  FormHelperText,
  Grid,
  IconButton,
  InputLabel,
  ListSubheader,
  MenuItem,
  Select,
  TextField,
  Typography,
} from '@material-ui/core';
import DeleteIcon from '@material-ui/icons/Delete';
import { JSX, ReactNode, useEffect, useRef } from 'react';
import type { CSSProperties } from 'react';
import type {
  InputError,
  InputSource,
  NormalizedInputs,
  Warning,
} from '@internal/plugin-cost-calculators-common';
import {
  CLIENT_COLUMNS,
  ClientRowDraft,
  Draft,
  DraftValue,
  sourceChipLabel,
} from './calculatorState';
import { InputField } from './inputFields';
import { fieldMessage } from './inputErrors';
import type { SubheadingElement } from './headings';

/**
 * A label on one line, cut with an ellipsis (its full text stays its accessible name and its
 * tooltip): MUI v4 lets a long shrunk label wrap onto a second line over the value on a phone.
 * 133 %: the shrunk label is scaled to 0.75, so this is the field's width.
 */
const ONE_LINE_LABEL: CSSProperties = {
  whiteSpace: 'nowrap',
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  maxWidth: '133%',
};

/**
 * A source chip no wider than its field, cut with an ellipsis (its full text stays its
 * tooltip and accessible name): a long annotation key otherwise runs over the next field's chip.
 */
const CHIP_WITHIN_FIELD: CSSProperties = { maxWidth: '100%' };
/**
 * How a yes/no input shows its two values: in words, as the form's notices and the calculators'
 * labels ask the question ("yes or no"), rather than the JSON literals it stores.
 */
const YES_NO_LABEL: Record<string, string> = { true: 'yes', false: 'no' };

/** One value of a field chosen from a list the schema does not hold (C6's offers). */
export interface FieldChoice {
  value: string;
  /** What the user reads ("Azure SQL Database, General Purpose (vCore)"). */
  label: string;
}

/** The values of a text input offered as a select, in groups, with a note under it. */
export interface FieldChoices {
  /** A group without a heading is the whole list. */
  groups: { heading?: string; options: FieldChoice[] }[];
  /** Shown under the field when it has no error (what the chosen value brings). */
  hint?: string;
}

/** Props of {@link CalculatorInputs}. */
export interface CalculatorInputsProps {
  idPrefix: string;
  fields: InputField[];
  draft: Draft;
  edited: ReadonlySet<string>;
  /** Inputs of the last computed result: what each field resolved to and where it came from. */
  resolved?: NormalizedInputs;
  /**
   * Where each prefilled value came from: the chip of a field the form filled says so even
   * before a result exists (until then `resolved` has nothing to tell).
   */
  prefillSources?: Readonly<Record<string, InputSource>>;
  /** The errors to show now (the panel holds back those of fields the user has not reached yet). */
  errors: InputError[];
  prefillWarnings: Warning[];
  annotationMaxAgeDays: number;
  onChange(id: string, value: DraftValue): void;
  /** The user changed or left an input (`currentMonthly`) or a client cell (`clients[0].poolSize`). */
  onTouch(input: string): void;
  /** Client row `index` was removed (the touched marks of later rows move up). */
  onRemoveClientRow(index: number): void;
  /** Heading element of the client list: one level below the calculator's title. */
  subheading: SubheadingElement;
  /**
   * Text inputs chosen from a list (C6's `offerId`: the book's offers, those that fit the
   * entity first); a value from a link that is not in the list stays in view, as for enums.
   */
  choices?: Readonly<Record<string, FieldChoices>>;
}

const EMPTY_CLIENT: ClientRowDraft = {
  name: '',
  maxInstances: '',
  poolSize: '',
  rolloutSurgePercent: '',
};

/**
 * The value an empty field stands for (a default, a book price, a tier's): shown greyed in a
 * text field and in italics in a select, so the control shows the value the result used and
 * the chip beside it where it came from. A yes/no input in words, as its options read.
 */
function placeholderOf(resolved: NormalizedInputs | undefined, id: string) {
  const value = resolved?.[id]?.value;
  if (typeof value === 'boolean') return YES_NO_LABEL[String(value)];
  return typeof value === 'string' || typeof value === 'number'
    ? String(value)
    : undefined;
}

/**
 * Whether a chip is amber: an annotation or a cost fact older than the age limit (a fact is
 * a measurement too, and one from last year is as stale as an annotation of that date).
 */
function isStale(
  source: InputSource | undefined,
  staleKeys: ReadonlySet<string | undefined>,
  maxAgeDays: number,
): boolean {
  if (source?.kind === 'annotation')
    return staleKeys.has(source.key) || (source.ageDays ?? 0) > maxAgeDays;
  if (source?.kind === 'cost-facts') return (source.ageDays ?? 0) > maxAgeDays;
  return false;
}

function hasDraftValue(value: DraftValue | undefined): boolean {
  if (value === undefined || value === '') return false;
  return !Array.isArray(value) || value.length > 0;
}

/**
 * Where a field's value comes from: the last result's account of it, else (no result yet,
 * e.g. another required input is missing) the prefill that put the value in the field.
 */
function sourceOf(
  id: string,
  value: DraftValue | undefined,
  resolved: NormalizedInputs | undefined,
  prefillSources: Readonly<Record<string, InputSource>> | undefined,
): InputSource | undefined {
  if (resolved?.[id]) return resolved[id].source;
  return hasDraftValue(value) ? prefillSources?.[id] : undefined;
}

function SourceChip(props: {
  field: InputField;
  edited: boolean;
  source?: InputSource;
  stale: boolean;
}) {
  const { field, edited, source, stale } = props;
  let label: string;
  if (edited) label = 'you';
  else if (source) label = sourceChipLabel(source);
  else label = 'not set';
  return (
    <Chip
      size="small"
      variant="outlined"
      label={label}
      title={stale ? `${label}: older than the age limit` : label}
      style={
        stale
          ? { ...CHIP_WITHIN_FIELD, borderColor: '#ed6c02', color: '#b35300' }
          : CHIP_WITHIN_FIELD
      }
      aria-label={`Source of ${field.label}: ${label}${
        stale ? ' (stale)' : ''
      }`}
    />
  );
}

function ClientsEditor(props: {
  idPrefix: string;
  label: string;
  heading: SubheadingElement;
  fields: InputField[];
  rows: ClientRowDraft[];
  errors: InputError[];
  onChange(rows: ClientRowDraft[]): void;
  onTouch(input: string): void;
  onRemoveRow(index: number): void;
}) {
  const { rows, errors, onChange, onTouch, idPrefix, fields } = props;
  // An error on the list itself (too many rows), shown with the list rather than
  // only in the screen-reader summary: no row field can carry it.
  const listError = errors.find(e => e.input === 'clients');
  const labelId = `${idPrefix}-clients-label`;
  const errorId = `${idPrefix}-clients-error`;
  const set = (i: number, key: keyof ClientRowDraft, value: string) => {
    onTouch(`clients[${i}].${key}`);
    onChange(rows.map((r, j) => (j === i ? { ...r, [key]: value } : r)));
  };
  // A removed row takes its remove button, and keyboard focus with it, to the page: focus moves
  // to the remove button of the row that took its place (else the row before it, else "Add
  // client").
  const removeButtons = useRef<(HTMLButtonElement | null)[]>([]);
  const addButton = useRef<HTMLButtonElement | null>(null);
  const focusAfterRemove = useRef<number | undefined>(undefined);
  useEffect(() => {
    const removed = focusAfterRemove.current;
    if (removed === undefined) return;
    focusAfterRemove.current = undefined;
    const next = Math.min(removed, rows.length - 1);
    (next >= 0 ? removeButtons.current[next] : addButton.current)?.focus();
  }, [rows.length]);
  return (
    <Box
      role="group"
      aria-labelledby={labelId}
      aria-describedby={listError ? errorId : undefined}
    >
      <Typography variant="subtitle2" component={props.heading} id={labelId}>
        {props.label}
      </Typography>
      {rows.map((row, i) => (
        <Box key={i} display="flex" alignItems="flex-start" style={{ gap: 8 }}>
          {CLIENT_COLUMNS.map(([key, label]) => {
            const error = errors.find(e => e.input === `clients[${i}].${key}`);
            return (
              <TextField
                key={key}
                id={`${idPrefix}-clients-${i}-${key}`}
                label={`${label} (row ${i + 1})`}
                // One line like the other labels: "Max instances (row 1)" wrapped over the value.
                InputLabelProps={{
                  shrink: true,
                  style: ONE_LINE_LABEL,
                  title: `${label} (row ${i + 1})`,
                }}
                value={row[key]}
                size="small"
                margin="dense"
                error={!!error}
                helperText={error && fieldMessage(error, fields)}
                onChange={e => set(i, key, e.target.value)}
                onBlur={() => onTouch(`clients[${i}].${key}`)}
              />
            );
          })}
          <IconButton
            aria-label={`Remove client row ${i + 1}`}
            ref={el => {
              removeButtons.current[i] = el;
            }}
            onClick={() => {
              focusAfterRemove.current = i;
              props.onRemoveRow(i);
              onChange(rows.filter((_, j) => j !== i));
            }}
          >
            <DeleteIcon />
          </IconButton>
        </Box>
      ))}
      {listError && (
        <FormHelperText id={errorId} error>
          {fieldMessage(listError, fields)}
        </FormHelperText>
      )}
      <Button
        size="small"
        ref={addButton}
        onClick={() => onChange([...rows, { ...EMPTY_CLIENT }])}
      >
        Add client
      </Button>
    </Box>
  );
}

/**
 * A group's heading in a select's list. MUI v4's Select clones `role="option"`, `onClick` and
 * `aria-selected` onto every child, so a bare ListSubheader was announced as one of the
 * options ("2 of 17") and clicking it closed the list: only the heading's text is kept, and
 * `disabled` keeps MenuList from giving it the focus when nothing is selected.
 */
function GroupHeading(props: { children: string; disabled: true }) {
  return <ListSubheader role="presentation">{props.children}</ListSubheader>;
}

/**
 * A select of the form with its label and the line under it: MUI v4 names a select by its label
 * only through `labelId`, and puts `SelectDisplayProps` on the role=button element screen readers
 * focus (`inputProps` reach only the hidden native input).
 */
function FieldSelect(props: {
  id: string;
  label: string;
  value: string;
  /** Whether the value is refused: the select is marked invalid, its line says why. */
  invalid: boolean;
  /** The line under the select: the message, a hint, or a space that keeps the layout. */
  helperText: ReactNode;
  /** Whether the select is described by that line also when it holds no message. */
  describedAlways: boolean;
  renderValue?: (value: unknown) => ReactNode;
  onBlur(): void;
  onChange(value: unknown): void;
  children: ReactNode;
}) {
  const { id, invalid } = props;
  const helperId = `${id}-helper`;
  return (
    <FormControl fullWidth error={invalid} margin="dense">
      <InputLabel
        id={`${id}-label`}
        shrink
        style={ONE_LINE_LABEL}
        title={props.label}
      >
        {props.label}
      </InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        value={props.value}
        displayEmpty
        SelectDisplayProps={{
          'aria-describedby':
            invalid || props.describedAlways ? helperId : undefined,
          'aria-invalid': invalid,
        }}
        renderValue={props.renderValue}
        onBlur={props.onBlur}
        onChange={e => props.onChange(e.target.value)}
      >
        {props.children}
      </Select>
      <FormHelperText id={helperId}>{props.helperText}</FormHelperText>
    </FormControl>
  );
}

/**
 * A text input offered as a select of known values in groups (C6's offer): the user picks a
 * name instead of guessing an id from an error message. A value from a link that is not in
 * the list stays in view, marked, with the calculator's message under it.
 */
function ChoiceSelect(props: {
  id: string;
  field: InputField;
  choices: FieldChoices;
  value: string;
  placeholder?: string;
  error?: string;
  onChange(value: string | undefined): void;
  onBlur(): void;
}) {
  const { id, field, choices, value, error } = props;
  const known = choices.groups.some(g =>
    g.options.some(o => o.value === value),
  );
  const items: JSX.Element[] = [];
  choices.groups.forEach((group, i) => {
    if (group.heading)
      items.push(
        <GroupHeading key={`heading-${i}`} disabled>
          {group.heading}
        </GroupHeading>,
      );
    for (const option of group.options)
      items.push(
        <MenuItem key={option.value} value={option.value}>
          {option.label}
        </MenuItem>,
      );
  });
  return (
    <FieldSelect
      id={id}
      label={field.label}
      value={value}
      invalid={!!error}
      helperText={error ?? choices.hint ?? ' '}
      describedAlways
      onBlur={props.onBlur}
      onChange={chosen => {
        // Nothing without a value is chosen (a heading takes no clicks, but to be sure).
        if (chosen === undefined) return;
        const v = String(chosen);
        props.onChange(v === '' ? undefined : v);
      }}
    >
      <MenuItem value="">
        {/* Offered as a list because a value is needed to compute (C6's offer). */}
        <em>{props.placeholder ?? 'choose'}</em>
      </MenuItem>
      {items}
      {value !== '' && !known && (
        <MenuItem value={value} disabled>
          {value} (not an option)
        </MenuItem>
      )}
    </FieldSelect>
  );
}

/** The calculator's input form: one labelled field per schema input, its validation message and its source chip. */
export function CalculatorInputs(props: CalculatorInputsProps) {
  const {
    fields,
    draft,
    edited,
    resolved,
    errors,
    idPrefix,
    onChange,
    onTouch,
  } = props;
  const staleKeys = new Set(
    props.prefillWarnings
      .filter(w => w.kind === 'stale-annotation')
      .map(w => w.subject),
  );
  return (
    <Grid container spacing={2}>
      {fields.map(field => {
        const id = `${idPrefix}-${field.id}`;
        const error = errors.find(e => e.input === field.id);
        const value = draft[field.id];
        const source = sourceOf(
          field.id,
          value,
          resolved,
          props.prefillSources,
        );
        const stale =
          !edited.has(field.id) &&
          isStale(source, staleKeys, props.annotationMaxAgeDays);
        const chip = (
          <SourceChip
            field={field}
            edited={edited.has(field.id)}
            source={source}
            stale={stale}
          />
        );
        if (field.kind === 'clients') {
          return (
            <Grid item xs={12} key={field.id}>
              <ClientsEditor
                idPrefix={idPrefix}
                label={field.label}
                heading={props.subheading}
                fields={fields}
                rows={Array.isArray(value) ? value : []}
                errors={errors}
                onChange={rows => onChange(field.id, rows)}
                onTouch={onTouch}
                onRemoveRow={props.onRemoveClientRow}
              />
              {chip}
            </Grid>
          );
        }
        const fieldChoices = props.choices?.[field.id];
        if (fieldChoices && field.kind === 'text') {
          return (
            <Grid item xs={12} sm={6} md={4} key={field.id}>
              <ChoiceSelect
                id={id}
                field={field}
                choices={fieldChoices}
                value={typeof value === 'string' ? value.trim() : ''}
                placeholder={placeholderOf(resolved, field.id)}
                error={error && fieldMessage(error, fields)}
                onChange={v => onChange(field.id, v)}
                onBlur={() => onTouch(field.id)}
              />
              {chip}
            </Grid>
          );
        }
        if (field.kind === 'enum' || field.kind === 'boolean') {
          const options =
            field.kind === 'boolean' ? ['true', 'false'] : field.options ?? [];
          const selected = value === undefined ? '' : String(value);
          const labelOf = (o: string) =>
            field.kind === 'boolean' ? YES_NO_LABEL[o] : o;
          const placeholder = placeholderOf(resolved, field.id);
          const emptyText =
            placeholder ?? (field.required ? 'choose' : 'not set');
          // In the open list the empty item is one of several: "yes" above "yes" and "no" read
          // as a duplicate, so it says where its value comes from ("yes (from tiers.…)"). The
          // closed select shows the value alone; the chip beside it says where it came from.
          const emptyInList =
            selected === '' && placeholder !== undefined && source
              ? `${placeholder} (${sourceChipLabel(source)})`
              : emptyText;
          return (
            <Grid item xs={12} sm={6} md={4} key={field.id}>
              <FieldSelect
                id={id}
                label={field.label}
                value={selected}
                invalid={!!error}
                helperText={error ? fieldMessage(error, fields) : ' '}
                describedAlways={false}
                renderValue={v => {
                  const shown = String(v);
                  if (shown === '') return <em>{emptyText}</em>;
                  return options.includes(shown)
                    ? labelOf(shown)
                    : `${shown} (not an option)`;
                }}
                onBlur={() => onTouch(field.id)}
                onChange={chosen => {
                  const v = String(chosen);
                  if (field.kind === 'boolean')
                    onChange(field.id, v === '' ? undefined : v === 'true');
                  else onChange(field.id, v === '' ? undefined : v);
                }}
              >
                <MenuItem value="">
                  <em>{emptyInList}</em>
                </MenuItem>
                {options.map(o => (
                  <MenuItem key={o} value={o}>
                    {labelOf(o)}
                  </MenuItem>
                ))}
                {/* A value from a link or a cost fact that is not an option stays in view
                    (the message under the field names it); without an item of its own the
                    box would show nothing, not even the placeholder. */}
                {selected !== '' && !options.includes(selected) && (
                  <MenuItem value={selected} disabled>
                    {selected} (not an option)
                  </MenuItem>
                )}
              </FieldSelect>
              {chip}
            </Grid>
          );
        }
        const hint = [
          field.range,
          field.integer ? 'whole number' : undefined,
          field.kind === 'date' ? 'YYYY-MM-DD' : undefined,
          field.required ? 'required' : undefined,
        ]
          .filter(Boolean)
          .join(' · ');
        return (
          <Grid item xs={12} sm={6} md={4} key={field.id}>
            <TextField
              id={id}
              label={field.label}
              value={typeof value === 'string' ? value : ''}
              placeholder={placeholderOf(resolved, field.id)}
              InputLabelProps={{
                shrink: true,
                style: ONE_LINE_LABEL,
                title: field.label,
              }}
              inputProps={{
                inputMode: field.kind === 'number' ? 'decimal' : undefined,
                'aria-invalid': !!error,
              }}
              fullWidth
              margin="dense"
              required={field.required}
              error={!!error}
              helperText={error ? fieldMessage(error, fields) : hint}
              onChange={e => onChange(field.id, e.target.value)}
              onBlur={() => onTouch(field.id)}
            />
            {chip}
          </Grid>
        );
      })}
    </Grid>
  );
}
