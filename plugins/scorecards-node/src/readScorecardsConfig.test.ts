import { ConfigReader } from '@backstage/config';
import { readScorecardsConfig } from './readScorecardsConfig';

const read = (scorecards: unknown) =>
  readScorecardsConfig(new ConfigReader({ scorecards } as any));

describe('readScorecardsConfig evidenceWindows', () => {
  // Evidence kind ids carry dots (`slo.status`, `repo.files`): they are map keys, not paths.
  it('reads windows keyed by dotted kind ids', () => {
    expect(
      read({
        evidenceWindows: { 'slo.status': 3600, 'ci.summary': '600', deploy: 0 },
      }).evidenceWindows,
    ).toEqual({ 'slo.status': 3600, 'ci.summary': 600, deploy: 0 });
  });

  it('keeps the default when unset', () => {
    expect(read({}).evidenceWindows).toEqual({});
  });

  it('merges the windows of several config files', () => {
    const config = ConfigReader.fromConfigs([
      {
        context: 'a',
        data: { scorecards: { evidenceWindows: { 'slo.status': 3600 } } },
      },
      {
        context: 'b',
        data: { scorecards: { evidenceWindows: { 'repo.files': 60 } } },
      },
    ]);
    expect(readScorecardsConfig(config).evidenceWindows).toEqual({
      'slo.status': 3600,
      'repo.files': 60,
    });
  });

  it.each([
    [
      [3600],
      'scorecards.evidenceWindows must be a map of evidence kind to seconds (got array)',
    ],
    [
      { 'slo.status': '1h' },
      'scorecards.evidenceWindows["slo.status"] must be a number of seconds, 0 or more (got "1h")',
    ],
    [
      { deploy: -5 },
      'scorecards.evidenceWindows.deploy must be a number of seconds, 0 or more (got -5)',
    ],
  ])('refuses %j naming the key', (evidenceWindows, message) => {
    expect(() => read({ evidenceWindows })).toThrow(message);
  });
});
