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
import { headCommit, readRepositoryEntities } from './readRepository';

/**
 * Entities of repositories that golden paths published locally (golden-paths.md §4.9, local
 * mode): scans `<root>/*.git`, reads `catalog-info.yaml` at HEAD and applies one full mutation
 * whenever a repository appears, changes HEAD or disappears. Entities carry
 * `backstage.io/managed-by-location: golden-paths-local:<repo>`. A repository without a readable
 * descriptor is logged and skipped, never a failure of the whole scan.
 */
export class LocalGitRepositoryProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private readonly heads = new Map<string, string>();
  private readonly entities = new Map<string, Entity[]>();
  private applied = false;

  constructor(
    private readonly options: {
      root: string;
      logger: LoggerService;
      /** Runs the scan periodically once connected; tests call {@link refresh} directly. */
      schedule?: SchedulerServiceTaskRunner;
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
        } catch (e) {
          this.options.logger.warn(
            `golden-paths-local scan failed: ${(e as Error).message}`,
          );
        }
      },
    });
  }

  /** One scan; applies a full mutation only when something changed. Returns the entity count. */
  async refresh(): Promise<{ changed: boolean; entities: number }> {
    if (!this.connection)
      throw new Error('LocalGitRepositoryProvider is not connected');
    const root = path.resolve(this.options.root);
    const names = await fs.readdir(root).catch(() => [] as string[]);
    const repos = names.filter(n => n.endsWith('.git')).sort();
    let changed = !this.applied;
    const seen = new Set<string>();
    for (const name of repos) {
      const gitDir = path.join(root, name);
      const head = await headCommit(gitDir);
      if (!head) continue;
      seen.add(name);
      if (this.heads.get(name) === head) continue;
      // One unreadable repository must not keep the others out of the catalog.
      const read = await readRepositoryEntities(gitDir, head).catch(
        (error: Error) => ({ entities: [], error: error.message }),
      );
      if (read.error) {
        this.options.logger.warn(`golden-paths-local: ${name}: ${read.error}`);
      }
      const location = `golden-paths-local:${gitDir}`;
      this.entities.set(
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
      this.heads.set(name, head);
      changed = true;
    }
    for (const name of [...this.heads.keys()]) {
      if (!seen.has(name)) {
        this.heads.delete(name);
        this.entities.delete(name);
        changed = true;
      }
    }
    const all = [...this.entities.entries()].flatMap(([name, list]) =>
      list.map(entity => ({
        entity,
        locationKey: `golden-paths-local:${name}`,
      })),
    );
    if (changed) {
      await this.connection.applyMutation({ type: 'full', entities: all });
      this.applied = true;
    }
    return { changed, entities: all.length };
  }
}
