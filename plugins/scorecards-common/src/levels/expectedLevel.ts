import { Tier } from '../catalog/entitySubject';
import { ScorecardsConfig } from '../config/scorecardsConfig';
import { LEVEL_IDS, LevelId } from '../model/levels';

/**
 * Expected level (SR27): tier 1 → L3, tier 2 → L2, tier 3 / unknown → L1, experimental → L1
 * (configurable), then capped at the ceiling; null without a ceiling.
 */
export function expectedLevel(
  tier: Tier,
  lifecycle: string,
  ceiling: LevelId | null,
  levels: ScorecardsConfig['expectedLevels'],
): LevelId | null {
  if (ceiling === null) return null;
  let expected: LevelId;
  if (lifecycle === 'experimental') expected = levels.experimental;
  else if (tier === 1) expected = levels.tier1;
  else if (tier === 2) expected = levels.tier2;
  else if (tier === 3) expected = levels.tier3;
  else expected = levels.unknown;
  return LEVEL_IDS.indexOf(expected) > LEVEL_IDS.indexOf(ceiling)
    ? ceiling
    : expected;
}
