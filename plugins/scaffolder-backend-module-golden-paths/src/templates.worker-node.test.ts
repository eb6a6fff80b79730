import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  NAME_PATTERN,
  ONCALL_PATTERN,
  REQUEST_KEY_PATTERN,
  workerRequestSchema,
} from '@internal/plugin-golden-paths-common';
import { parse as parseYaml } from 'yaml';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  loadTemplate,
  RUNBOOK_STUB,
  TEMPLATES_DIR,
  requestProperties,
} from './__fixtures__/templates';
import { formErrors } from './__testUtils__/formErrors';
import { renderSkeleton, WORKER_VALUES } from './__testUtils__/renderSkeleton';
import { demoCatalog, fakeCatalog, S0, T } from './__fixtures__/world';
import { createGoldenPathValidateAction } from './actions/validate/validate';

type Props = Record<
  string,
  { pattern?: string; 'ui:field'?: string; default?: unknown }
>;

function parameterProperties(spec: any): Props {
  return requestProperties(spec);
}

const SKELETON = path.join(TEMPLATES_DIR, 'worker-node/skeleton');

function listFiles(dir: string, base = dir): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap(d =>
      d.isDirectory()
        ? listFiles(path.join(dir, d.name), base)
        : [path.relative(base, path.join(dir, d.name))],
    );
}

/** The values `fetch:template` gets in the template (a normalized T2 request, §3.2). */
const VALUES = {
  request: {
    name: 'nightly-sync',
    trigger: 'schedule',
    schedule: '0 * * * *',
    maxRuntimeMinutes: 30,
  },
};

/**
 * Renders the files that are plain `${{ values.a.b }}` substitutions (the TypeScript sources,
 * tests and package.json carry no nunjucks blocks), enough to run the skeleton's own tests.
 */
function renderPlain(text: string): string {
  return text.replace(/\$\{\{\s*values\.([\w.]+)\s*\}\}/g, (_, p: string) => {
    const value = p
      .split('.')
      .reduce<any>((o, k) => (o === undefined ? undefined : o[k]), VALUES);
    if (value === undefined) throw new Error(`no value for values.${p}`);
    return String(value);
  });
}

describe('templates/worker-node (golden-paths.md §3.2)', () => {
  const template = loadTemplate('worker-node/template.yaml');
  const spec = template.spec as any;
  const props = parameterProperties(spec);

  it('asks for the queue in the form when the trigger is a queue, and for the runbook link when linking one', () => {
    const {
      waitMinutes: _wait,
      exposure: _exposure,
      sloLatencyP95Ms: _latency,
      ...service
    } = S0;
    const values = { ...service, name: 'nightly-sync', trigger: 'schedule' };
    expect(formErrors(spec, values)).toEqual([]);
    expect(formErrors(spec, { ...values, trigger: 'queue' })).toEqual([
      "/ must have required property 'queue'",
      '/ must match "then" schema',
    ]);
    expect(
      formErrors(spec, {
        ...values,
        trigger: 'queue',
        queue: 'resource:default/orders-queue',
      }),
    ).toEqual([]);
    expect(formErrors(spec, { ...values, runbook: 'existing-url' })).toEqual([
      "/ must have required property 'runbookUrl'",
      '/ must match "then" schema',
    ]);
  });

  it('is a v1beta3 golden-path template owned by the platform team', () => {
    expect(template.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
    expect(template.metadata.name).toBe('worker-node');
    expect(template.metadata.tags).toContain('golden-path');
    expect(template.metadata.annotations?.['ops.example.com/version']).toBe(
      '1.0.0',
    );
    expect(spec.owner).toBe('group:default/platform-team');
  });

  it('runs the same steps as T1, in the same order, with kind worker', () => {
    const t1 = (loadTemplate('service-node-http/template.yaml').spec as any)
      .steps;
    expect(spec.steps.map((s: any) => `${s.id}=${s.action}`)).toEqual(
      t1.map((s: any) => `${s.id}=${s.action}`),
    );
    for (const id of ['validate', 'preview', 'open']) {
      expect(spec.steps.find((s: any) => s.id === id).input.kind).toBe(
        'worker',
      );
    }
    // Side effects are guarded by the ledger's run flags, so a replay creates nothing (§4.4).
    for (const id of ['skeleton', 'descriptor', 'publish-local', 'register']) {
      const step = spec.steps.find((s: any) => s.id === id);
      expect(step.if).toMatch(/steps\.open\.output\.run\.(publish|register)/);
    }
    const skeletonStep = spec.steps.find((s: any) => s.id === 'skeleton');
    expect(skeletonStep.input.values.nodeBaseImage).toBe(
      '${{ steps.validate.output.generation.nodeBaseImage }}',
    );
  });

  it('publishes and links the repository as T1 does: branch and visibility from validate, never hard-coded', () => {
    const t1 = loadTemplate('service-node-http/template.yaml').spec as any;
    const step = spec.steps.find((s: any) => s.id === 'publish-github');
    expect(step.input).toEqual(
      t1.steps.find((s: any) => s.id === 'publish-github').input,
    );
    expect(step.input).toMatchObject({
      defaultBranch: '${{ steps.validate.output.publish.defaultBranch }}',
      repoVisibility: '${{ steps.validate.output.publish.repoVisibility }}',
    });
    expect(spec.output.links).toEqual(t1.output.links);
  });

  it('asks exactly the fields of the worker request schema (T1 minus exposure and latency)', () => {
    expect(Object.keys(props).sort()).toEqual(
      Object.keys(workerRequestSchema.shape).sort(),
    );
    expect(props.exposure).toBeUndefined();
    expect(props.sloLatencyP95Ms).toBeUndefined();
    expect(props.trigger.default).toBe('schedule');
    expect(props.schedule.default).toBe('0 * * * *');
    expect(props.concurrency.default).toBe('forbid');
    expect(props.maxRuntimeMinutes.default).toBe(30);
    expect(props.queue['ui:field']).toBe('EntityPicker');
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

  it('ships the skeleton files of §3.2 but never its own descriptor (GP-V03)', () => {
    expect(fs.existsSync(path.join(SKELETON, 'catalog-info.yaml'))).toBe(false);
    expect(fs.existsSync(path.join(SKELETON, '.goldenpath.yaml'))).toBe(false);
    expect(fs.existsSync(path.join(SKELETON, 'openapi.yaml'))).toBe(false);
    for (const file of [
      'README.md',
      'CODEOWNERS',
      'Dockerfile',
      'package.json',
      'tsconfig.json',
      'mkdocs.yml',
      'docs/index.md',
      RUNBOOK_STUB,
      'docs/slo.md',
      'slo/${{ values.request.name }}.yaml',
      'src/job.ts',
      'test/job.test.ts',
      '.github/workflows/ci.yaml',
      '.github/workflows/deploy.yaml',
    ]) {
      expect(fs.existsSync(path.join(SKELETON, file))).toBe(true);
    }
  });

  it('takes platform values from config, never from the form', () => {
    const dockerfile = fs.readFileSync(
      path.join(SKELETON, 'Dockerfile'),
      'utf8',
    );
    expect(dockerfile).toMatch(/^FROM \$\{\{ values\.nodeBaseImage \}\}/m);
    const ci = fs.readFileSync(
      path.join(SKELETON, '.github/workflows/ci.yaml'),
      'utf8',
    );
    expect(ci).toContain(
      'uses: ${{ values.ciWorkflow }}@${{ values.ciVersion }}',
    );
    expect(ci).toMatch(/permissions:\n\s+contents: read/);
    expect(ci).not.toMatch(/\bsecrets:|\$\{\{\s*secrets\./);
    // Every expression reads the step's values, nothing else.
    for (const file of listFiles(SKELETON)) {
      const text = fs.readFileSync(path.join(SKELETON, file), 'utf8');
      for (const m of text.matchAll(/\$\{\{([^}]*)\}\}/g)) {
        expect(m[1]).toMatch(/^\s*\(*values\./);
      }
    }
  });

  it('keeps the claim table on a persistent volume the job can write, never in /app (§3.2 (a))', () => {
    const rendered = renderSkeleton(SKELETON, WORKER_VALUES);
    const dockerfile = rendered.get('Dockerfile')!;
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    // the job runs as node in a root-owned /app: the state directory is created and handed over
    // before USER node; JOB_STATE_DB is the deploy's to set with the volume it mounts, so a pod
    // without the volume refuses to run instead of keeping claims on the pod's own disk
    const userAt = runtime.indexOf('\nUSER node');
    expect(userAt).toBeGreaterThan(0);
    expect(runtime.slice(0, userAt)).toMatch(
      /^RUN mkdir -p \/var\/lib\/job && chown node:node \/var\/lib\/job$/m,
    );
    expect(runtime).toMatch(/^ENV NODE_ENV=production$/m);
    expect(runtime).not.toMatch(/JOB_STATE_DB=/);
    expect(runtime).toMatch(/^VOLUME \["\/var\/lib\/job"\]$/m);
    // the platform's deploy mounts a persistent volume there, in every environment
    const deploy = parseYaml(rendered.get('.github/workflows/deploy.yaml')!);
    for (const job of ['staging', 'production']) {
      expect(deploy.jobs[job].with['state-volume']).toBe('/var/lib/job');
    }
  });

  it('has a runbook stub with rerun, backfill and pause sections', () => {
    const runbook = fs.readFileSync(path.join(SKELETON, RUNBOOK_STUB), 'utf8');
    expect(runbook.startsWith('<!-- golden-path:stub -->')).toBe(true);
    for (const heading of [
      '## Paging and escalation',
      '## Rerun',
      '## Backfill',
      '## Pause',
      '## Rollback',
    ]) {
      expect(runbook).toContain(heading);
    }
  });

  it('writes the SLO id the descriptor annotates (<name>-availability)', () => {
    const slo = fs.readFileSync(
      path.join(SKELETON, 'slo/${{ values.request.name }}.yaml'),
      'utf8',
    );
    expect(slo).toContain('name: ${{ values.request.name }}-availability');
    expect(slo).toContain('apiVersion: openslo/v1');
  });

  it('the rendered job passes its own tests: operation keys, claims, dry run, exit codes, events', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-worker-'));
    try {
      for (const file of [
        'package.json',
        ...listFiles(path.join(SKELETON, 'src')).map(f => `src/${f}`),
        ...listFiles(path.join(SKELETON, 'test')).map(f => `test/${f}`),
      ]) {
        const text = fs.readFileSync(path.join(SKELETON, file), 'utf8');
        // Plain substitutions only: nunjucks tags here would break the TypeScript.
        expect(text).not.toMatch(/\{%|\{#/);
        fs.mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
        fs.writeFileSync(path.join(out, file), renderPlain(text));
      }
      const exitCodes = fs.readFileSync(
        path.join(out, 'src/exitCodes.ts'),
        'utf8',
      );
      for (const [name, code] of Object.entries({
        ok: 0,
        unexpected: 1,
        badArguments: 2,
        validationFailed: 3,
        dependencyFailure: 4,
        partialSuccess: 5,
        dryRunChanges: 10,
      })) {
        expect(exitCodes).toMatch(new RegExp(`\\b${name}: ${code},`));
      }
      const result = spawnSync(
        process.execPath,
        ['--test', '--experimental-strip-types', 'test/job.test.ts'],
        {
          cwd: out,
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, NODE_OPTIONS: '' },
        },
      );
      expect(`${result.stdout}`).toMatch(/# fail 0|ℹ fail 0/);
      expect(result.status).toBe(0);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 90_000);

  it("the form's defaults pass goldenpath:validate as a worker request", async () => {
    const defaults = Object.fromEntries(
      Object.entries(props)
        .filter(([, p]) => p.default !== undefined)
        .map(([k, p]) => [k, p.default]),
    );
    const action = createGoldenPathValidateAction({
      catalog: fakeCatalog([...demoCatalog, template]),
      config: new ConfigReader({}),
      auth: mockServices.auth(),
      permissions: mockServices.permissions(),
      now: () => new Date(T),
    });
    const ctx = createMockActionContext({
      input: {
        kind: 'worker',
        request: {
          ...defaults,
          name: 'cart-expiry',
          description: 'Expires abandoned guest carts every hour.',
          owner: 'group:default/checkout-team',
          system: 'system:default/checkout',
        },
      } as any,
      logger: mockServices.logger.mock(),
      templateInfo: {
        entityRef: 'template:default/worker-node',
        entity: { metadata: template.metadata },
      },
      user: { ref: 'user:default/ana.ruiz' },
    });
    await action.handler(ctx as any);
    const out = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    expect(out.requestKey).toBe('worker-node:cart-expiry');
    expect(out.decision).toBe('allow');
    expect(out.templateVersion).toBe('1.0.0');
    expect(out.request).toMatchObject({
      kind: 'worker',
      trigger: 'schedule',
      schedule: '0 * * * *',
      concurrency: 'forbid',
      maxRuntimeMinutes: 30,
    });
  });

  it('is listed in templates/all.yaml', () => {
    const location = loadTemplate('all.yaml');
    expect((location.spec as any).targets).toContain(
      './worker-node/template.yaml',
    );
  });
});
