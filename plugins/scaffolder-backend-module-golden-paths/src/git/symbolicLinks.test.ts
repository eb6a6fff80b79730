import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  materializeHead,
  writeCatalogInfo,
} from '../actions/database/infraRepository';
import { commitDescriptorChange } from './lifecycleCommit';

const git = (args: string[], cwd?: string) =>
  execFileSync('git', args, { encoding: 'utf8', cwd }).trim();

const RESOURCE = `apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: orders-db-prod
spec:
  type: database
  owner: group:default/checkout-team
`;

/**
 * An infrastructure repository someone pushed symbolic links to: `resources/zz.yaml` points at a
 * secret of the backend host, `catalog-info.yaml` at another file of the host.
 */
describe('symbolic links in a repository golden paths edit', () => {
  let root: string;
  let remote: string;
  let secret: string;
  let victim: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-links-'));
    remote = path.join(root, 'platform-infra.git');
    secret = path.join(root, 'secret.json');
    victim = path.join(root, 'victim.txt');
    fs.writeFileSync(secret, '{ "username": "app", "password": "s3cr3t" }\n');
    fs.writeFileSync(victim, 'untouched\n');
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-links-w-'));
    git(['init', '-q', '--bare', '--initial-branch=main', remote]);
    git(['init', '-q', '-b', 'main'], work);
    fs.mkdirSync(path.join(work, 'resources'));
    fs.writeFileSync(
      path.join(work, 'resources', 'orders-db-prod.yaml'),
      RESOURCE,
    );
    fs.symlinkSync(secret, path.join(work, 'resources', 'zz.yaml'));
    fs.symlinkSync(victim, path.join(work, 'catalog-info.yaml'));
    git(['add', '.'], work);
    git(
      ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'links'],
      work,
    );
    git(['push', '-q', remote, 'main'], work);
    fs.rmSync(work, { recursive: true, force: true });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('a database request refuses the repository before reading or writing any of its files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-links-d-'));
    try {
      await expect(materializeHead(remote, 'main', dir)).rejects.toThrow(
        `${remote} holds symbolic links (catalog-info.yaml, resources/zz.yaml); golden paths read and write only regular files there: replace them with files`,
      );
      // Nothing was checked out: no link exists to be read or written through.
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a lifecycle transition refuses it too, and the host file stays untouched', async () => {
    await expect(
      commitDescriptorChange({
        remote,
        branch: 'main',
        file: 'resources/orders-db-prod.yaml',
        change: {
          kind: 'Resource',
          entityName: 'orders-db-prod',
          lifecycle: 'deprecated',
        } as any,
        identity: {
          name: 't',
          email: 't@t',
          date: '2026-12-07T00:00:00Z',
          message: 'deprecate',
        },
        afterEdit: writeCatalogInfo,
      }),
    ).rejects.toThrow('holds symbolic links');
    expect(fs.readFileSync(victim, 'utf8')).toBe('untouched\n');
  });

  it('a link elsewhere in a descriptor repository does not stand in the way of a transition', async () => {
    const service = path.join(root, 'cart-api.git');
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-links-s-'));
    git(['init', '-q', '--bare', '--initial-branch=main', service]);
    git(['init', '-q', '-b', 'main'], work);
    fs.writeFileSync(
      path.join(work, 'catalog-info.yaml'),
      RESOURCE.replace('orders-db-prod', 'cart-api'),
    );
    fs.writeFileSync(path.join(work, 'AGENTS.md'), '# agents\n');
    fs.symlinkSync('AGENTS.md', path.join(work, 'CLAUDE.md'));
    git(['add', '.'], work);
    git(
      ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'create'],
      work,
    );
    git(['push', '-q', service, 'main'], work);
    fs.rmSync(work, { recursive: true, force: true });
    const done = await commitDescriptorChange({
      remote: service,
      branch: 'main',
      change: {
        kind: 'Resource',
        entityName: 'cart-api',
        lifecycle: 'deprecated',
        lifecycleInAnnotation: true,
        setAnnotations: {},
        removeAnnotations: [],
      },
      identity: {
        name: 't',
        email: 't@t',
        date: '2026-12-07T00:00:00Z',
        message: 'deprecate',
      },
    });
    expect(done.changed).toBe(true);
    // the link is committed as it was, still a link
    expect(
      git(['--git-dir', service, 'ls-tree', 'HEAD', '--', 'CLAUDE.md']),
    ).toMatch(/^120000 /);
  });
});
