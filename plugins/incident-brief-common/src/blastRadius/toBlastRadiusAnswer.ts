import { BlastRadiusAnswer, BlastRadiusResult } from './types';

/** The answer of a result: everything but `examinedEdges` (not copied). */
export function toBlastRadiusAnswer(
  result: BlastRadiusResult,
): BlastRadiusAnswer {
  const { examinedEdges: _examined, ...answer } = result;
  return answer;
}
