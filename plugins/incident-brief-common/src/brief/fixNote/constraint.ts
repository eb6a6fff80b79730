import { FlagAttrs } from '../../changes/types';
import { displayRef } from '../../refs/entityRefs';
import { BriefChange, FixNoteBrief } from './types';
import { describeRoot, isRestricted, kindNoun, text } from './words';

/** What the Constraint line says when the brief implicates no change. */
export const CONSTRAINT_PLACEHOLDER =
  '<implicated change(s) with risk tier and the dimensions that scored 3>';

/**
 * The changes the note implicates, in ledger order: the ⚑ changes (started within 60 min before T,
 * running at T, or in progress) of the entity itself; without any, the ⚑ changes of its
 * dependencies; without those, none. Changes the brief marks as restricted are never implicated.
 */
export function implicatedChanges(brief: FixNoteBrief): BriefChange[] {
  const flagged = brief.changes.items.filter(
    i => i.highlighted && !isRestricted(i.entityRef),
  );
  const own = flagged.filter(i => i.hop === 0);
  return own.length ? own : flagged;
}

/** `checkout.split-tender went 0 → 100 %`, `deploy 5.8.2 canary → 100 %`, `config …, failed`. */
function whatChanged(item: BriefChange): string {
  const c = item.change;
  const flag =
    c.kind === 'feature-flag' ? (c.attributes as Partial<FlagAttrs>) : {};
  let out =
    flag.flagKey && flag.exposure
      ? `${text(flag.flagKey)} went ${flag.exposure.from} → ${
          flag.exposure.to
        } %`
      : `${kindNoun(c.kind)} ${text(c.summary)}`;
  const d4 = item.risk?.dimensions.find(d => d.id === 'D4');
  if (d4?.value === 3 && d4.reason.startsWith('one step'))
    out += ' in one step';
  if (item.inProgress) out += ', still in progress';
  else if (c.status !== 'succeeded') out += `, ${c.status}`;
  return out;
}

/** `Medium 11: D1 = 3, D4 = 3, no guardrail` — tier, score, dimensions at 3, D7's evidence gaps. */
function riskText(item: BriefChange): string {
  const risk = item.risk;
  if (!risk) return 'risk not scored';
  const parts = risk.dimensions
    .filter(d => d.value === 3)
    .map(d => `${d.id} = 3`);
  const d7 = risk.dimensions.find(d => d.id === 'D7');
  if (d7 && d7.value > 0) {
    parts.push(...d7.reason.split('; ').map(g => g.replace(/^\([a-z]\) /, '')));
  }
  if (risk.floorsApplied.length)
    parts.push(`floors ${risk.floorsApplied.join(', ')}`);
  if (risk.lowConfidence) parts.push('low confidence');
  return `${risk.tier} ${risk.score}${
    parts.length ? `: ${parts.join(', ')}` : ''
  }`;
}

/**
 * The prefilled Constraint (IB §6.4): the implicated changes with their risk tier and the
 * dimensions that scored 3, and the tier and customer-facing of the service —
 * `checkout.split-tender went 0 → 100 % in one step on a tier-1 customer-facing service (Medium 11:
 * D1 = 3, D2 = 3, D4 = 3, no guardrail)`. When only dependency changes are implicated, or none (the
 * placeholder stays), the service's tier and customer-facing follow: `…; checkout-service is a
 * tier-1 customer-facing service`.
 */
export function describeConstraint(brief: FixNoteBrief): string {
  const root = describeRoot(brief.header);
  const changes = implicatedChanges(brief);
  const phrases = changes.map(item => {
    const where =
      item.hop === 0
        ? root
        : `${text(displayRef(item.entityRef))} (dependency, hop ${item.hop})`;
    return `${whatChanged(item)} on ${where} (${riskText(item)})`;
  });
  if (changes.some(i => i.hop === 0)) return phrases.join('; ');
  return `${
    phrases.length ? phrases.join('; ') : CONSTRAINT_PLACEHOLDER
  }; ${text(displayRef(brief.header.ref))} is ${root}`;
}
