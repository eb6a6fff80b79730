import { useApi } from '@backstage/frontend-plugin-api';
import { LabelledSelect, useAsyncResult } from '@internal/suite-react';
import {
  RollupEntityFilter,
  readCampaignSummaries,
  readCheckDefinitions,
  scorecardsApiRef,
} from '../api';

const ANY = '';
const KINDS = [ANY, 'Component', 'Resource', 'API', 'System'] as const;
const TIERS = [ANY, '1', '2', '3', 'unknown'] as const;
const LIFECYCLES = [
  ANY,
  'experimental',
  'production',
  'deprecated',
  'archived',
] as const;

/**
 * The backend's entity filters of `GET /rollups` (§7.3: kind, lifecycle, tier, check, campaign):
 * they choose which entities the rows count, where the page's own level and text filters choose
 * rows. Checks and campaigns are listed from the backend; when it cannot list them, those two
 * offer "any" only.
 */
export function RollupEntityFilters(props: {
  value: RollupEntityFilter;
  onChange: (value: RollupEntityFilter) => void;
}) {
  const { value, onChange } = props;
  const api = useApi(scorecardsApiRef);
  const checks = useAsyncResult(() => readCheckDefinitions(api), [api]);
  const campaigns = useAsyncResult(() => readCampaignSummaries(api), [api]);
  const checkIds = [ANY, ...(checks.value ?? []).map(c => c.id).sort()];
  const campaignTitles = new Map(
    (campaigns.value?.items ?? []).map(c => [c.id, c.title] as const),
  );
  const set = (field: keyof RollupEntityFilter, chosen: string) => {
    const next = { ...value };
    if (chosen === ANY) delete next[field];
    else next[field] = chosen;
    onChange(next);
  };
  return (
    <>
      <LabelledSelect
        id="rollup-kind-filter"
        label="Kind"
        value={value.kind ?? ANY}
        options={KINDS}
        optionLabel={k => k || 'Any kind'}
        onChange={k => set('kind', k)}
      />
      <LabelledSelect
        id="rollup-tier-filter"
        label="Tier"
        value={value.tier ?? ANY}
        options={TIERS}
        optionLabel={t => (t === ANY ? 'Any tier' : `Tier ${t}`)}
        onChange={t => set('tier', t)}
      />
      <LabelledSelect
        id="rollup-lifecycle-filter"
        label="Lifecycle"
        value={value.lifecycle ?? ANY}
        options={LIFECYCLES}
        optionLabel={l => l || 'Any lifecycle'}
        onChange={l => set('lifecycle', l)}
      />
      <LabelledSelect
        id="rollup-check-filter"
        label="Check"
        value={value.check ?? ANY}
        options={checkIds}
        optionLabel={c => c || 'Any check'}
        onChange={c => set('check', c)}
        minWidth={140}
      />
      <LabelledSelect
        id="rollup-campaign-filter"
        label="Campaign"
        value={value.campaign ?? ANY}
        options={[ANY, ...campaignTitles.keys()]}
        optionLabel={c =>
          c === ANY ? 'Any campaign' : campaignTitles.get(c) ?? c
        }
        onChange={c => set('campaign', c)}
        minWidth={140}
      />
    </>
  );
}
