import { mockServices } from '@backstage/backend-test-utils';
import type {
  KillSwitches,
  TemplateStepsView,
} from '@internal/plugin-golden-paths-common';
import { templateForOpen } from './openTemplate';
import { catalogTemplateSteps, type TemplateSteps } from './dryRuns/lastDryRun';

const OFF = { disabled: true, reason: 'register is failing' };
const registerOff: KillSwitches = { actions: { 'goldenpath:register': OFF } };

const template = (
  namespace: string | undefined,
  action: string,
): TemplateStepsView => ({
  kind: 'Template',
  metadata: {
    name: 'service-node-http',
    ...(namespace ? { namespace } : {}),
  },
  spec: { steps: [{ id: 'act', action }] },
});

/** A catalog read that counts its calls; `fail` makes it throw as a timed-out read does. */
function catalog(templates: TemplateStepsView[], fail?: Error) {
  const reads = { count: 0 };
  const templateSteps: TemplateSteps = {
    async templates() {
      reads.count += 1;
      if (fail) throw fail;
      return templates;
    },
  };
  return { templateSteps, reads };
}

describe('templateForOpen', () => {
  const logger = () => mockServices.logger.mock();

  it("takes the steps of the template the body's templateRef names, namespace included", async () => {
    const { templateSteps } = catalog([
      template(undefined, 'goldenpath:publish:git'),
      template('payments', 'goldenpath:register'),
    ]);
    const open = (templateRef?: string) =>
      templateForOpen({
        template: { name: 'service-node-http' },
        templateRef,
        switches: registerOff,
        templateSteps,
        logger: logger(),
      });
    expect(await open('template:payments/service-node-http')).toEqual({
      name: 'service-node-http',
      steps: [{ id: 'act', action: 'goldenpath:register' }],
    });
    expect(await open('template:default/service-node-http')).toEqual({
      name: 'service-node-http',
      steps: [{ id: 'act', action: 'goldenpath:publish:git' }],
    });
    // without a ref, the name alone picks (the first of that name)
    expect((await open())?.steps).toEqual([
      { id: 'act', action: 'goldenpath:publish:git' },
    ]);
  });

  it.each<[string, KillSwitches | undefined]>([
    ['no switch at all', undefined],
    [
      'no action switch off',
      { actions: { 'goldenpath:register': { disabled: false } } },
    ],
    [
      '`all` off (GP-K03 refuses first)',
      { all: OFF, actions: registerOff.actions },
    ],
    [
      'the template switch off (GP-K01 refuses first)',
      { templates: { 'service-node-http': OFF }, actions: registerOff.actions },
    ],
  ])(
    'reads no catalog when the steps cannot change the answer: %s',
    async (_, switches) => {
      const { templateSteps, reads } = catalog([], new Error('timed out'));
      const log = logger();
      await expect(
        templateForOpen({
          template: { name: 'service-node-http' },
          templateRef: 'template:default/service-node-http',
          switches,
          templateSteps,
          logger: log,
        }),
      ).resolves.toEqual({ name: 'service-node-http' });
      expect(reads.count).toBe(0);
      expect(log.warn).not.toHaveBeenCalled();
    },
  );

  it('warns when the template is not among those the catalog read answered', async () => {
    const { templateSteps } = catalog([
      template(undefined, 'goldenpath:register'),
    ]);
    const log = logger();
    await expect(
      templateForOpen({
        template: { name: 'service-node-http' },
        templateRef: 'template:payments/service-node-http',
        switches: registerOff,
        templateSteps,
        logger: log,
      }),
    ).resolves.toEqual({ name: 'service-node-http' });
    expect(log.warn).toHaveBeenCalledWith(
      'ledger open of template:payments/service-node-http: no such template among the catalog templates read (the cached read may predate it); the runtime action switches are checked at each step claim only',
    );
  });

  it('warns when the catalog read fails', async () => {
    const { templateSteps } = catalog([], new Error('timed out'));
    const log = logger();
    await templateForOpen({
      template: { name: 'service-node-http' },
      templateRef: 'template:default/service-node-http',
      switches: registerOff,
      templateSteps,
      logger: log,
    });
    expect(log.warn).toHaveBeenCalledWith(
      'ledger open of template:default/service-node-http: its steps could not be read (timed out); the runtime action switches are checked at each step claim only',
    );
  });
});

describe('templateForOpen with the cached catalog read', () => {
  const MISSING =
    'ledger open of template:payments/service-node-http: no such template among the catalog templates read (the cached read may predate it); the runtime action switches are checked at each step claim only';
  let now: number;
  /** What the catalog's `GET /entities` answers, and how many times it was asked. */
  let catalogTemplates: TemplateStepsView[];
  let reads: number;

  beforeEach(() => {
    now = Date.parse('2026-12-05T10:00:00Z');
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    catalogTemplates = [template(undefined, 'goldenpath:publish:git')];
    reads = 0;
    jest.spyOn(globalThis, 'fetch').mockImplementation(async () => {
      reads += 1;
      const body = JSON.stringify(catalogTemplates);
      // answer on a later turn, as a real request does, so concurrent opens overlap
      await new Promise(resolve => setImmediate(resolve));
      return new Response(body, { status: 200 });
    });
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  const logger = () => mockServices.logger.mock();
  const cachedRead = () =>
    catalogTemplateSteps({
      discovery: mockServices.discovery(),
      auth: mockServices.auth(),
    });
  const openPayments = (templateSteps: TemplateSteps, log = logger()) =>
    templateForOpen({
      template: { name: 'service-node-http' },
      templateRef: 'template:payments/service-node-http',
      switches: registerOff,
      templateSteps,
      logger: log,
    });
  const registerPayments = () => {
    catalogTemplates = [
      ...catalogTemplates,
      template('payments', 'goldenpath:register'),
    ];
  };

  it('reads the catalog anew when the template was registered after the cached read', async () => {
    const templateSteps = cachedRead();
    await templateSteps.templates();
    registerPayments();
    const log = logger();
    await expect(openPayments(templateSteps, log)).resolves.toEqual({
      name: 'service-node-http',
      steps: [{ id: 'act', action: 'goldenpath:register' }],
    });
    expect(reads).toBe(2);
    expect(log.warn).not.toHaveBeenCalled();
  });

  it('makes one catalog read for concurrent opens of a template the cache lacks', async () => {
    const templateSteps = cachedRead();
    await templateSteps.templates();
    registerPayments();
    const opened = await Promise.all(
      [1, 2, 3, 4].map(() => openPayments(templateSteps)),
    );
    expect(opened.map(o => o.steps)).toEqual(
      Array(4).fill([{ id: 'act', action: 'goldenpath:register' }]),
    );
    expect(reads).toBe(2);
  });

  it('reads no more within the interval for a template the catalog does not have, and still warns', async () => {
    const templateSteps = cachedRead();
    const log = logger();
    await expect(openPayments(templateSteps, log)).resolves.toEqual({
      name: 'service-node-http',
    });
    // the first read, then the one refresh
    expect(reads).toBe(2);
    const start = now;
    for (const after of [1_000, 10_000, 28_000]) {
      now = start + after;
      await openPayments(templateSteps, log);
    }
    expect(reads).toBe(2);
    expect(log.warn).toHaveBeenCalledTimes(4);
    expect(log.warn).toHaveBeenLastCalledWith(MISSING);
  });
});
