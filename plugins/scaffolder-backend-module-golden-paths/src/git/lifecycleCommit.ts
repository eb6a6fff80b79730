import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GP_KEYS } from '@internal/plugin-golden-paths-common';
import { parseAllDocuments, stringify } from 'yaml';
import { git, gitMaybe } from './gitCli';
import { refuseSymbolicLinks } from './symbolicLinks';

/** The descriptor every golden-path repository has, and the file a change edits by default. */
export const CATALOG_INFO = 'catalog-info.yaml';

/** How a transition changes the entity's document (§7.1 effects). */
export interface DescriptorChange {
  entityName: string;
  kind: string;
  lifecycle: string;
  /** Resources and Systems keep their lifecycle in `ops.example.com/lifecycle` (scorecards §2.1). */
  lifecycleInAnnotation?: boolean;
  setAnnotations: Record<string, string>;
  removeAnnotations: string[];
}

/**
 * The change applied to one parsed document. Components (and APIs) keep their lifecycle in
 * `spec.lifecycle`; Resources and Systems in the annotation, since their kinds have no lifecycle
 * field (a `spec.lifecycle` one already carries is kept in step, so the two never disagree).
 */
function applyChange(doc: Record<string, any>, change: DescriptorChange) {
  const annotations: Record<string, string> = {
    ...doc.metadata.annotations,
    ...change.setAnnotations,
  };
  if (change.lifecycleInAnnotation) {
    annotations[GP_KEYS.lifecycle] = change.lifecycle;
    if (doc.spec && 'lifecycle' in doc.spec) {
      doc.spec = { ...doc.spec, lifecycle: change.lifecycle };
    }
  } else {
    doc.spec = { ...doc.spec, lifecycle: change.lifecycle };
  }
  for (const key of change.removeAnnotations) delete annotations[key];
  doc.metadata.annotations = annotations;
}

/**
 * Commits everything changed in the clone `work` as one commit (author and date given) and
 * pushes it fast-forward to `branch`; nothing when the clone is unchanged (a retried
 * transition). Returns the commit HEAD points at afterwards.
 */
async function commitWorkTree(
  work: string,
  branch: string,
  identity: { name: string; email: string; date: string; message: string },
): Promise<{ commitSha: string; changed: boolean }> {
  const status = await git(['status', '--porcelain'], { cwd: work });
  if (!status) {
    return {
      commitSha: await git(['rev-parse', 'HEAD'], { cwd: work }),
      changed: false,
    };
  }
  const date = `${Math.floor(Date.parse(identity.date) / 1000)} +0000`;
  await git(['add', '--all'], { cwd: work });
  await git(['commit', '-q', '-m', identity.message], {
    cwd: work,
    env: {
      GIT_AUTHOR_NAME: identity.name,
      GIT_AUTHOR_EMAIL: identity.email,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_NAME: identity.name,
      GIT_COMMITTER_EMAIL: identity.email,
      GIT_COMMITTER_DATE: date,
    },
  });
  await git(['push', '-q', 'origin', `HEAD:refs/heads/${branch}`], {
    cwd: work,
  });
  return {
    commitSha: await git(['rev-parse', 'HEAD'], { cwd: work }),
    changed: true,
  };
}

/**
 * Commits a lifecycle change to the descriptor of a locally published repository: one
 * fast-forward commit on `branch` (author and date given), or nothing when HEAD already holds it
 * (a retried transition). Returns the commit HEAD points at afterwards.
 *
 * `file` is where the entity's document lives: `catalog-info.yaml` in a repository of its own,
 * `resources/<name>.yaml` in the shared infrastructure repository, whose `catalog-info.yaml` is
 * generated from those files (`afterEdit` regenerates it in the working tree before the commit).
 * Only that file (and what `afterEdit` writes) changes; its leading comment lines are kept.
 */
export async function commitDescriptorChange(p: {
  remote: string;
  branch: string;
  change: DescriptorChange;
  identity: { name: string; email: string; date: string; message: string };
  file?: string;
  afterEdit?: (workTree: string) => Promise<unknown>;
}): Promise<{ commitSha: string; changed: boolean }> {
  const relative = p.file ?? CATALOG_INFO;
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'gp-lifecycle-'));
  try {
    await cloneForEdit(p.remote, p.branch, work, relative);
    const file = path.join(work, relative);
    const missing = () =>
      new Error(
        `${relative} of ${p.remote} has no ${p.change.kind} ${p.change.entityName}`,
      );
    const text = await fs.readFile(file, 'utf8').catch(() => {
      throw missing();
    });
    const docs = parseAllDocuments(text).map(
      d => d.toJS() as Record<string, any>,
    );
    const doc = docs.find(
      d =>
        String(d?.kind).toLowerCase() === p.change.kind.toLowerCase() &&
        d?.metadata?.name === p.change.entityName,
    );
    if (!doc) throw missing();
    applyChange(doc, p.change);
    const header = /^(?:#[^\n]*\n)*/.exec(text)![0];
    await fs.writeFile(
      file,
      `${header}${docs.map(d => stringify(d, { lineWidth: 0 })).join('---\n')}`,
      'utf8',
    );
    await p.afterEdit?.(work);
    return await commitWorkTree(work, p.branch, p.identity);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/**
 * Delete of an entity described by one file of a shared repository (a database Resource's
 * `resources/<name>.yaml` in the infrastructure repository): one fast-forward commit that removes
 * the file (`afterEdit` regenerates what is derived from it, the repository's `catalog-info.yaml`),
 * so the entity leaves the catalog and every other entity of the repository stays. Nothing is
 * committed when the file is already gone (a rerun). Returns the commit HEAD points at afterwards.
 */
export async function commitDescriptorRemoval(p: {
  remote: string;
  branch: string;
  file: string;
  identity: { name: string; email: string; date: string; message: string };
  afterEdit?: (workTree: string) => Promise<unknown>;
}): Promise<{ commitSha: string; changed: boolean }> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'gp-lifecycle-'));
  try {
    await cloneForEdit(p.remote, p.branch, work, p.file);
    await fs.rm(path.join(work, p.file), { force: true });
    await p.afterEdit?.(work);
    return await commitWorkTree(work, p.branch, p.identity);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/**
 * What an edit reads or writes in a descriptor clone: the descriptor, the repository's
 * `catalog-info.yaml` and the infrastructure repository's `resources/` (which `afterEdit`
 * regenerates it from).
 */
const EDITED_PATHS = [CATALOG_INFO, 'resources'];

/**
 * Clones `branch` of `remote` into `work` for an edit, refusing symbolic links among the paths
 * the edit reads or writes (`file` and {@link EDITED_PATHS}) before any is touched. A link
 * elsewhere in the repository (a `CLAUDE.md -> AGENTS.md`) is never read or written, so it does
 * not stand in the way of a transition and is committed as it was.
 */
async function cloneForEdit(
  remote: string,
  branch: string,
  work: string,
  file: string,
): Promise<void> {
  await git(['clone', '-q', '--branch', branch, remote, work]);
  await refuseSymbolicLinks(remote, 'HEAD', { cwd: work }, [
    file,
    ...EDITED_PATHS,
  ]);
}

/**
 * The subject of a lifecycle descriptor commit: names the transition and the request, so a resumed
 * request can tell its own change from anyone else's ({@link requestDescriptorCommit}).
 */
export function lifecycleCommitSubject(p: {
  transition: string;
  from: string;
  to: string;
  requestKey: string;
}): string {
  return `${p.transition}: ${p.from} → ${p.to} (request ${p.requestKey})`;
}

/**
 * The descriptor change `requestKey` made, when it is what the repository's descriptor holds now:
 * the newest commit on `branch` that changed the entity's `file` (default `catalog-info.yaml`;
 * `resources/<name>.yaml` in the shared infrastructure repository, where other Resources' changes
 * also touch `catalog-info.yaml`) carries this request's subject. A later change of that file by
 * anyone (an unarchive, a hand edit) makes it undefined. Read-only.
 */
export async function requestDescriptorCommit(p: {
  remote: string;
  branch: string;
  requestKey: string;
  file?: string;
}): Promise<{ commitSha: string; from: string; to: string } | undefined> {
  const out = await gitMaybe([
    '--git-dir',
    p.remote,
    'log',
    '-1',
    '--format=%H%n%s',
    p.branch,
    '--',
    p.file ?? CATALOG_INFO,
  ]);
  const [commitSha, subject = ''] = (out ?? '').split('\n');
  const m = /^[a-z]+: (\S+) → (\S+) \(request (.+)\)$/.exec(subject);
  return commitSha && m && m[3] === p.requestKey
    ? { commitSha, from: m[1], to: m[2] }
    : undefined;
}

const HOOK = `#!/bin/sh
# Installed by the golden-path lifecycle (archive): the repository is read-only.
echo "This repository is archived by its golden-path lifecycle; unarchive it first." >&2
exit 1
`;

/** Archive finalizer (§7.3 `repository`, local mode): a pre-receive hook refuses pushes. */
export async function setReadOnly(
  remote: string,
  readOnly: boolean,
): Promise<void> {
  const hook = path.join(remote, 'hooks', 'pre-receive');
  if (readOnly) {
    await fs.mkdir(path.dirname(hook), { recursive: true });
    await fs.writeFile(hook, HOOK, { mode: 0o755 });
  } else {
    await fs.rm(hook, { force: true });
  }
}

/**
 * Where delete keeps the repositories it retires under one request key: the `n`-th is
 * `.deleted/<name>.<12 hex of sha256(requestKey)>[-n].git` beside the provider's root.
 */
function retiredPath(remote: string, requestKey: string, n: number): string {
  const name = path.basename(remote).replace(/\.git$/, '');
  const key = createHash('sha256')
    .update(requestKey)
    .digest('hex')
    .slice(0, 12);
  return path.join(
    path.dirname(remote),
    '.deleted',
    `${name}.${key}${n > 1 ? `-${n}` : ''}.git`,
  );
}

/**
 * Delete (§7.1, local mode): the repository leaves the provider's root (moved to `.deleted/`,
 * which the provider does not scan), so the entity is unregistered; the repository is kept.
 *
 * Kept means never overwritten: an entity deleted, created again under the same name and deleted
 * again (with the same default key `lifecycle:<ref>:delete`) must not destroy the repository the
 * first delete kept. So the target is named after the request key and is always a free name: the
 * first one not taken (`-2`, `-3`, … after the first). A rerun whose earlier attempt moved the
 * repository but lost its step completion finds the remote gone and answers the newest path its
 * key moved a repository to; nothing is moved or removed then.
 */
export async function retireRepository(
  remote: string,
  requestKey: string,
): Promise<string> {
  let n = 1;
  while (await pathExists(retiredPath(remote, requestKey, n))) n += 1;
  if (!(await gitMaybe(['--git-dir', remote, 'rev-parse', '--git-dir']))) {
    return retiredPath(remote, requestKey, Math.max(1, n - 1));
  }
  const target = retiredPath(remote, requestKey, n);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.rename(remote, target);
  return target;
}

async function pathExists(p: string): Promise<boolean> {
  return fs.lstat(p).then(
    () => true,
    () => false,
  );
}
