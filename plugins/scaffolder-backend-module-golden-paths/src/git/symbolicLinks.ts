import { git } from './gitCli';

/**
 * The paths of the symbolic links in the tree of `commit` (mode 120000), or among `paths` of it
 * (files, or directories taken whole) when given.
 */
export async function symbolicLinksAt(
  commit: string,
  opts: { cwd?: string; env?: Record<string, string> } = {},
  paths?: readonly string[],
): Promise<string[]> {
  const out = await git(
    [
      'ls-tree',
      '-r',
      '-z',
      '--full-tree',
      commit,
      ...(paths ? ['--', ...paths] : []),
    ],
    opts,
  );
  return out
    .split('\0')
    .filter(entry => entry.startsWith('120000 '))
    .map(entry => entry.slice(entry.indexOf('\t') + 1));
}

/**
 * Refuses a checkout whose tree (or whose `paths`) holds symbolic links, before its files are
 * read or written.
 * Golden paths read and rewrite the files of a checkout (an infrastructure repository's
 * `resources/*.yaml` and generated `catalog-info.yaml`, a descriptor): a link committed there
 * by anyone who can push would make them read a file of the backend host into a published
 * descriptor, or overwrite one with generated YAML.
 */
export async function refuseSymbolicLinks(
  repository: string,
  commit: string,
  opts: { cwd?: string; env?: Record<string, string> } = {},
  paths?: readonly string[],
): Promise<void> {
  const links = await symbolicLinksAt(commit, opts, paths);
  if (links.length === 0) return;
  throw new Error(
    `${repository} holds symbolic links (${links.slice(0, 5).join(', ')}${
      links.length > 5 ? ', …' : ''
    }); golden paths read and write only regular files there: replace them with files`,
  );
}
