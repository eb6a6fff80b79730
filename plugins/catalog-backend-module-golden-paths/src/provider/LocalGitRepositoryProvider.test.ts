import { mockServices } from '@backstage/backend-test-utils';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalGitRepositoryProvider } from './LocalGitRepositoryProvider';

const git = (args: string[]) => execFileSync('git', args, { encoding: 'utf8' });

const CATALOG_INFO = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: cart-api
  annotations:
    ops.example.com/request-key: service-node-http:cart-api
spec:
  type: service
  lifecycle: experimental
  owner: group:default/checkout-team
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: cart-api
spec:
  type: openapi
  lifecycle: experimental
  owner: group:default/checkout-team
  definition:
    $text: ./openapi.yaml
`;

describe('LocalGitRepositoryProvider (golden-paths.md §4.9, local mode)', () => {
  let root: string;
  let work: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-repos-'));
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-work-'));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  });

  function publish(name: string, files: Record<string, string>) {
    const remote = path.join(root, `${name}.git`);
    if (!fs.existsSync(remote))
      git(['init', '-q', '--bare', '--initial-branch=main', remote]);
    const dir = path.join(work, name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    git(['-C', dir, 'init', '-q', '-b', 'main']);
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), content);
    }
    git(['-C', dir, 'add', '.']);
    git([
      '-C',
      dir,
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@t',
      'commit',
      '-qm',
      'c',
    ]);
    git(['-C', dir, 'push', '-q', '--force', remote, 'main']);
    return remote;
  }

  const originalPath = process.env.PATH;
  const fakeBins: string[] = [];
  afterEach(() => {
    process.env.PATH = originalPath;
    for (const bin of fakeBins.splice(0))
      fs.rmSync(bin, { recursive: true, force: true });
    jest.restoreAllMocks();
  });

  /**
   * Puts a `git` first on PATH that fails the first call whose arguments contain `match` with
   * `stderr` and exit 128 (a lock, a corrupt pack, a signal), then runs the real git. Restored in
   * afterEach.
   */
  function failGitOnce(match: string, stderr: string) {
    const realGit = execFileSync('sh', ['-c', 'command -v git'], {
      encoding: 'utf8',
    }).trim();
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-bin-'));
    fakeBins.push(bin);
    const mark = path.join(bin, 'failed');
    fs.writeFileSync(
      path.join(bin, 'git'),
      [
        '#!/bin/sh',
        `if [ ! -e "${mark}" ]; then case " $* " in *"${match}"*)`,
        `  : > "${mark}"; echo "${stderr}" >&2; exit 128;;`,
        'esac; fi',
        `exec "${realGit}" "$@"`,
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    process.env.PATH = `${bin}${path.delimiter}${originalPath}`;
    return { failed: () => fs.existsSync(mark) };
  }

  function setup() {
    const mutations: any[] = [];
    const logger = mockServices.logger.mock();
    const provider = new LocalGitRepositoryProvider({ root, logger });
    const connection = {
      applyMutation: jest.fn(async (m: any) => {
        mutations.push(m);
      }),
      refresh: jest.fn(),
    };
    return { provider, connection, mutations, logger };
  }

  const PRODUCTION = CATALOG_INFO.replace(
    /lifecycle: experimental/g,
    'lifecycle: production',
  );
  const lifecycles = (mutation: any) =>
    mutation.entities.map((e: any) => e.entity.spec.lifecycle);

  it('emits the entities of each repository with $text resolved and a location per repository', async () => {
    publish('cart-api', {
      'catalog-info.yaml': CATALOG_INFO,
      'openapi.yaml': 'openapi: 3.1.0\n',
    });
    const { provider, connection, mutations } = setup();
    await provider.connect(connection as any);
    expect(await provider.refresh()).toEqual({ changed: true, entities: 2 });
    expect(mutations).toHaveLength(1);
    const [component, api] = mutations[0].entities;
    expect(mutations[0].type).toBe('full');
    expect(component.locationKey).toBe('golden-paths-local:cart-api.git');
    expect(component.entity.metadata.annotations).toMatchObject({
      'ops.example.com/request-key': 'service-node-http:cart-api',
      // the repository's name under the root (golden-paths.md §4.9), never the server's path
      'backstage.io/managed-by-location': 'golden-paths-local:cart-api.git',
      'backstage.io/managed-by-origin-location':
        'golden-paths-local:cart-api.git',
    });
    expect(api.entity.spec.definition).toBe('openapi: 3.1.0\n');
    expect(JSON.stringify(mutations)).not.toContain(root);
  });

  it('leaves a $text that names a directory or nothing for the catalog, never a tree listing', async () => {
    const api = (name: string, text: string) =>
      CATALOG_INFO.split('---\n')[1]
        .replace('name: cart-api', `name: ${name}`)
        .replace('$text: ./openapi.yaml', `$text: '${text}'`);
    publish('cart-api', {
      'catalog-info.yaml': [
        api('dir-api', './spec'),
        api('dir-slash-api', 'spec/'),
        api('empty-api', ''),
        api('file-api', './spec/openapi.yaml'),
      ].join('---\n'),
      'spec/openapi.yaml': 'openapi: 3.1.0\n',
    });
    const { provider, connection, mutations, logger } = setup();
    await provider.connect(connection as any);
    await provider.refresh();
    expect(
      mutations[0].entities.map((e: any) => [
        e.entity.metadata.name,
        e.entity.spec.definition,
      ]),
    ).toEqual([
      ['dir-api', { $text: './spec' }],
      ['dir-slash-api', { $text: 'spec/' }],
      ['empty-api', { $text: '' }],
      ['file-api', 'openapi: 3.1.0\n'],
    ]);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('resolves a $text git cannot take as written, and leaves one that names no file of the repository, without holding the repository back', async () => {
    const api = (name: string, text: string) =>
      CATALOG_INFO.split('---\n')[1]
        .replace('name: cart-api', `name: ${name}`)
        .replace('$text: ./openapi.yaml', `$text: ${JSON.stringify(text)}`);
    publish('cart-api', {
      'catalog-info.yaml': [
        api('dot-dot-slash-api', '././spec/openapi.yaml'),
        api('dot-segment-api', 'spec/./openapi.yaml'),
        api('double-slash-api', 'spec//openapi.yaml'),
        api('outside-api', 'spec/../../openapi.yaml'),
        api('nul-api', 'spec/openapi.yaml\0'),
        api('long-api', `./${'x'.repeat(200_000)}`),
        // a part over NAME_MAX (255 bytes; `é` is two) and a path that, joined to git's working
        // directory, reaches PATH_MAX: git answers "Not a valid object name", not "no such path"
        api('long-part-api', `./${'x'.repeat(300)}`),
        api('long-bytes-part-api', `spec/${'é'.repeat(128)}`),
        api('path-max-api', `${'a/'.repeat(2047)}b`),
      ].join('---\n'),
      'spec/openapi.yaml': 'openapi: 3.1.0\n',
    });
    const { provider, connection, mutations, logger } = setup();
    await provider.connect(connection as any);
    expect(await provider.refresh()).toEqual({ changed: true, entities: 9 });
    expect(
      mutations[0].entities.map((e: any) => [
        e.entity.metadata.name,
        typeof e.entity.spec.definition === 'string'
          ? e.entity.spec.definition
          : 'left as it is',
      ]),
    ).toEqual([
      ['dot-dot-slash-api', 'openapi: 3.1.0\n'],
      ['dot-segment-api', 'openapi: 3.1.0\n'],
      ['double-slash-api', 'openapi: 3.1.0\n'],
      ['outside-api', 'left as it is'],
      ['nul-api', 'left as it is'],
      ['long-api', 'left as it is'],
      ['long-part-api', 'left as it is'],
      ['long-bytes-part-api', 'left as it is'],
      ['path-max-api', 'left as it is'],
    ]);
    expect(logger.warn).not.toHaveBeenCalled();
    // read once: the next scan has nothing to do
    expect(await provider.refresh()).toEqual({ changed: false, entities: 9 });
  });

  it('applies nothing while HEADs are unchanged, and again when a repository changes or goes', async () => {
    publish('cart-api', {
      'catalog-info.yaml': CATALOG_INFO,
      'openapi.yaml': 'x',
    });
    const { provider, connection, mutations } = setup();
    await provider.connect(connection as any);
    await provider.refresh();
    expect(await provider.refresh()).toEqual({ changed: false, entities: 2 });
    publish('cart-api', {
      'catalog-info.yaml': CATALOG_INFO.replace(
        'lifecycle: experimental',
        'lifecycle: production',
      ),
      'openapi.yaml': 'x',
    });
    await provider.refresh();
    expect(mutations).toHaveLength(2);
    expect(mutations[1].entities[0].entity.spec.lifecycle).toBe('production');
    fs.rmSync(path.join(root, 'cart-api.git'), {
      recursive: true,
      force: true,
    });
    expect(await provider.refresh()).toEqual({ changed: true, entities: 0 });
  });

  it('skips a repository without a readable descriptor instead of failing the scan', async () => {
    publish('broken', { 'README.md': 'no descriptor' });
    publish('cart-api', {
      'catalog-info.yaml': CATALOG_INFO,
      'openapi.yaml': 'x',
    });
    const { provider, connection, mutations } = setup();
    await provider.connect(connection as any);
    await provider.refresh();
    expect(mutations[0].entities.map((e: any) => e.entity.kind)).toEqual([
      'Component',
      'API',
    ]);
  });

  it.each([
    [
      'a document without metadata.name',
      'apiVersion: v1\nkind: Component\nmetadata: {}\n',
    ],
    ['a document that is a list', '- apiVersion: v1\n'],
    [
      'a document that refers to itself',
      'apiVersion: v1\nkind: Component\nmetadata: {name: loop}\nspec: &x {self: *x}\n',
    ],
  ])(
    'skips %s and keeps the other repositories and documents',
    async (_, bad) => {
      publish('broken', { 'catalog-info.yaml': `${bad}---\n${CATALOG_INFO}` });
      publish('cart-api', {
        'catalog-info.yaml': CATALOG_INFO,
        'openapi.yaml': 'x',
      });
      const { provider, connection, mutations } = setup();
      await provider.connect(connection as any);
      await provider.refresh();
      const locations = mutations[0].entities.map((e: any) => e.locationKey);
      expect(locations).toEqual([
        'golden-paths-local:broken.git',
        'golden-paths-local:broken.git',
        'golden-paths-local:cart-api.git',
        'golden-paths-local:cart-api.git',
      ]);
      expect(
        mutations[0].entities.every((e: any) => e.entity.metadata.name),
      ).toBe(true);
    },
  );

  const entityWith = (kind: string, metadata: string) =>
    `apiVersion: v1\nkind: ${kind}\nmetadata: {${metadata}}\n`;
  it.each([
    [
      'a name of 300 characters',
      entityWith('Component', `name: ${'a'.repeat(300)}`),
    ],
    ['a name with a NUL byte', entityWith('Component', 'name: "cart\\0api"')],
    [
      'a namespace of 64 characters',
      entityWith('Component', `name: x, namespace: ${'n'.repeat(64)}`),
    ],
    ['a kind with a space', entityWith('"Com ponent"', 'name: x')],
  ])(
    'skips a document with %s, which no catalog ref can hold, and keeps the rest',
    async (_, bad) => {
      // PostgreSQL stores each ref of the one full mutation in a varchar(255) and refuses a NUL:
      // one such entity failed the mutation on every scan, keeping every repository out.
      publish('broken', { 'catalog-info.yaml': `${bad}---\n${CATALOG_INFO}` });
      publish('cart-api', {
        'catalog-info.yaml': CATALOG_INFO,
        'openapi.yaml': 'x',
      });
      const { provider, connection, mutations, logger } = setup();
      await provider.connect(connection as any);
      expect(await provider.refresh()).toEqual({ changed: true, entities: 4 });
      expect(
        mutations[0].entities.map((e: any) => [
          e.locationKey,
          e.entity.kind,
          e.entity.metadata.name,
        ]),
      ).toEqual([
        ['golden-paths-local:broken.git', 'Component', 'cart-api'],
        ['golden-paths-local:broken.git', 'API', 'cart-api'],
        ['golden-paths-local:cart-api.git', 'Component', 'cart-api'],
        ['golden-paths-local:cart-api.git', 'API', 'cart-api'],
      ]);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      const [warning] = logger.warn.mock.calls[0];
      expect(warning).toMatch(
        /^golden-paths-local: broken\.git: catalog-info\.yaml: document 1 skipped: (kind|metadata\.namespace|metadata\.name) "/,
      );
      expect(warning).not.toContain('\0');
      expect(warning.length).toBeLessThan(300);
    },
  );

  it('applies an empty full mutation when the root does not exist yet', async () => {
    const { provider, connection, mutations } = setup();
    fs.rmSync(root, { recursive: true, force: true });
    await provider.connect(connection as any);
    expect(await provider.refresh()).toEqual({ changed: true, entities: 0 });
    expect(mutations[0]).toEqual({ type: 'full', entities: [] });
  });

  it('applies a change again on the next scan when the catalog write failed', async () => {
    publish('cart-api', { 'catalog-info.yaml': CATALOG_INFO });
    const { provider, connection, mutations } = setup();
    await provider.connect(connection as any);
    await provider.refresh();
    publish('cart-api', { 'catalog-info.yaml': PRODUCTION });
    connection.applyMutation.mockRejectedValueOnce(
      new Error('database is locked'),
    );
    await expect(provider.refresh()).rejects.toThrow('database is locked');
    expect(await provider.refresh()).toEqual({ changed: true, entities: 2 });
    expect(mutations).toHaveLength(2);
    expect(lifecycles(mutations[1])).toEqual(['production', 'production']);
  });

  it('applies the first scan again when it could not be written, even with nothing to add', async () => {
    const { provider, connection, mutations } = setup();
    await provider.connect(connection as any);
    connection.applyMutation.mockRejectedValueOnce(new Error('timeout'));
    await expect(provider.refresh()).rejects.toThrow('timeout');
    expect(await provider.refresh()).toEqual({ changed: true, entities: 0 });
    expect(mutations).toEqual([{ type: 'full', entities: [] }]);
  });

  it('keeps the entities of a repository whose descriptor git failed to read, and reads it again next scan', async () => {
    publish('cart-api', { 'catalog-info.yaml': CATALOG_INFO });
    const { provider, connection, mutations, logger } = setup();
    await provider.connect(connection as any);
    await provider.refresh();
    publish('cart-api', { 'catalog-info.yaml': PRODUCTION });
    const fake = failGitOnce(
      ' cat-file ',
      "fatal: Unable to create 'index.lock': File exists.",
    );
    await provider.refresh();
    expect(fake.failed()).toBe(true);
    expect(mutations).toHaveLength(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('index.lock'),
    );
    expect(await provider.refresh()).toEqual({ changed: true, entities: 2 });
    expect(lifecycles(mutations[mutations.length - 1])).toEqual([
      'production',
      'production',
    ]);
  });

  it('adds a new repository on a later scan when git failed to read it the first time', async () => {
    publish('cart-api', { 'catalog-info.yaml': CATALOG_INFO });
    const { provider, connection, mutations } = setup();
    await provider.connect(connection as any);
    failGitOnce(' cat-file ', 'fatal: unable to read tree');
    await provider.refresh();
    await provider.refresh();
    const last = mutations[mutations.length - 1];
    expect(last.entities.map((e: any) => e.entity.metadata.name)).toEqual([
      'cart-api',
      'cart-api',
    ]);
  });

  it('keeps the entities of a repository when git failed to read a $text file', async () => {
    publish('cart-api', {
      'catalog-info.yaml': CATALOG_INFO,
      'openapi.yaml': 'openapi: 3.1.0\n',
    });
    const { provider, connection, mutations } = setup();
    await provider.connect(connection as any);
    await provider.refresh();
    publish('cart-api', {
      'catalog-info.yaml': PRODUCTION,
      'openapi.yaml': 'openapi: 3.1.1\n',
    });
    const fake = failGitOnce(':openapi.yaml ', 'fatal: packfile is corrupt');
    await provider.refresh();
    expect(fake.failed()).toBe(true);
    expect(mutations).toHaveLength(1);
    await provider.refresh();
    const [, api] = mutations[1].entities;
    expect(api.entity.spec).toMatchObject({
      lifecycle: 'production',
      definition: 'openapi: 3.1.1\n',
    });
  });

  it('keeps the entities of a repository whose HEAD git failed to read', async () => {
    publish('cart-api', { 'catalog-info.yaml': CATALOG_INFO });
    const { provider, connection, mutations } = setup();
    await provider.connect(connection as any);
    await provider.refresh();
    const fake = failGitOnce(' rev-parse ', 'fatal: unable to read HEAD');
    expect(await provider.refresh()).toEqual({ changed: false, entities: 2 });
    expect(fake.failed()).toBe(true);
    expect(mutations).toHaveLength(1);
  });

  it('logs a repository git cannot read once, not on every scan, and again after it was read', async () => {
    publish('cart-api', { 'catalog-info.yaml': CATALOG_INFO });
    // Not a git repository: every scan retries it (every 2 s by default).
    fs.mkdirSync(path.join(root, 'half-made.git'));
    const { provider, connection, logger } = setup();
    await provider.connect(connection as any);
    for (let scan = 0; scan < 5; scan++) {
      expect(await provider.refresh()).toEqual({
        changed: scan === 0,
        entities: 2,
      });
    }
    const warnings = () =>
      logger.warn.mock.calls.filter(([m]) => String(m).includes('half-made'));
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0][0]).toContain(
      'the catalog keeps what it holds of it, and removals wait for it (at most 10 min after start), retried every scan',
    );

    fs.rmSync(path.join(root, 'half-made.git'), { recursive: true });
    publish('half-made', { 'catalog-info.yaml': CATALOG_INFO });
    await provider.refresh();
    expect(logger.info).toHaveBeenCalledWith(
      'golden-paths-local: half-made.git: read again',
    );
    fs.rmSync(path.join(root, 'half-made.git'), { recursive: true });
    fs.mkdirSync(path.join(root, 'half-made.git'));
    await provider.refresh(); // unreadable again: logged, its entities kept
    await provider.refresh();
    expect(warnings()).toHaveLength(2);
  });

  it('logs a failed scan once until a scan succeeds', async () => {
    publish('cart-api', { 'catalog-info.yaml': CATALOG_INFO });
    const logger = mockServices.logger.mock();
    let scan: (() => Promise<void>) | undefined;
    const provider = new LocalGitRepositoryProvider({
      root,
      logger,
      schedule: {
        run: async ({ fn }: { fn: () => Promise<void> }) => {
          scan = fn;
        },
      } as any,
    });
    await provider.connect({
      applyMutation: jest.fn(async () => {}),
      refresh: jest.fn(),
    } as any);
    const readdir = jest.spyOn(fs.promises, 'readdir').mockRejectedValue(
      Object.assign(new Error('EACCES: permission denied, scandir'), {
        code: 'EACCES',
      }),
    );
    for (let i = 0; i < 4; i++) await scan!();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('golden-paths-local scan failed: EACCES'),
    );
    readdir.mockRestore();
    await scan!();
    expect(logger.info).toHaveBeenCalledWith(
      'golden-paths-local scan recovered',
    );
    jest.spyOn(fs.promises, 'readdir').mockRejectedValueOnce(
      Object.assign(new Error('EACCES: permission denied, scandir'), {
        code: 'EACCES',
      }),
    );
    await scan!();
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });

  it('after a restart, never deletes the entities of a repository git cannot read yet: adds what it read until every repository was read', async () => {
    publish('cart-api', { 'catalog-info.yaml': CATALOG_INFO });
    publish('coupon-service', {
      'catalog-info.yaml': CATALOG_INFO.replace(/cart-api/g, 'coupon-service'),
    });
    const before = setup();
    await before.provider.connect(before.connection as any);
    await before.provider.refresh();
    expect(before.mutations[0].entities).toHaveLength(4);

    // The backend restarts; on its first scan git fails on one repository's HEAD.
    const { provider, connection, mutations } = setup();
    await provider.connect(connection as any);
    const fake = failGitOnce(' rev-parse ', 'fatal: unable to read HEAD');
    expect(await provider.refresh()).toEqual({ changed: true, entities: 2 });
    expect(fake.failed()).toBe(true);
    expect(mutations).toEqual([
      { type: 'delta', added: expect.any(Array), removed: [] },
    ]);
    expect(mutations[0].added.map((e: any) => e.locationKey)).toEqual([
      'golden-paths-local:coupon-service.git',
      'golden-paths-local:coupon-service.git',
    ]);
    // Read on the next scan: one full mutation with both.
    expect(await provider.refresh()).toEqual({ changed: true, entities: 4 });
    expect(mutations[1]).toMatchObject({ type: 'full' });
    expect(mutations[1].entities).toHaveLength(4);
  });

  it('after a restart, a repository git never reads holds removals back for 10 minutes at most', async () => {
    publish('cart-api', { 'catalog-info.yaml': CATALOG_INFO });
    fs.mkdirSync(path.join(root, 'broken.git')); // never a repository
    let now = Date.parse('2026-12-07T10:00:00Z');
    const logger = mockServices.logger.mock();
    const provider = new LocalGitRepositoryProvider({
      root,
      logger,
      clock: () => now,
    });
    const mutations: any[] = [];
    await provider.connect({
      applyMutation: jest.fn(async (m: any) => {
        mutations.push(m);
      }),
      refresh: jest.fn(),
    } as any);
    await provider.refresh();
    expect(mutations.map(m => m.type)).toEqual(['delta']);
    // cart-api is deleted; within the 10 minutes nothing is removed
    fs.rmSync(path.join(root, 'cart-api.git'), { recursive: true });
    now += 5 * 60_000;
    await provider.refresh();
    expect(
      mutations.every(m => m.type === 'delta' && m.removed.length === 0),
    ).toBe(true);
    // after them, full mutations again: cart-api leaves the catalog
    now += 6 * 60_000;
    await provider.refresh();
    expect(mutations[mutations.length - 1]).toEqual({
      type: 'full',
      entities: [],
    });
  });

  it('removes the entities of a repository whose descriptor was removed by a push', async () => {
    publish('cart-api', { 'catalog-info.yaml': CATALOG_INFO });
    const { provider, connection, mutations } = setup();
    await provider.connect(connection as any);
    await provider.refresh();
    publish('cart-api', { 'README.md': 'descriptor moved away' });
    expect(await provider.refresh()).toEqual({ changed: true, entities: 0 });
    expect(mutations[1]).toEqual({ type: 'full', entities: [] });
  });

  it('skips the scan, keeping every entity, when the root cannot be listed', async () => {
    publish('cart-api', { 'catalog-info.yaml': CATALOG_INFO });
    const { provider, connection, mutations } = setup();
    await provider.connect(connection as any);
    await provider.refresh();
    jest
      .spyOn(fs.promises, 'readdir')
      .mockRejectedValueOnce(
        Object.assign(new Error('EIO: i/o error, scandir'), { code: 'EIO' }),
      );
    await expect(provider.refresh()).rejects.toThrow('EIO');
    expect(mutations).toHaveLength(1);
    expect(await provider.refresh()).toEqual({ changed: false, entities: 2 });
  });

  it('removes every entity once the root itself is removed', async () => {
    // ENOENT is an answer, not a failure: no root means no published repositories, the same as
    // each repository disappearing (a root that cannot be read for another reason is skipped).
    publish('cart-api', { 'catalog-info.yaml': CATALOG_INFO });
    const { provider, connection, mutations } = setup();
    await provider.connect(connection as any);
    await provider.refresh();
    fs.rmSync(root, { recursive: true, force: true });
    expect(await provider.refresh()).toEqual({ changed: true, entities: 0 });
    expect(mutations[1]).toEqual({ type: 'full', entities: [] });
  });
});
