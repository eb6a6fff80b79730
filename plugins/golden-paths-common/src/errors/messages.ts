import { formatDate, formatInstant, formatList, formatMoney } from '../format';
import type Decimal from 'decimal.js';

// Every user-facing text of §5, §6.2 and §7.2, word for word. Builders take already-normalized
// values (refs fully qualified, instants ISO) and do the formatting, so a caller cannot render a
// date or an amount differently from the note. Tests compare against the §10 strings.

type Money = Decimal.Value;

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** Dependents a lifecycle gate names before it counts the rest (`and 485 more`). */
const DEPENDENTS_NAMED = 15;

/**
 * The dependents a message names, and the ones it only counts: an entity the caller may not read
 * still blocks, but its name is not the caller's to learn (`Dependent.hidden`).
 */
function namedOrCounted<T extends { hidden?: boolean }>(
  dependents: readonly T[],
  name: (d: T) => string,
): string[] {
  const readable = dependents.filter(d => !d.hidden);
  // A shared service has hundreds of dependents: naming all 500 made a 26,000-character message
  // on the Lifecycle card. The first ones are named as §7.2 says, the rest counted.
  const named = readable.slice(0, DEPENDENTS_NAMED).map(name);
  const hidden = dependents.length - readable.length;
  const notNamed = readable.length - named.length;
  return [
    ...named,
    ...(hidden ? [unseen(hidden, 'entity', 'entities')] : []),
    ...(notNamed ? [`and ${notNamed} more`] : []),
  ];
}

/**
 * What a message counts but may not name, as the lifecycle gates put it: `1 entity you cannot
 * see`, `3 owned resources you cannot see`.
 *
 * @public
 */
export function unseen(count: number, one: string, many: string): string {
  return `${count} ${plural(count, one, many)} you cannot see`;
}

// A config switch need not say when it was thrown; then the kill-switch lines leave the time out
// rather than read "since : …".
const sinceText = (since?: string) =>
  since ? ` since ${formatInstant(since)}` : '';

/**
 * Message builders keyed by rule id.
 *
 * @public
 */
export const gpMessages = {
  k01: (p: { name: string; since?: string; reason: string }) =>
    `GP-K01: Template "${
      p.name
    }" is switched off by the platform team${sinceText(p.since)}: ${
      p.reason
    }. Nothing was created.`,
  /**
   * `stepsRecorded`: whether the ledger holds earlier steps of the request. §5 has one text, V19's
   * mid-run stop ("earlier steps are recorded … and resume"); a run refused before any step
   * recorded anything (validate or ledger:open of a first run) ends as K01/K03 do instead.
   */
  k02: (p: {
    id: string;
    since?: string;
    reason: string;
    step: string;
    key: string;
    stepsRecorded: boolean;
  }) =>
    `GP-K02: Action ${p.id} is switched off by the platform team${sinceText(
      p.since,
    )}: ${p.reason}. Stopped before step "${p.step}"${
      p.stepsRecorded
        ? `; earlier steps are recorded under request "${p.key}" and resume when it is switched back on.`
        : '. Nothing was created.'
    }`,
  k03: (p: { since?: string; reason: string }) =>
    `GP-K03: Golden paths are switched off by the platform team${sinceText(
      p.since,
    )}: ${p.reason}. Nothing was created.`,

  x01: (p: { field: string; detector: string }) =>
    `GP-X01: Field "${p.field}" looks like it contains a secret (${p.detector}). Remove it: golden paths never take secrets as input; credentials are created in the secrets manager and referenced by name.`,
  x02: (p: { template: string; param: string }) =>
    `GP-X02: Template "${p.template}" collects "${p.param}", which looks like a secret. Golden-path templates may not collect secrets; remove the parameter.`,
  x03: (p: { field: string }) =>
    `GP-X03 (warning): Field "${p.field}" contains a long random-looking string; make sure it is not a secret.`,

  v01: (p: { field: string; problem: string; value: string }) =>
    `GP-V01: Field "${p.field}" ${p.problem} (got ${p.value}).`,
  v02: (p: { field: string; kind: string }) =>
    `GP-V02: Field "${p.field}" is not part of a ${p.kind} request; remove it.`,
  v03: (p: { template: string }) =>
    `GP-V03: Template "${p.template}" ships its own catalog-info.yaml; golden-path descriptors are written by goldenpath:descriptor only.`,
  v04: (p: { entityRef: string; error: string }) =>
    `GP-V04: The catalog refused ${p.entityRef}: ${p.error}. The repository exists; fix the descriptor and run again with the same key.`,

  i01: (p: { key: string }) =>
    `GP-I01: Idempotency key "${p.key}" is not valid: use 3–128 characters from a–z, 0–9 and . _ : / - , starting with a letter or digit.`,
  i02: (p: {
    key: string;
    at: string;
    user: string;
    fields: readonly string[];
  }) =>
    `GP-I02: Idempotency key "${p.key}" was used on ${formatDate(p.at)} by ${
      p.user
    } for a different request (differs in: ${formatList(
      p.fields,
    )}). Nothing was changed. Use a new key, or repeat the original inputs to get the original result.`,
  i03: (p: { key: string; taskId: string; startedAt: string }) =>
    `GP-I03: Request "${p.key}" is already running in task ${
      p.taskId
    } (started ${formatInstant(
      p.startedAt,
    )}). Wait for it to finish; nothing was changed.`,
  i04: (p: { key: string; old: string; new: string }) =>
    `GP-I04: Request "${p.key}" started with template version ${p.old}; the template is now ${p.new}. A started request cannot switch versions: compensate it from the request page, or start a new request with a new key.`,
  i05: (p: { step: string; key: string }) =>
    `GP-I05: Step "${p.step}" of request "${p.key}" already ran with different input; it will not run again with new input. Compensate the request or start a new one with a new key.`,

  n01: (p: { name: string; min: number; max: number; suggestion: string }) =>
    `GP-N01: Name "${p.name}" is not allowed: use ${p.min}–${p.max} lowercase letters, digits and single hyphens, starting with a letter (for example "${p.suggestion}").`,
  n02: (p: { name: string; kind: string }) =>
    `GP-N02: Name "${p.name}" is reserved; choose a name that says what the ${p.kind} does.`,
  n03: (p: { name: string; ref: string; owner: string }) =>
    `GP-N03: Name "${p.name}" is already used by ${p.ref} (owner ${p.owner}). Choose another name, or open ${p.ref} if you meant to change it.`,
  n04: (p: { repo: string }) =>
    `GP-N04: Repository ${p.repo} already exists and was not created by this request. Choose another name; nothing was created.`,

  o01: (p: { owner: string }) =>
    `GP-O01: Owner "${p.owner}" is a person; golden paths need an owning team. Pick a Group (for example group:default/checkout-team).`,
  o02: (p: { owner: string }) =>
    `GP-O02: Owner ${p.owner} does not exist in the catalog. Pick an existing team, or ask the platform team to add it first.`,
  o03: (p: { user: string; owner: string; warning: boolean }) =>
    `GP-O03${p.warning ? ' (warning)' : ''}: You (${
      p.user
    }) are not a member of ${
      p.owner
    }. Ask a member to run this template, or ask to be added to the team.`,
  o04: (p: { owner: string }) =>
    `GP-O04 (warning): ${p.owner} has no members in the catalog; nobody there will receive notifications.`,

  s01: (p: { system: string }) =>
    `GP-S01: System ${p.system} does not exist in the catalog. Pick an existing system.`,
  s02: (p: {
    system: string;
    lifecycle: string;
    replacement?: string;
    owner: string;
  }) =>
    `GP-S02: System ${p.system} is ${
      p.lifecycle
    }; new components cannot join it. ${
      p.replacement
        ? `Use its replacement ${p.replacement}.`
        : `Ask its owner ${p.owner} where new work should go.`
    }`,

  t01: (p: { kind: string; owner: string }) =>
    `GP-T01: A tier 1 ${p.kind} needs an on-call rotation, but neither this request nor ${p.owner} names one (ops.example.com/oncall, PagerDuty or Opsgenie). A rotation inherited from a parent group does not count. Add the team's rotation and run again.`,
  t02: (p: { kind: string }) =>
    `GP-T02: A tier 1 ${p.kind} needs a runbook. Choose "generate a runbook stub" or link an existing runbook.`,
  t03: (p: { tier: number; kind: string }) =>
    `GP-T03 (warning): No on-call rotation (or runbook) is set for this tier ${p.tier} ${p.kind}; alerts and responders will have nothing to follow.`,
  t04: (p: { value: string }) =>
    `GP-T04: Runbook link must be an https:// URL (got "${p.value}").`,
  t05: (p: { value: string }) =>
    `GP-T05: On-call "${p.value}" is not recognised; use pagerduty:schedule/<id>, opsgenie:schedule/<name> or static:<name>.`,

  w01: (p: { cron: string }) =>
    `GP-W01: Schedule "${p.cron}" is not a valid 5-field cron expression (minute hour day month weekday, UTC).`,
  w02: (p: { cron: string; minutes: number }) =>
    `GP-W02: Schedule "${p.cron}" runs every ${p.minutes} minutes; the minimum interval is 5 minutes. Use a queue trigger for near-real-time work.`,
  w03: (p: { ref: string }) =>
    `GP-W03: Queue ${p.ref} is not a queue Resource in the catalog.`,

  d01: (p: { ref: string }) =>
    `GP-D01: Component ${p.ref} does not exist in the catalog; a database must belong to a component.`,
  d02: (p: { ref: string; lifecycle: string }) =>
    `GP-D02: Component ${p.ref} is ${p.lifecycle}; new databases cannot be attached to it.`,
  d03: (p: { tier: string; env: string; offered: readonly string[] }) =>
    `GP-D03: Tier ${p.tier} is not offered for environment ${
      p.env
    } (offered: ${formatList(p.offered)}).`,
  d04: (p: { size: string; tier: string; offered: readonly string[] }) =>
    `GP-D04: Size ${p.size} is not offered for tier ${
      p.tier
    } (offered: ${formatList(p.offered)}).`,
  d05: (p: { storage: number; min: number; max: number; tier: string }) =>
    `GP-D05: Storage ${p.storage} GiB is outside ${p.min}–${p.max} GiB for tier ${p.tier}.`,
  d06: (p: { total: Money; tier: string; max: Money }) =>
    `GP-D06: Estimated ${formatMoney(p.total)}/month exceeds the ${
      p.tier
    } limit of ${formatMoney(
      p.max,
    )}/month. Choose a smaller size, less storage or fewer replicas, or ask the platform team about a larger tier.`,
  d07: (p: { date?: string; days?: number }) =>
    `GP-D07: Development databases need an expiry date ${
      // Today or earlier: the limit they missed is the lower one (the spec's text names the upper).
      p.days !== undefined && p.days < 1
        ? 'from tomorrow up to 90 days ahead'
        : 'at most 90 days ahead'
    } (got ${
      p.date === undefined ? 'none' : `${p.date}, ${p.days} days`
    }). They are deleted after that date unless renewed.`,
  d08: (p: { version: string; offered: readonly string[] }) =>
    `GP-D08: PostgreSQL ${p.version} is not offered; choose ${formatList(
      p.offered,
    )}.`,
  d09: (p: { field: string }) =>
    `GP-D09: Databases are never reachable from the internet; remove "${p.field}".`,
  /** The C15 sentence (cost trigger reason, GP-D10). */
  d10: (p: { total: Money; tier: string; threshold: Money }) =>
    `Estimated ${formatMoney(p.total)}/month is above the ${
      p.tier
    } threshold of ${formatMoney(p.threshold)}: an extra approval is required.`,
  d11: () => `GP-D11: Read replicas are offered only on production tiers.`,

  r01: (p: { region: string; offered: readonly string[] }) =>
    `GP-R01: Region ${
      p.region
    } is not offered for golden paths (offered: ${formatList(p.offered)}).`,
  r02: (p: { region: string; reason: string }) =>
    `GP-R02: Region ${p.region} is forbidden for golden paths: ${p.reason}.`,
  r03: (p: {
    classification: string;
    allowed: readonly string[];
    region: string;
  }) =>
    `GP-R03: ${p.classification} data must stay in ${formatList(
      p.allowed,
    )} (got ${p.region}).`,

  u01: (p: { rule: string; source: string }) =>
    `GP-U01: Could not check ${p.rule} because ${p.source} did not answer within 2 s. Nothing was created; try again.`,
  u02: (p: { sku: string }) =>
    `GP-U02: Cannot estimate cost: price-book entry ${p.sku} is missing. Nothing was created; the platform team has to add it.`,

  /** P01–P06: `violation` is one of the §5 phrases, e.g. `has deletion protection off`. */
  p: (p: { n: 1 | 2 | 3 | 4 | 5 | 6; resource: string; violation: string }) =>
    `GP-P0${p.n}: The plan for ${p.resource} ${p.violation}. This is a platform defect; nothing was applied and the platform team was notified.`,
  p07: (p: { planId: string; expiredAt: string }) =>
    `GP-P07: Plan ${p.planId} expired at ${formatInstant(
      p.expiredAt,
    )} (plans live 30 minutes). Run again to plan afresh; an identical plan keeps its approval.`,
  p08: (p: { id: string; server: string }) =>
    `GP-P08: Database ${p.id} already exists on ${p.server} and was not created by this request. Nothing was changed.`,

  e01: (p: { remote: string }) =>
    `GP-E01: The push to ${p.remote} was rejected twice; someone else is writing to it. Run again with the same key to resume.`,
  e02: (p: { entityRef: string; seconds: number }) =>
    `GP-E02: ${p.entityRef} did not appear in the catalog within ${p.seconds} s. The repository exists; run again with the same key to resume.`,

  a01: (p: {
    triggers: readonly string[];
    approvalId: string;
    groups: readonly string[];
  }) =>
    `GP-A01: Approval needed before anything is created: ${p.triggers.join(
      '; ',
    )}. Approval ${p.approvalId} is waiting for ${formatList(
      p.groups,
    )}. When it is approved, press Retry or run the template again with the same inputs.`,
  a02: (p: { group: string; id: string; at: string; reason: string }) =>
    `GP-A02: ${p.group} rejected approval ${p.id} on ${formatDate(p.at)}: "${
      p.reason
    }". Nothing was created. Change the request and run it with a new key.`,
  a03: (p: { oldDigest: string; newDigest: string; newId: string }) =>
    `GP-A03: The plan changed after approval (approved ${digestPrefix(
      p.oldDigest,
    )}…, now ${digestPrefix(p.newDigest)}…); approval ${
      p.newId
    } was requested.`,
  a04: (p: { group: string }) =>
    `GP-A04: You requested this change; someone else from ${p.group} must approve it.`,
  a05: (p: { id: string; at: string }) =>
    `GP-A05: Approval ${p.id} expired on ${formatDate(
      p.at,
    )}; run the template again to request a new one.`,
  a06: (p: { group: string }) =>
    `GP-A06: Nobody other than you can approve this in ${p.group}; ask the platform team to add an approver.`,

  l01: (p: {
    ref: string;
    from: string;
    transition: string;
    allowed: readonly string[];
  }) =>
    `GP-L01: ${p.ref} is ${p.from}; "${
      p.transition
    }" is not allowed from there. Allowed next: ${
      p.allowed.length ? formatList(p.allowed) : 'none'
    }.`,
  l02: (p: {
    min: string;
    ref: string;
    level: string;
    blocking: readonly string[];
  }) =>
    `GP-L02: Promotion to production needs scorecard level ${p.min}; ${
      p.ref
    } is at ${p.level}. Blocking: ${formatList(p.blocking)}.`,
  l03: (p: { check: string; age: string; limit: string }) =>
    `GP-L03: Promotion needs current evidence; ${p.check} is unknown (last evidence ${p.age} old, limit ${p.limit}). Re-run CI or wait for the next collection.`,
  l04: (p: { ref: string }) =>
    `GP-L04: Promotion needs a successful staging deploy in the last 30 days; the change ledger has none for ${p.ref}.`,
  l05: (p: { date?: string; days?: number }) =>
    `GP-L05: Deprecation needs a replacement (an entity, or "none" with a reason) and a sunset date 30–365 days ahead (got ${
      p.date === undefined ? 'none' : `${p.date}, ${p.days} days`
    }).`,
  l06: (p: {
    ref: string;
    dependents: readonly { ref: string; relation: string; hidden?: boolean }[];
  }) =>
    `GP-L06: ${p.ref} cannot be archived while ${plural(
      p.dependents.length,
      '1 entity still depends',
      `${p.dependents.length} entities still depend`,
    )} on it: ${formatList(
      namedOrCounted(p.dependents, d => `${d.ref} (${d.relation})`),
    )}.`,
  l07: (p: { ref: string; client: string; lastSeen: string }) =>
    `GP-L07: ${p.ref} cannot be archived: ${
      p.client
    } called it at ${formatInstant(
      p.lastSeen,
    )} (archive needs 14 days without observed traffic).`,
  l08: (p: { ref: string; route: string }) =>
    `GP-L08: ${p.ref} cannot be archived: no telemetry covers it, so the absence of traffic cannot be shown. Add telemetry, or ask ${p.route} for an exception.`,
  l09: (p: {
    ref: string;
    dependents: readonly {
      ref: string;
      relation: string;
      lifecycle: string;
      hidden?: boolean;
    }[];
  }) =>
    `GP-L09: ${p.ref} cannot be deleted while ${plural(
      p.dependents.length,
      '1 entity depends',
      `${p.dependents.length} entities depend`,
    )} on it in the catalog graph: ${formatList(
      namedOrCounted(
        p.dependents,
        d => `${d.ref} (${d.relation}, ${d.lifecycle})`,
      ),
    )}. Delete or re-point ${plural(p.dependents.length, 'it', 'them')} first.`,
  l10: (p: { ref: string; archivedOn: string; deletableFrom: string }) =>
    `GP-L10: ${p.ref} was archived on ${p.archivedOn}; it can be deleted from ${p.deletableFrom} (30 days in archive).`,
  l11: (p: { ref: string; holds: readonly string[] }) =>
    `GP-L11: ${p.ref} still holds ${formatList(
      p.holds,
    )}. Delete or reassign them first.`,
  l12: (p: { ref: string }) =>
    `GP-L12: ${p.ref} was not created by a golden path, so its descriptor cannot be changed here; use its repository's own process.`,
  l13: (p: { ref: string; date: string }) =>
    `GP-L13: ${p.ref} reaches its sunset date on ${p.date}; archiving earlier needs an approved exception.`,
} as const;

/** First 12 hex characters of a `sha256:` digest, as GP-A03 shows them. */
export function digestPrefix(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}
