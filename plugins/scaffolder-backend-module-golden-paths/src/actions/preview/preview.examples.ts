import type { TemplateExample } from '@backstage/plugin-scaffolder-node';

/** YAML examples of `goldenpath:preview`. */
export const examples: TemplateExample[] = [
  {
    description: 'Preview what a validated service request would do',
    example: `steps:
  - id: preview
    action: goldenpath:preview
    input:
      request: \${{ steps.validate.output.request }}
      requestKey: \${{ steps.validate.output.requestKey }}
      fingerprint: \${{ steps.validate.output.fingerprint }}
      templateRef: \${{ steps.validate.output.templateRef }}
      templateVersion: \${{ steps.validate.output.templateVersion }}
      policyVersion: \${{ steps.validate.output.policyVersion }}
      approvalTriggers: \${{ steps.validate.output.approvalTriggers }}
      names: \${{ steps.validate.output.names }}
      publishMode: \${{ steps.validate.output.publishMode }}
`,
  },
];
