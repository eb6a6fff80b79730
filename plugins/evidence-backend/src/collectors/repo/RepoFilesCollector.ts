import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { FailureLog } from '@internal/suite-node';
import type { JsonObject } from '@internal/plugin-evidence-common';
import { parseAllDocuments } from 'yaml';
import type { CollectorEntity, EntityLister } from '../catalogEntities';
import type { CollectionStatusUpdate, CollectorSink } from '../CollectorSink';
import { runWithConcurrency, RequestPacer } from '../pacing';
import { RepoLocation, repoLocationOf } from './repoLocation';
import {
  compareCodeUnits,
  DEFAULT_REPO_PATHS,
  redactCredentials,
} from '@internal/plugin-evidence-common';
import {
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

/**
 * Why a read failed: a per-entity collection error (§2.6), or the host's rate limit, which is no
 * entity's fault and is reported on the source run instead (§4.2 "Rate limits").
 */
export type ReadError = CollectionError | 'rate-limited';

/** Reader failures that mean the source itself is unreachable when every read ends so (§2.6). */
const UNREACHABLE: ReadonlySet<ReadError> = new Set<ReadError>([
  'access-denied',
  'timeout',
  'server-error',
]);

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
  /** The host answered with a rate limit and the run stopped starting reads. */
  rateLimited: boolean;
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
  /**
   * Member directories the read was filtered for. `paths` says nothing about other directories,
   * so the snapshot may answer only for these (§0 rule 3: absence needs coverage).
   */
  directories: ReadonlySet<string>;
  stubPaths: Set<string>;
  openSlo: Map<string, string[]>;
  goldenPath?: { path: string; template: string; templateVersion: string };
}

/**
 * Collects `repo.files` (§4.2): one `readTree` per repository and run with the last commit as
 * etag, so an unchanged commit downloads nothing and only re-confirms the facts (EV18). Errors
 * become per-entity collection status; the previous fact is never overwritten by a failed read.
 * A rate limit stops the run (`degraded`, `rate-limited`); the next run reads the rest first.
 *
 * The last etag lives in this instance: after a restart, or when the global task lands on another
 * replica, the first run downloads once more (harmless: the store re-confirms an equal value).
 */
export class RepoFilesCollector {
  private readonly matcher: RepoPathMatcher;
  private readonly kinds: Set<string>;
  private readonly snapshots = new Map<string, RepoSnapshot>();
  /**
   * Failures logged by repository root URL: a repository that stays gone is logged when its
   * failure starts or changes and once a day, not on every run (its status says it each run).
   */
  private readonly failures: FailureLog;
  private readonly now: () => Date;

  constructor(private readonly options: RepoFilesCollectorOptions) {
    this.matcher = new RepoPathMatcher(options.paths ?? DEFAULT_REPO_PATHS);
    this.kinds = new Set(
      (options.kinds ?? ['Component']).map(k => k.toLowerCase()),
    );
    this.now = options.now ?? (() => new Date());
    this.failures = new FailureLog(options.logger, {
      remindEveryMs: 86_400_000,
      clock: () => this.now().getTime(),
    });
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
      rateLimited: false,
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
    // The listing is complete (a failed listing throws above): a repository no entity names any
    // more is forgotten, or its snapshot would stay for as long as the process runs.
    for (const rootUrl of this.snapshots.keys()) {
      if (!groups.has(rootUrl)) this.snapshots.delete(rootUrl);
    }
    this.failures.retainOnly(new Set(groups.keys()));

    // Oldest read first, so repositories a paused or cut-short run missed go first next time.
    const ordered = [...groups.values()].sort(
      (a, b) =>
        (this.snapshots.get(a.location.rootUrl)?.readAt ?? 0) -
        (this.snapshots.get(b.location.rootUrl)?.readAt ?? 0),
    );
    const pacer = new RequestPacer(this.options.requestsPerMinute ?? 60);
    const tally: ReadTally = { reads: 0, sourceFailures: 0, unreachable: 0 };
    let rateLimitedBy: string | undefined;
    const stopped = () => signal?.aborted || rateLimitedBy !== undefined;

    await runWithConcurrency(
      ordered,
      this.options.concurrency ?? 4,
      async group => {
        if (stopped()) return;
        await pacer.next();
        // The scheduler, or a rate limit, may have stopped the run while this worker waited.
        if (stopped()) return;
        tally.reads += 1;
        const { location } = group;
        const result = await this.readRepository(group, signal);
        const at = this.now();
        if ('error' in result) {
          const { error, detail } = result;
          if (error === 'rate-limited') {
            // No reset time reaches us through UrlReaderService, so instead of sleeping until
            // it the run stops here; the next scheduled run starts with the repositories not read.
            rateLimitedBy ??= location.repository;
            logger.warn(
              `repo collector: ${location.rootUrl}: rate-limited, no further reads this run (${detail})`,
            );
            return;
          }
          countError(error);
          if (error === 'timeout' || error === 'server-error') {
            tally.sourceFailures += 1;
          }
          if (UNREACHABLE.has(error)) tally.unreachable += 1;
          this.failures.failed(
            location.rootUrl,
            `repo collector: ${location.rootUrl}: ${error} (${detail})`,
          );
          for (const { entity } of group.members) {
            await sink.recordCollectionStatus({
              entityRef: entity.ref,
              source: REPO_SOURCE,
              at,
              succeeded: false,
              error,
              detail: detail.slice(0, 1024),
            });
          }
          return;
        }
        if (result.modified) summary.downloaded += 1;
        else summary.notModified += 1;
        this.failures.recovered(
          location.rootUrl,
          `repo collector: ${location.rootUrl}: read again`,
        );
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

    summary.rateLimited = rateLimitedBy !== undefined;
    const aborted = Boolean(signal?.aborted) && tally.reads < groups.size;
    summary.outcome = runOutcome(tally, summary.rateLimited || aborted);
    const problems: string[] = [];
    if (summary.outcome === 'unavailable') {
      problems.push(`all ${tally.reads} repository reads failed`);
    } else if (tally.sourceFailures > 0) {
      problems.push(
        `${tally.sourceFailures} of ${tally.reads} repository reads failed`,
      );
    }
    if (rateLimitedBy !== undefined) {
      problems.unshift(
        `rate-limited by ${rateLimitedBy}: stopped after ${tally.reads} of ${groups.size} repositories; the rest wait for the next run`,
      );
    } else if (aborted) {
      problems.push(
        `aborted by the scheduler after ${tally.reads} of ${groups.size} repositories`,
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
    | { error: ReadError; detail: string }
  > {
    const { location, members } = group;
    const directories = new Set(members.map(m => m.directory));
    // The etag proves only that the commit is unchanged; the kept read must also cover every
    // member's directory, or a newly added entity would be told its files are missing (EV19).
    const previous = coveringSnapshot(
      this.snapshots.get(location.rootUrl),
      directories,
    );
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
        directories,
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
      // Code-unit order: the value's fingerprint must not depend on the server's locale.
      openSlo: openSlo.sort(
        (a, b) =>
          compareCodeUnits(a.path, b.path) || compareCodeUnits(a.id, b.id),
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

/** What the reads of one run did, for its source status. */
interface ReadTally {
  /** Reads started (every call made to the host). */
  reads: number;
  /** Reads that failed with `timeout` or `server-error`: the source is degraded. */
  sourceFailures: number;
  /** Reads that failed with `access-denied`, `timeout` or `server-error`. */
  unreachable: number;
}

/**
 * Source status of a run (§2.6): every read failing for auth, timeout or 5xx means the source is
 * unreachable — `unavailable`, which unlike `degraded` does not advance `lastSuccessAt` although
 * nothing was written. Some `timeout`/`server-error` reads, a rate-limit stop or an abort →
 * `degraded`; entity-side errors alone (`not-found`, some `access-denied`) leave it `ok`.
 */
function runOutcome(
  tally: ReadTally,
  cutShort: boolean,
): RepoRunSummary['outcome'] {
  if (tally.reads > 0 && tally.unreachable === tally.reads) {
    return 'unavailable';
  }
  return tally.sourceFailures > 0 || cutShort ? 'degraded' : 'ok';
}

/** The kept read when it was filtered for (at least) these directories, else undefined. */
function coveringSnapshot(
  snapshot: RepoSnapshot | undefined,
  directories: ReadonlySet<string>,
): RepoSnapshot | undefined {
  if (!snapshot) return undefined;
  for (const directory of directories) {
    if (!snapshot.directories.has(directory)) return undefined;
  }
  return snapshot;
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

/**
 * Maps a `UrlReaderService` failure to the collection errors of §2.6, or to `rate-limited`
 * (§4.2: 429, or 403 with a rate-limit signal). The detail never carries URL credentials:
 * reader messages echo request URLs, and configured base URLs may carry user-info or token
 * query parameters, masked by evidence-common's `redactCredentials` (the store masks it again).
 */
export function classifyReadError(
  error: unknown,
  timedOut = false,
): { error: ReadError; detail: string } {
  const detail = redactCredentials(
    isError(error) ? `${error.name}: ${error.message}` : String(error),
  );
  if (timedOut) return { error: 'timeout', detail };
  if (!isError(error)) return { error: 'server-error', detail };
  const status = httpStatusOf(error);
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
  if (status === 429 || (status === 403 && hasRateLimitSignal(error))) {
    return { error: 'rate-limited', detail };
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

/**
 * Backstage's SCM UrlReaders (GitHub, GitLab, Bitbucket, Gitea, …) throw a plain `Error` whose
 * message ends in `, <status> <status text>`, e.g. `Request failed for <url>, 403 Forbidden`, to
 * which GitHub appends ` (rate limit exceeded)`. Only that end is read, so a number inside the
 * URL is never taken for the status.
 */
const READER_STATUS_SUFFIX = /, ([45]\d\d)(?: [^,]*)?$/;

/** HTTP status of a reader failure: its `statusCode`/`response.status`, else its message. */
function httpStatusOf(error: Error): number | undefined {
  const field =
    (error as { statusCode?: unknown }).statusCode ??
    (error as { response?: { status?: unknown } }).response?.status;
  if (typeof field === 'number') return field;
  const match = READER_STATUS_SUFFIX.exec(error.message);
  return match ? Number(match[1]) : undefined;
}

/**
 * GitHub's reader appends "(rate limit exceeded)" when the answer's rate-limit headers say so;
 * the headers themselves never reach us through `UrlReaderService`.
 */
function hasRateLimitSignal(error: Error): boolean {
  return /rate limit/i.test(error.message);
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
