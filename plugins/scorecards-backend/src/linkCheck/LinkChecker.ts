import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { DEFAULT_MAX_BATCH_ITEMS } from '@internal/plugin-evidence-common';
import type { EvidenceService } from '@internal/plugin-evidence-node';
import { createHash } from 'node:crypto';
import {
  collectLinkTargets,
  LinkTarget,
  SkippedLinks,
} from './collectLinkTargets';
import { LinkCheckConfig } from './linkCheckConfig';
import { LinkProbeResult, probeLink } from './probeLink';
import { describeUrl, redactQueries } from './safeUrl';

/** Kind and source of the facts the link checker writes (scorecards §2.5). */
export const LINK_STATUS_KIND = 'link.status';
export const LINK_STATUS_SOURCE = 'linkcheck';

/** Requests in flight at once. */
const DEFAULT_CONCURRENCY = 4;
/** Distinct URLs requested between two fact writes (and abort checks). */
const CHUNK = 200;

/** One requested URL and its outcome. */
type Checked = { target: LinkTarget; result: LinkProbeResult; at: string };

/** Summary of one run. */
export interface LinkCheckReport {
  /** Distinct URLs requested. */
  urls: number;
  /** Of those, answered 2xx. */
  ok: number;
  /** Answered otherwise, or did not answer. */
  broken: number;
  factsWritten: number;
  factsFailed: number;
  skipped: SkippedLinks;
  /** The run stopped early (scheduler timeout or shutdown). */
  aborted?: true;
}

/** Dependencies of the link checker. */
export interface LinkCheckerOptions {
  config: LinkCheckConfig;
  /** Link types to check (see `linkTypesOfStandard`). */
  linkTypes: readonly string[];
  /** The entities of the backend's catalog snapshot. */
  entities: () => Promise<readonly Entity[]>;
  evidence: Pick<EvidenceService, 'writeFacts'>;
  logger: LoggerService;
  fetch?: typeof fetch;
  clock?: () => Date;
  concurrency?: number;
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
}

function idempotencyKey(entityRef: string, key: string, observedAt: string) {
  const digest = createHash('sha256')
    .update(`${entityRef}\n${key}`)
    .digest('hex')
    .slice(0, 32);
  return `linkcheck:${digest}:${observedAt}`;
}

/**
 * The link checker (scorecards §2.5 `link.status`): requests every distinct runbook/dashboard
 * URL of the catalog snapshot that is on an allowed host, once per run, and writes one
 * `link.status` fact per (entity, URL) through the evidence service. Logs name URLs by host and
 * path only; query strings can carry tokens.
 */
export class LinkChecker {
  private warnedDisabled = false;

  constructor(private readonly options: LinkCheckerOptions) {}

  get enabled(): boolean {
    return this.options.config.allowedHosts.size > 0;
  }

  async run(signal?: AbortSignal): Promise<LinkCheckReport | undefined> {
    const { config, logger } = this.options;
    if (!this.enabled) {
      if (!this.warnedDisabled) {
        this.warnedDisabled = true;
        logger.info(
          'scorecards link checker: scorecards.linkCheck.allowedHosts is empty; no links are checked',
        );
      }
      return undefined;
    }
    const { targets, skipped } = collectLinkTargets(
      await this.options.entities(),
      {
        linkTypes: this.options.linkTypes,
        allowedHosts: config.allowedHosts,
        onUserinfo: (entityRef, host) =>
          logger.warn(
            `scorecards link checker: refused a link of ${entityRef} on ${host} with credentials in the URL; remove them from metadata.links`,
          ),
      },
    );
    const report: LinkCheckReport = {
      urls: 0,
      ok: 0,
      broken: 0,
      factsWritten: 0,
      factsFailed: 0,
      skipped,
    };
    for (let i = 0; i < targets.length; i += CHUNK) {
      if (signal?.aborted) {
        report.aborted = true;
        break;
      }
      const chunk = targets.slice(i, i + CHUNK);
      // In catalog order whatever order the answers come in.
      const checked: Checked[] = new Array(chunk.length);
      await forEachLimited(
        chunk.map((target, index) => ({ target, index })),
        this.options.concurrency ?? DEFAULT_CONCURRENCY,
        async ({ target, index }) => {
          const result = await this.probe(target.url);
          checked[index] = { target, result, at: this.now().toISOString() };
        },
      );
      for (const { result } of checked) {
        report.urls++;
        if (result.status >= 200 && result.status < 300) report.ok++;
        else report.broken++;
      }
      await this.write(checked, report);
    }
    logger.info(`scorecards link checker: ${JSON.stringify(report)}`);
    return report;
  }

  private async probe(url: URL): Promise<LinkProbeResult> {
    const { config, logger } = this.options;
    const result = await probeLink(url, {
      isAllowedHost: host => config.allowedHosts.allows(host),
      timeoutMs: config.timeoutMs,
      fetch: this.options.fetch ?? fetch,
    });
    logger.debug(
      `scorecards link checker: ${describeUrl(url)} → ${result.status}${
        result.error ? ` (${result.error})` : ''
      } after ${result.redirects} redirect(s)`,
    );
    return result;
  }

  private async write(
    checked: Checked[],
    report: LinkCheckReport,
  ): Promise<void> {
    const facts = checked.flatMap(({ target, result, at }) =>
      target.owners.map(owner => ({
        entityRef: owner.entityRef,
        source: LINK_STATUS_SOURCE,
        kind: LINK_STATUS_KIND,
        key: owner.key,
        value: { ...result },
        observedAt: at,
        idempotencyKey: idempotencyKey(owner.entityRef, owner.key, at),
      })),
    );
    for (let i = 0; i < facts.length; i += DEFAULT_MAX_BATCH_ITEMS) {
      const batch = facts.slice(i, i + DEFAULT_MAX_BATCH_ITEMS);
      try {
        const { results } = await this.options.evidence.writeFacts(batch);
        for (const item of results) {
          if (item.status === 200 || item.status === 201) {
            report.factsWritten++;
          } else {
            report.factsFailed++;
            // The error names a field, never echoes the URL key into the log.
            this.options.logger.warn(
              `scorecards link checker: link.status fact for ${
                batch[item.index]?.entityRef ?? '?'
              } refused: ${item.error?.code ?? item.status}${
                item.error?.field ? ` (${item.error.field})` : ''
              }`,
            );
          }
        }
      } catch (e) {
        report.factsFailed += batch.length;
        this.options.logger.warn(
          `scorecards link checker: could not write ${
            batch.length
          } link.status fact(s); written again on the next run: ${redactQueries(
            String(e),
          )}`,
        );
      }
    }
  }

  private now(): Date {
    return this.options.clock?.() ?? new Date();
  }
}
