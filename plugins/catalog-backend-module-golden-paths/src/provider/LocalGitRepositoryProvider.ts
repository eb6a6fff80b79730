import type {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  type Entity,
} from '@backstage/catalog-model';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  GitReadError,
  headCommit,
  readRepositoryEntities,
  type RepositoryRead,
} from './readRepository';

/**
 * How long after start scans only add what they read while a repository they never read fails:
 * long enough for a lock or a slow disk to clear, short enough that removals are not held back.
 */
const PARTIAL_FOR_MS = 10 * 60_000;

/**
 * Entities of repositories that golden paths published locally (golden-paths.md §4.9, local
 * mode): scans `<root>/*.git`, reads `catalog-info.yaml` at HEAD and applies one full mutation
 * whenever a repository appears, changes HEAD or disappears. Entities carry
 * `backstage.io/managed-by-location: golden-paths-local:<repo>`, `<repo>` the bare repository's
 * directory name under the root (`cart-api.git`), never its server path: `goldenpath:lifecycle`
 * and `goldenpath:validate` resolve it against their own `goldenPaths.publish.local.root` to find
 * the git remote to change. The location key is `golden-paths-local:<repo>` too. A repository without a readable
 * descriptor is logged and skipped, never a failure of the whole scan. A git failure that is not an
 * answer (a lock, a corrupt object) keeps the repository's previous entities until a scan reads
 * it; a root that cannot be listed skips the scan.
 */
export class LocalGitRepositoryProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  // what the catalog last took: replaced only after applyMutation resolves
  private heads = new Map<string, string>();
  private entities = new Map<string, Entity[]>();
  private applied = false;
  /**
   * The heads of the last delta applied while a repository could not be read yet (below), so
   * an unchanged scan does not apply it again.
   */
  private partial?: string;
  /** When this process first scanned (add-only ends `PARTIAL_FOR_MS` after it). */
  private firstScanAt?: number;
  /**
   * The last failure logged, by repository ('' for the scan): a scan runs every few seconds, so
   * a failure is logged when it starts or changes, not on every retry (43,200 lines a day).
   */
  private readonly reported = new Map<string, string>();

  constructor(
    private readonly options: {
      root: string;
      logger: LoggerService;
      /** Runs the scan periodically once connected; tests call {@link refresh} directly. */
      schedule?: SchedulerServiceTaskRunner;
      clock?: () => number;
    },
  ) {}

  getProviderName(): string {
    return 'golden-paths-local';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.schedule?.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        try {
          await this.refresh();
          this.recovered('');
        } catch (e) {
          this.report(
            '',
            `golden-paths-local scan failed: ${(e as Error).message}`,
          );
        }
      },
    });
  }

  /**
   * One scan; applies a full mutation only when something changed (a delta of what it read while
   * a repository it never read fails: see `unread`). Returns whether it applied one, and the
   * entity count.
   * What it read is remembered only once the catalog took it: after a failed write the next scan
   * sees the same difference and writes again.
   */
  async refresh(): Promise<{ changed: boolean; entities: number }> {
    if (!this.connection)
      throw new Error('LocalGitRepositoryProvider is not connected');
    const root = path.resolve(this.options.root);
    const repos = await listRepositories(root);
    const heads = new Map<string, string>();
    const entities = new Map<string, Entity[]>();
    // A repository git could not read this time keeps its previous HEAD and entities, so it is
    // neither deleted from the catalog nor marked as read: the next scan tries it again.
    // Repositories git could not read before this process read them once: after a restart the
    // catalog may hold their entities, which a full mutation without them would delete.
    const unread: string[] = [];
    const now = this.options.clock?.() ?? Date.now();
    this.firstScanAt ??= now;
    // Add-only ends after a while: a repository git never reads (a stray directory, a corrupt
    // one) would otherwise keep every removal out of the catalog for as long as this process runs.
    const addOnly = now - this.firstScanAt < PARTIAL_FOR_MS;
    const keepPrevious = (name: string, error: unknown) => {
      let kept = 'kept its entities';
      if (!this.heads.has(name)) {
        if (this.applied) kept = 'not added yet';
        else if (addOnly) {
          kept =
            'the catalog keeps what it holds of it, and removals wait for it (at most 10 min after start)';
        } else kept = 'taken as gone: its entities leave the catalog';
      }
      this.report(
        name,
        `golden-paths-local: ${name}: ${
          (error as Error).message
        }; ${kept}, retried every scan`,
      );
      const head = this.heads.get(name);
      if (head === undefined) {
        if (!this.applied && addOnly) unread.push(name);
        return;
      }
      heads.set(name, head);
      entities.set(name, this.entities.get(name) ?? []);
    };
    let changed = !this.applied;
    for (const name of repos) {
      const gitDir = path.join(root, name);
      let head: string | undefined;
      try {
        head = await headCommit(gitDir);
      } catch (error) {
        keepPrevious(name, error);
        continue;
      }
      if (!head) {
        this.recovered(name);
        continue; // no commit on HEAD: nothing published there (any more)
      }
      if (this.heads.get(name) === head) {
        this.recovered(name);
        heads.set(name, head);
        entities.set(name, this.entities.get(name) ?? []);
        continue;
      }
      let read: RepositoryRead;
      try {
        read = await readRepositoryEntities(gitDir, head);
      } catch (error) {
        if (error instanceof GitReadError) {
          keepPrevious(name, error);
          continue;
        }
        // One unreadable repository must not keep the others out of the catalog.
        read = { entities: [], error: (error as Error).message };
      }
      this.recovered(name);
      if (read.error) {
        this.options.logger.warn(`golden-paths-local: ${name}: ${read.error}`);
      }
      // the repository's name under the root: catalog readers never see the server's paths
      const location = `golden-paths-local:${name}`;
      entities.set(
        name,
        read.entities.map(e => ({
          ...e,
          metadata: {
            ...e.metadata,
            annotations: {
              ...e.metadata?.annotations,
              [ANNOTATION_LOCATION]: location,
              [ANNOTATION_ORIGIN_LOCATION]: location,
            },
          },
        })),
      );
      heads.set(name, head);
      changed = true;
    }
    if ([...this.heads.keys()].some(name => !heads.has(name))) changed = true;
    const all = [...entities.entries()].flatMap(([name, list]) =>
      list.map(entity => ({
        entity,
        locationKey: `golden-paths-local:${name}`,
      })),
    );
    if (changed && unread.length > 0) {
      // Until every repository was read once, what was read is added and nothing removed.
      const partial = JSON.stringify([...heads]);
      changed = partial !== this.partial;
      if (changed) {
        await this.connection.applyMutation({
          type: 'delta',
          added: all,
          removed: [],
        });
        this.partial = partial;
      }
    } else if (changed) {
      await this.connection.applyMutation({ type: 'full', entities: all });
      this.applied = true;
    }
    this.heads = heads;
    this.entities = entities;
    for (const name of this.reported.keys()) {
      // A repository that left the root is no longer retried: its next failure is news.
      if (name !== '' && !repos.includes(name)) this.reported.delete(name);
    }
    return { changed, entities: all.length };
  }

  /** Logs `message` unless it is what was last logged for `name`. */
  private report(name: string, message: string): void {
    if (this.reported.get(name) === message) return;
    this.reported.set(name, message);
    this.options.logger.warn(message);
  }

  /** `name` was read again: logs that it recovered, if its failure was logged. */
  private recovered(name: string): void {
    if (!this.reported.delete(name)) return;
    this.options.logger.info(
      name === ''
        ? 'golden-paths-local scan recovered'
        : `golden-paths-local: ${name}: read again`,
    );
  }
}

/**
 * The `*.git` entries of the root, sorted. A missing root is an answer: nothing is published
 * (yet, or any more: removing the root removes every repository in it, so their entities go as
 * when each disappears). Any other failure (EIO, EACCES, EMFILE) says nothing about the
 * repositories and is thrown, so the scan is skipped rather than emptying the catalog.
 */
async function listRepositories(root: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter(n => n.endsWith('.git')).sort();
}
