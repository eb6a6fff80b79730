import { z } from 'zod';
import { joinStrings } from '../../model/joinStrings';
import {
  evidenceEntry,
  outcome,
  unknownFromReads,
} from '../../evidence/outcomes';
import { defineCheckType } from '../checkType';
import { candidateRoutes } from './oncallRoutes';

interface ScheduleValue {
  exists?: boolean;
  onCallNow?: { userRef: string }[];
}

/** `oncall-route`: a route resolves and its provider reports someone on call now (oncall-routed). */
export const oncallRouteCheckType = defineCheckType({
  id: 'oncall-route',
  notesTimeLimits: true,
  description:
    'An on-call route is found (entity, owner Group, its parents) and the provider reports someone on call now; unavailable providers are skipped.',
  paramsSchema: z.strictObject({
    steps: z.number().int().min(1).max(3).default(3),
  }),
  needs: () => [
    { source: 'catalog', kind: 'catalog' },
    { source: 'oncall', kind: 'oncall.schedule' },
  ],
  evaluate(ctx, p) {
    const expected =
      'an on-call route (entity, owner Group or its parents) with someone on call now';
    const { routes, notes, stale } = candidateRoutes(ctx, p.steps);
    const evidence = [ctx.ownCatalogEvidence()];
    let skippedAll = false;
    for (const candidate of routes) {
      const health = ctx.sourceHealth(candidate.provider);
      if (
        health &&
        (health.status === 'unavailable' || health.status === 'disabled')
      ) {
        // Incident-brief §2.2: an unconfigured or failing provider is skipped and the next source tried.
        notes.push(
          `ONCALL_PROVIDER_UNAVAILABLE: ${candidate.route} on ${candidate.declaredOn} skipped (${candidate.provider} ${health.status})`,
        );
        skippedAll = true;
        continue;
      }
      skippedAll = false;
      if (candidate.step > 1) evidence.push(ctx.snapshotEvidence());
      const read = ctx.evidence('oncall.schedule', { key: candidate.route });
      const via =
        candidate.step === 1
          ? candidate.declaredOn
          : `${candidate.declaredOn}${
              candidate.step === 3 ? ' (inherited)' : ''
            }`;
      if (read.state !== 'fresh') {
        const result = unknownFromReads([read], expected, evidence);
        return { ...result, notes };
      }
      const value = (read.value ?? {}) as ScheduleValue;
      const onCall = value.onCallNow ?? [];
      evidence.push(
        evidenceEntry(
          read,
          `${candidate.route}: ${
            joinStrings(
              onCall.map(o => o.userRef),
              ', ',
            ) || 'nobody'
          } on call`,
        ),
      );
      if (value.exists !== false && onCall.length > 0) {
        return outcome(
          'pass',
          'PASS',
          `Paged through ${candidate.route} from ${via}; ${onCall[0].userRef} is on call now.`,
          expected,
          candidate.route,
          evidence,
          [],
          notes,
        );
      }
      return outcome(
        'fail',
        'NO_ROUTE',
        `${candidate.route} from ${via} ${
          value.exists === false
            ? 'does not exist at the provider'
            : 'has nobody on call now'
        }; expected ${expected}.`,
        expected,
        `${candidate.route} without anyone on call`,
        evidence,
        [],
        notes,
      );
    }
    if (stale) return { ...stale, notes };
    if (skippedAll && routes.length > 0) {
      return outcome(
        'unknown',
        'SOURCE_UNAVAILABLE',
        `Every on-call route's provider is unavailable; expected ${expected}.`,
        expected,
        'providers unavailable',
        evidence,
        routes.map(r => ({
          source: r.provider,
          kind: 'oncall.schedule',
          cause: 'source-unavailable' as const,
          hint: `${r.provider} is not available for ${r.route}`,
        })),
        notes,
      );
    }
    return outcome(
      'fail',
      'NO_ROUTE',
      `No on-call route on ${ctx.subject.ref}, its owner Group or the Group's parents; expected ${expected}.`,
      expected,
      'no route',
      evidence,
      [],
      notes,
    );
  },
});
