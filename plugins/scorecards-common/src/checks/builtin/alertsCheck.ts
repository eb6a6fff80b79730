import { z } from 'zod';
import { joinStrings } from '../../model/joinStrings';
import { refName } from '../../catalog/entityRefs';
import {
  evidenceEntry,
  outcome,
  unknownFromReads,
} from '../../evidence/outcomes';
import { EvidenceRead } from '../../evidence/readEvidence';
import {
  EvidenceUsed,
  MissingEvidence,
  RawOutcome,
} from '../../model/resultModel';
import { CheckContext, defineCheckType } from '../checkType';
import {
  describeOwnerProblem,
  OwnerResolution,
  resolveOwner,
} from '../ownerGroup';

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

/** Rule names as messages list them. */
function ruleNames(rules: readonly AlertRule[]): string {
  let text = '';
  for (let i = 0; i < rules.length; i++)
    text = i === 0 ? rules[i].name ?? '?' : `${text}, ${rules[i].name ?? '?'}`;
  return text;
}

/** The distinct team labels of rules, as messages list them. */
function teamsOf(rules: readonly AlertRule[]): string {
  return [...new Set(rules.map(r => r.labels?.team ?? '(none)'))].join(', ');
}

interface Mismatch {
  message: string;
  teams: string;
}

/**
 * Rules whose `team` label is not the owner Group's `metadata.name` as declared, compared
 * exactly: Alertmanager matchers are case-sensitive, so `team=Ref-Team` does not reach a route
 * for `ref-team` (README, decisions). An owner that is no Group fails every rule (SR3).
 */
function teamMismatch(
  owner: OwnerResolution,
  rules: readonly AlertRule[],
): Mismatch | null {
  const team = owner.status === 'group' ? groupName(owner) : null;
  const wrong: AlertRule[] = [];
  for (let i = 0; i < rules.length; i++)
    if (team === null || rules[i].labels?.team !== team) wrong.push(rules[i]);
  if (wrong.length === 0) return null;
  const teams = teamsOf(wrong);
  return {
    teams,
    message:
      team !== null
        ? `${wrong.length} alert rule(s) say team ${teams}; expected team ${team}.`
        : `Alert rules say team ${teams}, but ${describeOwnerProblem(
            owner,
          )}; expected the owner Group's name.`,
  };
}

/** The declared name of a resolved owner Group (its ref's name for odd metadata). */
function groupName(owner: OwnerResolution & { status: 'group' }): string {
  const name = owner.group.metadata?.name;
  return typeof name === 'string' && name ? name : refName(owner.ref);
}

/**
 * With a stale snapshot the owner Group cannot be read, but its name is that of `spec.owner`
 * up to case: a rule without a team label, or with one that differs from that name in more
 * than case, cannot match whatever the snapshot holds — a fail on fresh evidence.
 */
function staleTeamMismatch(
  ctx: CheckContext,
  rules: readonly AlertRule[],
): Mismatch | null {
  const ownerRef = ctx.subject.ownerRef;
  if (!ownerRef) return null;
  const name = refName(ownerRef);
  const wrong: AlertRule[] = [];
  for (let i = 0; i < rules.length; i++) {
    const team = rules[i].labels?.team;
    if (typeof team !== 'string' || team.toLowerCase() !== name)
      wrong.push(rules[i]);
  }
  if (wrong.length === 0) return null;
  const teams = teamsOf(wrong);
  return {
    teams,
    message: `${wrong.length} alert rule(s) say team ${teams}; expected team ${name} (the name of ${ownerRef}).`,
  };
}

/** An unknown outcome with one more missing input, its message naming every one. */
function withMissing(
  unknown: RawOutcome | null,
  expected: string,
  evidence: EvidenceUsed[],
  missing: MissingEvidence,
): RawOutcome {
  const all = unknown ? [...unknown.missing, missing] : [missing];
  return outcome(
    'unknown',
    unknown?.reason ?? 'SOURCE_UNAVAILABLE',
    `Cannot decide: ${all.map(m => m.hint).join('; ')}; expected ${expected}.`,
    expected,
    unknown ? `${unknown.found}; routing not known` : 'routing not known',
    unknown?.evidence ?? evidence,
    all,
  );
}

/** `alerts`: Prometheus alerting rules exist for the entity's aliases; optionally labelled and routed to the owner. */
export const alertsCheckType = defineCheckType({
  id: 'alerts',
  notesTimeLimits: true,
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
    // §2.5: a fail decided by fresh evidence comes before any unknown, so the owner (which
    // needs the snapshot) and the routing (which needs Alertmanager) are each judged first for
    // what fresh evidence already settles; what neither settles is gathered into one unknown.
    let unknown: RawOutcome | null = null;
    if (p.requireTeamLabel) {
      const owner = resolveOwner(ctx, expected);
      const mismatch =
        owner.status === 'catalog-stale'
          ? staleTeamMismatch(ctx, rules)
          : teamMismatch(owner, rules);
      if (mismatch) {
        return outcome(
          'fail',
          'ALERT_TEAM_MISMATCH',
          mismatch.message,
          expected,
          `team ${mismatch.teams}`,
          // With a stale snapshot the fail rests on spec.owner, the entity's own record.
          owner.status === 'catalog-stale'
            ? [...evidence, ctx.ownCatalogEvidence()]
            : [...evidence, ctx.snapshotEvidence()],
        );
      }
      if (owner.status === 'catalog-stale') unknown = owner.outcome;
    }
    if (p.requireRoute) {
      const unrouted: AlertRule[] = [];
      const unknownRoute: AlertRule[] = [];
      for (let i = 0; i < rules.length; i++) {
        const r = rules[i];
        const receivers = r.receivers;
        if (r.defaultReceiver === true) unrouted.push(r);
        // null: the collector knows no Alertmanager, so the routing was not collected.
        else if (!Array.isArray(receivers)) unknownRoute.push(r);
        else if (receivers.length === 0) unrouted.push(r);
      }
      if (unrouted.length > 0) {
        return outcome(
          'fail',
          'ALERT_UNROUTED',
          `${ruleNames(
            unrouted,
          )} route to the default receiver; expected a receiver of the owner.`,
          expected,
          `${unrouted.length} unrouted`,
          evidence,
        );
      }
      if (unknownRoute.length > 0) {
        unknown = withMissing(unknown, expected, evidence, {
          source: read.source,
          kind: 'alerts.rules',
          cause: 'not-collected',
          ...(read.ageSeconds !== null ? { ageSeconds: read.ageSeconds } : {}),
          ...(read.windowSeconds !== null
            ? { freshForSeconds: read.windowSeconds }
            : {}),
          hint: `Alertmanager routing of ${ruleNames(
            unknownRoute,
          )} is not known (${
            read.source
          } reports no receivers: no Alertmanager is configured for it)`,
        });
      }
    }
    if (unknown) return unknown;
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
