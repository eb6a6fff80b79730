import { compareStrings } from '../refs/compareStrings';
import { GraphNodeSummary } from '../graph/types';

const tierRank = (tier: 1 | 2 | 3 | null) => (tier === null ? 4 : tier);

/** Output order of §3.2: hop ↑, tier (1, 2, 3, unknown), customer-facing first, ref ↑. */
export function compareImpacted(
  a: { hop: number; node: GraphNodeSummary },
  b: { hop: number; node: GraphNodeSummary },
): number {
  if (a.hop !== b.hop) return a.hop - b.hop;
  const t = tierRank(a.node.tier) - tierRank(b.node.tier);
  if (t !== 0) return t;
  const cf =
    (b.node.customerFacing === true ? 1 : 0) -
    (a.node.customerFacing === true ? 1 : 0);
  if (cf !== 0) return cf;
  return compareStrings(a.node.ref, b.node.ref);
}
