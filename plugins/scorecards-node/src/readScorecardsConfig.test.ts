import { ConfigReader } from '@backstage/config';
import { readScorecardsConfig } from './readScorecardsConfig';

const read = (scorecards: unknown) =>
  readScorecardsConfig(new ConfigReader({ scorecards } as any));

describe('readScorecardsConfig platformCapabilities', () => {
  it("normalizes the owner to the rollups' row key and the runtimes to the annotation's form", () => {
    expect(
      read({
        platformCapabilities: [
          {
            id: 'slo-tooling',
            owner: 'group:Platform-Team',
            availableFor: { runtimes: [' Kubernetes '] },
          },
        ],
      }).platformCapabilities,
    ).toEqual([
      {
        id: 'slo-tooling',
        owner: 'group:default/platform-team',
        availableFor: { runtimes: ['kubernetes'] },
      },
    ]);
  });

  it('refuses an owner that is not a group ref, naming the entry', () => {
    for (const owner of ['user:default/ana', 'group:a/b/c'])
      expect(() =>
        read({ platformCapabilities: [{ id: 'x', owner }] }),
      ).toThrow(
        `scorecards.platformCapabilities[0].owner must be a group ref like group:default/<team> (got "${owner}")`,
      );
  });
});

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

describe('readScorecardsConfig waivers.expiryWarningDays', () => {
  it('reads the configured thresholds, numbers in text included', () => {
    expect(read({ waivers: { expiryWarningDays: [30, '7'] } }).waivers).toEqual(
      { expiryWarningDays: [30, 7], falsePositiveMaxDays: 14 },
    );
  });

  it('accepts 365 days, in text too', () => {
    expect(
      read({ waivers: { expiryWarningDays: ['365', 1] } }).waivers
        .expiryWarningDays,
    ).toEqual([365, 1]);
  });

  it('keeps the default [14, 3] when unset', () => {
    expect(read({}).waivers.expiryWarningDays).toEqual([14, 3]);
    expect(
      read({ waivers: { falsePositiveMaxDays: 7 } }).waivers.expiryWarningDays,
    ).toEqual([14, 3]);
  });

  it.each([
    [[], '(got [])'],
    [[30, 14, 7], '(got [30,14,7])'],
    [[14, 0], '(got [14,0])'],
    [[14, -3], '(got [14,-3])'],
    [[14, 2.5], '(got [14,2.5])'],
    [['two weeks'], '(got ["two weeks"])'],
    [[1e21], '(got [1e+21])'],
    [[14, 366], '(got [14,366])'],
    [['0x10'], '(got ["0x10"])'],
    [['1e1'], '(got ["1e1"])'],
    [[' 7'], '(got [" 7"])'],
    [[''], '(got [""])'],
    [[true], '(got [true])'],
    [14, '(got number)'],
    [{ amber: 14 }, '(got object)'],
  ])('refuses %j naming the key', (expiryWarningDays, got) => {
    expect(() => read({ waivers: { expiryWarningDays } })).toThrow(
      `scorecards.waivers.expiryWarningDays must be a list of one or two whole days from 1 to 365, e.g. [14, 3] ${got}`,
    );
  });
});

describe('readScorecardsConfig waivers.falsePositiveMaxDays', () => {
  it('reads it, and refuses what would refuse every false-positive waiver', () => {
    expect(
      read({ waivers: { falsePositiveMaxDays: 30 } }).waivers
        .falsePositiveMaxDays,
    ).toBe(30);
    expect(() => read({ waivers: { falsePositiveMaxDays: 0 } })).toThrow(
      'scorecards.waivers.falsePositiveMaxDays must be a whole number of at least 1 (got 0)',
    );
  });
});
