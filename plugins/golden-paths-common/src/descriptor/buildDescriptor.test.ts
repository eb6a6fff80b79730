import { parseRequest } from '../request/parseRequest';
import { requestFingerprint } from '../request/requestFingerprint';
import { fixtureConfig, S0, T } from '../__fixtures__/demo';
import { buildDescriptor, DescriptorInput } from './buildDescriptor';

function s0(delta: Record<string, unknown> = {}) {
  const parsed = parseRequest('service', { ...S0, ...delta }, fixtureConfig);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed));
  return parsed.request as DescriptorInput['request'];
}

const github = {
  mode: 'github' as const,
  browseBase: 'https://github.com/acme/cart-api/blob/main',
  sourceLocation: 'url:https://github.com/acme/cart-api/tree/main/',
  projectSlug: 'acme/cart-api',
};

function input(delta: Partial<DescriptorInput> = {}): DescriptorInput {
  const request = s0();
  return {
    request,
    requestKey: 'service-node-http:cart-api',
    fingerprint: requestFingerprint(
      'template:default/service-node-http',
      request,
    ),
    templateRef: 'template:default/service-node-http',
    templateVersion: '1.0.0',
    createdAt: T,
    createdBy: 'user:default/ana.ruiz',
    publish: github,
    ...delta,
  };
}

describe('buildDescriptor (golden-paths.md §2.1)', () => {
  it('writes the Component of the §2.1 example for request S0 in GitHub mode', () => {
    const d = buildDescriptor(input());
    const [component, api] = d.entities;
    expect(component).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'cart-api',
        description: 'Keeps shopping carts for signed-in and guest shoppers.',
        labels: {
          'ops.example.com/tier': '2',
          'ops.example.com/customer-facing': 'true',
        },
        annotations: {
          'ops.example.com/regions': 'eu-west-1',
          'ops.example.com/data-classification': 'low',
          'ops.example.com/slo-ids': 'cart-api-availability',
          'backstage.io/techdocs-ref': 'dir:.',
          'backstage.io/source-location':
            'url:https://github.com/acme/cart-api/tree/main/',
          'github.com/project-slug': 'acme/cart-api',
          'ops.example.com/template': 'template:default/service-node-http',
          'ops.example.com/template-version': '1.0.0',
          'ops.example.com/request-key': 'service-node-http:cart-api',
          'ops.example.com/created-at': '2026-11-23T10:00:00Z',
        },
        links: [
          {
            url: 'https://github.com/acme/cart-api/blob/main/docs/runbook.md',
            title: 'Runbook',
            type: 'runbook',
          },
          {
            url: 'https://github.com/acme/cart-api/blob/main/slo/cart-api.yaml',
            title: 'SLO 99.5 % / p95 300 ms',
            type: 'slo',
          },
        ],
        tags: ['golden-path', 'typescript', 'http'],
      },
      spec: {
        type: 'service',
        lifecycle: 'experimental',
        owner: 'group:default/checkout-team',
        system: 'system:default/checkout',
        providesApis: ['api:default/cart-api'],
      },
    });
    expect(api.kind).toBe('API');
    expect(api.spec.definition).toEqual({ $text: './openapi.yaml' });
    expect(d.entityRefs).toEqual([
      'component:default/cart-api',
      'api:default/cart-api',
    ]);
    expect(d.goldenPath).toMatchObject({
      requestKey: 'service-node-http:cart-api',
      fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      createdBy: 'user:default/ana.ruiz',
    });
  });

  it('omits the GitHub keys in local mode and writes the on-call only when requested', () => {
    const local = buildDescriptor(
      input({
        publish: { mode: 'local', browseBase: 'file:///r/cart-api.git' },
      }),
    );
    const ann = local.entities[0].metadata.annotations!;
    expect(ann['backstage.io/source-location']).toBeUndefined();
    expect(ann['github.com/project-slug']).toBeUndefined();
    expect(ann['ops.example.com/oncall']).toBeUndefined();

    const withRotation = buildDescriptor(
      input({ request: s0({ oncall: 'static:storefront-primary' }) }),
    );
    expect(
      withRotation.entities[0].metadata.annotations!['ops.example.com/oncall'],
    ).toBe('static:storefront-primary');
  });

  it('writes a requested rotation only when it differs from the owner group’s own (§2.1)', () => {
    const oncallOf = (ownerRotation: string | undefined, oncall: string) =>
      buildDescriptor(
        input({
          request: s0({ oncall }),
          ...(ownerRotation ? { ownerRotation } : {}),
        }),
      ).entities[0].metadata.annotations!['ops.example.com/oncall'];
    expect(
      oncallOf('static:checkout-primary', 'static:checkout-primary'),
    ).toBeUndefined();
    expect(
      oncallOf(' static:checkout-primary ', 'static:checkout-primary'),
    ).toBeUndefined();
    expect(oncallOf('static:checkout-primary', 'static:checkout-night')).toBe(
      'static:checkout-night',
    );
    expect(oncallOf(undefined, 'static:checkout-primary')).toBe(
      'static:checkout-primary',
    );
  });

  it('links an existing runbook, none for runbook "none", and a configured dashboard', () => {
    const existing = buildDescriptor(
      input({
        request: s0({
          runbook: 'existing-url',
          runbookUrl: 'https://wiki.example.com/cart-api',
        }),
        dashboardUrl: 'https://grafana.example.com/d/cart-api',
      }),
    );
    expect(existing.entities[0].metadata.links).toEqual([
      {
        url: 'https://wiki.example.com/cart-api',
        title: 'Runbook',
        type: 'runbook',
      },
      expect.objectContaining({ type: 'slo' }),
      {
        url: 'https://grafana.example.com/d/cart-api',
        title: 'Dashboard',
        type: 'dashboard',
      },
    ]);
    const none = buildDescriptor(
      input({ request: s0({ runbook: 'none', tier: '3' }) }),
    );
    expect(none.entities[0].metadata.links!.map(l => l.type)).toEqual(['slo']);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(buildDescriptor(input()))).toBe(
      JSON.stringify(buildDescriptor(input())),
    );
  });
});
