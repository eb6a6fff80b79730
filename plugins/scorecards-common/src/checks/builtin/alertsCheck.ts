import { z } from 'zod';
import { joinStrings } from '../../model/joinStrings';
import { refName } from '../../catalog/entityRefs';
import {
  evidenceEntry,
  outcome,
  unknownFromReads,
} from '../../evidence/outcomes';
import { EvidenceRead } from '../../evidence/readEvidence';
import { defineCheckType } from '../checkType';
import { describeOwnerProblem, resolveOwner } from '../ownerGroup';

interface AlertRule {
  name?: string;
  labels?: { service?: string; team?: string };
  receivers?: string[] | null;
  defaultReceiver?: boolean | null;
}

/** The rules whose `service` label (any case) is one of the aliases. */
function rulesFor(
  rules: readonly AlertRule[],
  aliases: readonly string[],
): AlertRule[] {
  const own: AlertRule[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (aliases.includes((rule.labels?.service ?? '').toLowerCase()))
      own.push(rule);
  }
  return own;
}

/**
 * `rulesFor` of the last read: the two alerts checks of an evaluation read the same record one
 * after another. A read (and the subject's aliases) belongs to one evaluation, so the pair of
 * objects identifies the answer.
 */
let lastRead: EvidenceRead | undefined;
let lastAliases: readonly string[] | undefined;
let lastRules: AlertRule[] = [];

function rulesOfRead(
  read: EvidenceRead,
  aliases: readonly string[],
): AlertRule[] {
  if (read !== lastRead || aliases !== lastAliases) {
    lastRules = rulesFor(
      (read.value as { rules?: AlertRule[] } | undefined)?.rules ?? [],
      aliases,
    );
    lastRead = read;
    lastAliases = aliases;
  }
  return lastRules;
}

/** The receivers of the rules, each once, in first-seen order (as a Set would keep them). */
function distinctReceivers(rules: readonly AlertRule[]): unknown[] {
  const receivers: unknown[] = [];
  const add = (receiver: unknown) => {
    if (!receivers.includes(receiver)) receivers.push(receiver);
  };
  for (let i = 0; i < rules.length; i++) {
    const list: unknown = rules[i].receivers ?? [];
    // As flatMap: an array adds its items, anything else adds itself.
    if (!Array.isArray(list)) add(list);
    else for (let k = 0; k < list.length; k++) add(list[k]);
  }
  return receivers;
}

/** `alerts`: Prometheus alerting rules exist for the entity's aliases; optionally labelled and routed to the owner. */
export const alertsCheckType = defineCheckType({
  id: 'alerts',
  description:
    'At least one alerting rule has a `service` label among the aliases; optionally every such rule carries the owner team and routes to a non-default receiver.',
  paramsSchema: z.strictObject({
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
    // Read-only: shared by the checks reading this record.
    const rules = rulesOfRead(read, ctx.subject.aliases);
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
      const wrong: AlertRule[] = [];
      for (let i = 0; i < rules.length; i++)
        if (!team || rules[i].labels?.team !== team) wrong.push(rules[i]);
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
      const unrouted: AlertRule[] = [];
      for (let i = 0; i < rules.length; i++) {
        const r = rules[i];
        if (
          r.defaultReceiver === true ||
          !r.receivers ||
          r.receivers.length === 0
        )
          unrouted.push(r);
      }
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
    const receivers = joinStrings(distinctReceivers(rules), ', ');
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
