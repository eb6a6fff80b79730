import { OPS_ANNOTATION_PREFIX } from '@internal/plugin-incident-brief-common';
import { z } from 'zod';
import { internalize } from '../../model/internalize';
import { outcome } from '../../evidence/outcomes';
import { DAY_SECONDS } from '../../evidence/formatAge';
import { defineCheckType } from '../checkType';
import {
  downSource,
  edgeSourceOf,
  ledgerSourceOf,
  sourceDownEntry,
} from '../sourceDown';
import { MissingEvidence } from '../../model/resultModel';
import { stillHolds } from '../../engine/timeLimits';
import { LedgerRecord, recordTime } from '../../evidence/evidenceTypes';
import { parseInstantMs } from '../../evidence/instant';
import { compareText } from '../../model/compareText';
import { isDateOnly, zonedDateProblem } from '../../model/isoDates';

const ARCHIVED_ON = internalize(`${OPS_ANNOTATION_PREFIX}archived-on`);

/**
 * From when a deploy counts as "after archiving", or NaN when the value is no date. Golden
 * paths write the UTC date of the archive transition: the last deploys of that day came before
 * it, so a date counts from the end of that day; an instant with a zone counts from itself. A
 * date-time without a zone is no date (`zonedDateProblem`): read in the server's zone it would
 * move by hours.
 */
function archivedEndMs(value: string | undefined): number {
  if (typeof value !== 'string' || zonedDateProblem(value) !== null)
    return Number.NaN;
  return Date.parse(value) + (isDateOnly(value) ? DAY_SECONDS * 1000 : 0);
}

/**
 * The version (else id) of the newest of `deploys`, ties by id as the ledger rules order them:
 * the message names it rather than a count, which a compacted ledger would not know.
 */
function newestLabel(deploys: readonly LedgerRecord[]): string {
  let newest = deploys[0];
  let newestMs = parseInstantMs(recordTime(newest));
  for (const d of deploys) {
    const ms = parseInstantMs(recordTime(d));
    if (
      ms > newestMs ||
      (ms === newestMs && compareText(d.id, newest.id) > 0)
    ) {
      newest = d;
      newestMs = ms;
    }
  }
  return newest.version ?? newest.id;
}

/**
 * `archived-activity`: an archived entity has no recent inbound traffic and no production deploy
 * since archiving. Activity on record fails at once; its absence counts only while the edge
 * source and the change ledger are both up.
 */
export const archivedActivityCheckType = defineCheckType({
  id: 'archived-activity',
  notesTimeLimits: true,
  description:
    'No observed inbound edge seen within windowDays and no succeeded production deploy after ops.example.com/archived-on.',
  paramsSchema: z.strictObject({
    windowDays: z.number().int().min(1).default(30),
  }),
  // The newest succeeded production deploy decides it (compactLedger).
  ledgerNeeds: () => ({ perClass: 1, artifacts: 0 }),
  needs: () => [
    { source: 'prometheus', kind: 'observed.edges' },
    { source: 'ledger', kind: 'ledger' },
  ],
  evaluate(ctx, p) {
    const expected = `no inbound traffic in ${p.windowDays} d and no production deploy after ${ARCHIVED_ON}`;
    const archivedOn = ctx.entity.metadata.annotations?.[ARCHIVED_ON];
    const archivedMs = archivedEndMs(archivedOn);
    if (Number.isNaN(archivedMs)) {
      return outcome(
        'fail',
        'FIELD_MISSING',
        `${ARCHIVED_ON} is not set to an ISO date on ${ctx.subject.ref}; expected the archiving date.`,
        expected,
        'not set',
        [ctx.ownCatalogEvidence()],
      );
    }
    const windowMs = p.windowDays * DAY_SECONDS * 1000;
    const inbound = ctx.edges.filter(e => {
      if (e.to !== ctx.subject.ref) return false;
      const seenMs = Date.parse(e.lastSeen);
      return stillHolds(
        ctx.nowMs - seenMs <= windowMs,
        ctx.nowMs,
        seenMs + windowMs,
      );
    });
    const deploys = ctx.ledger.filter(
      r =>
        r.kind === 'deploy' &&
        r.environment === 'production' &&
        r.status === 'succeeded' &&
        Date.parse(recordTime(r)) > archivedMs,
    );
    const evidence = [ctx.ownCatalogEvidence()];
    if (inbound.length > 0 || deploys.length > 0) {
      const parts: string[] = [];
      if (inbound.length > 0)
        parts.push(
          `${inbound.length} inbound caller(s) seen in the last ${
            p.windowDays
          } d (${inbound.map(e => e.from ?? e.fromName).join(', ')})`,
        );
      if (deploys.length > 0)
        parts.push(
          `production deploy ${newestLabel(deploys)} after ${archivedOn}`,
        );
      return outcome(
        'fail',
        'ARCHIVED_ACTIVE',
        `Archived on ${archivedOn} but ${parts.join(' and ')}.`,
        expected,
        parts.join('; '),
        evidence,
      );
    }
    // No activity on record: that proves inactivity only while both sources are up (§2.5: a
    // fresh fail above is decided first; an outage of either makes "none" unknown).
    const missing: MissingEvidence[] = [];
    const edgesDown = downSource(ctx, edgeSourceOf(ctx));
    if (edgesDown)
      missing.push(
        sourceDownEntry(edgesDown, 'observed.edges', 'inbound traffic'),
      );
    const ledgerDown = downSource(ctx, ledgerSourceOf(ctx));
    if (ledgerDown)
      missing.push(sourceDownEntry(ledgerDown, 'ledger', 'production deploys'));
    if (missing.length > 0) {
      return outcome(
        'unknown',
        'SOURCE_UNAVAILABLE',
        `Cannot decide: ${missing
          .map(m => m.hint)
          .join('; ')}; expected ${expected}.`,
        expected,
        'source unavailable',
        evidence,
        missing,
      );
    }
    return outcome(
      'pass',
      'PASS',
      `No inbound traffic in ${p.windowDays} d and no deploy since ${archivedOn}.`,
      expected,
      'inactive',
      evidence,
    );
  },
});
