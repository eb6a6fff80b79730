import { BlastRadiusResult } from '../blastRadius/types';
import { GraphIndex } from '../graph/GraphIndex';
import { OPS_KEYS } from '../graph/opsKeys';
import { displayRef, refName } from '../refs/entityRefs';
import { formatClockAt } from './formatTimes';
import { codeSpan } from './markdownText';
import { MissingEvidence } from './missingEvidenceTypes';

const apiNames = (reasons: string[]) =>
  reasons
    .filter(r => r.startsWith('consumesApi:'))
    .map(r => refName(r.slice('consumesApi:'.length)));

/**
 * Edge-level gaps of the examined edges of both searches (§6.2): undeclared and unobserved
 * drift, unverifiable and stale edges, unresolved refs and unmapped telemetry names. Sightings
 * are shown next to incident time `at` (`formatClockAt`): a bare clock from another day would
 * read as "just now".
 */
export function collectEdgeEvidenceGaps(
  index: GraphIndex,
  searches: {
    label: 'blast radius' | 'dependencies';
    result: BlastRadiusResult;
  }[],
  unmapped: { ref: string; name: string; role: 'callee' | 'caller' }[],
  now: string,
  at: string,
): MissingEvidence[] {
  const nowMs = Date.parse(now);
  const out: MissingEvidence[] = [];
  const seen = new Set<string>();
  const once = (key: string) => (seen.has(key) ? false : (seen.add(key), true));
  const retainDays = Math.round(index.options.retainForMs / (24 * 3600_000));
  for (const { label, result } of searches) {
    for (const step of result.examinedEdges) {
      const pair = `${displayRef(step.from)} → ${displayRef(step.to)}`;
      const apis = apiNames(step.reasons);
      if (step.drift === 'undeclared' && once(`U${pair}`)) {
        out.push({
          code: 'EDGE_UNDECLARED',
          severity: 'warn',
          subject: step.from,
          message: `${pair} seen ${formatClockAt(
            step.lastSeen!,
            at,
          )}, not in the catalog.`,
          fix: `add ${codeSpan(
            `dependsOn: ${step.to}`,
          )}, or confirm it is unintended.`,
        });
      }
      if (step.drift === 'unobserved' && once(`N${pair}`)) {
        out.push({
          code: 'EDGE_DECLARED_NOT_OBSERVED',
          severity: 'warn',
          subject: step.from,
          message: `${pair}${
            apis.length ? ` (${apis.join(', ')})` : ''
          } not seen in ${retainDays} d although both emit traces.`,
          fix: null,
        });
      }
      if (step.observation === 'stale' && once(`S${pair}`)) {
        out.push({
          code: 'EDGE_STALE',
          severity: 'info',
          subject: step.from,
          message: `${pair} last seen ${formatClockAt(
            step.lastSeen!,
            at,
          )}; stale evidence does not confirm it.`,
          fix: null,
        });
      }
      if (step.observation === 'unverifiable') {
        const e = index.findEdge(index.idOf(step.from), index.idOf(step.to));
        const why = e >= 0 ? index.unverifiableReason(e, nowMs) : null;
        if (why && once(`V${why.ref}`)) {
          out.push({
            code: 'EDGE_UNVERIFIABLE',
            severity: 'info',
            subject: why.ref,
            message: `${displayRef(why.ref)} has no ${
              why.cause === 'no-alias'
                ? 'telemetry alias'
                : 'service-graph telemetry'
            } (${label})`,
            fix:
              why.cause === 'no-alias'
                ? `add ${OPS_KEYS.aliases} to ${why.ref}`
                : `instrument ${why.ref} with tracing`,
          });
        }
      }
    }
    for (const u of result.unresolved) {
      if (!once(`R${u.ref}|${u.referencedBy}`)) continue;
      out.push({
        code: 'UNRESOLVED_REF',
        severity: 'warn',
        subject: u.referencedBy,
        message: `${displayRef(u.referencedBy)} names ${u.ref}${
          u.reason === 'api-without-provider'
            ? ' (no provider)'
            : ` (${u.reason})`
        }, which is not in the catalog.`,
        fix: `register ${u.ref} or remove the relation from ${u.referencedBy}`,
      });
    }
  }
  for (const u of unmapped) {
    // telemetry names are arbitrary text: fenced so that no content can end the code span
    const name = codeSpan(u.name);
    out.push({
      code: 'UNMAPPED_TELEMETRY',
      severity: 'warn',
      subject: u.ref,
      message:
        u.role === 'callee'
          ? `${displayRef(u.ref)} calls ${name}; no entity has that alias.`
          : `${name} calls ${displayRef(u.ref)}; no entity has that alias.`,
      fix: `add ${codeSpan(
        `${OPS_KEYS.aliases}: ${u.name}`,
      )} to the owning entity.`,
    });
  }
  return out;
}
