import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';

// Deleting a local bare repository that publish:git created (§4.9 publish:git "Compensating: a
// repository created by this request whose HEAD is still the recorded commit is deleted (local)").
// Every check reads; only `deleteLocalRepository` writes, and only after all of them passed.

/**
 * What the checks found: `refused` is a safety rule (not ours, or not where it may be deleted);
 * `manual` is a repository that is ours but holds more than this request's commit, so deleting it
 * is a human's decision (§4.9: only a repository whose HEAD is still the recorded commit).
 */
export type LocalRepositoryCheck =
  | { state: 'deletable'; path: string }
  | { state: 'absent' }
  | { state: 'refused'; reason: string }
  | { state: 'manual'; reason: string };

const GIT_TIMEOUT_MS = 30_000;

/**
 * Runs git without a shell; resolves stdout (trimmed) or undefined when git exits non-zero.
 * Also used by the reconciler's repository reads.
 */
export function git(args: string[]): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        timeout: GIT_TIMEOUT_MS,
        maxBuffer: 1024 * 1024,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
      },
      (error, stdout) => {
        if (!error) {
          resolve(stdout.trim());
          return;
        }
        // git ran and said no (exit code): an answer. git missing or killed: an error.
        if (typeof (error as { code?: unknown }).code === 'number') {
          resolve(undefined);
          return;
        }
        reject(error);
      },
    );
  });
}

/**
 * The `requestKey` of a `.goldenpath.yaml` marker. The marker is written by the descriptor action
 * with a YAML library as a flat mapping; a top-level `requestKey:` line is read as a plain,
 * single-quoted or double-quoted scalar. Anything else is no marker.
 */
export function markerRequestKey(text: string): string | undefined {
  const m = /^requestKey:[ \t]*(.*?)[ \t]*$/m.exec(text);
  if (!m) return undefined;
  const raw = m[1];
  try {
    if (raw.startsWith('"')) return JSON.parse(raw) as string;
  } catch {
    return undefined;
  }
  if (raw.startsWith("'")) {
    return raw.endsWith("'") && raw.length >= 2
      ? raw.slice(1, -1).replace(/''/g, "'")
      : undefined;
  }
  const plain = raw.replace(/[ \t]+#.*$/, '');
  return plain === '' ? undefined : plain;
}

/**
 * Whether the repository at `repoPath` may be deleted as this request's compensation:
 * - it lies inside `root` also after resolving symbolic links, is not itself a link, and is a bare
 *   git repository (else `refused`);
 * - its HEAD is `commitSha`, every ref points at that commit and the commit has no parent: the
 *   repository holds this request's commit and nothing else (else `manual`: it changed after the
 *   request, or existed before it, as the shared infrastructure repository of database requests);
 * - `.goldenpath.yaml` at HEAD names `requestKey` (read with `git show HEAD:.goldenpath.yaml`;
 *   else `refused`).
 * A path that does not exist is `absent` (an earlier run deleted it, or someone did by hand).
 */
export async function inspectLocalRepository(p: {
  root: string;
  repoPath: string;
  requestKey: string;
  commitSha: string;
}): Promise<LocalRepositoryCheck> {
  const refuse = (reason: string) => ({ state: 'refused' as const, reason });
  const manual = (reason: string) => ({ state: 'manual' as const, reason });
  const root = path.resolve(p.root);
  const candidate = path.resolve(p.repoPath);
  if (
    !candidate.startsWith(`${root}${path.sep}`) ||
    !candidate.endsWith('.git')
  ) {
    return refuse(
      `${candidate} is not a <name>.git repository inside goldenPaths.publish.local.root (${root}); not deleted`,
    );
  }
  const stat = await fs.lstat(candidate).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
    throw e;
  });
  if (!stat) return { state: 'absent' };
  if (stat.isSymbolicLink()) {
    return refuse(`${candidate} is a symbolic link; not deleted`);
  }
  if (!stat.isDirectory()) {
    return refuse(`${candidate} is not a directory; not deleted`);
  }
  const [realRoot, real] = await Promise.all([
    fs.realpath(root),
    fs.realpath(candidate),
  ]);
  if (!real.startsWith(`${realRoot}${path.sep}`)) {
    return refuse(
      `${candidate} resolves to ${real}, outside goldenPaths.publish.local.root (${realRoot}); not deleted`,
    );
  }
  const gitDir = `--git-dir=${real}`;
  if ((await git([gitDir, 'rev-parse', '--is-bare-repository'])) !== 'true') {
    return refuse(`${candidate} is not a bare git repository; not deleted`);
  }
  const head = await git([
    gitDir,
    'rev-parse',
    '--verify',
    '-q',
    'HEAD^{commit}',
  ]);
  if (head !== p.commitSha) {
    return manual(
      `HEAD of ${candidate} is ${head ?? '(none)'}, not the recorded commit ${
        p.commitSha
      }: the repository changed after this request; archive or delete it by hand`,
    );
  }
  const refs = (await git([gitDir, 'for-each-ref', '--format=%(objectname)']))
    ?.split('\n')
    .filter(Boolean);
  if (!refs || refs.some(r => r !== p.commitSha)) {
    return manual(
      `${candidate} holds refs other than the recorded commit ${p.commitSha}; not deleted: archive or delete it by hand`,
    );
  }
  const parents = await git([
    gitDir,
    'rev-list',
    '--parents',
    '-n',
    '1',
    p.commitSha,
  ]);
  if (parents === undefined || parents.split(' ').length !== 1) {
    return manual(
      `commit ${p.commitSha} of ${candidate} has history before it: the repository existed before this request (an update commit); revert the commit by hand`,
    );
  }
  const marker = await git([gitDir, 'show', 'HEAD:.goldenpath.yaml']);
  const owner = marker === undefined ? undefined : markerRequestKey(marker);
  if (owner !== p.requestKey) {
    return refuse(
      owner
        ? `.goldenpath.yaml at HEAD of ${candidate} names request "${owner}", not "${p.requestKey}"; not deleted`
        : `${candidate} has no .goldenpath.yaml naming a request at HEAD; not deleted`,
    );
  }
  return { state: 'deletable', path: real };
}

/**
 * Deletes the repository when `inspectLocalRepository` allows it: `deleted`, `absent` (nothing
 * there any more), or `refused` / `manual` with the reason. Never touches anything else.
 */
export async function deleteLocalRepository(p: {
  root: string;
  repoPath: string;
  requestKey: string;
  commitSha: string;
}): Promise<
  | { state: 'deleted' }
  | { state: 'absent' }
  | { state: 'refused'; reason: string }
  | { state: 'manual'; reason: string }
> {
  const check = await inspectLocalRepository(p);
  if (check.state !== 'deletable') return check;
  await fs.rm(check.path, { recursive: true });
  return { state: 'deleted' };
}
