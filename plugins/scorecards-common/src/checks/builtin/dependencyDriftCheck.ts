import { z } from 'zod';
import {
  normalizeEntityRef,
  refName,
  specRefs,
} from '../../catalog/entityRefs';
import { outcome, unknownReasonForCause } from '../../evidence/outcomes';
import { formatAge } from '../../evidence/formatAge';
import { parseInstantMs } from '../../evidence/instant';
import { ObservedEdge } from '../../evidence/evidenceTypes';
import { RawOutcome } from '../../model/resultModel';
import { CheckContext, defineCheckType } from '../checkType';
import { compareText } from '../../model/compareText';
import { sortSmall } from '../../model/sortSmall';

/** Whether an outgoing observed edge is declared (dependsOn, consumed API's provider) or explained. */
export function isDeclaredEdge(
  ctx: CheckContext,
  to: string,
  edge: ObservedEdge,
  asyncResourceTypes: readonly string[],
): boolean {
  const s = ctx.subject;
  if (s.dependsOn.includes(to)) return true;
  for (const api of s.consumesApis) {
    if (ctx.catalog.providersOfApi(api).includes(to)) return true;
  }
  if (edge.interaction === 'async') {
    // Incident-brief §2.5: a messaging edge is explained when both ends depend on the same async Resource.
    const target = ctx.catalog.get(to);
    const targetDeps = target
      ? specRefs(target, 'dependsOn').map(d =>
          normalizeEntityRef(
            d,
            'component',
            target.metadata.namespace ?? 'default',
          ),
        )
      : [];
    for (const dep of s.dependsOn) {
      const resource = ctx.catalog.get(dep);
      const type = resource?.spec?.type;
      if (
        resource?.kind === 'Resource' &&
        typeof type === 'string' &&
        asyncResourceTypes.includes(type) &&
        targetDeps.includes(dep)
      ) {
        return true;
      }
    }
  }
  return false;
}

/** Unknown outcome when telemetry presence cannot vouch for the observed edges, else null. */
export function requirePresence(
  ctx: CheckContext,
  expected: string,
): RawOutcome | null {
  const presence = ctx.telemetryPresence();
  if (presence.state === 'present') return null;
  const missing =
    presence.state === 'unknown'
      ? presence.missing
      : [
          {
            source: 'prometheus',
            kind: 'telemetry.presence',
            cause: 'missing' as const,
            hint: `${ctx.subject.ref} has no telemetry, so observed edges cannot confirm its dependencies`,
          },
        ];
  const cause = missing[0]?.cause;
  return outcome(
    'unknown',
    unknownReasonForCause(cause),
    `Cannot decide: ${missing
      .map(m => m.hint)
      .join('; ')}; expected ${expected}.`,
    expected,
    'no telemetry presence',
    presence.evidence,
    missing,
  );
}

/** Orders outgoing edges by callee (ref, else telemetry name). */
function byCallee(a: ObservedEdge, b: ObservedEdge): number {
  return compareText(a.to ?? a.toName ?? '', b.to ?? b.toName ?? '');
}

/** `dependency-drift`: no fresh observed outgoing edge is undeclared; unmapped callees are notes. */
export const dependencyDriftCheckType = defineCheckType({
  id: 'dependency-drift',
  notesTimeLimits: true,
  description:
    'No fresh observed outgoing edge is undeclared (dependsOn, consumed API, or explained by a shared async Resource); callees that map to no entity are notes.',
  paramsSchema: z.strictObject({
    fail: z.array(z.literal('undeclared')).default(['undeclared']),
    unmapped: z.literal('note').default('note'),
    asyncResourceTypes: z
      .array(z.string())
      .default(['queue', 'topic', 'stream']),
  }),
  needs: () => [
    { source: 'catalog', kind: 'catalog' },
    { source: 'prometheus', kind: 'observed.edges' },
  ],
  evaluate(ctx, p) {
    const expected =
      'every fresh observed outgoing call is declared in spec.dependsOn or consumesApis';
    const noPresence = requirePresence(ctx, expected);
    if (noPresence) return noPresence;
    const stale = ctx.snapshotUnavailable(expected);
    if (stale) return stale;
    const presence = ctx.telemetryPresence();
    const notes: string[] = [];
    const undeclared: { to: string; lastSeen: string }[] = [];
    const outgoing: ObservedEdge[] = [];
    for (let i = 0; i < presence.freshEdges.length; i++) {
      const edge = presence.freshEdges[i];
      if (edge.from === ctx.subject.ref) outgoing.push(edge);
    }
    sortSmall(outgoing, byCallee);
    for (const edge of outgoing) {
      if (!edge.to) {
        notes.push(`unmapped callee ${edge.toName ?? '?'}`);
        continue;
      }
      if (!isDeclaredEdge(ctx, edge.to, edge, p.asyncResourceTypes)) {
        undeclared.push({ to: edge.to, lastSeen: edge.lastSeen });
      }
    }
    const evidence = presence.evidence.slice();
    evidence.push(ctx.snapshotEvidence());
    if (undeclared.length > 0) {
      const described = undeclared
        .map(
          u =>
            `${refName(u.to)}, seen ${formatAge(
              (ctx.nowMs - parseInstantMs(u.lastSeen)) / 1000,
            )} ago`,
        )
        .join('; ');
      return outcome(
        'fail',
        'EDGE_UNDECLARED',
        `${ctx.subject.name} calls ${described}; not in spec.dependsOn or consumesApis.`,
        expected,
        undeclared.map(u => u.to).join(', '),
        evidence,
        [],
        notes,
      );
    }
    return outcome(
      'pass',
      'PASS',
      `All ${
        outgoing.length - notes.length
      } fresh observed outgoing call(s) are declared.`,
      expected,
      `${outgoing.length - notes.length} declared`,
      evidence,
      [],
      notes,
    );
  },
});
