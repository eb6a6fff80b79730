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
  CompiledCall,
  defineCheckType,
} from '../checkType';
import { checkCallSpecSchema } from '../checkTypeRegistry';

const paramsSchema = z.object({ of: z.array(checkCallSpecSchema).min(1) });
type Params = { of: CheckCallSpec[] };
type Compiled = { of: CheckCallSpec[]; calls: CompiledCall[] };

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

function merge(
  ctx: CheckContext,
  p: Compiled,
  combine: (states: RawState[]) => RawState,
  joiner: string,
): RawOutcome {
  const calls = p.calls;
  const outcomes: RawOutcome[] = [];
  const states: RawState[] = [];
  for (let i = 0; i < calls.length; i++) {
    const o = ctx.run(calls[i]);
    outcomes.push(o);
    states.push(o.state);
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
  let expected = '';
  for (let i = 0; i < outcomes.length; i++) {
    const o = outcomes[i];
    // As Array#join: an absent expectation reads as empty.
    const part = o.expected ?? '';
    expected = i === 0 ? part : `${expected}${joiner}${part}`;
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
  const result: RawOutcome = {
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
  p: Params,
  compileChild: (spec: CheckCallSpec, path: string) => CompiledCall,
): Compiled {
  return {
    of: p.of,
    calls: p.of.map((spec, i) => compileChild(spec, `of[${i}].`)),
  };
}

/** `all-of`: every input must pass (three-valued, scorecards §2.5). */
export const allOfCheckType = defineCheckType<Params, Compiled>({
  id: 'all-of',
  description:
    'Every nested check passes: any fail → fail, else any unknown → unknown.',
  paramsSchema,
  compile: compileChildren,
  needs: p => p.calls.flatMap(c => c.type.needs(c.params)),
  evaluate: (ctx, p) => merge(ctx, p, combineAllOf, ' and '),
});

/** `any-of`: one passing input suffices (three-valued, scorecards §2.5). */
export const anyOfCheckType = defineCheckType<Params, Compiled>({
  id: 'any-of',
  description:
    'At least one nested check passes: any pass → pass, else any unknown → unknown, else fail.',
  paramsSchema,
  compile: compileChildren,
  needs: p => p.calls.flatMap(c => c.type.needs(c.params)),
  evaluate: (ctx, p) => merge(ctx, p, combineAnyOf, ' or '),
});
