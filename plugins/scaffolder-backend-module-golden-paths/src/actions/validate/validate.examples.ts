import type { TemplateExample } from '@backstage/plugin-scaffolder-node';

/** YAML examples of `goldenpath:validate` (shown on the actions page, run as tests). */
export const examples: TemplateExample[] = [
  {
    description:
      'Validate a TypeScript HTTP service request (T1), passing the template parameters as the request',
    example: `steps:
  - id: validate
    action: goldenpath:validate
    name: Check the request against golden-path policy
    input:
      kind: service
      request: \${{ parameters }}
`,
  },
  {
    description:
      'Validate an explicit service request with its own idempotency key (API callers)',
    example: `steps:
  - id: validate
    action: goldenpath:validate
    name: Check the request against golden-path policy
    input:
      kind: service
      idempotencyKey: service-node-http:cart-api
      request:
        name: cart-api
        description: Keeps shopping carts for signed-in and guest shoppers.
        owner: group:default/checkout-team
        system: system:default/checkout
        tier: '2'
        customerFacing: true
        exposure: internal
        dataClassification: low
        runbook: generate-stub
        sloAvailability: '99.5'
        sloLatencyP95Ms: 300
        region: eu-west-1
`,
  },
];
