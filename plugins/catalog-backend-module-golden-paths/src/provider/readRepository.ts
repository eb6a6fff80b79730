import {
  Entity,
  entityEnvelopeSchemaValidator,
} from '@backstage/catalog-model';
import { execFile } from 'node:child_process';
import { parseAllDocuments } from 'yaml';

function git(gitDir: string, args: string[]): Promise<string | undefined> {
  return new Promise(resolve => {
    execFile(
      'git',
      ['--git-dir', gitDir, ...args],
      {
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout) => resolve(error ? undefined : stdout),
    );
  });
}

/** HEAD commit of a bare repository's default branch, or undefined when it has none. */
export async function headCommit(gitDir: string): Promise<string | undefined> {
  return (
    await git(gitDir, ['rev-parse', '--verify', '-q', 'HEAD^{commit}'])
  )?.trim();
}

/**
 * What a repository contributes to the catalog: its valid entities, and why it contributes none
 * or fewer than its descriptor holds.
 */
export interface RepositoryRead {
  entities: Entity[];
  error?: string;
}

const validateEnvelope = entityEnvelopeSchemaValidator();

/**
 * Why a YAML document is not an entity the catalog would take, or undefined. The provider hands
 * every repository's entities to the catalog in one full mutation, and the catalog refuses the
 * whole mutation for one malformed envelope, so each is checked here first.
 */
function envelopeProblem(value: unknown): string | undefined {
  try {
    // a YAML alias that contains itself makes a cycle no catalog write can serialize
    JSON.stringify(value);
  } catch {
    return 'the document refers to itself through a YAML alias';
  }
  try {
    validateEnvelope(value);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Reads `catalog-info.yaml` at a commit with `git show` and resolves `$text` placeholders
 * relative to the repository (golden-paths.md §4.9 register, local mode). Other placeholders are
 * left for the catalog's own processors.
 */
export async function readRepositoryEntities(
  gitDir: string,
  commit: string,
): Promise<RepositoryRead> {
  const raw = await git(gitDir, ['show', `${commit}:catalog-info.yaml`]);
  if (raw === undefined)
    return { entities: [], error: 'no catalog-info.yaml at HEAD' };
  const entities: Entity[] = [];
  const problems: string[] = [];
  for (const [i, doc] of parseAllDocuments(raw).entries()) {
    if (doc.errors.length) {
      return {
        entities: [],
        error: `catalog-info.yaml: ${doc.errors[0].message}`,
      };
    }
    const value = doc.toJS();
    if (value === null || value === undefined) continue; // an empty document
    const problem = envelopeProblem(value);
    if (problem) problems.push(`document ${i + 1} skipped: ${problem}`);
    else entities.push(value as Entity);
  }
  for (const entity of entities) {
    await resolveTextPlaceholders(
      gitDir,
      commit,
      entity as unknown as Record<string, unknown>,
    );
  }
  return problems.length
    ? { entities, error: `catalog-info.yaml: ${problems.join('; ')}` }
    : { entities };
}

async function resolveTextPlaceholders(
  gitDir: string,
  commit: string,
  node: Record<string, unknown>,
): Promise<void> {
  for (const [key, value] of Object.entries(node)) {
    if (!value || typeof value !== 'object') continue;
    const v = value as Record<string, unknown>;
    const keys = Object.keys(v);
    if (
      keys.length === 1 &&
      keys[0] === '$text' &&
      typeof v.$text === 'string'
    ) {
      const rel = v.$text.replace(/^\.\//, '');
      if (rel.includes('..')) continue;
      const text = await git(gitDir, ['show', `${commit}:${rel}`]);
      if (text !== undefined) node[key] = text;
    } else {
      await resolveTextPlaceholders(gitDir, commit, v);
    }
  }
}
