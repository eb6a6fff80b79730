import { canonicalJson } from '@internal/plugin-evidence-common';
import { deny, pass, RuleResult } from '../../errors/catalogue';
import { gpMessages } from '../../errors/messages';
import { fingerprintBody } from '../../request/requestFingerprint';
import type { NormalizedRequest } from '../../request/types';
import type { LedgerRequestFact } from '../facts';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Dotted paths of the leaves that differ between two normalized requests — names only, never
 * values (GP-I02). Arrays compare as a whole: `additionalAccess`, not `additionalAccess.1`.
 *
 * @public
 */
export function differingFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  prefix = '',
): string[] {
  const keys = [
    ...new Set([...Object.keys(before), ...Object.keys(after)]),
  ].sort();
  const out: string[] = [];
  for (const key of keys) {
    const a = before[key];
    const b = after[key];
    const path = prefix ? `${prefix}.${key}` : key;
    if (isRecord(a) && isRecord(b)) out.push(...differingFields(a, b, path));
    else if (canonicalJson(a ?? null) !== canonicalJson(b ?? null))
      out.push(path);
  }
  return out;
}

const LIVE = ['open', 'running', 'awaiting-approval'];

/**
 * I02 (same key, different request), I03 (lease held by a live task), I04 (template version
 * changed under a started request), against the ledger row found for the key (§4.4).
 *
 * @public
 */
export function checkLedger(p: {
  ledger?: LedgerRequestFact;
  requestKey: string;
  fingerprint: string;
  templateRef: string;
  templateVersion: string;
  request: Record<string, unknown>;
  now: string;
}): RuleResult[] {
  const l = p.ledger;
  if (!l) return [pass('GP-I02'), pass('GP-I03')];
  if (l.fingerprint !== p.fingerprint || l.templateRef !== p.templateRef) {
    // Compared in hashed form on both sides: `request_json` holds the normalized request as
    // ledger:open sent it (with `kind` and the excluded fields), the caller may pass either form.
    const hashed = (r: Record<string, unknown>) =>
      fingerprintBody(r as unknown as NormalizedRequest);
    const fields = differingFields(hashed(l.request), hashed(p.request));
    if (l.templateRef !== p.templateRef) fields.unshift('template');
    return [
      deny(
        'GP-I02',
        gpMessages.i02({
          key: p.requestKey,
          at: l.createdAt,
          user: l.createdBy,
          fields,
        }),
      ),
    ];
  }
  const out: RuleResult[] = [pass('GP-I02')];
  const leaseLive =
    LIVE.includes(l.status) &&
    l.leaseTaskId !== undefined &&
    l.leaseUntil !== undefined &&
    Date.parse(l.leaseUntil) > Date.parse(p.now);
  if (leaseLive) {
    out.push(
      deny(
        'GP-I03',
        gpMessages.i03({
          key: p.requestKey,
          taskId: l.leaseTaskId!,
          startedAt: l.leaseStartedAt ?? l.createdAt,
        }),
      ),
    );
  } else out.push(pass('GP-I03'));
  if (l.status !== 'succeeded' && l.templateVersion !== p.templateVersion) {
    out.push(
      deny(
        'GP-I04',
        gpMessages.i04({
          key: p.requestKey,
          old: l.templateVersion,
          new: p.templateVersion,
        }),
      ),
    );
  }
  return out;
}
