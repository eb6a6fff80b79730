import {
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  DefaultScorecardsResultsHandoff,
  ResultSetsReceiver,
  ScorecardsResultsHandoff,
  scorecardsResultsHandoffServiceRef,
} from './resultsHandoff';

/** A feature of `pluginId` (a module of it with `moduleId`) that hands `use` its view. */
function featureOf(
  pluginId: string,
  use: (handoff: ScorecardsResultsHandoff) => void,
  moduleId?: string,
) {
  const register = (env: any) =>
    env.registerInit({
      deps: { handoff: scorecardsResultsHandoffServiceRef },
      async init({ handoff }: { handoff: ScorecardsResultsHandoff }) {
        use(handoff);
      },
    });
  return moduleId
    ? createBackendModule({ pluginId, moduleId, register })
    : createBackendPlugin({ pluginId, register });
}

describe('scorecardsResultsHandoffServiceRef', () => {
  it('hands the scorecards plugin’s receiver to the catalog plugin only, and only scorecards registers one', async () => {
    const receiver: ResultSetsReceiver = async sets => ({
      accepted: sets.length,
    });
    const seen: Record<string, ResultSetsReceiver | undefined> = {};
    const refused: Record<string, string> = {};
    const tryToRegister = (id: string, handoff: ScorecardsResultsHandoff) => {
      try {
        handoff.setReceiver(async () => ({ accepted: 0 }));
      } catch (e) {
        refused[id] = (e as Error).message;
      }
    };
    const backend = await startTestBackend({
      features: [
        featureOf('scorecards', handoff => handoff.setReceiver(receiver)),
        // Modules init after their plugin's own features; reading later finds the receiver.
        featureOf(
          'catalog',
          handoff => {
            seen.catalog = handoff.receiver();
            tryToRegister('catalog', handoff);
          },
          'scorecards',
        ),
        featureOf('catalog', () => {}),
        featureOf('other', handoff => {
          tryToRegister('other', handoff);
          seen.other = handoff.receiver();
        }),
      ],
    });
    try {
      expect(refused).toEqual({
        catalog:
          'scorecards: only the scorecards plugin registers the results receiver, not catalog',
        other:
          'scorecards: only the scorecards plugin registers the results receiver, not other',
      });
      expect(seen.other).toBeUndefined();
    } finally {
      await backend.stop();
    }
  });

  it('gives the catalog plugin the receiver once the scorecards plugin registered it, whatever the start order', async () => {
    let catalogView: ScorecardsResultsHandoff | undefined;
    const backend = await startTestBackend({
      features: [
        featureOf(
          'catalog',
          handoff => {
            catalogView = handoff;
          },
          'scorecards',
        ),
        featureOf('catalog', () => {}),
        featureOf('scorecards', handoff =>
          handoff.setReceiver(async sets => ({ accepted: sets.length })),
        ),
      ],
    });
    try {
      await expect(catalogView!.receiver()?.([])).resolves.toEqual({
        accepted: 0,
      });
    } finally {
      await backend.stop();
    }
  });

  it('takes one receiver per process: a second scorecards backend would record every set twice', () => {
    const registry = new DefaultScorecardsResultsHandoff();
    registry.forPlugin('scorecards').setReceiver(async () => ({ accepted: 0 }));
    expect(() =>
      registry
        .forPlugin('scorecards')
        .setReceiver(async () => ({ accepted: 0 })),
    ).toThrow(
      'scorecards: a results receiver is already registered in this process; install the scorecards backend plugin once',
    );
  });
});
