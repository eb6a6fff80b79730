import { Entity } from '@backstage/catalog-model';
import {
  MissingEvidence,
  entityRefOf,
  OnCallLookup,
  OPS_KEYS,
  resolveOwnership,
} from '@internal/plugin-incident-brief-common';
import {
  CatalogEntityCache,
  withLoadedEntities,
} from '@internal/plugin-incident-brief-node';

/** Kinds whose incident readiness is checked: the ones a tier and an on-call route apply to. */
const CHECKED_KINDS = ['component', 'resource', 'system'];
const TIER_VALUES = ['1', '2', '3'];

/** One readiness gap, the shape of the `incident.readiness` fact value (evidence §2.2). */
export interface ReadinessGap {
  code: MissingEvidence['code'];
  severity: MissingEvidence['severity'];
  message: string;
}

/** Readiness of one entity: gaps as data, never as processing errors (R26). */
export interface ReadinessReport {
  entityRef: string;
  gaps: ReadinessGap[];
}

/**
 * Readiness asks whether a route is declared, not who is on call now: every declared on-call
 * source counts as answering, so a catalog pass never calls a pager provider.
 */
const declaredRouteAnswers: OnCallLookup = () => ({
  status: 'ok',
  primary: 'declared',
  until: '',
});

/**
 * Checks incident-readiness metadata with the ownership rules of incident-brief-common
 * (`resolveOwnership`: owner resolves to a group, on-call route through the owner or its parents,
 * escalation path, chat channel, runbook; severities by tier) plus the tier label itself.
 */
export class IncidentReadinessChecker {
  constructor(private readonly entities: CatalogEntityCache) {}

  /** True for the kinds readiness applies to. */
  static appliesTo(entity: Entity): boolean {
    return CHECKED_KINDS.includes(entity.kind.toLocaleLowerCase('en-US'));
  }

  /** The entity's gaps; rejects only when the catalog cannot be read (readiness then unknown). */
  async check(entity: Entity): Promise<ReadinessReport> {
    const entityRef = entityRefOf(entity);
    const ownership = await withLoadedEntities(this.entities, lookup =>
      resolveOwnership(entity, lookup, declaredRouteAnswers),
    );
    const gaps: ReadinessGap[] = ownership.issues.map(issue => ({
      code: issue.code,
      severity: issue.severity,
      message: issue.message,
    }));
    const tier = entity.metadata.labels?.[OPS_KEYS.tier];
    if (!tier || !TIER_VALUES.includes(tier.trim())) {
      gaps.push({
        code: 'TIER_MISSING',
        severity: 'warn',
        message: `no valid ${OPS_KEYS.tier} label (got ${tier ?? 'none'}).`,
      });
    }
    return { entityRef, gaps };
  }
}
