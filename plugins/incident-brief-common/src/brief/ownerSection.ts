import { Entity } from '@backstage/catalog-model';
import { BlastRadiusResult } from '../blastRadius/types';
import {
  EntityLookup,
  personName,
  resolveOwnership,
} from '../ownership/resolveOwnership';
import { OnCallLookup } from '../ownership/types';
import { rateOwnerConfidence } from './rateSectionConfidence';
import { ConfidenceLevel, IncidentBrief } from './types';

/**
 * The owner section of a brief (§6.2) and its confidence: who owns `entity`, who is on call and
 * how to escalate, the owners of the Resources among its `dependencies` (substrate, 48) and the
 * on-call people's display names. The brief and the owner-only read both build it here, so the
 * Owner & on-call card and the brief tab always say the same.
 */
export function ownerSectionOf(
  entity: Entity,
  lookup: EntityLookup,
  onCall: OnCallLookup,
  dependencies: BlastRadiusResult,
): { owner: IncidentBrief['owner']; confidence: ConfidenceLevel } {
  const ownership = resolveOwnership(entity, lookup, onCall);
  const current = ownership.onCall;
  return {
    owner: {
      ...ownership,
      substrateOwners: dependencies.impacted
        .filter(d => d.kind === 'resource' && d.resolved && d.owner)
        .map(d => ({ ref: d.ref, owner: d.owner! })),
      onCallNames: current
        ? {
            primary: personName(current.primary, lookup),
            ...(current.secondary
              ? { secondary: personName(current.secondary, lookup) }
              : {}),
          }
        : null,
    },
    confidence: rateOwnerConfidence(ownership.issues, current !== null),
  };
}
