import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  BlastRadiusResult,
  ImpactedEntity,
  IncidentBrief,
  PathStep,
  displayRef,
} from '@internal/plugin-incident-brief-common';

/** What an entity the caller may not read is listed as (IB §6.5): counted, never named. */
export const RESTRICTED = 'restricted';

/** A blast radius as a caller sees it: `restricted` = how many listed entities were withheld. */
export type RestrictedBlastRadius = BlastRadiusResult & {
  impacted: (ImpactedEntity & { restricted?: true })[];
  restricted: number;
};

/** Decides, for one caller, which of the entity refs an answer names it may see. */
export type ReadFilter = (
  refs: Iterable<string>,
) => Promise<(ref: string) => boolean>;

/**
 * `catalog.entity.read` on every entity an answer names, in ONE batched `authorize` call, for user
 * principals; service principals (alert webhooks, the risk writer, other backends) see everything,
 * as they do in the catalog. `root` was authorized already by the route.
 */
export function readFilterFor(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  root: string,
): ReadFilter {
  return async named => {
    const { type } = credentials.principal as { type?: string };
    if (type !== 'user') return () => true;
    const refs = new Set(named);
    refs.delete(root);
    if (refs.size === 0) return () => true;
    const list = [...refs];
    const decisions = await permissions.authorize(
      list.map(resourceRef => ({
        permission: catalogEntityReadPermission,
        resourceRef,
      })),
      { credentials },
    );
    const denied = new Set(
      list.filter((_, i) => decisions[i]?.result !== AuthorizeResult.ALLOW),
    );
    return ref => !denied.has(ref);
  };
}

/** Every entity ref a blast-radius answer names (list, paths, entry points, cycles, unresolved). */
export function* namedRefs(result: BlastRadiusResult): Iterable<string> {
  for (const i of result.impacted) {
    yield i.ref;
    for (const step of i.path) yield* [step.from, step.to];
  }
  for (const step of result.examinedEdges) yield* [step.from, step.to];
  for (const e of result.entryPoints) yield e.ref;
  for (const cycle of result.cycles) yield* cycle;
  for (const u of result.unresolved) yield* [u.ref, u.referencedBy];
}

/**
 * The answer with every entity the caller may not read listed as `restricted`: no ref, title,
 * owner, system or path; its hop, kind and immediacy stay, and the counts (computed over the full
 * set) are unchanged. Path steps and examined edges name restricted ends `restricted`; entry points
 * of restricted entities are dropped; cycles and unresolved references are redacted the same way.
 */
export function restrictUnreadable(
  result: BlastRadiusResult,
  readable: (ref: string) => boolean,
): RestrictedBlastRadius {
  const name = (ref: string) => (readable(ref) ? ref : RESTRICTED);
  const step = (s: PathStep): PathStep =>
    readable(s.from) && readable(s.to)
      ? s
      : { ...s, from: name(s.from), to: name(s.to) };
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
    return i.path.every(s => readable(s.from) && readable(s.to))
      ? i
      : { ...i, path: i.path.map(step) };
  });
  return {
    ...result,
    impacted,
    restricted,
    entryPoints: result.entryPoints.filter(e => readable(e.ref)),
    cycles: result.cycles.map(c => c.map(name)),
    unresolved: result.unresolved.map(u => ({
      ...u,
      ref: name(u.ref),
      referencedBy: name(u.referencedBy),
    })),
    examinedEdges: result.examinedEdges.map(step),
  };
}

/** Every entity ref a brief names where {@link restrictBrief} redacts it. */
export function* briefRefs(brief: IncidentBrief): Iterable<string> {
  yield* namedRefs(brief.blastRadius);
  yield* namedRefs(brief.dependencies);
  for (const m of brief.missingEvidence) yield m.subject;
  for (const s of brief.owner.substrateOwners) yield s.ref;
  for (const u of brief.unmappedTelemetry) yield u.ref;
}

/**
 * The brief with every entity the caller may not read listed as `restricted`: its blast radius and
 * dependencies as in {@link restrictUnreadable}; missing-evidence items about such an entity, or
 * whose text names one, keep their code and severity but not their subject, text or fix; substrate
 * owners and unmapped telemetry of such an entity are dropped. The root was authorized already.
 */
export function restrictBrief<T extends IncidentBrief>(
  brief: T,
  readable: (ref: string) => boolean,
): T {
  const restricted = {
    ...brief,
    blastRadius: restrictUnreadable(brief.blastRadius, readable),
    dependencies: restrictUnreadable(brief.dependencies, readable),
  };
  const denied = [...briefRefs(brief)].filter(ref => !readable(ref));
  if (denied.length === 0) return restricted;
  // a text names an entity by its ref or its display form (`web-storefront`, `resource:orders-db`)
  const names = [...new Set(denied.flatMap(ref => [ref, displayRef(ref)]))];
  const naming = (text: string | null) =>
    text !== null && names.some(n => text.includes(n));
  return {
    ...restricted,
    missingEvidence: brief.missingEvidence.map(m =>
      readable(m.subject) && !naming(m.message) && !naming(m.fix)
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
      substrateOwners: brief.owner.substrateOwners.filter(s => readable(s.ref)),
    },
    unmappedTelemetry: brief.unmappedTelemetry.filter(u => readable(u.ref)),
  };
}
