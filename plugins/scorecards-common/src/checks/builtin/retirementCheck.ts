import { OPS_ANNOTATION_PREFIX } from '@internal/plugin-incident-brief-common';
import { z } from 'zod';
import { internalize } from '../../model/internalize';
import { refName } from '../../catalog/entityRefs';
import { outcome } from '../../evidence/outcomes';
import { CheckContext, defineCheckType } from '../checkType';
import { downSource, edgeSourceOf, sourceDownEntry } from '../sourceDown';
import { retireByMs } from './retireByDate';
import { reachedYet } from '../../engine/timeLimits';

const RETIRE_BY = internalize(`${OPS_ANNOTATION_PREFIX}retire-by`);

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

type FreshEdges = ReturnType<CheckContext['telemetryPresence']>['freshEdges'];

/** Who calls `self` through a fresh observed edge: refs, or telemetry names when unmapped. */
function freshCallerRefs(edges: FreshEdges, self: string): string[] {
  const callers = new Set<string>();
  for (const edge of edges) {
    if (edge.to === self && edge.from !== self)
      callers.add(edge.from ?? edge.fromName ?? '?');
  }
  return [...callers];
}

/** The fresh observed callers of `self` as names for a message, sorted. */
function freshCallersOf(ctx: CheckContext, self: string): string[] {
  return freshCallerRefs(ctx.telemetryPresence().freshEdges, self)
    .map(c => (c.includes(':') ? refName(c) : c))
    .sort();
}

/**
 * `retirement`: on or after retire-by no declared dependent, API consumer (of the entity's
 * provided APIs, or of the entity itself when it is an API) or fresh observed caller remains.
 */
export const retirementCheckType = defineCheckType({
  id: 'retirement',
  notesTimeLimits: true,
  description:
    'Before ops.example.com/retire-by: pass, counting remaining consumers; on or after it: no declared dependents or consumers and no fresh observed callers.',
  paramsSchema: z.strictObject({
    windowDays: z.number().int().min(1).optional(),
  }),
  needs: () => [
    { source: 'catalog', kind: 'catalog' },
    { source: 'prometheus', kind: 'observed.edges' },
  ],
  evaluate(ctx) {
    const expected = `no consumers left on or after ${RETIRE_BY}`;
    const retireBy = ctx.entity.metadata.annotations?.[RETIRE_BY];
    const retireMs = retireByMs(retireBy);
    if (Number.isNaN(retireMs)) {
      return outcome(
        'fail',
        'PLAN_INCOMPLETE',
        `${RETIRE_BY} is not set to an ISO date on ${ctx.subject.ref}; expected a retirement date.`,
        expected,
        'no retirement date',
        [ctx.ownCatalogEvidence()],
      );
    }
    const self = ctx.subject.ref;
    const stale = ctx.snapshotUnavailable(expected);
    if (stale) {
      // Declared consumers are unknown without the catalog snapshot, but past retire-by a
      // caller seen through a fresh edge already proves the retirement overdue: a fresh fail
      // comes first (evidence §5.2), as in the other checks.
      const seen = reachedYet(ctx.nowMs >= retireMs, ctx.nowMs, retireMs)
        ? freshCallersOf(ctx, self)
        : [];
      if (seen.length === 0) return stale;
      return outcome(
        'fail',
        'RETIREMENT_OVERDUE',
        `Retirement date ${retireBy} has passed; ${plural(
          seen.length,
          'observed caller',
        )} (${seen.join(
          ', ',
        )}) remain (declared dependents unknown: the catalog snapshot is stale).`,
        expected,
        seen.join(', '),
        [ctx.ownCatalogEvidence(), ctx.snapshotEvidence()],
      );
    }
    // Declared users: dependents, consumers of the APIs it provides and, for an API, its own
    // consumers.
    const declared = new Set(ctx.catalog.dependentsOf(self));
    for (const consumer of ctx.catalog.consumersOfApi(self))
      declared.add(consumer);
    for (const api of ctx.subject.providesApis) {
      for (const consumer of ctx.catalog.consumersOfApi(api))
        declared.add(consumer);
    }
    declared.delete(self);
    const presence = ctx.telemetryPresence();
    const callers = new Set(freshCallerRefs(presence.freshEdges, self));
    // No fresh edge touches the entity: "no observed caller" holds only while the edge source
    // is up; during an outage nobody can tell (a fresh edge stays fresh, evidence §5.2).
    const edgesDown =
      presence.freshEdges.length === 0
        ? downSource(ctx, edgeSourceOf(ctx))
        : undefined;
    const names = [...new Set([...declared, ...callers])]
      .map(r => (r.includes(':') ? refName(r) : r))
      .sort();
    const evidence = [ctx.ownCatalogEvidence(), ctx.snapshotEvidence()];
    if (!reachedYet(ctx.nowMs >= retireMs, ctx.nowMs, retireMs)) {
      // Before the date the check passes by definition (§4); the count may be incomplete.
      const unknownCallers = edgesDown
        ? `; observed callers unknown (${edgesDown.source} ${edgesDown.status} since ${edgesDown.since})`
        : '';
      return outcome(
        'pass',
        'PASS',
        names.length === 0
          ? `No consumer remains${unknownCallers}; retirement due ${retireBy}.`
          : `${plural(names.length, 'consumer')} ${
              names.length === 1 ? 'remains' : 'remain'
            }: ${names.join(
              ', ',
            )}${unknownCallers}; retirement due ${retireBy}.`,
        expected,
        `${names.length} remaining`,
        evidence,
      );
    }
    if (declared.size === 0 && callers.size === 0) {
      if (edgesDown) {
        const missing = sourceDownEntry(
          edgesDown,
          'observed.edges',
          'observed callers',
        );
        return outcome(
          'unknown',
          'SOURCE_UNAVAILABLE',
          `Retirement date ${retireBy} has passed with no declared consumer, but observed callers are unknown: ${edgesDown.source} ${edgesDown.status} since ${edgesDown.since}; expected ${expected}.`,
          expected,
          'no declared consumer; observed callers unknown',
          evidence,
          [missing],
        );
      }
      return outcome(
        'pass',
        'PASS',
        `Retirement date ${retireBy} reached with no consumer left.`,
        expected,
        'none',
        evidence,
      );
    }
    return outcome(
      'fail',
      'RETIREMENT_OVERDUE',
      `Retirement date ${retireBy} has passed; ${plural(
        declared.size,
        'declared dependent',
      )} (${[...declared].map(refName).sort().join(', ') || '—'}) and ${plural(
        callers.size,
        'observed caller',
      )} (${
        [...callers]
          .map(c => (c.includes(':') ? refName(c) : c))
          .sort()
          .join(', ') || '—'
      }) remain.`,
      expected,
      names.join(', '),
      evidence,
    );
  },
});
