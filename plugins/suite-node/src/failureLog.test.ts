import { mockServices } from '@backstage/backend-test-utils';
import { FailureLog } from './failureLog';

function setup() {
  const logger = mockServices.logger.mock();
  let now = 0;
  const log = new FailureLog(logger, { clock: () => now });
  return {
    logger,
    log,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('FailureLog', () => {
  it('warns when a failure starts, changes and every ten minutes while it lasts; repeats go to debug', () => {
    const { logger, log, advance } = setup();
    for (let i = 0; i <= 120; i++) {
      log.failed('mirror', 'mirror refresh failed: 503');
      advance(5_000); // every 5 s, for 10 minutes and one more try
    }
    expect(logger.warn.mock.calls.map(([m]) => m)).toEqual([
      'mirror refresh failed: 503',
      'mirror refresh failed: 503 (failing for 10 min)',
    ]);
    expect(logger.debug).toHaveBeenCalledTimes(119);
    log.failed('mirror', 'mirror refresh failed: timeout');
    expect(logger.warn).toHaveBeenLastCalledWith(
      'mirror refresh failed: timeout (failing for 10 min)',
    );
    expect(log.isFailing('mirror')).toBe(true);
  });

  it('logs the recovery once, and only of a failure it logged', () => {
    const { logger, log, advance } = setup();
    log.recovered('mirror', 'mirror refreshed again');
    expect(logger.info).not.toHaveBeenCalled();
    log.failed('mirror', 'down');
    advance(90_000);
    log.recovered('mirror', 'mirror refreshed again');
    log.recovered('mirror', 'mirror refreshed again');
    expect(logger.info.mock.calls.map(([m]) => m)).toEqual([
      'mirror refreshed again (after 1 min)',
    ]);
    log.failed('mirror', 'down');
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenLastCalledWith('down');
  });

  it('keeps failures of keys apart and forgets keys it is told to', () => {
    const { logger, log } = setup();
    log.failed('repo-a', 'a: not-found');
    log.failed('repo-b', 'b: not-found');
    log.failed('repo-a', 'a: not-found');
    expect(logger.warn).toHaveBeenCalledTimes(2);
    log.retainOnly(new Set(['repo-b']));
    expect(log.isFailing('repo-a')).toBe(false);
    log.failed('repo-a', 'a: not-found');
    expect(logger.warn).toHaveBeenCalledTimes(3);
  });
});
