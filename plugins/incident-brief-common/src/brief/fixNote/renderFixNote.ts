import { escapeHeading } from '../markdownText';
import { describeBoundary } from './boundary';
import { catalogCorrections } from './catalogCorrections';
import { describeConstraint } from './constraint';
import { FixNoteBrief, FixNoteOptions } from './types';

/** Placeholders of the §6.4 frame that the brief never fills: the author writes them. */
export const FIX_NOTE_PLACEHOLDERS = {
  title: '<title>',
  category:
    '<configuration rollout | data freshness | build dependency | live workflow | operational dashboard | other>',
  signal: '<SLO / alert / business metric; link>',
  rule: '<rule>',
  technicalChange: '<new pattern / interface / test / operational improvement>',
  validation:
    '<customer-visible signal / automated check / observation during rollout>',
} as const;

/**
 * The optional post-incident fix note of IB §6.4 as markdown: 86's four dimensions — constraint,
 * signal, boundary, operating rule — prefilled where the brief knows the answer (the implicated
 * changes and their risk, the owners, the catalog corrections) and `<placeholders>` elsewhere.
 * The operating rule itself is never generated. Pure and deterministic: the same brief gives the
 * same text. Entities and changes the brief marks as restricted are never named.
 */
export function renderFixNote(
  brief: FixNoteBrief,
  options: FixNoteOptions = {},
): string {
  const p = FIX_NOTE_PLACEHOLDERS;
  const corrections = catalogCorrections(brief.missingEvidence);
  const lines = [
    `## Fix note: ${
      options.title?.trim() ? escapeHeading(options.title.trim()) : p.title
    }`,
    `Failure mode category: ${p.category}`,
    `**Constraint** — why this fix was dangerous or pressing: ${describeConstraint(
      brief,
    )}`,
    `**Signal** — the measurement that showed customers were affected, and later that they no longer were: ${p.signal}`,
    `**Boundary** — which team or subsystem held each piece of the fix: ${describeBoundary(
      brief,
      options,
    )}`,
    `**Operating rule** — the rule that makes the next fix of this kind simpler: ${
      p.rule
    }; catalog corrections:${corrections.length ? '' : ' none in the brief'}`,
    ...(corrections.length ? ['', ...corrections, ''] : []),
    `Technical change: ${p.technicalChange} · Validation: ${p.validation}`,
  ];
  return `${lines.join('\n')}\n`;
}
