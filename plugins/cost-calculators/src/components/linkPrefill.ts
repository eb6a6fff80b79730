import {
  CalculatorId,
  InputSource,
  Prefill,
  Warning,
  YES_NO_SPELLINGS,
  readYesNo,
} from '@internal/plugin-cost-calculators-common';
import { inputFieldsOf } from './inputFields';

const LINK: InputSource = { kind: 'link' };

/** The most of a refused link value a notice quotes: enough to recognise it. */
const MAX_QUOTED_LENGTH = 40;

function quoted(text: string): string {
  return JSON.stringify(
    text.length > MAX_QUOTED_LENGTH
      ? `${text.slice(0, MAX_QUOTED_LENGTH)}…`
      : text,
  );
}

/**
 * A share link's inputs as the top prefill layer (link › cost facts › annotation), each with
 * the `link` source. Blank values never reach it: `decodeShareQuery` leaves them out for every
 * input, so the lower layers fill those. Text for a yes/no input is read in its usual
 * spellings (`yes`, `True`, `0`, …, see `readYesNo`); other text is not passed on to become a
 * validation message on a field the user never typed: it is left out, so the lower layers
 * fill the input, with an `invalid-link-value` notice naming the field and the value.
 */
export function linkPrefill(
  calculatorId: CalculatorId,
  inputs: Readonly<Record<string, unknown>>,
): Prefill {
  const prefill: Prefill = { values: {}, sources: {}, warnings: [] };
  const yesNoLabels = new Map(
    inputFieldsOf(calculatorId)
      .filter(f => f.kind === 'boolean')
      .map(f => [f.id, f.label]),
  );
  for (const [id, value] of Object.entries(inputs)) {
    const label = yesNoLabels.get(id);
    let taken = value;
    if (label !== undefined && typeof value === 'string') {
      taken = readYesNo(value);
      if (taken === undefined) {
        prefill.warnings.push(refusedYesNo(id, label, value));
        continue;
      }
    }
    prefill.values[id] = taken;
    prefill.sources[id] = LINK;
  }
  return prefill;
}

function refusedYesNo(id: string, label: string, text: string): Warning {
  return {
    kind: 'invalid-link-value',
    subject: id,
    message: `Ignored the link's value ${quoted(
      text,
    )} for ${label} (${id}): it is not yes or no (${YES_NO_SPELLINGS}).`,
  };
}

/**
 * `prefill` without the inputs a link says its author emptied (`cleared=`): they stay empty
 * instead of being filled from the entity again, which could turn the recommendation around.
 */
export function withoutCleared(
  prefill: Prefill,
  cleared: readonly string[],
): Prefill {
  if (cleared.length === 0) return prefill;
  const values = { ...prefill.values };
  const sources = { ...prefill.sources };
  for (const id of cleared) {
    delete values[id];
    delete sources[id];
  }
  return { ...prefill, values, sources };
}
