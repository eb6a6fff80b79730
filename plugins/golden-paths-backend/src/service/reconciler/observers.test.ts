import type { Entity } from '@backstage/catalog-model';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { catalogObserver, localRepositoryObserver } from './observers';

const git = (args: string[]) =>
  execFileSync('git', args, { encoding: 'utf8' }).trim();

describe('localRepositoryObserver', () => {
  let base: string;
  let repo: string;
  let sha: string;

  beforeAll(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-observe-'));
    const work = path.join(base, 'work');
    fs.mkdirSync(work);
    git(['-C', work, 'init', '-q', '-b', 'main']);
    fs.writeFileSync(
      path.join(work, '.goldenpath.yaml'),
      'template: template:default/service-node-http\nrequestKey: service-node-http:cart-api\n',
    );
    git(['-C', work, 'add', '.']);
    git([
      '-C',
      work,
      '-c',
      'user.name=Golden Paths',
      '-c',
      'user.email=gp@example.com',
      'commit',
      '-qm',
      'create',
    ]);
    sha = git(['-C', work, 'rev-parse', 'HEAD']);
    repo = path.join(base, 'cart-api.git');
    git(['init', '-q', '--bare', '--initial-branch=main', repo]);
    git(['-C', work, 'push', '-q', repo, 'main']);
  });

  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  const observe = localRepositoryObserver();

  it('reads the marker, the history and the write state of a bare repository', async () => {
    expect(await observe.inspect(repo, {})).toEqual({
      state: 'present',
      markerKey: 'service-node-http:cart-api',
      readOnly: false,
    });
    expect(await observe.inspect(repo, { commitSha: sha })).toMatchObject({
      containsCommit: true,
    });
    expect(
      await observe.inspect(repo, { commitSha: 'd'.repeat(40) }),
    ).toMatchObject({ containsCommit: false });

    // the archive finalizer's hook (§7.3)
    const hook = path.join(repo, 'hooks', 'pre-receive');
    fs.writeFileSync(hook, '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    try {
      expect(await observe.inspect(repo, {})).toMatchObject({
        readOnly: true,
      });
    } finally {
      fs.rmSync(hook);
    }
  });

  it('absent when nothing is there; no marker when something else is', async () => {
    expect(await observe.inspect(path.join(base, 'gone.git'), {})).toEqual({
      state: 'absent',
    });
    const plain = path.join(base, 'plain.git');
    fs.mkdirSync(plain);
    expect(await observe.inspect(plain, { commitSha: sha })).toEqual({
      state: 'present',
      readOnly: false,
      containsCommit: false,
    });
  });
});

describe('catalogObserver', () => {
  const entity = (
    kind: string,
    name: string,
    over: { annotations?: Record<string, string>; lifecycle?: string } = {},
  ): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      annotations: over.annotations ?? {},
    },
    spec: over.lifecycle ? { lifecycle: over.lifecycle } : {},
  });

  it('reads request key and lifecycle (Resources: the annotation) in batches of 100', async () => {
    const calls: number[] = [];
    const observer = catalogObserver({
      async getEntitiesByRefs(refs) {
        calls.push(refs.length);
        return [
          entity('Component', 'cart-api', {
            lifecycle: 'production',
            annotations: {
              'ops.example.com/request-key': 'service-node-http:cart-api',
            },
          }),
          entity('Resource', 'cart-db-dev', {
            annotations: { 'ops.example.com/lifecycle': 'experimental' },
          }),
        ].filter(e =>
          refs.includes(`${e.kind.toLowerCase()}:default/${e.metadata.name}`),
        );
      },
    });
    const refs = [
      'component:default/cart-api',
      'resource:default/cart-db-dev',
      ...Array.from({ length: 150 }, (_, i) => `component:default/x-${i}`),
    ];
    const found = await observer.entities(refs);
    expect(calls).toEqual([100, 52]);
    expect(Object.fromEntries(found)).toEqual({
      'component:default/cart-api': {
        state: 'present',
        requestKey: 'service-node-http:cart-api',
        lifecycle: 'production',
      },
      'resource:default/cart-db-dev': {
        state: 'present',
        lifecycle: 'experimental',
      },
    });
  });
});
