import { Entity } from '@backstage/catalog-model';
import { OPS_ANNOTATION_PREFIX } from '@internal/plugin-incident-brief-common';
import { ScorecardsConfig } from '../config/scorecardsConfig';
import { internalize } from '../model/internalize';
import { withoutUrlUserinfo } from '../model/urlCredentials';
import { entityRefOf, normalizeEntityRef, specRefs } from './entityRefs';

/** Tier as read from the label, `unknown` when missing or out of range. */
export type Tier = 1 | 2 | 3 | 'unknown';

/** The classification inputs of an entity (scorecards §2.1), derived once per evaluation. */
export interface EntitySubject {
  ref: string;
  kind: string;
  namespace: string;
  name: string;
  type: string | undefined;
  /** Effective lifecycle as declared (may be a value outside the configured set). */
  lifecycle: string;
  /** Lifecycle used for scoping: an unknown value is scoped like `production` (SR26). */
  scopeLifecycle: string;
  rated: boolean;
  tier: Tier;
  customerFacing: boolean | 'unknown';
  /** Declared data domains; `[]` for the literal `none`; null when undeclared. */
  dataDomains: string[] | null;
  runtime: string | undefined;
  ownerRef: string | null;
  /** Lower-case telemetry names: metadata.name plus `ops.example.com/aliases`. */
  aliases: string[];
  /** Repository join key from source-location (`url:`) or github project slug, else null. */
  repository: string | null;
  providesApis: string[];
  consumesApis: string[];
  dependsOn: string[];
  /**
   * Metadata the derivation ignored (SR33: odd metadata never throws): a classification label or
   * annotation, or the namespace, that is not a string, and a missing name. Empty when none.
   */
  notes: readonly string[];
}

const NO_NOTES: readonly string[] = Object.freeze([]);

/** The note of a missing or non-string `metadata.name`. */
const NO_NAME_NOTE =
  'metadata.name is missing or not a string; evaluated without a name';

/**
 * The string value of a label or annotation; another value (a number, a list, null from YAML) is
 * ignored like an absent one and, when `notes` is given, noted.
 */
function stringAt(
  values: Record<string, unknown> | undefined,
  key: string,
  what: 'label' | 'annotation',
  notes?: string[],
): string | undefined {
  if (!values || typeof values !== 'object') return undefined;
  const value = values[key];
  if (value === undefined || typeof value === 'string') return value;
  notes?.push(`${what} ${key} is not a string; ignored`);
  return undefined;
}

const LABEL_TIER = internalize(`${OPS_ANNOTATION_PREFIX}tier`);
const LABEL_CUSTOMER_FACING = internalize(
  `${OPS_ANNOTATION_PREFIX}customer-facing`,
);
const ANNOTATION_DATA_DOMAINS = internalize(
  `${OPS_ANNOTATION_PREFIX}data-domains`,
);
const ANNOTATION_LIFECYCLE = internalize(`${OPS_ANNOTATION_PREFIX}lifecycle`);
const ANNOTATION_RUNTIME = internalize(`${OPS_ANNOTATION_PREFIX}runtime`);
const ANNOTATION_ALIASES = internalize(`${OPS_ANNOTATION_PREFIX}aliases`);

/** Splits a comma list annotation into trimmed, non-empty values. */
export function splitList(value: string | undefined): string[] {
  const list: string[] = [];
  if (!value) return list;
  if (value.indexOf(',') < 0) {
    // One value (the usual case): no split.
    const v = value.trim();
    if (v.length > 0) list.push(v);
    return list;
  }
  for (const part of value.split(',')) {
    const v = part.trim();
    if (v.length > 0) list.push(v);
  }
  return list;
}

/**
 * Effective lifecycle: spec.lifecycle for Component/API, annotation for Resource/System, else
 * production; a lifecycle that is not a string is absent (and noted when `notes` is given).
 */
export function effectiveLifecycle(entity: Entity, notes?: string[]): string {
  if (entity.kind === 'Component' || entity.kind === 'API') {
    const value = (entity.spec as Record<string, unknown> | undefined)
      ?.lifecycle;
    return typeof value === 'string' && value ? value : 'production';
  }
  return (
    stringAt(
      entity.metadata?.annotations,
      ANNOTATION_LIFECYCLE,
      'annotation',
      notes,
    ) ?? 'production'
  );
}

/** The text without its trailing slashes (`replace(/\/+$/, '')` without a RegExp). */
function withoutTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 47) end--;
  return text.slice(0, end);
}

/** Normalized refs of a spec list, malformed ones dropped. */
function normalizeAll(
  values: readonly string[],
  kind: string,
  namespace: string,
): string[] {
  const refs: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const ref = normalizeEntityRef(values[i], kind, namespace);
    if (ref !== null) refs.push(ref);
  }
  return refs;
}

/** Repository slug (`host/owner/repo`) an entity's repository evidence is joined by, or null. */
export function repositoryJoinKey(entity: Entity): string | null {
  const annotations = entity.metadata?.annotations;
  const location = stringAt(
    annotations,
    'backstage.io/source-location',
    'annotation',
  );
  if (location && location.startsWith('url:')) {
    // Without credentials (`https://u:p@github.com/o/r`): they are no part of the repository's
    // name, so the key joins its evidence either way and shows no secret where it is quoted.
    let url = withoutUrlUserinfo(location.slice(4));
    // The replacements below, each skipped when it cannot match.
    if (url.startsWith('https://')) url = url.slice(8);
    else if (url.startsWith('http://')) url = url.slice(7);
    if (url.includes('/tree/')) url = url.replace(/\/tree\/.*$/, '');
    if (url.endsWith('.git')) url = url.slice(0, -4);
    if (url.endsWith('/')) url = withoutTrailingSlashes(url);
    if (url) return url.toLowerCase();
  }
  const slug = stringAt(annotations, 'github.com/project-slug', 'annotation');
  if (slug) return `github.com/${slug}`.toLowerCase();
  return null;
}

/**
 * The subject of one evaluation. The fields every evaluation reads are derived up front; the
 * repository join key and the normalized API and dependency lists, which only some checks read
 * (and none for most kinds), are derived on first read. The entity must not change while its
 * subject is in use (an evaluation never changes it).
 */
class DerivedSubject implements EntitySubject {
  private repositoryKey: string | null | undefined = undefined;
  private provided: string[] | undefined = undefined;
  private consumed: string[] | undefined = undefined;
  private dependencies: string[] | undefined = undefined;

  constructor(
    private readonly entity: Entity,
    readonly ref: string,
    readonly kind: string,
    readonly namespace: string,
    readonly name: string,
    readonly type: string | undefined,
    readonly lifecycle: string,
    readonly scopeLifecycle: string,
    readonly rated: boolean,
    readonly tier: Tier,
    readonly customerFacing: boolean | 'unknown',
    readonly dataDomains: string[] | null,
    readonly runtime: string | undefined,
    readonly ownerRef: string | null,
    readonly aliases: string[],
    readonly notes: readonly string[],
  ) {}

  get repository(): string | null {
    if (this.repositoryKey === undefined)
      this.repositoryKey = repositoryJoinKey(this.entity);
    return this.repositoryKey;
  }

  get providesApis(): string[] {
    this.provided ??= normalizeAll(
      specRefs(this.entity, 'providesApis'),
      'api',
      this.namespace,
    );
    return this.provided;
  }

  get consumesApis(): string[] {
    this.consumed ??= normalizeAll(
      specRefs(this.entity, 'consumesApis'),
      'api',
      this.namespace,
    );
    return this.consumed;
  }

  get dependsOn(): string[] {
    this.dependencies ??= normalizeAll(
      specRefs(this.entity, 'dependsOn'),
      'component',
      this.namespace,
    );
    return this.dependencies;
  }
}

/** Derives the classification inputs of an entity once per evaluation. */
export function deriveSubject(
  entity: Entity,
  config: ScorecardsConfig,
): EntitySubject {
  // Nothing here may throw (SR33): the catalog processor can hand over metadata that skipped
  // validation. A value that is not a string is ignored like an absent one, and noted.
  const notes: string[] = [];
  const metadata = (entity.metadata ?? {}) as Partial<Entity['metadata']>;
  const labels = metadata.labels;
  const annotations = metadata.annotations;
  let namespace = 'default';
  if (typeof metadata.namespace === 'string') namespace = metadata.namespace;
  else if (metadata.namespace !== undefined)
    notes.push('metadata.namespace is not a string; ignored');
  // No name: evaluated as an entity nothing can name (empty name, a ref no entity can have).
  let name = '';
  if (typeof metadata.name === 'string' && metadata.name) name = metadata.name;
  else notes.push(NO_NAME_NOTE);
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const lifecycle = effectiveLifecycle(entity, notes);
  const scopeLifecycle = config.lifecycles.includes(lifecycle)
    ? lifecycle
    : 'production';

  const tierLabel = stringAt(labels, LABEL_TIER, 'label', notes);
  let tier: Tier = 'unknown';
  if (tierLabel === '1') tier = 1;
  else if (tierLabel === '2') tier = 2;
  else if (tierLabel === '3') tier = 3;

  const cfLabel = stringAt(labels, LABEL_CUSTOMER_FACING, 'label', notes);
  let customerFacing: boolean | 'unknown' = 'unknown';
  if (cfLabel === 'true') customerFacing = true;
  else if (cfLabel === 'false') customerFacing = false;

  const domainsRaw = stringAt(
    annotations,
    ANNOTATION_DATA_DOMAINS,
    'annotation',
    notes,
  );
  let dataDomains: string[] | null = null;
  if (domainsRaw !== undefined) {
    const list = splitList(domainsRaw);
    if (list.length === 1 && list[0] === 'none') dataDomains = [];
    else if (list.length > 0) dataDomains = list;
  }

  // A Set keeps the first occurrence in order at linear cost: the annotation is free text, and a
  // list scan per alias took 5 s for 50,000 of them, blocking the catalog's event loop.
  const declared = splitList(
    stringAt(annotations, ANNOTATION_ALIASES, 'annotation', notes),
  ).map(a => a.toLowerCase());
  const aliases = [
    ...new Set(name ? [name.toLowerCase(), ...declared] : declared),
  ];
  // `Kubernetes ` is the runtime `kubernetes` the capabilities name: compared trimmed and
  // lower-cased, or every platform-blocked failure of the entity would read as its own.
  const runtime =
    stringAt(annotations, ANNOTATION_RUNTIME, 'annotation', notes)
      ?.trim()
      .toLowerCase() || undefined;

  return new DerivedSubject(
    entity,
    entityRefOf(entity),
    entity.kind,
    namespace,
    name,
    typeof spec.type === 'string' ? spec.type : undefined,
    lifecycle,
    scopeLifecycle,
    config.ratedLifecycles.includes(scopeLifecycle),
    tier,
    customerFacing,
    dataDomains,
    runtime,
    normalizeEntityRef(spec.owner, 'group', namespace),
    aliases,
    notes.length > 0 ? notes : NO_NOTES,
  );
}
