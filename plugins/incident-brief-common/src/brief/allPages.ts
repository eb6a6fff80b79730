import { computeBlastRadius } from '../blastRadius/computeBlastRadius';
import { BlastRadiusResult } from '../blastRadius/types';
import { GraphIndex } from '../graph/GraphIndex';

/** Every page of one root's search, as one untruncated result (the brief lists them all). */
export function allPages(
  index: GraphIndex,
  root: string,
  options: Parameters<typeof computeBlastRadius>[2],
  now: string,
): BlastRadiusResult {
  const first = computeBlastRadius(
    index,
    [root],
    { ...options, limit: 5000 },
    now,
  );
  let cursor = first.nextCursor;
  while (cursor) {
    const next = computeBlastRadius(
      index,
      [root],
      { ...options, limit: 5000, cursor },
      now,
      // the first page carries the examined edges of the whole radius
      { examinedEdges: false },
    );
    first.impacted.push(...next.impacted);
    cursor = next.nextCursor;
  }
  return { ...first, truncated: false, nextCursor: undefined };
}
