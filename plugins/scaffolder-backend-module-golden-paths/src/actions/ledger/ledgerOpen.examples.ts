import type { TemplateExample } from '@backstage/plugin-scaffolder-node';

/** YAML examples of `goldenpath:ledger:open`. */
export const examples: TemplateExample[] = [
  {
    description:
      'Claim the request in the ledger; later steps use run flags so a replay creates nothing',
    example: `steps:
  - id: open
    action: goldenpath:ledger:open
    input:
      kind: service
      request: \${{ steps.validate.output.request }}
      requestKey: \${{ steps.validate.output.requestKey }}
      fingerprint: \${{ steps.validate.output.fingerprint }}
      planDigest: \${{ steps.preview.output.planDigest }}
      templateRef: \${{ steps.validate.output.templateRef }}
      templateVersion: \${{ steps.validate.output.templateVersion }}
      publishMode: \${{ steps.validate.output.publishMode }}
      targets: \${{ steps.validate.output.names }}
  - id: publish
    if: \${{ steps.open.output.run.publish }}
    action: debug:log
    input:
      message: publishing (skipped on replay)
`,
  },
];
