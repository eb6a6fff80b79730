import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { TEMPLATES_DIR } from './__fixtures__/templates';
import {
  renderSkeleton,
  SERVICE_VALUES,
  WORKER_VALUES,
} from './__testUtils__/renderSkeleton';

/**
 * What the Node skeletons need so a created repository builds as shipped: the Dockerfile runs
 * `npm ci`, which refuses to run without a package-lock.json that matches package.json, and
 * installs and run state must stay out of git and the image build context.
 */
describe.each([
  ['service-node-http', SERVICE_VALUES, []],
  // the worker's local claim table is run state, never source
  ['worker-node', WORKER_VALUES, ['.job-state.sqlite*']],
])(
  'templates/%s skeleton: lockfile and ignore files',
  (template, values, runState) => {
    const skeleton = path.join(TEMPLATES_DIR, template, 'skeleton');
    const rendered = renderSkeleton(skeleton, values);
    const json = (file: string) => {
      const text = rendered.get(file);
      if (text === undefined) throw new Error(`${file} was not rendered`);
      return JSON.parse(text);
    };

    it('the Dockerfile installs with npm ci, so a lockfile ships with package.json', () => {
      expect(rendered.get('Dockerfile')).toMatch(/^RUN npm ci\b/m);
      expect(rendered.has('package.json')).toBe(true);
      expect(rendered.has('package-lock.json')).toBe(true);
    });

    it("the lockfile's root matches package.json (a dependency bump must regenerate it)", () => {
      const pkg = json('package.json');
      const lock = json('package-lock.json');
      const root = lock.packages[''];
      expect(lock.lockfileVersion).toBe(3);
      expect(lock.name).toBe(values.request.name);
      expect(root.name).toBe(values.request.name);
      expect(lock.version).toBe(pkg.version);
      expect(root.version).toBe(pkg.version);
      // npm ci compares exactly these with package.json and fails on any difference
      expect(root.dependencies ?? {}).toEqual(pkg.dependencies ?? {});
      expect(root.devDependencies ?? {}).toEqual(pkg.devDependencies ?? {});
      expect(root.engines).toEqual(pkg.engines);
      for (const name of Object.keys({
        ...pkg.dependencies,
        ...pkg.devDependencies,
      })) {
        expect(lock.packages[`node_modules/${name}`]?.version).toMatch(
          /^\d+\.\d+\.\d+/,
        );
      }
    });

    it('asks for the Node version its code needs (import.meta.main is Node >= 24.2)', () => {
      const sources = [...rendered.entries()].filter(([f]) =>
        f.endsWith('.ts'),
      );
      expect(
        sources.some(([, text]) => text.includes('import.meta.main')),
      ).toBe(true);
      expect(json('package.json').engines).toEqual({ node: '>=24.2' });
    });

    it('ships .gitignore and .dockerignore (fetch:template copies dotfiles)', () => {
      for (const file of ['.gitignore', '.dockerignore']) {
        const lines = rendered.get(file)?.split('\n') ?? [];
        expect(lines).toEqual(
          expect.arrayContaining(['node_modules/', 'dist/']),
        );
      }
      expect(rendered.get('.dockerignore')?.split('\n')).toContain('.git/');
      for (const file of ['.gitignore', '.dockerignore']) {
        expect(rendered.get(file)?.split('\n')).toEqual(
          expect.arrayContaining(runState),
        );
      }
    });

    it('renders the repository files the tests of §3 name, dotfiles included', () => {
      expect([...rendered.keys()]).toEqual(
        expect.arrayContaining([
          '.github/workflows/ci.yaml',
          '.github/workflows/deploy.yaml',
          '.gitignore',
          '.dockerignore',
          `slo/${values.request.name}.yaml`,
        ]),
      );
    });
  },
);

describe('templates/service-node-http skeleton: Fastify', () => {
  const rendered = renderSkeleton(
    path.join(TEMPLATES_DIR, 'service-node-http', 'skeleton'),
    SERVICE_VALUES,
  );

  it('configures Fastify through its supported options only (no FSTDEP024)', () => {
    const server = rendered.get('src/server.ts');
    expect(server).not.toMatch(/^\s*requestIdLogLabel:/m);
    expect(server).toContain(
      "logController: new LogController({ requestIdLogLabel: 'correlation_id' })",
    );
    // LogController is exported from fastify 5.12 on, the version the lockfile pins
    expect(JSON.parse(rendered.get('package.json')!).dependencies.fastify).toBe(
      '^5.12.0',
    );
  });
});

/**
 * The runbook files follow the request's runbook choice: the stub (and the links to it) only for
 * generate-stub, the owner's link for existing-url, nothing that points at a missing file.
 */
describe.each([
  ['service-node-http', SERVICE_VALUES],
  ['worker-node', WORKER_VALUES],
])('templates/%s skeleton: runbook choice', (template, values) => {
  const skeleton = path.join(TEMPLATES_DIR, template, 'skeleton');
  const url = 'https://runbooks.example.com/team/runbook';
  const render = (choice: Record<string, string>) =>
    renderSkeleton(skeleton, {
      ...values,
      request: { ...values.request, ...choice },
    });
  const nav = (files: Map<string, string>) =>
    (parseYaml(files.get('mkdocs.yml')!).nav as object[]).flatMap(Object.keys);
  const readmeLine = (files: Map<string, string>) =>
    files
      .get('README.md')!
      .split('\n')
      .filter(l => l.startsWith('- Runbook:'));

  it('generate-stub: ships docs/runbook.md with the marker, in the nav and the README', () => {
    const files = render({ runbook: 'generate-stub' });
    expect(files.get('docs/runbook.md')).toMatch(/^<!-- golden-path:stub -->/);
    expect(nav(files)).toEqual(['Home', 'Runbook', 'SLO']);
    expect(readmeLine(files)).toEqual([
      expect.stringMatching(
        /^- Runbook: \[docs\/runbook\.md\]\(docs\/runbook\.md\)/,
      ),
    ]);
    expect(files.get('docs/index.md')).toContain('[Runbook](runbook.md)');
  });

  it('existing-url: no stub, no nav entry; README and docs link the runbook URL', () => {
    const files = render({ runbook: 'existing-url', runbookUrl: url });
    expect([...files.keys()].filter(f => f.includes('runbook'))).toEqual([]);
    expect(nav(files)).toEqual(['Home', 'SLO']);
    expect(readmeLine(files)).toEqual([
      expect.stringMatching(`^- Runbook: \\[${url}\\]\\(${url}\\)`),
    ]);
    expect(files.get('docs/index.md')).toContain(`[Runbook](${url})`);
  });

  it('none: no stub, no nav entry, no link to a missing file', () => {
    const files = render({ runbook: 'none' });
    expect([...files.keys()].filter(f => f.includes('runbook'))).toEqual([]);
    expect(nav(files)).toEqual(['Home', 'SLO']);
    expect(readmeLine(files)).toEqual(['- Runbook: none yet']);
    for (const file of ['README.md', 'docs/index.md']) {
      expect(files.get(file)).not.toContain('runbook.md');
    }
  });
});
