import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  NAME_PATTERN,
  ONCALL_PATTERN,
  REQUEST_KEY_PATTERN,
  serviceRequestSchema,
} from '@internal/plugin-golden-paths-common';
import {
  loadTemplate,
  RUNBOOK_STUB,
  TEMPLATES_DIR,
  requestProperties,
} from './__fixtures__/templates';
import { formErrors } from './__testUtils__/formErrors';
import { renderSkeleton, SERVICE_VALUES } from './__testUtils__/renderSkeleton';
import { S0 } from './__fixtures__/world';

type Props = Record<
  string,
  { pattern?: string; 'ui:field'?: string; enum?: string[] }
>;

function parameterProperties(spec: any): Props {
  return requestProperties(spec);
}

describe('templates/service-node-http', () => {
  const template = loadTemplate('service-node-http/template.yaml');
  const spec = template.spec as any;
  const props = parameterProperties(spec);

  it('is a v1beta3 golden-path template owned by the platform team', () => {
    expect(template.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
    expect(template.metadata.name).toBe('service-node-http');
    expect(template.metadata.tags).toContain('golden-path');
    expect(template.metadata.annotations?.['ops.example.com/version']).toMatch(
      /^\d+\.\d+\.\d+$/,
    );
    expect(spec.owner).toBe('group:default/platform-team');
  });

  it('runs the steps of §3.1 in their exact order', () => {
    expect(spec.steps.map((s: any) => `${s.id}=${s.action}`)).toEqual([
      'validate=goldenpath:validate',
      'preview=goldenpath:preview',
      'open=goldenpath:ledger:open',
      'approve=goldenpath:approve',
      'skeleton=fetch:template',
      'descriptor=goldenpath:descriptor',
      'publish-local=goldenpath:publish:git',
      'publish-github=publish:github',
      'register=goldenpath:register',
      'close=goldenpath:ledger:close',
    ]);
    expect(spec.steps[0].input).toMatchObject({ kind: 'service' });
    // Side effects are guarded by the ledger's run flags, so a replay creates nothing (§4.4).
    for (const id of ['skeleton', 'descriptor', 'publish-local', 'register']) {
      const step = spec.steps.find((s: any) => s.id === id);
      expect(step.if).toMatch(/steps\.open\.output\.run\.(publish|register)/);
    }
  });

  it('publishes to GitHub with the branch and visibility validate reads from goldenPaths.publish, never hard-coded', () => {
    const step = spec.steps.find((s: any) => s.id === 'publish-github');
    // the branch the descriptor's links name (git.defaultBranch) is the one created
    expect(step.input).toMatchObject({
      repoUrl: '${{ steps.validate.output.names.repoUrl }}',
      defaultBranch: '${{ steps.validate.output.publish.defaultBranch }}',
      repoVisibility: '${{ steps.validate.output.publish.repoVisibility }}',
    });
  });

  it("hands the descriptor the owner group's rotation, so an equal one is not written (§2.1)", () => {
    for (const file of [
      'service-node-http/template.yaml',
      'worker-node/template.yaml',
    ]) {
      const step = (loadTemplate(file).spec as any).steps.find(
        (s: any) => s.id === 'descriptor',
      );
      expect(step.input.ownerRotation).toBe(
        '${{ steps.validate.output.ownerRotation }}',
      );
    }
  });

  it('links the repository, the catalog entity and the request record (§3.1 output)', () => {
    expect(
      spec.output.links.map((l: any) => [l.title, l.url ?? l.entityRef]),
    ).toEqual([
      ['Repository', '${{ steps.validate.output.publish.repositoryUrl }}'],
      ['Open in catalog', '${{ steps.validate.output.names.entityRef }}'],
      ['Request record', '${{ steps.open.output.ledgerUrl }}'],
    ]);
  });

  it('asks exactly the fields of the service request schema', () => {
    expect(Object.keys(props).sort()).toEqual(
      Object.keys(serviceRequestSchema.shape).sort(),
    );
  });

  it('uses the patterns exported by golden-paths-common (§3)', () => {
    expect(props.name.pattern).toBe(NAME_PATTERN);
    expect(props.oncall.pattern).toBe(ONCALL_PATTERN);
    expect(props.idempotencyKey.pattern).toBe(REQUEST_KEY_PATTERN);
  });

  it('collects no secrets (GP-X02)', () => {
    const secretName =
      /(pass(word|wd)?|secret|token|api[-_]?key|private[-_]?key|credential)/i;
    for (const [name, schema] of Object.entries(props)) {
      expect(secretName.test(name)).toBe(false);
      expect(schema['ui:field']).not.toBe('Secret');
    }
  });

  it('ships the skeleton files of §3.1 but never its own descriptor (GP-V03)', () => {
    const skeleton = path.join(TEMPLATES_DIR, 'service-node-http/skeleton');
    expect(fs.existsSync(path.join(skeleton, 'catalog-info.yaml'))).toBe(false);
    expect(fs.existsSync(path.join(skeleton, '.goldenpath.yaml'))).toBe(false);
    for (const file of [
      'README.md',
      RUNBOOK_STUB,
      '.github/workflows/ci.yaml',
      'Dockerfile',
      'slo/${{ values.request.name }}.yaml',
    ]) {
      expect(fs.existsSync(path.join(skeleton, file))).toBe(true);
    }
  });

  it('hands the approved exposure to every deploy job, so a public service is told from an internal one', () => {
    const skeleton = path.join(TEMPLATES_DIR, 'service-node-http/skeleton');
    for (const exposure of ['public', 'internal']) {
      const rendered = renderSkeleton(skeleton, {
        ...SERVICE_VALUES,
        request: { ...SERVICE_VALUES.request, exposure },
      });
      const deploy = parseYaml(rendered.get('.github/workflows/deploy.yaml')!);
      expect(
        Object.entries<any>(deploy.jobs).map(([id, job]) => [
          id,
          job.with.exposure,
        ]),
      ).toEqual([
        ['staging', exposure],
        ['production', exposure],
      ]);
    }
  });

  it('asks for the runbook link in the form when linking an existing runbook', () => {
    const { waitMinutes: _wait, ...values } = S0;
    expect(formErrors(spec, values)).toEqual([]);
    expect(formErrors(spec, { ...values, runbook: 'existing-url' })).toEqual([
      "/ must have required property 'runbookUrl'",
      '/ must match "then" schema',
    ]);
    expect(
      formErrors(spec, {
        ...values,
        runbook: 'existing-url',
        runbookUrl: 'https://runbooks.example.com/cart-api',
      }),
    ).toEqual([]);
  });

  it('is listed in templates/all.yaml', () => {
    const location = loadTemplate('all.yaml');
    expect(location.kind).toBe('Location');
    expect((location.spec as any).targets).toContain(
      './service-node-http/template.yaml',
    );
  });
});

describe('templates/lifecycle-transition (T5, §3.5)', () => {
  const template = loadTemplate('lifecycle-transition/template.yaml');
  const spec = template.spec as any;

  it('runs validate → preview → ledger:open → approve → lifecycle → ledger:close', () => {
    expect(spec.steps.map((s: any) => s.action)).toEqual([
      'goldenpath:validate',
      'goldenpath:preview',
      'goldenpath:ledger:open',
      'goldenpath:approve',
      'goldenpath:lifecycle',
      'goldenpath:ledger:close',
    ]);
    expect(spec.steps[0].input.kind).toBe('lifecycle');
  });

  it('offers the transitions of the lifecycle request schema and only golden-path entities', () => {
    const props = parameterProperties(spec);
    expect(props.transition).toMatchObject({
      enum: [
        'promote',
        'deprecate',
        'undeprecate',
        'archive',
        'unarchive',
        'delete',
      ],
    });
    expect(JSON.stringify(props.entity)).toContain(
      'ops.example.com/request-key',
    );
    expect(props.idempotencyKey.pattern).toBe(REQUEST_KEY_PATTERN);
  });

  it('asks a deprecation for its replacement and sunset date in the form (GP-L05), not after the run claimed its key', () => {
    const base = {
      entity: 'component:default/cart-api',
      transition: 'deprecate',
      reason: 'Replaced by the new cart service.',
    };
    expect(formErrors(spec, base)).toEqual([
      "/ must have required property 'replacement'",
      "/ must have required property 'sunsetOn'",
      '/ must match "then" schema',
    ]);
    expect(
      formErrors(spec, {
        ...base,
        replacement: 'component:default/cart-v2',
        sunsetOn: '2027-03-01',
      }),
    ).toEqual([]);
    // other transitions do not ask for them
    expect(formErrors(spec, { ...base, transition: 'promote' })).toEqual([]);
  });

  it('is listed in templates/all.yaml', () => {
    expect((loadTemplate('all.yaml').spec as any).targets).toContain(
      './lifecycle-transition/template.yaml',
    );
  });
});

describe.each([
  'service-node-http',
  'worker-node',
  'postgres-database',
  'lifecycle-transition',
])('templates/%s: kill switches on the form', name => {
  const spec = loadTemplate(`${name}/template.yaml`).spec as any;

  it('shows its kill switches first, in a display-only field that is never required', () => {
    const first = spec.parameters[0];
    const [key, field] = Object.entries<any>(first.properties)[0];
    expect(key).toBe('availability');
    expect(field).toMatchObject({
      type: 'null',
      'ui:field': 'GoldenPathAvailability',
      'ui:options': { template: name },
    });
    for (const page of spec.parameters)
      expect(page.required ?? []).not.toContain('availability');
    expect(requestProperties(spec).availability).toBeUndefined();
  });
});
