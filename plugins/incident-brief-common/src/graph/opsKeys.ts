import { OPS_ANNOTATION_PREFIX } from '../annotations';

/** The suite's annotation and label keys read by the incident brief (§2.1–§2.3). */
export const OPS_KEYS = {
  tier: `${OPS_ANNOTATION_PREFIX}tier`,
  customerFacing: `${OPS_ANNOTATION_PREFIX}customer-facing`,
  aliases: `${OPS_ANNOTATION_PREFIX}aliases`,
  oncall: `${OPS_ANNOTATION_PREFIX}oncall`,
  escalation: `${OPS_ANNOTATION_PREFIX}escalation`,
  chatChannel: `${OPS_ANNOTATION_PREFIX}chat-channel`,
  entryPoints: `${OPS_ANNOTATION_PREFIX}entry-points`,
  regions: `${OPS_ANNOTATION_PREFIX}regions`,
  dataDomains: `${OPS_ANNOTATION_PREFIX}data-domains`,
  lifecycle: `${OPS_ANNOTATION_PREFIX}lifecycle`,
} as const;

/** Splits a comma list annotation into trimmed, non-empty items. */
export function splitList(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map(s => s.trim())
    .filter(s => s.length > 0);
}
