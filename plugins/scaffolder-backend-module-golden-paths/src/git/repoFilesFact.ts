import { parseAllDocuments } from 'yaml';
import { git, gitMaybe } from './gitCli';

/** The marker the runbook stub carries until its owner rewrites it (§2.3). */
const STUB_MARKER = '<!-- golden-path:stub -->';

/** A `repo.files` fact for one entity of a published repository (evidence §4.2 value shape). */
export interface RepoFilesFact {
  entityRef: string;
  value: {
    repository: string;
    ref: string;
    commitSha: string;
    commitAt: string;
    paths: string[];
    openSlo: { path: string; id: string }[];
    stubMarkers: string[];
    goldenPath?: { template: string; templateVersion: string };
  };
}

/**
 * Reads what the repository collector would read from a repository at a commit: the paths, the
 * OpenSLO ids of `slo/*.yaml`, the files still carrying the stub marker, the golden-path identity
 * and the Component/Resource refs of `catalog-info.yaml`. In local publish mode no UrlReader
 * reaches bare repositories, so `publish:git` posts this itself (golden-paths.md §2.3).
 */
export async function readRepoFilesFacts(
  gitDir: string,
  commitSha: string,
  branch: string,
): Promise<RepoFilesFact[]> {
  const paths = (
    await git(['--git-dir', gitDir, 'ls-tree', '-r', '--name-only', commitSha])
  )
    .split('\n')
    .filter(Boolean)
    .sort();
  const show = (p: string) =>
    gitMaybe(['--git-dir', gitDir, 'show', `${commitSha}:${p}`]);
  const commitAt = new Date(
    Number(
      await git(['--git-dir', gitDir, 'show', '-s', '--format=%ct', commitSha]),
    ) * 1000,
  ).toISOString();
  const openSlo: { path: string; id: string }[] = [];
  for (const p of paths.filter(x => /^slo\/[^/]+\.ya?ml$/.test(x))) {
    for (const doc of parseAllDocuments((await show(p)) ?? '')) {
      const d = doc.toJS() as {
        apiVersion?: string;
        kind?: string;
        metadata?: { name?: string };
      };
      if (
        String(d?.apiVersion).startsWith('openslo/') &&
        d?.kind === 'SLO' &&
        d.metadata?.name
      ) {
        openSlo.push({ path: p, id: d.metadata.name });
      }
    }
  }
  const stubMarkers: string[] = [];
  for (const p of paths.filter(x => x.endsWith('.md'))) {
    if ((await show(p))?.includes(STUB_MARKER)) stubMarkers.push(p);
  }
  const marker = parseAllDocuments(
    (await show('.goldenpath.yaml')) ?? '',
  )[0]?.toJS() as { template?: string; templateVersion?: string } | undefined;
  const refs: string[] = [];
  for (const doc of parseAllDocuments(
    (await show('catalog-info.yaml')) ?? '',
  )) {
    const e = doc.toJS() as {
      kind?: string;
      metadata?: { name?: string; namespace?: string };
    };
    if (
      (e?.kind === 'Component' || e?.kind === 'Resource') &&
      e.metadata?.name
    ) {
      refs.push(
        `${e.kind.toLowerCase()}:${e.metadata.namespace ?? 'default'}/${
          e.metadata.name
        }`,
      );
    }
  }
  return refs.map(entityRef => ({
    entityRef,
    value: {
      repository: gitDir,
      ref: branch,
      commitSha,
      commitAt,
      paths,
      openSlo,
      stubMarkers,
      ...(marker?.template && marker.templateVersion
        ? {
            goldenPath: {
              template: marker.template,
              templateVersion: marker.templateVersion,
            },
          }
        : {}),
    },
  }));
}
