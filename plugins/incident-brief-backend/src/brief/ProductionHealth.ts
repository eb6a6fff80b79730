import type { FactRecord } from '@internal/plugin-evidence-common';
import { isIsoDate, isIsoInstant } from '@internal/suite-node';
import { evaluateEvidence, pickLatest } from '@internal/plugin-evidence-common';
import type {
  EntityEvidence,
  EvidenceRead,
  EvidenceService,
} from '@internal/plugin-evidence-node';
import {
  ChangeRiskInput,
  computeBlastRadius,
  GraphIndex,
  MAX_LIMIT,
  UNKNOWN_HEALTH,
} from '@internal/plugin-incident-brief-common';

/** The evidence kind of SLO health (evidence §2.2): `{ [sloName]: { lastSampleAt, burnRate1h, budgetRemaining } }`. */
export const SLO_STATUS_KIND = 'slo.status';
/** Open incidents of an entity, pushed by the incident tool (evidence §2.2): `{ incidents: { id, url, startedAt }[] }`. */
export const INCIDENTS_OPEN_KIND = 'incidents.open';
/** A change freeze on an entity, pushed from a calendar (evidence §2.2): `{ active, until, reason }`. */
export const CHANGE_FREEZE_KIND = 'change.freeze';
/** Incident ids named in a D5 reason before `+N more`. */
const MAX_INCIDENTS_NAMED = 3;

/** SLO names listed in a D5 reason before `+N more`. */
const MAX_SLOS_NAMED = 3;
/** Longest `evidence` text of D5 (its reason adds it to about 60 characters of its own). */
const MAX_EVIDENCE_CHARS = 600;

type Health = ChangeRiskInput['health'];

/** Availability of the SLO read, as shown next to the data it fed. */
export type HealthAvailability =
  | { available: true; asOf: string }
  | { available: false; cause: string; since: string };

/**
 * One SLO of a fresh `slo.status` fact; `null` where the collector had no series, or where the
 * number it reported is no reading (then named in `ignored`).
 */
interface SloReading {
  name: string;
  /** ≥ 0 */
  burnRate1h: number | null;
  /** fraction of the error budget left: 1 = untouched, 0 = exhausted, < 0 = overspent */
  budgetRemaining: number | null;
  /** numbers no SLO can report (`burn rate -3 (below 0)`), left out of every reading */
  ignored: string[];
}

/** What one entity's own `slo.status` fact says at a time. */
type OwnSlo =
  | { state: 'none' }
  | { state: 'stale'; observedAt: string; ageMs: number; windowMs: number }
  | { state: 'fresh'; observedAt: string; slos: SloReading[] };

/** What the pushed timing evidence says about one change (see `timingOf`). */
interface Timing {
  openIncidentOnEntity: boolean;
  openIncidentOnDependency: boolean;
  freezeActive: boolean;
  /** the parts of D5's evidence text, empty when nothing is going on */
  texts: string[];
}

/**
 * The production health of the entities one answer scores changes for (IB §5 D5), read from
 * evidence in one batched `readEntities` call: the subjects themselves, their direct dependencies
 * (an open incident on one scores 2) and, for every Resource among them, its direct dependents (a
 * Resource without an SLO of its own takes the worst of them).
 *
 * Besides `slo.status`, the pushed timing evidence (evidence §2.2) is read: `incidents.open` of
 * the subject (an incident started at or before the change: 3) and of its direct dependencies (2),
 * and `change.freeze` of the subject (active and not yet `until` at the change: 3). They are facts
 * as of `at` like the SLO (fresh for 1 h); a missing or stale one says nothing is going on — these
 * sources are optional integrations, so their absence is not unknown health.
 *
 * `healthOf(ref, at)` evaluates the facts as of `at` (a change's `effectiveAt`): a fact older than
 * its `freshForSeconds` at `at` is stale; one observed after `at` is the nearest evidence there is
 * and counts as fresh (evidence-common's `evaluateEvidence`). Stale, missing or unreadable evidence
 * is unknown (D5 = 2), never healthy. The worst SLO of an entity is its highest burn rate and lowest
 * budget; an SLO without data, a number no SLO can report (a negative burn rate, a budget above 1,
 * not finite: checked per SLO before they are combined, and named), or a dependent without fresh
 * evidence makes the reading `incomplete` (at least 2, unknown, unless the fresh part scores
 * higher).
 *
 * The reason text names SLOs of the entity itself only: a Resource's dependents are counted, not
 * named, because a stored risk is shown to everyone who may read the change.
 */
export class ProductionHealth {
  private constructor(
    private readonly read: EvidenceRead<Map<string, EntityEvidence>>,
    private readonly dependents: ReadonlyMap<string, string[]>,
    private readonly dependencies: ReadonlyMap<string, string[]> = new Map(),
  ) {}

  /**
   * Reads `slo.status` for `subjects` and the direct dependents of the Resources among them, in one
   * call (none when there are no subjects). Never rejects: an outage is `available: false`.
   */
  static async read(
    deps: {
      evidence: EvidenceService;
      index: GraphIndex;
      /** edges are taken as of this time (stale observations included, as in the blast radius) */
      now: string;
      /** false: bypass the client's cache (the risk write-back stores what it reads for good) */
      cache?: boolean;
    },
    subjects: Iterable<string>,
  ): Promise<ProductionHealth> {
    const refs = new Set<string>();
    const dependents = new Map<string, string[]>();
    const dependencies = new Map<string, string[]>();
    for (const raw of subjects) {
      const ref = raw.toLocaleLowerCase('en-US');
      refs.add(ref);
      if (!dependencies.has(ref)) {
        const direct = directNeighbours(
          deps.index,
          ref,
          deps.now,
          'dependencies',
        );
        dependencies.set(ref, direct);
        for (const d of direct) refs.add(d);
      }
      if (!isResource(ref) || dependents.has(ref)) continue;
      const direct = directNeighbours(deps.index, ref, deps.now, 'dependents');
      dependents.set(ref, direct);
      for (const d of direct) refs.add(d);
    }
    if (refs.size === 0) {
      return new ProductionHealth(
        { available: true, asOf: deps.now, data: new Map() },
        dependents,
      );
    }
    const read = await deps.evidence.readEntities([...refs].sort(), {
      include: ['facts'],
      kinds: [SLO_STATUS_KIND, INCIDENTS_OPEN_KIND, CHANGE_FREEZE_KIND],
      ...(deps.cache === false ? { cache: false } : {}),
    });
    return new ProductionHealth(read, dependents, dependencies);
  }

  /** Whether the read answered, for the brief's `evidence` block. */
  get availability(): HealthAvailability {
    return this.read.available
      ? { available: true, asOf: this.read.asOf }
      : { available: false, cause: this.read.cause, since: this.read.since };
  }

  /** D5's health input for a change of `ref` at `at`. */
  healthOf = (ref: string, at: string): Health => {
    const health = this.withTiming(this.assess(ref, at), ref, at);
    // evidence stores a dimension's reason (≤ 1,024) and evidence (≤ 2,048): keep names in bounds
    return health.evidence && health.evidence.length > MAX_EVIDENCE_CHARS
      ? {
          ...health,
          evidence: `${health.evidence.slice(0, MAX_EVIDENCE_CHARS - 1)}…`,
        }
      : health;
  };

  private assess(ref: string, at: string): Health {
    const read = this.read;
    if (!read.available) {
      return {
        ...UNKNOWN_HEALTH,
        evidence: `SLO health unreadable: evidence store ${read.cause} since ${read.since}`,
      };
    }
    const subject = ref.toLocaleLowerCase('en-US');
    if (!read.data.has(subject)) {
      // not among the subjects this answer read (should not happen): unknown, not healthy
      return {
        ...UNKNOWN_HEALTH,
        evidence: 'SLO health not read for this entity',
      };
    }
    const own = this.ownOf(subject, at);
    if (own.state === 'none' && isResource(subject)) {
      return this.worstOfDependents(subject, at);
    }
    if (own.state === 'none') {
      return { ...UNKNOWN_HEALTH, evidence: `no ${SLO_STATUS_KIND} fact` };
    }
    if (own.state === 'stale')
      return { ...UNKNOWN_HEALTH, evidence: staleText(own) };

    // each SLO's numbers are checked before the SLOs are combined (`slosOf`): an impossible
    // value of one SLO must not be outvoted by another SLO's healthy reading
    const withData = own.slos.filter(hasData);
    const noData = own.slos
      .filter(s => !hasData(s) && s.ignored.length === 0)
      .map(s => s.name);
    const ignored = own.slos
      .filter(s => s.ignored.length > 0)
      .map(s => `${s.name} ${s.ignored.join(', ')}`);
    const observed = `${SLO_STATUS_KIND} observed ${own.observedAt}`;
    const gaps = [
      noData.length ? `${namesText(noData)} without data` : '',
      ignored.length ? `ignored ${namesText(ignored)}` : '',
    ].filter(Boolean);
    if (withData.length === 0) {
      return {
        ...UNKNOWN_HEALTH,
        evidence:
          own.slos.length === 0
            ? `${observed} lists no SLO`
            : `${observed}: ${gaps.join('; ')}`,
      };
    }
    return {
      ...UNKNOWN_HEALTH,
      ...worst(withData),
      fresh: true,
      ...(gaps.length ? { incomplete: true } : {}),
      evidence: [`${observed}: ${slosText(withData)}`, ...gaps].join('; '),
    };
  }

  /** `health` with what the incident tool and the freeze calendar say at `at`. */
  private withTiming(health: Health, ref: string, at: string): Health {
    const timing = this.timingOf(ref.toLocaleLowerCase('en-US'), at);
    if (timing.texts.length === 0) return health;
    const text = timing.texts.join('; ');
    return {
      ...health,
      openIncidentOnEntity: timing.openIncidentOnEntity,
      openIncidentOnDependency: timing.openIncidentOnDependency,
      freezeActive: timing.freezeActive,
      evidence: health.evidence ? `${text}; ${health.evidence}` : text,
    };
  }

  /**
   * Open incidents of the entity and of its direct dependencies, and its change freeze, at `at`.
   * Dependencies are counted, not named (a stored risk is shown to everyone who may read the
   * change); the entity's own incidents are named by id.
   */
  private timingOf(ref: string, at: string): Timing {
    const timing: Timing = {
      openIncidentOnEntity: false,
      openIncidentOnDependency: false,
      freezeActive: false,
      texts: [],
    };
    const atMs = Date.parse(at);
    if (!this.read.available || !Number.isFinite(atMs)) return timing;
    const freeze = this.freshValue(ref, CHANGE_FREEZE_KIND, atMs);
    if (freeze && freeze.value.active === true) {
      const untilMs = freezeEndMs(freeze.value.until);
      if (!Number.isFinite(untilMs) || untilMs > atMs) {
        timing.freezeActive = true;
        const reason =
          typeof freeze.value.reason === 'string' && freeze.value.reason
            ? ` (${freeze.value.reason.slice(0, 120)})`
            : '';
        timing.texts.push(
          `${CHANGE_FREEZE_KIND} active${
            Number.isFinite(untilMs) ? ` until ${freeze.value.until}` : ''
          }${reason}, observed ${freeze.observedAt}`,
        );
      }
    }
    const own = this.openIncidents(ref, atMs);
    if (own.length > 0) {
      timing.openIncidentOnEntity = true;
      const shown = own.slice(0, MAX_INCIDENTS_NAMED).map(i => i.slice(0, 60));
      const more = own.length - shown.length;
      timing.texts.push(
        `open incident ${shown.join(', ')}${more > 0 ? ` +${more} more` : ''}`,
      );
    }
    const affected = (this.dependencies.get(ref) ?? []).filter(
      d => this.openIncidents(d, atMs).length > 0,
    ).length;
    if (affected > 0) {
      timing.openIncidentOnDependency = true;
      timing.texts.push(
        `open incident on ${affected} direct dependenc${
          affected === 1 ? 'y' : 'ies'
        }`,
      );
    }
    return timing;
  }

  /** Ids of the incidents of `ref`'s fresh `incidents.open` fact that had started at `atMs`. */
  private openIncidents(ref: string, atMs: number): string[] {
    const fact = this.freshValue(ref, INCIDENTS_OPEN_KIND, atMs);
    const list = fact?.value.incidents;
    if (!fact || !Array.isArray(list)) return [];
    const observedMs = Date.parse(fact.observedAt);
    const ids: string[] = [];
    for (const item of list) {
      if (!item || typeof item !== 'object') continue;
      const { id, startedAt } = item as Record<string, unknown>;
      // an incident that started after the change was not open when it was made; without a
      // start time, the observation time stands in for it, and so it does for a start time
      // that does not read the same on every server (no zone: the server's local time)
      const startedMs =
        typeof startedAt === 'string' && isIsoInstant(startedAt)
          ? Date.parse(startedAt)
          : observedMs;
      if (!Number.isFinite(startedMs) || startedMs > atMs) continue;
      ids.push(typeof id === 'string' && id ? id : 'without id');
    }
    return ids;
  }

  /** The newest fact of `kind` of `ref`, if it is fresh at `atMs` and its value is an object. */
  private freshValue(
    ref: string,
    kind: string,
    atMs: number,
  ): { value: Record<string, unknown>; observedAt: string } | undefined {
    if (!this.read.available) return undefined;
    const fact = pickLatest(this.read.data.get(ref)?.facts ?? [], kind);
    if (!fact) return undefined;
    const evaluation = evaluateEvidence({
      fact,
      now: new Date(atMs).toISOString(),
    });
    const value = fact.value;
    if (evaluation.state !== 'fresh') return undefined;
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      return undefined;
    }
    return {
      value: value as Record<string, unknown>,
      observedAt: fact.observedAt,
    };
  }

  /** A Resource without an SLO of its own: the worst of its direct dependents (IB §5 D5). */
  private worstOfDependents(resource: string, at: string): Health {
    const direct = this.dependents.get(resource) ?? [];
    if (direct.length === 0) {
      return {
        ...UNKNOWN_HEALTH,
        evidence: 'no SLO of its own and no direct dependents',
      };
    }
    const fresh: SloReading[] = [];
    let stale = 0;
    let missing = 0;
    let impossible = 0;
    for (const ref of direct) {
      const own = this.ownOf(ref, at);
      const withData = own.state === 'fresh' ? own.slos.filter(hasData) : [];
      fresh.push(...withData);
      if (own.state === 'stale') stale++;
      else if (own.state === 'fresh' && own.slos.some(s => s.ignored.length))
        impossible++;
      else if (own.state === 'none' || withData.length === 0) missing++;
      else if (withData.length < own.slos.length) missing++;
    }
    const count = `${direct.length} direct dependent${
      direct.length === 1 ? '' : 's'
    }`;
    const gaps = [
      stale ? `${stale} with stale ${SLO_STATUS_KIND}` : '',
      missing ? `${missing} without SLO data` : '',
      impossible ? `${impossible} with impossible SLO values` : '',
    ]
      .filter(Boolean)
      .join(', ');
    if (fresh.length === 0) {
      return {
        ...UNKNOWN_HEALTH,
        evidence: `no SLO of its own; of its ${count} none has fresh SLO evidence (${gaps})`,
      };
    }
    const w = worst(fresh);
    return {
      ...UNKNOWN_HEALTH,
      ...w,
      fresh: true,
      ...(gaps ? { incomplete: true } : {}),
      evidence: `no SLO of its own; worst of its ${count}: ${valuesText(
        w.burnRate1h,
        w.budgetRemaining,
      )}${gaps ? `; ${gaps}` : ''}`,
    };
  }

  /** The entity's own newest `slo.status` fact, evaluated at `at`. */
  private ownOf(ref: string, at: string): OwnSlo {
    if (!this.read.available) return { state: 'none' };
    const facts = this.read.data.get(ref)?.facts ?? [];
    const fact = pickLatest(facts, SLO_STATUS_KIND);
    if (!fact) return { state: 'none' };
    // the store's timestamp form (`at` may come from a query parameter without milliseconds)
    const atMs = Date.parse(at);
    if (!Number.isFinite(atMs)) return { state: 'none' };
    const evaluation = evaluateEvidence({
      fact,
      now: new Date(atMs).toISOString(),
    });
    if (evaluation.state !== 'fresh') {
      return {
        state: 'stale',
        observedAt: fact.observedAt,
        ageMs: (evaluation.ageSeconds ?? 0) * 1000,
        windowMs: (evaluation.windowSeconds ?? 0) * 1000,
      };
    }
    return { state: 'fresh', observedAt: fact.observedAt, slos: slosOf(fact) };
  }
}

function isResource(ref: string): boolean {
  return ref.startsWith('resource:');
}

/** Resolved entities at hop 1 in `direction`: every edge kind, stale observations too. */
function directNeighbours(
  index: GraphIndex,
  ref: string,
  now: string,
  direction: 'dependents' | 'dependencies',
): string[] {
  if (index.idOf(ref) < 0) return [];
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const page = computeBlastRadius(
      index,
      [ref],
      { direction, hops: 1, limit: MAX_LIMIT, cursor },
      now,
      { examinedEdges: false },
    );
    for (const i of page.impacted) if (i.resolved) out.push(i.ref);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/**
 * Why a number is no reading of `what`, or null when it is one. The ranges are D5's own
 * (incident-brief-common `scoreHealth`): a burn rate is ≥ 0, a budget a fraction ≤ 1 — below 0
 * is an overspent budget, a reading.
 */
function impossibleBecause(
  n: number,
  what: 'burn rate' | 'budget remaining',
): string | null {
  if (!Number.isFinite(n)) return 'not finite';
  if (what === 'burn rate' && n < 0) return 'below 0';
  if (what === 'budget remaining' && n > 1) return 'above 1';
  return null;
}

/**
 * The SLOs of a `slo.status` value, by name; anything that is not a number is `null` (no data),
 * a number that is no reading is `null` too and named in `ignored`.
 */
function slosOf(fact: FactRecord): SloReading[] {
  const value = fact.value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.keys(value)
    .sort()
    .map(name => {
      const slo = (value as Record<string, unknown>)[name];
      const o =
        slo && typeof slo === 'object' && !Array.isArray(slo)
          ? (slo as Record<string, unknown>)
          : {};
      const ignored: string[] = [];
      const reading = (v: unknown, what: 'burn rate' | 'budget remaining') => {
        if (typeof v !== 'number') return null;
        const why = impossibleBecause(v, what);
        if (why === null) return v;
        ignored.push(`${what} ${v} (${why})`);
        return null;
      };
      return {
        name,
        burnRate1h: reading(o.burnRate1h, 'burn rate'),
        budgetRemaining: reading(o.budgetRemaining, 'budget remaining'),
        ignored,
      };
    });
}

function hasData(slo: SloReading): boolean {
  return slo.burnRate1h !== null || slo.budgetRemaining !== null;
}

/** The worst SLO: highest burn rate, lowest remaining budget (each over the SLOs that have it). */
function worst(
  slos: SloReading[],
): Pick<Health, 'burnRate1h' | 'budgetRemaining'> {
  const burns = slos.flatMap(s =>
    s.burnRate1h === null ? [] : [s.burnRate1h],
  );
  const budgets = slos.flatMap(s =>
    s.budgetRemaining === null ? [] : [s.budgetRemaining],
  );
  return {
    burnRate1h: burns.length ? Math.max(...burns) : null,
    budgetRemaining: budgets.length ? Math.min(...budgets) : null,
  };
}

function valuesText(burn: number | null, budget: number | null): string {
  return [
    burn === null ? 'burn rate n/a' : `burn rate ${round(burn)}`,
    budget === null
      ? 'budget n/a'
      : `budget ${round(budget * 100)} %${budget <= 0 ? ' (exhausted)' : ''}`,
  ].join(', ');
}

function slosText(slos: SloReading[]): string {
  const shown = slos
    .slice(0, MAX_SLOS_NAMED)
    .map(s => `${s.name} ${valuesText(s.burnRate1h, s.budgetRemaining)}`);
  const more = slos.length - shown.length;
  return `${shown.join('; ')}${more > 0 ? `; +${more} more` : ''}`;
}

function namesText(names: string[]): string {
  const shown = names.slice(0, MAX_SLOS_NAMED);
  const more = names.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? ` +${more} more` : ''}`;
}

function staleText(own: Extract<OwnSlo, { state: 'stale' }>): string {
  return `${SLO_STATUS_KIND} stale: observed ${own.observedAt}, ${duration(
    own.ageMs,
  )} old, fresh for ${duration(own.windowMs)}`;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** `45 s`, `25 m`, `26 h`, `3 d` (floor). */
function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} m`;
  if (s < 2 * 86400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} d`;
}

const DAY_MS = 86_400_000;

/**
 * When a freeze's `until` ends it, or NaN for none (the freeze then holds until its fact says
 * otherwise). A calendar date covers that whole day in UTC: "until 2026-03-15" means changes on
 * the 15th are still frozen. A time without a zone is not read in this server's zone, whatever
 * that is: it is no end (a calendar's clumsy value, not a reason to lift a freeze early).
 */
export function freezeEndMs(until: unknown): number {
  if (typeof until !== 'string') return Number.NaN;
  if (isIsoDate(until)) return Date.parse(`${until}T00:00:00Z`) + DAY_MS;
  return isIsoInstant(until) ? Date.parse(until) : Number.NaN;
}
