import { OPS_ANNOTATION_PREFIX } from '@internal/plugin-incident-brief-common';
import { z } from 'zod';
import { joinStrings } from '../../model/joinStrings';
import { internalize } from '../../model/internalize';
import { splitList } from '../../catalog/entitySubject';
import { combineAllOf, combineAnyOf } from '../../evidence/combineStates';
import {
  evidenceEntry,
  outcome,
  unknownFromReads,
} from '../../evidence/outcomes';
import { formatAge, parseInstant } from '../../evidence/formatAge';
import { EvidenceRead } from '../../evidence/readEvidence';
import { EvidenceUsed, RawState } from '../../model/resultModel';
import { defineCheckType } from '../checkType';
import { compileGlob } from '../globPattern';
import { stillHolds } from '../../engine/timeLimits';

const SLO_IDS = internalize(`${OPS_ANNOTATION_PREFIX}slo-ids`);

const paramsSchema = z.strictObject({
  require: z.enum(['defined', 'traffic', 'burnAlert']),
  trafficWithinSeconds: z.number().int().min(1).default(86400),
  /** OpenSLO file locations that count for `defined` (scorecards §4; evidence R-6). */
  repoPaths: z.array(z.string()).default(['slo/**', 'slo.yaml', 'slo.yml']),
});

type Params = z.output<typeof paramsSchema>;
type Compiled = Params & { globs: RegExp[]; expected: string };

function expectedOf(p: Params): string {
  switch (p.require) {
    case 'defined':
      return 'every SLO id in ops.example.com/slo-ids defined in Prometheus or as an OpenSLO file';
    case 'traffic':
      return `every listed SLO has an SLI sample within ${formatAge(
        p.trafficWithinSeconds,
      )}`;
    default:
      return 'every listed SLO has at least one burn-rate alerting rule labelled slo_id';
  }
}

function definedInRepo(
  read: EvidenceRead,
  id: string,
  globs: RegExp[],
): boolean {
  const files =
    (read.value as { openSlo?: { path: string; id: string }[] } | undefined)
      ?.openSlo ?? [];
  return files.some(f => f.id === id && globs.some(g => g.test(f.path)));
}

/** The SLO ids of an annotation value and their list in words, read-only. */
interface SloIds {
  ids: readonly string[];
  idList: string;
}

/** The last annotation value split: the three slo checks of an evaluation run one after another. */
let lastValue: string | undefined;
let lastIds: SloIds = { ids: [], idList: '' };

function sloIds(value: string | undefined): SloIds {
  if (value !== lastValue) {
    const ids = splitList(value);
    lastIds = { ids, idList: joinStrings(ids, ', ') };
    lastValue = value;
  }
  return lastIds;
}

/** Three-valued test of a read: unknown unless fresh. */
function freshTest(read: EvidenceRead, test: () => boolean): RawState {
  if (read.state !== 'fresh') return 'unknown';
  return test() ? 'pass' : 'fail';
}

/** `slo`: listed SLOs are defined (Prometheus or OpenSLO file), have traffic, or have burn-rate alerts. */
export const sloCheckType = defineCheckType<Params, Compiled>({
  id: 'slo',
  notesTimeLimits: true,
  description:
    'Each SLO id in ops.example.com/slo-ids is defined (in Prometheus or as an OpenSLO file), has a recent SLI sample, or has a burn-rate alert.',
  paramsSchema,
  compile: p => ({
    ...p,
    globs: p.repoPaths.map(compileGlob),
    expected: expectedOf(p),
  }),
  needs: p =>
    p.require === 'defined'
      ? [
          { source: 'prometheus', kind: 'slo.definitions' },
          { source: 'repo', kind: 'repo.files' },
        ]
      : [
          {
            source: 'prometheus',
            kind: p.require === 'traffic' ? 'slo.status' : 'slo.alerts',
          },
        ],
  evaluate(ctx, p) {
    const { ids, idList } = sloIds(ctx.entity.metadata.annotations?.[SLO_IDS]);
    const expected = p.expected;
    if (ids.length === 0) {
      return outcome(
        'fail',
        'SLO_MISSING',
        `No SLO listed in ${SLO_IDS} on ${ctx.subject.ref}; expected ${expected}.`,
        expected,
        'no SLO ids',
        [ctx.ownCatalogEvidence()],
      );
    }
    if (p.require === 'defined') {
      const prom = ctx.evidence('slo.definitions');
      const repo = ctx.evidence('repo.files');
      const perId: RawState[] = [];
      const undefinedIds: string[] = [];
      for (const id of ids) {
        const promIds =
          (prom.value as { ids?: Record<string, unknown> } | undefined)?.ids ??
          {};
        // Own keys only: `in` finds `constructor` or `toString` on every object.
        const inProm = freshTest(prom, () => Object.hasOwn(promIds, id));
        const inRepo = freshTest(repo, () => definedInRepo(repo, id, p.globs));
        const state = combineAnyOf([inProm, inRepo]);
        if (state === 'fail') undefinedIds.push(id);
        perId.push(state);
      }
      const state = combineAllOf(perId);
      const evidence: EvidenceUsed[] = [ctx.ownCatalogEvidence()];
      if (prom.state === 'fresh')
        evidence.push(evidenceEntry(prom, 'SLO definitions in Prometheus'));
      if (repo.state === 'fresh')
        evidence.push(evidenceEntry(repo, 'OpenSLO files in the repository'));
      if (state === 'pass') {
        return outcome(
          'pass',
          'PASS',
          `SLO ${idList} defined.`,
          expected,
          idList,
          evidence,
        );
      }
      if (state === 'fail') {
        return outcome(
          'fail',
          'SLO_MISSING',
          `SLO ${undefinedIds.join(
            ', ',
          )} is listed but defined neither in Prometheus nor as an OpenSLO file; expected ${expected}.`,
          expected,
          `${undefinedIds.join(', ')} undefined`,
          evidence,
        );
      }
      const stale = [prom, repo].filter(r => r.state !== 'fresh');
      return unknownFromReads(stale, expected, evidence);
    }
    const kind = p.require === 'traffic' ? 'slo.status' : 'slo.alerts';
    const read = ctx.evidence(kind);
    if (read.state !== 'fresh')
      return unknownFromReads([read], expected, [ctx.ownCatalogEvidence()]);
    const value = (read.value ?? {}) as Record<
      string,
      { lastSampleAt?: string; burnRateRules?: number }
    >;
    const failing = ids.filter(id => {
      const entry = Object.hasOwn(value, id) ? value[id] : undefined;
      if (p.require === 'traffic') {
        const at = parseInstant(entry?.lastSampleAt);
        if (Number.isNaN(at)) return true;
        const within = p.trafficWithinSeconds;
        return !stillHolds(
          !((ctx.nowMs - at) / 1000 > within),
          ctx.nowMs,
          at + within * 1000,
        );
      }
      return !(Number(entry?.burnRateRules) >= 1);
    });
    const evidence = [
      ctx.ownCatalogEvidence(),
      evidenceEntry(read, `${kind} for ${idList}`),
    ];
    if (failing.length === 0) {
      return outcome(
        'pass',
        'PASS',
        p.require === 'traffic'
          ? `SLO ${idList} had SLI samples within ${formatAge(
              p.trafficWithinSeconds,
            )}.`
          : `SLO ${idList} each have burn-rate alerting rules.`,
        expected,
        idList,
        evidence,
      );
    }
    return outcome(
      'fail',
      p.require === 'traffic' ? 'SLO_NO_TRAFFIC' : 'SLO_NO_BURN_ALERT',
      p.require === 'traffic'
        ? `SLO ${failing.join(', ')} has no SLI sample within ${formatAge(
            p.trafficWithinSeconds,
          )}; expected ${expected}.`
        : `SLO ${failing.join(
            ', ',
          )} has no burn-rate alerting rule labelled slo_id; expected ${expected}.`,
      expected,
      `${failing.join(', ')} failing`,
      evidence,
    );
  },
});
