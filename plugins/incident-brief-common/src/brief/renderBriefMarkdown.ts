import { ImpactedEntity, PathStep } from '../blastRadius/types';
import { confirmedPercent } from './confirmedPercent';
import { ChangeRecord, FlagAttrs } from '../changes/types';
import { displayOwner, displayRef, refName } from '../refs/entityRefs';
import {
  formatAge,
  formatClock,
  formatClockAt,
  formatMinute,
  formatRelative,
  formatShiftEnd,
} from './formatTimes';
import {
  codeSpan,
  escapeHeading,
  escapeMarkdown,
  markdownLink,
  markedText,
} from './markdownText';
import { IncidentBrief } from './types';
import type { EscalationStep } from '../ownership/types';

export { escapeMarkdown };

/** Rows shown per list before `+N more` (§6.3). */
export const MARKDOWN_LIST_LIMIT = 15;

/**
 * An on-call answer older than the live answer cache (60 s, §1 freshness classes) shows its age
 * next to the name (§0: live facts are shown with their age); a live one reads as in §6.3.
 */
export const ONCALL_AGE_SHOWN_AFTER_MS = 60_000;

/**
 * Observed edges whose last collection is older than this show "observed edges last collected X
 * ago" (R17; `ours`: three runs of the 5-minute service-graph collector). Fresher collections are
 * the normal state of the recent index (§1) and add no line, as in §6.3.
 */
export const OBSERVED_EDGES_AGE_SHOWN_AFTER_MS = 15 * 60_000;

/** Data as escaped inline text (see `markdownText.ts`). */
const text = escapeMarkdown;
/** A ref of the data in its display form, as escaped text. */
const ref = (r: string) => text(displayRef(r));
/** An owner (group or user) in its display form, as escaped text. */
const ownerName = (r: string) => text(displayOwner(r));

const CUSTOMER_FACING_TEXT: Record<string, string> = {
  true: 'customer-facing',
  false: 'internal',
  null: 'customer-facing unknown',
};
const CF_CELL: Record<string, string> = { true: 'yes', false: 'no', null: '?' };
const escalationText = (
  s: { type: 'oncall'; source: string } | { type: 'user'; name: string },
) => text(s.type === 'oncall' ? s.source : s.name);
const count = (n: number) => n.toLocaleString('en-US');
/** `1 hop`, `3 hops` (IB §5's headings are written for the default 3). */
const hopsText = (n: number) => `${n} ${n === 1 ? 'hop' : 'hops'}`;
/** `+N more` for the items of a list beyond {@link MARKDOWN_LIST_LIMIT}. */
const more = (total: number) => `+${count(total - MARKDOWN_LIST_LIMIT)} more`;
/** At most {@link MARKDOWN_LIST_LIMIT} items, then `+N more` (§6.3). */
const capped = (items: string[]) =>
  items.length > MARKDOWN_LIST_LIMIT
    ? [...items.slice(0, MARKDOWN_LIST_LIMIT), more(items.length)]
    : items;
const byCountThenName = (map: Record<string, number>) =>
  Object.entries(map).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
const apiNames = (reasons: string[]) =>
  reasons
    .filter(r => r.startsWith('consumesApi:'))
    .map(r => text(refName(r.slice('consumesApi:'.length))));

/** The edge column of a path step; sightings are shown next to T (`formatClockAt`). */
function edgeLabel(step: PathStep, T: string): string {
  const evidence =
    step.evidence === 'both' ? 'declared+observed' : step.evidence;
  const apis = apiNames(step.reasons);
  let out = `${evidence}${apis.length ? ` (${apis.join(', ')})` : ''}`;
  if (step.observation === 'fresh')
    out += `, seen ${formatClockAt(step.lastSeen!, T)}`;
  else if (step.observation === 'stale')
    out += `, stale (seen ${formatClockAt(step.lastSeen!, T, true)})`;
  else if (step.observation === 'unverifiable')
    out += ', unverifiable (no telemetry)';
  else out += ', not observed';
  if (step.interaction === 'async') out += ', async';
  if (step.drift === 'undeclared') out += ' ⚠ not declared';
  if (step.drift === 'unobserved') out += ' ⚠ not observed';
  return out;
}

function entityCell(i: ImpactedEntity): string {
  return `${ref(i.ref)}${i.deprecated ? ' (deprecated)' : ''}${
    i.resolved ? '' : ' (unresolved)'
  }`;
}

function pathCell(i: ImpactedEntity): string {
  const last = i.path[i.path.length - 1];
  if (!last) return ref(i.ref);
  const previous = ref(last.to);
  return `${i.path.length > 1 ? '… ← ' : ''}${previous} ← ${ref(i.ref)}`;
}

function dependencyItem(i: ImpactedEntity): string {
  const name = ref(i.ref);
  if (!i.resolved)
    return `${name} (${i.kind === 'api' ? 'no provider' : 'unresolved'})`;
  const step = i.path[i.path.length - 1];
  // A redacted (restricted) entity has no path to describe.
  if (!step) return name;
  if (step.drift === 'undeclared') return `${name} ⚠ observed, not declared`;
  if (step.drift === 'unobserved') return `${name} ⚠ declared, not observed`;
  if (step.observation === 'fresh') return `${name} ✓`;
  return `${name} (${step.evidence}, ${
    step.observation === 'none' ? 'not observed' : step.observation
  })`;
}

/**
 * "Observed edges last collected X ago" (R17) when the last collection is older than
 * {@link OBSERVED_EDGES_AGE_SHOWN_AFTER_MS} at the brief's `now`, or never happened; else null.
 */
function observedEdgesLine(
  collectedAt: string,
  evaluatedAt: string,
): string | null {
  const collected = Date.parse(collectedAt);
  if (Number.isNaN(collected)) return 'Observed edges never collected';
  if (Date.parse(evaluatedAt) - collected <= OBSERVED_EDGES_AGE_SHOWN_AFTER_MS)
    return null;
  return `Observed edges last collected ${formatAge(
    collectedAt,
    evaluatedAt,
  )} (${formatMinute(collectedAt)})`;
}

function changeLabel(c: ChangeRecord): string {
  if (c.kind === 'feature-flag') return (c.attributes as FlagAttrs).flagKey;
  return c.version ?? c.ref;
}

/**
 * Renders the brief as markdown (§6.3): fixed section order, ≤ 15 rows per list, times relative
 * to T, short display refs, escaped data, no secrets. Only the `generated` time varies (R19).
 */
export function renderBriefMarkdown(brief: IncidentBrief): string {
  const { header, owner, blastRadius: br, dependencies: deps, changes } = brief;
  const T = header.incidentTime;
  const lines: string[] = [];

  // 1. header
  lines.push(
    `### Incident brief: ${escapeHeading(header.title)}${
      header.aliasMatched ? ` (via alias ${codeSpan(header.aliasMatched)})` : ''
    }`,
  );
  lines.push(
    [
      codeSpan(header.ref),
      header.tier ? `tier ${header.tier}` : 'tier unknown',
      CUSTOMER_FACING_TEXT[String(header.customerFacing)],
      header.lifecycle === null ? 'lifecycle unknown' : text(header.lifecycle),
      ...(header.system ? [`system ${text(refName(header.system))}`] : []),
      ...(header.domain ? [`domain ${text(refName(header.domain))}`] : []),
      ...(header.regions.length ? [header.regions.map(text).join(', ')] : []),
    ].join(' · '),
  );
  const c = brief.confidence;
  lines.push(
    `Incident time ${formatMinute(T)} · generated ${formatClock(
      header.generatedAt,
    )} · confidence **${c.overall}** (owner ${c.owner} · blast radius ${
      c.blastRadius
    } · changes ${c.changes})`,
  );
  lines.push('');

  // 2. owner & escalation
  let ownerText: string;
  if (!owner.owner.ref || !owner.owner.resolved)
    ownerText = `${
      owner.owner.ref ? text(owner.owner.ref) : 'none'
    } (unresolved)`;
  else if (owner.owner.kind === 'user')
    ownerText = `${ownerName(owner.owner.ref)} (individual)`;
  else {
    const n = owner.owner.membersCount ?? 0;
    ownerText = `${ownerName(owner.owner.ref)} (${n} member${
      n === 1 ? '' : 's'
    })`;
  }
  const onCall = owner.onCall;
  // an answer from cache or a prefetch is shown with its age (§0); a live one as in §6.3
  const fetched =
    onCall?.fetchedAt &&
    Date.parse(header.evaluatedAt) - Date.parse(onCall.fetchedAt) >=
      ONCALL_AGE_SHOWN_AFTER_MS
      ? `, fetched ${formatAge(onCall.fetchedAt, header.evaluatedAt)}`
      : '';
  const names = owner.onCallNames;
  // the secondary as the card shows it (§6.2 item 2: primary/secondary); the §6.3 example has none
  const secondary = names?.secondary
    ? ` · ${text(names.secondary)} (secondary)`
    : '';
  const onCallText =
    onCall && names
      ? `${text(names.primary)} (primary, ${text(onCall.source)}${
          onCall.label ? `, ${text(onCall.label)}` : ''
        }${fetched}, until ${formatShiftEnd(onCall.until, T)})${secondary}`
      : 'unknown';
  lines.push(`**Owner** ${ownerText} · **on call now** ${onCallText}`);
  const groupStepText = (s: Extract<EscalationStep, { type: 'group' }>) => {
    if (s.onCall) return `${ownerName(s.ref)} on-call (${text(s.onCall)})`;
    if (s.members?.length)
      return `${ownerName(s.ref)} members (${s.members.map(text).join(', ')})`;
    return `${ownerName(s.ref)} on-call`;
  };
  const escalation = owner.escalation.map((s, i) => {
    const step = s.type === 'group' ? groupStepText(s) : escalationText(s);
    return `${i + 1}. ${step}`;
  });
  lines.push(
    `Escalation: ${
      escalation.length ? escalation.join(' → ') : 'none declared'
    }`,
  );
  const contact = [
    `Chat ${
      owner.chatChannel
        ? text(owner.chatChannel.replace(/^slack:/, ''))
        : 'none'
    }`,
    ...(owner.runbook ? [markdownLink('runbook', owner.runbook)] : []),
    ...owner.dashboards.map(d => markdownLink('dashboard', d)),
    ...(owner.triage ? [markdownLink('triage view', owner.triage)] : []),
    ...owner.incidentLinks.map(l => `${l.tool} ${text(l.value)}`),
  ];
  lines.push(contact.join(' · '));
  lines.push('');

  // 3. blast radius
  // Rounded down (confirmedPercent), as the card shows it.
  const percent = confirmedPercent(br.edgeStats, br.confidence.ratio);
  const pct = percent === undefined ? 'unknown' : `${percent} %`;
  lines.push(
    `**Blast radius (dependents, ${hopsText(br.hops)}): ${count(
      br.counts.total,
    )}** · tier 1: ${br.counts.byTier[1]} · customer-facing: ${
      br.counts.customerFacing
    } · immediate: ${br.counts.immediate}${
      br.counts.deferred ? ` · deferred: ${br.counts.deferred}` : ''
    } · unresolved: ${br.counts.unresolved} · edges confirmed ${
      br.edgeStats.confirmed
    }/${br.edgeStats.examined} (${pct})`,
  );
  lines.push('');
  if (br.impacted.length) {
    lines.push(
      '| hop | entity | tier | CF | path | edge |',
      '|---|---|---|---|---|---|',
    );
    for (const i of br.impacted.slice(0, MARKDOWN_LIST_LIMIT)) {
      const cf = CF_CELL[String(i.customerFacing)];
      const last = i.path[i.path.length - 1];
      lines.push(
        `| ${i.hop} | ${entityCell(i)} | ${i.tier ?? '—'} | ${cf} | ${pathCell(
          i,
        )} | ${last ? edgeLabel(last, T) : ''} |`,
      );
    }
    const shown = Math.min(br.impacted.length, MARKDOWN_LIST_LIMIT);
    // a blank line first: a line right under a table is one more row of it (GFM)
    if (br.counts.total > shown)
      lines.push('', `+${count(br.counts.total - shown)} more`);
    lines.push('');
  }
  // the first 15 entry points, grouped by entity, then how many more
  const entryPoints = new Map<string, string[]>();
  for (const e of br.entryPoints.slice(0, MARKDOWN_LIST_LIMIT))
    entryPoints.set(e.ref, [...(entryPoints.get(e.ref) ?? []), e.entryPoint]);
  const entryParts = [...entryPoints].map(
    ([r, eps]) => `${ref(r)} ${eps.map(text).join(', ')}`,
  );
  if (br.entryPoints.length > MARKDOWN_LIST_LIMIT)
    entryParts.push(more(br.entryPoints.length));
  lines.push(`Entry points: ${entryParts.join(' · ') || 'none'}`);
  const regions = capped(
    byCountThenName(br.counts.regions).map(([r, n]) => `${text(r)} (${n})`),
  );
  const data = capped(
    byCountThenName(br.counts.dataDomains).map(([d]) => text(d)),
  );
  // sorted by the display name, escaped afterwards
  const teams = capped(
    Object.keys(br.counts.byOwner).map(displayOwner).sort().map(text),
  );
  lines.push(
    `Regions: ${regions.join(', ') || 'none'} · Data: ${
      data.join(', ') || 'none'
    } · Teams to notify: ${teams.join(', ') || 'none'}`,
  );
  const observedLine = observedEdgesLine(
    br.asOf.observedEdges,
    header.evaluatedAt,
  );
  if (observedLine) lines.push(observedLine);
  if (br.cycles.length)
    lines.push(
      `Cycles: ${capped(br.cycles.map(cy => cy.map(ref).join(' → '))).join(
        '; ',
      )}`,
    );
  if (br.beyondLimit)
    lines.push(
      `Beyond ${hopsText(br.hops)}: ${count(br.beyondLimit)} more dependents`,
    );
  lines.push('');

  // 4. dependencies
  const hops = new Map<number, ImpactedEntity[]>();
  for (const d of deps.impacted)
    hops.set(d.hop, [...(hops.get(d.hop) ?? []), d]);
  const parts: string[] = [];
  for (const [hop, list] of [...hops].sort((a, b) => a[0] - b[0])) {
    const items = list.slice(0, MARKDOWN_LIST_LIMIT).map(dependencyItem);
    if (list.length > MARKDOWN_LIST_LIMIT)
      items.push(`+${count(list.length - MARKDOWN_LIST_LIMIT)} more`);
    parts.push(
      hop === 1 ? items.join(' · ') : `hop ${hop}: ${items.join(', ')}`,
    );
  }
  const unmapped = brief.unmappedTelemetry.map(
    u =>
      `unmapped ${u.role}${
        u.ref === header.ref ? '' : ` of ${ref(u.ref)}`
      }: ${codeSpan(u.name)}`,
  );
  lines.push(
    `**Depends on (${hopsText(deps.hops)})** ${
      [...parts, ...unmapped].join(' · ') || noDependenciesText(deps)
    }`,
  );
  lines.push('');

  // 5. changes
  lines.push(
    `**Changes ${formatMinute(changes.window.from)} → ${formatClock(
      changes.window.to,
    )} (self + dependencies ≤ ${hopsText(changes.dependencyHops)})**`,
  );
  lines.push('');
  if (changes.items.length) {
    lines.push(
      '| when | entity | kind | change | actor | status | risk |',
      '|---|---|---|---|---|---|---|',
    );
    // a ⚑ change (running at T, in progress, just before it) is shown past the limit too: it is
    // what the responder pasting this is looking for
    const listed = changes.items.filter(
      (item, i) => i < MARKDOWN_LIST_LIMIT || item.highlighted,
    );
    for (const item of listed) {
      const ch = item.change;
      const where =
        item.hop > 0
          ? ` (hop ${item.hop}${item.viaObservedOnly ? ', observed' : ''})`
          : '';
      lines.push(
        `| ${formatClock(ch.effectiveAt)} (${formatRelative(
          ch.effectiveAt,
          T,
        )})${item.highlighted ? ' ⚑' : ''} | ${ref(
          item.entityRef,
        )}${where} | ${text(ch.kind)} | ${text(ch.summary)} | ${text(
          ch.actor.id,
        )} | ${text(ch.status)} | ${
          item.risk ? `${item.risk.tier} ${item.risk.score}` : '—'
        } |`,
      );
    }
    if (changes.items.length > listed.length)
      lines.push('', `+${count(changes.items.length - listed.length)} more`);
  } else {
    lines.push('No changes in the window.');
  }
  lines.push('');
  const last = changes.lastChange;
  const deploy = changes.lastSuccessfulDeploy;
  lines.push(
    `Last change: ${
      last
        ? `${text(last.kind)} ${text(changeLabel(last))} (${formatClockAt(
            last.effectiveAt,
            T,
            true,
          )})`
        : 'none'
    } · last successful deploy: ${
      deploy
        ? `${text(changeLabel(deploy))} (finished ${formatClockAt(
            deploy.finishedAt ?? deploy.effectiveAt,
            T,
            true,
          )})`
        : 'none'
    }`,
  );
  lines.push('');

  // 6. missing evidence
  lines.push('**Missing evidence**');
  const missing = brief.missingEvidence;
  if (!missing.length) lines.push('- none');
  // each line with the number of items it stands for, so `+N more` counts items, not lines
  const rows: { line: string; items: number; pinned: boolean }[] = [];
  const joined = new Set(['EDGE_UNVERIFIABLE']);
  const done = new Set<string>();
  for (const item of missing) {
    if (joined.has(item.code)) {
      if (done.has(item.code)) continue;
      done.add(item.code);
      const all = missing.filter(m => m.code === item.code);
      // only the shown messages are rendered: R6 has 10,000 of them
      const shown = all
        .slice(0, MARKDOWN_LIST_LIMIT)
        .map(m => markedText(m.message));
      if (all.length > MARKDOWN_LIST_LIMIT) shown.push(more(all.length));
      rows.push({
        line: `- ${item.code} ${shown.join('; ')}.`,
        items: all.length,
        pinned: all.some(m => m.severity !== 'info'),
      });
      continue;
    }
    rows.push({
      line: `- ${item.code} ${markedText(item.message)}${
        item.fix ? ` Fix: ${markedText(item.fix)}` : ''
      }`,
      items: 1,
      pinned: item.severity !== 'info',
    });
  }
  // Past the limit the 15 lines listed are chosen warnings first (15 stale-edge notes, info,
  // sort before a ledger warning by code and would hide it), and listed in the brief's order.
  const chosen = new Set(
    rows
      .map((r, i) => ({ r, i }))
      .sort((a, b) => Number(b.r.pinned) - Number(a.r.pinned) || a.i - b.i)
      .slice(0, MARKDOWN_LIST_LIMIT)
      .map(({ r }) => r),
  );
  const listedRows = rows.filter(r => chosen.has(r));
  lines.push(...listedRows.map(r => r.line));
  const hidden = rows
    .filter(r => !listedRows.includes(r))
    .reduce((n, r) => n + r.items, 0);
  if (hidden) lines.push(`- +${count(hidden)} more`);
  return `${lines.join('\n')}\n`;
}

/**
 * An empty dependency list: without dependency evidence (confidence unknown: nothing declared
 * could be checked against telemetry) it proves nothing, and the pasted brief says so (§0).
 */
function noDependenciesText(deps: IncidentBrief['dependencies']): string {
  return deps.confidence.level === 'unknown'
    ? 'nothing declared or observed (no dependency evidence: this proves nothing)'
    : 'nothing declared or observed';
}
