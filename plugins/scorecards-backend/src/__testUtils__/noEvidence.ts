import type { EvidenceService } from '@internal/plugin-evidence-node';

/**
 * An evidence store that is up and holds nothing, as of `asOf`: every entity asked for has no
 * facts and no collection status, and no source reports its health.
 */
export function noEvidence(asOf: string): EvidenceService {
  return {
    async readEntities(refs: string[]) {
      return {
        available: true,
        asOf,
        data: new Map(refs.map(ref => [ref, { facts: [], collection: [] }])),
      };
    },
    async sourceHealth() {
      return { available: true, asOf, data: [] };
    },
  } as Partial<EvidenceService> as EvidenceService;
}
