import { parseJsonApart } from '@internal/plugin-evidence-common';
import type {
  EntityEvidence,
  EvidenceService,
} from '@internal/plugin-evidence-node';
import { evidenceAnswers } from './evidenceServer';
import { syntheticWorld } from './syntheticWorld';

/**
 * The evidence of the pipeline bench's synthetic world (`syntheticWorld.ts`), served in process:
 * each ref's answer serialized once, `readEntities()` parsing the JSON of the refs asked for as
 * `DefaultEvidenceService` parses the response of `POST /read` (`parseJsonApart`), `changedEntities()` listing every
 * ref with evidence. For benches of the module's `EvidenceMirror`.
 */
export function fakeEvidenceStore(entities: number, seed: number) {
  const world = syntheticWorld(entities, seed);
  const answer = evidenceAnswers(world);
  const json = new Map(
    answer.refs.map(ref => [ref, JSON.stringify(answer(ref))]),
  );
  const parse = (refs: string[]) =>
    new Map<string, EntityEvidence>(
      parseJsonApart(
        `[${refs.map(r => `[${JSON.stringify(r)},${json.get(r)}]`).join(',')}]`,
      ) as [string, EntityEvidence][],
    );
  const asOf = new Date().toISOString();
  const evidence = {
    async changedEntities() {
      return {
        available: true,
        asOf,
        data: { refs: answer.refs, until: String(Date.now()) },
      } as const;
    },
    async readEntities(refs: string[]) {
      return { available: true, asOf, data: parse(refs) } as const;
    },
    async sourceHealth() {
      return { available: true, asOf, data: [] } as const;
    },
  } as Partial<EvidenceService> as EvidenceService;
  return { world, refs: answer.refs, parse, evidence };
}
