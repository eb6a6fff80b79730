import {
  Campaign,
  CampaignEntity,
  CampaignStatus,
  EntityEvaluation,
  SourceHealth,
  computeCampaignProgress,
} from '@internal/plugin-scorecards-common';

/** `EntityScorecard.evidenceHealth` (§7.4): each source this entity's results rely on. */
export interface EvidenceHealthEntry {
  source: string;
  status: SourceHealth['status'];
  lastSuccessAt: string | null;
  /** Check ids whose result used or missed evidence of this source. */
  usedBy: string[];
}

/**
 * The health of every evidence source the entity's results used or missed, so the page can
 * tell a drop caused by an outage from one the team caused (§5, "whether a drop was their
 * change or an evidence outage"). A source without a published health entry counts as healthy,
 * as it does in the engine (`ok`, `lastSuccessAt: null`).
 */
export function evidenceHealthOf(
  evaluation: EntityEvaluation,
  sourceHealth: readonly SourceHealth[],
): EvidenceHealthEntry[] {
  const usedBy = new Map<string, Set<string>>();
  const use = (source: string, checkId: string) => {
    let checks = usedBy.get(source);
    if (!checks) usedBy.set(source, (checks = new Set()));
    checks.add(checkId);
  };
  for (const result of evaluation.results) {
    for (const used of result.evidence) use(used.source, result.checkId);
    for (const missing of result.missing) use(missing.source, result.checkId);
  }
  const health = new Map(sourceHealth.map(h => [h.source, h]));
  return [...usedBy.keys()].sort().map(source => ({
    source,
    status: health.get(source)?.status ?? 'ok',
    lastSuccessAt: health.get(source)?.lastSuccessAt ?? null,
    usedBy: [...usedBy.get(source)!].sort(),
  }));
}

/** `EntityScorecard.campaigns` (§7.4): the campaigns this entity is in, with its status. */
export interface EntityCampaign {
  id: string;
  title: string;
  dueAt: string;
  status: CampaignStatus;
}

/** The active campaigns whose selector takes the entity, with its status in each. */
export function campaignsOf(
  entity: CampaignEntity,
  campaigns: readonly Campaign[],
  at: string,
): EntityCampaign[] {
  const out: EntityCampaign[] = [];
  for (const campaign of campaigns) {
    if (campaign.state !== 'active') continue;
    const progress = computeCampaignProgress(campaign, [entity], at);
    const mine = progress.entities.find(
      e => e.entityRef === entity.evaluation.entityRef,
    );
    if (mine) {
      out.push({
        id: campaign.id,
        title: campaign.title,
        dueAt: campaign.dueAt,
        status: mine.status,
      });
    }
  }
  return out.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}
