import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AUTHORIZE_BATCH_SIZE,
  blanketEntityRead,
  deniedEachEntityRead,
  deniedEntityReads,
} from '@internal/plugin-evidence-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  BlastRadiusAnswer,
  ChangeInWindow,
  ChangeRecord,
  ImpactedEntity,
  IncidentBrief,
  InfraAttrs,
  PathStep,
  displayRef,
  renderBriefMarkdown,
} from '@internal/plugin-incident-brief-common';

/** What an entity the caller may not read is listed as (IB §6.5): counted, never named. */
export const RESTRICTED = 'restricted';

/** The changes section of a brief as a caller sees it: `restricted` = how many changes were withheld. */
export type RestrictedChanges = IncidentBrief['changes'] & {
  restricted: number;
  /** the latest changes withheld from the caller (see `restrictLatest`) */
  latestRestricted?: LatestField[];
};

/** A brief as a caller sees it: its changes section says how many changes were withheld. */
export type RestrictedBrief<T extends IncidentBrief> = T & {
  changes: RestrictedChanges;
};

/** A blast radius as a caller sees it: `restricted` = how many listed entities were withheld. */
export type RestrictedBlastRadius = BlastRadiusAnswer & {
  impacted: (ImpactedEntity & { restricted?: true })[];
  restricted: number;
};

/**
 * Decides, for one caller, which of the entity refs an answer names it may see. `distinctAtLeast`
 * (optional): how many distinct refs besides the root `refs` holds at least, known without
 * gathering them (a blast radius's impacted entities are distinct), so that a policy deciding for
 * every entity at once is asked before the refs are gathered — which then never happens.
 */
export type ReadFilter = (
  refs: Iterable<string>,
  distinctAtLeast?: number,
) => Promise<(ref: string) => boolean>;

/** The answer of a read filter when the caller may read everything (answers pass unchanged). */
export const ALL_READABLE = (_ref: string): boolean => true;

/**
 * `catalog.entity.read` on every entity an answer names, in one batched `authorize` call for
 * most answers (`deniedEntityReads` for large ones), for user
 * principals; service principals (alert webhooks, the risk writer, other backends) see everything,
 * as they do in the catalog. `root` was authorized already by the route.
 */
export function readFilterFor(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  root: string,
): ReadFilter {
  return async named => {
    const refs = new Set(named);
    refs.delete(root);
    return readableAmong(permissions, credentials, refs);
  };
}

/**
 * Which of `refs` the caller may read (`catalog.entity.read`, batched as in
 * {@link readFilterFor}; service principals read everything).
 */
export async function readableAmong(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  refs: Iterable<string>,
): Promise<(ref: string) => boolean> {
  const { type } = credentials.principal as { type?: string };
  if (type !== 'user') return ALL_READABLE;
  const list = [...new Set(refs)];
  if (list.length === 0) return ALL_READABLE;
  const denied = await deniedEntityReads(permissions, credentials, list);
  return denied.size === 0 ? ALL_READABLE : ref => !denied.has(ref);
}

/**
 * The read filter of `readFilterFor` with the root's own check folded into the same (first)
 * batched `authorize` call, for routes whose answer is computed from memory before anything is sent
 * (the blast radius): one permission round trip per request instead of two. Told that the
 * answer names more refs than one `authorize` call holds (`distinctAtLeast`), it asks the
 * policy's decision for every entity first, which covers the root too. The root must end
 * up checked whatever happens — `ensureRoot()` checks it alone if the filter did not run (a
 * service principal, an answer naming no other entity, a failed computation), so a caller
 * without read permission gets 403 before any answer or error about the entity.
 */
export function rootFoldedReadFilter(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  root: string,
): { filter: ReadFilter; ensureRoot(): Promise<void> } {
  let rootChecked = false;
  const ensureRoot = async () => {
    if (rootChecked) return;
    const denied = await deniedEntityReads(permissions, credentials, [root]);
    rootChecked = true;
    if (denied.size > 0)
      throw new NotAllowedError(`not allowed to read ${root}`);
  };
  const filter: ReadFilter = async (named, distinctAtLeast = 0) => {
    const { type } = credentials.principal as { type?: string };
    if (type !== 'user') {
      await ensureRoot();
      return ALL_READABLE;
    }
    // A shared service's answer names hundreds of refs; gathering them into a list costs ~0.5 ms
    // that a policy deciding for every entity at once (the usual case) never needs.
    let blanketAsked = false;
    if (distinctAtLeast + 1 > AUTHORIZE_BATCH_SIZE) {
      const blanket = await blanketEntityRead(permissions, credentials);
      rootChecked = blanket !== undefined;
      if (blanket === AuthorizeResult.DENY)
        throw new NotAllowedError(`not allowed to read ${root}`);
      if (blanket === AuthorizeResult.ALLOW) return ALL_READABLE;
      blanketAsked = true;
    }
    const refs = new Set(named);
    refs.delete(root);
    if (refs.size === 0) {
      await ensureRoot();
      return ALL_READABLE;
    }
    const list = [root, ...refs];
    const denied = blanketAsked
      ? await deniedEachEntityRead(permissions, credentials, list)
      : await deniedEntityReads(permissions, credentials, list);
    rootChecked = true;
    if (denied.has(root))
      throw new NotAllowedError(`not allowed to read ${root}`);
    return denied.size === 0 ? ALL_READABLE : ref => !denied.has(ref);
  };
  return { filter, ensureRoot };
}

/** The reason of a path step naming the API a declared edge comes from: `consumesApi:<api ref>`. */
const API_REASON = 'consumesApi:';

/** The API ref a `consumesApi:` reason names, or null for any other reason. */
export const apiOfReason = (reason: string): string | null =>
  reason.startsWith(API_REASON) ? reason.slice(API_REASON.length) : null;

/**
 * Every entity ref one path step names: its two ends, the async Resource that explains an observed
 * messaging edge (`explainedBy`) and the APIs a declared edge comes from (`consumesApi:` reasons,
 * which the markdown's edge column prints by name).
 */
function* stepRefs(s: PathStep): Iterable<string> {
  yield s.from;
  yield s.to;
  if (s.explainedBy !== undefined) yield s.explainedBy;
  for (const reason of s.reasons) {
    const api = apiOfReason(reason);
    if (api !== null) yield api;
  }
}

/** Whether the caller may read every entity a path step names. */
function stepReadable(s: PathStep, readable: (ref: string) => boolean) {
  for (const ref of stepRefs(s)) if (!readable(ref)) return false;
  return true;
}

/**
 * Every entity ref a blast-radius answer names (list, paths with what their steps name, systems,
 * owners, entry points, cycles, unresolved). Path steps shared by many paths are the same object:
 * each is read once.
 */
export function* namedRefs(result: BlastRadiusAnswer): Iterable<string> {
  const seen = new Set<PathStep>();
  for (const i of result.impacted) {
    yield i.ref;
    if (i.system !== null) yield i.system;
    if (i.owner !== null) yield i.owner;
    for (const step of i.path) {
      if (seen.has(step)) continue;
      seen.add(step);
      yield* stepRefs(step);
    }
  }
  // over the whole radius, not just this page; owners are normalized refs (groups or users)
  yield* Object.keys(result.counts.bySystem);
  yield* Object.keys(result.counts.byOwner);
  for (const e of result.entryPoints) yield e.ref;
  for (const cycle of result.cycles) yield* cycle;
  for (const u of result.unresolved) yield* [u.ref, u.referencedBy];
}

/**
 * A path step that names an entity the caller may not read names it `restricted` instead: an
 * end, the Resource that explains it (`explainedBy`) or an API it comes from
 * (`consumesApi:restricted`; the reason stays, so the step still reads as declared through an
 * API). Redacted steps that read the same are the same object, so that steps shared by many paths
 * stay shared (`paths=shared`) — keyed by what the copy says, not by the step it came from: two
 * paths through two different unreadable entities must not be told apart by sharing a step
 * index where the inline form shows nothing to tell them apart.
 */
function redactStep(readable: (ref: string) => boolean) {
  const name = (ref: string) => (readable(ref) ? ref : RESTRICTED);
  const redacted = new Map<string, PathStep>();
  return (s: PathStep): PathStep => {
    if (stepReadable(s, readable)) return s;
    // spread first: the copy keeps the step's field order, which the wire forms' columns follow
    const copy: PathStep = {
      ...s,
      from: name(s.from),
      to: name(s.to),
      reasons: s.reasons.map(reason => {
        const api = apiOfReason(reason);
        return api === null || readable(api)
          ? reason
          : `${API_REASON}${RESTRICTED}`;
      }),
    };
    if (s.explainedBy !== undefined) copy.explainedBy = name(s.explainedBy);
    const key = JSON.stringify(copy);
    const same = redacted.get(key);
    if (same) return same;
    redacted.set(key, copy);
    return copy;
  };
}

/**
 * Counts keyed by entity ref (`counts.bySystem`, `counts.byOwner` — the teams to notify) with the
 * entities the caller may not read counted under `restricted`: how many impacted entities belong
 * to a system or an owner stays known, which system or owner does not.
 */
function redactRefCounts(
  byRef: Record<string, number>,
  readable: (ref: string) => boolean,
): Record<string, number> {
  const refs = Object.keys(byRef);
  if (refs.every(readable)) return byRef;
  const out: Record<string, number> = {};
  for (const ref of refs) {
    const key = readable(ref) ? ref : RESTRICTED;
    out[key] = (out[key] ?? 0) + byRef[ref];
  }
  return out;
}

/**
 * The rows of each hop with the restricted ones after the readable ones, each group in its own
 * order. The search orders a hop by tier, customer-facing and ref: a restricted row left in its
 * place would tell the tier and customer-facing flag it withholds, read against its neighbours
 * and the counts. Rows come grouped by hop, and stay so.
 */
function restrictedLastInHop<T extends { hop: number; restricted?: boolean }>(
  rows: T[],
): T[] {
  const out: T[] = [];
  let start = 0;
  while (start < rows.length) {
    let end = start;
    while (end < rows.length && rows[end].hop === rows[start].hop) end++;
    const hop = rows.slice(start, end);
    out.push(
      ...hop.filter(r => !r.restricted),
      ...hop.filter(r => r.restricted),
    );
    start = end;
  }
  return out;
}

/**
 * The answer with every entity the caller may not read listed as `restricted`: no ref, title,
 * owner, system or path; its hop, kind and immediacy stay, and the counts (computed over the full
 * set) are unchanged but for the systems and owners (teams to notify) the caller may not read,
 * counted under `restricted`. Path steps name what the caller may not read `restricted` (see
 * `redactStep`), and so do the `system` and `owner` of a listed entity; entry points of restricted
 * entities are dropped; cycles and unresolved references are redacted the same way. Within a
 * hop, restricted entities come after the readable ones (`restrictedLastInHop`).
 */
export function restrictUnreadable(
  result: BlastRadiusAnswer,
  readable: (ref: string) => boolean,
): RestrictedBlastRadius {
  // nothing to redact: the answer as computed (a copy of every list would cost ~0.2 ms a page)
  if (readable === ALL_READABLE) return { ...result, restricted: 0 };
  const name = (ref: string) => (readable(ref) ? ref : RESTRICTED);
  const step = redactStep(readable);
  let restricted = 0;
  const impacted = result.impacted.map(i => {
    if (!readable(i.ref)) {
      restricted++;
      return {
        ref: RESTRICTED,
        kind: i.kind,
        title: RESTRICTED,
        hop: i.hop,
        path: [],
        tier: null,
        customerFacing: null,
        owner: null,
        system: null,
        lifecycle: null,
        immediate: i.immediate,
        resolved: i.resolved,
        deprecated: false,
        restricted: true as const,
      };
    }
    const systemReadable = i.system === null || readable(i.system);
    const ownerReadable = i.owner === null || readable(i.owner);
    if (
      systemReadable &&
      ownerReadable &&
      i.path.every(s => stepReadable(s, readable))
    ) {
      return i;
    }
    return {
      ...i,
      path: i.path.map(step),
      owner: ownerReadable ? i.owner : RESTRICTED,
      system: systemReadable ? i.system : RESTRICTED,
    };
  });
  return {
    ...result,
    counts: {
      ...result.counts,
      byOwner: redactRefCounts(result.counts.byOwner, readable),
      bySystem: redactRefCounts(result.counts.bySystem, readable),
    },
    impacted: restricted > 0 ? restrictedLastInHop(impacted) : impacted,
    restricted,
    entryPoints: result.entryPoints.filter(e => readable(e.ref)),
    cycles: result.cycles.map(c => c.map(name)),
    unresolved: result.unresolved.map(u => ({
      ...u,
      ref: name(u.ref),
      referencedBy: name(u.referencedBy),
    })),
  };
}

/**
 * Every entity ref a list of changes in window names: the changed entity, the path to it (with
 * what its steps name) and the `affectedEntities` of infrastructure changes.
 */
export function* changeRefs(items: Iterable<ChangeInWindow>): Iterable<string> {
  for (const item of items) {
    yield item.entityRef;
    for (const step of item.path) yield* stepRefs(step);
    yield* affectedRefs(item.change);
  }
}

/** The `affectedEntities` of an infrastructure change (none for other kinds). */
function affectedRefs(change: ChangeRecord): string[] {
  const affected = (change.attributes as Partial<InfraAttrs>).affectedEntities;
  return Array.isArray(affected) ? affected : [];
}

/**
 * A change as the caller sees it: an infrastructure change lists an `affectedEntities` entry the
 * caller may not read as `restricted` (order kept). Unchanged — the same object — otherwise.
 */
function redactAffected<C extends ChangeRecord>(
  change: C,
  readable: (ref: string) => boolean,
): C {
  const affected = affectedRefs(change);
  if (affected.every(readable)) return change;
  return {
    ...change,
    attributes: {
      ...change.attributes,
      affectedEntities: affected.map(ref => (readable(ref) ? ref : RESTRICTED)),
    },
  };
}

/**
 * Changes in window as the caller sees them: a change of an entity the caller may not read is
 * omitted — not its id, entity, path, summary or risk — and only counted in `restricted`. A kept
 * change whose path names such an entity names it `restricted` in that step, and an
 * infrastructure change lists such an `affectedEntities` entry as `restricted`. Order is kept.
 */
export function restrictChanges<T extends ChangeInWindow>(
  items: T[],
  readable: (ref: string) => boolean,
): { items: T[]; restricted: number } {
  const step = redactStep(readable);
  const kept: T[] = [];
  for (const item of items) {
    if (!readable(item.entityRef)) continue;
    let out = item;
    if (!item.path.every(s => stepReadable(s, readable))) {
      out = { ...out, path: item.path.map(step) };
    }
    const change = redactAffected(item.change, readable);
    if (change !== item.change) out = { ...out, change };
    kept.push(out);
  }
  return { items: kept, restricted: items.length - kept.length };
}

/** The latest changes of a changes section, which {@link restrictLatest} may withhold. */
type Latest = Pick<
  IncidentBrief['changes'],
  'lastChange' | 'lastSuccessfulDeploy'
>;
/** The fields of {@link Latest}, as `latestRestricted` names them. */
export type LatestField = keyof Latest;
const LATEST_FIELDS: LatestField[] = ['lastChange', 'lastSuccessfulDeploy'];

/**
 * Every entity ref the last change and last successful deploy name: the entity each is about
 * (`subjectOf`, which must resolve a record as the assembly matched it — see `BriefService`) and
 * the `affectedEntities` of an infrastructure change, asked about in the same batch as the rest.
 */
export function* latestRefs(
  changes: Latest,
  subjectOf: (record: ChangeRecord) => string | null,
): Iterable<string> {
  for (const field of LATEST_FIELDS) {
    const record = changes[field];
    if (!record) continue;
    const subject = subjectOf(record);
    if (subject) yield subject;
    yield* affectedRefs(record);
  }
}

/**
 * The last change and last successful deploy as the caller sees them. They are a hop-0 entity's —
 * the root's, a System's member's (R18) or an API's provider's — and one about an entity the
 * caller may not read is withheld like a change of the list (IB §6.5): `null`, its field listed
 * in `latestRestricted` so that it does not read as "none". So is one whose entity `subjectOf`
 * cannot name (no stored `entityRef`, its alias mapping to nothing): it was matched to some hop-0
 * entity, and which one — readable or not — can no longer be told. A kept one lists an
 * `affectedEntities` entry the caller may not read as `restricted`, as a kept change of the list.
 */
export function restrictLatest<T extends Latest>(
  changes: T,
  readable: (ref: string) => boolean,
  subjectOf: (record: ChangeRecord) => string | null,
): T & { latestRestricted?: LatestField[] } {
  const withheld: LatestField[] = [];
  const out: T & { latestRestricted?: LatestField[] } = { ...changes };
  for (const field of LATEST_FIELDS) {
    const record = changes[field];
    if (!record) continue;
    const subject = subjectOf(record);
    if (subject === null || !readable(subject)) {
      withheld.push(field);
      out[field] = null;
    } else {
      out[field] = redactAffected(record, readable);
    }
  }
  if (withheld.length > 0) out.latestRestricted = withheld;
  return out;
}

/**
 * The markdown of a brief (IB §6.3) as the caller may see it. Restricted dependencies are listed as
 * a bare `restricted`: `renderBriefMarkdown` describes a dependency by the last step of its path,
 * and a restricted one has none (it would fail on it), so it is rendered through its "unresolved"
 * form and that suffix is taken off again. How many changes in window were withheld is said in the
 * changes section (see {@link noteRestrictedChanges}).
 */
export function renderRestrictedMarkdown(
  brief: IncidentBrief & {
    changes: { restricted?: number; latestRestricted?: LatestField[] };
  },
): string {
  const isRestricted = (i: ImpactedEntity & { restricted?: true }) =>
    i.restricted === true;
  const pathless = brief.dependencies.impacted.some(isRestricted);
  const text = renderBriefMarkdown(
    pathless
      ? {
          ...brief,
          dependencies: {
            ...brief.dependencies,
            impacted: brief.dependencies.impacted.map(i =>
              isRestricted(i)
                ? { ...i, kind: 'component', resolved: false }
                : i,
            ),
          },
        }
      : brief,
  );
  const lines = pathless
    ? text
        .split('\n')
        .map(line =>
          line.startsWith('**Depends on (')
            ? line.split(`${RESTRICTED} (unresolved)`).join(RESTRICTED)
            : line,
        )
        .join('\n')
    : text;
  return noteRestrictedChanges(
    noteRestrictedLatest(lines, brief.changes.latestRestricted ?? []),
    brief.changes.restricted ?? 0,
  );
}

/**
 * The "Last change" line of a rendered brief with a withheld last change or last successful
 * deploy ({@link restrictLatest}) reading `restricted`, not `none`.
 */
function noteRestrictedLatest(
  markdown: string,
  withheld: LatestField[],
): string {
  if (withheld.length === 0) return markdown;
  return markdown
    .split('\n')
    .map(line => {
      if (!line.startsWith('Last change: ')) return line;
      let out = line;
      if (withheld.includes('lastChange'))
        out = out.replace(/^Last change: none/, `Last change: ${RESTRICTED}`);
      if (withheld.includes('lastSuccessfulDeploy'))
        out = out.replace(
          / · last successful deploy: none$/,
          ` · last successful deploy: ${RESTRICTED}`,
        );
      return out;
    })
    .join('\n');
}

/**
 * Adds to a rendered brief how many changes in window were withheld (IB §6.5: counted, never
 * named), in the changes section right before its "Last change" line; a section left empty by
 * the filter no longer claims there were no changes.
 */
export function noteRestrictedChanges(
  markdown: string,
  restricted: number,
): string {
  if (restricted <= 0) return markdown;
  const note = `_restricted: ${restricted} change${
    restricted === 1 ? '' : 's'
  } of entities you may not read ${
    restricted === 1 ? 'is' : 'are'
  } not listed._`;
  const lines = markdown.split('\n');
  const last = lines.findIndex(l => l.startsWith('Last change: '));
  if (last < 0) return `${markdown}\n${note}\n`;
  const empty = lines.lastIndexOf('No changes in the window.', last);
  if (empty >= 0) lines[empty] = 'No changes you may read in the window.';
  lines.splice(last, 0, note, '');
  return lines.join('\n');
}

/** The refs of a missing-evidence subject: one, or several joined by commas (`LEDGER_NO_RECENT`). */
const subjectRefs = (subject: string) => subject.split(',');

/**
 * Substrate owners (48) as a caller may see them: a Resource they may not read is dropped; one
 * they may read, owned by a group they may not, keeps its ref and its owner reads `restricted`,
 * as it does in the dependency list.
 */
export function restrictSubstrateOwners(
  owners: IncidentBrief['owner']['substrateOwners'],
  readable: (ref: string) => boolean,
): IncidentBrief['owner']['substrateOwners'] {
  return owners
    .filter(s => readable(s.ref))
    .map(s => (readable(s.owner) ? s : { ...s, owner: RESTRICTED }));
}

/**
 * Every entity ref a brief names where {@link restrictBrief} redacts it; `alsoNamed`: refs its
 * missing-evidence texts name beyond the brief's data (`missingEvidenceRefs`).
 */
export function* briefRefs(
  brief: IncidentBrief,
  alsoNamed: Iterable<string> = [],
): Iterable<string> {
  yield* namedRefs(brief.blastRadius);
  yield* namedRefs(brief.dependencies);
  yield* changeRefs(brief.changes.items);
  for (const m of brief.missingEvidence) yield* subjectRefs(m.subject);
  for (const s of brief.owner.substrateOwners) {
    yield s.ref;
    yield s.owner;
  }
  for (const u of brief.unmappedTelemetry) yield u.ref;
  if (brief.header.system !== null) yield brief.header.system;
  if (brief.header.domain !== null) yield brief.header.domain;
  yield* alsoNamed;
}

/**
 * The names a text may give an entity: its ref, its display form (`web-storefront`,
 * `resource:orders-db`) and, for an API, its bare name — edge gaps name the APIs an edge comes
 * from that way (`order-service → inventory-service (inventory-api) not seen …`).
 */
function textNames(ref: string): string[] {
  const names = [ref, displayRef(ref)];
  if (ref.startsWith('api:')) names.push(ref.slice(ref.lastIndexOf('/') + 1));
  return names;
}

/**
 * The brief with every entity the caller may not read listed as `restricted`: its blast radius and
 * dependencies as in {@link restrictUnreadable}; its changes in window as in
 * {@link restrictChanges} (omitted, counted in `changes.restricted`); missing-evidence items about
 * such an entity, or whose text names one (among the brief's refs and `alsoNamed`), keep their
 * code and severity but not their subject, text or fix; substrate owners and unmapped telemetry
 * of such an entity are dropped; the header's system and domain read `restricted`. The root was
 * authorized already; `readable` must have been asked about {@link briefRefs} with `alsoNamed`.
 */
export function restrictBrief<T extends IncidentBrief>(
  brief: T,
  readable: (ref: string) => boolean,
  alsoNamed: Iterable<string> = [],
): RestrictedBrief<T> {
  const restricted = {
    ...brief,
    blastRadius: restrictUnreadable(brief.blastRadius, readable),
    dependencies: restrictUnreadable(brief.dependencies, readable),
    changes: {
      ...brief.changes,
      ...restrictChanges(brief.changes.items, readable),
    },
  };
  const denied = [...new Set(briefRefs(brief, alsoNamed))].filter(
    ref => !readable(ref),
  );
  if (denied.length === 0) return restricted;
  const names = [...new Set(denied.flatMap(textNames))];
  const naming = (text: string | null) =>
    text !== null && names.some(n => text.includes(n));
  const name = (ref: string | null) =>
    ref === null || readable(ref) ? ref : RESTRICTED;
  return {
    ...restricted,
    header: {
      ...brief.header,
      system: name(brief.header.system),
      domain: name(brief.header.domain),
    },
    missingEvidence: brief.missingEvidence.map(m =>
      subjectRefs(m.subject).every(readable) &&
      !naming(m.message) &&
      !naming(m.fix)
        ? m
        : {
            ...m,
            subject: RESTRICTED,
            message: 'about an entity you may not read',
            fix: null,
          },
    ),
    owner: {
      ...brief.owner,
      substrateOwners: restrictSubstrateOwners(
        brief.owner.substrateOwners,
        readable,
      ),
    },
    unmappedTelemetry: brief.unmappedTelemetry.filter(u => readable(u.ref)),
  };
}
