import {
  Entity,
  KubernetesValidatorFunctions,
  entityEnvelopeSchemaValidator,
} from '@backstage/catalog-model';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * A git command that failed. headCommit and showFile turn the failures that are answers (no
 * commit, no such file) into undefined; what is left (a lock, a corrupt or unreadable object, git
 * missing, output over maxBuffer) says nothing about the repository, so the provider keeps what it
 * had and asks again on the next scan instead of taking the repository as empty.
 */
export class GitReadError extends Error {
  /** The exit status, or a Node error code such as ENOENT when git could not be started. */
  readonly code: unknown;
  readonly stderr: string;

  constructor(
    args: string[],
    cause: Error & { code?: unknown },
    stderr: string,
  ) {
    super(`git ${args.join(' ')} failed: ${stderr.trim() || cause.message}`);
    this.name = 'GitReadError';
    this.code = cause.code;
    this.stderr = stderr;
  }
}

function git(gitDir: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['--git-dir', gitDir, ...args],
      {
        // C locale: missingPath() matches git's English messages
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
        maxBuffer: 16 * 1024 * 1024,
        // A local read; one that hangs (a stale lock on a network mount) would hold the scan
        // task for ever, since the scheduler waits for it.
        timeout: 60_000,
        killSignal: 'SIGKILL',
      },
      (error, stdout, stderr) =>
        error
          ? reject(new GitReadError(args, error, String(stderr)))
          : resolve(stdout),
    );
  });
}

/**
 * `git cat-file blob <commit>:<path>` failed because the commit has no file there, which is an
 * answer: the path is not in that commit (git 2.x: `fatal: path 'x' does not exist in '<rev>'`,
 * or `... exists on disk, but not in '<rev>'`; git prints the path raw, newlines included), or it
 * names a directory (or is empty: the root) rather than a file (`fatal: git cat-file <rev>:x: bad
 * file`). Every other failure is not.
 */
function missingPath(error: GitReadError): boolean {
  return (
    error.code === 128 &&
    (/^fatal: path '[\s\S]*' (does not exist|exists on disk, but not) in '/m.test(
      error.stderr,
    ) ||
      /^fatal: git cat-file [\s\S]*: bad file$/m.test(error.stderr))
  );
}

/**
 * A file at a commit, or undefined when the commit has no file at that path; throws GitReadError.
 * Reads blobs only: `git show` would answer a directory (or an empty path) with a tree listing,
 * which a `$text` would then put in the entity as if it were the file.
 */
async function showFile(
  gitDir: string,
  commit: string,
  file: string,
): Promise<string | undefined> {
  try {
    return await git(gitDir, ['cat-file', 'blob', `${commit}:${file}`]);
  } catch (error) {
    if (error instanceof GitReadError && missingPath(error)) return undefined;
    throw error;
  }
}

/**
 * HEAD commit of a bare repository's default branch, or undefined when it has none (`rev-parse
 * --verify -q` exits 1: no commit yet, or HEAD names a branch that does not exist). Throws
 * GitReadError when git could not tell.
 */
export async function headCommit(gitDir: string): Promise<string | undefined> {
  try {
    return (
      await git(gitDir, ['rev-parse', '--verify', '-q', 'HEAD^{commit}'])
    ).trim();
  } catch (error) {
    if (error instanceof GitReadError && error.code === 1) return undefined;
    throw error;
  }
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
 * whole mutation for one malformed envelope or one ref it cannot store, so each is checked here
 * first and a bad one is skipped, the rest of the repository kept.
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
  } catch (error) {
    return (error as Error).message;
  }
  return refProblem(value as Entity);
}

/**
 * Why an entity's kind, namespace or name can make no catalog entity ref, or undefined. The
 * catalog stores the ref of every entity of the full mutation (`refresh_state.entity_ref`, 255
 * characters; PostgreSQL refuses a NUL byte in text) before any processor or policy sees it, so
 * one 300-character name, or one with a NUL, failed the whole mutation on every scan and kept
 * every golden-path repository out. Checked with the validators the catalog's own policy
 * (`FieldFormatEntityPolicy`) applies to these fields: each at most 63 characters, which keeps
 * the ref far below 255.
 */
function refProblem(entity: Entity): string | undefined {
  const { kind } = entity;
  const { name, namespace } = entity.metadata;
  if (!KubernetesValidatorFunctions.isValidKind(kind)) {
    return `kind ${shown(kind)} is not a valid entity kind`;
  }
  if (
    namespace !== undefined &&
    !KubernetesValidatorFunctions.isValidNamespace(namespace)
  ) {
    return `metadata.namespace ${shown(namespace)} is not a valid namespace`;
  }
  if (!KubernetesValidatorFunctions.isValidObjectName(name)) {
    return `metadata.name ${shown(name)} is not a valid entity name`;
  }
  return undefined;
}

/** A value for a log line: quoted with control characters escaped (a NUL as \u0000), cut at 80. */
function shown(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

/**
 * Reads `catalog-info.yaml` at a commit with `git cat-file` and resolves `$text` placeholders
 * relative to the repository (golden-paths.md §4.9 register, local mode). Other placeholders are
 * left for the catalog's own processors, and so is a `$text` whose file is not in the commit.
 * Throws GitReadError when git fails for another reason: the read says nothing about the
 * repository and must be retried, not taken as "no entities".
 */
export async function readRepositoryEntities(
  gitDir: string,
  commit: string,
): Promise<RepositoryRead> {
  const raw = await showFile(gitDir, commit, 'catalog-info.yaml');
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

/**
 * Longest `$text` path asked of git, in bytes. Git checks a path against its working directory
 * too and refuses one that, joined to it, reaches PATH_MAX (4,096 on Linux) with "Not a valid
 * object name" (not "does not exist"); past 128 KiB it could not even be started (E2BIG). 1 KiB
 * is far beyond any real repository path and leaves room for any working directory.
 */
const MAX_TEXT_PATH_BYTES = 1024;
/** Longest part of a `$text` path, in bytes: NAME_MAX. Git refuses a longer one as above. */
const MAX_TEXT_PART_BYTES = 255;

/** Whether a path is longer than a file system can name (in bytes: `é` is two). */
function tooLongForFiles(normalized: string): boolean {
  if (Buffer.byteLength(normalized) > MAX_TEXT_PATH_BYTES) return true;
  return normalized
    .split('/')
    .some(part => Buffer.byteLength(part) > MAX_TEXT_PART_BYTES);
}

/**
 * The repository path a `$text` names, normalized (`./a`, `././a`, `a//b`, `a/./b`), or undefined
 * when it can name no file of the repository: outside it (`../x`, `/etc/x`), the repository
 * root, a NUL byte, a path or a part of it longer than a file system can name
 * ({@link MAX_TEXT_PATH_BYTES}, {@link MAX_TEXT_PART_BYTES}). Such a `$text` is left as it is, like one
 * whose file is not in the commit. Asking git instead failed in ways that are not "no such file"
 * (`relative path syntax can't be used outside working tree` for `././a`, E2BIG, a NUL that
 * stops Node from starting git), and the repository was then kept back on every scan as if git
 * were broken, or lost all its entities.
 */
export function textPath(text: string): string | undefined {
  // 4 bytes per character at most: a longer text is over the limit before it is normalized
  if (text.length > 4 * MAX_TEXT_PATH_BYTES || text.includes('\0')) {
    return undefined;
  }
  const normalized = path.posix.normalize(text);
  if (
    tooLongForFiles(normalized) ||
    normalized === '.' ||
    normalized === './' ||
    normalized === '..' ||
    normalized.startsWith('../') ||
    normalized.startsWith('/')
  ) {
    return undefined;
  }
  return normalized;
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
      const file = textPath(v.$text);
      if (file === undefined) continue;
      const text = await showFile(gitDir, commit, file);
      if (text !== undefined) node[key] = text;
    } else {
      await resolveTextPlaceholders(gitDir, commit, v);
    }
  }
}
