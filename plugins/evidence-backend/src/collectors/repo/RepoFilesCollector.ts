import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import type { JsonObject } from '@internal/plugin-evidence-common';
import { parseAllDocuments } from 'yaml';
import type { CollectorEntity, EntityLister } from '../catalogEntities';
import type { CollectionStatusUpdate, CollectorSink } from '../CollectorSink';
import { runWithConcurrency, RequestPacer } from '../pacing';
import { RepoLocation, repoLocationOf } from './repoLocation';
import {
  DEFAULT_REPO_PATHS,
  isGoldenPathPath,
  isRunbookPath,
  isSloPath,
  RepoPathMatcher,
} from './repoPaths';

/** Source id and task id of the repository collector (§4.1). */
export const REPO_SOURCE = 'repo';

export const STUB_MARKER = '<!-- golden-path:stub -->';
const MAX_CONTENT_BYTES = 256 * 1024;

type CollectionError = NonNullable<CollectionStatusUpdate['error']>;

/** Options of {@link RepoFilesCollector}; durations in milliseconds. */
export interface RepoFilesCollectorOptions {
  urlReader: UrlReaderService;
  sink: CollectorSink;
  logger: LoggerService;
  listEntities: EntityLister;
  /** `evidence.repo.paths` (defaults of §4.2) plus `extraPaths`. */
  paths?: readonly string[];
  /** Entity kinds collected; default Component. */
  kinds?: readonly string[];
  concurrency?: number;
  requestsPerMinute?: number;
  timeoutMs?: number;
  now?: () => Date;
}

/** What one run did, for logs and tests. */
export interface RepoRunSummary {
  outcome: 'ok' | 'degraded' | 'unavailable';
  repositories: number;
  downloaded: number;
  notModified: number;
  factsWritten: number;
  errors: Partial<Record<CollectionError, number>>;
}

/** Entities sharing one repository read, each with its own directory. */
interface RepoGroup {
  location: RepoLocation;
  members: { entity: CollectorEntity; directory: string }[];
}

/** What one read of a repository yielded, kept between runs so an unchanged commit is reused. */
interface RepoSnapshot {
  etag: string;
  readAt: number;
  commitAt: string | null;
  /** Every repository path some entity collects. */
  paths: string[];
  stubPaths: Set<string>;
  openSlo: Map<string, string[]>;
  goldenPath?: { path: string; template: string; templateVersion: string };
}

/**
 * Collects `repo.files` (§4.2): one `readTree` per repository and run with the last commit as
 * etag, so an unchanged commit downloads nothing and only re-confirms the facts (EV18). Errors
 * become per-entity collection status; the previous fact is never overwritten by a failed read.
 *
 * The last etag lives in this instance: after a restart, or when the global task lands on another
 * replica, the first run downloads once more (harmless: the store re-confirms an equal value).
 */
export class RepoFilesCollector {
  private readonly matcher: RepoPathMatcher;
  private readonly kinds: Set<string>;
  private readonly snapshots = new Map<string, RepoSnapshot>();
  private readonly now: () => Date;

  constructor(private readonly options: RepoFilesCollectorOptions) {
    this.matcher = new RepoPathMatcher(options.paths ?? DEFAULT_REPO_PATHS);
    this.kinds = new Set(
      (options.kinds ?? ['Component']).map(k => k.toLowerCase()),
    );
    this.now = options.now ?? (() => new Date());
  }

  /** Runs one collection over every entity in scope; never throws for a source failure. */
  async run(signal?: AbortSignal): Promise<RepoRunSummary> {
    const { sink, logger } = this.options;
    const started = this.now();
    const entities = (await this.options.listEntities()).filter(e =>
      this.kinds.has(e.kind.toLowerCase()),
    );

    const summary: RepoRunSummary = {
      outcome: 'ok',
      repositories: 0,
      downloaded: 0,
      notModified: 0,
      factsWritten: 0,
      errors: {},
    };
    const countError = (error: CollectionError) => {
      summary.errors[error] = (summary.errors[error] ?? 0) + 1;
    };

    const groups = new Map<string, RepoGroup>();
    for (const entity of entities) {
      const location = repoLocationOf(entity);
      if (!location) {
        countError('join-key-missing');
        await sink.recordCollectionStatus({
          entityRef: entity.ref,
          source: REPO_SOURCE,
          at: started,
          succeeded: false,
          error: 'join-key-missing',
          detail:
            'no backstage.io/source-location (url:) or github.com/project-slug',
        });
        continue;
      }
      const group = groups.get(location.rootUrl) ?? { location, members: [] };
      group.members.push({ entity, directory: location.directory });
      groups.set(location.rootUrl, group);
    }
    summary.repositories = groups.size;

    // Oldest read first, so repositories a paused or cut-short run missed go first next time.
    const ordered = [...groups.values()].sort(
      (a, b) =>
        (this.snapshots.get(a.location.rootUrl)?.readAt ?? 0) -
        (this.snapshots.get(b.location.rootUrl)?.readAt ?? 0),
    );
    const pacer = new RequestPacer(this.options.requestsPerMinute ?? 60);
    let sourceFailures = 0;
    let reached = 0;

    await runWithConcurrency(
      ordered,
      this.options.concurrency ?? 4,
      async group => {
        if (signal?.aborted) return;
        await pacer.next();
        // The scheduler may have given up while this worker waited for its turn.
        if (signal?.aborted) return;
        reached += 1;
        const { location } = group;
        const result = await this.readRepository(group, signal);
        const at = this.now();
        if ('error' in result) {
          countError(result.error);
          if (result.error === 'timeout' || result.error === 'server-error') {
            sourceFailures += 1;
          }
          logger.warn(
            `repo collector: ${location.rootUrl}: ${result.error} (${result.detail})`,
          );
          for (const { entity } of group.members) {
            await sink.recordCollectionStatus({
              entityRef: entity.ref,
              source: REPO_SOURCE,
              at,
              succeeded: false,
              error: result.error,
              detail: result.detail.slice(0, 1024),
            });
          }
          return;
        }
        if (result.modified) summary.downloaded += 1;
        else summary.notModified += 1;
        for (const { entity, directory } of group.members) {
          await sink.writeFact({
            entityRef: entity.ref,
            source: REPO_SOURCE,
            kind: 'repo.files',
            value: this.entityValue(location, directory, result.snapshot),
            observedAt: at,
            collectedAt: at,
            provenance: {
              url: location.rootUrl,
              commitSha: result.snapshot.etag,
              etag: result.snapshot.etag,
            },
          });
          summary.factsWritten += 1;
          await sink.recordCollectionStatus({
            entityRef: entity.ref,
            source: REPO_SOURCE,
            at,
            succeeded: true,
          });
        }
      },
    );

    const problems: string[] = [];
    if (sourceFailures > 0) {
      summary.outcome =
        sourceFailures === groups.size ? 'unavailable' : 'degraded';
      problems.push(`${sourceFailures} of ${groups.size} repositories failed`);
    }
    if (reached < groups.size && signal?.aborted) {
      // Cut short like a rate-limit pause (§2.6): what was read is written, the rest ages.
      if (summary.outcome === 'ok') summary.outcome = 'degraded';
      problems.push(
        `aborted by the scheduler after ${reached} of ${groups.size} repositories`,
      );
    }
    await sink.recordSourceRun({
      source: REPO_SOURCE,
      outcome: summary.outcome,
      at: this.now(),
      ...(problems.length > 0 ? { error: problems.join('; ') } : {}),
    });
    return summary;
  }

  private async readRepository(
    group: RepoGroup,
    signal?: AbortSignal,
  ): Promise<
    | { modified: boolean; snapshot: RepoSnapshot }
    | { error: CollectionError; detail: string }
  > {
    const { location, members } = group;
    const previous = this.snapshots.get(location.rootUrl);
    const wants = (path: string) =>
      members.some(
        m => this.matcher.entityPath(path, m.directory) !== undefined,
      );
    const timeoutMs = this.options.timeoutMs ?? 60_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;

    try {
      const response = await withTimeout(
        this.options.urlReader.readTree(location.rootUrl, {
          etag: previous?.etag,
          filter: path => wants(path),
          signal: combined,
        }),
        timeoutMs,
      );
      const files = await response.files();
      const snapshot: RepoSnapshot = {
        etag: response.etag,
        readAt: this.now().getTime(),
        commitAt: null,
        paths: [],
        stubPaths: new Set(),
        openSlo: new Map(),
      };
      let newest = 0;
      for (const file of files) {
        const path = file.path.replace(/^\/+/, '');
        if (!wants(path)) continue;
        snapshot.paths.push(path);
        if (file.lastModifiedAt) {
          newest = Math.max(newest, file.lastModifiedAt.getTime());
        }
        const needsContent =
          isRunbookPath(path) || isSloPath(path) || isGoldenPathPath(path);
        if (!needsContent) continue;
        const buffer = await file.content();
        if (buffer.length > MAX_CONTENT_BYTES) continue;
        const text = buffer.toString('utf8');
        if (isRunbookPath(path) && text.includes(STUB_MARKER)) {
          snapshot.stubPaths.add(path);
        }
        if (isSloPath(path)) snapshot.openSlo.set(path, openSloIds(text));
        if (isGoldenPathPath(path)) {
          const goldenPath = readGoldenPath(text);
          if (goldenPath) snapshot.goldenPath = { path, ...goldenPath };
        }
      }
      snapshot.commitAt = newest > 0 ? new Date(newest).toISOString() : null;
      this.snapshots.set(location.rootUrl, snapshot);
      return { modified: true, snapshot };
    } catch (error) {
      if (isError(error) && error.name === 'NotModifiedError' && previous) {
        previous.readAt = this.now().getTime();
        return { modified: false, snapshot: previous };
      }
      return classifyReadError(error, timeout.aborted);
    }
  }

  private entityValue(
    location: RepoLocation,
    directory: string,
    snapshot: RepoSnapshot,
  ): JsonObject {
    const paths = new Map<string, string>();
    for (const repoPath of snapshot.paths) {
      const own = this.matcher.entityPath(repoPath, directory);
      if (own !== undefined) paths.set(repoPath, own);
    }
    const openSlo: { path: string; id: string }[] = [];
    const stubMarkers: string[] = [];
    for (const [repoPath, own] of paths) {
      for (const id of snapshot.openSlo.get(repoPath) ?? []) {
        openSlo.push({ path: own, id });
      }
      if (snapshot.stubPaths.has(repoPath)) stubMarkers.push(own);
    }
    const value: JsonObject = {
      repository: location.repository,
      ref: location.ref,
      commitSha: snapshot.etag,
      commitAt: snapshot.commitAt,
      paths: [...new Set(paths.values())].sort(),
      openSlo: openSlo.sort(
        (a, b) => a.path.localeCompare(b.path) || a.id.localeCompare(b.id),
      ),
      stubMarkers: stubMarkers.sort(),
    };
    const gp = snapshot.goldenPath;
    if (gp && paths.has(gp.path)) {
      value.goldenPath = {
        template: gp.template,
        templateVersion: gp.templateVersion,
      };
    }
    return value;
  }
}

/** Every YAML document with `kind: SLO` contributes its `metadata.name` (OpenSLO). */
export function openSloIds(text: string): string[] {
  const ids: string[] = [];
  try {
    for (const doc of parseAllDocuments(text)) {
      if (!('toJS' in doc) || doc.errors.length > 0) continue;
      const value = doc.toJS() as
        | { kind?: unknown; metadata?: { name?: unknown } }
        | null
        | undefined;
      if (value?.kind === 'SLO' && typeof value.metadata?.name === 'string') {
        ids.push(value.metadata.name);
      }
    }
  } catch {
    // A broken SLO file yields no ids; the path itself is still reported.
  }
  return ids;
}

function readGoldenPath(
  text: string,
): { template: string; templateVersion: string } | undefined {
  try {
    const docs = parseAllDocuments(text);
    const first = docs[0];
    if (!first || !('toJS' in first)) return undefined;
    const value = first.toJS() as Record<string, unknown> | null;
    const template = value?.template;
    const version = value?.templateVersion ?? value?.['template-version'];
    if (typeof template === 'string' && typeof version === 'string') {
      return { template, templateVersion: version };
    }
  } catch {
    // Not YAML: no provenance.
  }
  return undefined;
}

/** Maps a `UrlReaderService` failure to the collection errors of §2.6. */
export function classifyReadError(
  error: unknown,
  timedOut = false,
): { error: CollectionError; detail: string } {
  const detail = isError(error)
    ? `${error.name}: ${error.message}`
    : String(error);
  if (timedOut) return { error: 'timeout', detail };
  if (!isError(error)) return { error: 'server-error', detail };
  const status =
    (error as { statusCode?: number }).statusCode ??
    (error as { response?: { status?: number } }).response?.status;
  if (error.name === 'NotFoundError' || status === 404) {
    return { error: 'not-found', detail };
  }
  // UrlReaders answer NotAllowedError when no reader (integration) accepts the host.
  if (error.name === 'NotAllowedError') {
    return { error: 'unsupported-host', detail };
  }
  if (error.name === 'AbortError' || error.name === 'TimeoutError') {
    return { error: 'timeout', detail };
  }
  if (
    status === 401 ||
    status === 403 ||
    error.name === 'AuthenticationError'
  ) {
    return { error: 'access-denied', detail };
  }
  return { error: 'server-error', detail };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  // Readers that ignore the abort signal still must not hold the run beyond the timeout.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`read did not finish within ${ms} ms`);
      error.name = 'TimeoutError';
      reject(error);
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
