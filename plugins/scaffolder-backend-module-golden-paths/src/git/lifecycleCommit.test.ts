import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  commitDescriptorChange,
  requestDescriptorCommit,
  retireRepository,
} from './lifecycleCommit';

const git = (args: string[], cwd?: string) =>
  execFileSync('git', args, { encoding: 'utf8', cwd }).trim();

const SYSTEM = `apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: checkout
  annotations:
    ops.example.com/lifecycle: production
    ops.example.com/request-key: system:checkout
spec:
  owner: group:default/checkout-team
`;

const COMPONENT = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: cart-api
  annotations:
    ops.example.com/request-key: service-node-http:cart-api
spec:
  type: service
  lifecycle: experimental
  owner: group:default/checkout-team
`;

describe('commitDescriptorChange (golden-paths.md §7.1)', () => {
  let root: string;
  let remote: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-lc-'));
    remote = path.join(root, 'checkout.git');
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-lc-w-'));
    git(['init', '-q', '--bare', '--initial-branch=main', remote]);
    git(['init', '-q', '-b', 'main'], work);
    fs.writeFileSync(
      path.join(work, 'catalog-info.yaml'),
      `${SYSTEM}---\n${COMPONENT}`,
    );
    git(['add', '.'], work);
    git(
      ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'create'],
      work,
    );
    git(['push', '-q', remote, 'main'], work);
    fs.rmSync(work, { recursive: true, force: true });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const docs = () =>
    parseAllDocuments(
      git(['--git-dir', remote, 'show', 'main:catalog-info.yaml']),
    ).map(d => d.toJS());
  const identity = (requestKey: string) => ({
    name: 'Golden Paths',
    email: 'gp@example.com',
    date: '2026-11-23T10:00:00Z',
    message: `deprecate: production → deprecated (request ${requestKey})`,
  });

  it('writes the lifecycle of a System into ops.example.com/lifecycle, not spec.lifecycle (scorecards §2.1)', async () => {
    const result = await commitDescriptorChange({
      remote,
      branch: 'main',
      change: {
        entityName: 'checkout',
        kind: 'System',
        lifecycle: 'deprecated',
        lifecycleInAnnotation: true,
        setAnnotations: { 'ops.example.com/retire-by': '2027-03-01' },
        removeAnnotations: [],
      },
      identity: identity('lifecycle:system:default/checkout:deprecate'),
    });
    expect(result.changed).toBe(true);
    const [system, component] = docs();
    expect(system.metadata.annotations).toEqual({
      'ops.example.com/lifecycle': 'deprecated',
      'ops.example.com/request-key': 'system:checkout',
      'ops.example.com/retire-by': '2027-03-01',
    });
    expect(system.spec).toEqual({ owner: 'group:default/checkout-team' });
    // the other document of the file is left as it was
    expect(component.spec.lifecycle).toBe('experimental');
  });

  it('keeps spec.lifecycle for a Component', async () => {
    await commitDescriptorChange({
      remote,
      branch: 'main',
      change: {
        entityName: 'cart-api',
        kind: 'Component',
        lifecycle: 'deprecated',
        setAnnotations: {},
        removeAnnotations: [],
      },
      identity: identity('lifecycle:component:default/cart-api:deprecate'),
    });
    const [system, component] = docs();
    expect(component.spec.lifecycle).toBe('deprecated');
    expect(
      component.metadata.annotations['ops.example.com/lifecycle'],
    ).toBeUndefined();
    expect(system.metadata.annotations['ops.example.com/lifecycle']).toBe(
      'production',
    );
  });

  it('finds the request commit by the file it changed', async () => {
    const key = 'lifecycle:system:default/checkout:deprecate';
    const { commitSha } = await commitDescriptorChange({
      remote,
      branch: 'main',
      change: {
        entityName: 'checkout',
        kind: 'System',
        lifecycle: 'deprecated',
        lifecycleInAnnotation: true,
        setAnnotations: {},
        removeAnnotations: [],
      },
      identity: identity(key),
    });
    expect(
      await requestDescriptorCommit({
        remote,
        branch: 'main',
        requestKey: key,
      }),
    ).toEqual({ commitSha, from: 'production', to: 'deprecated' });
    expect(
      await requestDescriptorCommit({
        remote,
        branch: 'main',
        requestKey: key,
        file: 'resources/other.yaml',
      }),
    ).toBeUndefined();
  });
});

describe('retireRepository (delete, local mode)', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-retire-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  /** A bare repository at `<root>/cart-api.git` whose one commit holds `marker`. */
  function repositoryWith(marker: string) {
    const remote = path.join(root, 'cart-api.git');
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-retire-w-'));
    git(['init', '-q', '--bare', '--initial-branch=main', remote]);
    git(['init', '-q', '-b', 'main'], work);
    fs.writeFileSync(path.join(work, 'marker.txt'), marker);
    git(['add', '.'], work);
    git(
      ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', marker],
      work,
    );
    git(['push', '-q', remote, 'main'], work);
    fs.rmSync(work, { recursive: true, force: true });
    return remote;
  }
  const markerIn = (repo: string) =>
    git(['--git-dir', repo, 'show', 'main:marker.txt']);
  const KEY = 'lifecycle:component:default/cart-api:delete';

  it('keeps the first repository when an entity of the same name is created and deleted again (same default key)', async () => {
    const first = await retireRepository(repositoryWith('first'), KEY);
    const second = await retireRepository(repositoryWith('second'), KEY);
    expect(second).not.toBe(first);
    expect(markerIn(first)).toBe('first');
    expect(markerIn(second)).toBe('second');
    expect(path.dirname(first)).toBe(path.join(root, '.deleted'));
    expect(fs.existsSync(path.join(root, 'cart-api.git'))).toBe(false);
  });

  it('names the target after the request key and never overwrites what is there', async () => {
    const remote = repositoryWith('ours');
    // something already at the path another tool (or an older release) left
    const legacy = path.join(root, '.deleted', 'cart-api.git');
    fs.mkdirSync(legacy, { recursive: true });
    fs.writeFileSync(path.join(legacy, 'keep.txt'), 'keep');
    const kept = await retireRepository(remote, KEY);
    expect(path.basename(kept)).toMatch(/^cart-api\.[0-9a-f]{12}\.git$/);
    expect(fs.readFileSync(path.join(legacy, 'keep.txt'), 'utf8')).toBe('keep');
    expect(markerIn(kept)).toBe('ours');
  });

  it('a rerun after the move (its completion lost) answers where the repository went, moving nothing', async () => {
    const remote = repositoryWith('ours');
    const kept = await retireRepository(remote, KEY);
    expect(await retireRepository(remote, KEY)).toBe(kept);
    expect(markerIn(kept)).toBe('ours');
  });
});
