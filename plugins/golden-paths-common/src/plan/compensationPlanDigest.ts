import { fingerprint } from '@internal/plugin-evidence-common';

/**
 * What identifies one item of a compensation plan that would act (§8 "Revert"): the step, the
 * action that ran it, what the plan does and to what. Descriptions and details are words about
 * these and are never hashed.
 *
 * @public
 */
export interface CompensationDigestItem {
  stepId: string;
  action: string;
  plan: string;
  target?: string;
  commitSha?: string;
  dependsOn?: string;
  approvalIds?: string[];
}

/**
 * `sha256:` of the canonical list of compensation items a real run would act on, in plan order,
 * so the real run can refuse to act on anything but the dry run the operator confirmed (as an
 * approval binds to a {@link planDigest}, §6). The same items give the same digest whatever their
 * order of members or their wording.
 *
 * @public
 */
export function compensationPlanDigest(
  requestKey: string,
  acting: readonly CompensationDigestItem[],
): string {
  return fingerprint({
    requestKey,
    items: acting.map(i => ({
      stepId: i.stepId,
      action: i.action,
      plan: i.plan,
      target: i.target ?? null,
      commitSha: i.commitSha ?? null,
      dependsOn: i.dependsOn ?? null,
      approvalIds: i.approvalIds ? [...i.approvalIds].sort() : null,
    })),
  });
}
