import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';

/**
 * Sends golden-path notifications (approval routes §4.9, database expiry §8 step 4) through
 * Backstage's notifications service. A notification is a courtesy on top of the ledger, which
 * holds the record: a portal without the notifications backend, or one that fails, logs a warning
 * and the write or run that asked for it goes on.
 */
export type GoldenPathsNotifier = (
  options: NotificationSendOptions,
  /** what the notification is about, for the warning (keys and ids only) */
  about: string,
) => Promise<boolean>;

export function goldenPathsNotifier(deps: {
  notifications?: Pick<NotificationService, 'send'>;
  logger: LoggerService;
}): GoldenPathsNotifier {
  return async (options, about) => {
    if (!deps.notifications) return false;
    try {
      await deps.notifications.send(options);
      return true;
    } catch (e) {
      deps.logger.warn(
        `golden-paths: could not send the notification of ${about}: ${
          (e as Error).message
        }`,
      );
      return false;
    }
  };
}
