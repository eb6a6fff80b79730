import { createTemplateRenderer } from 'nunjitsu';
import { loadTemplate } from './__fixtures__/templates';

/**
 * A template's `output` as the scaffolder gives it to the task page: every string rendered with
 * JSON coercion (as NunjucksWorkflowRunner renders it) and the links and texts whose `if` renders
 * falsy left out (its filterConditionalItems).
 */
async function taskOutput(file: string, publishMode: string) {
  const renderer = await createTemplateRenderer({});
  const context = {
    steps: {
      validate: {
        output: {
          publishMode,
          requestKey: 'service-node-http:coupon-api',
          names: {
            entityRef: 'component:default/coupon-api',
            // the default root, relative to the backend's working directory
            repoUrl: './.data/golden-paths/repos/coupon-api.git',
          },
          publish:
            publishMode === 'github'
              ? ({
                  repositoryUrl: 'https://github.com/acme/coupon-api',
                } as Record<string, string>)
              : {
                  repositoryUrl:
                    'file:///srv/golden-paths/repos/coupon-api.git',
                  repositoryPath: '/srv/golden-paths/repos/coupon-api.git',
                },
        },
      },
      open: { output: { mode: 'create', ledgerUrl: 'http://portal/r' } },
      preview: { output: { scorecard: { expectedStartLevel: 'L0' } } },
    },
  };
  const rendered = JSON.parse(
    JSON.stringify((loadTemplate(file).spec as any).output),
    (_key, value) =>
      typeof value === 'string'
        ? renderer.renderValue(value, context, { coercion: 'json' })
        : value,
  );
  const shown = (items: any[]) =>
    items
      .filter(i => !('if' in i) || Boolean(i.if))
      .map(({ if: _, ...i }) => i);
  return { links: shown(rendered.links), text: shown(rendered.text) };
}

describe.each(['service-node-http/template.yaml', 'worker-node/template.yaml'])(
  'templates/%s output',
  file => {
    it('links the GitHub repository', async () => {
      const { links, text } = await taskOutput(file, 'github');
      expect(links[0]).toEqual({
        title: 'Repository',
        url: 'https://github.com/acme/coupon-api',
      });
      expect(text.map(t => t.title)).not.toContain('Repository');
    });

    it('shows a local repository as its path, not a file:// link a browser does not open from the portal', async () => {
      const { links, text } = await taskOutput(file, 'local');
      expect(links.map(l => l.url ?? l.entityRef)).toEqual([
        'component:default/coupon-api',
        'http://portal/r',
      ]);
      expect(JSON.stringify(links)).not.toContain('file://');
      expect(text[0].title).toBe('Repository');
      // absolute, whatever the backend's working directory: a reader can clone it
      expect(text[0].content).toContain(
        '`git clone /srv/golden-paths/repos/coupon-api.git`',
      );
      expect(text[0].content).not.toContain('./.data');
    });
  },
);

describe.each([
  'service-node-http/template.yaml',
  'worker-node/template.yaml',
  'postgres-database/template.yaml',
  'lifecycle-transition/template.yaml',
])('templates/%s task page', file => {
  it('offers Retry, which GP-A01 tells the user to press once the approval is given (Backstage shows it only for the startOver strategy)', () => {
    expect((loadTemplate(file).spec as any).EXPERIMENTAL_recovery).toEqual({
      EXPERIMENTAL_strategy: 'startOver',
    });
  });
});
