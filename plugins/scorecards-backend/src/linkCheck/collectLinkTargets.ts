import { Entity } from '@backstage/catalog-model';
import {
  CompiledStandard,
  entityRefOf,
  isScoredKind,
} from '@internal/plugin-scorecards-common';
import { HostAllowList } from '@internal/plugin-scorecards-common';
import { hasUserinfo, parseHttpUrl } from './safeUrl';

/** Link types always checked: runbooks (`runbook-link-valid`) and dashboards. */
export const DEFAULT_LINK_TYPES: readonly string[] = ['runbook', 'dashboard'];

/** Longest `key` the evidence store accepts (evidence §3.1). */
const MAX_KEY_LENGTH = 512;

/**
 * The link types the standard's `entity-link` checks read, nested in combinators included,
 * plus {@link DEFAULT_LINK_TYPES}.
 */
export function linkTypesOfStandard(standard: CompiledStandard): string[] {
  const types = new Set(DEFAULT_LINK_TYPES);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const call = node as { type?: unknown; params?: unknown };
    const params = call.params as { linkTypes?: unknown } | undefined;
    if (call.type === 'entity-link' && Array.isArray(params?.linkTypes)) {
      for (const t of params!.linkTypes)
        if (typeof t === 'string') types.add(t);
    }
    Object.values(node).forEach(visit);
  };
  for (const check of standard.checks) {
    visit({ type: check.definition.type, params: check.definition.params });
  }
  return [...types].sort();
}

/** One entity link to record: the fact is keyed by the URL exactly as the entity spells it. */
export interface LinkOwner {
  entityRef: string;
  key: string;
}

/** One distinct URL to request and the entity links it answers for. */
export interface LinkTarget {
  url: URL;
  owners: LinkOwner[];
}

/** Links of the selected types that are not requested, by cause. */
export interface SkippedLinks {
  /** Not an absolute http(s) URL. */
  notHttp: number;
  /** Host outside `allowedHosts`. */
  notAllowed: number;
  /** `https://user:secret@host/`: refused, never requested nor stored. */
  userinfo: number;
  /** Longer than the evidence store's key limit. */
  tooLong: number;
}

/**
 * The distinct URLs to request, from the links of `linkTypes` of every scored entity: http(s)
 * only, allowed hosts only, no userinfo. Two spellings of one URL are requested once.
 * `onUserinfo` is told the entity and host of every refused link (never the URL).
 */
export function collectLinkTargets(
  entities: readonly Entity[],
  options: {
    linkTypes: readonly string[];
    allowedHosts: HostAllowList;
    onUserinfo?: (entityRef: string, host: string) => void;
  },
): { targets: LinkTarget[]; skipped: SkippedLinks } {
  const skipped: SkippedLinks = {
    notHttp: 0,
    notAllowed: 0,
    userinfo: 0,
    tooLong: 0,
  };
  const byHref = new Map<string, LinkTarget>();
  for (const entity of entities) {
    if (!isScoredKind(entity.kind)) continue;
    const entityRef = entityRefOf(entity);
    const seen = new Set<string>();
    for (const link of entity.metadata.links ?? []) {
      if (!link.type || !options.linkTypes.includes(link.type)) continue;
      const key = link.url;
      if (typeof key !== 'string' || seen.has(key)) continue;
      seen.add(key);
      const url = parseHttpUrl(key);
      if (!url) {
        skipped.notHttp++;
      } else if (hasUserinfo(url)) {
        skipped.userinfo++;
        options.onUserinfo?.(entityRef, url.host);
      } else if (!options.allowedHosts.allows(url.hostname)) {
        skipped.notAllowed++;
      } else if (key.length > MAX_KEY_LENGTH) {
        skipped.tooLong++;
      } else {
        url.hash = ''; // never sent; two fragments of one page are one request
        let target = byHref.get(url.href);
        if (!target) {
          target = { url, owners: [] };
          byHref.set(url.href, target);
        }
        target.owners.push({ entityRef, key });
      }
    }
  }
  return { targets: [...byHref.values()], skipped };
}
