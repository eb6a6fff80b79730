/**
 * The share of examined edges that are confirmed, as a whole percentage rounded down, or
 * undefined when the ratio is unknown. Rounded down: a rounded 49.75 % would read "50 %" next to
 * `low` (< 0.5) and 79.6 % "80 %" next to `medium`; a floored percentage is ≥ 50 or ≥ 80 exactly
 * when the ratio reaches the level (§3.3). The card, the brief tab and the markdown all show it.
 */
export function confirmedPercent(
  edgeStats: { confirmed: number; examined: number },
  ratio: number | null,
): number | undefined {
  if (ratio === null) return undefined;
  return edgeStats.examined > 0
    ? Math.floor((edgeStats.confirmed * 100) / edgeStats.examined)
    : Math.floor(ratio * 100);
}
