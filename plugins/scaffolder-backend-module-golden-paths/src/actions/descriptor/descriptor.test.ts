import { ConfigReader } from '@backstage/config';
import {
  parseRequest,
  requestFingerprint,
  DEFAULT_GOLDEN_PATHS_CONFIG,
} from '@internal/plugin-golden-paths-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { actionContext, outputOf } from '../../__testUtils__/actionContext';
import { S0 } from '../../__fixtures__/world';
import { createGoldenPathDescriptorAction } from './descriptor';

const parsed = parseRequest('service', S0, DEFAULT_GOLDEN_PATHS_CONFIG);
if (!parsed.ok) throw new Error('S0 must parse');
const request = parsed.request as unknown as Record<string, unknown>;
const TEMPLATE = 'template:default/service-node-http';

describe('goldenpath:descriptor (golden-paths.md §2.1, §2.2)', () => {
  let ws: string;
  beforeEach(() => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-desc-'));
  });
  afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

  const input = (extra: object = {}) => ({
    request,
    requestKey: 'service-node-http:cart-api',
    fingerprint: requestFingerprint(TEMPLATE, parsed.request),
    templateRef: TEMPLATE,
    templateVersion: '1.0.0',
    createdAt: '2026-11-23T10:00:00Z',
    names: {
      entityRef: 'component:default/cart-api',
      repoUrl: '/srv/gp/cart-api.git',
    },
    publishMode: 'local' as const,
    ...extra,
  });

  it('writes catalog-info.yaml (Component + API) and .goldenpath.yaml (V1)', async () => {
    const action = createGoldenPathDescriptorAction({
      config: new ConfigReader({
        goldenPaths: {
          dashboardUrlTemplate: 'https://grafana.example.com/d/{name}',
        },
      }),
    });
    const { c } = actionContext(input(), { workspacePath: ws });
    await action.handler(c as any);
    const docs = parseAllDocuments(
      fs.readFileSync(path.join(ws, 'catalog-info.yaml'), 'utf8'),
    ).map(d => d.toJS());
    expect(docs.map(d => `${d.kind}:${d.metadata.name}`)).toEqual([
      'Component:cart-api',
      'API:cart-api',
    ]);
    expect(docs[0].spec).toMatchObject({
      lifecycle: 'experimental',
      owner: 'group:default/checkout-team',
      system: 'system:default/checkout',
    });
    expect(docs[0].metadata.labels['ops.example.com/tier']).toBe('2');
    expect(
      docs[0].metadata.annotations['ops.example.com/oncall'],
    ).toBeUndefined();
    expect(docs[0].metadata.links.map((l: any) => l.type)).toEqual([
      'runbook',
      'slo',
      'dashboard',
    ]);
    expect(docs[0].metadata.links[0].url).toBe(
      'file:///srv/gp/cart-api.git/docs/runbook.md',
    );
    const marker = parse(
      fs.readFileSync(path.join(ws, '.goldenpath.yaml'), 'utf8'),
    );
    expect(marker).toEqual({
      template: TEMPLATE,
      templateVersion: '1.0.0',
      requestKey: 'service-node-http:cart-api',
      fingerprint: input().fingerprint,
      createdAt: '2026-11-23T10:00:00Z',
      createdBy: 'user:default/ana.ruiz',
    });
    expect(outputOf(c, 'entityRefs')).toEqual([
      'component:default/cart-api',
      'api:default/cart-api',
    ]);
    expect(outputOf(c, 'sha256')).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("records the ledger's requester, not whoever reruns the request (same bytes, same tree)", async () => {
    const action = createGoldenPathDescriptorAction({
      config: new ConfigReader({}),
    });
    // the teammate's rerun: the task's user differs, ledger:open's createdBy does not
    const { c } = actionContext(input({ createdBy: 'user:default/ana.ruiz' }), {
      workspacePath: ws,
    });
    c.user = { ref: 'user:default/bo.chen' };
    await action.handler(c as any);
    const marker = parse(
      fs.readFileSync(path.join(ws, '.goldenpath.yaml'), 'utf8'),
    );
    expect(marker.createdBy).toBe('user:default/ana.ruiz');
  });

  it('writes a requested rotation only when it differs from the owner group’s own (§2.1)', async () => {
    const withOncall = parseRequest(
      'service',
      { ...S0, oncall: 'static:checkout-primary' },
      DEFAULT_GOLDEN_PATHS_CONFIG,
    );
    if (!withOncall.ok) throw new Error('S0 with oncall must parse');
    const oncallWritten = async (ownerRotation: string) => {
      const { c } = actionContext(
        input({
          request: withOncall.request,
          fingerprint: requestFingerprint(TEMPLATE, withOncall.request),
          ownerRotation,
        }),
        { workspacePath: ws },
      );
      await createGoldenPathDescriptorAction({
        config: new ConfigReader({}),
      }).handler(c as any);
      const [component] = parseAllDocuments(
        fs.readFileSync(path.join(ws, 'catalog-info.yaml'), 'utf8'),
      ).map(d => d.toJS());
      return component.metadata.annotations['ops.example.com/oncall'];
    };
    expect(await oncallWritten('static:checkout-primary')).toBeUndefined();
    expect(await oncallWritten('static:checkout-night')).toBe(
      'static:checkout-primary',
    );
    expect(await oncallWritten('')).toBe('static:checkout-primary');
  });

  it('refuses a skeleton that ships its own catalog-info.yaml (GP-V03)', async () => {
    fs.writeFileSync(path.join(ws, 'catalog-info.yaml'), 'kind: Component\n');
    const action = createGoldenPathDescriptorAction({
      config: new ConfigReader({}),
    });
    await expect(
      action.handler(actionContext(input(), { workspacePath: ws }).c as any),
    ).rejects.toThrow(
      'GP-V03: Template "service-node-http" ships its own catalog-info.yaml; golden-path descriptors are written by goldenpath:descriptor only.',
    );
  });

  it('a retry in the same workspace rewrites the descriptor this request wrote; another request’s is still GP-V03', async () => {
    const action = createGoldenPathDescriptorAction({
      config: new ConfigReader({}),
    });
    await action.handler(
      actionContext(input(), { workspacePath: ws }).c as any,
    );
    const first = fs.readFileSync(path.join(ws, 'catalog-info.yaml'), 'utf8');
    await action.handler(
      actionContext(input(), { workspacePath: ws }).c as any,
    );
    expect(fs.readFileSync(path.join(ws, 'catalog-info.yaml'), 'utf8')).toBe(
      first,
    );
    await expect(
      action.handler(
        actionContext(input({ requestKey: 'service-node-http:other-api' }), {
          workspacePath: ws,
        }).c as any,
      ),
    ).rejects.toThrow(/^GP-V03: /);
  });

  it.each([
    [
      { createdAt: 'yesterday-ish' },
      'createdAt must be an ISO-8601 date-time with a zone',
    ],
    [
      { targetPath: '../elsewhere' },
      'targetPath must stay inside the workspace',
    ],
  ])('%j → 400 before anything is written', async (extra, message) => {
    const action = createGoldenPathDescriptorAction({
      config: new ConfigReader({}),
    });
    await expect(
      action.handler(
        actionContext(input(extra), { workspacePath: ws }).c as any,
      ),
    ).rejects.toThrow(message);
    expect(fs.readdirSync(ws)).toEqual([]);
  });

  it('refuses a descriptor the catalog model would reject, before anything is published', async () => {
    const action = createGoldenPathDescriptorAction({
      config: new ConfigReader({}),
    });
    const bad = { ...request, name: 'x'.repeat(70) };
    await expect(
      action.handler(
        actionContext(
          input({
            request: bad,
            fingerprint: requestFingerprint(TEMPLATE, bad as never),
          }),
          { workspacePath: ws },
        ).c as any,
      ),
    ).rejects.toThrow(/is not a valid catalog entity/);
    expect(fs.existsSync(path.join(ws, 'catalog-info.yaml'))).toBe(false);
  });

  // validate refused `javascript:` runbooks (GP-T04); a template that hands the descriptor a
  // request changed after validate must not get the link into the catalog.
  it.each([
    [
      'a runbook link changed after validate',
      {
        request: {
          ...request,
          runbook: 'existing-url',
          // eslint-disable-next-line no-script-url -- the link GP-T04 refuses
          runbookUrl: 'javascript:alert(1)',
        },
      },
    ],
    ['another template’s fingerprint', { templateRef: 'template:default/x' }],
    [
      'a fingerprint written by hand',
      { fingerprint: `sha256:${'0'.repeat(64)}` },
    ],
  ])('refuses %s, writing nothing', async (_name, extra) => {
    const action = createGoldenPathDescriptorAction({
      config: new ConfigReader({}),
    });
    await expect(
      action.handler(
        actionContext(input(extra), { workspacePath: ws }).c as any,
      ),
    ).rejects.toThrow(
      'request does not match fingerprint: pass goldenpath:validate outputs request, fingerprint and templateRef unchanged',
    );
    expect(fs.readdirSync(ws)).toEqual([]);
  });

  it('writes identical bytes on a dry run and a real run (V17)', async () => {
    const action = createGoldenPathDescriptorAction({
      config: new ConfigReader({}),
    });
    const dry = actionContext(input(), { workspacePath: ws, isDryRun: true });
    await action.handler(dry.c as any);
    const first = fs.readFileSync(path.join(ws, 'catalog-info.yaml'), 'utf8');
    fs.rmSync(path.join(ws, 'catalog-info.yaml'));
    const real = actionContext(input(), { workspacePath: ws });
    await action.handler(real.c as any);
    expect(fs.readFileSync(path.join(ws, 'catalog-info.yaml'), 'utf8')).toBe(
      first,
    );
    expect(outputOf(dry.c, 'sha256')).toBe(outputOf(real.c, 'sha256'));
  });
});
