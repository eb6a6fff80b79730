import { decideFactWrite } from './decideFactWrite';

const latest = {
  observedAt: '2026-03-14T01:00:00Z',
  valueFingerprint: 'sha256:a',
};

describe('fact versions (§3.5, EV13)', () => {
  it.each<
    [
      string,
      typeof latest | undefined,
      typeof latest,
      string,
      number,
      boolean,
      boolean,
    ]
  >([
    ['first value', undefined, latest, 'created', 201, true, true],
    [
      'newer, new value',
      latest,
      { observedAt: '2026-03-14T02:00:00Z', valueFingerprint: 'sha256:b' },
      'new-version',
      201,
      true,
      true,
    ],
    [
      'newer, same value',
      latest,
      { observedAt: '2026-03-14T02:00:00Z', valueFingerprint: 'sha256:a' },
      'reconfirmed',
      200,
      false,
      true,
    ],
    [
      'older, any value',
      latest,
      { observedAt: '2026-03-14T00:00:00Z', valueFingerprint: 'sha256:b' },
      'out-of-order',
      200,
      true,
      false,
    ],
    [
      'equal time, other value: later receipt wins',
      latest,
      { observedAt: '2026-03-14T01:00:00.000Z', valueFingerprint: 'sha256:b' },
      'new-version',
      201,
      true,
      true,
    ],
    [
      'equal time, same value',
      latest,
      { ...latest },
      'reconfirmed',
      200,
      false,
      true,
    ],
  ])(
    '%s',
    (_name, stored, incoming, decision, status, historyRow, updatesLatest) => {
      expect(decideFactWrite(stored, incoming)).toMatchObject({
        decision,
        status,
        historyRow,
        updatesLatest,
      });
    },
  );

  it('flags out-of-order writes', () => {
    expect(
      decideFactWrite(latest, {
        observedAt: '2026-03-13T00:00:00Z',
        valueFingerprint: 'sha256:a',
      }),
    ).toMatchObject({ flag: 'OUT_OF_ORDER' });
  });
});
