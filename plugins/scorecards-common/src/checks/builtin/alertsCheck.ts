import { z } from 'zod';
import { joinStrings } from '../../model/joinStrings';
import { refName } from '../../catalog/entityRefs';
import {
  evidenceEntry,
  outcome,
  unknownFromReads,
} from '../../evidence/outcomes';
import { defineCheckType } from '../checkType';
import { describeOwnerProblem, resolveOwner } from '../ownerGroup';

interface AlertRule {
  name?: string;
  labels?: { service?: string; team?: string };
  receivers?: string[] | null;
  defaultReceiver?: boolean | null;
}

/** `alerts`: Prometheus alerting rules exist for the entity's aliases; optionally labelled and routed to the owner. */
export const alertsCheckType = defineCheckType({
  id: 'alerts',
  description:
    'At least one alerting rule has a `service` label among the aliases; optionally every such rule carries the owner team and routes to a non-default receiver.',
  paramsSchema: z.object({
    requireTeamLabel: z.boolean().default(false),
    requireRoute: z.boolean().default(false),
  }),
  needs: () => [{ source: 'prometheus', kind: 'alerts.rules' }],
  evaluate(ctx, p) {
    const aliasList = joinStrings(ctx.subject.aliases, ', ');
    const routed = p.requireTeamLabel || p.requireRoute;
    const expected = routed
      ? 'every alert rule for the aliases has team = the owner Group and a non-default receiver'
      : `at least one alert rule with service in ${aliasList}`;
    const read = ctx.evidence('alerts.rules');
    if (read.state !== 'fresh') return unknownFromReads([read], expected);
    const rules = (
      (read.value as { rules?: AlertRule[] } | undefined)?.rules ?? []
    ).filter(r =>
      ctx.subject.aliases.includes((r.labels?.service ?? '').toLowerCase()),
    );
    const evidence = [
      evidenceEntry(read, `${rules.length} rule(s) for ${aliasList}`),
    ];
    if (rules.length === 0) {
      return outcome(
        'fail',
        'NO_ALERTS',
        `No Prometheus alerting rule with service in ${aliasList} (${read.source}); expected ${expected}.`,
        expected,
        '0 rules',
        evidence,
      );
    }
    if (!routed) {
      return outcome(
        'pass',
        'PASS',
        `${rules.length} alerting rule(s) with service in ${aliasList}.`,
        expected,
        `${rules.length} rule(s)`,
        evidence,
      );
    }
    if (p.requireTeamLabel) {
      const owner = resolveOwner(ctx, expected);
      if (owner.status === 'catalog-stale') return owner.outcome;
      const team = owner.status === 'group' ? refName(owner.ref) : null;
      const wrong = rules.filter(r => !team || r.labels?.team !== team);
      if (wrong.length > 0) {
        const teams = [
          ...new Set(wrong.map(r => r.labels?.team ?? '(none)')),
        ].join(', ');
        return outcome(
          'fail',
          'ALERT_TEAM_MISMATCH',
          team
            ? `${wrong.length} alert rule(s) say team ${teams}; expected team ${team}.`
            : `Alert rules say team ${teams}, but ${describeOwnerProblem(
                owner,
              )}; expected the owner Group's name.`,
          expected,
          `team ${teams}`,
          [...evidence, ctx.snapshotEvidence()],
        );
      }
    }
    if (p.requireRoute) {
      const unrouted = rules.filter(
        r =>
          r.defaultReceiver === true ||
          !r.receivers ||
          r.receivers.length === 0,
      );
      if (unrouted.length > 0) {
        return outcome(
          'fail',
          'ALERT_UNROUTED',
          `${unrouted
            .map(r => r.name ?? '?')
            .join(
              ', ',
            )} route to the default receiver; expected a receiver of the owner.`,
          expected,
          `${unrouted.length} unrouted`,
          evidence,
        );
      }
    }
    const receivers = [...new Set(rules.flatMap(r => r.receivers ?? []))].join(
      ', ',
    );
    return outcome(
      'pass',
      'PASS',
      `${rules.length} alert rule(s) carry the owner team and route to ${receivers}.`,
      expected,
      receivers,
      evidence,
    );
  },
});
