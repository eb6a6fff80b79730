import { z } from 'zod';
import { joinStrings } from '../../model/joinStrings';
import { outcome, unknownReasonForCause } from '../../evidence/outcomes';
import { defineCheckType } from '../checkType';

/** `telemetry`: a fresh series for an alias, or the entity is an endpoint of a fresh observed edge. */
export const telemetryCheckType = defineCheckType({
  id: 'telemetry',
  notesTimeLimits: true,
  description:
    'A fresh telemetry series exists for one of the aliases, or the entity is an endpoint of a fresh observed edge.',
  paramsSchema: z.strictObject({}),
  needs: () => [
    { source: 'prometheus', kind: 'telemetry.presence' },
    { source: 'prometheus', kind: 'observed.edges' },
  ],
  evaluate(ctx) {
    const expected = `a fresh series for ${joinStrings(
      ctx.subject.aliases,
      ', ',
    )} or a fresh observed edge`;
    const presence = ctx.telemetryPresence();
    if (presence.state === 'present') {
      const found =
        presence.seriesAliases.length > 0
          ? `series for ${joinStrings(presence.seriesAliases, ', ')}`
          : `${presence.freshEdges.length} fresh observed edge(s)`;
      return outcome(
        'pass',
        'PASS',
        `Telemetry present: ${found}.`,
        expected,
        found,
        presence.evidence,
      );
    }
    if (presence.state === 'absent') {
      return outcome(
        'fail',
        'NO_TELEMETRY',
        `No series for ${joinStrings(
          ctx.subject.aliases,
          ', ',
        )} in the last collection and no fresh observed edge; expected ${expected}.`,
        expected,
        'no series, no edges',
        presence.evidence,
      );
    }
    const first = presence.missing[0];
    return outcome(
      'unknown',
      unknownReasonForCause(first.cause),
      `Cannot decide: ${presence.missing
        .map(m => m.hint)
        .join('; ')}; expected ${expected}.`,
      expected,
      'no fresh telemetry evidence',
      presence.evidence,
      presence.missing,
    );
  },
});
