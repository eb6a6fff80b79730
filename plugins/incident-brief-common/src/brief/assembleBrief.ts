import { computeBlastRadius } from '../blastRadius/computeBlastRadius';
import { toBlastRadiusAnswer } from '../blastRadius/toBlastRadiusAnswer';
import {
  compareChanges,
  findLastChange,
  findLastSuccessfulDeploy,
} from '../changes/orderChanges';
import { resolveChangeSubject } from '../changes/resolveChangeSubject';
import {
  ChangeScopeEntry,
  selectChangesInWindow,
} from '../changes/selectChangesInWindow';
import {
  LedgerHistoryLookup,
  asOf,
  succeededAsOf,
  recordedBefore,
} from '../changes/ledgerHistory';
import { ChangeRecord } from '../changes/types';
import { GraphIndex } from '../graph/GraphIndex';
import { readTitle } from '../graph/entityMetadata';
import { parseInstant } from '../time/parseInstant';
import { displayRef, normalizeRef, refFromSpecOf } from '../refs/entityRefs';
import { EntityLookup, resolveOwnership } from '../ownership/resolveOwnership';
import { OnCallLookup } from '../ownership/types';
import { deriveChangeRiskInput } from '../risk/deriveChangeRiskInput';
import { scoreChangeRisk } from '../risk/scoreChangeRisk';
import { ChangeRisk, ChangeRiskInput, UNKNOWN_HEALTH } from '../risk/types';
import { allPages } from './allPages';
import { collectEdgeEvidenceGaps } from './collectEdgeEvidenceGaps';
import { hopZeroOf } from './hopZero';
import { codeSpan } from './markdownText';
import {
  MISSING_EVIDENCE_ORDER,
  MissingEvidence,
} from './missingEvidenceTypes';
import { ownerSectionOf } from './ownerSection';
import {
  lowestConfidence,
  rateChangesConfidence,
} from './rateSectionConfidence';
import { IncidentBrief } from './types';

const DAY = 24 * 3600_000;

/** Everything {@link assembleBrief} reads; the backend fetches it, the assembly stays pure. */
export interface BriefInput {
  entityRef: string;
  aliasMatched?: string;
  index: GraphIndex;
  lookup: EntityLookup;
  onCall: OnCallLookup;
  /** ledger records of the root and its in-scope dependencies */
  ledger: ChangeRecord[];
  /**
   * what the ledger knows of an entity beyond `ledger` (older records): whether it ever had a
   * record (`LEDGER_NO_COVERAGE`), its last change and last successful deploy when `ledger`
   * holds none, and its history for D3 and D6 of a change's risk
   */
  ledgerHistory?: LedgerHistoryLookup;
  /** incident time T; this and the next two are ISO-8601 instants with a zone, else a 400 */
  at: string;
  /** the time freshness and ages are evaluated against (`header.evaluatedAt`) */
  now: string;
  generatedAt: string;
  windowMs?: number;
  hops?: number;
  dependencyHops?: number;
  environment?: string;
  resolveAlias?: (alias: string) => string | null;
  /** SLO health of an entity at a time; used to score records stored without risk */
  healthOf?: (ref: string, at: string) => ChangeRiskInput['health'];
}

/** The first of some records in ledger order (§4.3), or null. */
function latestOf(records: (ChangeRecord | null)[]): ChangeRecord | null {
  const present = records.filter((r): r is ChangeRecord => r !== null);
  return present.length ? present.sort(compareChanges)[0] : null;
}

/**
 * What NO_TELEMETRY says for a root of `kind` with or without hop-0 members (`hopZeroOf`). An
 * API is observed only through its providers: "instrument the service" would name the API entity.
 */
function noTelemetryText(
  root: string,
  kind: string,
  withMembers: boolean,
): { message: string; fix: string } {
  const name = displayRef(root);
  if (kind !== 'api') {
    return {
      message: withMembers
        ? `no member of ${name} has fresh service-graph telemetry.`
        : `${name} has no fresh service-graph telemetry.`,
      fix: 'instrument the service or add its telemetry name as an alias',
    };
  }
  return withMembers
    ? {
        message: `no provider of ${name} has fresh service-graph telemetry.`,
        fix: 'instrument its providers or add their telemetry names as aliases',
      }
    : {
        message: `${name} has no provider whose service-graph telemetry could be read.`,
        fix: 'declare the Component that provides it (spec.providesApis)',
      };
}

/**
 * Assembles the incident brief (§6.1, §6.2) from the index, the catalog, prefetched on-call
 * answers and the ledger. Deterministic for the same inputs except `generatedAt` (R19). The brief
 * of a System reads its members as hop 0 (R18), the brief of an API its providers (`hopZeroOf`):
 * their changes, last change, telemetry and ledger coverage are the root's. Unreadable or
 * zone-less times throw `BlastRadiusInputError` (400).
 */
export function assembleBrief(input: BriefInput): IncidentBrief {
  // the caller's times, checked before anything reads them (400, not a RangeError or NaN)
  const nowMs = parseInstant('now', input.now);
  const atMs = parseInstant('at', input.at);
  parseInstant('generatedAt', input.generatedAt);
  const root = normalizeRef(input.entityRef);
  const entity = input.lookup(root);
  const id = input.index.idOf(root);
  if (!entity || id < 0) throw new Error(`entity ${root} not found`);
  const node = input.index.node(id, nowMs);
  // A System is the multi-source search of its members (R18): they sit at hop 0 with the root,
  // so their changes, telemetry and ledger coverage are the System's own (§4.4, §6.5); an API's
  // providers likewise (hopZeroOf).
  const { refs: hop0, members, role } = hopZeroOf(input.index, root);
  const membersWord = role === 'provider' ? 'providers' : 'members';
  const dependencyHops = input.dependencyHops ?? 2;
  const windowMs = input.windowMs ?? DAY;
  const environment = input.environment ?? 'production';

  const blastRadius = computeBlastRadius(
    input.index,
    [root],
    { hops: input.hops ?? 3 },
    input.now,
  );
  const dependencies = allPages(
    input.index,
    root,
    { direction: 'dependencies', hops: dependencyHops },
    input.now,
  );

  const { owner, confidence: ownerLevel } = ownerSectionOf(
    entity,
    input.lookup,
    input.onCall,
    dependencies,
  );

  const scope = new Map<string, ChangeScopeEntry>(
    hop0.map(ref => [ref, { hop: 0, path: [] }]),
  );
  for (const d of dependencies.impacted) {
    if (d.resolved && !scope.has(d.ref)) {
      scope.set(d.ref, { hop: d.hop, path: d.path });
    }
  }
  const ledger = input.ledger.filter(r => r.environment === environment);
  const riskOf = (record: ChangeRecord): ChangeRisk | null => {
    if (record.risk) return record.risk;
    const ref = resolveChangeSubject(record, input.resolveAlias);
    const subject = ref ? input.lookup(ref) : undefined;
    if (!ref || !subject || input.index.idOf(ref) < 0) return null;
    return scoreChangeRisk(
      deriveChangeRiskInput({
        change: { ...record, entityRef: ref },
        index: input.index,
        ledger,
        history: input.ledgerHistory?.(ref),
        ownership: resolveOwnership(subject, input.lookup, input.onCall),
        health: input.healthOf?.(ref, record.effectiveAt) ?? UNKNOWN_HEALTH,
        resolveAlias: input.resolveAlias,
      }),
    );
  };
  const items = selectChangesInWindow({
    records: ledger,
    scope,
    at: input.at,
    windowMs,
    environment,
    now: input.now,
    resolveAlias: input.resolveAlias,
  }).map(item => ({ ...item, risk: riskOf(item.change) }));

  const unmappedTelemetry = [
    ...hop0,
    ...dependencies.impacted.map(d => d.ref),
  ].flatMap(ref => {
    const nid = input.index.idOf(ref);
    return input.index
      .unmappedOf(nid)
      .filter(
        u => nowMs - Date.parse(u.lastSeen) <= input.index.options.retainForMs,
      )
      .map(u => ({ ref: u.ref, name: u.name, role: u.role }));
  });

  // --- missing evidence
  const missing: MissingEvidence[] = [...owner.issues];
  const kind = node.kind;
  if (
    (kind === 'component' || kind === 'resource' || kind === 'system') &&
    node.tier === null
  ) {
    missing.push({
      code: 'TIER_MISSING',
      severity: 'warn',
      subject: root,
      message: `${displayRef(root)} has no tier label.`,
      fix: 'add label ops.example.com/tier',
    });
  }
  if (
    (kind === 'component' || kind === 'resource') &&
    node.customerFacing === null
  ) {
    missing.push({
      code: 'CUSTOMER_FACING_MISSING',
      severity: 'info',
      subject: root,
      message: `${displayRef(
        root,
      )} does not say whether it is customer-facing.`,
      fix: 'add label ops.example.com/customer-facing',
    });
  }
  const hasTelemetry = members.length
    ? members.some(m => input.index.hasPresence(input.index.idOf(m), nowMs))
    : node.telemetryPresence;
  if (!hasTelemetry) {
    missing.push({
      code: 'NO_TELEMETRY',
      severity: 'warn',
      subject: root,
      ...noTelemetryText(root, kind, members.length > 0),
    });
  }
  for (const conflict of input.index.aliasConflicts.filter(c =>
    c.refs.includes(root),
  )) {
    missing.push({
      code: 'ALIAS_CONFLICT',
      severity: 'warn',
      subject: root,
      message: `alias ${codeSpan(conflict.alias)} is claimed by ${conflict.refs
        .map(displayRef)
        .join(', ')} and maps to none.`,
      fix: 'keep the alias on one entity',
    });
  }
  missing.push(
    ...collectEdgeEvidenceGaps(
      input.index,
      [
        { label: 'blast radius', result: blastRadius },
        { label: 'dependencies', result: dependencies },
      ],
      unmappedTelemetry,
      input.now,
      input.at,
    ),
  );
  if (blastRadius.truncated) {
    missing.push({
      code: 'BLAST_RADIUS_TRUNCATED',
      severity: 'info',
      subject: root,
      message: `only the first ${blastRadius.impacted.length} of ${blastRadius.counts.total} impacted entities are listed.`,
      fix: null,
    });
  }
  if (input.healthOf && !input.healthOf(root, input.at).fresh) {
    missing.push({
      code: 'SLO_EVIDENCE_MISSING',
      severity: 'info',
      subject: root,
      message: `${displayRef(root)} has no fresh SLO evidence.`,
      fix: 'define an SLO and export its burn rate',
    });
  }
  const recordsOf = (ref: string) =>
    ledger.filter(r => resolveChangeSubject(r, input.resolveAlias) === ref);
  const recent = (ref: string) =>
    recordsOf(ref).some(r => atMs - Date.parse(r.effectiveAt) <= 30 * DAY);
  // a System is covered through its members, an API through its providers; those without a
  // recent record are listed below
  const rootCovered = hop0.some(recent);
  const andMembers = members.length ? ` or any of its ${membersWord}` : '';
  const neverRecorded = (ref: string) =>
    recordsOf(ref).length === 0 &&
    !recordedBefore(input.ledgerHistory?.(ref), atMs + 1);
  if (hop0.every(neverRecorded)) {
    missing.push({
      code: 'LEDGER_NO_COVERAGE',
      severity: 'warn',
      subject: root,
      message: `${displayRef(root)}${
        members.length ? ` and its ${membersWord}` : ''
      } never had a ledger record.`,
      fix: 'post deploys and changes to /api/evidence/changes',
    });
  } else if (!rootCovered) {
    missing.push({
      code: 'LEDGER_NO_RECENT',
      severity: 'info',
      subject: root,
      message: `no changes recorded in 30 d for: ${displayRef(
        root,
      )}${andMembers}.`,
      fix: null,
    });
  }
  const uncovered = [...scope.keys()].filter(
    ref => ref !== root && !recent(ref),
  );
  if (uncovered.length) {
    missing.push({
      code: 'LEDGER_NO_RECENT',
      severity: 'info',
      subject: uncovered.join(','),
      message: `no changes recorded in 30 d for: ${uncovered
        .map(displayRef)
        .join(', ')}.`,
      fix: null,
    });
  }
  for (const item of items.filter(i => i.change.flags.includes('SKEWED'))) {
    missing.push({
      code: 'LEDGER_SKEWED',
      severity: 'info',
      subject: item.entityRef,
      message: `${item.change.id} was future-dated; its time is the receipt time.`,
      fix: `check the clock of ${item.change.source.system}`,
    });
  }
  missing.sort(
    (a, b) =>
      MISSING_EVIDENCE_ORDER.indexOf(a.code) -
      MISSING_EVIDENCE_ORDER.indexOf(b.code),
  );

  const system = node.system ? input.lookup(node.system) : undefined;
  // `spec.domain: commerce` on a System names a Domain in the System's own namespace
  const domain =
    system && typeof system.spec?.domain === 'string'
      ? refFromSpecOf(system, system.spec.domain, 'domain')
      : null;
  const changesLevel = rateChangesConfidence(rootCovered, uncovered.length);
  const blastLevel = blastRadius.confidence.level;
  return {
    header: {
      title: readTitle(entity),
      ref: root,
      aliasMatched: input.aliasMatched ?? null,
      tier: node.tier,
      customerFacing: node.customerFacing,
      lifecycle: node.lifecycle,
      system: node.system,
      domain,
      regions: node.regions,
      generatedAt: input.generatedAt,
      incidentTime: input.at,
      evaluatedAt: input.now,
    },
    owner,
    // examined edges fed the missing-evidence rules above; the answer does not carry them
    blastRadius: toBlastRadiusAnswer(blastRadius),
    dependencies: toBlastRadiusAnswer(dependencies),
    unmappedTelemetry,
    changes: {
      window: { from: new Date(atMs - windowMs).toISOString(), to: input.at },
      dependencyHops,
      items,
      // from the records read, else from the ledger's history when it is no later than T
      lastChange: latestOf(
        hop0.map(
          ref =>
            findLastChange(ledger, ref, environment, input.resolveAlias) ??
            asOf(input.ledgerHistory?.(ref)?.lastChange, atMs),
        ),
      ),
      lastSuccessfulDeploy: latestOf(
        hop0.map(
          ref =>
            findLastSuccessfulDeploy(
              ledger,
              ref,
              environment,
              input.resolveAlias,
              atMs,
            ) ??
            succeededAsOf(
              input.ledgerHistory?.(ref)?.lastSucceededDeploy,
              atMs,
            ),
        ),
      ),
    },
    missingEvidence: missing,
    confidence: {
      owner: ownerLevel,
      blastRadius: blastLevel,
      changes: changesLevel,
      overall: lowestConfidence([ownerLevel, blastLevel, changesLevel]),
    },
  };
}
