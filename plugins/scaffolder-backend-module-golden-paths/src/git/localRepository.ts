import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { git, gitMaybe } from './gitCli';

/** Author and date of the one reproducible commit a golden path publishes (§4.9). */
export interface CommitIdentity {
  name: string;
  email: string;
  /** ISO instant; the request's `createdAt`, so a retry builds the same commit. */
  date: string;
  message: string;
}

/** A commit built from a workspace directory in a private staging repository. */
export interface StagedCommit {
  stagingDir: string;
  treeSha: string;
  commitSha: string;
  files: string[];
  /** Files of the parent the commit deletes (none without a parent). */
  deleted: string[];
}

/** What is at the remote's HEAD, as far as publishing needs to know. */
export interface RemoteHead {
  exists: boolean;
  /** A path exists but is not a git repository (never ours). */
  notARepository?: boolean;
  commitSha?: string;
  treeSha?: string;
  /** Raw `.goldenpath.yaml` at HEAD. */
  goldenPathYaml?: string;
  /**
   * Without a commit on the branch: whether the repository holds any ref at all (another branch
   * such as `master`, a tag). Only an existing repository with none is empty.
   */
  hasRefs?: boolean;
}

function identityEnv(id: CommitIdentity): Record<string, string> {
  const date = `${Math.floor(Date.parse(id.date) / 1000)} +0000`;
  return {
    GIT_AUTHOR_NAME: id.name,
    GIT_AUTHOR_EMAIL: id.email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: id.name,
    GIT_COMMITTER_EMAIL: id.email,
    GIT_COMMITTER_DATE: date,
  };
}

/**
 * Builds the commit of `sourceDir` without touching it: a staging repository indexes the
 * workspace as its work tree, writes the tree and commits it with a fixed identity and date, so
 * the same files always give the same tree and commit (dry run and real run agree).
 */
export async function stageCommit(
  sourceDir: string,
  identity: CommitIdentity,
  parent?: { remote: string; branch: string; commit?: string },
): Promise<StagedCommit> {
  const stagingDir = await fs.mkdtemp(path.join(os.tmpdir(), 'gp-publish-'));
  const gitDir = path.join(stagingDir, 'repo.git');
  await git(['init', '-q', '--bare', gitDir]);
  const env = {
    GIT_DIR: gitDir,
    GIT_WORK_TREE: sourceDir,
    GIT_INDEX_FILE: path.join(stagingDir, 'index'),
  };
  await git(['add', '-A', '--force', '.'], { cwd: sourceDir, env });
  const treeSha = await git(['write-tree'], { env });
  const parents: string[] = [];
  let deleted: string[] = [];
  if (parent) {
    await git(['fetch', '-q', parent.remote, parent.branch], { env });
    // `commit` pins the parent to the HEAD the caller checked: a HEAD that moved in between is
    // never silently taken as parent (the push of a commit on the older parent is refused as
    // not a fast-forward instead)
    const parentSha = await git(
      ['rev-parse', '--verify', `${parent.commit ?? 'FETCH_HEAD'}^{commit}`],
      { env },
    );
    parents.push('-p', parentSha);
    deleted = (
      await git(
        [
          'diff-tree',
          '-r',
          '--name-only',
          '--diff-filter=D',
          parentSha,
          treeSha,
        ],
        { env },
      )
    )
      .split('\n')
      .filter(Boolean);
  }
  const commitSha = await git(
    ['commit-tree', treeSha, ...parents, '-m', identity.message],
    { env: { ...env, ...identityEnv(identity) } },
  );
  const files = (await git(['ls-tree', '-r', '--name-only', treeSha], { env }))
    .split('\n')
    .filter(Boolean);
  return { stagingDir, treeSha, commitSha, files, deleted };
}

/** A remote named by URL (`https://…`, `ssh://…`, `file://…`) or scp form (`git@host:org/x`). */
export function isUrlRemote(remote: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(remote) || /^[^/]+@[^:]+:/.test(remote)
  );
}

/**
 * HEAD of a remote named by URL: `ls-remote` says whether the repository and the branch exist,
 * and a shallow fetch into a throwaway repository reads the tree and `.goldenpath.yaml` at the
 * branch. The repository must exist already: publishing never creates repositories on a server.
 */
async function readUrlRemoteHead(
  remote: string,
  branch: string,
): Promise<RemoteHead> {
  const refs = await gitMaybe(['ls-remote', remote, `refs/heads/${branch}`]);
  if (refs === undefined) return { exists: false };
  const commitSha = refs.split(/\s/)[0];
  if (!commitSha) {
    const any = await gitMaybe(['ls-remote', remote]);
    return { exists: true, hasRefs: Boolean(any?.trim()) };
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gp-remote-head-'));
  try {
    const gitDir = path.join(dir, 'repo.git');
    await git(['init', '-q', '--bare', gitDir]);
    await git([
      '--git-dir',
      gitDir,
      'fetch',
      '-q',
      '--depth',
      '1',
      remote,
      commitSha,
    ]);
    return await headAt(gitDir, commitSha);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Reads HEAD of `remote`: a bare repository path, or an existing repository named by URL. */
export async function readRemoteHead(
  remote: string,
  branch: string,
): Promise<RemoteHead> {
  // a URL is not a path: stat-ing it and `git init` at it made a directory named after the URL
  if (isUrlRemote(remote)) return readUrlRemoteHead(remote, branch);
  const stat = await fs.stat(remote).catch(() => undefined);
  if (!stat) return { exists: false };
  const isRepo = await gitMaybe([
    '--git-dir',
    remote,
    'rev-parse',
    '--git-dir',
  ]);
  if (!isRepo) return { exists: true, notARepository: true };
  const commitSha = await gitMaybe([
    '--git-dir',
    remote,
    'rev-parse',
    '--verify',
    '-q',
    `refs/heads/${branch}^{commit}`,
  ]);
  if (!commitSha) {
    const any = await gitMaybe([
      '--git-dir',
      remote,
      'for-each-ref',
      '--count=1',
      '--format=%(refname)',
    ]);
    return { exists: true, hasRefs: Boolean(any?.trim()) };
  }
  return headAt(remote, commitSha);
}

/** What publishing reads at a commit of a repository on disk: its tree and marker file. */
async function headAt(gitDir: string, commitSha: string): Promise<RemoteHead> {
  const treeSha = await git([
    '--git-dir',
    gitDir,
    'rev-parse',
    `${commitSha}^{tree}`,
  ]);
  const goldenPathYaml = await gitMaybe([
    '--git-dir',
    gitDir,
    'show',
    `${commitSha}:.goldenpath.yaml`,
  ]);
  return { exists: true, commitSha, treeSha, goldenPathYaml };
}

/**
 * Creates a bare repository at `remote` holding the staged commit on `branch`. It is built in a
 * hidden directory beside `remote` and renamed into place once the push landed, so `remote`
 * never holds an empty repository: one left there by a process that died between `git init`
 * and the push answered every retry with GP-N04 (a remote this request did not create), and
 * cleaning up on a thrown error cannot cover a crash. A crash leaves only the hidden directory,
 * which no retry and no repository scan (`*.git` names) looks at. The rename does not replace a
 * repository that appeared at `remote` meanwhile (the error is thrown; ours is removed).
 */
export async function createRepositoryWith(
  staged: StagedCommit,
  remote: string,
  branch: string,
): Promise<void> {
  const parent = path.dirname(remote);
  await fs.mkdir(parent, { recursive: true });
  const building = await fs.mkdtemp(
    path.join(parent, `.${path.basename(remote)}.creating-`),
  );
  try {
    await git(['init', '-q', '--bare', `--initial-branch=${branch}`, building]);
    await pushStaged(staged, building, branch);
    await fs.rename(building, remote);
  } catch (e) {
    await fs.rm(building, { recursive: true, force: true });
    throw e;
  }
}

/** Pushes a staged commit to `remote`'s `branch` (fast-forward only). */
export async function pushStaged(
  staged: StagedCommit,
  remote: string,
  branch: string,
): Promise<void> {
  await git(
    ['push', '-q', remote, `${staged.commitSha}:refs/heads/${branch}`],
    { env: { GIT_DIR: path.join(staged.stagingDir, 'repo.git') } },
  );
}

/** Whether {@link pushStaged} failed because the branch moved (no fast-forward any more). */
export function isRejectedPush(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /\[rejected\]|non-fast-forward|fetch first/.test(text);
}

/** Removes the staging repository. */
export async function discardStaged(staged: StagedCommit): Promise<void> {
  await fs.rm(staged.stagingDir, { recursive: true, force: true });
}
