import { readTitle } from '../graph/entityMetadata';
import { normalizeRef } from '../refs/entityRefs';
import { parseInstant } from '../time/parseInstant';
import { allPages } from './allPages';
import { BriefInput } from './assembleBrief';
import { ownerSectionOf } from './ownerSection';
import { ConfidenceLevel, IncidentBrief } from './types';

/** What {@link assembleOwnerBrief} reads: the brief's inputs that decide its owner section. */
export type OwnerBriefInput = Pick<
  BriefInput,
  | 'entityRef'
  | 'index'
  | 'lookup'
  | 'onCall'
  | 'at'
  | 'now'
  | 'generatedAt'
  | 'dependencyHops'
>;

/**
 * The owner section of an entity's brief with the header fields it is read with (ours: the
 * Owner & on-call card's read). Equal to the brief's `owner`, `confidence.owner` and those
 * header fields for the same inputs; it skips what a brief adds — the blast radius, the ledger,
 * the risk of changes and their owners' on-call — so a shared service's card reads a few kB
 * instead of its whole brief.
 */
export interface OwnerBrief {
  header: Pick<
    IncidentBrief['header'],
    'title' | 'ref' | 'generatedAt' | 'incidentTime' | 'evaluatedAt'
  >;
  owner: IncidentBrief['owner'];
  confidence: { owner: ConfidenceLevel };
}

/**
 * The owner part of {@link assembleBrief}: the same checks of the times and the root, the same
 * dependency search for substrate owners (`dependencyHops`, default 2), the same section.
 */
export function assembleOwnerBrief(input: OwnerBriefInput): OwnerBrief {
  // the caller's times, checked before anything reads them (400, not a RangeError or NaN)
  parseInstant('now', input.now);
  parseInstant('at', input.at);
  parseInstant('generatedAt', input.generatedAt);
  const root = normalizeRef(input.entityRef);
  const entity = input.lookup(root);
  if (!entity || input.index.idOf(root) < 0) {
    throw new Error(`entity ${root} not found`);
  }
  const dependencies = allPages(
    input.index,
    root,
    { direction: 'dependencies', hops: input.dependencyHops ?? 2 },
    input.now,
  );
  const { owner, confidence } = ownerSectionOf(
    entity,
    input.lookup,
    input.onCall,
    dependencies,
  );
  return {
    header: {
      title: readTitle(entity),
      ref: root,
      generatedAt: input.generatedAt,
      incidentTime: input.at,
      evaluatedAt: input.now,
    },
    owner,
    confidence: { owner: confidence },
  };
}
