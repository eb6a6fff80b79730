import { useEffect, useState } from 'react';
import { useApiHolder } from '@backstage/frontend-plugin-api';
import {
  CalculatorId,
  InputSource,
  Prefill,
  Warning,
  YES_NO_SPELLINGS,
  daysBetween,
  isIsoDate,
  readYesNo,
} from '@internal/plugin-cost-calculators-common';
import { CostFact, costFactsApiRef } from '../api/CostFactsApi';
import { InputField, inputFieldsOf } from './inputFields';

/**
 * How long a card waits for the adopter's cost facts before it prefills without them: a
 * billing backend that hangs must not leave the card loading for good.
 */
export const COST_FACTS_TIMEOUT_MS = 10_000;

/** The cost-facts layer of one calculator's prefill, once it is known. */
export type CostFactsLayer =
  | { state: 'loading' }
  | {
      state: 'done';
      facts: Record<string, CostFact>;
      /** `cost-facts-unavailable` when the API failed or did not answer. */
      warnings: Warning[];
      /** Whether an implementation was asked (false: none registered, or no entity). */
      asked: boolean;
    };

/** The suffix of an annotation's date key (`ops.example.com/monthly-spend-as-of`). */
const AS_OF_SUFFIX = '-as-of';

const NONE: CostFactsLayer = {
  state: 'done',
  facts: {},
  warnings: [],
  asked: false,
};
const LOADING: CostFactsLayer = { state: 'loading' };

/** The fields a fact may fill: every single-valued field of the form (not C10's client list). */
function costFactFields(calculatorId: CalculatorId): InputField[] {
  return inputFieldsOf(calculatorId).filter(f => f.kind !== 'clients');
}

/** The inputs a fact may fill: every single-valued field of the form (not C10's client list). */
export function costFactInputIds(calculatorId: CalculatorId): string[] {
  return costFactFields(calculatorId).map(f => f.id);
}

/** The most of an adopter's error message shown: enough to explain, not a stack or a page. */
const MAX_REASON_LENGTH = 300;

/**
 * The userinfo of `scheme://user:password@host` URLs masked (`https://***@host`). A short
 * local scan rather than evidence-common's full one (this package does not depend on it): the
 * text is an adopter's error message, cut to {@link MAX_REASON_LENGTH} first, and it is only
 * shown on screen, never exported.
 */
function maskUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi, '$1***@');
}

/**
 * What an implementation's rejection says, for the on-screen notice: an Error's message or a
 * rejected string, cut short and with URL credentials masked. Anything else (an object, a
 * number) says nothing readable: "[object Object]" would only look broken.
 */
function rejectionReason(e: unknown): string | undefined {
  let raw: string | undefined;
  if (e instanceof Error) raw = e.message;
  else if (typeof e === 'string') raw = e;
  const text = raw?.trim();
  if (!text) return undefined;
  const cut =
    text.length > MAX_REASON_LENGTH
      ? `${text.slice(0, MAX_REASON_LENGTH)}…`
      : text;
  return maskUrlCredentials(cut);
}

/**
 * The notice for facts that could not be read. `why` is our own text and is part of the
 * message; `detail`, the implementation's own words, goes only with the on-screen notice
 * (the warning's `detail`), never into the markdown export.
 */
function unavailable(
  entityRef: string,
  why: string,
  detail?: string,
): CostFactsLayer {
  return {
    state: 'done',
    facts: {},
    asked: true,
    warnings: [
      {
        kind: 'cost-facts-unavailable',
        subject: entityRef,
        message: `Cost facts for ${entityRef} could not be read (${why}); the form is prefilled without them.`,
        ...(detail ? { detail } : {}),
      },
    ],
  };
}

/**
 * Asks the adopter's optional `CostFactsApi` for an entity's facts for one calculator. Without
 * an implementation (or an entity) there is nothing to wait for: the layer is empty at once,
 * so the calculators behave as they do without the API. A rejection, a throw or no answer
 * within {@link COST_FACTS_TIMEOUT_MS} gives an empty layer with a notice, never a broken card.
 * Each answer is kept for the lifetime of the component, by calculator and entity: returning
 * to a tab shows its facts at once rather than asking again.
 */
export function useCostFacts(
  calculatorId: CalculatorId,
  entityRef: string | undefined,
): CostFactsLayer {
  const api = useApiHolder().get(costFactsApiRef);
  const key = api && entityRef ? `${calculatorId} ${entityRef}` : undefined;
  // Answers by the request they answer, so that switching tabs never shows the previous
  // calculator's facts while the next ones load, nor asks again for those already known.
  const [answers, setAnswers] = useState<ReadonlyMap<string, CostFactsLayer>>(
    () => new Map(),
  );
  const answered = key !== undefined && answers.has(key);
  useEffect(() => {
    if (!api || !entityRef || !key || answered) return undefined;
    let active = true;
    const settle = (layer: CostFactsLayer) => {
      if (!active) return;
      active = false;
      setAnswers(previous => new Map(previous).set(key, layer));
    };
    const timer = setTimeout(
      () =>
        settle(
          unavailable(
            entityRef,
            `no answer within ${COST_FACTS_TIMEOUT_MS / 1000} s`,
          ),
        ),
      COST_FACTS_TIMEOUT_MS,
    );
    // Promise.resolve().then: an implementation that throws instead of rejecting is read the same way.
    Promise.resolve()
      .then(() =>
        api.getCostFacts({
          entityRef,
          calculatorId,
          inputIds: costFactInputIds(calculatorId),
        }),
      )
      .then(
        facts =>
          settle({
            state: 'done',
            facts: facts ?? {},
            warnings: [],
            asked: true,
          }),
        e =>
          settle(
            unavailable(
              entityRef,
              'the cost facts service failed',
              rejectionReason(e),
            ),
          ),
      );
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [api, calculatorId, entityRef, key, answered]);
  if (!key) return NONE;
  return answers.get(key) ?? LOADING;
}

/** A fact's value as the form can take it, or why not (`undefined`: no fact at all). */
type FactReading =
  | { value: CostFact['value'] }
  | { refused: string }
  | undefined;

/**
 * Reads a fact's value for its field: text that trims to nothing is no fact (the annotation
 * fills the input, rather than an empty field), a yes/no field takes a boolean, text in
 * the usual spellings (`readYesNo`) or the number 1 or 0, a boolean only fills a yes/no
 * field, a number must be finite; anything else is refused with what it is, never shown as
 * a confusing validation message on a field the user did not type.
 */
function readFactValue(value: unknown, field: InputField): FactReading {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    if (value.trim() === '') return undefined;
    if (field.kind !== 'boolean') return { value };
    // Text for a yes/no field in its usual spellings ("yes", "True"); other text is refused.
    const yesNo = readYesNo(value);
    return yesNo === undefined
      ? { refused: JSON.stringify(value) }
      : { value: yesNo };
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { refused: String(value) };
    if (field.kind !== 'boolean') return { value };
    // 1 and 0 read as yes and no, as the text "1" and "0" do; another number would only
    // become a "must be true or false" message on a field the user did not type.
    if (value === 1 || value === 0) return { value: value === 1 };
    return { refused: String(value) };
  }
  if (typeof value === 'boolean')
    return field.kind === 'boolean' ? { value } : { refused: String(value) };
  return { refused: Array.isArray(value) ? 'a list' : `a ${typeof value}` };
}

/** What a field takes, for the notice of a refused fact. */
function expectedOf(field: InputField): string {
  if (field.kind === 'boolean') return `yes or no (${YES_NO_SPELLINGS})`;
  if (field.kind === 'number') return 'a number or a decimal string';
  return 'text';
}

/** The system a fact names, or none: a non-text `source` would render "[object Object]". */
function sourceLabel(source: unknown): string | undefined {
  return typeof source === 'string' && source.trim() !== ''
    ? source.trim()
    : undefined;
}

/**
 * The facts as a prefill layer for the fields a fact may fill, each with its chip source: the
 * system's label, its date and its age on `asOf`. A date that is not YYYY-MM-DD leaves the age
 * unknown; one after `asOf` (a negative age would read as fresh) is ignored with a notice, as
 * a future `…-as-of` annotation is, so that the chip and the export agree ("age unknown").
 * A fact older than `maxAgeDays` (`costCalculators.annotationMaxAgeDays`) gets a
 * `stale-cost-fact` warning, as an annotation gets `stale-annotation`: shown with the result
 * and carried into the markdown export, not only as the chip's colour.
 * A value the field cannot take is ignored with a notice (`invalid-cost-fact`).
 */
export function costFactsPrefill(
  layer: Extract<CostFactsLayer, { state: 'done' }>,
  calculatorId: CalculatorId,
  asOf: string,
  maxAgeDays: number,
): Prefill {
  const prefill: Prefill = {
    values: {},
    sources: {},
    warnings: [...layer.warnings],
  };
  for (const field of costFactFields(calculatorId)) {
    // Typed as the API promises, but an implementation's JSON may hold anything.
    const fact: unknown = layer.facts[field.id];
    if (typeof fact !== 'object' || fact === null) continue;
    const {
      value,
      source: system,
      asOf: date,
    } = fact as Record<string, unknown>;
    const label = sourceLabel(system);
    const from = label ? ` from ${label}` : '';
    const reading = readFactValue(value, field);
    if (reading === undefined) continue;
    if ('refused' in reading) {
      prefill.warnings.push({
        kind: 'invalid-cost-fact',
        subject: field.id,
        message: `Ignored the cost fact for ${field.label}${from}: ${
          reading.refused
        } is not ${expectedOf(field)}.`,
      });
      continue;
    }
    const source: Extract<InputSource, { kind: 'cost-facts' }> = {
      kind: 'cost-facts',
      ...(label ? { label } : {}),
    };
    if (isIsoDate(date)) {
      const ageDays = isIsoDate(asOf) ? daysBetween(date, asOf) : undefined;
      // asOf is the user's date, a source's date is often the UTC one: west of UTC, from the
      // evening on, today's fact is dated tomorrow. One day ahead is age 0, not an unknown age.
      if (ageDays !== undefined && ageDays < -1) {
        prefill.warnings.push({
          kind: 'invalid-cost-fact',
          // The date's, like an annotation's `…-as-of`: dropped when the fact's value is not read.
          subject: `${field.id}${AS_OF_SUFFIX}`,
          message: `Ignored the date of the cost fact for ${field.label}${from}: "${date}" is after asOf ${asOf}, so its age is unknown.`,
        });
      } else {
        source.asOf = date;
        if (ageDays !== undefined) source.ageDays = Math.max(0, ageDays);
        if (ageDays !== undefined && ageDays > maxAgeDays) {
          prefill.warnings.push({
            kind: 'stale-cost-fact',
            subject: field.id,
            message: `The cost fact for ${field.label}${from} is ${ageDays} days old (as of ${date}); the limit is ${maxAgeDays} days.`,
          });
        }
      }
    }
    prefill.values[field.id] = reading.value;
    prefill.sources[field.id] = source;
  }
  return prefill;
}

/**
 * Drops the warnings about the age of values no input is read from any more: an annotation
 * or a cost fact that a higher layer replaced (a fact over an annotation, a link over
 * either) would otherwise warn about a value the form does not use. Those are an
 * annotation's stale-annotation warning and the invalid-annotation one about its `…-as-of`
 * (not a date, or after asOf), and a cost fact's stale-cost-fact warning and the notice
 * about its date. Apply it to the merged layers: it reads which sources the inputs end up
 * with.
 */
export function withoutReplacedStaleWarnings(prefill: Prefill): Prefill {
  const readKeys = new Set<string>();
  const factInputs = new Set<string>();
  for (const [input, source] of Object.entries(prefill.sources)) {
    if (source.kind === 'annotation') readKeys.add(source.key);
    if (source.kind === 'cost-facts') factInputs.add(input);
  }
  const replaced = (w: Warning): boolean => {
    const subject = w.subject ?? '';
    if (w.kind === 'stale-annotation') return !readKeys.has(subject);
    if (w.kind === 'stale-cost-fact') return !factInputs.has(subject);
    if (!subject.endsWith(AS_OF_SUFFIX)) return false;
    const dated = subject.slice(0, -AS_OF_SUFFIX.length);
    if (w.kind === 'invalid-annotation') return !readKeys.has(dated);
    if (w.kind === 'invalid-cost-fact') return !factInputs.has(dated);
    return false;
  };
  return {
    ...prefill,
    warnings: prefill.warnings.filter(w => !replaced(w)),
  };
}
