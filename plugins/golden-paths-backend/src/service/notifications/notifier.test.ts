import { mockServices } from '@backstage/backend-test-utils';
import { goldenPathsNotifier } from './notifier';

const options = {
  recipients: { type: 'entity' as const, entityRef: 'group:default/x' },
  payload: { title: 't' },
};

describe('goldenPathsNotifier', () => {
  it('sends through the notifications service', async () => {
    const send = jest.fn(async () => {});
    const notify = goldenPathsNotifier({
      notifications: { send },
      logger: mockServices.logger.mock(),
    });
    await expect(notify(options, 'approval apr_1')).resolves.toBe(true);
    expect(send).toHaveBeenCalledWith(options);
  });

  it('never throws: a failed send is a warning and false', async () => {
    const logger = mockServices.logger.mock();
    const notify = goldenPathsNotifier({
      notifications: {
        send: async () => {
          throw new Error('connect ECONNREFUSED 127.0.0.1:7007');
        },
      },
      logger,
    });
    await expect(notify(options, 'approval apr_1')).resolves.toBe(false);
    expect(logger.warn).toHaveBeenCalledWith(
      'golden-paths: could not send the notification of approval apr_1: connect ECONNREFUSED 127.0.0.1:7007',
    );
  });

  it('is false without a notifications service', async () => {
    const notify = goldenPathsNotifier({ logger: mockServices.logger.mock() });
    await expect(notify(options, 'x')).resolves.toBe(false);
  });
});
