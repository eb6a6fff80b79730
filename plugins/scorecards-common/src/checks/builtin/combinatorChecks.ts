import { z } from 'zod';
import { combineAllOf, combineAnyOf } from '../../evidence/combineStates';
import {
  EvidenceUsed,
  MissingEvidence,
  RawOutcome,
  RawState,
} from '../../model/resultModel';
import {
  CheckCallSpec,
  CheckContext,
  CompileChild,
  CompiledCall,
  defineCheckType,
} from '../checkType';
import { checkCallSpecSchema } from '../checkTypeRegistry';

const paramsSchema = z.strictObject({
  of: z.array(checkCallSpecSchema).min(1),
});
type Params = { of: CheckCallSpec[] };
type Compiled = {
  of: CheckCallSpec[];
  calls: CompiledCall[];
  expectations: JoinedExpectations;
};

/**
 * The children's expectations joined (`a and b`), kept for the next evaluation: they rarely
 * depend on the entity, so the text is rebuilt only when a part differs from last time.
 */
class JoinedExpectations {
  private parts: string[] = [];
  private text = '';

  constructor(private readonly joiner: string) {}

  join(outcomes: readonly RawOutcome[]): string {
    const parts = this.parts;
    let same = parts.length === outcomes.length;
    for (let i = 0; same && i < outcomes.length; i++)
      same = parts[i] === (outcomes[i].expected ?? '');
    if (same) return this.text;
    const next: string[] = [];
    let text = '';
    for (let i = 0; i < outcomes.length; i++) {
      // As Array#join: an absent expectation reads as empty.
      const part = outcomes[i].expected ?? '';
      next.push(part);
      text = i === 0 ? part : `${text}${this.joiner}${part}`;
    }
    this.parts = next;
    this.text = text;
    return text;
  }
}

/** Whether an equal evidence entry (same object, or same source, kind, time and summary) is listed. */
function listed(evidence: readonly EvidenceUsed[], e: EvidenceUsed): boolean {
  for (let i = 0; i < evidence.length; i++) {
    const x = evidence[i];
    if (
      x === e ||
      (x.source === e.source &&
        x.kind === e.kind &&
        x.observedAt === e.observedAt &&
        x.summary === e.summary)
    )
      return true;
  }
  return false;
}

/** A child's message without its own expectation and final stop: what it found, where. */
function findingOf(message: string): string {
  const cut = message.lastIndexOf('; expected ');
  const text = cut >= 0 ? message.slice(0, cut) : message;
  return text.endsWith('.') ? text.slice(0, -1) : text;
}

/** Lower-cases a leading plain word (`No` → `no`), leaving names (`RUNBOOK.md`, refs) alone. */
function continuing(text: string): string {
  const first = text.charCodeAt(0);
  const second = text.charCodeAt(1);
  return first >= 65 && first <= 90 && second >= 97 && second <= 122
    ? `${text[0].toLowerCase()}${text.slice(1)}`
    : text;
}

/**
 * The fail of an any-of: no alternative holds, so every one is named with what was found for
 * it (§2.6: "No `runbook` link in metadata.links and no docs/runbook.md or RUNBOOK.md in …;
 * expected one of them"), then the alternatives once. The reason is the first failing
 * alternative's; when none failed (every one not applicable) it is `NO_ALTERNATIVE`.
 */
function noAlternative(
  outcomes: readonly RawOutcome[],
  expected: string,
  evidence: EvidenceUsed[],
): RawOutcome {
  let reason = 'NO_ALTERNATIVE';
  let findings = '';
  let found = '';
  for (let i = 0; i < outcomes.length; i++) {
    const o = outcomes[i];
    if (reason === 'NO_ALTERNATIVE' && o.state === 'fail') reason = o.reason;
    const finding = findingOf(o.message ?? '');
    if (i === 0) {
      findings = finding;
      found = o.found ?? '';
    } else {
      let separator = ', ';
      if (i === outcomes.length - 1)
        separator = outcomes.length === 2 ? ' and ' : ', and ';
      findings = `${findings}${separator}${continuing(finding)}`;
      found = `${found}; ${o.found ?? ''}`;
    }
  }
  return {
    state: 'fail',
    reason,
    message: `${findings}; expected ${expected}.`,
    expected,
    found,
    evidence,
    missing: [],
  };
}

function merge(
  ctx: CheckContext,
  p: Compiled,
  combine: (states: RawState[]) => RawState,
): RawOutcome {
  const anyOf = combine === combineAnyOf;
  const calls = p.calls;
  const outcomes: RawOutcome[] = new Array(calls.length);
  const states: RawState[] = new Array(calls.length);
  for (let i = 0; i < calls.length; i++) {
    const o = ctx.run(calls[i]);
    outcomes[i] = o;
    states[i] = o.state;
  }
  const state = combine(states);
  // The first input in the combined state explains the result; a fail is always decided by
  // fresh evidence, so unknown inputs add their missing items only to an unknown result.
  let decisive = outcomes[0];
  for (let i = 0; i < outcomes.length; i++) {
    if (outcomes[i].state === state) {
      decisive = outcomes[i];
      break;
    }
  }
  const evidence: EvidenceUsed[] = [];
  const missing: MissingEvidence[] = [];
  let notes: string[] | undefined;
  for (let i = 0; i < outcomes.length; i++) {
    const o = outcomes[i];
    const childEvidence = o.evidence;
    for (let k = 0; k < childEvidence.length; k++) {
      const e = childEvidence[k];
      if (!listed(evidence, e)) evidence.push(e);
    }
    if (state === 'unknown' && o.state === 'unknown') {
      for (let k = 0; k < o.missing.length; k++) missing.push(o.missing[k]);
    }
    const childNotes = o.notes;
    if (childNotes) {
      for (let k = 0; k < childNotes.length; k++) {
        notes ??= [];
        if (!notes.includes(childNotes[k])) notes.push(childNotes[k]);
      }
    }
  }
  const expected = p.expectations.join(outcomes);
  const result: RawOutcome =
    anyOf && state === 'fail'
      ? noAlternative(outcomes, expected, evidence)
      : {
          state,
          reason: decisive.reason,
          message: decisive.message,
          expected,
          found: decisive.found,
          evidence,
          missing,
        };
  if (notes && notes.length > 0) result.notes = notes;
  return result;
}

function compileChildren(
  joiner: string,
): (p: Params, compileChild: CompileChild) => Compiled {
  return (p, compileChild) => ({
    of: p.of,
    calls: p.of.map((spec, i) => compileChild(spec, `of[${i}].`)),
    expectations: new JoinedExpectations(joiner),
  });
}

/** `all-of`: every input must pass (three-valued, scorecards §2.5). */
export const allOfCheckType = defineCheckType<Params, Compiled>({
  id: 'all-of',
  notesTimeLimits: true,
  description:
    'Every nested check passes: any fail → fail, else any unknown → unknown.',
  paramsSchema,
  compile: compileChildren(' and '),
  needs: p => p.calls.flatMap(c => c.type.needs(c.params)),
  evaluate: (ctx, p) => merge(ctx, p, combineAllOf),
});

/** `any-of`: one passing input suffices (three-valued, scorecards §2.5). */
export const anyOfCheckType = defineCheckType<Params, Compiled>({
  id: 'any-of',
  notesTimeLimits: true,
  description:
    'At least one nested check passes: any pass → pass, else any unknown → unknown, else fail (also when none applies).',
  paramsSchema,
  compile: compileChildren(' or '),
  needs: p => p.calls.flatMap(c => c.type.needs(c.params)),
  evaluate: (ctx, p) => merge(ctx, p, combineAnyOf),
});
