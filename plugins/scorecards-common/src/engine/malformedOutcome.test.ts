import { z } from 'zod';
import { defineCheckType } from '../checks/checkType';
import { createDefaultCheckTypeRegistry } from '../checks/defaultRegistry';
import { defaultStandardFile } from '../standard/defaultStandard';
import { loadStandard } from '../standard/parseStandard';
import { baselineWorld } from '../__fixtures__/baselineWorld';
import { evaluateWorld } from '../__fixtures__/evaluateWorld';
import { EntityEvaluation } from '../model/resultModel';

/** Regression tests for the probe's C1–C4 (.scratch/probe-standards): SR33 for extension types. */

const template = defaultStandardFile.checks.find(
  c => c.id === 'dashboard-linked',
)!;

/** The default standard plus one check of a custom type whose evaluate returns `returned`. */
function standardReturning(returned: () => unknown, nested = false) {
  const custom = defineCheckType({
    id: 'custom-probe',
    description: 'returns whatever the test gives it',
    paramsSchema: z.strictObject({}),
    needs: () => [],
    evaluate: returned as () => any,
  });
  const call = { type: 'custom-probe', params: {} };
  return loadStandard(
    {
      ...defaultStandardFile,
      checks: [
        ...defaultStandardFile.checks,
        nested
          ? {
              ...template,
              id: 'custom-check',
              type: 'all-of',
              params: { of: [call] },
            }
          : { ...template, id: 'custom-check', ...call },
      ],
    },
    { registry: createDefaultCheckTypeRegistry([custom]) },
  );
}

const resultOf = (e: EntityEvaluation, id: string) =>
  e.results.find(r => r.checkId === id)!;

const wellFormed = {
  reason: 'X',
  message: 'm',
  expected: 'e',
  found: 'f',
  evidence: [],
  missing: [],
};

describe('a custom check type returning a malformed outcome (SR33)', () => {
  const baseline = evaluateWorld(
    baselineWorld(),
    standardReturning(() => ({
      state: 'pass',
      ...wellFormed,
    })),
  );

  it.each([
    ['undefined', () => undefined, 'got undefined'],
    ['null', () => null, 'got null'],
    ['a string', () => 'pass', 'got string'],
    [
      'unknown without missing[]',
      () => ({ ...wellFormed, state: 'unknown', missing: undefined }),
      'missing is not an array',
    ],
    [
      'a state outside the four',
      () => ({ ...wellFormed, state: 'passed' }),
      'state "passed"',
    ],
    [
      'evidence that is not a list',
      () => ({ ...wellFormed, state: 'pass', evidence: 'x' }),
      'evidence is not an array',
    ],
    [
      'a Promise',
      async () => ({ ...wellFormed, state: 'pass' }),
      'got a Promise',
    ],
    [
      'a reason longer than the backend stores',
      () => ({ ...wellFormed, state: 'fail', reason: 'R'.repeat(65) }),
      'reason is longer than 64 characters',
    ],
    [
      'a missing item that is null',
      () => ({ ...wellFormed, state: 'unknown', missing: [null] }),
      'failed',
    ],
  ])(
    '%s: that check is unknown CHECK_ERROR, every other result unchanged',
    (_, returned, detail) => {
      for (const nested of [false, true]) {
        const e = evaluateWorld(
          baselineWorld(),
          standardReturning(returned, nested),
        );
        const r = resultOf(e, 'custom-check');
        expect(r).toMatchObject({
          state: 'unknown',
          rawState: 'unknown',
          reason: 'CHECK_ERROR',
          attribution: 'service',
        });
        expect(r.message).toContain(detail);
        const others = (x: EntityEvaluation) =>
          x.results
            .filter(o => o.checkId !== 'custom-check')
            .map(o => [o.checkId, o.state]);
        expect(others(e)).toEqual(others(baseline));
        expect(e.score.unknown).toBe(baseline.score.unknown + 1);
      }
    },
  );

  it('a rejected Promise from evaluate is not left unhandled', async () => {
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const std = standardReturning(() => Promise.reject(new Error('late')));
      const e = evaluateWorld(baselineWorld(), std);
      expect(resultOf(e, 'custom-check').reason).toBe('CHECK_ERROR');
      // Let the microtask and the unhandled-rejection tick run.
      await new Promise(resolve => setTimeout(resolve, 0));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
