import { baselineWorld, World } from '../../__fixtures__/baselineWorld';
import { evaluateWorld } from '../../__fixtures__/evaluateWorld';
import { compileWith } from '../../__fixtures__/standards';
import { before } from '../../__fixtures__/time';

/** `deprecation-plan` (scorecards §4): replaced-by, retire-by and a Group owner. */

const standard = compileWith();
const REPLACED_BY = 'ops.example.com/replaced-by';
const RETIRE_BY = 'ops.example.com/retire-by';

function plan(annotations: Record<string, string | undefined>) {
  return (w: World) => {
    (w.entity.spec as Record<string, unknown>).lifecycle = 'deprecated';
    const own = w.entity.metadata.annotations!;
    own[REPLACED_BY] = 'component:default/ref-api-v2';
    own[RETIRE_BY] = '2026-06-30';
    for (const [k, v] of Object.entries(annotations)) {
      if (v === undefined) delete own[k];
      else own[k] = v;
    }
  };
}

const staleSnapshot = (w: World) => (w.refreshedAt = before({ m: 11 }));

function deprecationPlan(...changes: ((w: World) => void)[]) {
  const w = baselineWorld();
  for (const change of changes) change(w);
  return evaluateWorld(w, standard).results.find(
    r => r.checkId === 'deprecation-plan',
  )!;
}

describe('deprecation-plan decides from the entity’s own annotations before the snapshot', () => {
  it.each<[string, ((w: World) => void)[], string, string, string]>([
    ['complete, fresh snapshot', [plan({})], 'pass', 'PASS', 'ref-api-v2'],
    [
      'complete, stale snapshot (the replacement and owner cannot be checked)',
      [plan({}), staleSnapshot],
      'unknown',
      'SOURCE_UNAVAILABLE',
      'catalog snapshot',
    ],
    [
      'no retire-by, stale snapshot',
      [plan({ [RETIRE_BY]: undefined }), staleSnapshot],
      'fail',
      'PLAN_INCOMPLETE',
      `${RETIRE_BY} is not set`,
    ],
    [
      'no replaced-by, stale snapshot',
      [plan({ [REPLACED_BY]: undefined }), staleSnapshot],
      'fail',
      'PLAN_INCOMPLETE',
      `${REPLACED_BY} is not set`,
    ],
    [
      'a retire-by that is no date, stale snapshot',
      [plan({ [RETIRE_BY]: 'soon' }), staleSnapshot],
      'fail',
      'PLAN_INCOMPLETE',
      `${RETIRE_BY} must be an ISO-8601 date or instant`,
    ],
    [
      'replaced-by none and no retire-by, stale snapshot',
      [plan({ [REPLACED_BY]: 'none', [RETIRE_BY]: undefined }), staleSnapshot],
      'fail',
      'PLAN_INCOMPLETE',
      `${RETIRE_BY} is not set`,
    ],
    [
      'a replacement that does not resolve, fresh snapshot',
      [plan({ [REPLACED_BY]: 'component:default/ghost' })],
      'fail',
      'PLAN_INCOMPLETE',
      'does not resolve',
    ],
  ])('%s', (_label, changes, state, reason, text) => {
    const r = deprecationPlan(...changes);
    expect(r).toMatchObject({ state, reason });
    expect(r.message).toContain(text);
  });
});
