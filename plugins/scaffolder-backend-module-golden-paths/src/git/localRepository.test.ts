import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { git } from './gitCli';
import {
  createRepositoryWith,
  discardStaged,
  isRejectedPush,
  pushStaged,
  stageCommit,
} from './localRepository';

describe('createRepositoryWith (publish:git, local mode)', () => {
  let root: string;
  let source: string;
  const saved = process.env.GIT_TEMPLATE_DIR;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-create-'));
    source = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-source-'));
    fs.writeFileSync(path.join(source, 'README.md'), '# cart-api\n');
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.GIT_TEMPLATE_DIR;
    else process.env.GIT_TEMPLATE_DIR = saved;
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(source, { recursive: true, force: true });
  });

  const identity = {
    name: 'Golden Paths',
    email: 'golden-paths@example.com',
    date: '2026-11-23T10:00:00Z',
    message: 'Create cart-api',
  };

  it('leaves nothing at the remote path until the push has landed, so a crash cannot leave an empty repository there', async () => {
    // A hook of the repository being created records, while the push runs, whether anything
    // is at the remote path yet; it then refuses the push, as a process dying there would end it.
    const remote = path.join(root, 'cart-api.git');
    const marker = path.join(root, 'seen-during-push');
    const template = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-template-'));
    fs.mkdirSync(path.join(template, 'hooks'));
    fs.writeFileSync(
      path.join(template, 'hooks', 'pre-receive'),
      `#!/bin/sh\nif [ -e '${remote}' ]; then echo present; else echo absent; fi > '${marker}'\nexit 1\n`,
      { mode: 0o755 },
    );
    process.env.GIT_TEMPLATE_DIR = template;
    const staged = await stageCommit(source, identity);
    try {
      await expect(
        createRepositoryWith(staged, remote, 'main'),
      ).rejects.toThrow(/git push failed/);
    } finally {
      await discardStaged(staged);
      fs.rmSync(template, { recursive: true, force: true });
    }
    expect(fs.readFileSync(marker, 'utf8').trim()).toBe('absent');
    // The refused attempt left nothing behind: no repository, no half-built directory.
    expect(fs.readdirSync(root)).toEqual(['seen-during-push']);
  });

  it('puts the repository in place with the staged commit', async () => {
    const remote = path.join(root, 'nested', 'cart-api.git');
    const staged = await stageCommit(source, identity);
    try {
      await createRepositoryWith(staged, remote, 'main');
    } finally {
      await discardStaged(staged);
    }
    expect(await git(['--git-dir', remote, 'show', 'main:README.md'])).toBe(
      '# cart-api',
    );
    expect(fs.readdirSync(path.dirname(remote))).toEqual(['cart-api.git']);
  });
});

describe('pushStaged onto a branch that moved', () => {
  it('fails with what isRejectedPush recognises (publish:git answers GP-E01), and other failures not', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-moved-'));
    try {
      const remote = path.join(root, 'infra.git');
      const source = path.join(root, 'source');
      fs.mkdirSync(source);
      fs.writeFileSync(path.join(source, 'a.yaml'), 'a: 1\n');
      const identity = {
        name: 'Golden Paths',
        email: 'golden-paths@example.com',
        date: '2026-11-23T10:00:00Z',
        message: 'A',
      };
      const first = await stageCommit(source, identity);
      await createRepositoryWith(first, remote, 'main');
      await discardStaged(first);
      const base = await git(['--git-dir', remote, 'rev-parse', 'main']);
      const parent = { remote, branch: 'main', commit: base };
      fs.writeFileSync(path.join(source, 'b.yaml'), 'b: 1\n');
      const ours = await stageCommit(
        source,
        { ...identity, message: 'B' },
        parent,
      );
      fs.writeFileSync(path.join(source, 'c.yaml'), 'c: 1\n');
      const theirs = await stageCommit(
        source,
        { ...identity, message: 'C' },
        parent,
      );
      await pushStaged(theirs, remote, 'main');
      const error = await pushStaged(ours, remote, 'main').catch(e => e);
      expect(error).toBeInstanceOf(Error);
      expect(isRejectedPush(error)).toBe(true);
      expect(
        isRejectedPush(
          new Error(
            "git push failed: fatal: '/x' does not appear to be a git repository",
          ),
        ),
      ).toBe(false);
      await discardStaged(ours);
      await discardStaged(theirs);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
