import type { StoredChange } from '@internal/plugin-evidence-common';
import type {
  EvidenceRead,
  EvidenceService,
} from '@internal/plugin-evidence-node';
import {
  AliasResolver,
  assembleBrief,
  assembleOwnerBrief,
  BlastRadiusOptions,
  BlastRadiusAnswer,
  BriefInput,
  ChangeRecord,
  ChangeRisk,
  ChangeScopeEntry,
  compareChanges,
  computeBlastRadius,
  EntityLookup,
  GraphIndex,
  hopZeroOf,
  IncidentBrief,
  LedgerHistory,
  LedgerHistoryLookup,
  lowestConfidence,
  MAX_LIMIT,
  normalizeRef,
  OnCallAnswer,
  OnCallLookup,
  OwnerBrief,
  resolveChangeSubject,
  SearchDirection,
  selectChangesInWindow,
} from '@internal/plugin-incident-brief-common';
import { InputError, NotFoundError } from '@backstage/errors';
import { IncidentBriefOptions } from '../config';
import { GraphIndexStore } from '../graph/GraphIndexStore';
import { OnCallRouter } from '../oncall/OnCallRouter';
import { CatalogEntityCache } from '@internal/plugin-incident-brief-node';
import { ProductionHealth, HealthAvailability } from './ProductionHealth';
import {
  ReadFilter,
  RestrictedChanges,
  briefRefs,
  changeRefs,
  LatestField,
  latestRefs,
  namedRefs,
  restrictBrief,
  restrictChanges,
  restrictLatest,
  restrictSubstrateOwners,
  renderRestrictedMarkdown,
  restrictUnreadable,
} from '../service/restrictUnreadable';
import { missingEvidenceRefs } from '../service/missingEvidenceRefs';

/** Kinds a brief and a changes answer apply to: the blast radius's roots (IB §3.1, R13). */
const BRIEF_KINDS = ['component', 'resource', 'api', 'system'];

/**
 * R13 for the brief and changes routes, in their words (the blast radius's message names the
 * blast radius): 400 before the index is consulted, so a Group ref costs no on-demand pass.
 */
function assertBriefRoot(entityRef: string): void {
  const kind = normalizeRef(entityRef).split(':')[0];
  if (!BRIEF_KINDS.includes(kind)) {
    throw new InputError(
      'briefs and changes apply to Component, Resource, API or System',
    );
  }
}

/**
 * The blast radius's rules for a root (existence, R12/R13 → 400/404), for the routes that read
 * more than its radius: a zero-hop search applies them and finds nothing.
 */
function applyRootRules(index: GraphIndex, entityRef: string, now: string) {
  computeBlastRadius(index, [entityRef], { hops: 0, limit: 1 }, now, {
    examinedEdges: false,
  });
}

/** Bound on lookup rounds: owner → parent chain (≤ 5) → escalation users, plus change subjects. */
const MAX_ROUNDS = 10;
const HOUR = 3600_000;
/** Refs per `queryChanges` call for the dependents of a changes answer (the route takes ≤ 5,000). */
const LEDGER_REFS_PER_QUERY = 1000;

/**
 * What {@link BriefService.scoreChanges} made of one ledger change: its risk as the brief scores
 * it; `unscorable` when the brief could not score it either (subject unresolved, not in the index
 * or not in the catalog), so there is nothing to store yet; `failed` when evidence or the catalog
 * could not be read (try again later).
 */
export type ChangeRiskOutcome =
  | { status: 'scored'; risk: ChangeRisk }
  | { status: 'unscorable'; reason: string }
  | { status: 'failed'; error: unknown };

/** Availability of an evidence read, as shown next to the data it fed. */
export type EvidenceAvailability =
  | { available: true; asOf: string }
  | { available: false; cause: string; since: string };

/** The JSON brief: the brief of incident-brief-common plus where its evidence stood. */
export type BriefResponse = IncidentBrief & {
  evidence: {
    ledger: EvidenceAvailability;
    /** the `slo.status` read behind D5 of the changes scored on read and SLO_EVIDENCE_MISSING */
    slo: HealthAvailability;
    catalogAsOf: string;
    observedEdgesAsOf: string;
  };
};

/** The brief as a caller sees it (`changes.restricted` = changes withheld from a user). */
export type RestrictedBriefResponse = BriefResponse & {
  changes: RestrictedChanges;
};

/**
 * Whose changes `GET …/changes` lists besides the entity's own (IB §4.4): its dependencies (what
 * it needs, the default), its dependents (who needs it: callers, load changes), or both.
 */
export type ChangesScope = 'dependencies' | 'dependents' | 'both';

/** What a caller may vary on `GET …/changes` (validated by the router). */
export interface ChangesRequest {
  entityRef: string;
  at?: string;
  windowMs?: number;
  /** depth of the scope in each direction it covers; default `changes.dependencyHops` */
  hops?: number;
  scope?: ChangesScope;
}

/** A change in window with the side of the root its entity is on. */
export type ChangeItem = IncidentBrief['changes']['items'][number] & {
  relation: 'self' | 'dependency' | 'dependent';
};

/** The answer of `GET …/changes`. */
export interface ChangesResponse {
  entityRef: string;
  scope: ChangesScope;
  window: { from: string; to: string };
  /** hops of dependencies in scope (0 for `scope=dependents`) */
  dependencyHops: number;
  /** hops of dependents in scope (0 for `scope=dependencies`) */
  dependentHops: number;
  items: ChangeItem[];
  lastChange: ChangeRecord | null;
  lastSuccessfulDeploy: ChangeRecord | null;
  ledger: EvidenceAvailability;
  /** changes of entities the caller may not read, omitted from `items` (IB §6.5) */
  restricted: number;
  /** the latest changes withheld from the caller: a System member's or API provider's */
  latestRestricted?: LatestField[];
}

/**
 * The index, alias map and clock one answer reads from. A changes answer with dependents takes
 * them once and hands them to the brief's assembly, so a sync between the two halves cannot list
 * an entity on both sides or match one ledger record to two entities.
 */
interface Snapshot {
  index: GraphIndex;
  resolveAlias: AliasResolver;
  now: string;
}

/** What a caller may vary per request (validated by the router). */
export interface BriefRequest {
  entityRef: string;
  /** the telemetry alias the entity was reached through (`GET /by-alias/:alias/brief`) */
  aliasMatched?: string;
  at?: string;
  windowMs?: number;
  hops?: number;
  dependencyHops?: number;
}

/** The first instant the change ledger can be asked about: its timestamps have four-digit years. */
const EARLIEST_LEDGER_MS = Date.parse('0000-01-01T00:00:00.000Z');

/**
 * A ledger query bound: `ms` as a timestamp, no earlier than {@link EARLIEST_LEDGER_MS}. The
 * lookback before a change the ledger holds at year 0000 (a backfill it accepts) is year -1,
 * which the ledger refuses as a timestamp: every change of that entity then went unscored.
 */
function ledgerTimeOf(ms: number): string {
  return new Date(Math.max(ms, EARLIEST_LEDGER_MS)).toISOString();
}

/**
 * Gathers everything a brief needs — the live index, the catalog entities its rules read, the
 * ledger of the entity and its dependencies, on-call answers — and hands it to the pure
 * `assembleBrief`. Lookups and provider calls are asynchronous while the rules are synchronous,
 * so the assembly runs in rounds: whatever a round asked for and did not find is loaded, until a
 * round asks for nothing new (typically 3–4 rounds, each a batched catalog read).
 */
export class BriefService {
  constructor(
    private readonly deps: {
      store: GraphIndexStore;
      entities: CatalogEntityCache;
      evidence: EvidenceService;
      onCall: OnCallRouter;
      options: IncidentBriefOptions;
      now?: () => number;
    },
  ) {}

  /** Blast radius of one root (IB §3); throws `BlastRadiusInputError` for R12/R13/404. */
  async blastRadius(
    entityRef: string,
    options: BlastRadiusOptions,
    readFilter?: ReadFilter,
  ): Promise<BlastRadiusAnswer> {
    const index = await this.deps.store.currentFor(entityRef);
    const result = computeBlastRadius(
      index,
      [entityRef],
      options,
      this.nowIso(),
      { examinedEdges: false },
    );
    if (!readFilter) return result;
    // the impacted entities are distinct: a lower bound on the refs the answer names
    const readable = await readFilter(
      namedRefs(result),
      result.impacted.length - 1,
    );
    return restrictUnreadable(result, readable);
  }

  /** The JSON brief (IB §6.1); with a read filter, as that caller may see it. */
  async brief(request: BriefRequest): Promise<BriefResponse>;
  async brief(
    request: BriefRequest,
    readFilter: ReadFilter,
  ): Promise<RestrictedBriefResponse>;
  async brief(
    request: BriefRequest,
    readFilter?: ReadFilter,
  ): Promise<BriefResponse | RestrictedBriefResponse> {
    const { response, index, subjectOf } = await this.buildBrief(request);
    if (!readFilter) return response;
    // impacted entities the caller may not read are counted but listed as restricted (IB §6.5)
    const alsoNamed = missingEvidenceRefs(index, response);
    const latest = [...latestRefs(response.changes, subjectOf)];
    const readable = await readFilter(
      briefRefs(response, [...alsoNamed, ...latest]),
    );
    const restricted = restrictBrief(response, readable, alsoNamed);
    return {
      ...restricted,
      changes: restrictLatest(restricted.changes, readable, subjectOf),
    };
  }

  /**
   * The owner section of the brief of `request.entityRef` (ours; the Owner & on-call card's read):
   * the brief's `owner`, `confidence.owner` and header times for the same request, without the
   * blast radius, ledger and risk a brief also gathers. With a read filter, substrate owners the
   * caller may not read are dropped or read `restricted`, as in the brief.
   */
  async owner(
    request: Pick<BriefRequest, 'entityRef' | 'at' | 'dependencyHops'>,
    readFilter?: ReadFilter,
  ): Promise<OwnerBrief> {
    const { entityRef } = request;
    assertBriefRoot(entityRef);
    const { index, now } = await this.snapshotFor(entityRef);
    const at = request.at ?? now;
    applyRootRules(index, entityRef, now);
    const answer = await this.inRounds(entityRef, at, (lookup, onCall) =>
      assembleOwnerBrief({
        entityRef,
        index,
        lookup,
        onCall,
        at,
        now,
        generatedAt: now,
        dependencyHops:
          request.dependencyHops ?? this.deps.options.changes.dependencyHops,
      }),
    );
    if (!readFilter) return answer;
    const readable = await readFilter(
      answer.owner.substrateOwners.flatMap(s => [s.ref, s.owner]),
    );
    return {
      ...answer,
      owner: {
        ...answer.owner,
        substrateOwners: restrictSubstrateOwners(
          answer.owner.substrateOwners,
          readable,
        ),
      },
    };
  }

  /**
   * The brief and the SLO health it was scored with. The health of every entity whose changes the
   * answer may score — the root, the subjects of its ledger records without stored risk, and
   * `moreHealthSubjects` (a changes answer's dependents) — is read in one `readEntities` call.
   */
  private async buildBrief(
    request: BriefRequest,
    moreHealthSubjects: Iterable<string> = [],
    pinned?: Snapshot,
  ): Promise<{
    response: BriefResponse;
    health: ProductionHealth;
    /** the index the brief was assembled from */
    index: GraphIndex;
    /**
     * The entity a ledger record is about, through the alias map the brief was assembled with
     * (R7): its last change and last deploy are withheld by the entity they were matched to,
     * whatever alias map a sync has swapped in since (IB §6.5).
     */
    subjectOf: (record: ChangeRecord) => string | null;
  }> {
    const { entityRef } = request;
    assertBriefRoot(entityRef);
    const { index, resolveAlias, now } =
      pinned ?? (await this.snapshotFor(entityRef));
    const at = request.at ?? now;
    applyRootRules(index, entityRef, now);

    const dependencyHops =
      request.dependencyHops ?? this.deps.options.changes.dependencyHops;
    // the entities the brief reads at hop 0 — the root, a System's members (R18), an API's
    // providers — and the dependencies the search from them reaches (IB §4.4)
    const scope = [
      ...hopZeroOf(index, entityRef).refs,
      ...this.scopeOf(
        index,
        entityRef,
        'dependencies',
        dependencyHops,
        now,
      ).keys(),
    ];
    const ledgerRead = await this.deps.evidence.queryChanges({
      entityRefs: scope,
      from: ledgerTimeOf(Date.parse(at) - this.deps.options.changes.lookbackMs),
      to: at,
    });
    const ledger = ledgerRead.available
      ? ledgerRead.data.map(toChangeRecord)
      : [];
    // the ledger summary and production health read together: neither needs the other
    const [ledgerHistory, health] = await Promise.all([
      ledgerRead.available
        ? ledgerHistoryFrom(
            this.deps.evidence,
            scope,
            'production',
            // a brief at a past incident time reads the last change as of then (the summary's
            // newest would be after T, and the brief could name none); a live one reads now's
            request.at,
          )
        : undefined,
      ProductionHealth.read({ evidence: this.deps.evidence, index, now }, [
        normalizeRef(entityRef),
        ...this.unscoredSubjects(ledger, resolveAlias),
        ...moreHealthSubjects,
      ]),
    ]);

    const brief = await this.assemble({
      entityRef,
      ...(request.aliasMatched ? { aliasMatched: request.aliasMatched } : {}),
      index,
      ledger,
      at,
      now,
      windowMs: request.windowMs ?? this.deps.options.changes.windowMs,
      hops: request.hops ?? this.deps.options.blastRadius.defaultHops,
      dependencyHops,
      healthOf: health.healthOf,
      resolveAlias,
      ...(ledgerHistory ? { ledgerHistory } : {}),
    });
    return {
      response: this.withEvidenceStatus(brief, index, ledgerRead, health),
      health,
      index,
      subjectOf: record => resolveChangeSubject(record, resolveAlias),
    };
  }

  /** Subjects of the ledger records without stored risk (the ones the assembly scores on read). */
  private unscoredSubjects(
    records: Iterable<ChangeRecord>,
    resolveAlias: AliasResolver,
  ): Set<string> {
    const out = new Set<string>();
    for (const record of records) {
      if (record.risk) continue;
      const subject = resolveChangeSubject(record, resolveAlias);
      if (subject) out.add(subject);
    }
    return out;
  }

  /**
   * Changes in window (IB §4.4) of the entity and, by `scope`, of its dependencies (what it needs),
   * its dependents (who needs it: changes in callers, such as a load change) or both, each within
   * `hops`. The entity's own changes and its dependencies' come from the brief's assembly, as in
   * the brief's changes section; dependents are found by the blast radius's reverse search (all
   * edge kinds, stale observations included) and their changes selected by the same window rule.
   * An entity that is both (a cycle) is listed once, as a dependency. Items are in ledger order.
   * Changes of dependents stored without risk are scored as the brief would score them.
   *
   * With a read filter, changes of entities the caller may not read are omitted and counted in
   * `restricted` (one batched authorize over every entity the items name).
   */
  async changes(
    request: ChangesRequest,
    readFilter?: ReadFilter,
  ): Promise<ChangesResponse> {
    const { entityRef } = request;
    assertBriefRoot(entityRef);
    const scope = request.scope ?? 'dependencies';
    const hops = request.hops ?? this.deps.options.changes.dependencyHops;
    const withDependencies = scope !== 'dependents';
    const withDependents = scope !== 'dependencies';
    const at = request.at ?? this.nowIso();
    const windowMs = request.windowMs ?? this.deps.options.changes.windowMs;
    const dependencyHops = withDependencies ? hops : 0;

    // the dependents' ledger is read first, so that one SLO health read covers every change
    // this answer scores (the brief's and the dependents')
    let dependents:
      | (Snapshot & { reach: Map<string, ChangeScopeEntry> })
      | undefined;
    let dependentsRead: EvidenceRead<StoredChange[]> | undefined;
    if (withDependents) {
      const snapshot = await this.snapshotFor(entityRef);
      const { index, now } = snapshot;
      const reach = this.scopeOf(index, entityRef, 'dependents', hops, now);
      // a cycle makes an entity both; it keeps its dependency listing. The hop-0 entities (a
      // System's members, an API's providers, which may consume it) are listed as its own.
      for (const ref of hopZeroOf(index, entityRef).refs) reach.delete(ref);
      if (dependencyHops > 0) {
        const needed = this.scopeOf(
          index,
          entityRef,
          'dependencies',
          dependencyHops,
          now,
        );
        for (const ref of needed.keys()) reach.delete(ref);
      }
      dependents = { ...snapshot, reach };
      dependentsRead = await this.readLedger([...reach.keys()], {
        from: new Date(Date.parse(at) - windowMs).toISOString(),
        to: at,
      });
    }

    const {
      response: brief,
      health,
      subjectOf,
    } = await this.buildBrief(
      // a live read stays live (no `at`): the ledger summary is then read as of now, which the
      // evidence client caches, instead of as of this millisecond, which it never could
      {
        entityRef,
        ...(request.at ? { at: request.at } : {}),
        windowMs,
        hops: 0,
        dependencyHops,
      },
      dependents && dependentsRead?.available
        ? this.unscoredSubjects(
            dependentsRead.data.map(toChangeRecord),
            dependents.resolveAlias,
          )
        : [],
      dependents,
    );
    let ledger = brief.evidence.ledger;
    let items: ChangeItem[] = brief.changes.items.map(item => ({
      ...item,
      relation: item.hop === 0 ? 'self' : 'dependency',
    }));

    if (dependents && dependentsRead) {
      const read = dependentsRead;
      if (!read.available) {
        ledger = { available: false, cause: read.cause, since: read.since };
      } else {
        // an incremental pass edits the index in place, so one that lands between the two
        // halves can make an entity a dependency as well: its changes stay listed once, as such
        const listed = new Set(items.map(item => item.change.id));
        const selected: ChangeItem[] = selectChangesInWindow({
          records: read.data.map(toChangeRecord),
          scope: dependents.reach,
          at,
          windowMs,
          now: dependents.now,
          resolveAlias: dependents.resolveAlias,
        })
          .filter(item => !listed.has(item.change.id))
          .map(item => ({
            ...item,
            risk: item.change.risk ?? null,
            relation: 'dependent' as const,
          }));
        items = [...items, ...selected].sort((a, b) =>
          compareChanges(a.change, b.change),
        );
      }
    }

    let restricted = 0;
    let latest: Pick<
      RestrictedChanges,
      'lastChange' | 'lastSuccessfulDeploy' | 'latestRestricted'
    > = brief.changes;
    if (readFilter) {
      // changes of entities the caller may not read are counted, never listed (IB §6.5)
      const readable = await readFilter([
        ...changeRefs(items),
        ...latestRefs(brief.changes, subjectOf),
      ]);
      ({ items, restricted } = restrictChanges(items, readable));
      latest = restrictLatest(brief.changes, readable, subjectOf);
    }
    items = await this.withRiskOnRead(items, health);

    return {
      entityRef,
      scope,
      window: brief.changes.window,
      dependencyHops: brief.changes.dependencyHops,
      dependentHops: withDependents ? hops : 0,
      items,
      lastChange: latest.lastChange,
      lastSuccessfulDeploy: latest.lastSuccessfulDeploy,
      ...(latest.latestRestricted
        ? { latestRestricted: latest.latestRestricted }
        : {}),
      ledger,
      restricted,
    };
  }

  /**
   * Dependents' changes stored without risk, scored on read by {@link scoreChanges} — the risk the
   * brief shows for such a change and the risk-writer stores. (The brief's own items are scored by
   * its assembly already.)
   */
  private async withRiskOnRead(
    items: ChangeItem[],
    health: ProductionHealth,
  ): Promise<ChangeItem[]> {
    const pending = items.filter(i => i.relation === 'dependent' && !i.risk);
    if (pending.length === 0) return items;
    const scored = await this.scoreChanges(
      pending.map(i => i.change as unknown as StoredChange),
      { health },
    );
    return items.map(item => {
      const outcome =
        item.relation === 'dependent' && !item.risk
          ? scored.get(item.change.id)
          : undefined;
      return outcome?.status === 'scored'
        ? { ...item, risk: outcome.risk }
        : item;
    });
  }

  /** The ledger of many entities, in calls of {@link LEDGER_REFS_PER_QUERY} refs. */
  private async readLedger(
    refs: string[],
    window: { from: string; to: string },
  ): Promise<EvidenceRead<StoredChange[]>> {
    const data: StoredChange[] = [];
    let asOf = new Date(this.deps.now?.() ?? Date.now()).toISOString();
    for (let i = 0; i < refs.length; i += LEDGER_REFS_PER_QUERY) {
      const read = await this.deps.evidence.queryChanges({
        entityRefs: refs.slice(i, i + LEDGER_REFS_PER_QUERY),
        ...window,
      });
      if (!read.available) return read;
      data.push(...read.data);
      if (read.asOf < asOf) asOf = read.asOf;
    }
    return { available: true, asOf, data };
  }

  /**
   * The risk of ledger changes stored without one, scored by the very assembly the brief runs
   * (`assembleBrief` scores a change without stored risk on read, IB §5), so the risk written back
   * to evidence is the risk the brief would have shown. Changes are grouped by subject and
   * environment; each group is one assembly rooted at the subject, as of its newest change's
   * `effectiveAt`, over the subject's ledger from `changes.lookback` before its oldest change (the
   * read path's lookback). The blast radius and dependency hops of that assembly are 0: the risk
   * model computes its own 3-hop radius, and the subject's own records are all it reads.
   *
   * SLO health (D5) comes from `options.health` when the caller read it already (a changes answer:
   * one read for all its changes); otherwise it is read here for every subject in one call,
   * bypassing the client's cache. When that read fails (evidence unavailable) the changes are
   * `failed`, not scored: a risk written back is kept for good, and an outage says nothing about
   * health (a read path shows D5 unknown instead).
   */
  async scoreChanges(
    changes: StoredChange[],
    options: { health?: ProductionHealth } = {},
  ): Promise<Map<string, ChangeRiskOutcome>> {
    const out = new Map<string, ChangeRiskOutcome>();
    const index = await this.deps.store.current();
    const resolveAlias = this.deps.store.aliasSnapshot();
    const now = this.nowIso();
    const groups = new Map<
      string,
      { subject: string; environment: string; changes: StoredChange[] }
    >();
    for (const change of changes) {
      const subject = resolveChangeSubject(
        toChangeRecord(change),
        resolveAlias,
      );
      const id = subject ? index.idOf(subject) : -1;
      if (!subject || id < 0 || !index.inCatalog(id)) {
        out.set(change.id, {
          status: 'unscorable',
          reason: subject
            ? `${subject} is not in the incident-brief index`
            : 'its subject is unresolved',
        });
        continue;
      }
      const key = `${subject}\u0000${change.environment}`;
      const group = groups.get(key) ?? {
        subject,
        environment: change.environment,
        changes: [],
      };
      group.changes.push(change);
      groups.set(key, group);
    }
    if (groups.size === 0) return out;

    const health =
      options.health ??
      (await ProductionHealth.read(
        { evidence: this.deps.evidence, index, now, cache: false },
        [...groups.values()].map(g => g.subject),
      ));
    const slo = health.availability;
    if (!slo.available && !options.health) {
      const error = new Error(
        `SLO health unavailable (${slo.cause} since ${slo.since})`,
      );
      for (const group of groups.values()) {
        for (const change of group.changes) {
          out.set(change.id, { status: 'failed', error });
        }
      }
      return out;
    }

    for (const group of groups.values()) {
      try {
        const starts = group.changes.map(c => Date.parse(c.effectiveAt));
        const first = Math.min(...starts);
        const last = Math.max(...starts);
        const at = new Date(last).toISOString();
        const read = await this.deps.evidence.queryChanges({
          entityRefs: [group.subject],
          from: ledgerTimeOf(first - this.deps.options.changes.lookbackMs),
          to: at,
        });
        if (!read.available) {
          // scoring without the history would read "no earlier record" (D6 unknown): don't
          throw new Error(
            `change ledger unavailable (${read.cause} since ${read.since})`,
          );
        }
        const wanted = new Set(group.changes.map(c => c.id));
        const ledger = [
          ...read.data.filter(c => !wanted.has(c.id)),
          ...group.changes,
        ].map(toChangeRecord);
        await this.deps.entities.load(
          this.deps.entities.peek(group.subject) === undefined
            ? [group.subject]
            : [],
        );
        if (!this.deps.entities.peek(group.subject)) {
          for (const id of wanted) {
            out.set(id, {
              status: 'unscorable',
              reason: `${group.subject} is not in the catalog`,
            });
          }
          continue;
        }
        // As of the group's oldest change: what came after it is in the window read above,
        // so each change finds its own rollback target there; as of the newest, the summary's
        // last deploy could be one of the group's own and leave the oldest with none.
        const ledgerHistory = await ledgerHistoryFrom(
          this.deps.evidence,
          [group.subject],
          group.environment,
          // a millisecond before it, so the summary's last deploy is never the change itself
          // (a deploy recorded without finishedAt succeeded "at" its start)
          new Date(first - 1).toISOString(),
        );
        if (!ledgerHistory) {
          // as for the ledger read above: a risk scored without the history older than the
          // window (the rollback target, the first record) would be stored for good
          throw new Error('change ledger summary unavailable');
        }
        const brief = await this.assemble({
          entityRef: group.subject,
          index,
          ledger,
          ledgerHistory,
          at,
          now,
          // wide enough for every change of the group to be an item; it does not change a risk
          windowMs: last - first + HOUR,
          hops: 0,
          dependencyHops: 0,
          environment: group.environment,
          healthOf: health.healthOf,
          resolveAlias,
        });
        for (const item of brief.changes.items) {
          if (!wanted.has(item.change.id) || !item.risk) continue;
          out.set(item.change.id, { status: 'scored', risk: item.risk });
        }
        for (const id of wanted) {
          if (!out.has(id)) {
            out.set(id, {
              status: 'unscorable',
              reason: 'the brief does not list it',
            });
          }
        }
      } catch (error) {
        for (const change of group.changes) {
          out.set(change.id, { status: 'failed', error });
        }
      }
    }
    return out;
  }

  /**
   * Runs the pure `assembleBrief` over the live catalog and on-call providers. Lookups and
   * provider calls are asynchronous while the rules are synchronous, so the assembly runs in
   * rounds: whatever a round asked for and did not find is loaded, until a round asks for nothing
   * new. Both the brief and the risk write-back go through here.
   */
  private async assemble(
    input: Pick<
      BriefInput,
      | 'entityRef'
      | 'aliasMatched'
      | 'index'
      | 'ledger'
      | 'at'
      | 'now'
      | 'windowMs'
      | 'hops'
      | 'dependencyHops'
      | 'environment'
      | 'healthOf'
      | 'ledgerHistory'
    > & {
      /** one alias map for every round, and for whoever reads the brief's subjects after */
      resolveAlias: AliasResolver;
    },
  ): Promise<IncidentBrief> {
    return this.inRounds(input.entityRef, input.at, (lookup, onCall) =>
      assembleBrief({
        ...input,
        lookup,
        onCall,
        generatedAt: input.now,
      }),
    );
  }

  /**
   * Runs a pure assembly over the live catalog and on-call providers. Lookups and provider calls
   * are asynchronous while the rules are synchronous, so the assembly runs in rounds: whatever a
   * round asked for and did not find is loaded, until a round asks for nothing new. 404 when the
   * catalog does not know `entityRef`.
   */
  private async inRounds<T>(
    entityRef: string,
    at: string,
    assembly: (lookup: EntityLookup, onCall: OnCallLookup) => T,
  ): Promise<T> {
    await this.deps.entities.load(
      this.deps.entities.peek(entityRef) === undefined ? [entityRef] : [],
    );
    if (!this.deps.entities.peek(entityRef)) {
      throw new NotFoundError(`entity ${entityRef} not found`);
    }

    const answers = new Map<string, OnCallAnswer>();
    // Each round waits for the on-call answers it asked for before the next: an unanswered
    // source read as "none" would make the fallback walk (R20) ask sources, and load entities,
    // that the real answer makes needless (a review of running them beside the rounds found
    // extra provider calls and names left unresolved at the last round).
    for (let round = 1; ; round++) {
      const missingEntities = new Set<string>();
      const missingSources = new Set<string>();
      const onCall: OnCallLookup = source => {
        const answer = answers.get(source);
        if (answer) return answer;
        missingSources.add(source);
        return { status: 'none' };
      };
      const result = assembly(
        this.deps.entities.recordingLookup(missingEntities),
        onCall,
      );
      const done = missingEntities.size === 0 && missingSources.size === 0;
      if (done || round >= MAX_ROUNDS) return result;
      await Promise.all([
        this.deps.entities.load(missingEntities),
        ...[...missingSources].map(async source => {
          answers.set(
            source,
            await this.deps.onCall.answer(source, new Date(at)),
          );
        }),
      ]);
    }
  }

  /**
   * The brief as markdown (IB §6.3), with a note when the ledger could not be read and one saying
   * how many changes in window were withheld from the caller.
   */
  async markdown(
    request: BriefRequest,
    readFilter?: ReadFilter,
  ): Promise<string> {
    const brief: BriefResponse & {
      changes: { restricted?: number; latestRestricted?: LatestField[] };
    } = readFilter
      ? await this.brief(request, readFilter)
      : await this.brief(request);
    let text = renderRestrictedMarkdown(brief);
    const ledger = brief.evidence.ledger;
    if (!ledger.available) {
      text += `\n_Change ledger unavailable (${ledger.cause} since ${ledger.since}): changes are unknown, not none._\n`;
    }
    const slo = brief.evidence.slo;
    if (!slo.available) {
      text += `\n_SLO health unavailable (${slo.cause} since ${slo.since}): production health (D5) of changes scored on read is unknown._\n`;
    }
    return text;
  }

  /**
   * The resolved entities of a search from `entityRef` in `direction` within `hops` (all edge
   * kinds, stale observations included), each with its hop and path: the scope of a changes read.
   */
  private scopeOf(
    index: GraphIndex,
    entityRef: string,
    direction: SearchDirection,
    hops: number,
    now: string,
  ): Map<string, ChangeScopeEntry> {
    const scope = new Map<string, ChangeScopeEntry>();
    let cursor: string | undefined;
    do {
      const page = computeBlastRadius(
        index,
        [entityRef],
        { direction, hops, limit: MAX_LIMIT, cursor },
        now,
        { examinedEdges: false },
      );
      for (const i of page.impacted) {
        if (i.resolved) scope.set(i.ref, { hop: i.hop, path: i.path });
      }
      cursor = page.nextCursor;
    } while (cursor);
    return scope;
  }

  private withEvidenceStatus(
    brief: IncidentBrief,
    index: GraphIndex,
    ledgerRead: EvidenceRead<StoredChange[]>,
    health: ProductionHealth,
  ): BriefResponse {
    const slo = health.availability;
    const rootKind = brief.header.ref.split(':')[0];
    let result: IncidentBrief = {
      ...brief,
      // SLO_EVIDENCE_MISSING says "define an SLO": wrong when the read failed (unknown, not
      // missing) and for API and System roots, which carry no SLO of their own (the collector
      // writes slo.status for Components and Resources)
      missingEvidence: brief.missingEvidence.filter(
        m =>
          m.code !== 'SLO_EVIDENCE_MISSING' ||
          (slo.available && rootKind !== 'api' && rootKind !== 'system'),
      ),
    };
    if (!ledgerRead.available) {
      // an unreadable ledger is unknown, not "no record": drop the coverage claims it would imply
      const confidence = { ...brief.confidence, changes: 'unknown' as const };
      result = {
        ...result,
        missingEvidence: result.missingEvidence.filter(
          m => !m.code.startsWith('LEDGER_'),
        ),
        confidence: {
          ...confidence,
          overall: lowestConfidence([
            confidence.owner,
            confidence.blastRadius,
            confidence.changes,
          ]),
        },
      };
    }
    return {
      ...result,
      evidence: {
        ledger: ledgerRead.available
          ? { available: true, asOf: ledgerRead.asOf }
          : {
              available: false,
              cause: ledgerRead.cause,
              since: ledgerRead.since,
            },
        slo,
        catalogAsOf: index.asOf.catalog,
        observedEdgesAsOf: index.asOf.observedEdges,
      },
    };
  }

  /** The live index (synced for `entityRef` when it does not know it yet) and alias map, now. */
  private async snapshotFor(entityRef: string): Promise<Snapshot> {
    const index = await this.deps.store.currentFor(entityRef);
    return {
      index,
      resolveAlias: this.deps.store.aliasSnapshot(),
      now: this.nowIso(),
    };
  }

  private nowIso() {
    return new Date(this.deps.now?.() ?? Date.now()).toISOString();
  }
}

/**
 * What the ledger knows of `refs` beyond the records a brief reads (`changeSummary`: coverage
 * kept past retention, last change, last succeeded deploy), or undefined when it cannot say.
 */
async function ledgerHistoryFrom(
  evidence: EvidenceService,
  refs: string[],
  environment: string,
  /** The instant the history is of, when not now (an incident time in the past). */
  at?: string,
): Promise<LedgerHistoryLookup | undefined> {
  if (refs.length === 0) return undefined;
  const read = await evidence.changeSummary(refs, {
    environment,
    ...(at ? { at } : {}),
  });
  if (!read.available) return undefined;
  // built once: the brief asks again for every change of an entity it scores
  const histories = new Map<string, LedgerHistory>();
  for (const [ref, summary] of read.data) {
    const firsts = Object.values(summary.coverage)
      .map(c => c.firstAt)
      .sort();
    histories.set(ref, {
      firstRecordAt: firsts[0] ?? null,
      lastChange: summary.lastChange
        ? toChangeRecord(summary.lastChange)
        : null,
      lastSucceededDeploy: summary.lastSucceededDeploy
        ? toChangeRecord(summary.lastSucceededDeploy)
        : null,
    });
  }
  return ref => histories.get(normalizeRef(ref));
}

/** A stored ledger change in the shape the brief rules read (IB §4.1; evidence §2.3). */
function toChangeRecord(change: StoredChange): ChangeRecord {
  // same fields; the stored risk's modelVersion is a plain string in the evidence schema
  return change as unknown as ChangeRecord;
}
