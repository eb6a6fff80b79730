import { demoEvaluator } from '../__fixtures__/demoEvaluator';
import { platformGap, scenario } from '../__fixtures__/scenarios';
import { EntityEvaluation } from '../model/resultModel';
import {
  CompactEvaluation,
  CompactEvaluationError,
  compactEvaluation,
  expandEvaluation,
} from './compactEvaluation';

const { standard, entities, evaluate } = demoEvaluator();

/** Every scored entity of the demo catalog (§6.3), evaluated as the processor does. */
const demoEvaluations: EntityEvaluation[] = entities.flatMap(entity => {
  const evaluation = evaluate(entity);
  return evaluation.scored ? [evaluation] : [];
});

/** What the receiver sees: the value after JSON, as posted. */
const overTheWire = <T>(value: T): T => JSON.parse(JSON.stringify(value));

const roundTrip = (e: EntityEvaluation, s = standard) =>
  overTheWire(expandEvaluation(overTheWire(compactEvaluation(e, s)), s));

describe('compactEvaluation / expandEvaluation', () => {
  it('restores every demo result set exactly (as JSON)', () => {
    expect(demoEvaluations.length).toBeGreaterThan(20);
    for (const evaluation of demoEvaluations) {
      expect(roundTrip(evaluation)).toEqual(overTheWire(evaluation));
    }
  });

  it('covers fixes, waivers, blockers, notes and evidence in that round trip', () => {
    const results = demoEvaluations.flatMap(e => e.results);
    expect(results.filter(r => r.fix).length).toBeGreaterThan(10);
    expect(results.filter(r => r.waiver).length).toBeGreaterThan(0);
    expect(results.filter(r => r.notes.length > 0).length).toBeGreaterThan(0);
    expect(results.filter(r => r.evidence.length > 0).length).toBeGreaterThan(
      100,
    );
    expect(demoEvaluations.flatMap(e => e.blockers).length).toBeGreaterThan(10);
  });

  it('restores a platform-attributed result with its capability (SC10)', () => {
    const { evaluation, standard: gapStandard } = platformGap();
    expect(
      evaluation.results.some(r => r.platformCapability !== undefined),
    ).toBe(true);
    expect(roundTrip(evaluation, gapStandard)).toEqual(overTheWire(evaluation));
  });

  it('restores a result in a phased rollout with its next phase (SC8)', () => {
    const { evaluation, standard: phased } = scenario(undefined, {
      'prod-deploy-protected': {
        rollout: [
          { phase: 'observe', from: '2026-03-01' },
          { phase: 'remediate', from: '2026-04-01' },
        ],
      },
    });
    expect(evaluation.results.some(r => r.nextPhase)).toBe(true);
    expect(roundTrip(evaluation, phased)).toEqual(overTheWire(evaluation));
  });

  it('leaves out what the standard holds and sends fixes as true', () => {
    const evaluation = demoEvaluations.find(e => e.blockers.length > 0)!;
    const compact = overTheWire(compactEvaluation(evaluation, standard));
    for (const r of compact.results) {
      expect(r).not.toHaveProperty('title');
      expect(r).not.toHaveProperty('theme');
      expect(r).not.toHaveProperty('severity');
      expect(r).not.toHaveProperty('checkVersion');
    }
    const fixes = compact.results.flatMap(r => (r.fix ? [r.fix] : []));
    expect(fixes.length).toBeGreaterThan(0);
    expect(new Set(fixes)).toEqual(new Set([true]));
    for (const b of compact.blockers) {
      expect(b).not.toHaveProperty('message');
      expect(b).not.toHaveProperty('fix');
    }
    const full = JSON.stringify(evaluation).length;
    const sent = JSON.stringify(compact).length;
    expect(sent).toBeLessThan(full * 0.8);
  });

  it('sends a field that differs from the definition as it is', () => {
    const evaluation = structuredClone(demoEvaluations[0]);
    const [first, second] = evaluation.results;
    first.title = 'A title the standard does not have';
    first.checkVersion = 99;
    second.fix = { summary: 'Another fix', url: 'https://docs.example.com/x' };
    const compact = compactEvaluation(evaluation, standard);
    expect(compact.results[0].title).toBe(first.title);
    expect(compact.results[0].checkVersion).toBe(99);
    expect(compact.results[1].fix).toEqual(second.fix);
    expect(roundTrip(evaluation)).toEqual(overTheWire(evaluation));
  });

  it('keeps a blocker without a fix, or with its own message, apart from its result', () => {
    const evaluation = structuredClone(
      demoEvaluations.find(e =>
        e.blockers.some(b => e.results.find(r => r.checkId === b.checkId)?.fix),
      )!,
    );
    const blocker = evaluation.blockers.find(
      b => evaluation.results.find(r => r.checkId === b.checkId)?.fix,
    )!;
    delete blocker.fix;
    blocker.message = 'A message of its own';
    const compact = compactEvaluation(evaluation, standard);
    const sent = compact.blockers[evaluation.blockers.indexOf(blocker)];
    expect(sent.fix).toBeNull();
    expect(sent.message).toBe('A message of its own');
    expect(roundTrip(evaluation)).toEqual(overTheWire(evaluation));
  });

  it('does not change the evaluation it compacts', () => {
    const evaluation = demoEvaluations[1];
    const before = JSON.stringify(evaluation);
    compactEvaluation(evaluation, standard);
    expect(JSON.stringify(evaluation)).toBe(before);
  });

  it('names the result whose check the standard does not have', () => {
    const compact = overTheWire(
      compactEvaluation(demoEvaluations[0], standard),
    ) as CompactEvaluation;
    compact.results[2].checkId = 'no-such-check';
    expect(() => expandEvaluation(compact, standard)).toThrow(
      CompactEvaluationError,
    );
    expect(() =>
      expandEvaluation(compact, standard, 'results[4].evaluation'),
    ).toThrow(
      'results[4].evaluation.results[2].checkId "no-such-check" is not a check of default@',
    );
  });

  it('names a blocker that cannot be completed', () => {
    const { evaluation } = scenario();
    const compact = overTheWire(
      compactEvaluation(
        { ...evaluation, blockers: [blockerOf('no-such-check')] },
        standard,
      ),
    );
    delete compact.blockers[0].message;
    expect(() => expandEvaluation(compact, standard)).toThrow(
      'evaluation.blockers[0].message is required: "no-such-check" has no result in this set to take it from',
    );
  });
});

function blockerOf(checkId: string): EntityEvaluation['blockers'][number] {
  return {
    level: 'L1',
    checkId,
    state: 'fail',
    attribution: 'service',
    message: 'Failing.',
    missing: [],
  };
}
