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

function merge(
  ctx: CheckContext,
  p: Compiled,
  combine: (states: RawState[]) => RawState,
  joiner: string,
): RawOutcome {
  const outcomes = p.calls.map(call => ctx.run(call));
  const state = combine(outcomes.map(o => o.state));
  // The first input in the combined state explains the result; a fail is always decided by
  // fresh evidence, so unknown inputs add their missing items only to an unknown result.
  const decisive = outcomes.find(o => o.state === state) ?? outcomes[0];
  const evidence: EvidenceUsed[] = [];
  const missing: MissingEvidence[] = [];
  const notes: string[] = [];
  for (const o of outcomes) {
    for (const e of o.evidence) {
      if (
        !evidence.some(
          x =>
            x === e ||
            (x.source === e.source &&
              x.kind === e.kind &&
              x.observedAt === e.observedAt &&
              x.summary === e.summary),
        )
      ) {
        evidence.push(e);
      }
    }
    if (state === 'unknown' && o.state === 'unknown')
      missing.push(...o.missing);
    if (o.notes) for (const n of o.notes) if (!notes.includes(n)) notes.push(n);
  }
  const result: RawOutcome = {
    state,
    reason: decisive.reason,
    message: decisive.message,
    expected: outcomes.map(o => o.expected).join(joiner),
    found: decisive.found,
    evidence,
    missing,
  };
  if (notes.length > 0) result.notes = notes;
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
