import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { AliasResolution, Warning } from '@internal/plugin-evidence-common';
import { parseRepoUrl } from '../collectors/repo/repoLocation';

// The suite's namespace is exported as OPS_ANNOTATION_PREFIX by incident-brief-common, which is
// not a dependency of this package (package.json is owned elsewhere); keep the two in step.
const OPS_ANNOTATION_PREFIX = 'ops.example.com/';

/** How a stored subject resolves against the current catalog (§2.1). */
export interface SubjectResolution {
  entityRef: string | null;
  resolution: 'resolved' | 'unresolved';
  warning?: Warning;
}

/** One alias-map entry as `GET /aliases/:name` reports it. */
export interface AliasEntry {
  name: string;
  entityRef: string | null;
  origin: 'config' | 'annotation' | 'name';
  conflictRefs: string[];
}

const ALIAS_KINDS = new Set(['component', 'resource', 'api', 'system']);
const IMPLICIT_KINDS = new Set(['component', 'resource']);
const CLAIM_ANNOTATIONS = [
  `${OPS_ANNOTATION_PREFIX}aliases`,
  'argocd/app-name',
  'backstage.io/kubernetes-id',
];

/** `github.com/<owner>/<repo>` for a project slug or a `url:` source location, else undefined. */
export function repositoryOf(entity: Entity): string[] {
  const annotations = entity.metadata.annotations ?? {};
  const repos = new Set<string>();
  const slug = annotations['github.com/project-slug'];
  if (slug && /^[^/\s]+\/[^/\s]+$/.test(slug.trim())) {
    repos.add(`github.com/${slug.trim()}`.toLowerCase());
  }
  const location = annotations['backstage.io/source-location'];
  if (location?.startsWith('url:')) {
    // the repository collector's parser: CI runs and repository files map to one key
    const parsed = parseRepoUrl(location.slice(4));
    if (parsed) repos.add(parsed.repository);
  }
  return [...repos];
}

type Claims = Map<string, Set<string>>;

function claim(claims: Claims, name: string, ref: string) {
  const key = name.trim().toLowerCase();
  if (!key) return;
  if (!claims.has(key)) claims.set(key, new Set());
  claims.get(key)!.add(ref);
}

/**
 * The alias and repository maps of §2.1, rebuilt from a catalog snapshot on every replica. It
 * holds no I/O of its own: `refresh` takes a loader, so tests pass a fake catalog.
 */
export class AliasResolver {
  private refs = new Set<string>();
  private aliases = new Map<string, AliasEntry>();
  private aliasesByRef: Map<string, string[]> | undefined;
  private repositories = new Map<string, string[]>();
  private loaded = false;
  private generation = 0;
  private aliasGeneration = 0;

  constructor(private readonly configAliases: Record<string, string> = {}) {
    this.rebuild([]);
  }

  /** True once a catalog snapshot was loaded; before that every entity ref is unresolved. */
  get isLoaded(): boolean {
    return this.loaded;
  }

  /** Increases whenever a refresh changed the maps, so re-resolution can skip idle rounds. */
  get version(): number {
    return this.generation;
  }

  /**
   * Increases whenever the entities or aliases changed (not a repository claim alone): what
   * observed edges are mapped by, so a repository claim does not re-map every edge.
   */
  get aliasVersion(): number {
    return this.aliasGeneration;
  }

  /** Loads a catalog snapshot and rebuilds the maps; returns true when anything changed. */
  async refresh(loadEntities: () => Promise<Entity[]>): Promise<boolean> {
    const entities = await loadEntities();
    return this.rebuild(entities);
  }

  /** Rebuilds the maps from entities (precedence: config, explicit claims, unique names). */
  rebuild(entities: Entity[]): boolean {
    const refs = new Set<string>();
    const explicit: Claims = new Map();
    const implicit: Claims = new Map();
    const repoClaims: Claims = new Map();
    for (const entity of entities) {
      const ref = stringifyEntityRef(entity).toLowerCase();
      refs.add(ref);
      const kind = entity.kind.toLowerCase();
      if (ALIAS_KINDS.has(kind)) {
        const annotations = entity.metadata.annotations ?? {};
        for (const key of CLAIM_ANNOTATIONS) {
          for (const name of (annotations[key] ?? '').split(',')) {
            claim(explicit, name, ref);
          }
        }
      }
      if (IMPLICIT_KINDS.has(kind)) claim(implicit, entity.metadata.name, ref);
      for (const repo of repositoryOf(entity)) claim(repoClaims, repo, ref);
    }
    const aliases = new Map<string, AliasEntry>();
    for (const [name, set] of explicit) {
      const claimants = [...set].sort();
      aliases.set(name, {
        name,
        entityRef: claimants.length === 1 ? claimants[0] : null,
        origin: 'annotation',
        conflictRefs: claimants.length === 1 ? [] : claimants,
      });
    }
    for (const [name, set] of implicit) {
      // Implicit names count only when unique across namespaces and unclaimed above.
      if (aliases.has(name) || set.size !== 1) continue;
      aliases.set(name, {
        name,
        entityRef: [...set][0],
        origin: 'name',
        conflictRefs: [],
      });
    }
    for (const [name, ref] of Object.entries(this.configAliases)) {
      aliases.set(name, {
        name,
        entityRef: ref,
        origin: 'config',
        conflictRefs: [],
      });
    }
    const repositories = new Map<string, string[]>();
    for (const [repo, set] of repoClaims)
      repositories.set(repo, [...set].sort());

    // The repository claims count too: a repository newly claimed (or made ambiguous) changes
    // how `repo:` rows resolve, and re-resolution reads old rows only after a change (version).
    const aliasesChanged =
      !this.loaded ||
      JSON.stringify([[...refs].sort(), [...aliases.entries()].sort()]) !==
        JSON.stringify([
          [...this.refs].sort(),
          [...this.aliases.entries()].sort(),
        ]);
    const changed =
      aliasesChanged ||
      JSON.stringify([...repositories.entries()].sort()) !==
        JSON.stringify([...this.repositories.entries()].sort());
    this.refs = refs;
    this.aliases = aliases;
    this.aliasesByRef = undefined;
    this.repositories = repositories;
    this.loaded = entities.length > 0 || this.loaded;
    if (changed) this.generation += 1;
    if (aliasesChanged) this.aliasGeneration += 1;
    return changed;
  }

  /** True when the ref names an entity in the last catalog snapshot. */
  exists(ref: string): boolean {
    return this.refs.has(ref.toLowerCase());
  }

  /** The alias-map entry for a telemetry name, if any. */
  lookup(name: string): AliasEntry | undefined {
    return this.aliases.get(name.trim().toLowerCase());
  }

  /** `normalizeEdge`'s view of a telemetry name. */
  resolveAlias = (name: string): AliasResolution => {
    const entry = this.lookup(name);
    if (!entry) return { ref: null };
    if (entry.entityRef === null) return { ref: null, conflict: true };
    return { ref: entry.entityRef };
  };

  /** Alias names currently pointing at a ref (ledger reads resolve alias subjects live). */
  aliasesOf(ref: string): string[] {
    // Bulk reads ask this for thousands of refs: index the map once per snapshot, not per call.
    if (!this.aliasesByRef) {
      const index = new Map<string, string[]>();
      for (const alias of this.aliases.values()) {
        if (alias.entityRef === null) continue;
        const names = index.get(alias.entityRef);
        if (names) names.push(alias.name);
        else index.set(alias.entityRef, [alias.name]);
      }
      this.aliasesByRef = index;
    }
    return this.aliasesByRef.get(ref.toLowerCase()) ?? [];
  }

  /** Resolves a stored subject (`kind:ns/name`, `alias:<name>`, `repo:<host>/<o>/<r>`). */
  resolveSubject(subject: string): SubjectResolution {
    if (subject.startsWith('alias:')) {
      const name = subject.slice('alias:'.length);
      const entry = this.lookup(name);
      if (entry?.entityRef) {
        return {
          entityRef: entry.entityRef,
          resolution: this.exists(entry.entityRef) ? 'resolved' : 'unresolved',
        };
      }
      if (entry) {
        return {
          entityRef: null,
          resolution: 'unresolved',
          warning: {
            code: 'ALIAS_CONFLICT',
            field: 'alias',
            message: `alias "${name}" is claimed by ${entry.conflictRefs.join(
              ', ',
            )}; stored as unresolved`,
          },
        };
      }
      return {
        entityRef: null,
        resolution: 'unresolved',
        warning: {
          code: 'UNKNOWN_ENTITY',
          field: 'alias',
          message: `alias "${name}" maps to no entity; stored as unresolved`,
        },
      };
    }
    if (subject.startsWith('repo:')) {
      const repo = subject.slice('repo:'.length);
      const claimants = this.repositories.get(repo) ?? [];
      if (claimants.length === 1) {
        return { entityRef: claimants[0], resolution: 'resolved' };
      }
      return {
        entityRef: null,
        resolution: 'unresolved',
        warning:
          claimants.length > 1
            ? {
                code: 'AMBIGUOUS_REPOSITORY',
                field: 'repository',
                message: `repository "${repo}" is claimed by ${claimants.join(
                  ', ',
                )}; stored as unresolved`,
              }
            : {
                code: 'UNKNOWN_ENTITY',
                field: 'repository',
                message: `repository "${repo}" maps to no entity; stored as unresolved`,
              },
      };
    }
    if (this.exists(subject)) {
      return { entityRef: subject, resolution: 'resolved' };
    }
    return {
      entityRef: subject,
      resolution: 'unresolved',
      warning: {
        code: 'UNKNOWN_ENTITY',
        field: 'entityRef',
        // "as last read": each replica reads the catalog every 60 s, so an entity registered
        // seconds ago (a golden path's new service) is not an error, and attaches by itself
        message: `entityRef "${subject}" is not in the catalog as last read (every 60 s); stored as unresolved, and attached without re-posting once the catalog has it`,
      },
    };
  }
}
