import type { FactRecord } from '@internal/plugin-evidence-common';
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
} from '@internal/plugin-incident-brief-common';

/** The evidence kind of SLO health (evidence §2.2): `{ [sloName]: { lastSampleAt, burnRate1h, budgetRemaining } }`. */
export const SLO_STATUS_KIND = 'slo.status';

/** SLO names listed in a D5 reason before `+N more`. */
const MAX_SLOS_NAMED = 3;
/** Longest `evidence` text of D5 (its reason adds it to about 60 characters of its own). */
const MAX_EVIDENCE_CHARS = 600;

type Health = ChangeRiskInput['health'];

/** Availability of the SLO read, as shown next to the data it fed. */
export type SloHealthAvailability =
  | { available: true; asOf: string }
  | { available: false; cause: string; since: string };

/** One SLO of a fresh `slo.status` fact; `null` where the collector had no series. */
interface SloReading {
  name: string;
  burnRate1h: number | null;
  /** fraction of the error budget left: 1 = untouched, 0 = exhausted, < 0 = overspent */
  budgetRemaining: number | null;
}

/** What one entity's own `slo.status` fact says at a time. */
type OwnSlo =
  | { state: 'none' }
  | { state: 'stale'; observedAt: string; ageMs: number; windowMs: number }
  | { state: 'fresh'; observedAt: string; slos: SloReading[] };

const UNKNOWN: Omit<Health, 'evidence'> = {
  fresh: false,
  burnRate1h: null,
  budgetRemaining: null,
  // no evidence kind is read for these (see README "Not done yet")
  openIncidentOnEntity: false,
  openIncidentOnDependency: false,
  freezeActive: false,
};

/**
 * The SLO health of the entities one answer scores changes for (IB §5 D5), read from evidence in
 * one batched `readEntities` call: the subjects themselves and, for every Resource among them, its
 * direct dependents (a Resource without an SLO of its own takes the worst of them).
 *
 * `healthOf(ref, at)` evaluates the facts as of `at` (a change's `effectiveAt`): a fact older than
 * its `freshForSeconds` at `at` is stale; one observed after `at` is the nearest evidence there is
 * and counts as fresh (evidence-common's `evaluateEvidence`). Stale, missing or unreadable evidence
 * is unknown (D5 = 2), never healthy. The worst SLO of an entity is its highest burn rate and lowest
 * budget; an SLO without data, or a dependent without fresh evidence, makes the reading
 * `incomplete` (at least 2, unknown, unless the fresh part scores higher).
 *
 * The reason text names SLOs of the entity itself only: a Resource's dependents are counted, not
 * named, because a stored risk is shown to everyone who may read the change.
 */
export class SloHealth {
  private constructor(
    private readonly read: EvidenceRead<Map<string, EntityEvidence>>,
    private readonly dependents: ReadonlyMap<string, string[]>,
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
  ): Promise<SloHealth> {
    const refs = new Set<string>();
    const dependents = new Map<string, string[]>();
    for (const raw of subjects) {
      const ref = raw.toLocaleLowerCase('en-US');
      refs.add(ref);
      if (!isResource(ref) || dependents.has(ref)) continue;
      const direct = directDependents(deps.index, ref, deps.now);
      dependents.set(ref, direct);
      for (const d of direct) refs.add(d);
    }
    if (refs.size === 0) {
      return new SloHealth(
        { available: true, asOf: deps.now, data: new Map() },
        dependents,
      );
    }
    const read = await deps.evidence.readEntities([...refs].sort(), {
      include: ['facts'],
      kinds: [SLO_STATUS_KIND],
      ...(deps.cache === false ? { cache: false } : {}),
    });
    return new SloHealth(read, dependents);
  }

  /** Whether the read answered, for the brief's `evidence` block. */
  get availability(): SloHealthAvailability {
    return this.read.available
      ? { available: true, asOf: this.read.asOf }
      : { available: false, cause: this.read.cause, since: this.read.since };
  }

  /** D5's health input for a change of `ref` at `at`. */
  healthOf = (ref: string, at: string): Health => {
    const health = this.assess(ref, at);
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
        ...UNKNOWN,
        evidence: `SLO health unreadable: evidence store ${read.cause} since ${read.since}`,
      };
    }
    const subject = ref.toLocaleLowerCase('en-US');
    if (!read.data.has(subject)) {
      // not among the subjects this answer read (should not happen): unknown, not healthy
      return { ...UNKNOWN, evidence: 'SLO health not read for this entity' };
    }
    const own = this.ownOf(subject, at);
    if (own.state === 'none' && isResource(subject)) {
      return this.worstOfDependents(subject, at);
    }
    if (own.state === 'none') {
      return { ...UNKNOWN, evidence: `no ${SLO_STATUS_KIND} fact` };
    }
    if (own.state === 'stale') return { ...UNKNOWN, evidence: staleText(own) };

    const withData = own.slos.filter(hasData);
    const noData = own.slos.filter(s => !hasData(s)).map(s => s.name);
    const observed = `${SLO_STATUS_KIND} observed ${own.observedAt}`;
    if (withData.length === 0) {
      return {
        ...UNKNOWN,
        evidence:
          own.slos.length === 0
            ? `${observed} lists no SLO`
            : `${observed}: ${namesText(noData)} without data`,
      };
    }
    return {
      ...UNKNOWN,
      ...worst(withData),
      fresh: true,
      ...(noData.length ? { incomplete: true } : {}),
      evidence: `${observed}: ${slosText(withData)}${
        noData.length ? `; ${namesText(noData)} without data` : ''
      }`,
    };
  }

  /** A Resource without an SLO of its own: the worst of its direct dependents (IB §5 D5). */
  private worstOfDependents(resource: string, at: string): Health {
    const direct = this.dependents.get(resource) ?? [];
    if (direct.length === 0) {
      return {
        ...UNKNOWN,
        evidence: 'no SLO of its own and no direct dependents',
      };
    }
    const fresh: SloReading[] = [];
    let stale = 0;
    let missing = 0;
    for (const ref of direct) {
      const own = this.ownOf(ref, at);
      const withData = own.state === 'fresh' ? own.slos.filter(hasData) : [];
      fresh.push(...withData);
      if (own.state === 'stale') stale++;
      else if (own.state === 'none' || withData.length === 0) missing++;
      else if (withData.length < own.slos.length) missing++;
    }
    const count = `${direct.length} direct dependent${
      direct.length === 1 ? '' : 's'
    }`;
    const gaps = [
      stale ? `${stale} with stale ${SLO_STATUS_KIND}` : '',
      missing ? `${missing} without SLO data` : '',
    ]
      .filter(Boolean)
      .join(', ');
    if (fresh.length === 0) {
      return {
        ...UNKNOWN,
        evidence: `no SLO of its own; of its ${count} none has fresh SLO evidence (${gaps})`,
      };
    }
    const w = worst(fresh);
    return {
      ...UNKNOWN,
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

/** Resolved entities at hop 1 of a dependents search: every edge kind, stale observations too. */
function directDependents(
  index: GraphIndex,
  ref: string,
  now: string,
): string[] {
  if (index.idOf(ref) < 0) return [];
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const page = computeBlastRadius(
      index,
      [ref],
      { direction: 'dependents', hops: 1, limit: MAX_LIMIT, cursor },
      now,
    );
    for (const i of page.impacted) if (i.resolved) out.push(i.ref);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** The SLOs of a `slo.status` value, by name; anything that is not a finite number is `null`. */
function slosOf(fact: FactRecord): SloReading[] {
  const value = fact.value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  const num = (v: unknown) =>
    typeof v === 'number' && Number.isFinite(v) ? v : null;
  return Object.keys(value)
    .sort()
    .map(name => {
      const slo = (value as Record<string, unknown>)[name];
      const o =
        slo && typeof slo === 'object' && !Array.isArray(slo)
          ? (slo as Record<string, unknown>)
          : {};
      return {
        name,
        burnRate1h: num(o.burnRate1h),
        budgetRemaining: num(o.budgetRemaining),
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
