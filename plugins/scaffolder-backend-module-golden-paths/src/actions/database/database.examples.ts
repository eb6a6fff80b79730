import type { TemplateExample } from '@backstage/plugin-scaffolder-node';

// YAML examples of the database actions (shown on the actions page, parsed by the tests).

export const databasePlanExamples: TemplateExample[] = [
  {
    description:
      'Plan the database of a validated request; the approval binds to planDigest',
    example: `steps:
  - id: plan
    action: goldenpath:database:plan
    name: Plan the database
    input:
      request: \${{ steps.validate.output.request }}
      requestKey: \${{ steps.validate.output.requestKey }}
      fingerprint: \${{ steps.validate.output.fingerprint }}
      templateRef: \${{ steps.validate.output.templateRef }}
      mode: \${{ steps.open.output.mode }}
`,
  },
];

export const databaseApplyExamples: TemplateExample[] = [
  {
    description:
      'Apply the approved plan (re-planned and compared by digest before anything is created)',
    example: `steps:
  - id: apply
    action: goldenpath:database:apply
    name: Create the database
    if: \${{ steps.open.output.run.apply }}
    input:
      request: \${{ steps.validate.output.request }}
      requestKey: \${{ steps.validate.output.requestKey }}
      fingerprint: \${{ steps.validate.output.fingerprint }}
      templateRef: \${{ steps.validate.output.templateRef }}
      planDigest: \${{ steps.plan.output.planDigest }}
      plan: \${{ steps.plan.output.plan }}
      approvalDecision: \${{ steps.approve.output.decision }}
      approvalId: \${{ steps.approve.output.approvalId }}
      mode: \${{ steps.open.output.mode }}
`,
  },
];

export const databaseDescriptorExamples: TemplateExample[] = [
  {
    description:
      'Write resources/<name>-<environment>.yaml into the workspace (local mode: on top of the infrastructure repository)',
    example: `steps:
  - id: descriptor
    action: goldenpath:database:descriptor
    name: Write the Resource descriptor
    input:
      request: \${{ steps.validate.output.request }}
      requestKey: \${{ steps.validate.output.requestKey }}
      fingerprint: \${{ steps.validate.output.fingerprint }}
      templateRef: \${{ steps.validate.output.templateRef }}
      templateVersion: \${{ steps.validate.output.templateVersion }}
      createdAt: \${{ steps.open.output.createdAt }}
      publishMode: \${{ steps.validate.output.publishMode }}
      secretRef: \${{ steps.apply.output.secretRef }}
      provisioner: \${{ steps.plan.output.provisioner }}
`,
  },
];
