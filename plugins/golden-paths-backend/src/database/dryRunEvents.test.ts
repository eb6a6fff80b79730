import { mockServices } from '@backstage/backend-test-utils';
import { goldenPathsTestDatabases } from '../__testUtils__/startGoldenPathsTestBackend';
import { dryRunOpenEventsNewestFirst } from './dryRunEvents';
import { GoldenPathsStore } from './GoldenPathsStore';

jest.setTimeout(60_000);

const databases = goldenPathsTestDatabases();

const at = (minute: number) =>
  new Date(Date.UTC(2026, 10, 23, 10, minute)).toISOString();

describe.each(databases.eachSupportedId())(
  'dryRunOpenEventsNewestFirst on %s',
  id => {
    it('walks only dry-run ledger:open records, newest first, across pages', async () => {
      const knex = await databases.init(id);
      const store = await GoldenPathsStore.create(
        mockServices.database({ knex, migrations: { skip: false } }),
      );
      const append = (minute: number, record: Record<string, unknown>) =>
        store.appendEvent({
          requestKey: `service-node-http:api-${minute}`,
          at: at(minute),
          eventType: 'golden-path-step',
          severity: 'low',
          record: { taskId: `task-${minute}`, ...record },
        });
      const open = { action: 'goldenpath:ledger:open' };
      for (const minute of [1, 2, 3, 4, 5]) {
        await append(minute, { ...open, dryRun: true });
      }
      // neither a real run, nor another action's dry run, nor another event type
      await append(6, { ...open, dryRun: false });
      await append(7, { action: 'goldenpath:ledger:close', dryRun: true });
      await store.appendEvent({
        at: at(8),
        eventType: 'golden-path-kill-switch',
        severity: 'critical',
        record: { ...open, dryRun: true },
      });

      const seen: string[] = [];
      for await (const e of dryRunOpenEventsNewestFirst(store.db, 2)) {
        seen.push(String(e.record.taskId));
      }
      expect(seen).toEqual(['task-5', 'task-4', 'task-3', 'task-2', 'task-1']);

      // at most `maxPages` pages: the newest records only
      const bounded: string[] = [];
      for await (const e of dryRunOpenEventsNewestFirst(store.db, 2, 2)) {
        bounded.push(String(e.record.taskId));
      }
      expect(bounded).toEqual(['task-5', 'task-4', 'task-3', 'task-2']);
    });
  },
);
