import { baselineWorld, World } from '../../__fixtures__/baselineWorld';
import { evaluateWorld } from '../../__fixtures__/evaluateWorld';
import { compileWith } from '../../__fixtures__/standards';
import { before } from '../../__fixtures__/time';

/** Ledger checks read a record's time as the store's clock rules put it (evidence §3.8). */

const standard = compileWith();

function resultOf(checkId: string, change: (w: World) => void) {
  const w = baselineWorld();
  change(w);
  return evaluateWorld(w, standard).results.find(r => r.checkId === checkId)!;
}

/**
 * The only production deploy is an old one whose CI clock ran a year ahead: the store keeps its
 * `startedAt` as sent, flags it SKEWED and puts its `effectiveAt` at receipt (100 d ago).
 */
function onlySkewedOldDeploy(w: World) {
  const [skewed] = w.ledger;
  delete skewed.finishedAt;
  skewed.startedAt = '2027-03-14T02:05:00Z';
  skewed.effectiveAt = before({ d: 100 });
  w.ledger = [skewed];
}

describe('ledger checks and a deploy whose clock ran ahead', () => {
  it('deploy-recent does not count it as recent for a year', () => {
    expect(resultOf('deploy-recent', onlySkewedOldDeploy)).toMatchObject({
      state: 'fail',
      reason: 'DEPLOY_TOO_OLD',
    });
  });

  it('deploy-recent still passes on a deploy without a clock problem', () => {
    expect(resultOf('deploy-recent', () => undefined)).toMatchObject({
      state: 'pass',
    });
  });

  it('deploy-immutable-artifact judges the latest deploy by when it took effect', () => {
    const r = resultOf('deploy-immutable-artifact', w => {
      // The skewed one moves a tag, and sorted by its raw start it would be the latest.
      const [latest, older] = w.ledger;
      const skewed = {
        ...older,
        id: 'D-skewed',
        startedAt: '2027-03-14T02:05:00Z',
        effectiveAt: before({ d: 100 }),
        attributes: { artifactDigest: 'registry/app:latest' },
      };
      delete skewed.finishedAt;
      w.ledger = [latest, skewed];
    });
    expect(r).toMatchObject({ state: 'pass' });
  });
});
