import { z } from 'zod';
import { combineAllOf } from '../../evidence/combineStates';
import {
  evidenceEntry,
  missingEntry,
  outcome,
  unknownReasonForCause,
} from '../../evidence/outcomes';
import {
  EvidenceUsed,
  MissingEvidence,
  RawState,
} from '../../model/resultModel';
import { HostAllowList } from '../../config/hostAllowList';
import { defineCheckType } from '../checkType';

function hostOf(url: string): string | null {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?([^/:?#]+)/i.exec(url);
  return match ? match[1].toLowerCase() : null;
}

/** The links whose type is one of `types`, in entity order. */
function linksOfTypes<L extends { type?: string }>(
  links: readonly L[],
  types: readonly string[],
): L[] {
  const matching: L[] = [];
  for (let i = 0; i < links.length; i++) {
    const type = links[i].type;
    if (typeof type === 'string' && types.includes(type))
      matching.push(links[i]);
  }
  return matching;
}

const paramsSchema = z.strictObject({
  linkTypes: z.array(z.string()).min(1),
  validated: z.boolean().default(false),
});
type Params = z.output<typeof paramsSchema>;
type Compiled = Params & { types: string; expected: string };

/** `entity-link`: metadata.links has a link of a type; optionally every such link answered 2xx. */

/** Link-check errors that say nothing about the link itself, with the hint they give. */
const NOT_TOLD = new Map<string, string>([
  [
    'redirect-not-allowed',
    'redirects to a host outside scorecards.linkCheck.allowedHosts, which the link check does not follow',
  ],
  ['timeout', 'did not answer the link check in time'],
  ['network', 'could not be reached by the link check'],
]);

export const entityLinkCheckType = defineCheckType<Params, Compiled>({
  id: 'entity-link',
  notesTimeLimits: true,
  description:
    'metadata.links contains a link of one of the types; with `validated`, every such link answered 2xx at the last link check.',
  paramsSchema,
  compile: p => {
    const types = p.linkTypes.join(' or ');
    return {
      ...p,
      types,
      expected: p.validated
        ? `every ${types} link in metadata.links answers 2xx`
        : `a ${types} link in metadata.links`,
    };
  },
  needs: p =>
    p.validated
      ? [
          { source: 'catalog', kind: 'catalog' },
          { source: 'linkcheck', kind: 'link.status' },
        ]
      : [{ source: 'catalog', kind: 'catalog' }],
  evaluate(ctx, p) {
    const { types, expected } = p;
    const links = linksOfTypes(ctx.entity.metadata.links ?? [], p.linkTypes);
    const own = ctx.ownCatalogEvidence();
    if (links.length === 0) {
      return outcome(
        'fail',
        'LINK_MISSING',
        `No ${types} link in metadata.links of ${ctx.subject.ref}; expected ${expected}.`,
        expected,
        'no link',
        [own],
      );
    }
    if (!p.validated) {
      return outcome(
        'pass',
        'PASS',
        `${types} link ${links[0].url} in metadata.links.`,
        expected,
        links[0].url,
        [own],
      );
    }
    const states: RawState[] = [];
    const evidence: EvidenceUsed[] = [own];
    const missing: MissingEvidence[] = [];
    const broken: string[] = [];
    const hosts = ctx.config.linkCheckAllowedHosts;
    const allowed = hosts ? HostAllowList.lenient(hosts) : undefined;
    for (const link of links) {
      const host = allowed ? hostOf(link.url) : null;
      if (allowed && (!host || !allowed.allows(host))) {
        states.push('unknown');
        missing.push({
          source: 'linkcheck',
          kind: 'link.status',
          cause: 'not-collected',
          hint: `${link.url} is not checked: host ${
            host ?? '?'
          } is outside scorecards.linkCheck.allowedHosts`,
        });
        continue;
      }
      const read = ctx.evidence('link.status', { key: link.url });
      if (read.state !== 'fresh') {
        states.push('unknown');
        missing.push(missingEntry(read));
        continue;
      }
      const value = read.value as
        | { status?: number; error?: string }
        | undefined;
      const status = Number(value?.status);
      // The checker could not tell: a redirect to a host it may not follow (an SSO page outside
      // the allowlist), or no answer at all. Collection gaps are the platform's (§2.9 rule 3),
      // as a link whose own host is outside the allowlist is: unknown, never the service's fail.
      const notTold =
        typeof value?.error === 'string'
          ? NOT_TOLD.get(value.error)
          : undefined;
      if (notTold) {
        states.push('unknown');
        missing.push({
          source: 'linkcheck',
          kind: 'link.status',
          cause: 'not-collected',
          hint: `${link.url} ${notTold}`,
        });
        continue;
      }
      evidence.push(
        evidenceEntry(read, `${link.url} answered ${status}`, link.url),
      );
      const ok = status >= 200 && status < 300;
      if (!ok) broken.push(`${link.url} (${status})`);
      states.push(ok ? 'pass' : 'fail');
    }
    const state = combineAllOf(states);
    if (state === 'fail') {
      return outcome(
        'fail',
        'LINK_BROKEN',
        `${types} link ${broken.join(
          ', ',
        )} did not answer 2xx at the last link check; expected ${expected}.`,
        expected,
        broken.join(', '),
        evidence,
      );
    }
    if (state === 'unknown') {
      return outcome(
        'unknown',
        unknownReasonForCause(missing[0].cause),
        `Cannot decide: ${missing
          .map(m => m.hint)
          .join('; ')}; expected ${expected}.`,
        expected,
        'no fresh link check',
        evidence,
        missing,
      );
    }
    return outcome(
      'pass',
      'PASS',
      `Every ${types} link answered 2xx at the last link check.`,
      expected,
      `${links.length} link(s) answering 2xx`,
      evidence,
    );
  },
});
